"""The LAIT data set to a checked pandas frame, or every problem that stops it, and what its
other files' readers share (``dictionary`` for the data dictionary, ``neighbours`` for the
statistical-neighbour lists).

- the data, in LAIT's long layout (``lait_bds_long``): one row per measure, area and year, as
  ``.parquet``, ``.csv`` or ``.xlsx``.

Nothing here touches the database. A problem names the file, the row (as a spreadsheet
shows it: the header is row 1 of a CSV; for a parquet file, the n-th record), the column and
the reason. DfE's ``-`` (and the other markers of official statistics: ``x``, ``c``, ``z``,
``:``, ``..``, ``u``, ``low``, ``*``, ``~``, blank) are "not available": NaN, never zero.
"""

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

# LAIT's long layout. "Data item" (the measure's title) is blank on most rows, so optional.
DATA_COLUMNS = [
    "Short Desc",
    "Data item",
    "Years",
    "LA and Regions",
    "Values",
    "LA Number",
    "Region",
]
REQUIRED_DATA_COLUMNS = [column for column in DATA_COLUMNS if column != "Data item"]

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

NOT_AVAILABLE_MARKERS = frozenset(
    {"", "-", "x", "c", "z", ":", "..", "u", "low", "*", "~", "na", "n/a", "nan"}
)
MAX_PROBLEMS_LISTED = 20
SUFFIXES = (".parquet", ".csv", ".xlsx")


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str
    reason: str

    def __str__(self):
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.reason}"


class LaitFileError(Exception):
    """The files cannot be imported: ``problems`` says every reason found (the first
    ``MAX_PROBLEMS_LISTED`` of each kind, then how many more)."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class _Problems(list):
    def add_rows(self, file, rows, column, reason, first_row):
        """One problem per offending row (the first few), then a count of the rest."""
        positions = np.flatnonzero(np.asarray(rows, dtype=bool))
        for position in positions[:MAX_PROBLEMS_LISTED]:
            self.append(Problem(file, int(position) + first_row, column, reason(position)))
        if len(positions) > MAX_PROBLEMS_LISTED:
            more = len(positions) - MAX_PROBLEMS_LISTED
            self.append(Problem(file, None, column, f"and {more:,} more rows like these."))

    def raise_if_any(self):
        if self:
            raise LaitFileError(self)


def _suffix(name):
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise LaitFileError([Problem(name, None, "", "is not a .parquet, .csv or .xlsx file.")])
    return suffix


def _read_table(source, name, header_row=1):
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


def _text(column):
    """A column as stripped text, '' where blank; a whole number read as a float (879.0 from
    parquet or Excel) as the whole number (879)."""
    if column.dtype.kind == "f":
        numbers = column.to_numpy()
        text = np.full(len(numbers), "", dtype=object)
        present = ~np.isnan(numbers)
        whole = present & (numbers == np.round(numbers))
        text[whole] = numbers[whole].astype(np.int64).astype(str)
        text[present & ~whole] = [repr(float(number)) for number in numbers[present & ~whole]]
        return pd.Series(text, index=column.index).astype(str)
    if column.dtype.kind == "O":
        column = column.where(column.notna(), "").astype(str)
    text = column.fillna("").str.strip()
    # R writes a missing value as NA (the dictionary's blank dps, polarity, region).
    return text.where(text != "NA", "")


def _missing_columns(table, name, required, layout):
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


_THOUSANDS = r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?"


def parse_values(text):
    """Published values as floats: a number (``1,485`` too), or NaN for DfE's markers of a
    value not available. Returns (values, bad) where ``bad`` marks text that is neither."""
    markers = text.str.lower().isin(NOT_AVAILABLE_MARKERS).to_numpy()
    thousands = text.str.contains(",", regex=False) & text.str.fullmatch(_THOUSANDS)
    cleaned = text.where(~thousands, text.str.replace(",", "", regex=False)).where(~markers)
    try:
        # Arrow's cast is the fast path (and rounds correctly); it refuses any text that is
        # not a number, and then to_numeric finds which.
        numbers = pa.array(cleaned, type=pa.string()).cast(pa.float64())
        numbers = numbers.to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        numbers = pd.to_numeric(cleaned, errors="coerce").to_numpy("float64", na_value=np.nan)
    finite = np.isfinite(numbers)
    values = np.where(finite & ~markers, numbers, np.nan)
    return values, ~finite & ~markers


def _numbers(text):
    return pd.to_numeric(text, errors="coerce").to_numpy("float64", na_value=np.nan)


def _codes(column):
    """DfE's three-digit codes from a column of numbers or text; NaN where not one."""
    if column.dtype.kind in "fiu":
        numbers = column.to_numpy("float64", na_value=np.nan)
    else:
        numbers = pd.to_numeric(_text(column), errors="coerce").to_numpy("float64")
    whole = np.isfinite(numbers) & (numbers == np.round(numbers))
    in_range = whole & (numbers >= 1) & (numbers <= 999)
    return np.where(in_range, numbers, np.nan)


