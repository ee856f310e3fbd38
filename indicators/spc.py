"""Statistical process control: XmR charts with NHS "Making Data Count" rules. Pure functions.

Limits: mean of the baseline points ± 2.66 × the mean moving range (mR-bar); sigma is taken as
2.66 × mR-bar / 3, so two sigma is two thirds of the way to a limit. Rules, as Making Data Count
(MDC) applies them (docs/decisions/0004-spc-rules.md says where and why each reference
implementation differs):
- a point outside the process limits (a point exactly on a limit is inside);
- a shift: 7 or more consecutive points on the same side of the mean (a point exactly on the
  mean breaks the run);
- a trend: 7 or more consecutive points each higher (or each lower) than the one before (an
  equal value breaks the trend);
- two of three consecutive points beyond two sigma, all three on the same side of the mean;
  any point beyond two sigma counts, including one beyond a limit, and only those are flagged.
A special cause is an improvement or a concern by the indicator's polarity; "neither" polarity
is flagged but not judged. When a point's rules disagree about its side, the improvement is
shown, as MDC's tool does. Missing figures (not available, suppressed) are left out of the
series, so the points either side count as consecutive.

The rule codes (``outside_limits``, ``shift``...) and variation codes are internal names:
pages, exports and the pack use the sentences below (``RULE_SENTENCES``, ``VARIATION_KEY``,
``ASSURANCE_KEY``), written for a councillor.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from indicators.numbers import Number

# Polarity is defined once, with the rules; re-exported for the readers of SPC.
from indicators.rules.polarity import HIGHER_IS_BETTER as HIGHER_IS_BETTER
from indicators.rules.polarity import LOWER_IS_BETTER as LOWER_IS_BETTER
from indicators.rules.polarity import NEITHER as NEITHER

LIMIT_FACTOR = 2.66
RUN_LENGTH = 7
MIN_POINTS = 12

HIGH = "high"
LOW = "low"

OUTSIDE_LIMITS = "outside_limits"
SHIFT = "shift"
TREND = "trend"
TWO_OF_THREE = "two_of_three"
# For "neither" polarity a conflict has no improvement to prefer: the first of these rules to
# flag the point gives its side (NHSRplotthedots' order, R/ptd_calculate_point_type.R).
RULE_PRECEDENCE = (OUTSIDE_LIMITS, TREND, TWO_OF_THREE, SHIFT)

RULE_SENTENCES = {
    (OUTSIDE_LIMITS, HIGH): "a month outside the expected range",
    (OUTSIDE_LIMITS, LOW): "a month outside the expected range",
    (SHIFT, HIGH): "seven months in a row above the average",
    (SHIFT, LOW): "seven months in a row below the average",
    (TREND, HIGH): "seven months rising",
    (TREND, LOW): "seven months falling",
    (TWO_OF_THREE, HIGH): "two of three months close to the edge of the expected range",
    (TWO_OF_THREE, LOW): "two of three months close to the edge of the expected range",
}
# The order the sentences are listed in, beside a point and in the key.
RULE_ORDER = (OUTSIDE_LIMITS, SHIFT, TREND, TWO_OF_THREE)


@dataclass(frozen=True)
class Variation:
    code: str  # internal: "common", "improvement_high", "concern_low", ...
    label: str
    icon: str  # the letters shown in the icon; the label carries the meaning

    @property
    def kind(self) -> str:
        """ "common", "improvement", "concern" or "neither": what the icon's colour shows."""
        return self.code.split("_")[0]


COMMON = Variation("common", "Common cause variation", "C")
IMPROVEMENT_HIGH = Variation("improvement_high", "Special cause improvement (higher values)", "IH")
IMPROVEMENT_LOW = Variation("improvement_low", "Special cause improvement (lower values)", "IL")
CONCERN_HIGH = Variation("concern_high", "Special cause concern (higher values)", "CH")
CONCERN_LOW = Variation("concern_low", "Special cause concern (lower values)", "CL")
NEITHER_HIGH = Variation("neither_high", "Special cause variation (higher values)", "NH")
NEITHER_LOW = Variation("neither_low", "Special cause variation (lower values)", "NL")


@dataclass(frozen=True)
class Assurance:
    code: str
    label: str
    icon: str

    @property
    def css(self) -> str:
        return self.code.replace("_", "-")


