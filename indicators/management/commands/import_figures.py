"""Import figures from a CSV/XLSX file, for scheduled feeds: the same reading, checks and
single transaction as the web import."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from indicators.imports.plan import apply_plan, plan_import
from indicators.imports.sheets import MAX_UPLOAD_BYTES, UploadRefused


class Command(BaseCommand):
    help = "Import figures from a CSV or XLSX file (report layout or one row per figure)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="Print the preview only.")
        parser.add_argument(
            "--accept-valid-rows",
            action="store_true",
            help="Import the valid rows even if some rows have problems.",
        )
        parser.add_argument("--user", help="Username to record as the person who entered them.")

    def handle(self, *args, path, dry_run, accept_valid_rows, user, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No file at {path}.")
        if file.stat().st_size > MAX_UPLOAD_BYTES:
            raise CommandError(f"{path} is larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB.")
        entered_by = None
        if user:
            entered_by = get_user_model().objects.filter(username=user).first()
            if entered_by is None:
                raise CommandError(f"No user called {user}.")
        try:
            plan = plan_import(file.read_bytes(), file.name)
        except UploadRefused as refused:
            raise CommandError(refused.message) from None

        for change in plan.changes:
            self.stdout.write(
                f"{change.kind:<6} row {change.row}: {change.indicator.reference} "
                f"{change.month.label}: {change.old_display or '(none)'} -> {change.new_display}"
            )
        for item in plan.commentary:
            self.stdout.write(
                f"comment row {item.row}: {item.indicator.reference} {item.month.label}"
            )
        for problem in plan.problems:
            self.stdout.write(
                f"PROBLEM row {problem.row}, column {problem.column}: {problem.reason}"
            )
        for notice in plan.notices:
            self.stdout.write(f"note: {notice}")
        self.stdout.write(
            f"{len(plan.added)} to add, {len(plan.changed)} to change, {plan.unchanged} "
            f"unchanged, {len(plan.commentary)} comments, {len(plan.problems)} problems."
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
            return
        if plan.problems and not accept_valid_rows:
            raise CommandError(
                "Nothing was saved: the file has problems. Fix them, or pass --accept-valid-rows."
            )
        added, changed, comments = apply_plan(plan, entered_by)
        self.stdout.write(f"Saved: {added} added, {changed} changed, {comments} comments.")
