"""Writing the set-up workbook: blank, as the template an administrator fills in, or with
everything stored (``manage.py export_setup``), which imports back as it is.

Sheets in the layout's order after an Instructions sheet that explains every column, and a
Choices sheet the choice columns' drop-down lists read from. Months are written as dates
(the 1st, shown ``Oct-22``), choices as their words, tolerances as percentages.
"""

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from intake.setup import layout
from intake.setup.stored_setup import stored_setup

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1D70B8")
TITLE_FONT = Font(bold=True, size=14)
WRAPPED = Alignment(vertical="top", wrap_text=True)
MONTH_FORMAT = "mmm-yy"
#: Rows the drop-down lists and formats reach in the template.
TEMPLATE_ROWS = 500


def cell_value(column: layout.Column, value: Any) -> str | int | float | dt.date | None:
    """A stored value as the workbook writes it in ``column`` (None for blank)."""
    if value is None or value == []:
        return None
    kind = column.kind
    if kind in (layout.CHOICE, layout.YES_NO):
        return next(c.label for c in layout.CHOICES[column.choices] if c.code == value)
    if kind in (layout.START_MONTH, layout.END_MONTH):
        return value.first_day
    if kind == layout.PERCENT:
        return _number(Decimal(value) * 100)
    if kind == layout.NUMBER:
        return _number(value)
    if kind in (layout.REFERENCES, layout.TEXTS):
        return ", ".join(value)
    if kind == layout.COMPARATORS:
        return "; ".join(layout.comparator_text(column) for column in value)
    if kind == layout.INTEGER:
        return int(value)
    return str(value)


def _number(value):
    """A Decimal as the plainest number: 23 for 23.0000, 37.9 for 37.9000."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return float(value.normalize())


def setup_workbook(blank: bool = False) -> bytes:
    """The set-up workbook as bytes: the template when ``blank``, else what is stored."""
    stored = None if blank else stored_setup()
    workbook = Workbook()
    instructions = workbook.active
    assert instructions is not None  # a new workbook has its one sheet
    instructions.title = layout.INSTRUCTIONS
    _write_instructions(instructions)
    choices = _write_choices(workbook.create_sheet(layout.CHOICES_SHEET))
    for sheet in layout.SHEETS:
        rows = [] if stored is None else stored.rows(sheet)
        if sheet is layout.COUNCIL and stored is not None and not stored.council_saved:
            rows = []  # nothing stored yet: its first values come from the settings
        _write_sheet(workbook.create_sheet(sheet.name), sheet, rows, choices)
    workbook.properties.title = "Scorecard set-up workbook"
    workbook.properties.creator = "Scorecard"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _put(sheet, row, column, value):
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        # Stored as text, never a formula, whatever it starts with.
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def _write_sheet(worksheet, sheet, rows, choices):
    for index, column in enumerate(sheet.columns, start=1):
        cell = _put(worksheet, 1, index, column.header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = WRAPPED
        letter = get_column_letter(index)
        worksheet.column_dimensions[letter].width = column.width
        last = max(len(rows) + 1, TEMPLATE_ROWS)
        if column.choices:
            validation = DataValidation(
                type="list",
                formula1=choices[column.choices],
                allow_blank=True,
                showErrorMessage=False,  # other ways of writing a choice are read too
            )
            validation.add(f"{letter}2:{letter}{last}")
            worksheet.add_data_validation(validation)
        if column.kind in (layout.START_MONTH, layout.END_MONTH):
            for row in range(2, last + 1):
                worksheet.cell(row=row, column=index).number_format = MONTH_FORMAT
    worksheet.freeze_panes = "A2"
    for line, row in enumerate(rows, start=2):
        for index, column in enumerate(sheet.columns, start=1):
            value = cell_value(column, row.get(column.field))
            if value is not None:
                cell = _put(worksheet, line, index, value)
                if column.kind == layout.TEXT and len(str(value)) > 60:
                    cell.alignment = WRAPPED


def _write_choices(worksheet):
    """One column per choice list; {list name: the range a drop-down reads}."""
    ranges = {}
    for index, (name, choices) in enumerate(layout.CHOICES.items(), start=1):
        letter = get_column_letter(index)
        header = _put(worksheet, 1, index, name.replace("_", " ").capitalize())
        header.font = Font(bold=True)
        for line, choice in enumerate(choices, start=2):
            _put(worksheet, line, index, choice.label)
        worksheet.column_dimensions[letter].width = 30
        ranges[name] = f"{layout.CHOICES_SHEET}!${letter}$2:${letter}${len(choices) + 1}"
    return ranges


def _write_instructions(worksheet):
    worksheet.column_dimensions["A"].width = 28
    worksheet.column_dimensions["B"].width = 11
    worksheet.column_dimensions["C"].width = 80
    worksheet.column_dimensions["D"].width = 30
    lines = [
        "Setting up the scorecard from this workbook",
        (
            "Fill in a sheet per kind: the council, its priorities, indicators, targets, "
            "populations, LAIT links, the priorities' milestones and the quarterly report's "
            "sections. Upload the workbook as an administrator (Set up, in "
            "the header) or run 'manage.py import_setup FILE': you see every addition, change "
            "and problem (sheet, row, column, reason) before anything is saved, and it is "
            "saved all at once or not at all."
        ),
        (
            "Each sheet has its column headings in row 1 and one thing per row. A sheet you "
            "leave out changes nothing; rows are added or changed, never removed (remove "
            "things in Administration). A blank cell takes the default the column gives."
        ),
        (
            "Months: Oct-22, 01/10/2022 or a date cell. A target may end on a month's last "
            "day (31/03/2024 is March 2024) or a financial year (2023/24 runs April 2023 to "
            "March 2024). A trajectory's monthly targets are a straight line from its value "
            "in its first month to its goal in the goal month, each rounded half up to the "
            "indicator's decimal places."
        ),
        (
            "DfE's data first: the LAIT links sheet, and the Council sheet's DfE authority "
            "number and statistical-neighbour list, name things from DfE's LAIT data, so "
            "import it before this workbook (step 1 of the Set up page: Administration > "
            "LAIT measures > Import DfE LAIT data)."
        ),
    ]
    line = 1
    for text in lines:
        cell = _put(worksheet, line, 1, text)
        if line == 1:
            cell.font = TITLE_FONT
        else:
            worksheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=4)
            cell.alignment = WRAPPED
            worksheet.row_dimensions[line].height = 48
        line += 1
    for sheet in layout.SHEETS:
        line += 1
        _put(worksheet, line, 1, sheet.name).font = Font(bold=True, size=12)
        _put(worksheet, line, 3, sheet.help).alignment = WRAPPED
        line += 1
        for index, heading in enumerate(("Column", "Required", "What it holds", "Example"), 1):
            _put(worksheet, line, index, heading).font = Font(bold=True)
        for column in sheet.columns:
            line += 1
            _put(worksheet, line, 1, column.header)
            _put(worksheet, line, 2, "Required" if column.required else "")
            what = column.help or ""
            if column.choices:
                words = ", ".join(c.label for c in layout.CHOICES[column.choices])
                what = f"{what} One of: {words}.".strip()
            _put(worksheet, line, 3, what).alignment = WRAPPED
            if column.example:
                _put(worksheet, line, 4, column.example)
