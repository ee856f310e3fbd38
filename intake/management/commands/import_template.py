"""Write the figures template for a month (CSV or XLSX): every active indicator with its
reference, description, unit, last month's figure and the month's target, and blank columns
to fill in, laid out so that the filled-in file imports as it is (``import_figures``)."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from indicators.periods import Month, parse_in_range
from indicators.tenancy import CouncilCommand
from intake.figure_import import template


class Command(CouncilCommand):
    help = (
        "Write the figures template for a month (--month 2023-10) as CSV or XLSX: each active "
        "indicator with last month's figure and the target, and blank columns to fill in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="The month, as 2023-10.")
        parser.add_argument(
            "--format", choices=template.FORMATS, default=template.XLSX, dest="file_format"
        )
        parser.add_argument("-o", "--output", required=True, help="The file to write.")

    def handle(self, *args: Any, month: str, file_format: str, output: str, **options: Any) -> None:
        try:
            chosen = parse_in_range(month)
        except ValueError as error:
            raise CommandError(f"--month: {error}") from None
        if chosen > Month.current():
            raise CommandError(
                f"--month: {chosen.long_label} has not begun, and figures can only be imported "
                "for months that have."
            )
        data = template.template_file(chosen, file_format)
        try:
            Path(output).write_bytes(data)
        except OSError as error:
            raise CommandError(f"Could not write {output}: {error.strerror}.") from None
        self.stdout.write(
            f"Wrote the figures template for {chosen.long_label} to {output} ({len(data):,} bytes)."
        )
