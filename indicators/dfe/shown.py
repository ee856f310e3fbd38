"""What a viewer is shown of an indicator's DfE benchmarks. Pure: the caller loads the
comparators (``scorecard.dfe_queries``) and the figures; nothing here queries.

**The year shown.** A page about a month compares with the latest year whose period had
ended by the end of that month: the Sep-23 scorecard compares with 2022/23, never with
2023/24, which DfE could not have published by then. Years DfE writes that name no dates
(``AS_PUBLISHED``) cannot be placed, so all of them count as ended.

**Suppression** (decision 0005). England, the region and the statistical neighbours' mean
are other areas' published figures: they are shown beside anything. The council's own LAIT
value is not. It is the same quantity as one of our figures (31 March's children in care is
our March snapshot), or a total of our months (the year's re-referrals): beside a month of
ours shown as ``x`` in the period it describes, it gives that month away, exactly or as the
year's total less the months shown. So the council's value is withheld, and with it its
quartile band and rank (each places it between other authorities' published values), when any
month of ours in the period it describes is shown as ``x``; when the period cannot be dated
and any month is; and when it would be suppressed as a figure of ours (a count below five, a
rate whose implied count is).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from indicators import rules
from indicators.periods import Month, month_range

NO_BAND = "No band"
NO_RANK = "No rank"
NOT_AVAILABLE = "Not available"


class YearComparators(Protocol):
    """One year of an indicator's DfE comparators as the read side loads them
    (``scorecard.dfe_queries.YearComparators``): read here, never changed."""

    @property
    def year(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def first_day(self) -> date | None: ...
    @property
    def last_day(self) -> date | None: ...
    @property
    def area_value(self) -> Decimal | None: ...
    @property
    def england(self) -> Decimal | None: ...
    @property
    def region(self) -> Decimal | None: ...
    @property
    def region_name(self) -> str: ...
    @property
    def statistical_neighbours(self) -> Decimal | None: ...
    @property
    def quartile(self) -> str: ...
    @property
    def rank(self) -> int | None: ...
    @property
    def authorities(self) -> int: ...


class LoadedBenchmarks(Protocol):
    """An indicator's DfE benchmarks as the read side loads them
    (``scorecard.dfe_queries.IndicatorBenchmarks``): its measure and every year, oldest first."""

    @property
    def measure_code(self) -> str: ...
    @property
    def measure_title(self) -> str: ...
    @property
    def neighbour_list(self) -> str: ...
    @property
    def years(self) -> Sequence[YearComparators]: ...


def months_described(year: YearComparators) -> list[Month] | None:
    """The months a year's figures are of (``YearComparators``' dates): one for a 31 March
    snapshot, twelve for a financial or academic year; None when the year cannot be dated."""
    if year.first_day is None or year.last_day is None:
        return None
    return month_range(Month.from_date(year.first_day), Month.from_date(year.last_day))


def months_drawn(year: YearComparators) -> list[Month] | None:
    """The months a year's comparators stand beside on a chart and in a month's row: the
    year as the papers print it. A 31 March snapshot ("2021/22") stands for the financial
    year it ends; any other year for the months it describes. None when it cannot be dated."""
    months = months_described(year)
    if months is not None and len(months) == 1:
        return month_range(months[0].plus(-11), months[0])
    return months


def ended_by(years: Sequence[YearComparators], month: Month) -> list[YearComparators]:
    """Those of ``years`` (oldest first) whose period had ended by the end of ``month``; all
    of them when none can be dated."""
    dated = [(year, year.last_day) for year in years if year.last_day is not None]
    if not dated:
        return list(years)
    return [year for year, last_day in dated if Month.from_date(last_day) <= month]


def year_as_of(years: Sequence[YearComparators], month: Month) -> YearComparators | None:
    """The year a page about ``month`` compares with: the latest ended by then, or None."""
    shown = ended_by(years, month)
    return shown[-1] if shown else None


def year_drawn_at(years: Sequence[YearComparators], month: Month) -> YearComparators | None:
    """The year whose comparators stand beside ``month`` (the latest whose ``months_drawn``
    holds it), or None."""
    found = None
    for year in years:
        drawn = months_drawn(year)
        if drawn and drawn[0] <= month <= drawn[-1]:
            found = year
    return found


def council_value_withheld(
    value: Decimal | None,
    unit: str,
    described: Sequence[Month] | None,
    hidden_months: frozenset[Month],
    *,
    population: int | None = None,
) -> bool:
    """Whether the council's own published ``value`` for a year must not be shown beside
    our figures: ``described`` is the months the year is of (None: it cannot be dated),
    ``hidden_months`` the months of ours a viewer sees as ``x``, ``population`` the children a
    rate is per 10,000 of (its implied count)."""
    if value is None:
        return False
    if described is None:
        if hidden_months:
            return True
    elif not hidden_months.isdisjoint(described):
        return True
    return rules.is_suppressed(value, unit, population=population)


@dataclass(frozen=True)
class ShownYear:
    """One year's comparators as a viewer sees them, as text in the indicator's unit."""

    year: YearComparators
    council_withheld: bool
    unit: str
    decimal_places: int

    def text(self, value: Decimal | None) -> str:
        if value is None:
            return NOT_AVAILABLE
        return rules.format_value(value, self.unit, self.decimal_places)

    @property
    def period(self) -> str:
        """The year as the papers print it, with DfE's qualifier: "2022/23 (revised)"."""
        label, status = self.year.label, self.year.status
        return f"{label} ({status})" if status else label

    @property
    def council_value(self) -> Decimal | None:
        return None if self.council_withheld else self.year.area_value

    @property
    def quartile(self) -> str:
        return "" if self.council_withheld else self.year.quartile

    @property
    def rank(self) -> int | None:
        return None if self.council_withheld else self.year.rank

    @property
    def council_text(self) -> str:
        return rules.SUPPRESSED_MARK if self.council_withheld else self.text(self.year.area_value)

    @property
    def england_text(self) -> str:
        return self.text(self.year.england)

    @property
    def region_text(self) -> str:
        return self.text(self.year.region)

    @property
    def statistical_neighbours_text(self) -> str:
        return self.text(self.year.statistical_neighbours)

    @property
    def quartile_text(self) -> str:
        if self.council_withheld:
            return rules.SUPPRESSED_MARK
        return self.year.quartile or NO_BAND

    @property
    def rank_text(self) -> str:
        if self.council_withheld:
            return rules.SUPPRESSED_MARK
        if self.year.rank is None:
            return NO_RANK
        return f"{self.year.rank} of {self.year.authorities}"

    @property
    def compact_text(self) -> str:
        """The headline tables' "England / SN (year)": "22.4% / 24.4% (2022/23)"."""
        return f"{self.england_text} / {self.statistical_neighbours_text} ({self.period})"


