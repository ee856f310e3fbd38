"""The council's stored comparators as CSV: one row per measure and year where the council or
a comparator has a value, numbers as stored (unformatted), blank where not available."""

import csv
from typing import TYPE_CHECKING

import numpy as np
from django.db.models import QuerySet

from indicators.models import Council, LaitComparator

if TYPE_CHECKING:
    from _typeshed import SupportsWrite


def plain_number(value: float | None) -> str:
    """``21.6``, ``600``, ``23.456666666666667``, ``0.00001``: every digit stored, no
    exponent, no trailing ``.0``; blank for None."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return np.format_float_positional(value, trim="-")


def comparators_in_force(council: Council | None = None) -> QuerySet[LaitComparator]:
    """The stored comparators worked out for the council as it is set now (its authority and
    list in force), by measure code and year, oldest first."""
    council = council or Council.current()
    return (
        LaitComparator.objects.filter(
            # A council with no authority number matches none (Django reads None as IS NULL).
            authority_number=council.authority_number,  # type: ignore[misc]
            neighbour_list_id=council.neighbour_list_id,
        )
        .select_related("measure")
        .order_by("measure__code", "year_order", "year")
    )


def write_csv(stream: "SupportsWrite[str]", council: Council | None = None) -> int:
    """Write the CSV to ``stream``; returns the number of rows written."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(LaitComparator.READ_FIELDS)
    rows = 0
    for row in comparators_in_force(council):
        numbers = [row.area_value, row.england, row.region, row.statistical_neighbours]
        if all(number is None for number in numbers):
            continue
        writer.writerow(
            [
                row.measure.code,
                row.year,
                *(plain_number(number) for number in numbers),
                row.quartile,
                plain_number(row.rank),
                row.authorities,
            ]
        )
        rows += 1
    return rows
