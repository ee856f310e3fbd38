"""The council's comparators worked out from the stored values (``comparators``, pure) and
stored, touching only the rows that differ; again at each import and whenever the council's
place changes."""

from typing import Any

import pandas as pd
from django.db import connection

from indicators.changes import data_changed
from indicators.dfe import comparators
from indicators.dfe.years import year_order
from indicators.models import (
    Council,
    LaitComparator,
    LaitMeasure,
    LaitValue,
    StatisticalNeighbour,
)
from intake.lait.bulk import CHUNK_ROWS, bulk_insert
from intake.lait.summary import Counts, Progress, no_progress

# A comparator's fields but its id and its key (measure, year), in the model's order: the
# order of the values recompute_comparators works out for each.
STORED_FIELDS = [
    field.attname
    for field in LaitComparator._meta.concrete_fields
    if field.name not in ("id", "council", "measure", "year")
]


def _all_values():
    """Every stored value as a frame: ``measure`` (id), ``year``, ``area_code``, ``value``,
    ``authority``."""
    table = LaitValue._meta.db_table
    columns = ["measure", "year", "area_code", "value", "authority"]
    chunks = []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT measure_id, year, area_code, value, "
            f"CASE WHEN region = '' THEN 0 ELSE 1 END FROM {table}"
        )
        while rows := cursor.fetchmany(CHUNK_ROWS):
            chunks.append(pd.DataFrame.from_records(rows, columns=columns))
    if not chunks:
        return pd.DataFrame(columns=columns)
    frame = pd.concat(chunks, ignore_index=True)
    frame["value"] = frame["value"].astype("float64")
    frame["authority"] = frame["authority"].astype(bool)
    return frame


def _area_names():
    """{area code: name} of England and the regions (the areas with no region of their
    own)."""
    return dict(
        LaitValue.objects.filter(region="")
        .order_by()
        .values_list("area_code", "area_name")
        .distinct()
    )


def council_place(council: Council) -> comparators.CouncilPlace:
    """The council's ``comparators.CouncilPlace`` in the stored data: its region's area codes
    (from its region as the data gives it) and its neighbours in the list in force."""
    authority = council.authority_number
    assert authority is not None  # only a council with its DfE number has comparators
    region = (
        LaitValue.objects.filter(area_code=authority)
        .exclude(region="")
        .values_list("region", flat=True)
        .first()
    )
    region_areas = {
        name: code for code, name in _area_names().items() if code != comparators.ENGLAND
    }
    neighbours: tuple[int, ...] = ()
    if council.neighbour_list_id is not None:
        neighbours = tuple(
            StatisticalNeighbour.objects.filter(
                neighbour_list_id=council.neighbour_list_id, authority_code=authority
            )
            .order_by("position")
            .values_list("neighbour_code", flat=True)
        )
    region_codes = comparators.region_area_codes(region, region_areas) if region else ()
    return comparators.CouncilPlace(authority, region_codes, neighbours)


def recompute_comparators(
    progress: Progress = no_progress, values: pd.DataFrame | None = None
) -> Counts:
    """Work the council's comparators out again from the stored values and bring the stored
    rows into line (rows that come out the same are left alone); a council with no authority
    number has none. ``values``: every stored value as ``_all_values`` gives it, when the
    caller has them in hand (the import of a whole data set)."""
    data_changed()  # bulk writes: no signals
    council = Council.current()
    if council.authority_number is None:
        removed, _ = LaitComparator.objects.all().delete()
        return Counts(removed=removed)
    progress("Working out comparators", 0, 1)
    if values is None:
        values = _all_values()
    place = council_place(council)
    if values.empty:  # no LAIT data yet (a new council sets its DfE number first)
        result = pd.DataFrame(columns=comparators.COMPARATOR_COLUMNS)
    else:
        measures = pd.DataFrame.from_records(
            LaitMeasure.objects.values("pk", "polarity", "no_quartile"), index="pk"
        )
        result = comparators.council_comparators(values, measures, place)
    names = _area_names()
    wanted = {}
    row: Any  # pandas types a row's cells as any scalar; these are the comparators' columns
    for row in result.itertuples(index=False):
        region = _number(row.region)
        wanted[(int(row.measure), row.year)] = (
            year_order(row.year),
            council.authority_number,
            council.neighbour_list_id,
            _number(row.area_value),
            _number(row.england),
            names.get(_whole(row.region_code), "") if region is not None else "",
            region,
            _number(row.statistical_neighbours),
            int(row.neighbours_with_value),
            row.quartile,
            _whole(row.rank),
            int(row.authorities),
        )
    counts = _sync_comparators(wanted, council.pk)
    progress("Working out comparators", 1, 1)
    return counts


def _number(value):
    return None if value is None or pd.isna(value) else float(value)


def _whole(value):
    return None if value is None or pd.isna(value) else int(value)


def _sync_comparators(wanted, council_id):
    """Bring the stored comparators into line with ``wanted`` ({(measure id, year): field
    values in ``STORED_FIELDS`` order}), touching only the rows that differ."""
    stored = {
        (measure_id, year): (pk, tuple(fields))
        for pk, measure_id, year, *fields in LaitComparator.objects.order_by().values_list(
            "pk", "measure_id", "year", *STORED_FIELDS
        )
    }
    to_create, to_replace = [], []
    for (measure_id, year), fields in wanted.items():
        pk, have = stored.get((measure_id, year), (None, None))
        if fields == have:
            continue
        # A changed row is replaced: nothing refers to a comparator's id.
        if pk is not None:
            to_replace.append(pk)
        to_create.append((measure_id, year, *fields))
    gone = [pk for key, (pk, _) in stored.items() if key not in wanted]
    deleting = gone + to_replace
    for start in range(0, len(deleting), 500):
        LaitComparator.objects.filter(pk__in=deleting[start : start + 500]).delete()
    bulk_insert(
        LaitComparator,
        ["council_id", "measure_id", "year", *STORED_FIELDS],
        [(council_id, *row) for row in to_create],
    )
    return Counts(
        added=len(to_create) - len(to_replace),
        changed=len(to_replace),
        removed=len(gone),
        unchanged=len(wanted) - len(to_create),
    )
