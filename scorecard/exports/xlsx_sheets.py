"""Writing an XLSX sheet: the styles, one cell (text cleaned and neutralised, numbers as
numbers), a month's figure, a RAG cell, the title and header rows, the "Key" sheet and the
workbook's bytes. The quarterly report's workbook (``quarterly_exports``) writes with them too."""

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from indicators import rules
from indicators.figures import Figure
from indicators.periods import Month
from scorecard.exports.cell_text import draft_notice, neutralise
from scorecard.key import KeySection

NOT_AVAILABLE_TEXT = "Not available"
XLSX_MAX_CELL_TEXT = 32767  # Excel's limit; a longer cell makes Excel "repair" the file.
TITLE_FONT = Font(bold=True, size=14)
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1D70B8")
HEADER_ALIGNMENT = Alignment(vertical="center", wrap_text=True)
TOP = Alignment(vertical="top")
TOP_WRAPPED = Alignment(vertical="top", wrap_text=True)
TOP_RIGHT = Alignment(vertical="top", horizontal="right")
RAG_FILLS = {
    rules.Rag.RED: PatternFill("solid", fgColor="F6D7D2"),
    rules.Rag.AMBER: PatternFill("solid", fgColor="FFF7BF"),
    rules.Rag.GREEN: PatternFill("solid", fgColor="CCE2D8"),
    # An anticipated range's marks: the page's colours (static/css/scorecard.css).
    rules.Rag.WITHIN_RANGE: PatternFill("solid", fgColor="BFE3E0"),
    rules.Rag.ABOVE_RANGE: PatternFill("solid", fgColor="DBD5E9"),
    rules.Rag.BELOW_RANGE: PatternFill("solid", fgColor="FCD6C3"),
}
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

# What the exports write into a cell: text, a number, a date, or nothing.
CellValue = str | int | float | Decimal | dt.date | None


def _text(value):
    """Text as it may go into a cell: no characters XML cannot hold, no formula."""
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))[:XLSX_MAX_CELL_TEXT]
    return neutralise(text)


def put_cell(
    sheet: Worksheet,
    row: int,
    column: int,
    value: CellValue,
    number_format: str | None = None,
    alignment: Alignment = TOP,
) -> Cell:
    """Write one cell: text is cleaned and neutralised; numbers and dates stay as they are."""
    if isinstance(value, str):
        value = _text(value)
    cell = sheet.cell(row=row, column=column, value=value)
    if number_format and isinstance(value, Decimal | int | float | dt.date):
        cell.number_format = number_format
    cell.alignment = alignment
    return cell


def put_figure(
    sheet: Worksheet,
    row: int,
    column: int,
    figure: Figure | None,
    hidden: bool,
    number_format: str,
) -> Cell | None:
    """A month's figure: a number, "x" when suppressed, "Not available", or empty."""
    if figure is None:
        return None
    if hidden:
        return put_cell(sheet, row, column, rules.SUPPRESSED_MARK, alignment=TOP_RIGHT)
    if figure.status == rules.NOT_AVAILABLE or figure.value is None:
        return put_cell(sheet, row, column, NOT_AVAILABLE_TEXT, alignment=TOP_RIGHT)
    return put_cell(sheet, row, column, figure.value, number_format)


def put_rag(sheet: Worksheet, row: int, column: int, rag: rules.Rag) -> Cell:
    cell = put_cell(sheet, row, column, rag.label)
    if rag in RAG_FILLS:
        cell.fill = RAG_FILLS[rag]
    return cell


def start_sheet(
    sheet: Worksheet,
    title: str,
    headers: Sequence[str],
    widths: Sequence[int],
    draft_months: Sequence[Month] = (),
    council_name: str = "",
) -> None:
    """Title in row 1 (led by the draft notice when the sheet holds drafts); a bold, filled
    header row 2 with the panes frozen below it."""
    heading = f"{council_name}: {title}" if council_name else title
    if draft_months:
        heading = f"{draft_notice(draft_months)} {heading}"
    put_cell(sheet, 1, 1, heading).font = TITLE_FONT
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = put_cell(sheet, 2, column, header, alignment=HEADER_ALIGNMENT)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    # openpyxl gives every sheet's properties page set-up properties; its types allow none.
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]


def finish_sheet(sheet: Worksheet, column_count: int, last_row: int) -> None:
    """A filter on every column of the header row, down to the last row written."""
    sheet.auto_filter.ref = f"A2:{get_column_letter(column_count)}{max(last_row, 2)}"


def add_key_sheet(workbook: Workbook, key: Iterable[KeySection]) -> Worksheet:
    """A "Key" sheet: the key the pages print (``scorecard.key``), one mark to a row with
    the words it carries in tables (where it has any) and what it means."""
    sheet = workbook.create_sheet("Key")
    for column, width in (("A", 28), ("B", 45), ("C", 90)):
        sheet.column_dimensions[column].width = width
    put_cell(sheet, 1, 1, "Key").font = TITLE_FONT
    line = 2
    for section in key:
        line += 1
        put_cell(sheet, line, 1, section.title).font = Font(bold=True)
        for entry in section.entries:
            line += 1
            put_cell(sheet, line, 1, entry.term)
            if entry.name:
                put_cell(sheet, line, 2, entry.name, alignment=TOP_WRAPPED)
                put_cell(sheet, line, 3, entry.meaning, alignment=TOP_WRAPPED)
            else:
                put_cell(sheet, line, 2, entry.meaning, alignment=TOP_WRAPPED)
    return sheet


def workbook_bytes(workbook: Workbook, title: str, council_name: str = "") -> bytes:
    """The workbook as the bytes of an .xlsx file, titled and credited to the council."""
    workbook.properties.title = title
    workbook.properties.creator = council_name or "Scorecard"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def put_number(
    sheet: Worksheet, line: int, column: int, value: CellValue, number_format: str
) -> None:
    """A number in its format; nothing where there is none."""
    if value is not None:
        put_cell(sheet, line, column, value, number_format)


def valid_sheet_name(text: str) -> str:
    """Text as Excel takes a sheet's name: no forbidden characters, at most 31 of them."""
    return _SHEET_NAME_FORBIDDEN.sub("", text).strip("'")[:31] or "History"
