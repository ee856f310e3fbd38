"""Reading an uploaded CSV or Excel file into checked figures. Nothing is written here.

Two layouts are recognised from the header row:

* the report layout, as the Highlight Report prints it: ``ID``, ``Description``, one column
  per month (``Jul-23``, ``Sep-2023``, ``2023-09``, ``September 2023`` or a real date cell),
  ``Target`` and ``Direction of travel`` (neither imported);
* one row per figure: ``reference``, ``month``, ``value`` and optionally ``numerator``,
  ``denominator``, ``status`` and ``commentary``.

Every problem is reported with the row and column a user sees in the spreadsheet (the header
is row 1 when it is the first row) and the rest of the file is still read, so one preview
shows every mistake at once. A file that cannot be read at all raises ``UploadRefused``.

The CSV is read with the standard ``csv`` module and the workbook with openpyxl (read-only,
cached values only: formulas are never evaluated). Both keep every cell as written and
every row where the spreadsheet has it, so row numbers are exact; openpyxl also gives the
number format, which tells a cell formatted as a percentage (it holds 0.52 for 52%).
"""

import codecs
import csv
import datetime as dt
import io
import itertools
import math
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import PurePath

from .parsing import (
    FigureError,
    ParsedFigure,
    parse_figure,
    parse_figure_parts,
    parse_status,
)
from .periods import MONTH_NAMES, Month

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: A workbook is a zip; refuse one that would unpack to more than this (a "zip bomb").
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
#: The header may sit below a title or two; it is looked for in this many first rows.
HEADER_SEARCH_ROWS = 10

REPORT = "report"
LONG = "long"

_REFERENCE = {
    "id",
    "ref",
    "reference",
    "indicator",
    "indicator id",
    "indicator ref",
    "indicator reference",
}
_MONTH = {"month", "period"}
_VALUE = {"value", "figure"}
_NUMERATOR = {"numerator"}
_DENOMINATOR = {"denominator"}
_STATUS = {"status"}
_COMMENTARY = {"commentary", "comment", "comments"}
_DESCRIPTION = {
    "description",
    "indicator description",
    "indicator name",
    "name",
    "measure",
    "headline performance measures",
}
_IGNORED = {
    "direction of travel",
    "direction",
    "dot",
    "rag",
    "rag status",
    "priority",
    "unit",
    "polarity",
}
TARGET_NOTICE = "The Target column was not imported: targets are changed by administrators."


