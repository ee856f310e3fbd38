"""Polarity, the target in force in a month, and RAG against it.

A target is one of three kinds: a fixed target (a value), a trajectory (a straight line from a
starting figure to a goal, ``trajectories``) or an anticipated range (a lower and an upper
end, ``ranges``). ``target_for`` gives the month's target whatever the kind, so every page,
export and the pack judge a month the same way.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from indicators.numbers import Number, format_number, significant_places, to_decimal
from indicators.periods import Month
from indicators.rules.formatting import format_target, format_value
from indicators.rules.polarity import HIGHER_IS_BETTER, LOWER_IS_BETTER, NEITHER
from indicators.rules.ranges import RangePosition, range_position, range_text
from indicators.rules.trajectories import trajectory_value

DEFAULT_TOLERANCE = Decimal("0.15")

# The kinds of target (the model's choices use these).
FIXED_TARGET = "target"
TRAJECTORY = "trajectory"
ANTICIPATED_RANGE = "range"


# Targets ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class TargetSpan:
    """A target in force from ``valid_from`` (to ``valid_to``). ``value`` is the target: for
    a trajectory, the month's point on its line once ``target_for`` has chosen the month (the
    starting figure before); None for an anticipated range, which has ``lower`` and
    ``upper`` instead."""

    value: Decimal | None
    label: str = ""
    valid_from: Month | None = None
    valid_to: Month | None = None  # None: open-ended
    tolerance: Decimal = DEFAULT_TOLERANCE
    absolute_tolerance: Decimal | None = None
    kind: str = FIXED_TARGET
    # A trajectory: from start_value in valid_from to goal_value in goal_month, each month's
    # target rounded half up to ``places`` (the indicator's decimal places).
    start_value: Decimal | None = None
    goal_value: Decimal | None = None
    goal_month: Month | None = None
    places: int | None = None
    # An anticipated range, inclusive at both ends.
    lower: Decimal | None = None
    upper: Decimal | None = None

    @property
    def is_range(self) -> bool:
        return self.kind == ANTICIPATED_RANGE

    @property
    def is_trajectory(self) -> bool:
        return self.kind == TRAJECTORY

    @property
    def trajectory_line(self) -> tuple[Decimal, Month, Decimal, Month]:
        """A trajectory's starting figure and month and its goal and goal month."""
        start, first, goal, last = (
            self.start_value,
            self.valid_from,
            self.goal_value,
            self.goal_month,
        )
        if start is None or first is None or goal is None or last is None:
            raise ValueError("A trajectory has a starting figure and month, a goal and a month.")
        return start, first, goal, last

    @property
    def range_ends(self) -> tuple[Decimal, Decimal]:
        """An anticipated range's lower and upper ends."""
        if self.lower is None or self.upper is None:
            raise ValueError("An anticipated range has a lower and an upper end.")
        return self.lower, self.upper

    def applies_to(self, month: Month) -> bool:
        if self.valid_from is not None and month < self.valid_from:
            return False
        return self.valid_to is None or month <= self.valid_to

    def in_month(self, month: Month) -> "TargetSpan":
        """The span as the target of ``month``: a trajectory's value is its point on the line
        that month; other kinds are the same every month."""
        if not self.is_trajectory:
            return self
        return replace(self, value=self.trajectory_value(month))

    def trajectory_value(self, month: Month) -> Decimal | None:
        start_value, start_month, goal_value, goal_month = self.trajectory_line
        places = self.places
        if places is None:  # the digits the start and goal were written with
            places = max(significant_places(start_value), significant_places(goal_value))
        return trajectory_value(start_value, start_month, goal_value, goal_month, month, places)


def target_for(month: Month, spans: Iterable[TargetSpan]) -> TargetSpan | None:
    """The target in force in ``month``: of the spans covering it, the one that started last.

    A target valid only from a later month does not apply to earlier months (they are
    "Monitor" then), so a target set in October never colours September's figure.
    """
    covering = [span for span in spans if span.applies_to(month)]
    if not covering:
        return None
    # A span with no start month is in force from the beginning: it loses to any dated one.
    chosen = max(covering, key=lambda span: (span.valid_from is not None, span.valid_from or 0))
    return chosen.in_month(month)


def target_source(span: TargetSpan | None, unit: str, decimal_places: int) -> str:
    """What the target is, beyond its value: the label ("England"), a trajectory's goal
    ("trajectory to 25.0% by Oct-23"), a range's ends ("anticipated range 40.0r to 60.0r");
    "" for a local target with no label."""
    if span is None:
        return ""
    words = []
    if span.is_trajectory:
        _, _, goal_value, goal_month = span.trajectory_line
        goal = format_value(goal_value, unit, decimal_places)
        words.append(f"trajectory to {goal} by {goal_month.label}")
    elif span.is_range:
        ends = range_text(*span.range_ends, unit, decimal_places)
        words.append(f"anticipated range {ends}")
    if span.label:
        words.append(span.label)
    return ", ".join(words)


