"""The scorecard and an indicator's history as XLSX, for people: formatted headers, real
numbers with a number format that matches each unit, RAG and direction of travel as words,
and the key."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from indicators import units
from indicators.models import Council
from scorecard.exports.cell_text import history_lines, is_hidden, spc_words, target_source_text
from scorecard.exports.dfe_columns import (
    BENCHMARK_XLSX_HEADERS,
    BENCHMARK_XLSX_WIDTHS,
    HISTORY_BENCHMARK_XLSX_HEADERS,
    add_dfe_sheet,
    history_dfe_cells,
    put_dfe_columns,
)
from scorecard.exports.xlsx_sheets import (
    TOP_WRAPPED,
    add_key_sheet,
    finish_sheet,
    put_cell,
    put_figure,
    put_number,
    put_rag,
    start_sheet,
    valid_sheet_name,
    workbook_bytes,
)
from scorecard.key import KeySection

if TYPE_CHECKING:
    from scorecard.queries import IndicatorHistory, Scorecard

# A figure judged, in both workbooks: its target, RAG, direction of travel and commentary.
JUDGED_HEADERS = [
    "Target",
    "Target source",
    "RAG",
    "Direction of travel",
    "Judgement",
    "Commentary",
]


def _put_judged(sheet, line, column, indicator, unit_format, target, rag, direction, commentary):
    """The ``JUDGED_HEADERS`` cells from ``column``: the target in force (its value and
    source, blank without one), the RAG, the direction of travel and its judgement, and the
    commentary."""
    if target is not None:
        put_cell(sheet, line, column, target.value, unit_format)
        put_cell(sheet, line, column + 1, target_source_text(target, indicator))
    put_rag(sheet, line, column + 2, rag)
    put_cell(sheet, line, column + 3, direction.accessible_name, alignment=TOP_WRAPPED)
    put_cell(sheet, line, column + 4, direction.judgement.value.capitalize())
    if commentary:
        put_cell(sheet, line, column + 5, commentary, alignment=TOP_WRAPPED)


def scorecard_xlsx(scorecard: "Scorecard", key: Iterable[KeySection]) -> bytes:
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
        *JUDGED_HEADERS,
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
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    sheet.title = f"Scorecard {scorecard.month.iso}"
    council_name = Council.current().name
    start_sheet(sheet, title, headers, widths, scorecard.draft_months, council_name)

    line = 2
    for line, row in enumerate(scorecard.rows, start=3):
        indicator = row.indicator
        unit_format = units.get(indicator.unit).number_format(indicator.decimal_places)
        put_cell(sheet, line, 1, indicator.reference)
        put_cell(sheet, line, 2, indicator.description, alignment=TOP_WRAPPED)
        put_cell(sheet, line, 3, row.priority_number)
        put_cell(sheet, line, 4, indicator.get_unit_display())
        put_cell(sheet, line, 5, indicator.get_polarity_display())
        column = 6
        for month in months:
            put_figure(sheet, line, column, row.figure(month), is_hidden(row, month), unit_format)
            column += 1
        judged = (row.target, row.rag, row.direction, getattr(row, "commentary", ""))
        _put_judged(sheet, line, column, indicator, unit_format, *judged)
        variation, assurance = spc_words(row)
        put_cell(sheet, line, column + 6, variation, alignment=TOP_WRAPPED)
        put_cell(sheet, line, column + 7, assurance, alignment=TOP_WRAPPED)
        revised = [f"{m.label}: {row.revision_text(m)}" for m in row.revised_months]
        if revised:
            put_cell(sheet, line, column + 8, "\n".join(revised), alignment=TOP_WRAPPED)
        put_dfe_columns(sheet, line, column + 9, row.benchmark, unit_format)
    finish_sheet(sheet, len(headers), line)
    add_key_sheet(workbook, key)
    return workbook_bytes(workbook, title, council_name)


def indicator_history_xlsx(history: "IndicatorHistory", key: Iterable[KeySection]) -> bytes:
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
        *JUDGED_HEADERS,
        "Revised",
        *HISTORY_BENCHMARK_XLSX_HEADERS,
    ]
    widths = [10, 14, 12, 13, 22, 10, 14, 10, 30, 14, 70, 50, 16, 10, 10, 14]
    title = f"ID {indicator.reference} {indicator.description} – history"

    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    sheet.title = valid_sheet_name(f"ID {indicator.reference} history")
    council_name = Council.current().name
    start_sheet(sheet, title, headers, widths, history.draft_months, council_name)

    line = 2
    for line, (record, figure, span, comment) in enumerate(history_lines(history), start=3):
        hidden = is_hidden(row, record.month)
        put_cell(sheet, line, 1, record.month.first_day, "mmm-yy")
        put_figure(sheet, line, 2, figure, hidden, unit_format)
        if not hidden:
            if figure.numerator is not None:
                put_cell(sheet, line, 3, figure.numerator, "#,##0")
            if figure.denominator is not None:
                put_cell(sheet, line, 4, figure.denominator, "#,##0")
        put_cell(sheet, line, 5, record.status_label)
        judged = (span, record.rag, record.direction, comment)
        _put_judged(sheet, line, 6, indicator, unit_format, *judged)
        if record.revision_text:
            put_cell(sheet, line, 12, record.revision_text, alignment=TOP_WRAPPED)
        beside = history_dfe_cells(row.benchmark, record.month)
        if beside[0] is not None:
            put_cell(sheet, line, 13, beside[0])
            for column, value in enumerate(beside[1:], start=14):
                put_number(sheet, line, column, value, unit_format)
    finish_sheet(sheet, len(headers), line)
    if row.benchmark is not None:
        add_dfe_sheet(workbook, indicator, row.benchmark, unit_format)
    add_key_sheet(workbook, key)
    return workbook_bytes(workbook, title, council_name)