class UploadRefused(Exception):
    """The file cannot be read at all. ``message`` says why, for the person uploading it."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class IndicatorSpec:
    reference: str
    unit: str
    decimal_places: int
    active: bool = True


@dataclass(frozen=True)
class ImportFigure:
    row: int
    column: str
    reference: str
    month: Month
    #: None only for a row that carries commentary and no figure.
    figure: ParsedFigure | None
    commentary: str | None = None


@dataclass(frozen=True)
class ImportProblem:
    row: int  # the spreadsheet row a user sees: the header is row 1 when it is the first row
    column: str  # the column's header as written (its letter when it has none)
    reason: str


@dataclass
class ParsedUpload:
    layout: str  # "report" | "long"
    figures: list[ImportFigure] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


# Entry point ------------------------------------------------------------------------------
def read_upload(data, filename, indicators, *, today):
    """Read ``data`` (the uploaded bytes) into figures, problems and notices.

    ``indicators`` maps reference to ``IndicatorSpec``; ``today`` decides which months are
    in the future. Raises ``UploadRefused`` when the file cannot be read at all.
    """
    kind = _check_file(data, filename)
    notices = []
    if kind == "csv":
        rows = _csv_rows(data, filename)
        found = _find_header(rows)
    else:
        rows, found, sheet_notice = _xlsx_rows(data, filename)
        if sheet_notice:
            notices.append(sheet_notice)
    if found is None:
        raise UploadRefused(
            f"No header row was found in '{_name(filename)}'. The first row must name the "
            "columns: either ID, Description and one column per month (Jul-23, Aug-23, "
            "...), or reference, month and value."
        )
    header_index, layout = found
    if header_index and any(not _blank(c) for row in rows[:header_index] for c in row):
        notices.append(
            f"Rows 1 to {header_index}, above the header, were not imported."
            if header_index > 1
            else "Row 1, above the header, was not imported."
        )
    lookup = _Lookup(indicators)
    reader = _ReportReader if layout == REPORT else _LongReader
    upload = ParsedUpload(layout, notices=notices)
    reader(rows, header_index, lookup, Month.from_date(today), upload).read()
    return upload


# Checking the file ------------------------------------------------------------------------
def _name(filename):
    return PurePath(filename or "upload").name


def _check_file(data, filename):
    name = _name(filename)
    extension = PurePath(name).suffix.lower()
    if not data or not data.strip():
        raise UploadRefused(f"'{name}' is empty: there is nothing to import.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            f"'{name}' is {len(data) / 1024 / 1024:.1f} MB; the largest file that can be "
            f"imported is {MAX_UPLOAD_BYTES // 1024 // 1024} MB. Split it into smaller files."
        )
    if extension == ".xlsx":
        _check_workbook(data, name)
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
    text = _decode(data, _name(filename))
    # Commas unless the first lines clearly use semicolons or tabs (Excel in some locales,
    # or "Unicode text" saved with a .csv name).
    lines = (line for line in io.StringIO(text) if line.strip())
    sample = "".join(itertools.islice(lines, HEADER_SEARCH_ROWS))
    delimiter = max(",;\t", key=sample.count)
    if not sample.count(delimiter):
        delimiter = ","
    try:
        return [
            [cell or None for cell in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as error:
        raise UploadRefused(
            f"'{_name(filename)}' could not be read as CSV ({error}). Save it from Excel as "
            "'CSV UTF-8' and try again."
        ) from None


# Reading XLSX -----------------------------------------------------------------------------
def _xlsx_rows(data, filename):
    """(rows, (header index, layout) or None, notice about sheets) from the first sheet
    (the active one first) that has a recognisable header."""
    import openpyxl  # imported here: only a workbook upload needs it

    name = _name(filename)
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
            found = _find_header(head)
            if found is None:
                continue
            rows = _sheet_rows(sheet)
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


# Header -----------------------------------------------------------------------------------
def _key(cell):
    if cell is None or isinstance(cell, (dt.date, dt.datetime)):
        return ""
    return re.sub(r"\s+", " ", str(cell)).strip().lower().rstrip(":").strip()


def _find_header(rows):
    """(index of the header row, layout) or None."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = [_key(cell) for cell in row]
        if not any(key in _REFERENCE for key in keys):
            continue
        if any(key in _MONTH for key in keys):
            return index, LONG
        if any(_month_or_none(cell) is not None for cell in row):
            return index, REPORT
    return None


def _display(cell, index):
    """A header as the user sees it; the column letter when it has none."""
    if isinstance(cell, (dt.date, dt.datetime)):
        return Month.from_date(cell).label
    text = "" if cell is None else re.sub(r"\s+", " ", str(cell)).strip()
    return text or _letter(index)