def describe_target(span: TargetSpan | None, unit: str, decimal_places: int) -> str:
    """The target as a table prints it: ``90.0%``, ``42.1r England``, ``26.1% (trajectory to
    25.0% by Oct-23)``, ``40.0r to 60.0r (anticipated range)``, or ``Monitor``."""
    if span is None:
        return "Monitor"
    if span.is_range:
        ends = range_text(*span.range_ends, unit, decimal_places)
        return f"{ends} (anticipated range{', ' + span.label if span.label else ''})"
    if span.is_trajectory:
        value = format_value(span.value, unit, decimal_places)
        return f"{value} ({target_source(span, unit, decimal_places)})"
    return format_target(span.value, unit, decimal_places, span.label)


def short_target(span: TargetSpan | None, unit: str, decimal_places: int) -> str:
    """The target as a narrow table column prints it: an anticipated range as its ends with a
    hyphen (``850-1,000 (range)``), a trajectory as the month's target (``26.1%
    (trajectory)``), any other target as ``describe_target`` does. The key and each row's
    details give the full wording (``describe_target``)."""
    if span is None or not (span.is_range or span.is_trajectory):
        return describe_target(span, unit, decimal_places)
    if span.is_range:
        ends = (format_value(end, unit, decimal_places) for end in (span.lower, span.upper))
        return f"{'-'.join(ends)} (range)"
    return f"{format_value(span.value, unit, decimal_places)} (trajectory)"


# RAG --------------------------------------------------------------------------------------
class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    MONITOR = "monitor"
    NO_DATA = "no data"
    # Beside an "x" whose possible values would be rated differently: no colour, no rating.
    SUPPRESSED = "suppressed"
    # Against an anticipated range (rules.ranges), for indicators with no better direction.
    WITHIN_RANGE = "within range"
    ABOVE_RANGE = "above range"
    BELOW_RANGE = "below range"

    @property
    def label(self) -> str:
        return _RAG_LABELS[self][0]

    @property
    def accessible_name(self) -> str:
        return _RAG_LABELS[self][1]

    @property
    def css_modifier(self) -> str:
        return "nodata" if self is Rag.NO_DATA else self.value.replace(" ", "-")

    @property
    def is_range(self) -> bool:
        return self in RANGE_RAGS


_RAG_LABELS = {
    Rag.GREEN: ("Green", "Green: on target"),
    Rag.AMBER: ("Amber", "Amber: within tolerance of target"),
    Rag.RED: ("Red", "Red: more than tolerance from target"),
    Rag.MONITOR: ("Monitor", "Monitor: no target"),
    Rag.NO_DATA: ("No data", "No data for this month"),
    Rag.SUPPRESSED: ("Suppressed", "Suppressed: not rated, so the figure cannot be worked out"),
    Rag.WITHIN_RANGE: ("Within range", "Within range: inside the anticipated range"),
    Rag.ABOVE_RANGE: ("Above range", "Above range: higher than the anticipated range"),
    Rag.BELOW_RANGE: ("Below range", "Below range: lower than the anticipated range"),
}
RANGE_RAGS = (Rag.WITHIN_RANGE, Rag.ABOVE_RANGE, Rag.BELOW_RANGE)
_RANGE_RAG = {
    RangePosition.WITHIN: Rag.WITHIN_RANGE,
    RangePosition.ABOVE: Rag.ABOVE_RANGE,
    RangePosition.BELOW: Rag.BELOW_RANGE,
}


def rag_status(
    value: Number | None,
    target: Number | None,
    polarity: str,
    tolerance: Number = DEFAULT_TOLERANCE,
    absolute_tolerance: Number | None = None,
) -> Rag:
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
    figure, aim = to_decimal(value), to_decimal(target)
    on_target = figure >= aim if polarity == HIGHER_IS_BETTER else figure <= aim
    if on_target:
        return Rag.GREEN
    gap = abs(figure - aim)
    if absolute_tolerance is not None:
        allowed = to_decimal(absolute_tolerance)
    else:
        allowed = to_decimal(tolerance) * abs(aim)
    return Rag.AMBER if gap <= allowed else Rag.RED


def rag_for_target(value: Number | None, span: TargetSpan | None, polarity: str) -> Rag:
    """``rag_status`` with the tolerance carried by a ``TargetSpan`` (or no target); against
    an anticipated range, "Within range", "Above range" or "Below range" whatever the
    polarity (No data without a figure)."""
    if span is None:
        return Rag.MONITOR if value is not None else Rag.NO_DATA
    if span.is_range:
        position = range_position(value, *span.range_ends)
        return Rag.NO_DATA if position is None else _RANGE_RAG[position]
    return rag_status(value, span.value, polarity, span.tolerance, span.absolute_tolerance)


def rag_accessible_name(rag: Rag, span: TargetSpan | None) -> str:
    """ "Amber: within 15% of target" with the target's own tolerance; "Above range: higher
    than the anticipated range of 40 to 60" with the range's ends."""
    if span is not None and span.is_range and rag.is_range:
        return f"{rag.accessible_name} of {range_text(*span.range_ends)}"
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


def tolerance_text(tolerance: Number = DEFAULT_TOLERANCE) -> str:
    """``15%`` for a tolerance of 0.15: the amber band as the key and the labels write it."""
    percent = to_decimal(tolerance) * 100
    return f"{format_number(percent, significant_places(percent))}%"
