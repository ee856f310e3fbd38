"""Writing an XLSX sheet: the styles, one cell (text cleaned and neutralised, numbers as
numbers), a month's figure, a RAG cell, the title and header rows, the "Key" sheet and the
workbook's bytes. The quarterly report's workbook (``quarterly_exports``) writes with them too."""

import datetime as dt
import io
import re
from decimal import Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from indicators import rules
from scorecard.exports.cell_text import draft_notice, neutralise

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


def _text(value):
    """Text as it may go into a cell: no characters XML cannot hold, no formula."""
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))[:XLSX_MAX_CELL_TEXT]
    return neutralise(text)


def put_cell(sheet, row, column, value, number_format=None, alignment=TOP):
    """Write one cell: text is cleaned and neutralised; numbers and dates stay as they are."""
    if isinstance(value, str):
        value = _text(value)
    cell = sheet.cell(row=row, column=column, value=value)
    if number_format and isinstance(value, Decimal | int | float | dt.date):
        cell.number_format = number_format
    cell.alignment = alignment
    return cell


def put_figure(sheet, row, column, figure, hidden, number_format):
    """A month's figure: a number, "x" when suppressed, "Not available", or empty."""
    if figure is None:
        return None
    if hidden:
        return put_cell(sheet, row, column, rules.SUPPRESSED_MARK, alignment=TOP_RIGHT)
    if figure.status == rules.NOT_AVAILABLE or figure.value is None:
        return put_cell(sheet, row, column, NOT_AVAILABLE_TEXT, alignment=TOP_RIGHT)
    return put_cell(sheet, row, column, figure.value, number_format)


def put_rag(sheet, row, column, rag):
    cell = put_cell(sheet, row, column, rag.label)
    if rag in RAG_FILLS:
        cell.fill = RAG_FILLS[rag]
    return cell


def start_sheet(sheet, title, headers, widths, draft_months=(), council_name=""):
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
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def finish_sheet(sheet, column_count, last_row):
    """A filter on every column of the header row, down to the last row written."""
    sheet.auto_filter.ref = f"A2:{get_column_letter(column_count)}{max(last_row, 2)}"


def add_key_sheet(workbook, key):
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


def workbook_bytes(workbook, title, council_name=""):
    """The workbook as the bytes of an .xlsx file, titled and credited to the council."""
    workbook.properties.title = title
    workbook.properties.creator = council_name or "Scorecard"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def put_number(sheet, line, column, value, number_format):
    """A number in its format; nothing where there is none."""
    if value is not None:
        put_cell(sheet, line, column, value, number_format)


def valid_sheet_name(text):
    """Text as Excel takes a sheet's name: no forbidden characters, at most 31 of them."""
    return _SHEET_NAME_FORBIDDEN.sub("", text).strip("'")[:31] or "History"