CONSISTENTLY_MEETS = Assurance("meets", "Target consistently met", "P")
CONSISTENTLY_MISSES = Assurance("misses", "Target consistently missed", "F")
HIT_AND_MISS = Assurance("hit_and_miss", "Target hit and miss", "?")

UNUSUAL = "The latest month is part of an unusual pattern"
VARIATION_KEY = [
    (COMMON, "The figures vary as they usually do: nothing unusual about the latest month."),
    (IMPROVEMENT_HIGH, f"{UNUSUAL} of high figures, and higher is better."),
    (IMPROVEMENT_LOW, f"{UNUSUAL} of low figures, and lower is better."),
    (CONCERN_HIGH, f"{UNUSUAL} of high figures, and lower is better."),
    (CONCERN_LOW, f"{UNUSUAL} of low figures, and higher is better."),
    (NEITHER_HIGH, f"{UNUSUAL} of high figures; neither direction is better, so not judged."),
    (NEITHER_LOW, f"{UNUSUAL} of low figures; neither direction is better, so not judged."),
]
ASSURANCE_KEY = [
    (
        CONSISTENTLY_MEETS,
        "The target is outside the expected range, on the better side: every month can be "
        "expected to meet it unless something changes.",
    ),
    (
        CONSISTENTLY_MISSES,
        "The target is outside the expected range, on the worse side: every month can be "
        "expected to miss it unless the way the service works changes.",
    ),
    (
        HIT_AND_MISS,
        "The target is inside the expected range (or on its edge): some months will meet it "
        "and some will miss it, by chance alone.",
    ),
]
# What a special-cause point means on the chart and in the indicator page's table.
SPECIAL_MEANING = {
    "improvement": "An improvement",
    "concern": "A concern",
    "neither": "Unusual, not judged (neither direction is better)",
}
EXPECTED_RANGE = (
    "The expected range (the process limits) is the average of the last 24 months plus or "
    "minus 2.66 times the average change from one month to the next. Nearly every month "
    "falls inside it while nothing changes; a month outside it, or one of the patterns "
    "below, is unusual (a special cause)."
)


def key_patterns() -> list[str]:
    """The unusual patterns, each in words once, in ``RULE_ORDER``."""
    return list(
        dict.fromkeys(RULE_SENTENCES[(rule, side)] for rule in RULE_ORDER for side in (HIGH, LOW))
    )


@dataclass
class Point:
    index: int  # position in the series given
    value: float
    # (rule, side) pairs in the order found; a point ending one trend and starting the next
    # carries both directions of the trend rule.
    flags: list[tuple[str, str]] = field(default_factory=list)
    side: str = ""  # "high" or "low": the side the point is shown as (see shown_side)

    @property
    def rules(self) -> set[str]:
        return {rule for rule, _ in self.flags}

    @property
    def special(self) -> bool:
        return bool(self.flags)

    @property
    def sentences(self) -> list[str]:
        """What the point is part of, in words, each sentence once."""
        ordered = sorted(self.flags, key=lambda flag: (RULE_ORDER.index(flag[0]), flag[1]))
        return list(dict.fromkeys(RULE_SENTENCES[flag] for flag in ordered))


@dataclass(frozen=True)
class Segment:
    """A run of the series with limits of its own: from the baseline, or from a rebase (an
    event that changed the process) up to the point before the next. ``start`` and ``end``
    are the series indexes (``Point.index``) of its first and last points; ``limits`` is
    None for an earlier segment with too few points to work limits out from (its points are
    drawn, not judged)."""

    start: int
    end: int
    limits: "Limits | None"


@dataclass
class XmR:
    mean: float
    mean_moving_range: float
    upper_limit: float
    lower_limit: float
    points: list[Point]
    baseline_start: int
    variation: Variation
    assurance: Assurance | None
    # Oldest first; the last is the one ``mean`` and the limits above describe.
    segments: list[Segment] = field(default_factory=list)
    # Rebases (series indexes) not applied yet: too few points after them so far.
    pending_rebases: list[int] = field(default_factory=list)

    @property
    def two_sigma(self) -> float:
        return (self.upper_limit - self.mean) * 2 / 3

    @property
    def latest(self) -> Point:
        return self.points[-1]

    @property
    def rebased(self) -> bool:
        """Whether the limits were recalculated after a change in the process."""
        return len(self.segments) > 1


@dataclass(frozen=True)
class Limits:
    mean: float
    mean_moving_range: float
    lower: float
    upper: float

    @property
    def two_sigma(self) -> float:
        return LIMIT_FACTOR * self.mean_moving_range * 2 / 3


