"""What every reader of DfE's LAIT files shares (``reader`` for the data set, ``dictionary``
for the data dictionary, ``neighbours`` for the statistical-neighbour lists): a file's table
read as text, its columns checked, codes and numbers parsed, and the problems found, each
naming the file, the row (as a spreadsheet shows it: the header is row 1 of a CSV; for a
parquet file, the n-th record), the column and the reason. Nothing here touches the database.
"""

import io
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from intake.figure_import.sheets import (
    SheetLimits,
    UploadRefused,
    UploadTooLarge,
    check_workbook,
)

# The longest text each stored field takes (the models' max_length).
MAX_LENGTHS = {
    "measure": 60,
    "year": 30,
    "area_name": 100,
    "region": 60,
    "code": 60,
    "title": 300,
    "chart_title": 300,
    "topic": 120,
    "y_axis_name": 120,
    "year_type": 60,
    "status": 200,
    "last_update": 60,
    "next_update": 100,
}

MAX_PROBLEMS_LISTED = 20
#: The most records a LAIT file may hold: DfE's whole data set has 641,070, so over twice that.
MAX_ROWS = 1_500_000
#: The most a file may take once unpacked (a parquet file's columns, uncompressed; a CSV's
#: bytes; a workbook's zip members), and the most cells a workbook's sheet may fill (a
#: workbook is slow to read: the whole data set comes as parquet or CSV).
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_XLSX_CELLS = 2_000_000
_CHUNK = 1 << 20
SUFFIXES = (".parquet", ".csv", ".xlsx")

#: A file to read: its path, or the file itself open for reading bytes.
Source = str | IO[bytes]


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.reason}"


class LaitFileError(Exception):
    """The files cannot be imported: ``problems`` says every reason found (the first
    ``MAX_PROBLEMS_LISTED`` of each kind, then how many more)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class Problems(list[Problem]):
    def add_rows(
        self,
        file: str,
        rows: Sequence[bool] | np.ndarray,
        column: str,
        reason: Callable[..., str],  # the reason for the row at a position
        first_row: int,
    ) -> None:
        """One problem per offending row (the first few), then a count of the rest."""
        positions = np.flatnonzero(np.asarray(rows, dtype=bool))
        for position in positions[:MAX_PROBLEMS_LISTED]:
            self.append(Problem(file, int(position) + first_row, column, reason(position)))
        if len(positions) > MAX_PROBLEMS_LISTED:
            more = len(positions) - MAX_PROBLEMS_LISTED
            self.append(Problem(file, None, column, f"and {more:,} more rows like these."))

    def raise_if_any(self) -> None:
        if self:
            raise LaitFileError(self)


def _suffix(name):
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise LaitFileError([Problem(name, None, "", "is not a .parquet, .csv or .xlsx file.")])
    return suffix


def _too_large(name: str, what: str) -> LaitFileError:
    return LaitFileError(
        [
            Problem(
                name,
                None,
                "",
                f"is too large to import: {what}. The most a file may hold is {MAX_ROWS:,} "
                f"rows and {MAX_UNPACKED_BYTES // 1024 // 1024:,} MB unpacked (a workbook, "
                f"{MAX_XLSX_CELLS:,} cells: give DfE's whole data set as parquet or CSV).",
            )
        ]
    )


def _size(source: object) -> int:
    if isinstance(source, io.BytesIO):
        return source.getbuffer().nbytes
    return os.path.getsize(str(source))


def _bytes_of(source: object) -> bytes:
    if isinstance(source, io.BytesIO):
        return source.getvalue()
    return Path(str(source)).read_bytes()


def check_size(source: object, name: str, suffix: str) -> None:
    """Refuse a file too large to read, from what it says of itself and before it is parsed:
    a parquet file's row count and uncompressed size (its metadata), a CSV file's size and
    lines (counted in chunks), a workbook's zip members and rows (streamed, not built)."""
    try:
        if suffix == ".parquet":
            metadata = pq.ParquetFile(source).metadata
            unpacked = sum(
                metadata.row_group(group).total_byte_size
                for group in range(metadata.num_row_groups)
            )
            if metadata.num_rows > MAX_ROWS:
                raise _too_large(name, f"{metadata.num_rows:,} rows")
            if unpacked > MAX_UNPACKED_BYTES:
                raise _too_large(name, f"{unpacked / 1024 / 1024:,.0f} MB unpacked")
        elif suffix == ".csv":
            size = _size(source)
            if size > MAX_UNPACKED_BYTES:
                raise _too_large(name, f"{size / 1024 / 1024:,.0f} MB")
            lines = 0
            with _opened(source) as stream:
                while chunk := stream.read(_CHUNK):
                    lines += max(chunk.count(b"\n"), chunk.count(b"\r"))
                    if lines > MAX_ROWS + 1:
                        raise _too_large(name, f"more than {MAX_ROWS:,} rows")
        else:
            if _size(source) > MAX_UNPACKED_BYTES:
                raise _too_large(name, f"{_size(source) / 1024 / 1024:,.0f} MB")
            limits = SheetLimits(MAX_UNPACKED_BYTES, MAX_ROWS, 1_000, MAX_XLSX_CELLS)
            check_workbook(_bytes_of(source), name, limits)
    except UploadTooLarge as refused:
        raise LaitFileError([Problem(name, None, "", refused.message)]) from None
    except (UploadRefused, OSError, pa.ArrowException):
        return  # not readable as its kind: read_table says so in its own words
    finally:
        if isinstance(source, io.BytesIO):
            source.seek(0)


