"""A large figures import applied by a task (issue 24, part 2; intake/import_task.py): over
``SCORECARD_IMPORT_TASK_ROWS`` figures and comments, confirming enqueues the import for the
task worker and the page shows its progress (202, refreshing itself), then the result as the
confirm in the request gives it. Nothing is written until the worker has written everything;
a refusal or a failure at the database saves nothing and says why.

The queued tasks are run by django-tasks-db's own worker in this process (its ``Worker``
claiming and running each, as ``manage.py db_worker`` does), so these run on SQLite too; the worker
as a process of its own is tested on PostgreSQL at the end."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.tasks import TaskResultStatus
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker as TaskWorker
from django_tasks_db.models import DBTaskResult

from indicators.models import ImportBatch, Value
from intake.import_task import LOST_AFTER

from .support.tasks import Worker, database_tasks, wait_until

LONG_CSV = (
    "reference,month,value,numerator,denominator,status,commentary\n"
    "7,2023-10,61.0%,,,,Improvement maintained in October.\n"
    "10,2023-10,18.0,,,,\n"
    "73,2023-10,7.4%,15,204,,\n"
    "76,2023-10,Not available,,,,\n"
    "7,2023-09,58.2%,,,,\n"
)

# LONG_CSV plans four figures and one comment: five rows, over a limit of three.
LIMIT = 3


@pytest.fixture
def over_the_limit(settings):
    settings.SCORECARD_IMPORT_TASK_ROWS = LIMIT


def preview(client, content):
    response = client.post(
        reverse("import_upload"), {"file": SimpleUploadedFile("figures.csv", content.encode())}
    )
    assert response.status_code == 302, response.context["form"].errors
    return client.get(response.url), response.url


def october(reference):
    return Value.objects.filter(indicator__reference=reference, period="2023-10-01").first()


def run_queued_tasks():
    """Run every queued task as ``manage.py db_worker`` does (its ``Worker`` claims each and
    runs it, recording its result), in this process and this test's transaction: its loop
    would close the test's database connection between tasks."""
    worker = TaskWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    while (queued := DBTaskResult.objects.ready().first()) is not None:
        queued.claim(worker.worker_id)
        worker.run_task(queued)


def confirm(client, page, url, **choices):
    return client.post(
        url, {"action": "confirm", "digest": page.context["plan"].digest(), **choices}
    )


def test_a_large_import_is_applied_by_the_worker_while_its_page_shows_progress(
    client, seed, editor, over_the_limit
):
    client.force_login(editor)
    page, url = preview(client, LONG_CSV)
    with database_tasks():
        posted = confirm(client, page, url)
        assert posted.status_code == 302 and posted.url == url
        waiting = client.get(url)
        assert waiting.status_code == 202
        assert '<meta http-equiv="refresh" content="3">' in waiting.text
        assert "Importing figures.csv" in waiting.text and "5 figures and comments" in waiting.text
        (queued,) = DBTaskResult.objects.all()
        assert queued.task_path == "intake.import_task.apply_import"
        assert queued.status == TaskResultStatus.READY
        assert october("7") is None, "nothing is written before the worker runs"
        # Posted again (a second click) while it waits: nothing more is enqueued.
        confirm(client, page, url)
        assert DBTaskResult.objects.count() == 1

        run_queued_tasks()
        done = client.get(url, follow=True)
    assert done.redirect_chain[0] == (reverse("entry_index"), 302)
    assert "Imported figures.csv: 4 figures added, 0 changed, 1 unchanged, 1 comments." in (
        done.text
    )
    assert october("7").value == Decimal("61.0") and october("7").entered_by == editor
    assert october("7").history.get().history_user == editor
    assert ImportBatch.objects.get().status == ImportBatch.Status.APPLIED
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    # The result was shown once: the page is the upload's again.
    assert client.get(url).status_code == 200


def test_a_refused_import_by_the_worker_saves_nothing_and_names_the_rows(
    client, seed, editor, over_the_limit
):
    client.force_login(editor)
    page, url = preview(client, LONG_CSV.replace("7,2023-09,58.2%", "7,2023-09,59.0%"))
    figure = Value.objects.get(indicator__reference="7", period="2023-09-01")
    with database_tasks():
        confirm(client, page, url, revision_reason="Corrected.")
        figure.value = Decimal("57.0")
        figure.save()  # someone else corrects it before the worker gets to the file
        run_queued_tasks()
        refused = client.get(url, follow=True)
    assert refused.redirect_chain == [(url, 302)]
    assert "Figures changed since you previewed this file, so nothing was imported: row 6" in (
        refused.text
    )
    assert october("7") is None
    assert ImportBatch.objects.get().status == ImportBatch.Status.PREVIEWED
    # The preview is shown again, to check the file again or cancel.
    assert "Confirm and import" in refused.text


