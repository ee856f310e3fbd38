"""The LAIT import into the database, and the council's stored comparators.

``import_lait`` reads and checks every file first (``reader``); then, in one transaction, it
brings the stored measures, values and statistical-neighbour lists into line with the files,
sets the council's place if asked, and works the comparators out again. Nothing is half-saved:
any problem rolls the whole import back.

Idempotent: each measure's values carry a digest of what was stored; a measure whose values in
the file have the same digest is left alone, so a second import of the same file changes
nothing. A newer file replaces what it covers: every stored value of each measure in the file
becomes exactly the file's (a year DfE dropped goes, a revised figure changes); measures not
in the file are left as they are.

The values (641,070 rows for the full data set) are written with PostgreSQL's COPY, or
executemany elsewhere: saving them as model objects would take minutes.
"""

import csv
import hashlib
import io
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.csv
from django.db import connection, transaction

from indicators.changes import data_changed
from indicators.models import (
    Council,
    LaitComparator,
    LaitMeasure,
    LaitValue,
    StatisticalNeighbour,
    StatisticalNeighbourList,
)

from . import comparators, reader
from . import dictionary as dictionary_reader
from . import neighbours as neighbour_reader
from .reader import LaitFileError, Problem
from .years import year_order

DICTIONARY_NAME = "lait_data_dictionary.csv"
CHUNK_ROWS = 50_000
VALUE_COLUMNS = ["measure_id", "area_code", "area_name", "region", "year", "value"]
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
COMPARATOR_COLUMNS = [
    "year_order",
    "authority_number",
    "neighbour_list_id",
    "area_value",
    "england",
    "region_name",
    "region",
    "statistical_neighbours",
    "neighbours_with_value",
    "quartile",
    "rank",
    "authorities",
]


@dataclass(frozen=True)
class LaitFile:
    """A file to read: a path or an open binary file, and its name (the suffix says how)."""

    source: object
    name: str

    @classmethod
    def at(cls, path):
        return cls(str(path), Path(path).name)


@dataclass
class Counts:
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0

    def __str__(self):
        return (
            f"{self.added:,} added, {self.changed:,} changed, {self.removed:,} removed, "
            f"{self.unchanged:,} unchanged"
        )

    @property
    def any(self):
        return bool(self.added or self.changed or self.removed)


@dataclass
class ImportSummary:
    measures: Counts = field(default_factory=Counts)
    values: Counts = field(default_factory=Counts)
    neighbour_lists: list = field(default_factory=list)  # (name, authorities, what happened)
    council: str = ""
    council_changed: bool = False
    comparators: Counts = field(default_factory=Counts)
    notices: list = field(default_factory=list)

    @property
    def changed_anything(self):
        return (
            self.measures.any
            or self.values.any
            or self.comparators.any
            or any(outcome != "unchanged" for *_, outcome in self.neighbour_lists)
            or self.council_changed
        )

    def lines(self):
        lines = [f"Measures: {self.measures}.", f"Values: {self.values}."]
        for name, authorities, outcome in self.neighbour_lists:
            lines.append(f"Statistical neighbours {name} ({authorities} authorities): {outcome}.")
        if self.council:
            lines.append(f"Council: {self.council}.")
        lines.append(f"Comparators: {self.comparators}.")
        lines.extend(f"Note: {notice}" for notice in self.notices)
        return lines


def _no_progress(stage, done, total):
    pass


def dictionary_beside(data_path):
    """The data dictionary in the data's folder, if it is there."""
    path = Path(data_path).with_name(DICTIONARY_NAME)
    return path if path.is_file() else None


# Reading ---------------------------------------------------------------------------------
@dataclass
class _Files:
    data: pd.DataFrame
    dictionary: pd.DataFrame | None
    neighbour_lists: list  # (name, file name, frame, authorities)
    notices: list


def _read_all(data, dictionary, neighbour_lists, progress):
    """Every file read and checked; every problem of every file raised together."""
    problems, notices = [], []
    frames = {}
    progress(f"Reading {data.name}", 0, 1)
    try:
        frames["data"] = reader.read_data(data.source, data.name)
    except LaitFileError as error:
        problems.extend(error.problems)
    progress(f"Reading {data.name}", 1, 1)
    frames["dictionary"] = None
    if dictionary is not None:
        try:
            frames["dictionary"], dictionary_notices = dictionary_reader.read_dictionary(
                dictionary.source, dictionary.name
            )
            notices.extend(dictionary_notices)
        except LaitFileError as error:
            problems.extend(error.problems)
    lists = []
    for file in neighbour_lists:
        try:
            frame, authorities = neighbour_reader.read_neighbour_list(file.source, file.name)
            lists.append(
                (neighbour_reader.neighbour_list_name(file.name), file.name, frame, authorities)
            )
        except LaitFileError as error:
            problems.extend(error.problems)
    names = [name for name, *_ in lists]
    for name in {name for name in names if names.count(name) > 1}:
        problems.append(Problem(name, None, "", "two statistical-neighbour files have this name."))
    if problems:
        raise LaitFileError(problems)
    return _Files(frames["data"], frames["dictionary"], lists, notices)


