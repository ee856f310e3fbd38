"""The first stage of an import: an uploaded file's bytes to rows of cells, or a refusal.

Checks what the file is before reading it (CSV or an Excel workbook, not too big, not a zip
bomb, not more rows, columns or cells than an import takes: a workbook's sheets are measured
by streaming their XML and counting rows and cells, with or without their ``r=`` references,
before openpyxl parses a row), then reads the CSV
with the standard ``csv`` module and the workbook with openpyxl (read-only, cached values
only: formulas are never evaluated). Both keep every cell as written
and every row where the spreadsheet has it, so row numbers are exact; openpyxl also gives the
number format, which tells a cell formatted as a percentage (it holds 0.52 for 52%).
"""

import codecs
import csv
import datetime as dt
import io
import itertools
import re
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: A workbook is a zip; refuse one that would unpack to more than this (a "zip bomb").
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
#: The header may sit below a title or two; it is looked for in this many first rows.
HEADER_SEARCH_ROWS = 10
#: The largest sheet an import reads: ten years of one row per figure for 400 indicators, or
#: a report layout of 80 years of months. Larger is refused before it is parsed.
MAX_ROWS = 50_000
MAX_COLUMNS = 1_000
#: Cells with something in them (a value or a style) in one sheet: what openpyxl builds.
MAX_CELLS = 1_000_000

#: A cell's value as read: text (all of a CSV's cells), a number, a date, a time or a
#: duration, or None for an empty cell.
Cell = str | int | float | Decimal | dt.date | dt.time | dt.timedelta | None
#: A sheet's rows of cells, every row where the spreadsheet has it.
Rows = list[list[Cell]]


class UploadRefused(Exception):
    """The file cannot be read at all. ``message`` says why, for the person uploading it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UploadTooLarge(UploadRefused):
    """A file refused for its size once unpacked (beyond a limit the message names)."""


def read_rows[HeaderT](
    data: bytes, filename: str, find_header: Callable[[Rows], HeaderT | None]
) -> tuple[Rows, HeaderT | None, list[str]]:
    """(rows, header found or None, notices) for an upload. ``find_header(rows)`` says where
    a sheet's header is (the workbook's first sheet with one is read)."""
    kind = check_file(data, filename)
    if kind == "csv":
        rows = _csv_rows(data, filename)
        return rows, find_header(rows), []
    sizes = check_workbook(data, file_name(filename))
    rows, found, sheet_notice = _xlsx_rows(data, filename, find_header, sizes)
    return rows, found, [sheet_notice] if sheet_notice else []


def _too_big(name, rows, columns, where=""):
    """The refusal of a sheet over MAX_ROWS or MAX_COLUMNS, with the numbers."""
    row_words = f"{rows:,} row{'s' if rows != 1 else ''}"
    column_words = f"{columns:,} column{'s' if columns != 1 else ''}"
    return UploadRefused(
        f"'{name}'{where} has {row_words} and {column_words}; the most that can be imported "
        f"is {MAX_ROWS:,} rows and {MAX_COLUMNS:,} columns. Delete the empty rows and "
        "columns below and beside the figures, or split the file into smaller ones."
    )


# Checking the file ------------------------------------------------------------------------
def file_name(filename: str | None) -> str:
    return PurePath(filename or "upload").name


def check_file(data: bytes, filename: str) -> str:
    name = file_name(filename)
    extension = PurePath(name).suffix.lower()
    if not data or not data.strip():
        raise UploadRefused(f"'{name}' is empty: there is nothing to import.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            f"'{name}' is {len(data) / 1024 / 1024:.1f} MB; the largest file that can be "
            f"imported is {MAX_UPLOAD_BYTES // 1024 // 1024} MB. Split it into smaller files."
        )
    if extension == ".xlsx":
        return "xlsx"
    if extension == ".csv":
        if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
            raise UploadRefused(
                f"'{name}' is a spreadsheet or zip file, not a CSV file, although its name "
                "ends .csv. Save it from Excel as 'CSV UTF-8', or upload the workbook as .xlsx."
            )
        return "csv"
    if extension in (".xls", ".xlsm", ".xlsb", ".ods"):
        raise UploadRefused(
            f"'{name}' cannot be read: only Excel Workbook (.xlsx) and CSV files can be "
            "imported. Save it from Excel as 'Excel Workbook (.xlsx)' or 'CSV UTF-8'."
        )
    kind = f"a {extension} file" if extension else "a file without a .csv or .xlsx ending"
    raise UploadRefused(
        f"'{name}' is {kind}: only CSV (.csv) and Excel Workbook (.xlsx) files can be imported."
    )


@dataclass(frozen=True)
class SheetLimits:
    """How big a workbook may be once unpacked: its zip members together (bytes), and each
    sheet's rows (to the last with a cell), columns and cells."""

    unpacked_bytes: int
    rows: int
    columns: int
    cells: int