def _letter(index):
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# Months -----------------------------------------------------------------------------------
_MONTH_NUMBERS = {name.lower(): number for number, name in enumerate(MONTH_NAMES, 1)}
_MONTH_NUMBERS.update({name[:3].lower(): n for name, n in list(_MONTH_NUMBERS.items())})
_MONTH_NUMBERS["sept"] = 9
_ISO_MONTH = re.compile(r"^(\d{4})[-/](\d{1,2})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_NAMED = re.compile(r"^([a-z]+)\.?[\s\-/']*(\d{2}|\d{4})$")
_NUMERIC_MONTH = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_UK_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")


class _NotAMonth(ValueError):
    pass


def parse_month(raw):
    """A month header or cell: ``Sep-23``, ``Sep-2023``, ``2023-09``, ``September 2023``,
    ``09/2023``, a date (``01/09/2023``, ``2023-09-01``) or a date cell. Raises ValueError
    with a sentence for anything else."""
    if isinstance(raw, (dt.date, dt.datetime)):  # pandas Timestamps are datetimes too
        return Month.from_date(raw)
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return _parse_month_text(re.sub(r"\s+", " ", str(raw)).strip())


@lru_cache(maxsize=4096)
def _parse_month_text(text):
    lowered = text.lower()
    year = month = None
    if match := _ISO_MONTH.match(lowered):
        year, month = int(match[1]), int(match[2])
    elif match := _ISO_DATE.match(lowered):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
        _check_day(year, month, day, text)
    elif match := _NAMED.match(lowered):
        month = _MONTH_NUMBERS.get(match[1])
        year = int(match[2])
        year = 2000 + year if len(match[2]) == 2 else year
    elif match := _NUMERIC_MONTH.match(lowered):
        month, year = int(match[1]), int(match[2])
    elif match := _UK_DATE.match(lowered):
        day, month, year = int(match[1]), int(match[2]), int(match[3])
        _check_day(year, month, day, text)
    if year is None or month is None:
        raise _NotAMonth(f"'{text}' is not a month (write months like Sep-23)")
    try:
        return Month(year, month)
    except ValueError:
        raise _NotAMonth(f"'{text}' is not a month (write months like Sep-23)") from None


def _check_day(year, month, day, text):
    try:
        dt.date(year, month, day)
    except ValueError:
        raise _NotAMonth(f"'{text}' is not a month (write months like Sep-23)") from None


def _month_or_none(cell):
    if _blank(cell) or isinstance(cell, bool):
        return None
    try:
        return parse_month(cell)
    except ValueError:
        return None


# Cells ------------------------------------------------------------------------------------
def _blank(cell):
    if cell is None:
        return True
    if isinstance(cell, str):
        return not cell.strip()
    return isinstance(cell, float) and math.isnan(cell)


def _cell(row, index):
    if index is None or index >= len(row):
        return None
    return row[index]


def _text(cell):
    if _blank(cell):
        return None
    return str(cell).strip()


def _figure_cell(cell):
    """A cell as ``parse_figure`` reads it; a date is refused here with its own reason."""
    if isinstance(cell, (dt.date, dt.datetime, dt.time)):
        raise FigureError(f"the cell holds a date or time ({cell}), not a figure")
    return cell


class _Lookup:
    """Indicator references as written in a file: ``69``, ``69.0`` (Excel), `` 69 ``."""

    def __init__(self, indicators):
        self.indicators = indicators
        self.folded = {str(ref).strip().lower(): spec for ref, spec in indicators.items()}

    @staticmethod
    def reference(cell):
        if _blank(cell):
            return None
        if isinstance(cell, float) and cell.is_integer():
            return str(int(cell))
        if isinstance(cell, Decimal) and cell == cell.to_integral_value():
            return str(int(cell))
        text = re.sub(r"\s+", " ", str(cell)).strip()
        if re.fullmatch(r"\d+\.0+", text):
            text = text.split(".")[0]
        return text

    def find(self, reference):
        spec = self.indicators.get(reference)
        if spec is None:
            spec = self.folded.get(reference.lower())
        return spec


# Layouts ----------------------------------------------------------------------------------
class _Reader:
    def __init__(self, rows, header_index, lookup, current, upload):
        self.rows = rows
        self.header_index = header_index
        self.header = rows[header_index]
        self.lookup = lookup
        self.current = current
        self.upload = upload
        self.seen = {}  # (reference, month) -> first row

    @property
    def header_row(self):
        return self.header_index + 1

    def problem(self, row, column, reason):
        self.upload.problems.append(ImportProblem(row, column, reason))

    def data_rows(self):
        for index in range(self.header_index + 1, len(self.rows)):
            yield index + 1, self.rows[index]

    def check_unlabelled(self, unlabelled):
        """A column with figures but no header is reported once, on the header row (cells
        beyond the header's last column count as such columns too)."""
        width = max((len(row) for _, row in self.data_rows()), default=0)
        for index in [*unlabelled, *range(len(self.header), width)]:
            if any(not _blank(_cell(row, index)) for _, row in self.data_rows()):
                self.problem(
                    self.header_row,
                    _letter(index),
                    "this column has no header, so it was not imported",
                )

    def indicator(self, row, column, reference):
        """The indicator's spec, or None after reporting why not."""
        spec = self.lookup.find(reference)
        if spec is None:
            self.problem(row, column, f"there is no indicator with ID '{reference}'")
            return None
        if not spec.active:
            self.problem(
                row,
                column,
                f"indicator {spec.reference} is no longer active, so figures cannot be "
                "imported for it",
            )
            return None
        return spec

    def in_future(self, month):
        return month > self.current

    def future_reason(self, month):
        return (
            f"{month.label} is in the future: figures can only be entered for months that "
            f"have begun (the latest is {self.current.label})"
        )

    def duplicate(self, row, reference, month):
        """The first row holding this figure, or None (and remembers this one)."""
        key = (reference, month)
        first = self.seen.get(key)
        if first is None:
            self.seen[key] = row
        return first

    def duplicate_reason(self, reference, month, first):
        return (
            f"ID {reference} for {month.label} is already on row {first}; each figure can "
            "appear only once in a file, so this one was not imported"
        )


class _ReportReader(_Reader):
    """ID, Description, one column per month, Target, Direction of travel."""

    def read(self):
        reference_index = None
        months = []  # (index, month, header shown)
        commentary_index = None
        unlabelled = []
        by_month = {}
        for index, cell in enumerate(self.header):
            key = _key(cell)
            shown = _display(cell, index)
            if key in _REFERENCE and reference_index is None:
                reference_index = index
            elif key in _DESCRIPTION or key in _IGNORED or key in _REFERENCE:
                continue
            elif key == "target" or key.startswith("target "):
                if TARGET_NOTICE not in self.upload.notices:
                    self.upload.notices.append(TARGET_NOTICE)
            elif key in _COMMENTARY and commentary_index is None:
                commentary_index = index
            elif _blank(cell):
                unlabelled.append(index)
            else:
                try:
                    month = parse_month(cell)
                except ValueError as error:
                    self.problem(self.header_row, shown, str(error))
                    continue
                if month in by_month:
                    self.problem(
                        self.header_row,
                        shown,
                        f"this is the same month as column '{by_month[month]}', so it "
                        "was not imported",
                    )
                    continue
                by_month[month] = shown
                months.append((index, month, shown))
        self.check_unlabelled(unlabelled)
        reference_shown = _display(self.header[reference_index], reference_index)
        commentary_month = self.commentary_month(months, commentary_index)
        figures = self.upload.figures
        for row_number, row in self.data_rows():
            filled = [
                (index, month, shown, row[index])
                for index, month, shown in months
                if index < len(row) and not _blank(row[index])
            ]
            commentary = _text(_cell(row, commentary_index))
            if commentary_month is None:
                commentary = None
            if not filled and not commentary:
                continue  # a blank row, or a heading between tables
            reference = self.lookup.reference(_cell(row, reference_index))
            if reference is None:
                self.problem(row_number, reference_shown, "this row has figures but no ID")
                continue
            spec = self.indicator(row_number, reference_shown, reference)
            if spec is None:
                continue
            reference = spec.reference
            commented = False
            for _index, month, shown, cell in filled:
                if self.in_future(month):
                    self.problem(row_number, shown, self.future_reason(month))
                    continue
                first = self.duplicate(row_number, reference, month)
                if first is not None:
                    self.problem(
                        row_number,
                        shown,
                        self.duplicate_reason(reference, month, first),
                    )
                    continue
                try:
                    figure = parse_figure(_figure_cell(cell), spec.unit)
                except FigureError as error:
                    self.problem(row_number, shown, error.reason)
                    continue
                note = None
                if commentary and month == commentary_month:
                    note, commented = commentary, True
                figures.append(ImportFigure(row_number, shown, reference, month, figure, note))
            in_filled = any(month == commentary_month for _, month, _, _ in filled)
            if commentary and not commented and not in_filled:
                # Commentary with no figure for its month in this row.
                shown = _display(self.header[commentary_index], commentary_index)
                first = self.duplicate(row_number, reference, commentary_month)
                if first is not None:
                    self.problem(
                        row_number,
                        shown,
                        self.duplicate_reason(reference, commentary_month, first),
                    )
                else:
                    figures.append(
                        ImportFigure(
                            row_number,
                            shown,
                            reference,
                            commentary_month,
                            None,
                            commentary,
                        )
                    )

    def commentary_month(self, months, commentary_index):
        """Commentary in the report layout is for the latest month the file has (not in the
        future); a notice says so."""
        if commentary_index is None:
            return None
        candidates = [month for _, month, _ in months if not self.in_future(month)]
        if not candidates:
            return None
        month = max(candidates)
        self.upload.notices.append(
            f"The Commentary column was read as commentary for {month.label}, the latest "
            "month in the file."
        )
        return month


class _LongReader(_Reader):
    """One row per figure: reference, month, value, numerator, denominator, status,
    commentary."""

    ROLES = (
        ("reference", _REFERENCE),
        ("month", _MONTH),
        ("value", _VALUE),
        ("numerator", _NUMERATOR),
        ("denominator", _DENOMINATOR),
        ("status", _STATUS),
        ("commentary", _COMMENTARY),
    )

    def read(self):
        index_of, shown_of, unlabelled = {}, {}, []
        for index, cell in enumerate(self.header):
            key = _key(cell)
            role = next((name for name, keys in self.ROLES if key in keys), None)
            if role is not None:
                if role == "reference" and role in index_of:
                    continue  # "ID" then "Indicator" (its name): the first is the reference
                if role not in index_of:
                    index_of[role] = index
                    shown_of[role] = _display(cell, index)
                else:
                    self.problem(
                        self.header_row,
                        _display(cell, index),
                        f"there is already a {role} column ('{shown_of[role]}'), so this "
                        "one was not imported",
                    )
            elif key in _DESCRIPTION or key in _IGNORED:
                continue
            elif key == "target" or key.startswith("target "):
                if TARGET_NOTICE not in self.upload.notices:
                    self.upload.notices.append(TARGET_NOTICE)
            elif _blank(cell):
                unlabelled.append(index)
            else:
                self.problem(
                    self.header_row,
                    _display(cell, index),
                    f"'{_display(cell, index)}' is not a column this import reads (reference, "
                    "month, value, numerator, denominator, status, commentary)",
                )
        if not (
            "value" in index_of
            or {"numerator", "denominator"} <= index_of.keys()
            or "commentary" in index_of
        ):
            raise UploadRefused(
                "The file has reference and month columns but no value column. Add a column "
                "headed 'value' (or 'numerator' and 'denominator')."
            )
        self.check_unlabelled(unlabelled)
        self.read_rows(index_of, shown_of)

    def read_rows(self, index_of, shown_of):
        ref_i, month_i = index_of["reference"], index_of["month"]
        value_i = index_of.get("value")
        num_i, den_i = index_of.get("numerator"), index_of.get("denominator")
        status_i, comment_i = index_of.get("status"), index_of.get("commentary")
        ref_col, month_col = shown_of["reference"], shown_of["month"]
        figure_col = shown_of.get("value") or shown_of.get("numerator") or ref_col
        columns = {
            "value": figure_col,
            "numerator": shown_of.get("numerator", figure_col),
            "denominator": shown_of.get("denominator", figure_col),
            "status": shown_of.get("status", figure_col),
        }
        find, lookup_reference = self.lookup.find, self.lookup.reference
        figures, skipped = self.upload.figures, 0
        for row_number, row in self.data_rows():
            width = len(row)
            raw_ref = row[ref_i] if ref_i < width else None
            raw_month = row[month_i] if month_i < width else None
            value = row[value_i] if value_i is not None and value_i < width else None
            numerator = row[num_i] if num_i is not None and num_i < width else None
            denominator = row[den_i] if den_i is not None and den_i < width else None
            status = row[status_i] if status_i is not None and status_i < width else None
            commentary = (
                _text(row[comment_i]) if comment_i is not None and comment_i < width else None
            )
            has_content = not (
                _blank(value)
                and _blank(numerator)
                and _blank(denominator)
                and _blank(status)
                and commentary is None
            )
            if not has_content:
                if not (_blank(raw_ref) and _blank(raw_month)):
                    skipped += 1
                continue
            reference = lookup_reference(raw_ref)
            spec = None
            if reference is None:
                self.problem(row_number, ref_col, "the reference is missing")
            else:
                spec = find(reference)
                if spec is None or not spec.active:
                    spec = self.indicator(row_number, ref_col, reference)
            month = None
            if _blank(raw_month):
                self.problem(row_number, month_col, "the month is missing")
            else:
                try:
                    month = parse_month(raw_month)
                except ValueError as error:
                    self.problem(row_number, month_col, str(error))
            if spec is None or month is None:
                continue
            reference = spec.reference
            if self.in_future(month):
                self.problem(row_number, month_col, self.future_reason(month))
                continue
            first = self.duplicate(row_number, reference, month)
            if first is not None:
                self.problem(row_number, ref_col, self.duplicate_reason(reference, month, first))
                continue
            try:
                figure = parse_figure_parts(
                    _figure_cell(value),
                    numerator,
                    denominator,
                    spec.unit,
                    decimal_places=spec.decimal_places,
                    status=parse_status(status),
                )
            except FigureError as error:
                self.problem(row_number, columns.get(error.field, figure_col), error.reason)
                continue
            if figure is None and commentary is None:
                skipped += 1
                continue
            figures.append(
                ImportFigure(row_number, figure_col, reference, month, figure, commentary)
            )
        if skipped:
            rows = "row has" if skipped == 1 else "rows have"
            self.upload.notices.append(
                f"{skipped} {rows} no figure and {'was' if skipped == 1 else 'were'} not imported."
            )