def _check_measures_known(files):
    """Every measure in the data needs its dictionary row, given now or stored before."""
    in_data = set(files.data["measure"].unique())
    known = set(LaitMeasure.objects.filter(code__in=in_data).values_list("code", flat=True))
    if files.dictionary is not None:
        known |= set(files.dictionary["code"])
    unknown = sorted(in_data - known)
    if unknown:
        shown = ", ".join(unknown[:20]) + (
            f" and {len(unknown) - 20} more" if len(unknown) > 20 else ""
        )
        raise LaitFileError(
            [
                Problem(
                    "the data",
                    None,
                    "Short Desc",
                    f"{len(unknown)} measures are not in the data dictionary: {shown}. Give "
                    "the dictionary that describes them.",
                )
            ]
        )


# Measures --------------------------------------------------------------------------------
def _sync_measures(dictionary, summary):
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
def _ids(codes, ids):
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


def _rows(frame):
    """The value frame's rows as tuples of plain Python values, NaN as None (NULL)."""
    columns = [frame[column].tolist() for column in VALUE_COLUMNS[:-1]]
    values = [None if value != value else value for value in frame["value"].tolist()]
    return list(zip(*columns, values, strict=True))


def _csv(rows):
    """Rows as CSV for COPY: a frame through Arrow's writer (ten times Python's csv for the
    values), tuples through csv. NaN and None are empty, so NULL."""
    buffer = io.BytesIO()
    if isinstance(rows, pd.DataFrame):
        options = pyarrow.csv.WriteOptions(include_header=False, quoting_style="needed")
        pyarrow.csv.write_csv(
            pyarrow.Table.from_pandas(rows, preserve_index=False), buffer, options
        )
    else:
        text = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
        csv.writer(text, lineterminator="\n").writerows(rows)
        text.flush()
        text.detach()
    buffer.seek(0)
    return buffer


def bulk_insert(model, columns, rows, progress=_no_progress, stage=""):
    """Insert ``rows`` into ``model``'s table: a list of tuples in the order of ``columns``
    (the fields' database columns; None is NULL), or a frame of values (converted a chunk at
    a time, which keeps memory down). PostgreSQL's COPY, executemany elsewhere: model objects
    cost more than the database for 641,070 values."""
    table = model._meta.db_table
    text = [
        name
        for name in columns
        if model._meta.get_field(name.removesuffix("_id")).get_internal_type()
        in ("CharField", "TextField")
    ]
    total = len(rows)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        copy = connection.vendor == "postgresql" and hasattr(raw, "copy_expert")
        for start in range(0, total, CHUNK_ROWS):
            chunk = rows[start : start + CHUNK_ROWS]
            if copy:
                buffer = _csv(chunk)
                # In COPY's CSV an unquoted empty field is NULL: FORCE_NOT_NULL reads it as ''
                # in the text columns (England's and the regions' empty region).
                not_null = f", FORCE_NOT_NULL ({', '.join(text)})" if text else ""
                raw.copy_expert(
                    f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv{not_null})",
                    buffer,
                )
            else:
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"VALUES ({', '.join(['%s'] * len(columns))})",
                    _rows(chunk) if isinstance(chunk, pd.DataFrame) else chunk,
                )
            if stage:
                progress(stage, min(start + CHUNK_ROWS, total), total)


FOREIGN_KEYS_CHECKED_ONCE_FROM = 100_000


@contextmanager
def _foreign_keys_checked_once(model, rows):
    """On PostgreSQL, for a large insert: drop the table's foreign keys and add them back
    afterwards, in the same transaction. Adding one back checks every row in one join;
    left in place, each of 641,070 rows queues its own deferred check for the commit (the
    PostgreSQL manual's advice for populating a database). The table is locked meanwhile;
    a row that breaks a key fails the whole import."""
    if connection.vendor != "postgresql" or rows < FOREIGN_KEYS_CHECKED_ONCE_FROM:
        yield
        return
    table = model._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        keys = {
            name: details
            for name, details in connection.introspection.get_constraints(cursor, table).items()
            if details["foreign_key"]
        }
        for name in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for name, details in keys.items():
            target, target_column = details["foreign_key"]
            columns = ", ".join(quote(column) for column in details["columns"])
            cursor.execute(
                f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} FOREIGN KEY "
                f"({columns}) REFERENCES {quote(target)} ({quote(target_column)}) "
                "DEFERRABLE INITIALLY DEFERRED"
            )


def _sync_values(data, measure_ids, summary, progress):
    frame = data.assign(measure_id=_ids(data["measure"], measure_ids))[VALUE_COLUMNS]
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
    with _foreign_keys_checked_once(LaitValue, len(replaced)):
        bulk_insert(LaitValue, VALUE_COLUMNS, replaced, progress, "Saving values")
    LaitMeasure.objects.bulk_update(
        [LaitMeasure(pk=pk, values_digest=digests[pk]) for pk in replace],
        ["values_digest"],
        batch_size=200,
    )