def _limits() -> SheetLimits:
    # Read at each call, so a test may lower the module's constants.
    return SheetLimits(MAX_UNPACKED_BYTES, MAX_ROWS, MAX_COLUMNS, MAX_CELLS)


def check_workbook(data: bytes, name: str, limits: SheetLimits | None = None) -> dict:
    """{sheet member: (last row with a cell, last column with a cell)} for an Excel workbook's
    bytes, or ``UploadRefused`` for one that is not a workbook or is beyond ``limits`` once
    unpacked. Nothing is unpacked whole: members' declared sizes, then each sheet's XML
    streamed in chunks (rows and cells counted, none built)."""
    limits = limits or _limits()
    not_workbook = (
        f"'{name}' is not an Excel workbook, although its name ends .xlsx (it may be "
        "damaged, password-protected or another kind of file renamed). Open it in Excel and "
        "save it as 'Excel Workbook (.xlsx)' or 'CSV UTF-8'."
    )
    if not data.startswith(b"PK\x03\x04"):
        raise UploadRefused(not_workbook)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadRefused(not_workbook) from None
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise UploadRefused(
            f"'{name}' is a zip file but not an Excel workbook. Upload the spreadsheet "
            "itself, saved as 'Excel Workbook (.xlsx)' or 'CSV UTF-8'."
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.unpacked_bytes:
        raise UploadTooLarge(
            f"'{name}' is too large once unpacked to be imported: "
            f"{unpacked / 1024 / 1024:,.0f} MB, and the limit is "
            f"{limits.unpacked_bytes // 1024 // 1024:,} MB. Split it into smaller files."
        )
    sheets = [m.filename for m in members if _is_sheet(m.filename)]
    return _sheet_sizes(data, name, sheets, limits)


def _is_sheet(member):
    return member.startswith("xl/worksheets/") and member.endswith(".xml")


# A row's or a cell's start tag, and its reference when it has one: r="12" for a row, r="AB12"
# for a cell. References are optional (a row or cell without one follows the one before), so
# rows and cells are counted, not only their references read. Scanning for these measures a
# sheet without parsing it (openpyxl builds every row, empty ones too, up to the last).
_ROW_OR_CELL = re.compile(rb"<(row|c)(?=[\s/>])([^>]*)")
# The same with a namespace prefix (<x:row>), rarer and slower to look for.
_PREFIXED_ROW_OR_CELL = re.compile(rb"<(?:\w+:)?(row|c)(?=[\s/>])([^>]*)")
_REFERENCE = re.compile(rb'\sr="([A-Z]{0,3})([0-9]+)"')
_CELL_TAG = re.compile(rb"<(?:\w+:)?c(?=[\s/>])")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row(?=[\s/>])")
_ROW_NUMBER = re.compile(rb'<(?:\w+:)?row\s[^>]*?\br="([0-9]+)"')
_CHUNK = 1 << 20
#: Excel's own largest sheet: a row beyond it (even an empty one) was not written by Excel.
EXCEL_ROWS = 1_048_576


class _TooBig(Exception):
    """A sheet's scan stopped at the first limit it passed."""


@dataclass
class _SheetScan:
    limits: SheetLimits
    row: int = 0  # the row being read (empty rows count: later ones are numbered after them)
    column: int = 0  # the last cell's column in that row
    cells: int = 0
    last_row: int = 0  # the last row with a cell
    last_column: int = 0

    def read(self, block: bytes) -> None:
        limits = self.limits
        if not _CELL_TAG.search(block):
            self.skip_empty_rows(block)
            return
        pattern = _PREFIXED_ROW_OR_CELL if b":row" in block else _ROW_OR_CELL
        for tag, attributes in pattern.findall(block):
            reference = _REFERENCE.search(attributes) if b'r="' in attributes else None
            letters, number = reference.groups() if reference else (b"", b"")
            if tag == b"row":
                self.row = int(number) if number else self.row + 1
                self.column = 0
                if self.row > EXCEL_ROWS:
                    raise _TooBig(f"more than {EXCEL_ROWS:,} rows, more than Excel holds")
                continue
            self.cells += 1
            if letters:
                row, self.column = int(number), _column_number(letters)
            else:
                row, self.column = self.row, self.column + 1
            self.last_row = max(self.last_row, row)
            self.last_column = max(self.last_column, self.column)
            if self.last_row > limits.rows:
                raise _TooBig(f"more than {limits.rows:,} rows")
            if self.last_column > limits.columns:
                raise _TooBig(f"more than {limits.columns:,} columns")
            if self.cells > limits.cells:
                raise _TooBig(f"more than {limits.cells:,} cells")

    def skip_empty_rows(self, block: bytes) -> None:
        """Rows with no cell (Excel writes one for each formatted empty row): counted without
        a step of Python for each, so a flood of them is refused as fast as it is read."""
        tags = len(_ROW_TAG.findall(block))
        numbers = _ROW_NUMBER.findall(block)
        self.row = max(self.row, int(numbers[-1]) if numbers else 0) + tags - len(numbers)
        self.column = 0
        if self.row > EXCEL_ROWS:
            raise _TooBig(f"more than {EXCEL_ROWS:,} rows, more than Excel holds")


def _sheet_sizes(data, name, members, limits=None):
    """{sheet member: (last row with a cell, last column with a cell)}; refused when a sheet
    is beyond the limits. Reads each sheet's XML in chunks, in bounded memory, and stops at
    the first limit passed."""
    limits = limits or _limits()
    sizes = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in members:
                sizes[member] = _scan_sheet(archive, member, limits)
    except _TooBig as too_big:
        raise UploadTooLarge(
            f"'{name}' has a sheet with {too_big}; the most that can be imported is "
            f"{limits.rows:,} rows, {limits.columns:,} columns and {limits.cells:,} cells "
            "filled in a sheet. Delete the empty rows and columns below and beside the "
            "figures, or split the file into smaller ones."
        ) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise UploadRefused(
            f"'{name}' could not be read as an Excel workbook: it may be damaged. Open it "
            "in Excel, save it again as 'Excel Workbook (.xlsx)', and upload that."
        ) from None
    return sizes


def _scan_sheet(archive, member, limits):
    scan = _SheetScan(limits)
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            block = tail + chunk
            # A tag may straddle two chunks: keep the block's last tag for the next one.
            cut = block.rfind(b"<")
            block, tail = (block[:cut], block[cut:]) if cut > 0 else (block, b"")
            scan.read(block)
    scan.read(tail)
    return scan.last_row, scan.last_column


def _column_number(letters):
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


# Reading CSV ------------------------------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _decode(data, name):
    binary = UploadRefused(
        f"'{name}' is not a text CSV file: it holds binary data. Save the spreadsheet from "
        "Excel as 'CSV UTF-8', or upload the workbook as .xlsx."
    )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise binary from None
    elif b"\x00" in data:
        raise binary
    else:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise binary
    text = text.rstrip("\x1a")  # an old end-of-file mark
    if _CONTROL.search(text):
        raise binary
    return text


def _csv_rows(data, filename):
    name = file_name(filename)
    # At least as many lines as rows (a quoted cell may hold a line break): counted, not parsed.
    # A lone carriage return (an old Mac's line end) ends a row for the csv module too.
    lines = max(data.count(b"\n"), data.count(b"\r")) + (not data.endswith((b"\n", b"\r")))
    if lines > MAX_ROWS:
        raise _too_big(name, lines, _widest(data.split(b"\n", HEADER_SEARCH_ROWS)[:-1] or [data]))
    separators = max(data.count(b","), data.count(b";"), data.count(b"\t"))
    if separators + lines > MAX_CELLS:
        raise UploadRefused(
            f"'{name}' has more than {MAX_CELLS:,} cells; the most that can be imported is "
            f"{MAX_ROWS:,} rows, {MAX_COLUMNS:,} columns and {MAX_CELLS:,} cells. Delete the "
            "empty rows and columns below and beside the figures, or split the file."
        )
    text = _decode(data, name)
    # Commas unless the first lines clearly use semicolons or tabs (Excel in some locales,
    # or "Unicode text" saved with a .csv name).
    lines = (line for line in io.StringIO(text) if line.strip())
    sample = "".join(itertools.islice(lines, HEADER_SEARCH_ROWS))
    delimiter = max(",;\t", key=sample.count)
    if not sample.count(delimiter):
        delimiter = ","
    try:
        rows = [
            [cell or None for cell in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as error:
        raise UploadRefused(
            f"'{file_name(filename)}' could not be read as CSV ({error}). Save it from Excel as "
            "'CSV UTF-8' and try again."
        ) from None
    columns = max((len(row) for row in rows), default=0)
    if columns > MAX_COLUMNS:
        raise _too_big(name, len(rows), columns)
    return rows


def _widest(lines):
    """Roughly how many columns the first lines have (for the message only)."""
    return max(max(line.count(b","), line.count(b";"), line.count(b"\t")) + 1 for line in lines)


# Reading XLSX -----------------------------------------------------------------------------
def _xlsx_rows(data, filename, find_header, sizes):
    """(rows, (header index, layout) or None, notice about sheets) from the first sheet
    (the active one first) that has a recognisable header. ``sizes`` ({sheet member: (rows,
    columns)}) stops reading at a sheet's last cell: rows below it that are only formatted
    are never built."""
    import openpyxl  # imported here: only a workbook upload needs it

    name = file_name(filename)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any failure to open is the same answer to the user
        raise UploadRefused(
            f"'{name}' could not be read as an Excel workbook: it may be damaged. Open it "
            "in Excel, save it again as 'Excel Workbook (.xlsx)', and upload that."
        ) from None
    try:
        sheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
        active = workbook.active
        if active in sheets:
            sheets.remove(active)
            sheets.insert(0, active)
        for sheet in sheets:
            sheet.reset_dimensions()  # stored dimensions can be wrong: read every row
            head = _sheet_rows(sheet, limit=HEADER_SEARCH_ROWS)
            found = find_header(head)
            if found is None:
                continue
            last = sizes.get(str(getattr(sheet, "_worksheet_path", "")).lstrip("/"))
            rows = _sheet_rows(sheet, limit=last[0] if last else None)
            notice = None
            if len(workbook.sheetnames) > 1:
                notice = (
                    f"Only the sheet '{sheet.title}' was read; other sheets in the workbook "
                    "were not imported."
                )
            return rows, found, notice
        return [], None, None
    except UploadRefused:
        raise
    except Exception:  # noqa: BLE001 - a damaged sheet is the same answer to the user
        raise UploadRefused(
            f"'{name}' could not be read as an Excel workbook: it may be damaged. Open it "
            "in Excel, save it again as 'Excel Workbook (.xlsx)', and upload that."
        ) from None
    finally:
        workbook.close()


def read_sheets(data: bytes, filename: str) -> dict[str, Rows]:
    """{sheet title: rows} for every worksheet of an Excel workbook, in the workbook's order,
    after the same checks as any upload. A workbook with a sheet per kind (the set-up
    workbook, indicators/setup/) is read this way; a CSV file, which has one sheet, is
    refused."""
    import openpyxl  # imported here: only a workbook upload needs it

    name = file_name(filename)
    if check_file(data, filename) != "xlsx":
        raise UploadRefused(
            f"'{name}' is a CSV file: a set-up workbook is an Excel workbook (.xlsx) with a "
            "sheet for each kind of thing it sets up. Download the template and fill it in."
        )
    sizes = check_workbook(data, name)
    damaged = UploadRefused(
        f"'{name}' could not be read as an Excel workbook: it may be damaged. Open it "
        "in Excel, save it again as 'Excel Workbook (.xlsx)', and upload that."
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any failure to open is the same answer to the user
        raise damaged from None
    try:
        sheets = {}
        for sheet in workbook.worksheets:
            if hasattr(sheet, "iter_rows"):  # not a chart sheet
                sheet.reset_dimensions()  # stored dimensions can be wrong: read every row
                last = sizes.get(str(getattr(sheet, "_worksheet_path", "")).lstrip("/"))
                sheets[sheet.title] = _sheet_rows(sheet, limit=last[0] if last else None)
        return sheets
    except Exception:  # noqa: BLE001 - a damaged sheet is the same answer to the user
        raise damaged from None
    finally:
        workbook.close()


def _sheet_rows(sheet, limit=None):
    """Every row's cell values; a number in a cell formatted as a percentage becomes text
    like ``52.4%`` (the cell holds 0.524)."""
    percent_styles = {}
    rows = []
    if limit == 0:  # no cell at all (openpyxl reads a max_row of 0 as "to the end")
        return rows
    for cells in sheet.iter_rows(min_row=1, max_row=limit):
        row = []
        for cell in cells:
            value = cell.value
            if type(value) in (int, float):
                style = getattr(cell, "_style_id", 0)
                is_percent = percent_styles.get(style)
                if is_percent is None:
                    is_percent = "%" in _number_format(cell)
                    percent_styles[style] = is_percent
                if is_percent:
                    value = f"{format(Decimal(str(value)) * 100, 'f')}%"
            elif isinstance(value, str) and not value.strip():
                value = None
            row.append(value)
        rows.append(row)
    return rows


def _number_format(cell):
    try:
        return cell.number_format or ""
    except (AttributeError, IndexError, KeyError):
        return ""