@dataclass(frozen=True)
class ShownBenchmarks:
    """An indicator's benchmarks as a page about ``month`` shows them: ``years`` (each a
    ``ShownYear``, oldest first) ended by the month, ``latest`` the one its tables and panel
    show; ``benchmarks`` is what was loaded (``LoadedBenchmarks``)."""

    benchmarks: LoadedBenchmarks
    month: Month
    years: tuple[ShownYear, ...]

    @property
    def latest(self) -> ShownYear:
        return self.years[-1]

    @property
    def measure_code(self) -> str:
        return self.benchmarks.measure_code

    @property
    def measure_title(self) -> str:
        return self.benchmarks.measure_title

    @property
    def neighbour_list(self) -> str:
        return self.benchmarks.neighbour_list

    def year_beside(self, month: Month) -> ShownYear | None:
        """The ``ShownYear`` whose comparators stand beside ``month`` (``year_drawn_at``)."""
        found = year_drawn_at([shown.year for shown in self.years], month)
        return next((shown for shown in self.years if shown.year is found), None)


def shown_benchmarks(
    benchmarks: LoadedBenchmarks | None,
    month: Month,
    unit: str,
    decimal_places: int,
    hidden_months: Iterable[Month],
    *,
    population_at: Callable[[Month], int | None] | None = None,
    every_year: bool = True,
) -> ShownBenchmarks | None:
    """The ``ShownBenchmarks`` of ``benchmarks`` for a page about ``month``, or None when no
    year had ended by then. ``hidden_months`` are the months of ours a viewer sees as ``x``
    (they must cover the months each year shown describes); ``population_at`` gives the
    population a rate is of in a month (a rate's implied count). ``every_year`` off keeps the
    latest year only (a table's row, which loads no further back)."""
    if benchmarks is None:
        return None
    years = ended_by(benchmarks.years, month)
    if not years:
        return None
    if not every_year:
        years = years[-1:]
    hidden = frozenset(hidden_months)
    shown = []
    for year in years:
        described = months_described(year)
        last = described[-1] if described else month
        withheld = council_value_withheld(
            year.area_value,
            unit,
            described,
            hidden,
            population=population_at(last) if population_at else None,
        )
        shown.append(ShownYear(year, withheld, unit, decimal_places))
    return ShownBenchmarks(benchmarks, month, tuple(shown))


def first_month_needed(benchmarks: LoadedBenchmarks | None, month: Month) -> Month | None:
    """The first month whose figure decides what the latest year shown may say of the
    council (``council_value_withheld``), or None (nothing to decide)."""
    year = year_as_of(benchmarks.years, month) if benchmarks else None
    described = months_described(year) if year else None
    return described[0] if described else None
