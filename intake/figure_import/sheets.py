"""The first stage of an import: an uploaded file's bytes to rows of cells, or a refusal.

Checks what the file is before reading it (CSV or an Excel workbook, not too big, not a zip
bomb, not more rows or columns than an import takes: a workbook's sheets are measured by
scanning their XML for cell references, before openpyxl parses a row), then reads the CSV
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


def read_rows[HeaderT](
    data: bytes, filename: str, find_header: Callable[[Rows], HeaderT | None]
) -> tuple[Rows, HeaderT | None, list[str]]:
    """(rows, header found or None, notices) for an upload. ``find_header(rows)`` says where
    a sheet's header is (the workbook's first sheet with one is read)."""
    kind = check_file(data, filename)
    if kind == "csv":
        rows = _csv_rows(data, filename)
        return rows, find_header(rows), []
    sizes = _check_workbook(data, file_name(filename))
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


def _check_workbook(data, name):
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
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise UploadRefused(
            f"'{name}' is too large once unpacked to be imported. Split it into smaller files."
        )
    return _sheet_sizes(data, name, [m.filename for m in members if _is_sheet(m.filename)])


def _is_sheet(member):
    return member.startswith("xl/worksheets/") and member.endswith(".xml")


# A cell's reference, r="AB12": its column letters and row number. Scanning for these reads
# a sheet's size without parsing it (openpyxl builds every row, empty ones too, up to the last).
_CELL_REFERENCE = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]+)"')
_CHUNK = 1 << 20


def _sheet_sizes(data, name, members):
    """{sheet member: (last row with a cell, last column with a cell)}; refused when a sheet
    is beyond MAX_ROWS or MAX_COLUMNS. Reads each sheet's XML in chunks, in bounded memory."""
    sizes = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in members:
                sizes[member] = _scan_sheet(archive, member)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise UploadRefused(
            f"'{name}' could not be read as an Excel workbook: it may be damaged. Open it "
            "in Excel, save it again as 'Excel Workbook (.xlsx)', and upload that."
        ) from None
    for rows, columns in sizes.values():
        if rows > MAX_ROWS or columns > MAX_COLUMNS:
            raise _too_big(name, rows, columns)
    return sizes


def _scan_sheet(archive, member):
    last_row = last_column = 0
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            block = tail + chunk
            # A tag may straddle two chunks: keep the block's last tag for the next one.
            cut = block.rfind(b"<")
            block, tail = (block[:cut], block[cut:]) if cut > 0 else (block, b"")
            for match in _CELL_REFERENCE.finditer(block):
                last_row = max(last_row, int(match[2]))
                last_column = max(last_column, _column_number(match[1]))
    for match in _CELL_REFERENCE.finditer(tail):
        last_row = max(last_row, int(match[2]))
        last_column = max(last_column, _column_number(match[1]))
    return last_row, last_column


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
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    if lines > MAX_ROWS:
        raise _too_big(name, lines, _widest(data.split(b"\n", HEADER_SEARCH_ROWS)[:-1] or [data]))
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
                sheets[sheet.title] = _sheet_rows(sheet)
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
