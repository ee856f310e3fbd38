"""Exports of the scorecard and of an indicator's history, as CSV and as XLSX.

CSV is machine-readable: one row per indicator and priority, unformatted numbers, ISO months
in the header. XLSX is for people: formatted headers, real numbers with a number format that
matches each unit, RAG and direction of travel as words.

Every text cell goes through ``neutralise`` first, so a description or a comment that begins
like a formula (``=HYPERLINK(...)``, ``+1+1``, ``@SUM(A1)``) is shown, never run, by the
spreadsheet that opens the file (OWASP, "CSV injection"). Numbers are written as numbers and
are never neutralised: a negative figure stays a number.
"""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from indicators import rules, units
from indicators.models import Council
from indicators.numbers import plain
from indicators.periods import Month

SCORECARD_CSV_FIXED = ["reference", "description", "priority", "unit", "polarity"]
SCORECARD_CSV_TAIL = [
    "target_value",
    "target_label",
    "rag",
    "direction",
    "judgement",
    "variation",
    "assurance",
]
# The shown months whose figure was revised after publication (ISO, ";" between).
SCORECARD_CSV_REVISED = ["revised"]

HISTORY_CSV_HEADER = [
    "month",
    "value",
    "numerator",
    "denominator",
    "status",
    "target_value",
    "target_label",
    "rag",
    "direction",
    "judgement",
    "synthetic",
    "commentary",
    "revised",  # "Revised on 3 Nov 2023 from 57.0%: <reason>", blank when not revised
]

# DfE LAIT benchmarks (issue 13), after the other columns: the year a row's month compares
# with (row.benchmark), unformatted; the council's own DfE figure, band and rank are "x"
# where they are withheld beside a suppressed figure (indicators.benchmarks.shown). Blank for
# an indicator with no LAIT measure.
BENCHMARK_CSV_HEADER = [
    "benchmark_measure",
    "benchmark_dfe_year",
    "benchmark_year",
    "benchmark_status",
    "benchmark_council",
    "benchmark_england",
    "benchmark_region_name",
    "benchmark_region",
    "benchmark_statistical_neighbours",
    "benchmark_quartile",
    "benchmark_rank",
    "benchmark_authorities",
]
# An indicator's history: the comparators of the year each month stands beside.
HISTORY_BENCHMARK_CSV_HEADER = [
    "benchmark_year",
    "benchmark_england",
    "benchmark_region",
    "benchmark_statistical_neighbours",
]

# A cell that begins with one of these may be read as a formula by a spreadsheet.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NOT_AVAILABLE_TEXT = "Not available"
XLSX_MAX_CELL_TEXT = 32767  # Excel's limit; a longer cell makes Excel "repair" the file.


