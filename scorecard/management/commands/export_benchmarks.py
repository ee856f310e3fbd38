"""Print the council's DfE LAIT comparators as CSV on stdout."""

from typing import Any

from django.core.management.base import CommandError

from indicators.models import Council
from indicators.tenancy import CouncilCommand
from scorecard.exports.dfe_comparators import write_csv


class Command(CouncilCommand):
    help = (
        "Print the council's comparators per measure and year as CSV: measure, year, "
        "area_value, england, region, statistical_neighbours, quartile, rank, authorities."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        council = Council.current()
        if council.authority_number is None:
            raise CommandError(
                "The council has no DfE authority number: set it in the admin or import with "
                "import_lait --la 879."
            )
        write_csv(self.stdout, council)
