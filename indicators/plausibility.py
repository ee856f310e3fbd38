"""Plausibility warnings: a figure that can be stored but is probably a mistake.

Errors (``imports.cells.FigureError``) are figures that cannot be stored at all; a warning is
for a figure that may well be right but usually is a slip, so the person entering it either
corrects it or acknowledges it, figure by figure. Pure functions: the caller passes the
indicator's recent figures; nothing here reads the database. The rules, and why these ones:
docs/decisions/0007-plausibility-warnings.md.
"""

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

from indicators import rules, units
from indicators.figures import FigureLike
from indicators.numbers import Number, places_written, plain, round_half_up, significant_places
from indicators.periods import Month

#: The months before a figure's month that are its "recent figures".
RECENT_MONTHS = 12
#: A range needs this many recent figures to say what is far outside it.
MIN_RECENT = 3
#: The natural process limits of an XmR chart (indicators.spc): mean ± 2.66 × mean moving range.
LIMIT_FACTOR = Decimal("2.66")
#: A several-fold jump: more than three times the largest recent figure, or under a third of
#: the smallest.
FOLD = 3
#: A count must also move by at least this much: 0, 0, 0 then 3 is ordinary for rare events.
COUNT_FLOOR = 10
#: A percentage below 1 reads as a fraction typed for a percentage when the recent figures'
#: median is at least this and more than ten times the figure.
FRACTION_MEDIAN = 5
#: A pair's result may differ from the stated figure by this much (in the figure's unit) after
#: rounding to the precision the figure is written with.
PAIR_TOLERANCE = Decimal("0.05")

FRACTION = "fraction"
RANGE = "range"
PAIR = "pair"


@dataclass(frozen=True)
class PlausibilityWarning:
    code: str  # FRACTION, RANGE or PAIR: what an acknowledgement is recorded against
    message: str  # a sentence for the person entering the figure


class History:
    """An indicator's figures ({periods.Month: Figure}) sorted once, for looking up the recent
    figures of many months (an import of ten years of one indicator)."""

    def __init__(self, figures: Mapping[Month, FigureLike | None]) -> None:
        pairs = sorted(
            (month, figure.value)
            for month, figure in figures.items()
            if figure is not None and figure.value is not None
        )
        self.months = [month for month, _ in pairs]
        self.values = [value for _, value in pairs]

    def before(self, month: Month, months: int = RECENT_MONTHS) -> list[Decimal]:
        """The values in the ``months`` months before ``month``, oldest first."""
        first = bisect_left(self.months, month.plus(-months))
        return self.values[first : bisect_left(self.months, month)]


def recent_values(
    figures: Mapping[Month, FigureLike | None], month: Month, months: int = RECENT_MONTHS
) -> list[Decimal]:
    """The values of ``figures`` ({periods.Month: Figure}) in the ``months`` months before
    ``month``, oldest first; months with no value (not available, withheld) are left out."""
    return History(figures).before(month, months)


def check(
    figure: FigureLike | None, unit: str, recent: Iterable[Number], *, decimal_places: int
) -> list[PlausibilityWarning]:
    """Every warning for ``figure`` (a figures.Figure) of an indicator in ``unit``, given its
    ``recent`` values (oldest first, from ``recent_values``)."""
    if figure is None or figure.value is None:
        return []
    values = [Decimal(value) for value in recent]
    found = []
    fraction = fraction_warning(figure.value, unit, values)
    if fraction is not None:
        found.append(fraction)
    else:
        # A fraction is far outside the range too; one warning says it better than two.
        far = range_warning(figure.value, unit, values, decimal_places)
        if far is not None:
            found.append(far)
    pair = pair_warning(figure, unit)
    if pair is not None:
        found.append(pair)
    return found


def unacknowledged(
    warnings: Iterable[PlausibilityWarning], acknowledged_codes: Iterable[str]
) -> list[PlausibilityWarning]:
    """The warnings whose kind was not acknowledged when the figure was saved."""
    return [warning for warning in warnings if warning.code not in set(acknowledged_codes)]


