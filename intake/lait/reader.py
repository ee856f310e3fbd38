"""The LAIT data set to a checked pandas frame, or every problem that stops it (the reading
and checks every LAIT file shares are in ``file_reading``).

- the data, in LAIT's long layout (``lait_bds_long``): one row per measure, area and year, as
  ``.parquet``, ``.csv`` or ``.xlsx``.

Nothing here touches the database. DfE's ``-`` (and the other markers of official statistics:
``x``, ``c``, ``z``, ``:``, ``..``, ``u``, ``low``, ``*``, ``~``, blank) are "not available": NaN,
never zero.
"""

import io

import numpy as np
import pandas as pd
import pyarrow as pa

from intake.lait.file_reading import (
    Problem,
    Problems,
    Source,
    check_lengths,
    codes_of,
    missing_columns,
    read_table,
    text_of,
)

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

NOT_AVAILABLE_MARKERS = frozenset(
    {"", "-", "x", "c", "z", ":", "..", "u", "low", "*", "~", "na", "n/a", "nan"}
)

_THOUSANDS = r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?"


def parse_values(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
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


def read_data(source: Source, name: str) -> pd.DataFrame:
    """The data set as a frame: ``measure``, ``title``, ``year``, ``area_code`` (int),
    ``area_name``, ``region`` ('' for England and the regions), ``value`` (float, NaN where
    not available). Raises ``LaitFileError`` naming every problem."""
    table, first_row = read_table(source, name)
    missing_columns(table, name, REQUIRED_DATA_COLUMNS, "LAIT's long layout")
    problems = Problems()
    if table.empty:
        # Only a header row: refused, rather than read as a data set with no measures.
        problems.append(Problem(name, None, "", "holds no rows under its header row."))
        problems.raise_if_any()
    frame = pd.DataFrame(
        {
            "measure": text_of(table["Short Desc"]),
            "title": text_of(table["Data item"]) if "Data item" in table else "",
            "year": text_of(table["Years"]),
            "area_name": text_of(table["LA and Regions"]),
            "region": text_of(table["Region"]),
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

    codes = codes_of(table["LA Number"])
    problems.add_rows(
        name,
        np.isnan(codes),
        "LA Number",
        lambda i: (
            f"{text_of(table['LA Number'].iloc[[i]]).iloc[0]!r} is not DfE's three-digit area code."
        ),
        first_row,
    )
    value_text = text_of(table["Values"])
    values, bad = parse_values(value_text)
    problems.add_rows(
        name,
        bad,
        "Values",
        lambda i: f"{value_text.iloc[i]!r} is neither a number nor DfE's '-' for not available.",
        first_row,
    )
    check_lengths(
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


def as_buffer(content: bytes) -> io.BytesIO:
    """Uploaded bytes as a file pandas can read."""
    return io.BytesIO(content)
