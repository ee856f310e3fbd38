"""What the columns of an upload mean: the header names each layout recognises, where the
header row is, how a header and a cell are shown back to the user, and references as files
write them. Pure functions on cells; no database.
"""

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from openpyxl.utils import get_column_letter

from indicators.periods import Month, parse_month
from intake.figure_import.cell_values import FigureError
from intake.figure_import.sheets import HEADER_SEARCH_ROWS, Cell, Rows

if TYPE_CHECKING:  # the reader looks references up with this module
    from intake.figure_import.reader import IndicatorSpec

REPORT = "report"
LONG = "long"

REFERENCE = {
    "id",
    "ref",
    "reference",
    "indicator",
    "indicator id",
    "indicator ref",
    "indicator reference",
}
MONTH = {"month", "period"}
VALUE = {"value", "figure"}
NUMERATOR = {"numerator"}
DENOMINATOR = {"denominator"}
STATUS = {"status"}
COMMENTARY = {"commentary", "comment", "comments"}
DESCRIPTION = {
    "description",
    "indicator description",
    "indicator name",
    "name",
    "measure",
    "headline performance measures",
}
IGNORED = {
    "direction of travel",
    "direction",
    "dot",
    "rag",
    "rag status",
    "priority",
    "unit",
    "polarity",
}
# Last month's figure, to go by (the template's "Last month (Sep-23)").
LAST_MONTH = {"last month", "previous month", "last month's figure"}
EXCEL_COLUMNS = 16384
TARGET_NOTICE = "The Target column was not imported: targets are changed by administrators."


# Headers ----------------------------------------------------------------------------------
def key(cell: Cell) -> str:
    """A header cell as compared with the names above: lower case, single spaces."""
    if cell is None or isinstance(cell, (dt.date, dt.datetime)):
        return ""
    return re.sub(r"\s+", " ", str(cell)).strip().lower().rstrip(":").strip()


def is_target(header_key: str) -> bool:
    return header_key == "target" or header_key.startswith("target ")


def is_passed_over(header_key: str) -> bool:
    """A column read by people, not by the import: the ``IGNORED`` names, and last month's
    figure beside the month's (the template's ``Last month (Sep-23)``)."""
    return (
        header_key in IGNORED
        or header_key in LAST_MONTH
        or header_key.startswith(tuple(f"{name} " for name in LAST_MONTH))
    )


def find_header(rows: Rows) -> tuple[int, str] | None:
    """(index of the header row, layout) or None."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = [key(cell) for cell in row]
        if not any(name in REFERENCE for name in keys):
            continue
        if any(name in MONTH for name in keys):
            return index, LONG
        if any(month_or_none(cell) is not None for cell in row):
            return index, REPORT
    return None


def display(cell: Cell, index: int) -> str:
    """A header as the user sees it; the column letter when it has none."""
    if isinstance(cell, (dt.date, dt.datetime)):
        return Month.from_date(cell).label
    text = "" if cell is None else re.sub(r"\s+", " ", str(cell)).strip()
    return text or letter(index)


def letter(index: int) -> str:
    """The spreadsheet column letter of a 0-based column index: 0 -> A, 26 -> AA. A CSV can
    be wider than Excel's last column (XFD): such a column is named by its number."""
    if index >= EXCEL_COLUMNS:
        return f"column {index + 1}"
    return get_column_letter(index + 1)


def month_or_none(cell: Cell) -> Month | None:
    if blank(cell) or isinstance(cell, bool):
        return None
    try:
        return parse_month(cell)
    except ValueError:
        return None


# Cells ------------------------------------------------------------------------------------
def blank(cell: Cell) -> bool:
    if cell is None:
        return True
    if isinstance(cell, str):
        return not cell.strip()
    return isinstance(cell, float) and math.isnan(cell)


def cell_at(row: Sequence[Cell], index: int | None) -> Cell:
    """The row's cell at ``index``; None for a column the row does not reach (or no column)."""
    if index is None or index >= len(row):
        return None
    return row[index]


def text(cell: Cell) -> str | None:
    if blank(cell):
        return None
    return str(cell).strip()


def figure_cell(cell: Cell) -> Cell:
    """A cell as ``parse_figure`` reads it; a date is refused here with its own reason."""
    if isinstance(cell, (dt.date, dt.datetime, dt.time)):
        raise FigureError(f"the cell holds a date or time ({cell}), not a figure")
    return cell


class Lookup:
    """Indicator references as written in a file: ``69``, ``69.0`` (Excel), `` 69 ``."""

    def __init__(self, indicators: Mapping[str, "IndicatorSpec"]) -> None:
        self.indicators = indicators
        self.folded = {str(ref).strip().lower(): spec for ref, spec in indicators.items()}

    @staticmethod
    def reference(cell: Cell) -> str | None:
        if blank(cell):
            return None
        if isinstance(cell, float) and cell.is_integer():
            return str(int(cell))
        if isinstance(cell, Decimal) and cell == cell.to_integral_value():
            return str(int(cell))
        written = re.sub(r"\s+", " ", str(cell)).strip()
        if re.fullmatch(r"\d+\.0+", written):
            written = written.split(".")[0]
        return written

    def find(self, reference: str) -> "IndicatorSpec | None":

        spec = self.indicators.get(reference)
        if spec is None:
            spec = self.folded.get(reference.lower())
        return spec
