"""Reading a set-up workbook into checked rows, sheet by sheet. Nothing here touches the
database: what is already stored is the plan's business (planner.py).

The bytes become rows through the import pipeline's first stage (``imports.sheets``: the same
size and zip checks, openpyxl read-only, cached values only) and headers and cells are read
with its column helpers (``imports.columns``). Every problem names the sheet, the row and the
column a user sees in Excel, and the whole workbook is read, so one preview shows every
mistake at once.
"""

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from indicators.models import MAX_INDICATORS, Benchmark, validate_reference
from indicators.periods import FinancialYear, Month, Quarter, parse_end_month, parse_start_month
from intake.figure_import import columns as cells
from intake.figure_import.sheets import (
    HEADER_SEARCH_ROWS,
    Cell,
    UploadRefused,
    file_name,
    read_sheets,
)
from intake.setup import layout


class CellError(ValueError):
    """A cell that cannot be read; the message is the reason, for the user."""


#: The steps of the guided set-up (the *Set up* page) a problem can belong to: most are
#: fixed in the workbook; one naming DfE's data is fixed by importing it first.
STEP_DFE_DATA = 1
STEP_WORKBOOK = 2


@dataclass(frozen=True)
class SetupProblem:
    sheet: str
    row: int | None  # as Excel numbers it; None for the workbook as a whole
    column: str
    reason: str
    step: int = STEP_WORKBOOK  # the set-up step that fixes it

    @property
    def needs_dfe_data(self) -> bool:
        return self.step == STEP_DFE_DATA


@dataclass
class ReadRow:
    """One row of a sheet: its values by field (None where the cell is blank)."""

    row: int
    values: layout.Values
    headers: dict[str, str]  # field -> the header as written, for problems the plan finds


@dataclass
class ReadSheet:
    sheet: layout.Sheet
    title: str  # as the workbook names it
    rows: list[ReadRow] = field(default_factory=list)
    columns: set[str] = field(default_factory=set)  # the fields the sheet has a column for
    header_row: int = 1


@dataclass
class SetupWorkbook:
    sheets: dict[str, ReadSheet] = field(default_factory=dict)  # by layout sheet name
    problems: list[SetupProblem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def rows(self, sheet: layout.Sheet) -> list[ReadRow]:
        found = self.sheets.get(sheet.name)
        return found.rows if found else []

    def has(self, sheet: layout.Sheet, field_name: str) -> bool:
        found = self.sheets.get(sheet.name)
        return found is not None and field_name in found.columns


# Cells ------------------------------------------------------------------------------------
def read_text(cell: Cell, max_length: int | None = None) -> str | None:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, dt.datetime):
        cell = cell.date()
    text = cells.text(cell)
    if text is not None and max_length is not None and len(text) > max_length:
        raise CellError(f"it is {len(text)} characters long; at most {max_length} fit")
    return text


_GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


def _decimal(cell, what):
    if isinstance(cell, (bool, dt.date, dt.time)):
        raise CellError(f"'{cell}' is not {what}")
    if isinstance(cell, (int, float, Decimal)):
        return Decimal(str(cell))
    text = re.sub(r"\s+", "", str(cell))
    if _GROUPED.match(text):
        text = text.replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(f"'{cell}' is not {what}") from None
    if not number.is_finite():
        raise CellError(f"'{cell}' is not {what}")
    return number


def read_integer(cell: Cell, minimum: int | None = None, maximum: int | None = None) -> int | None:
    if cells.blank(cell):
        return None
    number = _decimal(cell, "a whole number")
    if number != number.to_integral_value():
        raise CellError(f"'{cell}' is not a whole number")
    number = int(number)
    if minimum is not None and number < minimum or maximum is not None and number > maximum:
        raise CellError(f"{number} is not between {minimum} and {maximum}")
    return number


_UNIT_MARKS = re.compile(r"^(?P<sign>-?)£?(?P<digits>[^%r£]+?)\s*(?:%|r)?$", re.IGNORECASE)


def read_number(cell: Cell) -> Decimal | None:
    """A number as a figure is written: ``37.9``, ``37.9%``, ``42.1r``, ``£1,200``, ``1,485``."""
    if cells.blank(cell):
        return None
    if isinstance(cell, str):
        match = _UNIT_MARKS.match(cell.strip())
        if match:
            cell = match["sign"] + match["digits"]
    number = _decimal(cell, "a number")
    if abs(number) >= Decimal("1e10"):
        raise CellError(f"{cell} is too large")
    return number


