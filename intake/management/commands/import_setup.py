"""Set a council up from a set-up workbook: the same reading, preview and single transaction
as the administrators' upload page."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from intake.management.uploads import named_user, read_file, refusals_as_command_errors
from intake.setup.apply import setup_uploads
from intake.setup.plan import SetupPlan


class Command(BaseCommand):
    help = (
        "Read a set-up workbook, print every addition, change and problem, and save it all "
        "in one transaction (nothing with --dry-run, or when it has problems)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="Print the preview only.")
        parser.add_argument("--user", help="Username recorded in the change history.")

    def handle(
        self, *args: Any, path: str, dry_run: bool, user: str | None, **options: Any
    ) -> None:
        name, content = read_file(path)
        set_up_by = named_user(user)
        with refusals_as_command_errors(), transaction.atomic():
            plan = setup_uploads.read(content, name)
            self.print_plan(plan)
            if dry_run:
                self.stdout.write("Dry run: nothing was saved.")
                return
            if plan.problems:
                raise CommandError("Nothing was saved: the workbook has problems. Fix them first.")
            setup_uploads.apply(plan, set_up_by, None)
        self.stdout.write(f"Saved: {plan.summary()}.")

    def print_plan(self, plan: SetupPlan) -> None:
        for item in plan.planned:
            where = f"{item.sheet_name} row {item.row}"
            if item.action == "add":
                self.stdout.write(f"add    {where}: {item.what}")
                continue
            self.stdout.write(f"change {where}: {item.what}")
            for change in item.changes:
                self.stdout.write(f"         {change.column}: {change.old} -> {change.new}")
        for problem in plan.problems:
            row = f"row {problem.row}" if problem.row else "the sheet"
            column = f", column {problem.column}" if problem.column else ""
            self.stdout.write(f"PROBLEM {problem.sheet} {row}{column}: {problem.reason}")
        for notice in plan.notices:
            self.stdout.write(f"note: {notice}")
        self.stdout.write(
            f"{len(plan.added)} to add, {len(plan.changed)} to change, {plan.unchanged} "
            f"unchanged, {len(plan.problems)} problems."
        )
