"""What every reader of DfE's LAIT files shares (``reader`` for the data set, ``dictionary``
for the data dictionary, ``neighbours`` for the statistical-neighbour lists): a file's table
read as text, its columns checked, codes and numbers parsed, and the problems found, each
naming the file, the row (as a spreadsheet shows it: the header is row 1 of a CSV; for a
parquet file, the n-th record), the column and the reason. Nothing here touches the database.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

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


def read_table(source: Source, name: str, header_row: int = 1) -> tuple[pd.DataFrame, int]:
    """The file's table, every cell as text ('' for blank), columns named by the header on
    ``header_row`` (1 = the first row), and the row number of its first record."""
    suffix = _suffix(name)
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