def read_percent(cell: Cell) -> Decimal | None:
    """A tolerance as a percentage (``15``, ``15%``, ``12.5``) as the fraction stored (0.15)."""
    if cells.blank(cell):
        return None
    number = read_number(cell)
    assert number is not None  # the cell is not blank
    if not 0 <= number <= 100:
        raise CellError(f"{cell} is not a percentage from 0 to 100")
    return number / 100


def read_choice(cell: Cell, choices: Sequence[layout.Choice]) -> str | bool | None:
    if cells.blank(cell):
        return None
    written = cells.key(read_text(cell))
    for choice in choices:
        if written in {cells.key(name) for name in (choice.label, *choice.also)}:
            return choice.code
    allowed = ", ".join(f"'{choice.label}'" for choice in choices)
    raise CellError(f"'{read_text(cell)}' is not one of {allowed}")


def read_reference(cell: Cell, max_length: int = 20) -> str | None:
    reference = cells.Lookup.reference(cell)
    if reference is None:
        return None
    if len(reference) > max_length:
        raise CellError(f"'{reference}' is longer than {max_length} characters")
    try:
        validate_reference(reference)
    except ValidationError as error:
        raise CellError(f"'{reference}': {error.messages[0]}") from None
    return reference


def read_references(cell: Cell) -> list[str]:
    """``21, 22, 23`` (or one per line, or separated by semicolons): the references in order."""
    if cells.blank(cell):
        return []
    if isinstance(cell, (int, float)):
        reference = read_reference(cell)
        assert reference is not None  # a number is a reference
        return [reference]
    found = []
    for part in re.split(r"[,;\n]", str(cell)):
        reference = read_reference(part.strip())
        if reference is None:
            continue
        if reference in found:
            raise CellError(f"{reference} is listed twice")
        found.append(reference)
    return found


_QUARTER = re.compile(r"^q\s*([1-4])\s+(\d{4})\s*[/-]\s*(\d{2})$", re.IGNORECASE)


def read_quarter(cell: Cell) -> str | None:
    """A quarter as the report prints it (``Q2 2023/24``; ``q2 2023-24`` is read too)."""
    text = read_text(cell)
    if text is None:
        return None
    match = _QUARTER.match(text)
    if not match:
        raise CellError(f"'{text}' is not a quarter written as Q2 2023/24")
    number, start, end = int(match[1]), int(match[2]), int(match[3])
    if (start + 1) % 100 != end:
        raise CellError(f"'{text}': a financial year runs from one year into the next")
    return Quarter(FinancialYear(start), number).label


def read_texts(cell: Cell, max_length: int | None = None) -> list[str]:
    """``2019/20, 2020/21, 2021/22`` (or one per line): the texts in order."""
    text = read_text(cell)
    if text is None:
        return []
    found = []
    for part in re.split(r"[,;\n]", text):
        item = part.strip()
        if not item:
            continue
        if max_length is not None and len(item) > max_length:
            raise CellError(f"'{item}' is longer than {max_length} characters")
        if item in found:
            raise CellError(f"'{item}' is listed twice")
        found.append(item)
    return found


_COMPARATOR = re.compile(
    r"^(?P<what>[^():]+?)\s*(?::\s*(?P<name>[^()]*?))?\s*(?:\((?P<period>[^()]*)\))?$"
)
_COMPARATOR_CODES = {cells.key(words): code for code, words in layout.COMPARATOR_WORDS.items()}


def read_comparators(cell: Cell) -> list[dict[str, str]]:
    """``England; Region: South West (2022/23)`` (or one per line): each comparator column as
    the quarterly report keeps it, ``{"comparator": "region", "name": "South West",
    "period": "2022/23"}`` (``layout.comparator_text`` writes it)."""
    text = read_text(cell)
    if text is None:
        return []
    found: list[dict[str, str]] = []
    allowed = ", ".join(f"'{words}'" for words in layout.COMPARATOR_WORDS.values())
    for part in re.split(r"[;\n]", text):
        if not part.strip():
            continue
        match = _COMPARATOR.match(part.strip())
        code = _COMPARATOR_CODES.get(cells.key(match["what"])) if match else None
        if match is None or code is None:
            raise CellError(
                f"'{part.strip()}' is not a comparator: {allowed} (Region: its name), "
                "separated by semicolons"
            )
        column = {"comparator": str(code)}
        for name in ("name", "period"):
            if match[name] and match[name].strip():
                if len(match[name].strip()) > 60:
                    raise CellError(f"'{match[name].strip()}' is longer than 60 characters")
                column[name] = match[name].strip()
        if "name" in column and code != Benchmark.Comparator.REGION:
            raise CellError(f"'{part.strip()}': only a region has a name")
        found.append(column)
    return found