def test_a_file_with_problems_is_refused_by_the_worker_unless_the_valid_rows_are_chosen(
    client, seed, editor, over_the_limit
):
    client.force_login(editor)
    page, url = preview(client, LONG_CSV + "999,2023-10,5,,,,\n")
    with database_tasks():
        confirm(client, page, url)
        run_queued_tasks()
        refused = client.get(url, follow=True)
        assert "The file has problems" in refused.text
        assert october("7") is None
        confirm(client, page, url, accept_valid_rows="yes")
        run_queued_tasks()
        client.get(url)
    assert october("7").value == Decimal("61.0")


@pytest.fixture
def refuse_999_at_the_database(db):
    """A real database trigger that rejects one value, to prove the import is atomic."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_999() RETURNS trigger AS $$ BEGIN "
                "IF NEW.value = 999 THEN RAISE EXCEPTION 'refused by test trigger'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_999 BEFORE INSERT OR UPDATE ON indicators_value "
                "FOR EACH ROW EXECUTE FUNCTION refuse_999()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER refuse_999 BEFORE INSERT ON indicators_value "
                "WHEN NEW.value = 999 BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END"
            )


def test_an_import_that_fails_in_the_worker_saves_nothing_and_says_so(
    client, seed, editor, over_the_limit, refuse_999_at_the_database
):
    client.force_login(editor)
    page, url = preview(client, LONG_CSV + "63,2023-10,999,,,,\n")
    with database_tasks():
        confirm(client, page, url)
        run_queued_tasks()
        stopped = client.get(url, follow=True)
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    assert "The import stopped with an error before it finished, so nothing was saved" in (
        stopped.text
    )
    assert october("7") is None and october("10") is None
    assert not Value.history.filter(period="2023-10-01").exists()
    assert ImportBatch.objects.get().status == ImportBatch.Status.PREVIEWED


def test_an_import_within_the_limit_is_applied_in_the_request(client, seed, editor, settings):
    settings.SCORECARD_IMPORT_TASK_ROWS = 5  # LONG_CSV's five rows: not over it
    client.force_login(editor)
    page, url = preview(client, LONG_CSV)
    with database_tasks():
        response = confirm(client, page, url)
    assert response.url == reverse("entry_index")
    assert october("7").value == Decimal("61.0")
    assert not DBTaskResult.objects.exists()


def test_with_the_immediate_backend_a_large_import_is_applied_in_the_request(
    client, seed, editor, over_the_limit
):
    client.force_login(editor)
    page, url = preview(client, LONG_CSV)
    response = confirm(client, page, url)
    assert response.url == reverse("entry_index")
    assert october("7").value == Decimal("61.0")


def test_another_editor_sees_the_upload_not_the_importers_progress(
    client, seed, editor, administrator, over_the_limit
):
    client.force_login(editor)
    page, url = preview(client, LONG_CSV)
    with database_tasks():
        confirm(client, page, url)
        other = Client()
        other.force_login(administrator)
        assert other.get(url).status_code == 200
        assert client.get(url).status_code == 202


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: a task worker process reads the test database "
    "(run with DATABASE_URL=postgres://..., as scripts/test.sh does)",
)
@pytest.mark.django_db(transaction=True)
def test_the_task_worker_process_applies_the_import(seed, editor, settings, tmp_path):
    settings.SCORECARD_IMPORT_TASK_ROWS = LIMIT
    client = Client()
    client.force_login(editor)
    page, url = preview(client, LONG_CSV)
    worker = Worker(tmp_path / "worker.log")
    try:
        with database_tasks():
            confirm(client, page, url)
            assert client.get(url).status_code == 202
            worker.start()
            wait_until(
                lambda: client.get(url).status_code == 302,
                timeout=60,
                what="the import applied by the worker",
            )
        assert october("7").value == Decimal("61.0"), worker.log()
        assert ImportBatch.objects.get().status == ImportBatch.Status.APPLIED
    finally:
        worker.stop()


def test_an_import_confirmed_by_an_account_deactivated_before_the_worker_runs_is_refused(
    client, seed, editor, over_the_limit
):
    client.force_login(editor)
    page, url = preview(client, LONG_CSV)
    with database_tasks():
        confirm(client, page, url)
        type(editor).objects.filter(pk=editor.pk).update(is_active=False)
        run_queued_tasks()
        type(editor).objects.filter(pk=editor.pk).update(is_active=True)
        refused = client.get(url, follow=True)
    assert "the account that confirmed it is not active" in refused.text
    assert october("7") is None


def test_an_import_whose_worker_was_killed_is_said_to_have_stopped_and_may_be_confirmed_again(
    client, seed, editor, over_the_limit
):
    client.force_login(editor)
    page, url = preview(client, LONG_CSV)
    with database_tasks():
        confirm(client, page, url)
        # A worker claims it, then is killed: django-tasks-db leaves it marked as running.
        queued = DBTaskResult.objects.get()
        queued.claim("killed-worker")
        assert client.get(url).status_code == 202, "still running, as far as anyone knows"
        DBTaskResult.objects.update(started_at=timezone.now() - LOST_AFTER - timedelta(1))
        stopped = client.get(url, follow=True)
        assert "The import stopped with an error before it finished" in stopped.text
        assert october("7") is None
        confirm(client, page, url)
        run_queued_tasks()
        client.get(url)
    assert october("7").value == Decimal("61.0")
