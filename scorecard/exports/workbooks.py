"""The scorecard and an indicator's history as XLSX, for people: formatted headers, real
numbers with a number format that matches each unit, RAG and direction of travel as words,
and the key."""

from openpyxl import Workbook

from indicators import units
from indicators.models import Council
from scorecard.exports.cell_text import _hidden, _history_lines, _target_source, spc_words
from scorecard.exports.dfe_columns import (
    BENCHMARK_XLSX_HEADERS,
    BENCHMARK_XLSX_WIDTHS,
    HISTORY_BENCHMARK_XLSX_HEADERS,
    _add_benchmarks_sheet,
    _put_benchmark,
    history_benchmark_cells,
)
from scorecard.exports.sheets import (
    TOP_WRAPPED,
    _add_key,
    _finish_sheet,
    _put,
    _put_figure,
    _put_number,
    _put_rag,
    _sheet_name,
    _start_sheet,
    _workbook_bytes,
)


def _judgement(direction):
    return direction.judgement.value.capitalize()


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
