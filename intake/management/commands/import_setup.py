"""Set a council up from a set-up workbook: the same reading, preview and single transaction
as the administrators' upload page."""

from typing import Any

from django.core.management.base import CommandError

from intake.kept_uploads import ADD, Uploader
from intake.management.uploads import UploadCommand
from intake.setup.apply import setup_uploads
from intake.setup.plan import SetupPlan


class Command(UploadCommand[SetupPlan, dict]):
    help = (
        "Read a set-up workbook, print every addition, change and problem, and save it all "
        "in one transaction (nothing with --dry-run, or when it has problems)."
    )
    uploads = setup_uploads
    user_help = "Username recorded in the change history."

    def apply(self, plan: SetupPlan, user: Uploader, options: dict[str, Any]) -> dict:
        if plan.problems:
            raise CommandError("Nothing was saved: the workbook has problems. Fix them first.")
        return setup_uploads.apply(plan, user, None)

    def print_result(self, plan: SetupPlan, result: dict) -> None:
        self.stdout.write(f"Saved: {plan.summary()}.")

    def print_plan(self, plan: SetupPlan, options: dict[str, Any]) -> None:
        for item in plan.planned:
            where = f"{item.sheet_name} row {item.row}"
            if item.action == ADD:
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