# Statistical-neighbour lists -------------------------------------------------------------
def _sync_neighbour_lists(lists, summary):
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
def _set_council(authority_number, list_in_force, lists, summary):
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


def _check_authority(council):
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


# Comparators -----------------------------------------------------------------------------
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


def council_place(council):
    """The council's ``comparators.CouncilPlace`` in the stored data: its region's area codes
    (from its region as the data gives it) and its neighbours in the list in force."""
    authority = council.authority_number
    region = (
        LaitValue.objects.filter(area_code=authority)
        .exclude(region="")
        .values_list("region", flat=True)
        .first()
    )
    region_areas = {
        name: code for code, name in _area_names().items() if code != comparators.ENGLAND
    }
    neighbours = ()
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


def recompute_comparators(progress=_no_progress, values=None):
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
    counts = _sync_comparators(wanted)
    progress("Working out comparators", 1, 1)
    return counts


def _number(value):
    return None if value is None or pd.isna(value) else float(value)


def _whole(value):
    return None if value is None or pd.isna(value) else int(value)


def _sync_comparators(wanted):
    """Bring the stored comparators into line with ``wanted`` ({(measure id, year): field
    values in ``COMPARATOR_COLUMNS`` order}), touching only the rows that differ."""
    stored = {
        (measure_id, year): (pk, tuple(fields))
        for pk, measure_id, year, *fields in LaitComparator.objects.order_by().values_list(
            "pk", "measure_id", "year", *COMPARATOR_COLUMNS
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
    bulk_insert(LaitComparator, ["measure_id", "year", *COMPARATOR_COLUMNS], to_create)
    return Counts(
        added=len(to_create) - len(to_replace),
        changed=len(to_replace),
        removed=len(gone),
        unchanged=len(wanted) - len(to_create),
    )


# The import ------------------------------------------------------------------------------
def import_lait(
    data,
    *,
    dictionary=None,
    neighbour_lists=(),
    authority_number=None,
    list_in_force=None,
    progress=_no_progress,
):
    """Import LAIT's data (a ``LaitFile``), its dictionary and statistical-neighbour lists,
    and optionally set the council's authority number and the list in force (by name, e.g.
    "April 2021"; the first list given when the council has none yet). Raises
    ``LaitFileError`` with every problem found, having saved nothing; returns an
    ``ImportSummary``."""
    if authority_number is not None and not 100 <= authority_number < 970:
        raise LaitFileError(
            [
                Problem(
                    "the council",
                    None,
                    "",
                    f"{authority_number} is not an authority: DfE's authority numbers are 100 "
                    "to 969 (970 is England, 980 and up the regions).",
                )
            ]
        )
    files = _read_all(data, dictionary, neighbour_lists, progress)
    _check_measures_known(files)
    summary = ImportSummary(notices=list(files.notices))
    with transaction.atomic():
        data_changed()  # the values and comparators are written in bulk, with no signals
        _sync_measures(files.dictionary, summary)
        measure_ids = dict(LaitMeasure.objects.values_list("code", "pk"))
        _sync_values(files.data, measure_ids, summary, progress)
        _sync_neighbour_lists(files.neighbour_lists, summary)
        council = _set_council(authority_number, list_in_force, files.neighbour_lists, summary)
        _check_authority(council)
        if council.authority_number is None:
            summary.notices.append(
                "The council has no DfE authority number yet: no comparators were worked out "
                "(give one, e.g. --la 879)."
            )
        if _comparators_may_have_changed(summary, council):
            summary.comparators = recompute_comparators(
                progress, _values_in_hand(files, measure_ids)
            )
        else:
            summary.comparators = Counts(unchanged=LaitComparator.objects.count())
    return summary


def _comparators_may_have_changed(summary, council):
    """Whether anything the comparators are worked out from changed: the values, a list, the
    council's place - or the stored ones are not the council's."""
    if summary.values.any or summary.measures.any or summary.council_changed:
        return True
    if any(outcome != "unchanged" for *_, outcome in summary.neighbour_lists):
        return True
    stored = LaitComparator.objects.all()
    others = stored.exclude(
        authority_number=council.authority_number, neighbour_list_id=council.neighbour_list_id
    )
    return council.authority_number is not None and (not stored.exists() or others.exists())


def _values_in_hand(files, measure_ids):
    """The file's values as ``_all_values`` would read them back, when the file holds every
    measure stored (so what is stored is exactly the file); otherwise None."""
    in_file = set(files.data["measure"].unique())
    if LaitMeasure.objects.exclude(code__in=in_file).filter(values__isnull=False).exists():
        return None
    data = files.data
    return pd.DataFrame(
        {
            "measure": _ids(data["measure"], measure_ids),
            "year": data["year"],
            "area_code": data["area_code"],
            "value": data["value"],
            "authority": data["region"] != "",
        }
    )