@contextmanager
def _opened(source: object) -> Iterator[BinaryIO]:
    if isinstance(source, io.BytesIO):
        source.seek(0)
        yield source
    else:
        with open(str(source), "rb") as stream:
            yield stream


def read_table(source: Source, name: str, header_row: int = 1) -> tuple[pd.DataFrame, int]:
    """The file's table, every cell as text ('' for blank), columns named by the header on
    ``header_row`` (1 = the first row), and the row number of its first record. A file too
    large to read is refused before it is parsed (``check_size``)."""
    suffix = _suffix(name)
    check_size(source, name, suffix)
    skip = header_row - 1
    try:
        if suffix == ".parquet":
            table = pd.read_parquet(source)
            first_row = 1
        elif suffix == ".csv":
            table = pd.read_csv(
                source,
                dtype=str,
                keep_default_na=False,
                encoding="utf-8-sig",
                skiprows=skip,
            )
            first_row = header_row + 1
        else:
            table = pd.read_excel(source, dtype=object, header=skip)
            first_row = header_row + 1
    except Exception as error:  # noqa: BLE001 - any unreadable file is the same problem
        if header_row > 1 and "header" in str(error).lower():
            reason = f"has no header on row {header_row} (DfE's layout puts it there)."
            raise LaitFileError([Problem(name, None, "", reason)]) from None
        kind = suffix.lstrip(".")
        reason = f"could not be read as {kind}: {error}".strip()
        raise LaitFileError([Problem(name, None, "", reason)]) from None
    table.columns = [" ".join(str(column).split()) for column in table.columns]
    return table, first_row


def text_of(column: pd.Series) -> pd.Series:
    """A column as stripped text, '' where blank; a whole number read as a float (879.0 from
    parquet or Excel) as the whole number (879)."""
    if column.dtype.kind == "f":
        numbers = column.to_numpy()
        written = np.full(len(numbers), "", dtype=object)
        present = ~np.isnan(numbers)
        whole = present & (numbers == np.round(numbers))
        written[whole] = numbers[whole].astype(np.int64).astype(str)
        written[present & ~whole] = [repr(float(number)) for number in numbers[present & ~whole]]
        return pd.Series(written, index=column.index).astype(str)
    if column.dtype.kind == "O":
        column = column.where(column.notna(), "").astype(str)
    text = column.fillna("").str.strip()
    # R writes a missing value as NA (the dictionary's blank dps, polarity, region).
    return text.where(text != "NA", "")


def missing_columns(table: pd.DataFrame, name: str, required: Sequence[str], layout: str) -> None:
    """Raise ``LaitFileError`` naming every ``required`` column the table lacks and what the
    ``layout`` (the file's kind, as a user knows it) has."""
    missing = [column for column in required if column not in table.columns]
    if missing:
        names = ", ".join(missing)
        plural = "columns" if len(missing) > 1 else "column"
        raise LaitFileError(
            [
                Problem(
                    name,
                    None,
                    "",
                    f"is missing the {plural} {names} ({layout} has {', '.join(required)}).",
                )
            ]
        )


def numbers_of(text: pd.Series) -> np.ndarray:
    """Text as floats, NaN where it is not a number."""
    return pd.to_numeric(text, errors="coerce").to_numpy("float64", na_value=np.nan)


def codes_of(column: pd.Series) -> np.ndarray:
    """DfE's three-digit codes from a column of numbers or text; NaN where not one."""
    if column.dtype.kind in "fiu":
        numbers = column.to_numpy("float64", na_value=np.nan)
    else:
        numbers = pd.to_numeric(text_of(column), errors="coerce").to_numpy("float64")
    whole = np.isfinite(numbers) & (numbers == np.round(numbers))
    in_range = whole & (numbers >= 1) & (numbers <= 999)
    return np.where(in_range, numbers, np.nan)


def check_lengths(
    problems: Problems,
    name: str,
    frame: pd.DataFrame,
    columns: Mapping[str, str],
    first_row: int,
) -> None:
    """A problem for each text longer than its stored field takes (``MAX_LENGTHS``);
    ``columns`` maps each field to the file's column it was read from."""
    for field, column in columns.items():
        limit = MAX_LENGTHS[field]
        too_long = frame[field].str.len().to_numpy() > limit
        problems.add_rows(
            name,
            too_long,
            column,
            lambda _, limit=limit: f"longer than {limit} characters.",
            first_row,
        )
