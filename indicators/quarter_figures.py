"""A quarter's figure from its months, and rates per 10,000 children: plain functions.

Months are the unit of entry; the quarterly report shows one figure per quarter, worked out
from the months by the indicator's measure basis:

- month-end snapshot, rolling 12 months, year to date: the quarter's last month already
  describes the quarter (the children on a plan on 30 September; referrals in the 12 months
  to September; the year to September), so the figure is the last month's;
- in month: a count is the sum of the three months; a percentage whose months carry
  numerators and denominators is recomputed from their sums (never an average of the three
  percentages, which would weight a quiet month like a busy one).

Nothing here touches the database: ``tests/test_quarters.py`` drives it with tables of cases.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol, TypeGuard

from indicators import rules, units
from indicators.figures import FigureLike
from indicators.numbers import Number, to_decimal
from indicators.periods import Month

SNAPSHOT = "snapshot"
IN_MONTH = "in_month"
ROLLING_12_MONTHS = "rolling_12_months"
YEAR_TO_DATE = "year_to_date"
LAST_MONTH_BASES = (SNAPSHOT, ROLLING_12_MONTHS, YEAR_TO_DATE)


@dataclass(frozen=True)
class QuarterFigure:
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    status: str = rules.ACTUAL
    # A month the basis needs has no figure (or is "Not available"): the value, if any, is
    # built from the months there are and must be read as such.
    incomplete: bool = False
    missing: tuple[Month, ...] = ()  # the months that had no figure
    note: str = ""


def _usable(figure: FigureLike | None) -> TypeGuard[FigureLike]:
    return (
        figure is not None
        and figure.status != rules.NOT_AVAILABLE
        and (figure.value is not None or figure.status == rules.SUPPRESSED)
    )


def _combined_status(figures: Iterable[FigureLike]) -> str:
    statuses = {figure.status for figure in figures}
    if rules.SUPPRESSED in statuses:
        return rules.SUPPRESSED
    if rules.PROVISIONAL in statuses:
        return rules.PROVISIONAL
    return rules.ACTUAL


def quarter_figure(
    monthly_figures: Mapping[Month, FigureLike | None],
    basis: str,
    unit: str,
    months: Iterable[Month],
) -> QuarterFigure:
    """The quarter's figure from ``monthly_figures`` ({periods.Month: figure}).

    ``months`` are the quarter's months, oldest first (``periods.Quarter.months``). Returns a
    ``QuarterFigure``: the value with its numerator and denominator (summed for an in-month
    percentage), a combined status (suppressed, else provisional if any month is, else
    actual), and ``incomplete`` with the ``missing`` months when a month it needs is absent.
    """
    quarter_months = list(months)
    if not quarter_months:
        raise ValueError("A quarter has months: none were given.")
    if basis in LAST_MONTH_BASES:
        return _last_month_figure(monthly_figures, quarter_months[-1])
    if basis != IN_MONTH:
        raise ValueError(f"Unknown measure basis {basis!r}.")
    return _in_month_figure(monthly_figures, unit, quarter_months)


def _last_month_figure(
    monthly_figures: Mapping[Month, FigureLike | None], last: Month
) -> QuarterFigure:
    """A snapshot, rolling or year-to-date figure: the quarter's last month describes it."""
    figure = monthly_figures.get(last)
    if not _usable(figure):
        return QuarterFigure(
            None,
            status=figure.status if figure is not None else rules.ACTUAL,
            incomplete=True,
            missing=(last,),
            note=f"No figure for {last.label}, the quarter's last month.",
        )
    return QuarterFigure(
        to_decimal(figure.value),
        to_decimal(figure.numerator),
        to_decimal(figure.denominator),
        figure.status,
    )


def _in_month_figure(
    monthly_figures: Mapping[Month, FigureLike | None], unit: str, months: Sequence[Month]
) -> QuarterFigure:
    """An in-month figure: the months' counts summed, or a ratio of summed parts."""
    present = [(month, monthly_figures.get(month)) for month in months]
    missing = tuple(month for month, figure in present if not _usable(figure))
    figures = [figure for _, figure in present if _usable(figure)]
    incomplete = bool(missing)
    note = "No figure for " + ", ".join(month.label for month in missing) + "." if missing else ""
    if not figures:
        return QuarterFigure(None, incomplete=True, missing=missing, note=note)
    status = _combined_status(figures)
    values = [figure.value for figure in figures if figure.value is not None]
    if len(values) < len(figures):
        # A month withheld at source (suppressed, no value) leaves the sum unknown.
        return QuarterFigure(None, status=rules.SUPPRESSED, incomplete=incomplete, missing=missing)
    if unit == units.COUNT:
        total = sum((to_decimal(value) for value in values), Decimal(0))
        return QuarterFigure(
            total, status=status, note=note, incomplete=incomplete, missing=missing
        )
    parts = [
        (f.numerator, f.denominator)
        for f in figures
        if f.numerator is not None and f.denominator is not None
    ]
    if len(parts) == len(figures):
        return _ratio_of_sums(parts, unit, status, note, missing)
    return QuarterFigure(
        None,
        status=status,
        incomplete=True,
        missing=missing,
        note="Each month needs its numerator and denominator to make an in-month "
        f"{unit.replace('_', ' ')} into a quarter's figure.",
    )


def _ratio_of_sums(
    parts: Sequence[tuple[Decimal, Decimal]],
    unit: str,
    status: str,
    note: str,
    missing: tuple[Month, ...],
) -> QuarterFigure:
    """A percentage (or a ratio such as average days) recomputed from the months' summed
    numerators and denominators (``parts``): never an average of the months' own figures."""
    numerator = sum((to_decimal(part) for part, _ in parts), Decimal(0))
    denominator = sum((to_decimal(whole) for _, whole in parts), Decimal(0))
    if denominator == 0:
        value = None
    elif unit == units.PERCENTAGE:
        value = numerator / denominator * 100
    else:
        # e.g. average days: total days over total cases.
        value = numerator / denominator
    return QuarterFigure(value, numerator, denominator, status, bool(missing), missing, note=note)


def rate_per(count: Number | None, population: Number | None, per: int = 10000) -> Decimal | None:
    """``count`` children per ``per`` of ``population``: 3,093 of 50,000 is 618.6 per 10,000.

    None when either is missing or the population is not positive (never divide by zero).
    """
    if count is None or population is None:
        return None
    children = to_decimal(population)
    if children <= 0:
        return None
    return to_decimal(count) / children * per


class PopulationLike(Protocol):
    """A population band from a date: ``models.Population`` or a test's stand-in."""

    @property
    def age_from(self) -> int: ...
    @property
    def age_to(self) -> int: ...
    @property
    def valid_from(self) -> dt.date: ...
    @property
    def value(self) -> int: ...


def population_for[Population: PopulationLike](
    populations: Iterable[Population], age_from: int, age_to: int, month: Month
) -> Population | None:
    """The population of the band in force in ``month``: of the band's rows that start on or
    before it, the latest. ``populations`` are objects with ``age_from``, ``age_to``,
    ``valid_from`` (a date) and ``value``; None when none applies."""
    in_force = [
        population
        for population in populations
        if population.age_from == age_from
        and population.age_to == age_to
        and population.valid_from <= month.first_day
    ]
    return max(in_force, key=lambda population: population.valid_from, default=None)
