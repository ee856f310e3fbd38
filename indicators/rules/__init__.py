"""Domain rules as plain functions: RAG against target, direction of travel, formatting and
small-number suppression, trajectories and anticipated ranges, one module each; everything
is importable from ``rules``.

Nothing here touches the database or the request, so every rule is tested by a table of
cases (tests/test_rules.py), including the worked examples of the Sep-23 Highlight Report.

Values are compared unrounded (as stored); only "level" in the direction of travel compares
at the indicator's display precision, because a move that does not show is no move to a reader.
"""

from indicators.figures import ACTUAL, NOT_AVAILABLE, PROVISIONAL, SUPPRESSED
from indicators.numbers import format_number, round_half_up
from indicators.rules.direction import (
    SUPPRESSED_DIRECTION,
    Arrow,
    Direction,
    Judgement,
    direction_of_travel,
)
from indicators.rules.formatting import format_target, format_value
from indicators.rules.polarity import HIGHER_IS_BETTER, LOWER_IS_BETTER, NEITHER
from indicators.rules.rag import (
    ANTICIPATED_RANGE,
    DEFAULT_TOLERANCE,
    FIXED_TARGET,
    RANGE_RAGS,
    TRAJECTORY,
    Rag,
    TargetSpan,
    describe_target,
    rag_accessible_name,
    rag_for_target,
    rag_status,
    short_target,
    target_for,
    target_source,
    tolerance_text,
)
from indicators.rules.ranges import RangePosition, range_position, range_text
from indicators.rules.suppression import (
    POSSIBLE_COUNTS,
    SUPPRESSED_MARK,
    SUPPRESSION_THRESHOLD,
    Disclosure,
    category_count,
    implied_count,
    is_suppressed,
    possible_values,
    published_display,
    same_for_every,
    small_numbers_in_text,
    suppress_group,
    suppressed_cells,
    suppressed_over_months,
    year_to_date_suppressed,
)
from indicators.rules.trajectories import ROUNDING as TRAJECTORY_ROUNDING
from indicators.rules.trajectories import (
    TrajectoryProgress,
    months_between,
    trajectory_months,
    trajectory_progress,
    trajectory_value,
)

__all__ = [
    "ACTUAL",
    "NOT_AVAILABLE",
    "PROVISIONAL",
    "SUPPRESSED",
    "ANTICIPATED_RANGE",
    "DEFAULT_TOLERANCE",
    "FIXED_TARGET",
    "RANGE_RAGS",
    "TRAJECTORY",
    "TRAJECTORY_ROUNDING",
    "HIGHER_IS_BETTER",
    "LOWER_IS_BETTER",
    "NEITHER",
    "POSSIBLE_COUNTS",
    "SUPPRESSED_DIRECTION",
    "SUPPRESSED_MARK",
    "SUPPRESSION_THRESHOLD",
    "Arrow",
    "Direction",
    "Disclosure",
    "Judgement",
    "Rag",
    "RangePosition",
    "TargetSpan",
    "TrajectoryProgress",
    "category_count",
    "describe_target",
    "short_target",
    "direction_of_travel",
    "format_number",
    "format_target",
    "format_value",
    "implied_count",
    "is_suppressed",
    "months_between",
    "possible_values",
    "published_display",
    "rag_accessible_name",
    "rag_for_target",
    "rag_status",
    "range_position",
    "range_text",
    "round_half_up",
    "same_for_every",
    "small_numbers_in_text",
    "suppress_group",
    "suppressed_cells",
    "suppressed_over_months",
    "year_to_date_suppressed",
    "target_for",
    "target_source",
    "tolerance_text",
    "trajectory_months",
    "trajectory_progress",
    "trajectory_value",
]
