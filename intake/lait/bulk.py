"""Many rows written at once: the values (641,070 rows for the full data set) are written with
PostgreSQL's COPY, or executemany elsewhere: saving them as model objects would take minutes.
A large insert has its foreign keys checked once."""

import csv
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd
import pyarrow
import pyarrow.csv
from django.db import connection, models

from intake.lait.summary import Progress, no_progress

CHUNK_ROWS = 50_000
VALUE_COLUMNS = ["measure_id", "area_code", "area_name", "region", "year", "value"]


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


def bulk_insert(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]] | pd.DataFrame,
    progress: Progress = no_progress,
    stage: str = "",
) -> None:
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
def foreign_keys_checked_once(model: type[models.Model], rows: int) -> Iterator[None]:
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
            foreign_key = details["foreign_key"]
            assert foreign_key is not None  # only the foreign keys were kept above
            target, target_column = foreign_key
            columns = ", ".join(quote(column) for column in details["columns"])
            cursor.execute(
                f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} FOREIGN KEY "
                f"({columns}) REFERENCES {quote(target)} ({quote(target_column)}) "
                "DEFERRABLE INITIALLY DEFERRED"
            )