def neutralise(value):
    """A text cell that a spreadsheet could run as a formula, prefixed with ``'`` so it is
    shown as text. Anything that is not text (numbers, dates, None) is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _csv_cell(value):
    """One CSV field: numbers unformatted (never neutralised), text neutralised."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        # Decimal('52.0000') -> '52'; every significant digit, no exponent notation.
        return plain(value, normalise=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    # Neutralise first (a leading carriage return is a trigger), then make every line break
    # a line feed: with "\n" as the line terminator, the csv module would leave a field
    # holding a bare "\r" unquoted, and a reader would split the row there.
    return neutralise(str(value)).replace("\r\n", "\n").replace("\r", "\n")


def spc_words(row):
    """The row's SPC variation and assurance as the pages word them (never a rule code)."""
    result = row.spc
    if result is None:
        return "Not enough data (under 12 months)", "Not enough data"
    return result.variation.label, result.assurance.label if result.assurance else "No target"


def _target_source(span, indicator):
    """The target's label, or what a trajectory or an anticipated range is (its value
    column is empty for a range)."""
    return rules.target_source(span, indicator.unit, indicator.decimal_places)


def _hidden(row, month):
    """Shown as "x" (rules.suppression), including a figure stored as suppressed."""
    return row.figure(month) is not None and row.is_suppressed(month)


def draft_notice(draft_months):
    """The words every export of an editor's draft figures carries: "DRAFT: Oct-23 is not
    published ..."; "" when every month is published."""
    if not draft_months:
        return ""
    names = ", ".join(month.label for month in draft_months)
    verb = "is" if len(draft_months) == 1 else "are"
    return f"DRAFT: {names} {verb} not published; these figures may change."


def _write_draft_footer(writer, draft_months):
    # A last row, after the figures: the header stays the first row for machine readers.
    if draft_months:
        writer.writerow(["DRAFT", draft_notice(draft_months)])


# DfE benchmarks -------------------------------------------------------------------------
def _withheld(year, value):
    return rules.SUPPRESSED_MARK if year.council_withheld else value


def benchmark_cells(shown):
    """A row's ``BENCHMARK_CSV_HEADER`` cells (``row.benchmark``, or None)."""
    if shown is None:
        return [None] * len(BENCHMARK_CSV_HEADER)
    year = shown.latest
    published = year.year
    return [
        shown.measure_code,
        published.year,
        published.label,
        published.status,
        _withheld(year, published.area_value),
        published.england,
        published.region_name,
        published.region,
        published.statistical_neighbours,
        _withheld(year, published.quartile),
        _withheld(year, published.rank),
        published.authorities,
    ]


def history_benchmark_cells(shown, month):
    """The ``HISTORY_BENCHMARK_CSV_HEADER`` cells of ``month`` (blank beside no year)."""
    year = shown.year_beside(month) if shown is not None else None
    if year is None:
        return [None] * len(HISTORY_BENCHMARK_CSV_HEADER)
    published = year.year
    return [year.period, published.england, published.region, published.statistical_neighbours]


# Scorecard CSV ----------------------------------------------------------------------------
def scorecard_csv_header(scorecard):
    header = (
        SCORECARD_CSV_FIXED
        + [m.iso for m in scorecard.shown_months]
        + SCORECARD_CSV_TAIL
        + SCORECARD_CSV_REVISED
        + BENCHMARK_CSV_HEADER
    )
    return [_csv_cell(name) for name in header]


def _csv_figure(row, month):
    if _hidden(row, month):
        return rules.SUPPRESSED_MARK
    return row.value(month)


def scorecard_csv_rows(scorecard):
    for row in scorecard.rows:
        indicator = row.indicator
        cells = (
            [
                indicator.reference,
                indicator.description,
                row.priority_number,
                indicator.unit,
                indicator.polarity,
            ]
            + [_csv_figure(row, month) for month in scorecard.shown_months]
            + [
                row.target.value if row.target else None,
                _target_source(row.target, indicator),
                row.rag.value,
                row.direction.arrow.value,
                row.direction.judgement.value,
                *spc_words(row),
                ";".join(month.iso for month in row.revised_months),
            ]
            + benchmark_cells(row.benchmark)
        )
        yield [_csv_cell(cell) for cell in cells]


def write_scorecard_csv(scorecard, stream):
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(scorecard_csv_header(scorecard))
    writer.writerows(scorecard_csv_rows(scorecard))
    _write_draft_footer(writer, scorecard.draft_months)


# Indicator history ------------------------------------------------------------------------
def _history_lines(history):
    """(record, figure, target span, commentary) for each month, newest first."""
    row = history.row
    comments = {Month.from_date(c.period): c.text for c in history.commentaries}
    for record in history.records:
        yield (
            record,
            row.figure(record.month),
            rules.target_for(record.month, row.target_spans),
            comments.get(record.month, ""),
        )


def indicator_history_csv(history, stream):
    """One row per month, newest first, as the indicator page lists them."""
    row = history.row
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([_csv_cell(name) for name in HISTORY_CSV_HEADER + HISTORY_BENCHMARK_CSV_HEADER])
    for record, figure, span, comment in _history_lines(history):
        hidden = _hidden(row, record.month)
        cells = [
            record.month.iso,
            rules.SUPPRESSED_MARK if hidden else figure.value,
            None if hidden else figure.numerator,
            None if hidden else figure.denominator,
            figure.status,
            span.value if span else None,
            _target_source(span, row.indicator),
            record.rag.value,
            record.direction.arrow.value,
            record.direction.judgement.value,
            figure.synthetic,
            comment,
            record.revision_text,
            *history_benchmark_cells(row.benchmark, record.month),
        ]
        writer.writerow([_csv_cell(cell) for cell in cells])
    _write_draft_footer(writer, history.draft_months)


# XLSX -------------------------------------------------------------------------------------
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


def _put(sheet, row, column, value, number_format=None, alignment=TOP):
    """Write one cell: text is cleaned and neutralised; numbers and dates stay as they are."""
    if isinstance(value, str):
        value = _text(value)
    cell = sheet.cell(row=row, column=column, value=value)
    if number_format and isinstance(value, Decimal | int | float | dt.date):
        cell.number_format = number_format
    cell.alignment = alignment
    return cell


def _put_figure(sheet, row, column, figure, hidden, number_format):
    """A month's figure: a number, "x" when suppressed, "Not available", or empty."""
    if figure is None:
        return None
    if hidden:
        return _put(sheet, row, column, rules.SUPPRESSED_MARK, alignment=TOP_RIGHT)
    if figure.status == rules.NOT_AVAILABLE or figure.value is None:
        return _put(sheet, row, column, NOT_AVAILABLE_TEXT, alignment=TOP_RIGHT)
    return _put(sheet, row, column, figure.value, number_format)


def _put_rag(sheet, row, column, rag):
    cell = _put(sheet, row, column, rag.label)
    if rag in RAG_FILLS:
        cell.fill = RAG_FILLS[rag]
    return cell


def _judgement(direction):
    return direction.judgement.value.capitalize()


def _start_sheet(sheet, title, headers, widths, draft_months=(), council_name=""):
    """Title in row 1 (led by the draft notice when the sheet holds drafts); a bold, filled
    header row 2 with the panes frozen below it."""
    heading = f"{council_name}: {title}" if council_name else title
    if draft_months:
        heading = f"{draft_notice(draft_months)} {heading}"
    _put(sheet, 1, 1, heading).font = TITLE_FONT
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = _put(sheet, 2, column, header, alignment=HEADER_ALIGNMENT)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _finish_sheet(sheet, column_count, last_row):
    sheet.auto_filter.ref = f"A2:{get_column_letter(column_count)}{max(last_row, 2)}"


def _add_key(workbook, key):
    """A "Key" sheet: the key the pages print (``indicators.key``), one mark to a row with
    the words it carries in tables (where it has any) and what it means."""
    sheet = workbook.create_sheet("Key")
    for column, width in (("A", 28), ("B", 45), ("C", 90)):
        sheet.column_dimensions[column].width = width
    _put(sheet, 1, 1, "Key").font = TITLE_FONT
    line = 2
    for section in key:
        line += 1
        _put(sheet, line, 1, section.title).font = Font(bold=True)
        for entry in section.entries:
            line += 1
            _put(sheet, line, 1, entry.term)
            if entry.name:
                _put(sheet, line, 2, entry.name, alignment=TOP_WRAPPED)
                _put(sheet, line, 3, entry.meaning, alignment=TOP_WRAPPED)
            else:
                _put(sheet, line, 2, entry.meaning, alignment=TOP_WRAPPED)
    return sheet


def _workbook_bytes(workbook, title, council_name=""):
    workbook.properties.title = title
    workbook.properties.creator = council_name or "Scorecard"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def scorecard_xlsx(scorecard, key):
    """The scorecard for a month as an Excel workbook (bytes): one row per indicator and
    priority, the months shown, target, RAG, direction of travel, commentary, SPC variation
    and assurance, and a key."""
    months = scorecard.shown_months
    headers = [
        "ID",
        "Description",
        "Priority",
        "Unit",
        "Polarity",
        *[month.label for month in months],
        "Target",
        "Target source",
        "RAG",
        "Direction of travel",
        "Judgement",
        "Commentary",
        "Variation (SPC)",
        "Assurance (SPC)",
        "Revised",
        *BENCHMARK_XLSX_HEADERS,
    ]
    widths = [7, 60, 9, 16, 18, *[11] * len(months), 10, 14, 10, 30, 14, 70, 30, 24, 50]
    widths += BENCHMARK_XLSX_WIDTHS
    title = f"Children's services scorecard – {scorecard.month.long_label}"

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Scorecard {scorecard.month.iso}"
    council_name = Council.current().name
    _start_sheet(sheet, title, headers, widths, scorecard.draft_months, council_name)

    line = 2
    for line, row in enumerate(scorecard.rows, start=3):
        indicator = row.indicator
        unit_format = units.get(indicator.unit).number_format(indicator.decimal_places)
        _put(sheet, line, 1, indicator.reference)
        _put(sheet, line, 2, indicator.description, alignment=TOP_WRAPPED)
        _put(sheet, line, 3, row.priority_number)
        _put(sheet, line, 4, indicator.get_unit_display())
        _put(sheet, line, 5, indicator.get_polarity_display())
        column = 6
        for month in months:
            _put_figure(sheet, line, column, row.figure(month), _hidden(row, month), unit_format)
            column += 1
        if row.target is not None:
            _put(sheet, line, column, row.target.value, unit_format)
            _put(sheet, line, column + 1, _target_source(row.target, indicator))
        _put_rag(sheet, line, column + 2, row.rag)
        _put(sheet, line, column + 3, row.direction.accessible_name, alignment=TOP_WRAPPED)
        _put(sheet, line, column + 4, _judgement(row.direction))
        if getattr(row, "commentary", ""):
            _put(sheet, line, column + 5, row.commentary, alignment=TOP_WRAPPED)
        variation, assurance = spc_words(row)
        _put(sheet, line, column + 6, variation, alignment=TOP_WRAPPED)
        _put(sheet, line, column + 7, assurance, alignment=TOP_WRAPPED)
        revised = [f"{m.label}: {row.revision_text(m)}" for m in row.revised_months]
        if revised:
            _put(sheet, line, column + 8, "\n".join(revised), alignment=TOP_WRAPPED)
        _put_benchmark(sheet, line, column + 9, row.benchmark, unit_format)
    _finish_sheet(sheet, len(headers), line)
    _add_key(workbook, key)
    return _workbook_bytes(workbook, title, council_name)


# The scorecard workbook's DfE columns (BENCHMARK_CSV_HEADER's, in words).
BENCHMARK_XLSX_HEADERS = [
    "DfE benchmark year",
    "Council (DfE)",
    "England",
    "Region",
    "Region (DfE)",
    "Statistical neighbours' mean",
    "Quartile band",
    "Rank",
    "Authorities ranked",
]
BENCHMARK_XLSX_WIDTHS = [16, 12, 10, 14, 12, 14, 10, 8, 11]


def _put_number(sheet, line, column, value, number_format):
    if value is not None:
        _put(sheet, line, column, value, number_format)


def _put_benchmark(sheet, line, column, shown, unit_format):
    """A row's DfE columns from ``column``: numbers in the indicator's unit, "x" where the
    council's own figure, band and rank are withheld beside a suppressed figure."""
    if shown is None:
        return
    year = shown.latest
    published = year.year
    _put(sheet, line, column, year.period)
    if year.council_withheld:
        for offset in (1, 6, 7):
            _put(sheet, line, column + offset, rules.SUPPRESSED_MARK, alignment=TOP_RIGHT)
    else:
        _put_number(sheet, line, column + 1, published.area_value, unit_format)
        _put(sheet, line, column + 6, published.quartile or "No band")
        _put_number(sheet, line, column + 7, published.rank, "0")
    _put_number(sheet, line, column + 2, published.england, unit_format)
    _put(sheet, line, column + 3, published.region_name)
    _put_number(sheet, line, column + 4, published.region, unit_format)
    _put_number(sheet, line, column + 5, published.statistical_neighbours, unit_format)
    _put_number(sheet, line, column + 8, published.authorities, "0")


def _sheet_name(text):
    return _SHEET_NAME_FORBIDDEN.sub("", text).strip("'")[:31] or "History"


def indicator_history_xlsx(history, key):
    """An indicator's history as an Excel workbook (bytes): one row per month, newest first."""
    row = history.row
    indicator = row.indicator
    unit_format = units.get(indicator.unit).number_format(indicator.decimal_places)
    headers = [
        "Month",
        "Value",
        "Numerator",
        "Denominator",
        "Status",
        "Target",
        "Target source",
        "RAG",
        "Direction of travel",
        "Judgement",
        "Commentary",
        "Revised",
        *HISTORY_BENCHMARK_XLSX_HEADERS,
    ]
    widths = [10, 14, 12, 13, 22, 10, 14, 10, 30, 14, 70, 50, 16, 10, 10, 14]
    title = f"ID {indicator.reference} {indicator.description} – history"

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_name(f"ID {indicator.reference} history")
    council_name = Council.current().name
    _start_sheet(sheet, title, headers, widths, history.draft_months, council_name)

    line = 2
    for line, (record, figure, span, comment) in enumerate(_history_lines(history), start=3):
        hidden = _hidden(row, record.month)
        _put(sheet, line, 1, record.month.first_day, "mmm-yy")
        _put_figure(sheet, line, 2, figure, hidden, unit_format)
        if not hidden:
            if figure.numerator is not None:
                _put(sheet, line, 3, figure.numerator, "#,##0")
            if figure.denominator is not None:
                _put(sheet, line, 4, figure.denominator, "#,##0")
        _put(sheet, line, 5, record.status_label)
        if span is not None:
            _put(sheet, line, 6, span.value, unit_format)
            _put(sheet, line, 7, _target_source(span, indicator))
        _put_rag(sheet, line, 8, record.rag)
        _put(sheet, line, 9, record.direction.accessible_name, alignment=TOP_WRAPPED)
        _put(sheet, line, 10, _judgement(record.direction))
        if comment:
            _put(sheet, line, 11, comment, alignment=TOP_WRAPPED)
        if record.revision_text:
            _put(sheet, line, 12, record.revision_text, alignment=TOP_WRAPPED)
        beside = history_benchmark_cells(row.benchmark, record.month)
        if beside[0] is not None:
            _put(sheet, line, 13, beside[0])
            for column, value in enumerate(beside[1:], start=14):
                _put_number(sheet, line, column, value, unit_format)
    _finish_sheet(sheet, len(headers), line)
    if row.benchmark is not None:
        _add_benchmarks_sheet(workbook, indicator, row.benchmark, unit_format)
    _add_key(workbook, key)
    return _workbook_bytes(workbook, title, council_name)


HISTORY_BENCHMARK_XLSX_HEADERS = [
    "DfE benchmark year",
    "England (DfE)",
    "Region (DfE)",
    "Statistical neighbours' mean (DfE)",
]
BENCHMARKS_SHEET_HEADERS = [
    "DfE year",
    "Year",
    "Status",
    "Council (DfE)",
    "England",
    "Region",
    "Region (DfE)",
    "Statistical neighbours' mean",
    "Neighbours with a figure",
    "Quartile band",
    "Rank",
    "Authorities ranked",
]


def _add_benchmarks_sheet(workbook, indicator, shown, unit_format):
    """A "DfE benchmarks" sheet: every year the indicator's page compares with, oldest
    first, the council's own figure, band and rank "x" where withheld."""
    sheet = workbook.create_sheet("DfE benchmarks")
    title = f"ID {indicator.reference}: DfE LAIT {shown.measure_code}, {shown.measure_title}"
    if shown.neighbour_list:
        title += f" (statistical neighbours: {shown.neighbour_list} list)"
    widths = [10, 10, 12, 12, 10, 14, 12, 14, 12, 10, 8, 11]
    _start_sheet(sheet, title, BENCHMARKS_SHEET_HEADERS, widths)
    line = 2
    for line, year in enumerate(shown.years, start=3):
        published = year.year
        _put(sheet, line, 1, published.year)
        _put(sheet, line, 2, published.label)
        _put(sheet, line, 3, published.status)
        _put_number(sheet, line, 5, published.england, unit_format)
        _put(sheet, line, 6, published.region_name)
        _put_number(sheet, line, 7, published.region, unit_format)
        _put_number(sheet, line, 8, published.statistical_neighbours, unit_format)
        _put(sheet, line, 9, published.neighbours_with_value)
        if year.council_withheld:
            for column in (4, 10, 11):
                _put(sheet, line, column, rules.SUPPRESSED_MARK, alignment=TOP_RIGHT)
        else:
            _put_number(sheet, line, 4, published.area_value, unit_format)
            _put(sheet, line, 10, published.quartile or "No band")
            _put_number(sheet, line, 11, published.rank, "0")
        _put(sheet, line, 12, published.authorities)
    _finish_sheet(sheet, len(BENCHMARKS_SHEET_HEADERS), line)
    return sheet
