"""The quarterly performance report, built from what ``queries.load_quarterly_report``
loaded: a page per financial quarter, laid out like the seed's "Q2 2023/24 Performance
Report". Pure: no queries.

Each table is one ``Indicator.report_section``; a row shows three previous financial years
(``AnnualFigure``), England, statistical neighbour and regional benchmarks with the year each
describes, and the quarter's figure from its months by the measure basis
(``indicators.quarter_figures``); a rate row is its count over the population in force. A table
with a ``ReportSection`` (the education tables) has that section's own years, comparators and
current period, every cell a yearly figure or the text printed instead ("Not reported").
Counts below five, and figures one could be worked out from, are "x" for everyone
(``rules.suppressed_cells``). Where an administrator has entered no England or statistical
neighbours benchmark for a row linked to a DfE LAIT measure, the column shows DfE's figure
for the latest year ended by the quarter's end, with that year (``PublishedBenchmark``).
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from indicators import quarter_figures, rules, units
from indicators.dfe.shown import LoadedBenchmarks, year_as_of
from indicators.figures import Figure
from indicators.models import AnnualFigure, Benchmark, Indicator, Population, ReportSection
from indicators.natural_order import natural_key
from indicators.periods import FinancialYear, Month, Quarter
from scorecard.quarterly_text import (
    FIXED_COMPARATORS,
    benchmark_text,
    comparator_heading,
    comparator_key,
    layout_benchmark,
    period_key,
    ref_label,
    report_figure_text,
)

YEARS_SHOWN = 3
CURRENT = "current"


@dataclass(frozen=True)
class PublishedBenchmark:
    """A DfE LAIT comparator in a column an administrator entered no Benchmark for: its
    ``value`` (None: DfE published none that year) and the year it describes, as the papers
    print it."""

    value: Decimal | None
    period_label: str


# The fixed columns DfE's LAIT data fills: the YearComparators attribute for each.
LAIT_COLUMNS = {
    Benchmark.Comparator.ENGLAND: "england",
    Benchmark.Comparator.STATISTICAL_NEIGHBOURS: "statistical_neighbours",
}


@dataclass
class Cell:
    text: str
    suppressed: bool = False
    note: str = ""
    # The figure, when ``text`` is that number alone: the workbook writes it as a number.
    value: Decimal | None = None


@dataclass
class Datum:
    """One row's figure for one column (a year or the quarter), before suppression."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    status: str = rules.ACTUAL
    withheld: bool = False  # printed "x" at source, or stored as suppressed
    incomplete: bool = False
    note: str = ""
    text: str = ""  # printed instead of a figure ("Not reported")


@dataclass
class ReportRow:
    indicator: Indicator
    ref_label: str
    years: list[Cell]
    benchmarks: list[Cell]
    current: Cell


@dataclass
class YearColumn:
    label: str
    status: str  # "Actual" or "Provisional"

    @property
    def heading(self) -> str:
        return f"{self.label} {self.status}"


@dataclass
class ReportTable:
    title: str
    years: list[YearColumn]
    comparators: list[str]  # headings, in column order
    current_heading: str
    rows: list[ReportRow] = field(default_factory=list)
    ungrouped_years: int = 0  # years before the "Previous Year & Benchmarking" heading

    @property
    def slug(self) -> str:
        return "section-" + re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")

    @property
    def previous_columns(self) -> int:
        return len(self.years) + len(self.comparators)

    @property
    def lead_columns(self) -> int:
        return 2 + self.ungrouped_years

    @property
    def grouped_columns(self) -> int:
        return self.previous_columns - self.ungrouped_years


@dataclass
class QuarterlyReport:
    quarter: Quarter
    tables: list[ReportTable]
    quarters: list[Quarter]  # quarters with figures, newest first
    months: list[Month] = field(default_factory=list)  # the quarter's months that have figures


def year_labels(quarter: Quarter, layouts: Iterable[ReportSection]) -> list[str]:
    """Every year label the report's columns read: the three financial years before the
    quarter's, and each ReportSection's own years and current period."""
    labels = [
        FinancialYear(quarter.financial_year.start_year - back).label
        for back in range(YEARS_SHOWN, 0, -1)
    ]
    for layout in layouts:
        labels += [*layout.year_labels, layout.current_label]
    return labels