def limits(numbers: Sequence[float]) -> Limits:
    """Mean and process limits of ``numbers`` (at least two), without screening large
    moving ranges out (as MDC's spreadsheets; decision 0004)."""
    mean = sum(numbers) / len(numbers)
    ranges = [abs(b - a) for a, b in zip(numbers, numbers[1:], strict=False)]
    mr_bar = sum(ranges) / len(ranges)
    return Limits(mean, mr_bar, mean - LIMIT_FACTOR * mr_bar, mean + LIMIT_FACTOR * mr_bar)


def xmr(
    values: Iterable[Number | None],
    *,
    polarity: str,
    target: Number | None = None,
    baseline_start: int = 0,
    rebases: Iterable[int] = (),
    min_points: int = MIN_POINTS,
) -> XmR | None:
    """The XmR analysis of ``values`` (oldest first; ``None`` for a missing month), with limits
    from the points from ``baseline_start`` on (points before it are drawn, not judged), and
    recalculated from each of ``rebases`` (series indexes of months that changed the process:
    Making Data Count's rebase) with separate limits before and after.

    A rebase followed by fewer than ``min_points`` figures is pending: its points are judged
    against the limits before it until there are enough. An earlier segment with fewer than
    ``min_points`` figures is drawn but not judged. ``None`` if the latest segment, so
    merged, has fewer than ``min_points`` figures."""
    points = [Point(i, float(v)) for i, v in enumerate(values) if v is not None]
    baseline = [p for p in points if p.index >= baseline_start]
    enough = max(min_points, 2)
    cuts, pending = segment_cuts([p.index for p in baseline], rebases, enough)
    if len(baseline) < enough:
        return None
    segments = []
    for first, after in zip(cuts, cuts[1:], strict=False):
        chosen = baseline[first:after]
        found = judge_segment(chosen, polarity) if len(chosen) >= enough else None
        segments.append(Segment(chosen[0].index, chosen[-1].index, found))
    latest = segments[-1].limits
    assert latest is not None  # the latest segment has enough points (segment_cuts)
    return XmR(
        mean=latest.mean,
        mean_moving_range=latest.mean_moving_range,
        upper_limit=latest.upper,
        lower_limit=latest.lower,
        points=points,
        baseline_start=baseline_start,
        variation=variation(baseline[-1].side, polarity),
        assurance=assurance(target, polarity, latest.upper, latest.lower),
        segments=segments,
        pending_rebases=pending,
    )


def segment_cuts(
    indexes: Sequence[int], rebases: Iterable[int], enough: int
) -> tuple[list[int], list[int]]:
    """(cuts, pending): positions in ``indexes`` (the baseline points' series indexes) where
    each segment starts, with ``len(indexes)`` last; and the rebases not applied because
    fewer than ``enough`` points follow them. A rebase on a missing month starts at the next
    point; one at or before the first point, or after the last, cuts nothing."""
    count = len(indexes)
    starts = {
        next((position for position, index in enumerate(indexes) if index >= rebase), count)
        for rebase in rebases
    }
    cuts = [0, *sorted(start for start in starts if 0 < start < count), count]
    pending: list[int] = []
    while len(cuts) > 2 and cuts[-1] - cuts[-2] < enough:
        pending.insert(0, indexes[cuts.pop(-2)])
    return cuts, pending


def judge_segment(chosen: Sequence[Point], polarity: str) -> Limits:
    """Work out the limits of ``chosen`` points and flag them by the rules, which look only
    at the points the limits describe (runs and trends do not cross a rebase)."""
    numbers = [p.value for p in chosen]
    found = limits(numbers)
    by_rule = [
        (OUTSIDE_LIMITS, outside_limits(numbers, found.lower, found.upper)),
        (SHIFT, shifts(numbers, found.mean)),
        (TREND, trends(numbers)),
        (TWO_OF_THREE, two_of_three(numbers, found.mean, found.two_sigma)),
    ]
    for rule, sides in by_rule:
        for point, point_sides in zip(chosen, sides, strict=True):
            point.flags.extend((rule, side) for side in point_sides)
    for point in chosen:
        point.side = shown_side(point.flags, polarity)
    return found


# The rules: each takes plain numbers and returns, for every point, the set of sides ("high",
# "low") on which that rule flags it (empty when it does not).
def side_of_mean(value: float, mean: float) -> str:
    if value > mean:
        return HIGH
    if value < mean:
        return LOW
    return ""


