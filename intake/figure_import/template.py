"""The figures template for a month, CSV or XLSX: one row per active indicator in the entry
grid's order, with its reference, description and unit, last month's figure and the month's
target to go by, then blank columns to fill in. It is laid out in the import's own
one-row-per-figure layout (``layouts.LongReader``): the columns to go by are read back as
columns the import passes over, so the template, filled in, imports as it is.

An advisor sees real figures (never ``x``) in the entry grid, so the template, an editor's
download, shows last month's figure as the grid does.
"""

import csv
import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from indicators import units
from indicators.periods import Month
from intake.grid import entry_groups

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A text cell beginning with one of these could be run as a formula by a spreadsheet.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
STATUS_WORDS = '"Actual,Provisional,Not available"'
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1D70B8")
GIVEN_FILL = PatternFill("solid", fgColor="F3F2F1")  # the columns to go by, not to fill
WRAPPED = Alignment(vertical="top", wrap_text=True)


@dataclass(frozen=True)
class Column:
    header: str
    width: int  # in the XLSX, in characters
    to_fill: bool = False


def columns(month: Month) -> list[Column]:
    """The template's columns for ``month``: what the import reads (reference, month, value,
    numerator, denominator, status, commentary) and, between them, what it passes over."""
    return [
        Column("Reference", 11),
        Column("Description", 60),
        Column("Unit", 16),
        Column(f"Last month ({month.previous().label})", 16),
        Column(f"Target ({month.label})", 22),
        Column("Month", 9),
        Column("Value", 16, to_fill=True),
        Column("Numerator", 11, to_fill=True),
        Column("Denominator", 12, to_fill=True),
        Column("Status", 14, to_fill=True),
        Column("Commentary", 60, to_fill=True),
    ]


def template_rows(month: Month, within: frozenset[int] | None = None) -> list[list[str]]:
    """One row per active indicator (each once, as the grid lists them), or per indicator of
    the priorities ``within`` (an editor limited to some, ``indicators.scope``): the columns
    to go by filled in, the month written as the papers write it, the rest blank. Queries:
    the entry grid's four."""
    rows = []
    for _, entries in entry_groups(month, within=within):
        for entry in entries:
            indicator, row = entry.indicator, entry.row
            rows.append(
                [
                    indicator.reference,
                    indicator.description,
                    units.get(indicator.unit).label,
                    entry.previous_display,
                    row.target_display,
                    month.label,
                    "",
                    "",
                    "",
                    "",
                    "",
                ]
            )
    return rows


def template_file(month: Month, file_format: str, within: frozenset[int] | None = None) -> bytes:
    """The template for ``month`` as ``csv`` or ``xlsx`` bytes (the indicators of the
    priorities ``within`` only, when given); ValueError for another format."""
    if file_format not in FORMATS:
        raise ValueError(f"There is no {file_format!r} template: choose csv or xlsx.")
    header = columns(month)
    rows = template_rows(month, within)
    if file_format == CSV:
        return _csv(header, rows)
    return _xlsx(month, header, rows)


def file_name(month: Month, file_format: str) -> str:
    return f"figures-template-{month.iso}.{file_format}"


def _as_text(value: str) -> str:
    """Text a spreadsheet opening the CSV shows as written, never runs."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def _csv(header: list[Column], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.header for column in header])
    for row in rows:
        writer.writerow([_as_text(cell) for cell in row])
    # With a byte order mark, Excel opens it as UTF-8 (the £ and the dashes of descriptions).
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(month: Month, header: list[Column], rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has its one sheet
    sheet.title = f"Figures {month.label}"
    for index, column in enumerate(header, start=1):
        head = sheet.cell(row=1, column=index, value=column.header)
        head.font, head.fill, head.alignment = HEADER_FONT, HEADER_FILL, WRAPPED
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
    for line, row in enumerate(rows, start=2):
        for index, (column, value) in enumerate(zip(header, row, strict=True), start=1):
            cell = sheet.cell(row=line, column=index)
            # Every cell is text: a figure typed as "58.2%" stays as typed (Excel would
            # store 0.582), and nothing written here is ever a formula.
            cell.number_format = "@"
            if value:
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"
            if not column.to_fill:
                cell.fill = GIVEN_FILL
            if column.width >= 60:
                cell.alignment = WRAPPED
    status = get_column_letter(next(i for i, c in enumerate(header, 1) if c.header == "Status"))
    if rows:
        # The status words the import reads; other spellings it reads are allowed too.
        choices = DataValidation(
            type="list", formula1=STATUS_WORDS, allow_blank=True, showErrorMessage=False
        )
        choices.add(f"{status}2:{status}{len(rows) + 1}")
        sheet.add_data_validation(choices)
    sheet.freeze_panes = "B2"
    workbook.properties.title = f"Figures template, {month.long_label}"
    workbook.properties.creator = "Scorecard"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
