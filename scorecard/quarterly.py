"""The quarterly performance report: a page per financial quarter, laid out like the seed's
"Q2 2023/24 Performance Report" (SPEC "Quarterly report view"; issue 5).

Each table is one ``Indicator.report_section``; each row shows the indicator's three previous
financial years (``AnnualFigure``), its England, statistical neighbours and regional benchmarks
with the year each describes, and the quarter's figure worked out from the months by the
indicator's measure basis (``indicators.quarters``). A rate row (``Indicator.rate_of``) is its
count over the population in force for the period. A table with a ``ReportSection`` for the
quarter (the education tables) has that section's columns instead: its own years, comparators
(a period in a heading is not repeated in the cells) and current period, every cell a yearly
figure, and text printed instead of a figure ("Not reported") shown as it is.

The page is published material: counts below five, and figures from which one could be worked
out (a rate of such a count; a category whose total is shown), are "x" for everyone. Viewers
see published months only; synthetic demonstration figures are never read.

Queries (whatever the number of rows): the rows, the tables' own columns, the yearly figures,
the benchmarks, the quarter's monthly figures, the populations, and the quarters there are
figures for; an editor also reads the published months (for the draft warning). Session and
user come on top.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from indicators import quarters, rules
from indicators.models import (
    AnnualFigure,
    Benchmark,
    Indicator,
    Population,
    ReportSection,
    Value,
)
from indicators.periods import FinancialYear, Month
from indicators.publishing import published_months
from indicators.roles import readers

from .queries import Figure, _published
from .views import _sees_drafts

YEARS_SHOWN = 3
NOT_BENCHMARKED = "Not benchmarked"
# The comparators every table has a column for; a region gets a column (headed by its name,
# e.g. "South West") in a table where a row has one.
FIXED_COMPARATORS = [
    (Benchmark.Comparator.ENGLAND, "England"),
    (Benchmark.Comparator.STATISTICAL_NEIGHBOURS, "Statistical Neighbours"),
]
CURRENT = "current"
COMPARATOR_HEADINGS = dict(FIXED_COMPARATORS)


@dataclass
class Cell:
    text: str
    suppressed: bool = False
    note: str = ""


@dataclass
class Datum:
    """One row's figure for one column (a year or the quarter), before suppression."""

    value: object = None
    numerator: object = None
    denominator: object = None
    status: str = rules.ACTUAL
    withheld: bool = False  # printed "x" at source, or stored as suppressed
    incomplete: bool = False
    note: str = ""
    text: str = ""  # printed instead of a figure ("Not reported")


@dataclass
class ReportRow:
    indicator: Indicator
    ref_label: str
    years: list
    benchmarks: list
    current: Cell


@dataclass
class YearColumn:
    label: str
    status: str  # "Actual" or "Provisional"

    @property
    def heading(self):
        return f"{self.label} {self.status}"


@dataclass
class ReportTable:
    title: str
    years: list
    comparators: list  # headings, in column order
    current_heading: str
    rows: list = field(default_factory=list)
    ungrouped_years: int = 0  # years before the "Previous Year & Benchmarking" heading

    @property
    def slug(self):
        return "section-" + re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")

    @property
    def previous_columns(self):
        return len(self.years) + len(self.comparators)

    @property
    def lead_columns(self):
        return 2 + self.ungrouped_years

    @property
    def grouped_columns(self):
        return self.previous_columns - self.ungrouped_years


@dataclass
class QuarterlyReport:
    quarter: object  # periods.Quarter
    tables: list
    quarters: list  # quarters with figures, newest first
    months: list = field(default_factory=list)  # the quarter's months that have figures

    @property
    def slug(self):
        return quarters.quarter_slug(self.quarter)


def _natural_key(text):
    """'1.10 x' after '1.9 x': numbers in a section title compare as numbers."""
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text)
    ]


def _period_key(label):
    """Order benchmark periods: '2021/22', 'Q4 2022/23', 'Sept 2023', '22/23 prov.'."""
    match = re.search(r"(\d{4})/\d{2}", label)
    if match:
        return int(match.group(1))
    match = re.search(r"\b(\d{2})/\d{2}\b", label)
    if match:
        return 2000 + int(match.group(1))
    match = re.search(r"\b(\d{4})\b", label)
    return int(match.group(1)) if match else 0