def outside_limits(values: Sequence[float], lower: float, upper: float) -> list[set[str]]:
    return [{HIGH} if v > upper else {LOW} if v < lower else set() for v in values]


def shifts(values: Sequence[float], mean: float, length: int = RUN_LENGTH) -> list[set[str]]:
    """Runs of ``length`` or more points on one side of the mean."""
    flagged: list[set[str]] = [set() for _ in values]
    start = 0
    for end in range(1, len(values) + 1):
        side = side_of_mean(values[start], mean)
        if end < len(values) and side_of_mean(values[end], mean) == side:
            continue
        if side and end - start >= length:
            for i in range(start, end):
                flagged[i].add(side)
        start = end
    return flagged


def trends(values: Sequence[float], length: int = RUN_LENGTH) -> list[set[str]]:
    """Runs of ``length`` or more points each higher (or each lower) than the one before. The
    point where a rise turns into a fall belongs to both runs."""
    flagged: list[set[str]] = [set() for _ in values]
    steps = [side_of_mean(b, a) for a, b in zip(values, values[1:], strict=False)]
    start = 0  # the first step of the current run of steps in one direction
    for end in range(1, len(steps) + 1):
        if end < len(steps) and steps[end] == steps[start]:
            continue
        # Steps start..end-1 join points start..end: end - start + 1 points.
        if steps and steps[start] and end - start + 1 >= length:
            for i in range(start, end + 1):
                flagged[i].add(steps[start])
        start = end
    return flagged


def two_of_three(values: Sequence[float], mean: float, two_sigma: float) -> list[set[str]]:
    """Windows of three consecutive points, all on one side of the mean, at least two of them
    beyond two sigma on that side (MDC since November 2023: NHSRplotthedots issue 194). Only the
    points beyond two sigma are flagged."""
    flagged: list[set[str]] = [set() for _ in values]
    beyond = [HIGH if v - mean > two_sigma else LOW if mean - v > two_sigma else "" for v in values]
    for start in range(len(values) - 2):
        window = range(start, start + 3)
        sides = {side_of_mean(values[i], mean) for i in window}
        if len(sides) != 1 or "" in sides:
            continue
        (side,) = sides
        chosen = [i for i in window if beyond[i] == side]
        if len(chosen) >= 2:
            for i in chosen:
                flagged[i].add(side)
    return flagged


def shown_side(flags: Sequence[tuple[str, str]], polarity: str) -> str:
    """The side a flagged point is shown on. Where its rules disagree (a rising trend while
    still in a run below the mean), MDC's tool shows the improvement; with no better
    direction, the rule first in ``RULE_PRECEDENCE`` decides, and within a rule the later run
    (the fall after a peak), as NHSRplotthedots and PowerBI-SPC do."""
    sides = {side for _, side in flags}
    if len(sides) < 2:
        return next(iter(sides), "")
    if polarity == HIGHER_IS_BETTER:
        return HIGH
    if polarity == LOWER_IS_BETTER:
        return LOW
    for rule in RULE_PRECEDENCE:
        of_rule = [side for flagged, side in flags if flagged == rule]
        if of_rule:
            return of_rule[-1]
    return ""  # not reached: every flag's rule is in RULE_PRECEDENCE


def variation(side: str, polarity: str) -> Variation:
    """The variation icon for the latest point, shown on ``side`` ("" for common cause)."""
    if not side:
        return COMMON
    if polarity == NEITHER:
        return NEITHER_HIGH if side == HIGH else NEITHER_LOW
    good = (side == HIGH) == (polarity == HIGHER_IS_BETTER)
    if good:
        return IMPROVEMENT_HIGH if side == HIGH else IMPROVEMENT_LOW
    return CONCERN_HIGH if side == HIGH else CONCERN_LOW


def assurance(target: Number | None, polarity: str, upper: float, lower: float) -> Assurance | None:
    """Where the target lies against the process limits. A target exactly on a limit is
    inside the range the process produces: hit and miss, whichever the polarity."""
    if target is None or polarity == NEITHER:
        return None
    aim = float(target)
    if aim > upper:
        return CONSISTENTLY_MISSES if polarity == HIGHER_IS_BETTER else CONSISTENTLY_MEETS
    if aim < lower:
        return CONSISTENTLY_MEETS if polarity == HIGHER_IS_BETTER else CONSISTENTLY_MISSES
    return HIT_AND_MISS
