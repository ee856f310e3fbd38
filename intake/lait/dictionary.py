"""DfE's LAIT data dictionary (``lait_data_dictionary.csv``: one row per measure) to a checked
pandas frame, or every problem that stops it. Nothing here touches the database.
"""

import re

import numpy as np
import pandas as pd

from indicators import rules
from intake.lait.file_reading import (
    Problems,
    Source,
    check_lengths,
    missing_columns,
    numbers_of,
    read_table,
    text_of,
)

DICTIONARY_COLUMNS = {
    # dictionary column: (field, required)
    "Measure_short": ("code", True),
    "Measure": ("title", True),
    "Polarity": ("polarity", True),
    "Year_Type": ("year_type", True),
    "Chart_title": ("chart_title", False),
    "Topic": ("topic", False),
    "Description": ("description", False),
    "Methodology": ("methodology", False),
    "y_axis_name": ("y_axis_name", False),
    "dps": ("decimal_places", False),
    "No_Quartile": ("no_quartile", False),
    "Table_status": ("status", False),
    "Hyperlink(s)": ("source_url", False),
    "Last Update": ("last_update", False),
    "Next Update": ("next_update", False),
}

POLARITIES = {
    "high": rules.HIGHER_IS_BETTER,
    "low": rules.LOWER_IS_BETTER,
    "-": rules.NEITHER,
    "": rules.NEITHER,
}
_EXCEL_SERIAL = re.compile(r"^\d{5}(\.0+)?$")


def _dates(text):
    """Excel's day numbers (45931) as ISO dates (2025-10-01); other text kept as it is."""
    serial = text.str.match(_EXCEL_SERIAL).to_numpy()
    if not serial.any():
        return text
    days = pd.to_numeric(text.where(serial), errors="coerce")
    as_dates = pd.to_datetime(days, unit="D", origin="1899-12-30").dt.strftime("%Y-%m-%d")
    return text.where(~serial, as_dates)


def read_dictionary(source: Source, name: str) -> tuple[pd.DataFrame, list[str]]:
    """The data dictionary as a frame, one row per measure code (the first, where DfE lists a
    code twice), with the model's field names; and notices about what was passed over.
    Raises ``LaitFileError`` naming every problem."""
    table, first_row = read_table(source, name)
    required = [column for column, (_, needed) in DICTIONARY_COLUMNS.items() if needed]
    missing_columns(table, name, required, "LAIT's data dictionary")
    problems = Problems()
    frame = pd.DataFrame(index=table.index)
    for column, (field, _) in DICTIONARY_COLUMNS.items():
        frame[field] = text_of(table[column]) if column in table else ""
    # The dictionary's descriptions carry Windows line ends doubled (\r\r\n).
    for field in ("description", "methodology"):
        frame[field] = frame[field].str.replace(r"\r+\n?", "\n", regex=True).str.strip()
    frame.loc[frame["description"] == "-", "description"] = ""
    frame.loc[frame["methodology"] == "-", "methodology"] = ""

    keep = (frame["code"] != "").to_numpy()
    polarity = frame["polarity"].str.lower().map(POLARITIES)
    problems.add_rows(
        name,
        keep & polarity.isna().to_numpy(),
        "Polarity",
        lambda i: f"{frame['polarity'].iloc[i]!r} is not High, Low or '-'.",
        first_row,
    )
    decimals = numbers_of(frame["decimal_places"])
    blank_dps = (frame["decimal_places"] == "").to_numpy()
    bad_dps = ~blank_dps & ~(
        np.isfinite(decimals) & (decimals == np.round(decimals)) & (decimals >= 0) & (decimals <= 6)
    )
    problems.add_rows(
        name,
        keep & bad_dps,
        "dps",
        lambda i: f"{frame['decimal_places'].iloc[i]!r} is not a number of decimal places (0-6).",
        first_row,
    )
    check_lengths(
        problems,
        name,
        frame,
        {
            "code": "Measure_short",
            "title": "Measure",
            "chart_title": "Chart_title",
            "topic": "Topic",
            "y_axis_name": "y_axis_name",
            "year_type": "Year_Type",
            "status": "Table_status",
            "last_update": "Last Update",
            "next_update": "Next Update",
        },
        first_row,
    )
    problems.raise_if_any()

    frame["polarity"] = polarity
    frame["decimal_places"] = pd.array(np.where(blank_dps, np.nan, decimals), dtype="Int64")
    frame["no_quartile"] = ~frame["no_quartile"].isin(["", "-"])
    frame["last_update"] = _dates(frame["last_update"])
    frame["next_update"] = _dates(frame["next_update"])
    frame.loc[frame["title"] == "", "title"] = frame["chart_title"].where(
        frame["chart_title"] != "", frame["code"]
    )
    frame = frame[keep]
    twice = frame["code"][frame["code"].duplicated()].unique().tolist()
    notices = []
    if twice:
        notices.append(
            f"{name} lists {len(twice)} measures twice ({', '.join(sorted(twice))}): the first "
            "row of each is used."
        )
    frame = frame.drop_duplicates("code", keep="first").reset_index(drop=True)
    return frame, notices