def _ref_label(reference):
    """The seed's Ref column: Q5a -> '5', E3 -> '3'; shown on the first row of a run only."""
    match = re.match(r"^[QE]?(\d+)", reference)
    return match.group(1) if match else reference


def _report_indicators():
    return Indicator.objects.active().exclude(report_section="")


def _figures_of_report():
    """The filter for rows of the report and the counts their rates are worked out from."""
    rows = _report_indicators()
    return Q(indicator__in=rows.values("pk")) | Q(
        indicator__in=rows.exclude(rate_of=None).values("rate_of")
    )


def _figure_text(datum, unit, places):
    if datum.status == rules.NOT_AVAILABLE:
        return "Not available"
    if datum.value is None:
        return "No data"
    if unit in quarters.RATE_PER:
        # The report prints rates bare ("599.0"), not with the scorecard's "r".
        text = rules.format_number(datum.value, places)
    else:
        text = rules.format_value(datum.value, unit, places, datum.status)
        if unit == Indicator.Unit.POINTS and datum.status != rules.SUPPRESSED:
            text += " points"  # the report prints "48.5 points"
    if datum.numerator is not None and datum.denominator is not None:
        text += (
            f" ({rules.format_number(datum.numerator, 0)}/"
            f"{rules.format_number(datum.denominator, 0)})"
        )
    elif datum.numerator is not None and unit not in quarters.RATE_PER:
        text += f" ({rules.format_number(datum.numerator, 0)})"
    return text


def _benchmark_text(benchmark, indicator, with_period=True, missing=NOT_BENCHMARKED):
    if benchmark is None:
        return missing
    text = _figure_text(Datum(benchmark.value), indicator.unit, indicator.decimal_places)
    return f"{text} ({benchmark.period_label})" if with_period else text


def _comparator_key(comparator, name=""):
    if comparator == Benchmark.Comparator.REGION:
        return (comparator, name or "Region")
    return comparator


def _comparator_heading(column):
    """A ReportSection comparator's heading: 'South West', 'England (Autumn ... 2022/23)'."""
    heading = column.get("name") or COMPARATOR_HEADINGS.get(column["comparator"], "Region")
    return f"{heading} ({column['period']})" if column.get("period") else heading