# The three rules ---------------------------------------------------------------------------
def fraction_warning(
    value: Decimal, unit: str, recent: Sequence[Decimal]
) -> PlausibilityWarning | None:
    """``0.582`` for a percentage that is usually around 50: "did you mean 58.2%?"."""
    if unit != units.PERCENTAGE or not 0 < value < 1 or not recent:
        return None
    middle = median(recent)
    if middle < FRACTION_MEDIAN or middle <= 10 * value:
        return None
    meant = plain(value * 100, normalise=True)
    return PlausibilityWarning(
        FRACTION,
        f"{plain(value, normalise=True)}: did you mean {meant}%? The recent figures are "
        f"{_span(recent, unit)}. A percentage is typed as 58.2 or 58.2%, not as a fraction.",
    )


def range_warning(
    value: Decimal, unit: str, recent: Sequence[Decimal], decimal_places: int
) -> PlausibilityWarning | None:
    """A figure beyond the recent process limits that is also a several-fold jump."""
    if len(recent) < MIN_RECENT:
        return None
    centre = sum(recent, Decimal(0)) / len(recent)
    moving = [abs(after - before) for before, after in zip(recent, recent[1:], strict=False)]
    spread = LIMIT_FACTOR * sum(moving, Decimal(0)) / len(moving)
    if centre - spread <= value <= centre + spread:
        return None
    if not _several_fold(value, recent):
        return None
    if unit == units.COUNT and abs(value - centre) < COUNT_FLOOR:
        return None
    shown = rules.format_value(value, unit, decimal_places)
    return PlausibilityWarning(
        RANGE,
        f"{shown} is far outside this indicator's recent figures ({_span(recent, unit)} in "
        f"the {len(recent)} months with figures before it): check it for a slip such as an "
        "extra or missing digit or a misplaced decimal point.",
    )


def pair_warning(figure: FigureLike, unit: str) -> PlausibilityWarning | None:
    """A percentage or rate that its numerator and denominator do not give."""
    value, numerator, denominator = figure.value, figure.numerator, figure.denominator
    if value is None or numerator is None or denominator is None or not denominator:
        return None
    multiplier = units.get(unit).multiplier or Decimal(1)
    result = Decimal(numerator) / Decimal(denominator) * multiplier
    written = places_written(value)
    # The figure may be the result rounded to any precision it is written with (7.30 and 7
    # both stand for 7.3529...), as it may be stored with more places than were typed.
    if any(
        abs(round_half_up(result, places) - value) <= PAIR_TOLERANCE
        for places in range(written + 1)
    ):
        return None
    suffix = "%" if unit == units.PERCENTAGE else ""
    gives = f"{round_half_up(result, max(min(written, 2), 1))}{suffix}"
    stated = f"{plain(value, normalise=True)}{suffix}"
    fraction = f"{plain(numerator, normalise=True)}/{plain(denominator, normalise=True)}"
    return PlausibilityWarning(
        PAIR,
        f"{fraction} gives {gives}, but the figure is {stated}: check the figure, the "
        "numerator and the denominator.",
    )


def _several_fold(value: Decimal, recent: Sequence[Decimal]) -> bool:
    size = abs(value)
    largest = max(abs(r) for r in recent)
    smallest = min(abs(r) for r in recent)
    # After nothing but zeros, any figure is a jump.
    jumped_up = size > FOLD * largest if largest else size > 0
    return jumped_up or (smallest > 0 and size < smallest / FOLD)


def _span(recent: Sequence[Decimal], unit: str) -> str:
    places = max(significant_places(r) for r in recent)
    low, high = min(recent), max(recent)
    low_text = rules.format_value(low, unit, places)
    if low == high:
        return f"all {low_text}"
    return f"{low_text} to {rules.format_value(high, unit, places)}"
