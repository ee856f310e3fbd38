"""The stored measures, values and statistical-neighbour lists brought into line with the
files, and the council's place set: the import's steps before the comparators, inside its
transaction. Each measure's values carry a digest of what was stored, so a measure whose values
come with the same digest is left alone."""

import hashlib
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from django.db import connection

from indicators.models import (
    Council,
    LaitMeasure,
    LaitValue,
    StatisticalNeighbour,
    StatisticalNeighbourList,
)
from intake.lait.bulk import (
    CHUNK_ROWS,
    VALUE_COLUMNS,
    bulk_insert,
    foreign_keys_checked_once,
)
from intake.lait.file_reading import LaitFileError, Problem
from intake.lait.files import NeighbourList
from intake.lait.summary import Counts, ImportSummary, Progress

MEASURE_FIELDS = [
    "title",
    "chart_title",
    "topic",
    "description",
    "methodology",
    "y_axis_name",
    "polarity",
    "decimal_places",
    "year_type",
    "no_quartile",
    "status",
    "source_url",
    "last_update",
    "next_update",
]


# Measures --------------------------------------------------------------------------------
def sync_measures(dictionary: pd.DataFrame | None, summary: ImportSummary) -> None:
    stored = {measure.code: measure for measure in LaitMeasure.objects.all()}
    if dictionary is None:
        summary.measures.unchanged = len(stored)
        return
    records = dictionary.astype(object).where(dictionary.notna(), None).to_dict("records")
    to_create, to_update = [], []
    for record in records:
        fields = {name: record[name] for name in MEASURE_FIELDS}
        measure = stored.get(record["code"])
        if measure is None:
            to_create.append(LaitMeasure(code=record["code"], **fields))
        elif any(getattr(measure, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(measure, name, value)
            to_update.append(measure)
    LaitMeasure.objects.bulk_create(to_create)
    LaitMeasure.objects.bulk_update(to_update, MEASURE_FIELDS, batch_size=200)
    summary.measures = Counts(
        added=len(to_create),
        changed=len(to_update),
        unchanged=len(stored) - len(to_update),
    )


# Values ----------------------------------------------------------------------------------
def ids_of(codes: pd.Series, ids: Mapping[str, int]) -> np.ndarray:
    """Measure codes to ids, mapping each distinct code once (641,070 rows, 434 codes)."""
    categories = codes.astype("category")
    lookup = np.array([ids[code] for code in categories.cat.categories], dtype="int64")
    return lookup[categories.cat.codes.to_numpy()]


def _digests(frame):
    """A digest of each measure's values (area, year, name, region, value), whatever the
    row order: equal digests, equal values."""
    ordered = frame.sort_values(["measure_id", "area_code", "year"], kind="stable")
    hashes = pd.util.hash_pandas_object(ordered[VALUE_COLUMNS], index=False).to_numpy()
    ids = ordered["measure_id"].to_numpy()
    bounds = np.flatnonzero(np.diff(ids)) + 1
    digests = {}
    for start, end in zip(np.r_[0, bounds], np.r_[bounds, len(ids)], strict=True):
        digests[int(ids[start])] = hashlib.sha256(hashes[start:end].tobytes()).hexdigest()
    return digests


def _stored_values(measure_ids):
    """The stored values of these measures, as a frame of ``VALUE_COLUMNS``."""
    chunks = []
    table = LaitValue._meta.db_table
    ids = list(measure_ids)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(
                f"SELECT {', '.join(VALUE_COLUMNS)} FROM {table} WHERE measure_id IN ({marks})",
                batch,
            )
            while rows := cursor.fetchmany(CHUNK_ROWS):
                chunks.append(pd.DataFrame.from_records(rows, columns=VALUE_COLUMNS))
    if not chunks:
        empty = {"measure_id": "int64", "area_code": "int64", "value": "float64"}
        return pd.DataFrame(
            {column: pd.Series(dtype=empty.get(column, str)) for column in VALUE_COLUMNS}
        )
    stored = pd.concat(chunks, ignore_index=True)
    stored["value"] = stored["value"].astype("float64")
    return stored


def _count_changes(new, old):
    keys = ["measure_id", "area_code", "year"]
    merged = new.merge(old, on=keys, how="outer", suffixes=("", "_old"), indicator=True)
    both = (merged["_merge"] == "both").to_numpy()
    same = (
        (
            (merged["value"] == merged["value_old"])
            | (merged["value"].isna() & merged["value_old"].isna())
        )
        & (merged["area_name"] == merged["area_name_old"])
        & (merged["region"] == merged["region_old"])
    )
    changed = both & ~same.to_numpy()
    return Counts(
        added=int((merged["_merge"] == "left_only").sum()),
        changed=int(changed.sum()),
        removed=int((merged["_merge"] == "right_only").sum()),
        unchanged=int((both & ~changed).sum()),
    )


def sync_values(
    data: pd.DataFrame, measure_ids: Mapping[str, int], summary: ImportSummary, progress: Progress
) -> None:
    frame = data.assign(measure_id=ids_of(data["measure"], measure_ids))[VALUE_COLUMNS]
    digests = _digests(frame)
    stored = dict(LaitMeasure.objects.filter(pk__in=digests).values_list("pk", "values_digest"))
    replace = sorted(measure for measure, digest in digests.items() if stored[measure] != digest)
    replaced = frame[frame["measure_id"].isin(replace)]
    counts = _count_changes(replaced, _stored_values([m for m in replace if stored[m]]))
    counts.unchanged += len(frame) - len(replaced)
    summary.values = counts
    if not replace:
        return
    LaitValue.objects.filter(measure_id__in=replace).delete()
    with foreign_keys_checked_once(LaitValue, len(replaced)):
        bulk_insert(LaitValue, VALUE_COLUMNS, replaced, progress, "Saving values")
    LaitMeasure.objects.bulk_update(
        [LaitMeasure(pk=pk, values_digest=digests[pk]) for pk in replace],
        ["values_digest"],
        batch_size=200,
    )


# Statistical-neighbour lists -------------------------------------------------------------
def sync_neighbour_lists(lists: Sequence[NeighbourList], summary: ImportSummary) -> None:
    for name, filename, frame, authorities in lists:
        wanted = set(frame.itertuples(index=False, name=None))
        neighbour_list, created = StatisticalNeighbourList.objects.get_or_create(
            name=name, defaults={"source": filename}
        )
        have = set(
            neighbour_list.neighbours.values_list("authority_code", "position", "neighbour_code")
        )
        if have == wanted:
            summary.neighbour_lists.append((name, authorities, "unchanged"))
            continue
        neighbour_list.neighbours.all().delete()
        bulk_insert(
            StatisticalNeighbour,
            ["neighbour_list_id", "authority_code", "position", "neighbour_code"],
            [(neighbour_list.pk, *row) for row in sorted(wanted)],
        )
        if neighbour_list.source != filename:
            neighbour_list.source = filename
            neighbour_list.save(update_fields=["source"])
        summary.neighbour_lists.append((name, authorities, "added" if created else "replaced"))


# The council -----------------------------------------------------------------------------
def set_council(
    authority_number: int | None,
    list_in_force: str | None,
    lists: Sequence[NeighbourList],
    summary: ImportSummary,
) -> Council:
    council = Council.current()
    changed = []
    if authority_number is not None and council.authority_number != authority_number:
        council.authority_number = authority_number
        changed.append(f"authority {authority_number}")
    wanted_list = list_in_force or (
        lists[0][0] if lists and council.neighbour_list is None else None
    )
    if wanted_list is not None and (
        council.neighbour_list is None or council.neighbour_list.name != wanted_list
    ):
        found = StatisticalNeighbourList.objects.filter(name=wanted_list).first()
        if found is None:
            raise LaitFileError(
                [
                    Problem(
                        "the council", None, "", f"no statistical-neighbour list {wanted_list!r}."
                    )
                ]
            )
        council.neighbour_list = found
        changed.append(f"statistical neighbours {wanted_list}")
    if changed or council._state.adding:
        council.full_clean()
        council.save()
        summary.council_changed = True
    where = council.authority_number or "no authority number"
    in_force = council.neighbour_list.name if council.neighbour_list else "no list"
    state = f"{council.display_name} ({where}, statistical neighbours {in_force})"
    summary.council = f"set {', '.join(changed)}: {state}" if changed else state
    return council


def check_authority(council: Council) -> None:
    """The council's authority must be one the stored data has (checked after the values are
    saved, against what is now stored)."""
    if council.authority_number is None:
        return
    exists = LaitValue.objects.filter(area_code=council.authority_number).exclude(region="")
    if not exists.exists():
        raise LaitFileError(
            [
                Problem(
                    "the council",
                    None,
                    "",
                    f"{council.authority_number} is not an authority in the data: DfE's "
                    "authority numbers are three digits, as its LAIT data gives them.",
                )
            ]
        )