class _Builder:
    """Works out every cell of the report from what was loaded; no queries."""

    def __init__(self, quarter, indicators, annual, monthly, populations, layouts=None):
        self.quarter = quarter
        self.layouts = layouts or {}  # {report_section: ReportSection}
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

    def datum(self, indicator, column):
        if indicator.rate_of_id is not None:
            return self._rate(indicator, column)
        return self._stored(indicator, column)

    def _stored(self, indicator, column):
        """The indicator's own figure: the year's, or the quarter's from its months."""
        if column == CURRENT:
            result = quarters.quarter_figure(
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
                withheld=result.status == rules.SUPPRESSED,
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
            withheld=figure.suppressed,
            text=figure.note,
        )

    def _rate(self, indicator, column):
        # The count's own figure (never its rate_of: a chain of rates would loop).
        count = self._stored(indicator.rate_of, column)
        last_month = self.last_month.get(column)  # None: a ReportSection's own period
        population = last_month and quarters.population_for(
            self.populations,
            indicator.population_age_from,
            indicator.population_age_to,
            last_month,
        )
        if count.value is None or population is None:
            return Datum(status=count.status, withheld=count.withheld)
        per = quarters.RATE_PER.get(indicator.unit, 10000)
        return Datum(
            quarters.rate_per(count.value, population.value, per),
            # The count the rate is made from: a rate of a small count is suppressed too.
            numerator=count.value,
            status=count.status,
            incomplete=count.incomplete,
            note=count.note,
        )

    def suppressed(self, data):
        """{indicator id: bool} for one column: small counts, their rates, and categories
        that could be worked out from their total."""
        hidden = {
            indicator.id: data[indicator.id].withheld
            or rules.is_suppressed(
                data[indicator.id].value, indicator.unit, data[indicator.id].numerator
            )
            for indicator in self.indicators
        }
        for total_id, members in self._groups().items():
            total = data.get(total_id)
            shown_total = (
                total.value if total is not None and not hidden.get(total_id, True) else None
            )
            counted = []
            for member in members:
                count = _category_count(data[member.id], member.unit, shown_total)
                if count is not False:
                    counted.append((member, count))
            group = rules.suppress_group([count for _, count in counted], shown_total)
            for (member, _), is_hidden in zip(counted, group, strict=True):
                hidden[member.id] = hidden[member.id] or is_hidden
        for indicator in self.indicators:
            if indicator.rate_of_id is not None and hidden.get(indicator.rate_of_id):
                hidden[indicator.id] = True
        return hidden

    def _groups(self):
        groups = {}
        for indicator in self.indicators:
            if indicator.category_of_id is not None:
                groups.setdefault(indicator.category_of_id, []).append(indicator)
        return groups

    def cell(self, indicator, datum, is_hidden):
        if is_hidden:
            return Cell(rules.SUPPRESSED_MARK, suppressed=True)
        if datum.value is None and datum.text:
            return Cell(datum.text)
        note = datum.note if datum.incomplete else ""
        return Cell(_figure_text(datum, indicator.unit, indicator.decimal_places), note=note)

    def tables(self, benchmarks):
        by_column = {
            column: {
                indicator.id: self.datum(indicator, column) for indicator in self._with_counts()
            }
            for column in self.columns
        }
        hidden = {column: self.suppressed(by_column[column]) for column in self.columns}
        sections = {}
        for indicator in self.indicators:
            sections.setdefault(indicator.report_section, []).append(indicator)
        tables = []
        for title in sorted(sections, key=_natural_key):
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

    def _table(self, title, members, by_column, hidden, benchmarks):
        years = self._year_columns([year.label for year in self.years], members, by_column)
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
        table = ReportTable(title, years, headings, self.quarter.label)
        previous_ref = None
        for member in members:
            ref = _ref_label(member.reference)
            latest = self._latest_benchmarks(benchmarks.get(member.id, []))
            table.rows.append(
                ReportRow(
                    indicator=member,
                    ref_label="" if ref == previous_ref else ref,
                    years=[
                        self.cell(
                            member, by_column[year.label][member.id], hidden[year.label][member.id]
                        )
                        for year in self.years
                    ],
                    benchmarks=[
                        Cell(_benchmark_text(latest.get(key), member)) for key in comparator_keys
                    ],
                    current=self.cell(
                        member, by_column[CURRENT][member.id], hidden[CURRENT][member.id]
                    ),
                )
            )
            previous_ref = ref
        return table

    def _own_columns_table(self, layout, members, by_column, hidden, benchmarks):
        """A table laid out by its ReportSection: every cell is a stored figure."""
        labels = layout.year_labels
        table = ReportTable(
            layout.title,
            self._year_columns(labels, members, by_column),
            [_comparator_heading(column) for column in layout.comparators],
            layout.current_label,
            ungrouped_years=len(labels) - layout.grouped_years,
        )
        previous_ref = None
        for member in members:
            ref = _ref_label(member.reference)
            own = benchmarks.get(member.id, [])
            latest = self._latest_benchmarks(own)
            cells = []
            for column in layout.comparators:
                key = _comparator_key(column["comparator"], column.get("name", ""))
                period = column.get("period")
                if period:
                    found = [
                        benchmark
                        for benchmark in own
                        if _comparator_key(benchmark.comparator, benchmark.comparator_name) == key
                        and benchmark.period_label == period
                    ]
                    benchmark = found[0] if found else None
                else:
                    benchmark = latest.get(key)
                cells.append(
                    Cell(
                        _benchmark_text(
                            benchmark, member, not period, missing=layout.not_benchmarked
                        )
                    )
                )
            table.rows.append(
                ReportRow(
                    indicator=member,
                    ref_label="" if ref == previous_ref else ref,
                    years=[
                        self.cell(member, by_column[label][member.id], hidden[label][member.id])
                        for label in labels
                    ],
                    benchmarks=cells,
                    current=self.cell(
                        member,
                        by_column[layout.current_label][member.id],
                        hidden[layout.current_label][member.id],
                    ),
                )
            )
            previous_ref = ref
        return table

    def _latest_benchmarks(self, benchmarks):
        """Per comparator (a region per name), the latest benchmark describing a period no
        later than the quarter's financial year."""
        latest = {}
        limit = self.quarter.financial_year.start_year
        for benchmark in benchmarks:
            year = _period_key(benchmark.period_label)
            if year > limit:
                continue
            key = _comparator_key(benchmark.comparator, benchmark.comparator_name)
            current = latest.get(key)
            if current is None or year >= _period_key(current.period_label):
                latest[key] = benchmark
        return latest


