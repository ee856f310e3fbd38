"""DfE's LAIT benchmarks (issue 13) in the scorecard's and an indicator's exports: their CSV
columns and cells, the scorecard workbook's DfE columns, and an indicator workbook's
"DfE benchmarks" sheet."""

from decimal import Decimal
from typing import TYPE_CHECKING, cast

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from indicators import rules
from indicators.dfe.shown import ShownBenchmarks
from indicators.models import Indicator
from indicators.periods import Month
from scorecard.exports.xlsx_sheets import TOP_RIGHT, finish_sheet, put_cell, put_number, start_sheet

if TYPE_CHECKING:
    # The years as loaded: the domain's protocol (shown.YearComparators) leaves out the region's
    # name and the neighbours with a figure, which these columns print.
    from scorecard.dfe_queries import YearComparators

# DfE LAIT benchmarks (issue 13), after the other columns: the year a row's month compares
# with (row.benchmark), unformatted; the council's own DfE figure, band and rank are "x"
# where they are withheld beside a suppressed figure (indicators.dfe.shown). Blank for
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


def _withheld(year, value):
    return rules.SUPPRESSED_MARK if year.council_withheld else value


def dfe_csv_cells(shown: ShownBenchmarks | None) -> list[str | Decimal | int | None]:
    """A row's ``BENCHMARK_CSV_HEADER`` cells (``row.benchmark``, or None)."""
    if shown is None:
        return [None] * len(BENCHMARK_CSV_HEADER)
    year = shown.latest
    published = cast("YearComparators", year.year)
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


def history_dfe_cells(shown: ShownBenchmarks | None, month: Month) -> list[str | Decimal | None]:
    """The ``HISTORY_BENCHMARK_CSV_HEADER`` cells of ``month`` (blank beside no year)."""
    year = shown.year_beside(month) if shown is not None else None
    if year is None:
        return [None] * len(HISTORY_BENCHMARK_CSV_HEADER)
    published = year.year
    return [year.period, published.england, published.region, published.statistical_neighbours]


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


def put_dfe_columns(
    sheet: Worksheet, line: int, column: int, shown: ShownBenchmarks | None, unit_format: str
) -> None:
    """A row's DfE columns from ``column``: numbers in the indicator's unit, "x" where the
    council's own figure, band and rank are withheld beside a suppressed figure."""
    if shown is None:
        return
    year = shown.latest
    published = cast("YearComparators", year.year)
    put_cell(sheet, line, column, year.period)
    if year.council_withheld:
        for offset in (1, 6, 7):
            put_cell(sheet, line, column + offset, rules.SUPPRESSED_MARK, alignment=TOP_RIGHT)
    else:
        put_number(sheet, line, column + 1, published.area_value, unit_format)
        put_cell(sheet, line, column + 6, published.quartile or "No band")
        put_number(sheet, line, column + 7, published.rank, "0")
    put_number(sheet, line, column + 2, published.england, unit_format)
    put_cell(sheet, line, column + 3, published.region_name)
    put_number(sheet, line, column + 4, published.region, unit_format)
    put_number(sheet, line, column + 5, published.statistical_neighbours, unit_format)
    put_number(sheet, line, column + 8, published.authorities, "0")


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


def add_dfe_sheet(
    workbook: Workbook, indicator: Indicator, shown: ShownBenchmarks, unit_format: str
) -> Worksheet:
    """A "DfE benchmarks" sheet: every year the indicator's page compares with, oldest
    first, the council's own figure, band and rank "x" where withheld."""
    sheet = workbook.create_sheet("DfE benchmarks")
    title = f"ID {indicator.reference}: DfE LAIT {shown.measure_code}, {shown.measure_title}"
    if shown.neighbour_list:
        title += f" (statistical neighbours: {shown.neighbour_list} list)"
    widths = [10, 10, 12, 12, 10, 14, 12, 14, 12, 10, 8, 11]
    start_sheet(sheet, title, BENCHMARKS_SHEET_HEADERS, widths)
    line = 2
    for line, year in enumerate(shown.years, start=3):
        published = cast("YearComparators", year.year)
        put_cell(sheet, line, 1, published.year)
        put_cell(sheet, line, 2, published.label)
        put_cell(sheet, line, 3, published.status)
        put_number(sheet, line, 5, published.england, unit_format)
        put_cell(sheet, line, 6, published.region_name)
        put_number(sheet, line, 7, published.region, unit_format)
        put_number(sheet, line, 8, published.statistical_neighbours, unit_format)
        put_cell(sheet, line, 9, published.neighbours_with_value)
        if year.council_withheld:
            for column in (4, 10, 11):
                put_cell(sheet, line, column, rules.SUPPRESSED_MARK, alignment=TOP_RIGHT)
        else:
            put_number(sheet, line, 4, published.area_value, unit_format)
            put_cell(sheet, line, 10, published.quartile or "No band")
            put_number(sheet, line, 11, published.rank, "0")
        put_cell(sheet, line, 12, published.authorities)
    finish_sheet(sheet, len(BENCHMARKS_SHEET_HEADERS), line)
    return sheet
