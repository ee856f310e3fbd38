"""Trajectories: a target that moves in a straight line from a starting figure in one month
to a goal in a later month, as a committee asks for one ("a trajectory of the reductions":
Devon's agency social workers, 37.9% in Oct-22 to 25% by Oct-23).

Each month's target is the straight line's value that month, rounded half up to the
indicator's decimal places, so the target a table prints is the target the figure is judged
against. After the goal month the goal stands until the target ends. Whether the figure is
"on track for the goal" is whether it is on or better than that month's target.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from indicators.numbers import Number, round_half_up, to_decimal
from indicators.periods import Month
from indicators.rules.formatting import format_value
from indicators.rules.polarity import HIGHER_IS_BETTER, LOWER_IS_BETTER

if TYPE_CHECKING:  # rag imports this module to work out a trajectory's monthly target
    from indicators.rules.rag import TargetSpan

ROUNDING = (
    "each month's target is the straight line from the starting figure to the goal, rounded "
    "half up to the indicator's decimal places; after the goal month the goal stands"
)


def _index(month: Month) -> int:
    return month.year * 12 + month.month - 1


def months_between(first: Month, last: Month) -> int:
    """How many months ``last`` is after ``first`` (negative when before)."""
    return _index(last) - _index(first)


def trajectory_value(
    start_value: Number,
    start_month: Month,
    goal_value: Number,
    goal_month: Month,
    month: Month,
    places: int,
) -> Decimal | None:
    """The target in ``month`` on the straight line from ``start_value`` in ``start_month`` to
    ``goal_value`` in ``goal_month``, rounded half up to ``places``; the goal from the goal
    month on; None before the start. ``goal_month`` must be after ``start_month``."""
    steps = months_between(start_month, goal_month)
    if steps <= 0:
        raise ValueError("A trajectory's goal month comes after its starting month.")
    done = months_between(start_month, month)
    if done < 0:
        return None
    start, goal = to_decimal(start_value), to_decimal(goal_value)
    if done >= steps:
        value = goal
    else:
        value = start + (goal - start) * Decimal(done) / Decimal(steps)
    return round_half_up(value, places)


def trajectory_months(start_month: Month, goal_month: Month) -> list[Month]:
    """Every month from the start to the goal, inclusive, oldest first."""
    return [start_month.plus(n) for n in range(months_between(start_month, goal_month) + 1)]


@dataclass(frozen=True)
class TrajectoryProgress:
    """Where a month's figure stands against a trajectory. ``on_track`` is None when there
    is nothing to judge (no figure, no better direction, or not started)."""

    on_track: bool | None
    label: str  # "On track for the goal", "Not on track for the goal", "Goal met", ...
    sentence: str


def trajectory_progress(
    value: Number | None,
    month: Month,
    span: "TargetSpan",
    polarity: str,
    unit: str,
    places: int,
) -> TrajectoryProgress:
    """The figure ``value`` of ``month`` against the trajectory ``span`` (a TargetSpan of
    kind trajectory): on track when on or better than the month's target on the line;
    "Goal met" or "Goal not met" from the goal month on."""
    start_value, start_month, goal_value, goal_month = span.trajectory_line
    by = f"{format_value(goal_value, unit, places)} by {goal_month.label}"
    target = trajectory_value(start_value, start_month, goal_value, goal_month, month, places)
    if target is None:
        return TrajectoryProgress(None, "Not started", f"The trajectory to {by} has not started.")
    if polarity not in (HIGHER_IS_BETTER, LOWER_IS_BETTER):
        return TrajectoryProgress(
            None,
            "Not judged",
            f"Neither direction is better for this indicator: not judged against the "
            f"trajectory to {by}.",
        )
    if value is None:
        return TrajectoryProgress(
            None,
            "No figure",
            f"No figure for {month.label} to judge against the trajectory to {by}.",
        )
    figure = to_decimal(value)
    better = figure <= target if polarity == LOWER_IS_BETTER else figure >= target
    shown = format_value(figure, unit, places)
    if month >= goal_month:
        label = "Goal met" if better else "Goal not met"
        return TrajectoryProgress(
            better, label, f"{label}: {shown} in {month.label} against the goal of {by}."
        )
    step = format_value(target, unit, places)
    if better:
        return TrajectoryProgress(
            True,
            "On track for the goal",
            f"On track for the goal: {shown} in {month.label} is on or better than the "
            f"trajectory's {step} for the month (goal {by}).",
        )
    return TrajectoryProgress(
        False,
        "Not on track for the goal",
        f"Not on track for the goal: {shown} in {month.label} is worse than the trajectory's "
        f"{step} for the month (goal {by}).",
    )