def read_month(cell: Cell, read: Callable[[Cell], Month]) -> Month | None:
    if cells.blank(cell):
        return None
    try:
        return read(cell)
    except ValueError as error:
        raise CellError(str(error)) from None


def read_cell(column: layout.Column, cell: Cell) -> Any:
    """One cell of ``column`` as its kind reads it; None for a blank cell."""
    kind = column.kind
    if kind == layout.TEXT:
        return read_text(cell, column.max_length)
    if kind == layout.INTEGER:
        return read_integer(cell, column.minimum, column.maximum)
    if kind == layout.NUMBER:
        return read_number(cell)
    if kind == layout.PERCENT:
        return read_percent(cell)
    if kind in (layout.CHOICE, layout.YES_NO):
        return read_choice(cell, layout.CHOICES[column.choices])
    if kind == layout.START_MONTH:
        return read_month(cell, parse_start_month)
    if kind == layout.END_MONTH:
        return read_month(cell, parse_end_month)
    if kind == layout.REFERENCE:
        return read_reference(cell, column.max_length or 20)
    if kind == layout.REFERENCES:
        return read_references(cell)
    if kind == layout.QUARTER:
        return read_quarter(cell)
    if kind == layout.TEXTS:
        return read_texts(cell, column.max_length)
    if kind == layout.COMPARATORS:
        return read_comparators(cell)
    raise ValueError(f"Unknown column kind {kind!r}.")


# Sheets -----------------------------------------------------------------------------------
def _sheet_names(sheet):
    return {cells.key(sheet.name), *(cells.key(alias) for alias in sheet.aliases)}


def _column_names(column):
    return {cells.key(column.header), *(cells.key(alias) for alias in column.aliases)}


def _find_sheet(title):
    wanted = cells.key(title)
    return next((sheet for sheet in layout.SHEETS if wanted in _sheet_names(sheet)), None)


def _find_header(rows, sheet):
    """The index of the first row (of the first few) naming one of the sheet's columns."""
    names = set().union(*(_column_names(column) for column in sheet.columns))
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(cells.key(cell) in names for cell in row):
            return index
    return None


def read_setup(data: bytes, filename: str) -> "SetupWorkbook":
    """Read a set-up workbook's bytes into a ``SetupWorkbook``: each known sheet's rows with
    values read, and every problem. Raises ``UploadRefused`` for a file that cannot be read
    or holds none of the set-up sheets."""
    workbook = SetupWorkbook()
    found = read_sheets(data, filename)
    for title, rows in found.items():
        sheet = _find_sheet(title)
        if sheet is None:
            if cells.key(title) not in {cells.key(name) for name in layout.NOT_READ}:
                workbook.notices.append(
                    f"The sheet '{title}' was not read: it is not one of the set-up sheets "
                    f"({_sheet_list()})."
                )
            continue
        if sheet.name in workbook.sheets:
            workbook.problems.append(
                SetupProblem(title, None, "", f"a second '{sheet.name}' sheet: keep one")
            )
            continue
        workbook.sheets[sheet.name] = _read_sheet(sheet, title, rows, workbook)
    if not workbook.sheets:
        raise UploadRefused(
            f"'{file_name(filename)}' has none of the set-up sheets ({_sheet_list()}). "
            "Download the set-up template and fill it in."
        )
    return workbook


def _check_indicator_count(title: str, data_rows: list, workbook: SetupWorkbook) -> None:
    """A council has at most ``MAX_INDICATORS``: the first row beyond is a problem."""
    if len(data_rows) > MAX_INDICATORS:
        workbook.problems.append(
            SetupProblem(
                title,
                data_rows[MAX_INDICATORS][0],
                "Reference",
                f"a council may have at most {MAX_INDICATORS:,} indicators, and this sheet "
                f"has {len(data_rows):,}: this row is indicator {MAX_INDICATORS + 1:,}",
            )
        )


