"""A consortium's comparison as CSV, XLSX and PDF, cell for cell as its page: the same loaded
``Comparison`` (``consortium_queries``), so a download never says more than the page (an
"x" is "x", commentary only where its council shared it). Text goes through the exports'
cleaning (no formula); the PDF is printed by the pack's warm Chromium (``scorecard.pdf``)."""

import csv
import io
from collections.abc import Iterator

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from indicators import consortium as rules_of_consortia
from indicators.consortium import rank_text
from scorecard.consortium_charts import measure_charts
from scorecard.consortium_queries import ComparedMeasure, Comparison, MemberFigure
from scorecard.exports.cell_text import neutralise
from scorecard.exports.xlsx_sheets import (
    HEADER_ALIGNMENT,
    HEADER_FILL,
    HEADER_FONT,
    TITLE_FONT,
    TOP_WRAPPED,
    put_cell,
    valid_sheet_name,
    workbook_bytes,
)
from scorecard.pdf import renderer

# The printed charts: a year, drawn at a width that fits A4 landscape's text column.
PRINTED_CHART_MONTHS = 12
PRINTED_CHART_WIDTH = 900

HEADINGS = [
    "Measure",
    "Matched by",
    "Council",
    "Month",
    "Figure",
    "Target",
    "RAG",
    "Direction of travel",
    "Rank among members",
    "Members' median",
    "Lower quartile",
    "Upper quartile",
    "England (DfE)",
    "Commentary",
]
SUPPRESSION_NOTE = (
    "Where the number of children is below five, the figure is suppressed and shows 'x'; so is "
    "any figure from which such a number could be worked out. Only published months each "
    "council chose to share are included."
)


def title(comparison: Comparison) -> str:
    return f"{comparison.consortium.name}: comparison for {comparison.month.long_label}"


def matched_by(measure: ComparedMeasure) -> str:
    definition = measure.definition
    if definition.kind == rules_of_consortia.LAIT:
        return f"DfE LAIT measure {definition.code}"
    return f"Consortium code {definition.code}"


def figure_cells(measure: ComparedMeasure, figure: MemberFigure) -> list[str]:
    """Figure, target, RAG, direction, rank and commentary as the page prints them."""
    row = figure.row
    if row is None:
        return ["Not shared", "", "", "", "", ""]
    rank = rank_text(figure.rank, measure.ranked)
    if not figure.comparable:
        rank = "Not ranked: a different unit"
    return [
        row.current_display,
        row.target_display,
        row.rag_name,
        row.direction.accessible_name,
        rank,
        row.commentary,
    ]


def quartile_text(measure: ComparedMeasure, lower: bool) -> str:
    """A quartile as the page prints it (none from a single figure)."""
    spread = measure.spread
    if spread.count < 2:
        return "" if spread.count == 0 else "Not worked out from one figure"
    return measure.spread_text(spread.lower_quartile if lower else spread.upper_quartile)


def england_text(measure: ComparedMeasure) -> str:
    england = measure.england
    return "" if england is None else f"{england.text} ({england.year})"


def table_rows(comparison: Comparison) -> Iterator[list[str]]:
    """One row per measure and member, in the page's order."""
    for measure in comparison.measures:
        spread = measure.spread
        for figure in measure.figures:
            figure_text, target, rag, direction, rank, commentary = figure_cells(measure, figure)
            yield [
                measure.definition.name,
                matched_by(measure),
                figure.council.display_name,
                comparison.month.label,
                figure_text,
                target,
                rag,
                direction,
                rank,
                measure.spread_text(spread.median),
                quartile_text(measure, lower=True),
                quartile_text(measure, lower=False),
                england_text(measure),
                commentary,
            ]


def comparison_csv(comparison: Comparison) -> str:
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow([neutralise(title(comparison))])
    writer.writerow([SUPPRESSION_NOTE])
    writer.writerow(HEADINGS)
    for row in table_rows(comparison):
        writer.writerow([neutralise(cell) for cell in row])
    return stream.getvalue()


def comparison_xlsx(comparison: Comparison) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    sheet.title = valid_sheet_name(f"Comparison {comparison.month.label}")
    put_cell(sheet, 1, 1, title(comparison)).font = TITLE_FONT
    put_cell(sheet, 2, 1, SUPPRESSION_NOTE)
    for column, heading in enumerate(HEADINGS, start=1):
        cell = put_cell(sheet, 4, column, heading, alignment=HEADER_ALIGNMENT)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    line = 4
    for row in table_rows(comparison):
        line += 1
        for column, text in enumerate(row, start=1):
            put_cell(sheet, line, column, text, alignment=TOP_WRAPPED)
    widths = [40, 26, 30, 10, 14, 22, 30, 26, 16, 14, 14, 14, 20, 60]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A5"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.page_setup.orientation = "landscape"
    return workbook_bytes(workbook, title(comparison))


def comparison_html(comparison: Comparison) -> str:
    charts = measure_charts(comparison.measures, comparison.month, PRINTED_CHART_MONTHS)
    for chart in charts:
        if chart["figure"] is not None:
            chart["figure"]["layout"].update(height=230, width=PRINTED_CHART_WIDTH)
    return render_to_string(
        "consortia/comparison_pdf.html",
        {
            "comparison": comparison,
            "measures": list(zip(comparison.measures, charts, strict=True)),
            "title": title(comparison),
            "note": SUPPRESSION_NOTE,
        },
    )


def comparison_pdf(comparison: Comparison) -> bytes:
    """The comparison as PDF bytes (A4 landscape, "Page X of Y"); raises
    ``pdf.PdfUnavailable`` with a sentence for the user when it cannot be made."""
    return renderer.render(comparison_html(comparison), footer=title(comparison))