def _check_lengths(problems, name, frame, columns, first_row):
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


def read_data(source, name):
    """The data set as a frame: ``measure``, ``title``, ``year``, ``area_code`` (int),
    ``area_name``, ``region`` ('' for England and the regions), ``value`` (float, NaN where
    not available). Raises ``LaitFileError`` naming every problem."""
    table, first_row = _read_table(source, name)
    _missing_columns(table, name, REQUIRED_DATA_COLUMNS, "LAIT's long layout")
    problems = _Problems()
    frame = pd.DataFrame(
        {
            "measure": _text(table["Short Desc"]),
            "title": _text(table["Data item"]) if "Data item" in table else "",
            "year": _text(table["Years"]),
            "area_name": _text(table["LA and Regions"]),
            "region": _text(table["Region"]),
        }
    )
    frame.loc[frame["region"].str.upper().isin(["NA", "N/A", "-"]), "region"] = ""
    for field, column in (
        ("measure", "Short Desc"),
        ("year", "Years"),
        ("area_name", "LA and Regions"),
    ):
        blank = (frame[field] == "").to_numpy()
        problems.add_rows(name, blank, column, lambda _: "is blank.", first_row)

    codes = _codes(table["LA Number"])
    problems.add_rows(
        name,
        np.isnan(codes),
        "LA Number",
        lambda i: (
            f"{_text(table['LA Number'].iloc[[i]]).iloc[0]!r} is not DfE's three-digit area code."
        ),
        first_row,
    )
    value_text = _text(table["Values"])
    values, bad = parse_values(value_text)
    problems.add_rows(
        name,
        bad,
        "Values",
        lambda i: f"{value_text.iloc[i]!r} is neither a number nor DfE's '-' for not available.",
        first_row,
    )
    _check_lengths(
        problems,
        name,
        frame,
        {
            "measure": "Short Desc",
            "year": "Years",
            "area_name": "LA and Regions",
            "region": "Region",
        },
        first_row,
    )
    problems.raise_if_any()

    frame["area_code"] = codes.astype("int64")
    frame["value"] = values
    duplicated = frame.duplicated(["measure", "area_code", "year"], keep="first").to_numpy()
    problems.add_rows(
        name,
        duplicated,
        "Short Desc",
        lambda i: (
            f"a second value for {frame['measure'].iloc[i]} {frame['year'].iloc[i]} "
            f"{frame['area_name'].iloc[i]} ({frame['area_code'].iloc[i]})."
        ),
        first_row,
    )
    problems.raise_if_any()
    return frame[["measure", "title", "year", "area_code", "area_name", "region", "value"]]


def as_buffer(content):
    """Uploaded bytes as a file pandas can read."""
    return io.BytesIO(content)
