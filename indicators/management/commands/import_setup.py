"""Set a council up from a set-up workbook: the same reading, preview and single transaction
as the administrators' upload page."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from indicators.imports.sheets import MAX_UPLOAD_BYTES, UploadRefused
from indicators.setup.apply import apply_setup
from indicators.setup.planner import plan_setup


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
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No file at {path}.")
        if file.stat().st_size > MAX_UPLOAD_BYTES:
            raise CommandError(f"{path} is larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB.")
        set_up_by = None
        if user:
            set_up_by = get_user_model().objects.filter(username=user).first()
            if set_up_by is None:
                raise CommandError(f"No user called {user}.")
        try:
            plan = plan_setup(file.read_bytes(), file.name)
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
