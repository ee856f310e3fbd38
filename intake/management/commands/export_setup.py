"""Write the set-up workbook: everything stored (a council's set-up, to keep or to move), or
with --blank the template to fill in."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from indicators.tenancy import CouncilCommand
from intake.setup.export import setup_workbook


class Command(CouncilCommand):
    help = (
        "Write the set-up workbook (council, priorities, indicators, targets, populations, "
        "LAIT links) to an .xlsx file; --blank writes the empty template."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="The .xlsx file to write.")
        parser.add_argument("--blank", action="store_true", help="The template, with no rows.")

    def handle(self, *args: Any, output: str, blank: bool, **options: Any) -> None:
        data = setup_workbook(blank=blank)
        Path(output).write_bytes(data)
        what = "the blank set-up template" if blank else "the set-up workbook"
        self.stdout.write(f"Wrote {what} to {output} ({len(data):,} bytes).")
