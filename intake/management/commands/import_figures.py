"""Import figures from a CSV/XLSX file, for scheduled feeds: the same reading, checks and
single transaction as the web import. The file is planned and applied in one transaction that
refuses any figure changed by someone else meanwhile."""

from typing import Any

from django.core.management.base import CommandError, CommandParser

from intake.figure_import.plan import ApplyResult, FigureChoices, ImportPlan, figure_uploads
from intake.kept_uploads import Uploader
from intake.management.uploads import UploadCommand


class Command(UploadCommand[ImportPlan, ApplyResult]):
    help = "Import figures from a CSV or XLSX file (report layout or one row per figure)."
    uploads = figure_uploads
    user_help = "Username to record as the person who entered them."

    def add_choices(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--accept-valid-rows",
            action="store_true",
            help="Import the valid rows even if some rows have problems.",
        )
        parser.add_argument(
            "--accept-warnings",
            action="store_true",
            help="Import figures with plausibility warnings (each is printed). Without it, "
            "they are left out and the rest is imported.",
        )
        parser.add_argument(
            "--revision-reason",
            default="",
            help="Why figures of published months are changed: needed to import into a "
            "published month (councillors see it beside each revised figure).",
        )

    def apply(self, plan: ImportPlan, user: Uploader, options: dict[str, Any]) -> ApplyResult:
        if plan.problems and not options["accept_valid_rows"]:
            raise CommandError(
                "Nothing was saved: the file has problems. Fix them, or pass --accept-valid-rows."
            )
        choices = FigureChoices(
            accept_valid_rows=options["accept_valid_rows"],
            revision_reason=options["revision_reason"],
            accept_warnings=options["accept_warnings"],
        )
        return figure_uploads.apply(plan, user, choices)

    def print_result(self, plan: ImportPlan, result: ApplyResult) -> None:
        self.stdout.write(
            f"Saved: {result.added} added, {result.changed} changed, {result.comments} comments."
        )
        for change in result.left_out:
            self.stdout.write(
                f"NOT SAVED {change.where}: it has warnings; check it, then import it with "
                "--accept-warnings or enter it in the grid."
            )
        if result.revised:
            months = ", ".join(m.label for m in sorted({c.month for c in result.revised}))
            self.stdout.write(f"Revised in published months ({months}): live now, marked.")

    def print_plan(self, plan: ImportPlan, options: dict[str, Any]) -> None:
        for change in plan.changes:
            marks = " (revision of a published month)" if change.revision else ""
            self.stdout.write(
                f"{change.action:<6} row {change.row}: {change.indicator.reference} "
                f"{change.month.label}: {change.old_display or '(none)'} -> "
                f"{change.new_display}{marks}"
            )
            for warning in change.warnings:
                accepted = "accepted" if options["accept_warnings"] else "not saved"
                self.stdout.write(f"WARNING row {change.row} ({accepted}): {warning.message}")
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
            f"unchanged, {len(plan.commentary)} comments, {len(plan.problems)} problems, "
            f"{len(plan.warned)} with warnings."
        )