def _sheet_list():
    return ", ".join(sheet.name for sheet in layout.SHEETS)


def _read_sheet(sheet, title, rows, workbook):
    read = ReadSheet(sheet, title)
    header_index = _find_header(rows, sheet)
    if header_index is None:
        _no_header(sheet, title, rows, workbook)
        return read
    read.header_row = header_index + 1
    by_index = _header_columns(sheet, title, rows[header_index], read.header_row, workbook)
    read.columns = {column.field for column in by_index.values()}
    _missing_columns(sheet, title, read, workbook)
    data_rows = _data_rows(sheet, title, rows, header_index, workbook)
    if sheet is layout.INDICATORS:
        _check_indicator_count(title, data_rows, workbook)
    read.rows = _read_rows(sheet, title, data_rows, by_index, workbook)
    return read


def _no_header(sheet, title, rows, workbook):
    """A sheet with something in it but no header row is a problem; an empty one is not."""
    if any(not cells.blank(cell) for row in rows for cell in row):
        workbook.problems.append(
            SetupProblem(
                title,
                1,
                "",
                "no header row: the first row names the columns ("
                + ", ".join(column.header for column in sheet.columns)
                + ")",
            )
        )


def _missing_columns(sheet, title, read, workbook):
    for column in sheet.columns:
        if column.required and column.field not in read.columns:
            workbook.problems.append(
                SetupProblem(
                    title,
                    read.header_row,
                    column.header,
                    f"the sheet has no '{column.header}' column, and every row needs one",
                )
            )


def _data_rows(sheet, title, rows, header_index, workbook):
    """(the row's number in Excel, its cells) for each row below the header that is not blank;
    only the first of a one-row sheet."""
    data_rows = [(index + 1, row) for index, row in enumerate(rows) if index > header_index]
    data_rows = [(number, row) for number, row in data_rows if any(not cells.blank(c) for c in row)]
    if sheet.single_row and len(data_rows) > 1:
        workbook.problems.append(
            SetupProblem(title, data_rows[1][0], "", f"the {sheet.name} sheet has one row only")
        )
        data_rows = data_rows[:1]
    return data_rows


def _read_rows(sheet, title, data_rows, by_index, workbook):
    """The rows read without a problem; a row setting up the same thing as an earlier row is
    a problem, and left out."""
    found, seen = [], {}
    for number, row in data_rows:
        item, ok = _read_row(sheet, title, number, row, by_index, workbook)
        key = tuple(item.values.get(name) for name in sheet.key)
        if sheet.key and None not in key:
            if key in seen:
                headers = ", ".join(item.headers[name] for name in sheet.key)
                reason = f"the same as row {seen[key]}: each row sets up a different one"
                workbook.problems.append(SetupProblem(title, number, headers, reason))
                continue
            seen[key] = number
        if ok:
            found.append(item)
    return found


def _header_columns(sheet, title, header, header_row, workbook):
    """{cell index: layout.Column} for the header row's cells the sheet knows."""
    by_index, taken = {}, {}
    for index, cell in enumerate(header):
        name = cells.key(cell)
        if not name:
            continue
        column = next((c for c in sheet.columns if name in _column_names(c)), None)
        if column is None:
            workbook.notices.append(
                f"The column '{cells.display(cell, index)}' of the sheet '{title}' was not read."
            )
            continue
        if column.field in taken:
            reason = f"a second '{column.header}' column: keep one"
            workbook.problems.append(
                SetupProblem(title, header_row, cells.display(cell, index), reason)
            )
            continue
        taken[column.field] = index
        by_index[index] = column
    return by_index


def _read_row(sheet, title, number, row, by_index, workbook):
    """(the row's values, whether every cell could be read): each problem is reported."""
    values, ok = {}, True
    headers = {column.field: column.header for column in sheet.columns}
    for index, column in by_index.items():
        cell = cells.cell_at(row, index)
        try:
            value = read_cell(column, cell)
        except CellError as error:
            workbook.problems.append(SetupProblem(title, number, column.header, str(error)))
            ok = False
            continue
        if column.required and (value is None or value == []):
            reason = f"blank: every row needs a {column.header.lower()}"
            workbook.problems.append(SetupProblem(title, number, column.header, reason))
            ok = False
            continue
        values[column.field] = value
    return ReadRow(number, values, headers), ok
