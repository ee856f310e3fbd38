"""Delete stored PDFs of old data versions and old finished task rows (for cron, daily):
``scorecard.print_pruning`` and django-tasks-db's own ``prune_db_task_results``."""

from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from scorecard.print_pruning import prune_prints

#: Days kept by default: a month, so last month's pack is there for the meeting that asks.
DEFAULT_DAYS = 30


class Command(BaseCommand):
    help = (
        "Delete the stored packs and quarterly report PDFs (storage folders packs/ and "
        "quarterly/ only) of data versions older than the current one and not written for "
        "DAYS days, and the finished task rows older than DAYS days."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=DEFAULT_DAYS,
            metavar="DAYS",
            help=f"days a print or a finished task is kept (default {DEFAULT_DAYS})",
        )

    def handle(self, *args: Any, older_than: int, **options: Any) -> None:
        if older_than < 0:
            self.stderr.write("--older-than must be 0 or more days.")
            raise SystemExit(2)
        pruned = prune_prints(timedelta(days=older_than))
        self.stdout.write(
            f"Stored prints deleted: {len(pruned.deleted)}; kept, of the current data "
            f"version: {pruned.kept}. Lapsed 'asked for' rows deleted: {pruned.lapsed_rows}."
        )
        if isinstance(task_backends["default"], DatabaseBackend):
            call_command(
                "prune_db_task_results",
                min_age_days=older_than,
                queue_name="*",
                stdout=self.stdout,
                verbosity=options.get("verbosity", 1),
            )
        else:
            self.stdout.write("Task rows: none kept (the task backend is not the database).")
