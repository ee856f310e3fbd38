"""DfE's statistical-neighbour lists (``sn_april_2021.xlsx``: one row per authority, its header
on the third row) to a checked pandas frame, or every problem that stops it. Nothing here
touches the database.
"""

import re
from pathlib import Path

import numpy as np
import pandas as pd

from intake.lait.file_reading import (
    MAX_PROBLEMS_LISTED,
    Problem,
    Problems,
    Source,
    codes_of,
    missing_columns,
    read_table,
    text_of,
)

NEIGHBOUR_COUNT = 10
NEIGHBOUR_COLUMNS = ["LA num", "LA Name"] + [f"SN{n}" for n in range(1, NEIGHBOUR_COUNT + 1)]
NEIGHBOUR_HEADER_ROW = 3  # as a spreadsheet numbers it: two rows of column letters above

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def neighbour_list_name(filename: str) -> str:
    """The list's name from DfE's file name: ``sn_april_2021.xlsx`` -> ``April 2021``; the
    file's name (without suffix) when it names no month and year."""
    stem = Path(filename).stem
    words = re.split(r"[\s_\-.]+", stem.casefold())
    month = next((word for word in words if word in _MONTHS), None)
    year = next((word for word in words if re.fullmatch(r"(19|20)\d{2}", word)), None)
    if month and year:
        return f"{month.capitalize()} {year}"
    return stem


def read_neighbour_list(source: Source, name: str) -> tuple[pd.DataFrame, int]:
    """A statistical-neighbour workbook as a frame of ``authority_code``, ``position`` (1-10)
    and ``neighbour_code``, and the number of authorities listed (an authority DfE lists with
    ``-`` for neighbours has none). Rows with no ``LA num`` (blank rows, the "Old SNs:"
    heading) are passed over. Raises ``LaitFileError`` naming every problem."""
    table, first_row = read_table(source, name, header_row=NEIGHBOUR_HEADER_ROW)
    missing_columns(table, name, NEIGHBOUR_COLUMNS, "DfE's statistical-neighbour list")
    problems = Problems()
    authority_text = text_of(table["LA num"])
    listed = (authority_text != "").to_numpy()
    authorities = codes_of(table["LA num"])
    problems.add_rows(
        name,
        listed & np.isnan(authorities),
        "LA num",
        lambda i: f"{authority_text.iloc[i]!r} is not DfE's three-digit authority number.",
        first_row,
    )
    rows = []
    for position in range(1, NEIGHBOUR_COUNT + 1):
        column = f"SN{position}"
        text = text_of(table[column])
        codes = codes_of(table[column])
        empty = text.isin(["", "-"]).to_numpy()
        problems.add_rows(
            name,
            listed & ~empty & np.isnan(codes),
            column,
            lambda i, text=text: f"{text.iloc[i]!r} is not DfE's three-digit authority number.",
            first_row,
        )
        problems.add_rows(
            name,
            listed & ~empty & (codes == authorities),
            column,
            lambda i: "an authority is not its own statistical neighbour.",
            first_row,
        )
        rows.append(
            pd.DataFrame(
                {
                    "row": np.arange(len(table)) + first_row,
                    "authority_code": authorities,
                    "position": position,
                    "neighbour_code": codes,
                }
            )[listed & ~empty]
        )
    problems.raise_if_any()
    twice = pd.Series(authorities[listed]).duplicated()
    problems.add_rows(
        name,
        np.isin(np.arange(len(table)), np.flatnonzero(listed)[twice.to_numpy()]),
        "LA num",
        lambda i: f"authority {int(authorities[i])} is listed twice.",
        first_row,
    )
    neighbours = pd.concat(rows, ignore_index=True)
    repeated = neighbours.duplicated(["row", "neighbour_code"])
    for _, row in neighbours[repeated].head(MAX_PROBLEMS_LISTED).iterrows():
        problems.append(
            Problem(
                name,
                int(row["row"]),
                f"SN{int(row['position'])}",
                f"{int(row['neighbour_code'])} is already a neighbour of "
                f"{int(row['authority_code'])}.",
            )
        )
    problems.raise_if_any()
    neighbours = neighbours.drop(columns="row").astype("int64")
    neighbours = neighbours.sort_values(["authority_code", "position"]).reset_index(drop=True)
    return neighbours, int(listed.sum())
