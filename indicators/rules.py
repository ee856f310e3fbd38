"""Domain rules as plain functions: RAG against target, direction of travel, formatting.

Nothing here touches the database or the request, so every rule is tested by a table of
cases (tests/test_rules.py), including the worked examples of the Sep-23 Highlight Report.

Values are compared unrounded (as stored); only "level" in the direction of travel compares
at the indicator's display precision, because a move that does not show is no move to a reader.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from . import units
from .figures import ACTUAL, NOT_AVAILABLE, PROVISIONAL, SUPPRESSED  # noqa: F401 - re-exported
from .numbers import format_number, round_half_up, significant_places
from .numbers import to_decimal as _decimal

# Polarity: which way is better. Defined here once; the model's choices and SPC use these.
HIGHER_IS_BETTER = "higher_is_better"
LOWER_IS_BETTER = "lower_is_better"
NEITHER = "neither"

DEFAULT_TOLERANCE = Decimal("0.15")


# Targets ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class TargetSpan:
    value: Decimal
    label: str = ""
    valid_from: object = None  # periods.Month
    valid_to: object = None  # periods.Month or None: open-ended
    tolerance: Decimal = DEFAULT_TOLERANCE
    absolute_tolerance: Decimal | None = None

    def applies_to(self, month):
        if self.valid_from is not None and month < self.valid_from:
            return False
        return self.valid_to is None or month <= self.valid_to


def target_for(month, spans):
    """The target in force in ``month``: of the spans covering it, the one that started last.

    A target valid only from a later month does not apply to earlier months (they are
    "Monitor" then), so a target set in October never colours September's figure.
    """
    covering = [span for span in spans if span.applies_to(month)]
    if not covering:
        return None
    # A span with no start month is in force from the beginning: it loses to any dated one.
    return max(covering, key=lambda span: (span.valid_from is not None, span.valid_from or 0))


# RAG --------------------------------------------------------------------------------------
class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    MONITOR = "monitor"
    NO_DATA = "no data"

    @property
    def label(self):
        return _RAG_LABELS[self][0]

    @property
    def accessible_name(self):
        return _RAG_LABELS[self][1]

    @property
    def css_modifier(self):
        return "nodata" if self is Rag.NO_DATA else self.value


_RAG_LABELS = {
    Rag.GREEN: ("Green", "Green: on target"),
    Rag.AMBER: ("Amber", "Amber: within tolerance of target"),
    Rag.RED: ("Red", "Red: more than tolerance from target"),
    Rag.MONITOR: ("Monitor", "Monitor: no target"),
    Rag.NO_DATA: ("No data", "No data for this month"),
}


def rag_status(
    value,
    target,
    polarity,
    tolerance=DEFAULT_TOLERANCE,
    absolute_tolerance=None,
):
    """Judge a figure against its target.

    Green when on or better than target; amber when worse but within the tolerance,
    ``|value - target| <= tolerance * |target|`` (or within ``absolute_tolerance`` in the
    indicator's own unit when the target sets one); red otherwise. A target of 0 has no
    relative band, so anything worse than 0 is red unless an absolute tolerance is given.
    No figure is No data, with or without a target; otherwise no target, or polarity
    "neither", is Monitor.
    """
    if value is None:
        return Rag.NO_DATA
    if target is None or polarity == NEITHER:
        return Rag.MONITOR
    if polarity not in (HIGHER_IS_BETTER, LOWER_IS_BETTER):
        raise ValueError(f"Unknown polarity {polarity!r}.")
    value, target = _decimal(value), _decimal(target)
    on_target = value >= target if polarity == HIGHER_IS_BETTER else value <= target
    if on_target:
        return Rag.GREEN
    gap = abs(value - target)
    if absolute_tolerance is not None:
        allowed = _decimal(absolute_tolerance)
    else:
        allowed = _decimal(tolerance) * abs(target)
    return Rag.AMBER if gap <= allowed else Rag.RED


def rag_for_target(value, span, polarity):
    """``rag_status`` with the tolerance carried by a ``TargetSpan`` (or no target)."""
    if span is None:
        return Rag.MONITOR if value is not None else Rag.NO_DATA
    return rag_status(value, span.value, polarity, span.tolerance, span.absolute_tolerance)


def rag_accessible_name(rag, span):
    """ "Amber: within 15% of target" with the target's own tolerance."""
    if span is None or rag not in (Rag.AMBER, Rag.RED):
        return rag.accessible_name
    if span.absolute_tolerance is not None:
        places = significant_places(span.absolute_tolerance)
        band = format_number(span.absolute_tolerance, places)
    else:
        band = tolerance_text(span.tolerance)
    if rag is Rag.AMBER:
        return f"Amber: within {band} of target"
    return f"Red: more than {band} from target"


def tolerance_text(tolerance=DEFAULT_TOLERANCE):
    """``15%`` for a tolerance of 0.15: the amber band as the key and the labels write it."""
    percent = _decimal(tolerance) * 100
    return f"{format_number(percent, significant_places(percent))}%"


# Direction of travel ----------------------------------------------------------------------
class Arrow(StrEnum):
    UP = "up"
    DOWN = "down"
    LEVEL = "level"
    NONE = "none"


class Judgement(StrEnum):
    IMPROVEMENT = "improvement"
    DECLINE = "decline"
    NO_CHANGE = "no change"
    NOT_JUDGED = "not judged"


_ARROW_SYMBOLS = {Arrow.UP: "▲", Arrow.DOWN: "▼", Arrow.LEVEL: "▶", Arrow.NONE: ""}


@dataclass(frozen=True)
class Direction:
    arrow: Arrow
    judgement: Judgement
    reason: str = ""

    @property
    def symbol(self):
        return _ARROW_SYMBOLS[self.arrow]

    @property
    def accessible_name(self):
        """Text that says what the colour says: "Down, an improvement"."""
        if self.arrow is Arrow.NONE:
            return self.reason
        if self.arrow is Arrow.LEVEL:
            return "Level, no change"
        word = "Up" if self.arrow is Arrow.UP else "Down"
        if self.judgement is Judgement.IMPROVEMENT:
            return f"{word}, an improvement"
        if self.judgement is Judgement.DECLINE:
            return f"{word}, a decline"
        return f"{word}, not judged (no better direction)"

    @property
    def css_modifier(self):
        return {
            Judgement.IMPROVEMENT: "improvement",
            Judgement.DECLINE: "decline",
        }.get(self.judgement, "neutral")


def direction_of_travel(current, previous, polarity, decimal_places):
    """Which way the figure moved since the previous period, and whether that is better.

    Level means equal at the indicator's display precision. Polarity "neither" moves but is
    not judged (grey). A missing current or previous figure gives no arrow.
    """
    if previous is None:
        return Direction(Arrow.NONE, Judgement.NOT_JUDGED, "No previous figure")
    if current is None:
        return Direction(Arrow.NONE, Judgement.NOT_JUDGED, "No current figure")
    now = round_half_up(current, decimal_places)
    before = round_half_up(previous, decimal_places)
    if now == before:
        return Direction(Arrow.LEVEL, Judgement.NO_CHANGE)
    arrow = Arrow.UP if now > before else Arrow.DOWN
    if polarity == NEITHER:
        return Direction(arrow, Judgement.NOT_JUDGED)
    if polarity not in (HIGHER_IS_BETTER, LOWER_IS_BETTER):
        raise ValueError(f"Unknown polarity {polarity!r}.")
    improved = (arrow is Arrow.UP) == (polarity == HIGHER_IS_BETTER)
    return Direction(arrow, Judgement.IMPROVEMENT if improved else Judgement.DECLINE)


# Formatting -------------------------------------------------------------------------------
def format_value(value, unit, decimal_places, status=ACTUAL):
    """A figure as the reports print it: ``52.0%``, ``39.1r``, ``1,485``, ``11.25``, ``£1,200``.

    "Not available" is a status, never a zero.
    """
    if status == NOT_AVAILABLE:
        return "Not available"
    if status == SUPPRESSED:
        return "x"
    if value is None:
        return "No data"
    number = format_number(value, decimal_places)
    kind = units.get(unit)
    sign, digits = ("-", number[1:]) if number.startswith("-") else ("", number)
    return f"{sign}{kind.prefix}{digits}{kind.suffix}"


def format_target(value, unit, decimal_places, label=""):
    """``90.0%``, ``42.1r England``, ``10.5% Ofsted Good+``, or ``Monitor`` with no target."""
    if value is None:
        return "Monitor"
    text = format_value(value, unit, decimal_places)
    return f"{text} {label}" if label else text


# Small-number suppression ----------------------------------------------------------------
SUPPRESSION_THRESHOLD = 5
SUPPRESSED_MARK = "x"


def is_suppressed(value, unit, numerator=None):
    """Counts of children below five are not published (the papers show 'x'), nor is a figure
    worked out from such a count (a percentage whose numerator is 1-4). Zero is published:
    it discloses no child."""
    if unit == units.COUNT and value is not None and 0 < _decimal(value) < SUPPRESSION_THRESHOLD:
        return True
    return numerator is not None and 0 < _decimal(numerator) < SUPPRESSION_THRESHOLD


def published_display(value, unit, decimal_places, status=ACTUAL, numerator=None):
    """``format_value`` for anything published or exported: small numbers become ``x``."""
    if status not in (NOT_AVAILABLE, SUPPRESSED) and is_suppressed(value, unit, numerator):
        return SUPPRESSED_MARK
    return format_value(value, unit, decimal_places, status)


def suppress_group(values, total):
    """Which counts of a set of categories to show as ``x`` when their total is shown.

    ``values`` are the categories' counts (the categories of abuse of the children on a child
    protection plan; the placement types of the children in care); None is a count withheld
    at source. ``total`` is the total printed beside them, or None when it is not shown (or is
    suppressed itself). Returns one boolean per value: True to suppress.

    A count of 1-4 is suppressed (``is_suppressed``). With the total shown, a lone suppressed
    category is the total less the others, so the next-smallest category is suppressed too
    (complementary suppression); and while the suppressed categories' known counts add up to
    fewer than five, another one joins them (two 1s would otherwise be read off a total that
    is 2 more than the shown categories). The next-smallest is a non-zero count where there
    is one: a zero hidden beside a small count hides nothing.
    """
    values = [_decimal(value) for value in values]
    hidden = [value is None or is_suppressed(value, "count") for value in values]
    if total is None or not any(hidden):
        return hidden
    while True:
        chosen = [value for value, is_hidden in zip(values, hidden, strict=True) if is_hidden]
        together = None if None in chosen else sum(chosen, Decimal(0))
        if len(chosen) >= 2 and (together is None or together >= SUPPRESSION_THRESHOLD):
            return hidden
        candidates = [
            (value == 0, value, index)
            for index, (value, is_hidden) in enumerate(zip(values, hidden, strict=True))
            if not is_hidden
        ]
        if not candidates:
            return hidden
        hidden[min(candidates)[2]] = True


@dataclass(frozen=True)
class Disclosure:
    """What one row's figure in one column could tell a reader about a count of children:
    its value (in the row's unit), the numerator it was worked out from, and whether it was
    withheld at source (printed "x" in the source, or stored as suppressed)."""

    value: Decimal | None
    unit: str
    numerator: Decimal | None = None
    withheld: bool = False


def category_count(disclosure, total):
    """The number of children a category row discloses: its count, its numerator, or its
    percentage of the shown total. None: withheld. False: nothing to judge (no figure)."""
    if disclosure.withheld:
        return None
    if disclosure.value is None:
        return False
    if disclosure.unit == units.COUNT:
        return disclosure.value
    if disclosure.numerator is not None:
        return disclosure.numerator
    if disclosure.unit == units.PERCENTAGE and total is not None:
        return round_half_up(_decimal(disclosure.value) * total / 100, 0)
    return False


def suppressed_cells(cells, categories, rates):
    """Which cells of one column of a table to show as ``x``.

    ``cells`` maps a row's key to its ``Disclosure``; ``categories`` maps a total's key to the
    keys of its category rows (the categories of abuse of the children on a child protection
    plan); ``rates`` maps a rate row's key to the key of the count it is worked out from.
    A small count is suppressed, and so is a figure worked out from one; a category is
    suppressed with its siblings whenever its total is shown (``suppress_group``); a rate of
    a suppressed count is suppressed. Returns {key: True to suppress}.
    """
    hidden = {
        key: cell.withheld or is_suppressed(cell.value, cell.unit, cell.numerator)
        for key, cell in cells.items()
    }
    for total_key, members in categories.items():
        total = cells.get(total_key)
        shown_total = total.value if total is not None and not hidden.get(total_key, True) else None
        counted = []
        for member in members:
            count = category_count(cells[member], shown_total)
            if count is not False:
                counted.append((member, count))
        group = suppress_group([count for _, count in counted], shown_total)
        for (member, _), is_hidden in zip(counted, group, strict=True):
            hidden[member] = hidden[member] or is_hidden
    for rate_key, count_key in rates.items():
        if hidden.get(count_key):
            hidden[rate_key] = True
    return hidden
