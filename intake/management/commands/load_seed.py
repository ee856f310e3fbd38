from typing import Any

from django.core.management.base import CommandParser

from indicators.tenancy import CouncilCommand
from intake.seed import SEED_FIXTURE, load_seed


class Command(CouncilCommand):
    help = "Load the scorecard transcribed from the seed committee paper (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fixture", default=str(SEED_FIXTURE))

    def handle(self, *args: Any, fixture: str, **options: Any) -> None:
        data = load_seed(fixture)
        self.stdout.write(
            f"Loaded {len(data['indicators'])} indicators under {len(data['priorities'])} "
            f"priorities from {fixture}."
        )