def first_month_shown(quarter: Quarter) -> Month:
    """The first month whose figure the report reads: April of the first year shown."""
    return FinancialYear(quarter.financial_year.start_year - YEARS_SHOWN).months[0]


def build(
    quarter: Quarter,
    *,
    indicators: Sequence[Indicator],
    annual: Mapping[int, Mapping[str, AnnualFigure]],
    monthly: Mapping[int, Mapping[Month, Figure]],
    populations: Sequence[Population],
    layouts: Mapping[str, ReportSection],
    benchmarks: Mapping[int, Sequence[Benchmark]],
    quarters: list[Quarter],
    lait: Mapping[int, LoadedBenchmarks] | None = None,
) -> QuarterlyReport:
    """The ``QuarterlyReport`` for ``quarter`` from loaded rows: ``annual`` {indicator id:
    {year label: AnnualFigure}}, ``monthly`` {indicator id: {Month: Figure}}, ``layouts``
    {report section: ReportSection}, ``benchmarks`` {indicator id: [Benchmark]}, ``lait``
    {indicator id: dfe_queries.IndicatorBenchmarks}, and the ``quarters`` there are
    figures for, newest first. ``monthly`` holds the previous years' months too: a year's
    total of in-month counts is withheld when one of its months is."""
    builder = _Builder(quarter, indicators, annual, monthly, populations, layouts, lait)
    shown = set(quarter.months)
    return QuarterlyReport(
        quarter,
        builder.tables(benchmarks),
        quarters,
        sorted({month for figures in monthly.values() for month in figures if month in shown}),
    )