def _category_count(datum, unit, total):
    """The number of children a category row discloses: its count, its numerator, or its
    percentage of the shown total. None: withheld. False: nothing to judge (no figure)."""
    if datum.withheld:
        return None
    if datum.value is None:
        return False
    if unit == "count":
        return datum.value
    if datum.numerator is not None:
        return datum.numerator
    if unit == "percentage" and total is not None:
        return rules.round_half_up(datum.value * total / 100, 0)
    return False


def available_quarters(published_only=True):
    """Quarters with real (not synthetic) figures for the report's rows, newest first."""
    values = _published(Value.objects.filter(_figures_of_report(), synthetic=False), published_only)
    months = values.dates("period", "month", order="DESC")
    found = []
    for date in months:
        quarter = Month.from_date(date).quarter
        if quarter not in found:
            found.append(quarter)
    return found


def load_quarterly_report(quarter, published_only=True):
    """Every table of the report for ``quarter``, in a fixed number of queries."""
    indicators = list(
        _report_indicators()
        .select_related("rate_of")
        .order_by("report_section", "report_order", "reference")
    )
    layouts = {
        layout.title: layout for layout in ReportSection.objects.filter(quarter=quarter.label)
    }
    year_labels = [
        FinancialYear(quarter.financial_year.start_year - back).label
        for back in range(YEARS_SHOWN, 0, -1)
    ]
    for layout in layouts.values():
        year_labels += [*layout.year_labels, layout.current_label]
    annual = {}
    for figure in AnnualFigure.objects.filter(_figures_of_report(), year_label__in=year_labels):
        annual.setdefault(figure.indicator_id, {})[figure.year_label] = figure
    benchmarks = {}
    for benchmark in Benchmark.objects.filter(indicator__in=_report_indicators().values("pk")):
        benchmarks.setdefault(benchmark.indicator_id, []).append(benchmark)
    months = quarter.months
    values = _published(
        Value.objects.filter(
            _figures_of_report(),
            synthetic=False,
            period__gte=months[0].first_day,
            period__lte=months[-1].first_day,
        ),
        published_only,
    )
    monthly = {}
    for indicator_id, period, number, status, numerator, denominator in values.values_list(
        "indicator_id", "period", "value", "status", "numerator", "denominator"
    ):
        month = Month.from_date(period)
        monthly.setdefault(indicator_id, {})[month] = Figure(
            month, number, status, numerator, denominator
        )
    builder = _Builder(
        quarter, indicators, annual, monthly, list(Population.objects.all()), layouts
    )
    return QuarterlyReport(
        quarter,
        builder.tables(benchmarks),
        available_quarters(published_only),
        sorted({month for figures in monthly.values() for month in figures}),
    )


@readers
def latest_quarter(request):
    """The latest quarter with figures (published ones, for a viewer)."""
    found = available_quarters(published_only=not _sees_drafts(request))
    quarter = found[0] if found else Month.current().quarter
    return redirect("quarterly_report", label=quarters.quarter_slug(quarter))


@readers
def quarterly_report(request, label):
    try:
        quarter = quarters.parse_quarter_slug(label)
    except ValueError:
        raise Http404("That is not a quarter in the form 2023-24-q2.") from None
    sees_drafts = _sees_drafts(request)
    report = load_quarterly_report(quarter, published_only=not sees_drafts)
    draft_months = []
    if sees_drafts:
        published = published_months()
        draft_months = [month for month in report.months if month not in published]
    return render(
        request,
        "scorecard/quarterly.html",
        {
            "report": report,
            "quarter": quarter,
            "draft_months": draft_months,
            "other_quarters": [
                (q, reverse("quarterly_report", args=[quarters.quarter_slug(q)]))
                for q in report.quarters
            ],
        },
    )
