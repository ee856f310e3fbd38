from typing import Any

from django.core.management.base import CommandError, CommandParser

from indicators.periods import Month
from indicators.tenancy import CouncilCommand
from scorecard.exports.csv_files import write_scorecard_csv
from scorecard.queries import load_scorecard


class Command(CouncilCommand):
    help = "Write the scorecard for a month as CSV to standard output (the dashboard's CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="The month, e.g. 2023-09.")
        parser.add_argument(
            "--include-drafts",
            action="store_true",
            help="Include figures of months that are not published (as an editor sees them).",
        )

    def handle(self, *args: Any, period: str, include_drafts: bool, **options: Any) -> None:
        try:
            month = Month.parse(period)
        except ValueError as error:
            raise CommandError(str(error)) from None
        scorecard = load_scorecard(month, published_only=not include_drafts, suppress=True)
        write_scorecard_csv(scorecard, self.stdout)
