"""Background work on Django's task framework (issue 24, part 2): ``TASK_BACKEND`` chooses the
database backend (django-tasks-db, run by ``manage.py db_worker``) or the immediate one; an
email written to the outbox is one task, enqueued once what caused it commits.

With the database backend the task is a row of the database and nothing is sent until a
worker runs it: a real ``db_worker`` process on the test database (PostgreSQL only) sends a
publication's digest to a real SMTP server (``tests/support/smtp.py``); stopped, it leaves the
next digest waiting in the outbox and the queue, and started again it sends it."""

import time
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.tasks import TaskResultStatus
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from indicators import roles
from indicators.models import OutboxEmail, Value
from indicators.outbox import deliver_task
from indicators.periods import Month
from scorecard.settings import tasks_from_environment

from .support.factories import make_indicator, make_priority, make_target, make_user
from .support.tasks import Worker, a_queued_task, database_tasks, wait_until

OCT, NOV = Month(2023, 10), Month(2023, 11)
IMMEDIATE = "django.tasks.backends.immediate.ImmediateBackend"
DATABASE = "django_tasks_db.DatabaseBackend"

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: a task worker process reads the test database "
    "(run with DATABASE_URL=postgres://..., as scripts/test.sh does)",
)


# Settings ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "environ, debug, backend",
    [
        ({}, False, DATABASE),
        ({}, True, IMMEDIATE),
        ({"TASK_BACKEND": "immediate"}, False, IMMEDIATE),
        ({"TASK_BACKEND": " Database "}, True, DATABASE),
        ({"TASK_BACKEND": ""}, False, DATABASE),
    ],
)
def test_task_backend_is_database_unless_debugging_or_asked(environ, debug, backend):
    assert tasks_from_environment(environ, debug) == {"default": {"BACKEND": backend}}


def test_an_unknown_task_backend_is_refused_with_the_choices():
    with pytest.raises(ImproperlyConfigured, match="'redis' is not understood: use database or"):
        tasks_from_environment({"TASK_BACKEND": "redis"}, False)


def test_the_tests_run_tasks_at_once_unless_a_test_asks_otherwise(settings):
    assert settings.TASKS == {"default": {"BACKEND": IMMEDIATE}}
    with database_tasks():
        assert deliver_task.get_backend().__class__.__name__ == "DatabaseBackend"
    assert deliver_task.get_backend().__class__.__name__ == "ImmediateBackend"


# The outbox's tasks ----------------------------------------------------------------------------
def editor_with_a_red(month):
    """An editor with an email address, and indicator A1 red in ``month``."""
    priority = make_priority(1)
    indicator = make_indicator("A1", priority)
    make_target(indicator, 90)
    Value.objects.create(indicator=indicator, period=month.first_day, value=Decimal("40"))
    editor = make_user("ed", roles.EDITOR)
    editor.email = "ed@example.gov.uk"
    editor.save()
    return editor


def publish(client, month):
    response = client.post(reverse("publish_month", args=[month.iso]), {"confirm": "yes"})
    assert response.status_code == 302
    return response


def test_with_the_database_backend_a_publication_leaves_its_digest_to_the_worker(
    db, smtp_server, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(editor_with_a_red(OCT))
    with database_tasks(), django_capture_on_commit_callbacks(execute=True):
        publish(client, OCT)
    email = OutboxEmail.objects.get()
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "indicators.outbox.deliver_task"
    assert queued.args_kwargs == {"args": [email.pk], "kwargs": {}}
    assert queued.status == TaskResultStatus.READY
    time.sleep(0.5)  # no thread of the web process sends it either
    assert smtp_server.received == []
    email.refresh_from_db()
    assert (email.sent_at, email.attempts, email.claimed_at) == (None, 0, None)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_task_worker_sends_the_digest_and_a_stopped_worker_leaves_it_waiting(
    smtp_server, tmp_path
):
    client = Client()
    client.force_login(editor_with_a_red(OCT))
    Value.objects.create(
        indicator=Value.objects.get().indicator, period=NOV.first_day, value=Decimal("41")
    )
    worker = Worker(tmp_path / "worker.log", smtp_port=smtp_server.port)
    try:
        worker.start()
        with database_tasks():
            publish(client, OCT)
        (message,) = smtp_server.wait_for(1, timeout=30)
        assert message.recipients == ["ed@example.gov.uk"], worker.log()
        assert "October 2023 is published" in message.subject and "ID A1 " in message.text
        wait_until(
            lambda: DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).exists(),
            what="the task recorded as successful",
        )
        assert OutboxEmail.objects.get().sent_at is not None

        worker.stop()
        with database_tasks():
            publish(client, NOV)
        time.sleep(1.5)
        assert len(smtp_server.received) == 1
        waiting = OutboxEmail.objects.get(subject__startswith="November 2023")
        assert waiting.sent_at is None and waiting.attempts == 0
        assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1

        worker.start()
        received = smtp_server.wait_for(2, timeout=30)
        assert [m.subject.split(" is ")[0] for m in received] == ["October 2023", "November 2023"]
        wait_until(
            lambda: not OutboxEmail.objects.filter(sent_at__isnull=True).exists(),
            what="the email recorded as sent",
        )
        assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 2
    finally:
        worker.stop()


def test_task_worker_puts_back_only_the_tasks_its_own_killed_predecessor_held(db):
    """A worker killed mid-task leaves it RUNNING; ``task_worker`` with the same id makes it
    READY again at its start, and leaves another worker's running task alone."""
    from scorecard.management.commands.task_worker import requeue_abandoned

    mine, theirs = a_queued_task(), a_queued_task()
    DBTaskResult.objects.filter(pk=mine.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=["host-a"]
    )
    DBTaskResult.objects.filter(pk=theirs.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=["host-a", "host-b"]
    )
    assert requeue_abandoned("host-a") == 1
    statuses = {str(pk): status for pk, status in DBTaskResult.objects.values_list("pk", "status")}
    assert statuses[mine.id] == TaskResultStatus.READY
    assert statuses[theirs.id] == TaskResultStatus.RUNNING
    assert requeue_abandoned("host-a") == 0
