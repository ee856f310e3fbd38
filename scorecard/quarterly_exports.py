"""The quarterly report's downloads: a PDF printed by the pack's warm Chromium
(``scorecard.pdf``) from the page's own table partials, and an Excel workbook of the same
tables.

Both are built from the ``QuarterlyReport`` the page shows, cell for cell: a cell the page
shows as ``x`` is ``x`` here too (``Cell.suppressed``), so the downloads can never say more
than the page. Text goes through ``exports``' cleaning (no formula, no character XML cannot
hold); a cell that is one figure alone (``Cell.value``) is written as a number, rounded as
printed and formatted for its unit; anything else (``7.4% (15/204)``, ``Not reported``, a
benchmark with its year) as the page prints it.
"""

from collections.abc import Sequence

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from indicators import rules, units
from indicators.numbers import round_half_up
from indicators.periods import Month, Quarter
from scorecard.exports.cell_text import draft_notice
from scorecard.exports.xlsx_sheets import (
    HEADER_ALIGNMENT,
    HEADER_FILL,
    HEADER_FONT,
    TITLE_FONT,
    TOP_RIGHT,
    TOP_WRAPPED,
    put_cell,
    valid_sheet_name,
    workbook_bytes,
)
from scorecard.pdf import renderer
from scorecard.quarterly_report import QuarterlyReport

SUPPRESSION_NOTE = (
    "Where the number of children is below five, the figure is suppressed and shows 'x'; so is "
    "any figure from which such a number could be worked out."
)
GROUP_HEADINGS = ("Previous Year & Benchmarking", "Current Period")


def title(quarter: Quarter) -> str:
    return f"{quarter.label} Performance Report"


def footer(quarter: Quarter, draft_months: Sequence[Month], council_name: str) -> str:
    """Every page's footer; it says DRAFT when the report holds a month not yet published."""
    text = f"{council_name} · {title(quarter)}"
    return f"DRAFT, not published · {text}" if draft_months else text


def report_html(report: QuarterlyReport, draft_months: Sequence[Month], council_name: str) -> str:
    return render_to_string(
        "quarterly/report_pdf.html",
        {
            "report": report,
            "quarter": report.quarter,
            "draft_months": draft_months,
            "council_name": council_name,
        },
    )


def report_pdf(report: QuarterlyReport, draft_months: Sequence[Month], council_name: str) -> bytes:
    """The report as PDF bytes (A4 landscape, tagged, "Page X of Y"); raises
    ``pdf.PdfUnavailable`` with a sentence for the user when it cannot be made."""
    html = report_html(report, draft_months, council_name)
    return renderer.render(html, footer=footer(report.quarter, draft_months, council_name))


def _number_format(indicator):
    # The report prints rates bare ("599.0"), without the scorecard's "r".
    places = indicator.decimal_places
    if indicator.unit in units.RATES:
        return "#,##0" + ("." + "0" * places if places else "")
    return units.get(indicator.unit).number_format(places)


def _put_cell(sheet, line, column, cell, indicator):
    if cell.suppressed:
        written = put_cell(sheet, line, column, rules.SUPPRESSED_MARK, alignment=TOP_RIGHT)
    elif cell.value is not None:
        # Rounded as the page prints it: the workbook says no more than the page.
        number = round_half_up(cell.value, indicator.decimal_places)
        written = put_cell(sheet, line, column, number, _number_format(indicator), TOP_RIGHT)
    else:
        written = put_cell(sheet, line, column, cell.text, alignment=TOP_RIGHT)
    if cell.note:
        written.comment = Comment(f"Incomplete: {cell.note}", "Scorecard")
    return written


def _header(sheet, line, column, text):
    cell = put_cell(sheet, line, column, text, alignment=HEADER_ALIGNMENT)
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    return cell


def _write_table(sheet, line, table):
    """One table from row ``line``: its title, the group headings, the column headings and
    a row per indicator; returns the next free row."""
    put_cell(sheet, line, 1, table.title).font = Font(bold=True, size=12)
    line += 1
    first_grouped = 1 + table.lead_columns
    last_grouped = table.lead_columns + table.grouped_columns
    _header(sheet, line, first_grouped, GROUP_HEADINGS[0])
    if last_grouped > first_grouped:
        sheet.merge_cells(
            start_row=line, start_column=first_grouped, end_row=line, end_column=last_grouped
        )
    _header(sheet, line, last_grouped + 1, GROUP_HEADINGS[1])
    line += 1
    headings = [
        "Ref",
        "Indicator Name",
        *[year.heading for year in table.years],
        *table.comparators,
        table.current_heading,
    ]
    for column, heading in enumerate(headings, start=1):
        _header(sheet, line, column, heading)
    for row in table.rows:
        line += 1
        put_cell(sheet, line, 1, row.ref_label)
        put_cell(sheet, line, 2, row.indicator.description, alignment=TOP_WRAPPED)
        cells = [*row.years, *row.benchmarks, row.current]
        for column, cell in enumerate(cells, start=3):
            _put_cell(sheet, line, column, cell, row.indicator)
    return line + 2


def report_xlsx(report: QuarterlyReport, draft_months: Sequence[Month], council_name: str) -> bytes:
    """The report as an Excel workbook (bytes): one sheet, the tables one below another as
    the page lays them out."""
    quarter = report.quarter
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    sheet.title = valid_sheet_name(quarter.label.replace("/", "-"))
    heading = f"{council_name}: {title(quarter)}" if council_name else title(quarter)
    if draft_months:
        heading = f"{draft_notice(draft_months)} {heading}"
    put_cell(sheet, 1, 1, heading).font = TITLE_FONT
    put_cell(sheet, 2, 1, SUPPRESSION_NOTE)
    line = 4
    widest = 2
    for table in report.tables:
        line = _write_table(sheet, line, table)
        widest = max(widest, 3 + table.previous_columns)
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 60
    for column in range(3, widest + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 18
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    # openpyxl gives every sheet's properties page set-up properties; its types allow none.
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    return workbook_bytes(workbook, title(quarter))