class _Builder:
    """Works out every cell of the report from what was loaded; no queries."""

    def __init__(
        self,
        quarter: Quarter,
        indicators: Sequence[Indicator],
        annual: Mapping[int, Mapping[str, AnnualFigure]],
        monthly: Mapping[int, Mapping[Month, Figure]],
        populations: Sequence[Population],
        layouts: Mapping[str, ReportSection] | None = None,
        lait: Mapping[int, LoadedBenchmarks] | None = None,
    ) -> None:
        self.quarter = quarter
        self.layouts = layouts or {}  # {report_section: ReportSection}
        self.lait = lait or {}  # {indicator id: dfe_queries.IndicatorBenchmarks}
        self.indicators = indicators
        self.annual = annual  # {indicator id: {year label: AnnualFigure}}
        self.monthly = monthly  # {indicator id: {Month: Figure}}
        self.populations = populations
        first = quarter.financial_year.start_year
        self.years = [FinancialYear(first - back) for back in range(YEARS_SHOWN, 0, -1)]
        # Column keys: the years' labels, then the quarter.
        self.columns = [year.label for year in self.years] + [CURRENT]
        for layout in self.layouts.values():
            for label in [*layout.year_labels, layout.current_label]:
                if label not in self.columns:
                    self.columns.append(label)
        self.last_month = {year.label: year.months[-1] for year in self.years}
        self.last_month[CURRENT] = quarter.months[-1]
        self.months_of = {year.label: year.months for year in self.years}
        self.months_of[CURRENT] = quarter.months

    def _holds_suppressed_month(self, indicator, column):
        """An in-month figure summed over a column's months (the quarter, or a financial
        year) that holds a suppressed month is withheld too: beside the shown months it
        gives the suppressed ones away (rules.suppressed_over_months)."""
        if indicator.measure_basis != quarter_figures.IN_MONTH:
            return False
        monthly = self.monthly.get(indicator.id, {})
        return rules.suppressed_over_months(
            figure.status == rules.SUPPRESSED
            or rules.is_suppressed(
                figure.value, indicator.unit, figure.numerator, figure.denominator
            )
            for month in self.months_of.get(column, ())
            if (figure := monthly.get(month)) is not None
        )

    def datum(self, indicator: Indicator, column: str) -> Datum:
        if indicator.rate_of_id is not None:
            return self._rate(indicator, column)
        return self._stored(indicator, column)

    def _stored(self, indicator, column):
        """The indicator's own figure: the year's, or the quarter's from its months."""
        if column == CURRENT:
            result = quarter_figures.quarter_figure(
                self.monthly.get(indicator.id, {}),
                indicator.measure_basis,
                indicator.unit,
                self.quarter.months,
            )
            return Datum(
                result.value,
                result.numerator,
                result.denominator,
                result.status,
                withheld=result.status == rules.SUPPRESSED
                or self._holds_suppressed_month(indicator, column),
                incomplete=result.incomplete and result.value is not None,
                note=result.note,
            )
        figure = self.annual.get(indicator.id, {}).get(column)
        if figure is None:
            return Datum()
        return Datum(
            figure.value,
            figure.numerator,
            figure.denominator,
            figure.status,
            withheld=figure.suppressed or self._holds_suppressed_month(indicator, column),
            text=figure.note,
        )

    def _rate(self, indicator, column):
        # The count's own figure (never its rate_of: a chain of rates would loop).
        count = self._stored(indicator.rate_of, column)
        last_month = self.last_month.get(column)  # None: a ReportSection's own period
        population = last_month and quarter_figures.population_for(
            self.populations,
            indicator.population_age_from,
            indicator.population_age_to,
            last_month,
        )
        if count.value is None or population is None:
            return Datum(status=count.status, withheld=count.withheld)
        per = units.get(indicator.unit).multiplier
        return Datum(
            quarter_figures.rate_per(count.value, population.value, per),
            # The count the rate is made from: a rate of a small count is suppressed too.
            numerator=count.value,
            status=count.status,
            incomplete=count.incomplete,
            note=count.note,
        )

    def suppressed(self, data: Mapping[int, Datum]) -> dict[int, bool]:
        """{indicator id: bool} for one column: small counts, their rates, and categories
        that could be worked out from their total."""
        cells = {
            indicator.id: rules.Disclosure(
                data[indicator.id].value,
                indicator.unit,
                data[indicator.id].numerator,
                data[indicator.id].withheld,
                data[indicator.id].denominator,
            )
            for indicator in self.indicators
        }
        categories: dict[int, list[int]] = {}
        rates: dict[int, int] = {}
        for indicator in self.indicators:
            if indicator.category_of_id is not None:
                categories.setdefault(indicator.category_of_id, []).append(indicator.id)
            if indicator.rate_of_id is not None:
                rates[indicator.id] = indicator.rate_of_id
        return rules.suppressed_cells(cells, categories, rates)

    def cell(self, indicator: Indicator, datum: Datum, is_hidden: bool) -> Cell:
        if is_hidden:
            return Cell(rules.SUPPRESSED_MARK, suppressed=True)
        if datum.value is None and datum.text:
            return Cell(datum.text)
        note = datum.note if datum.incomplete else ""
        text = report_figure_text(datum, indicator.unit, indicator.decimal_places)
        alone = datum.numerator is None or (
            indicator.unit in units.RATES and datum.denominator is None
        )
        shown = datum.status != rules.NOT_AVAILABLE and datum.value is not None and alone
        return Cell(text, note=note, value=datum.value if shown else None)

    def tables(self, benchmarks: Mapping[int, Sequence[Benchmark]]) -> list[ReportTable]:
        by_column = {
            column: {
                indicator.id: self.datum(indicator, column) for indicator in self._with_counts()
            }
            for column in self.columns
        }
        hidden = {column: self.suppressed(by_column[column]) for column in self.columns}
        sections: dict[str, list[Indicator]] = {}
        for indicator in self.indicators:
            sections.setdefault(indicator.report_section, []).append(indicator)
        tables = []
        for title in sorted(sections, key=natural_key):
            members = sections[title]
            if title in self.layouts:
                table = self._own_columns_table(
                    self.layouts[title], members, by_column, hidden, benchmarks
                )
            else:
                table = self._table(title, members, by_column, hidden, benchmarks)
            tables.append(table)
        return tables

    def _with_counts(self):
        """The report's rows and the counts their rates come from (which may be elsewhere)."""
        seen = {indicator.id: indicator for indicator in self.indicators}
        for indicator in self.indicators:
            if indicator.rate_of_id is not None:
                seen.setdefault(indicator.rate_of_id, indicator.rate_of)
        return list(seen.values())

    @staticmethod
    def _year_columns(labels, members, by_column):
        years = []
        for label in labels:
            provisional = any(
                by_column[label][member.id].status == rules.PROVISIONAL for member in members
            )
            years.append(YearColumn(label, "Provisional" if provisional else "Actual"))
        return years

    def _rows(self, table, members, labels, current, benchmark_cells, by_column, hidden):
        """The table's rows: the year columns ``labels``, the benchmarks ``benchmark_cells``
        gives for a member, and the ``current`` column; a run of one Ref shows it once."""
        previous_ref = None
        for member in members:
            ref = ref_label(member.reference)
            table.rows.append(
                ReportRow(
                    indicator=member,
                    ref_label="" if ref == previous_ref else ref,
                    years=[
                        self.cell(member, by_column[label][member.id], hidden[label][member.id])
                        for label in labels
                    ],
                    benchmarks=benchmark_cells(member),
                    current=self.cell(
                        member, by_column[current][member.id], hidden[current][member.id]
                    ),
                )
            )
            previous_ref = ref
        return table

    def _table(self, title, members, by_column, hidden, benchmarks):
        labels = [year.label for year in self.years]
        regions = sorted(
            {
                benchmark.comparator_name or "Region"
                for member in members
                for benchmark in benchmarks.get(member.id, [])
                if benchmark.comparator == Benchmark.Comparator.REGION
            }
        )
        comparator_keys = [key for key, _ in FIXED_COMPARATORS] + [
            (Benchmark.Comparator.REGION, name) for name in regions
        ]
        headings = [heading for _, heading in FIXED_COMPARATORS] + regions
        table = ReportTable(
            title, self._year_columns(labels, members, by_column), headings, self.quarter.label
        )

        def benchmark_cells(member: Indicator) -> list[Cell]:
            latest = self._latest_benchmarks(benchmarks.get(member.id, []))
            return [
                Cell(benchmark_text(latest.get(key) or self._published(member, key), member))
                for key in comparator_keys
            ]

        return self._rows(table, members, labels, CURRENT, benchmark_cells, by_column, hidden)

    def _own_columns_table(self, layout, members, by_column, hidden, benchmarks):
        """A table laid out by its ReportSection: every cell is a stored figure."""
        labels = layout.year_labels
        table = ReportTable(
            layout.title,
            self._year_columns(labels, members, by_column),
            [comparator_heading(column) for column in layout.comparators],
            layout.current_label,
            ungrouped_years=len(labels) - layout.grouped_years,
        )

        def benchmark_cells(member: Indicator) -> list[Cell]:
            own = benchmarks.get(member.id, [])
            latest = self._latest_benchmarks(own)
            return [
                Cell(
                    benchmark_text(
                        layout_benchmark(column, own, latest),
                        member,
                        not column.get("period"),
                        missing=layout.not_benchmarked,
                    )
                )
                for column in layout.comparators
            ]

        current = layout.current_label
        return self._rows(table, members, labels, current, benchmark_cells, by_column, hidden)

    def _published(self, member, key):
        """DfE's figure for a fixed column an administrator left empty: the latest LAIT year
        ended by the quarter's end; None when the row has no LAIT measure or the column is
        not England or the statistical neighbours."""
        attribute = LAIT_COLUMNS.get(key)
        found = self.lait.get(member.id)
        if attribute is None or found is None:
            return None
        year = year_as_of(found.years, self.quarter.months[-1])
        if year is None:
            return None
        label = f"{year.label} {year.status}" if year.status else year.label
        return PublishedBenchmark(getattr(year, attribute), label)

    def _latest_benchmarks(self, benchmarks):
        """Per comparator (a region per name), the latest benchmark describing a period no
        later than the quarter's financial year."""
        latest = {}
        limit = self.quarter.financial_year.start_year
        for benchmark in benchmarks:
            year = period_key(benchmark.period_label)
            if year > limit:
                continue
            key = comparator_key(benchmark.comparator, benchmark.comparator_name)
            current = latest.get(key)
            if current is None or year >= period_key(current.period_label):
                latest[key] = benchmark
        return latest
