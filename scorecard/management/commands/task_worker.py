"""The task worker: django-tasks-db's ``db_worker``, which first puts back in the queue the tasks
its own previous run was killed in the middle of (issue 24, decision 0014).

django-tasks-db 0.13.0 marks a task RUNNING, with the worker's id, when a worker takes it, and
never looks at it again: a worker killed mid-task (SIGKILL, the machine lost, the OOM killer)
leaves it RUNNING for ever, and a pack waiting on it is never printed. A worker here has a
stable id (the host name unless ``--worker-id`` is given), so at its start a task still RUNNING
under its own id can only be one its killed predecessor held: it is made READY again and run.
The tasks are written to be run again: a pack already stored is not printed twice; an email
already sent is not sent again, and one the killed worker held is left to ``send_emails`` once
its hold lapses (``indicators.outbox``).
"""

import socket
from argparse import ArgumentParser
from typing import Any

from django.db import transaction
from django.tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult


def requeue_abandoned(worker_id: str, backend_name: str = "default") -> int:
    """Make READY again the tasks left RUNNING by a worker with id ``worker_id`` (a previous
    run of this one); how many."""
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update().filter(
            status=TaskResultStatus.RUNNING, backend_name=backend_name
        )
        abandoned = [task.pk for task in running if task.worker_ids[-1:] == [worker_id]]
        DBTaskResult.objects.filter(pk__in=abandoned).update(
            status=TaskResultStatus.READY, started_at=None
        )
    return len(abandoned)


class Command(db_worker.Command):
    help = (
        "Run the task worker (django-tasks-db's db_worker), first putting back in the queue the "
        "tasks a previous run with the same --worker-id was killed in the middle of. Give each "
        "worker on one machine its own --worker-id; the default is the host name."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=socket.gethostname()[:64])

    def handle(self, *args: Any, **options: Any) -> None:
        requeued = requeue_abandoned(options["worker_id"], options["backend_name"])
        if requeued:
            self.stdout.write(
                f"Put back in the queue {requeued} task(s) that worker {options['worker_id']} "
                "was stopped in the middle of."
            )
        super().handle(*args, **options)
