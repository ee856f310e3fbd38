from typing import Any

from django.core.management.base import CommandParser

from indicators.tenancy import CouncilCommand
from intake.quarterly_seed import QUARTERLY_FIXTURE, load_quarterly_seed


class Command(CouncilCommand):
    help = (
        "Load the quarterly report transcribed from the seed committee paper "
        "(Q2 2023/24: yearly actuals, benchmarks, the quarter's figures); idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fixture", default=str(QUARTERLY_FIXTURE))

    def handle(self, *args: Any, fixture: str, **options: Any) -> None:
        data = load_quarterly_seed(fixture)
        rows = sum(len(section["indicators"]) for section in data["sections"])
        self.stdout.write(
            f"Loaded {rows} rows in {len(data['sections'])} tables of the "
            f"{data['quarter']} report from {fixture}."
        )
