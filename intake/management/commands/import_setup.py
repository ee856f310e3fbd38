"""Set a council up from a set-up workbook: the same reading, preview and single transaction
as the administrators' upload page."""

from django.core.management.base import BaseCommand, CommandError

from intake.figure_import.sheets import UploadRefused
from intake.management.uploads import named_user, read_file
from intake.setup.apply import apply_setup
from intake.setup.planner import plan_setup


class Command(BaseCommand):
    help = (
        "Read a set-up workbook, print every addition, change and problem, and save it all "
        "in one transaction (nothing with --dry-run, or when it has problems)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="Print the preview only.")
        parser.add_argument("--user", help="Username recorded in the change history.")

    def handle(self, *args, path, dry_run, user, **options):
        name, content = read_file(path)
        set_up_by = named_user(user)
        try:
            plan = plan_setup(content, name)
        except UploadRefused as refused:
            raise CommandError(refused.message) from None
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
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
            return
        if plan.problems:
            raise CommandError("Nothing was saved: the workbook has problems. Fix them first.")
        apply_setup(plan, set_up_by)
        self.stdout.write(f"Saved: {plan.summary()}.")
