"""Statistical process control: XmR charts with NHS "Making Data Count" rules. Pure functions.

Limits: mean of the baseline points ± 2.66 × the mean moving range (mR-bar); sigma is taken as
2.66 × mR-bar / 3, so two sigma is two thirds of the way to a limit. Rules, as Making Data Count
(and NHSRplotthedots) apply them:
- a point outside the process limits;
- a shift: 7 or more consecutive points on the same side of the mean (a point exactly on the
  mean breaks the run);
- a trend: 7 or more consecutive points each higher (or each lower) than the one before (an
  equal value breaks the trend);
- two of three consecutive points beyond two sigma on the same side of the mean.
A special cause is an improvement or a concern by the indicator's polarity; "neither" polarity
is flagged but not judged. Missing figures (not available, suppressed) are left out of the
series, so the points either side count as consecutive.
"""

from dataclasses import dataclass, field

HIGHER_IS_BETTER = "higher_is_better"
LOWER_IS_BETTER = "lower_is_better"
NEITHER = "neither"

LIMIT_FACTOR = 2.66
RUN_LENGTH = 7
MIN_POINTS = 12


@dataclass(frozen=True)
class Variation:
    code: str  # "common", "improvement_high", "concern_low", ...
    label: str
    icon: str  # the letters shown in the icon; the label carries the meaning


COMMON = Variation("common", "Common cause variation", "C")


@dataclass(frozen=True)
class Assurance:
    code: str
    label: str
    icon: str


CONSISTENTLY_MEETS = Assurance("meets", "Target consistently met", "P")
CONSISTENTLY_MISSES = Assurance("misses", "Target consistently missed", "F")
HIT_AND_MISS = Assurance("hit_and_miss", "Target hit and miss", "?")


@dataclass
class Point:
    index: int  # position in the series given
    value: float
    rules: set = field(default_factory=set)
    side: str = ""  # "high" or "low": which side of the mean the special cause lies

    @property
    def special(self):
        return bool(self.rules)


@dataclass
class XmR:
    mean: float
    mean_moving_range: float
    upper_limit: float
    lower_limit: float
    points: list
    baseline_start: int
    variation: Variation
    assurance: Assurance | None

    @property
    def two_sigma(self):
        return (self.upper_limit - self.mean) * 2 / 3


def xmr(values, *, polarity, target=None, baseline_start=0, min_points=MIN_POINTS):
    """The XmR analysis of ``values`` (oldest first; ``None`` for a missing month), with limits
    from the points from ``baseline_start`` on (a rebase). ``None`` if fewer than
    ``min_points`` figures from the baseline on."""
    points = [Point(i, float(v)) for i, v in enumerate(values) if v is not None]
    baseline = [p for p in points if p.index >= baseline_start]
    if len(baseline) < min_points:
        return None
    numbers = [p.value for p in baseline]
    mean = sum(numbers) / len(numbers)
    ranges = [abs(b - a) for a, b in zip(numbers, numbers[1:], strict=False)]
    mr_bar = sum(ranges) / len(ranges)
    upper, lower = mean + LIMIT_FACTOR * mr_bar, mean - LIMIT_FACTOR * mr_bar
    two_sigma = LIMIT_FACTOR * mr_bar * 2 / 3
    # Rules are applied to the points the limits describe: those from the baseline on.
    _outside_limits(baseline, upper, lower, mean)
    _shifts(baseline, mean)
    _trends(baseline)
    _two_of_three(baseline, mean, two_sigma)
    return XmR(
        mean=mean,
        mean_moving_range=mr_bar,
        upper_limit=upper,
        lower_limit=lower,
        points=points,
        baseline_start=baseline_start,
        variation=_variation(baseline[-1], polarity),
        assurance=_assurance(target, polarity, upper, lower),
    )


def _flag(point, rule, side):
    point.rules.add(rule)
    point.side = point.side or side


def _outside_limits(points, upper, lower, mean):
    for point in points:
        if point.value > upper:
            _flag(point, "outside_limits", "high")
        elif point.value < lower:
            _flag(point, "outside_limits", "low")


def _shifts(points, mean):
    run, side = [], ""
    for point in [*points, None]:
        now = "" if point is None else _side(point.value, mean)
        if now and now == side:
            run.append(point)
            continue
        if len(run) >= RUN_LENGTH:
            for member in run:
                _flag(member, "shift", side)
        run, side = ([point] if now else []), now


def _trends(points):
    run, direction = points[:1], ""
    for previous, point in zip(points, [*points[1:], None], strict=False):
        now = ""
        if point is not None and point.value != previous.value:
            now = "high" if point.value > previous.value else "low"
        if now and now == direction:
            run.append(point)
            continue
        if len(run) >= RUN_LENGTH and direction:
            for member in run:
                _flag(member, "trend", direction)
        run, direction = ([previous, point] if now else [point]), now


def _two_of_three(points, mean, two_sigma):
    for start in range(len(points) - 2):
        window = points[start : start + 3]
        for side in ("high", "low"):
            beyond = [
                p
                for p in window
                if (p.value - mean > two_sigma if side == "high" else mean - p.value > two_sigma)
            ]
            if len(beyond) >= 2:
                for point in beyond:
                    _flag(point, "two_of_three", side)


def _side(value, mean):
    if value > mean:
        return "high"
    if value < mean:
        return "low"
    return ""


def _variation(point, polarity):
    if not point.special:
        return COMMON
    side = point.side
    if polarity == NEITHER:
        return Variation(
            f"neither_{side}", f"Special cause variation ({side})", "N" + side[0].upper()
        )
    good = (side == "high") == (polarity == HIGHER_IS_BETTER)
    kind = "improvement" if good else "concern"
    return Variation(
        f"{kind}_{side}",
        f"Special cause {kind} ({side}er values)",
        ("I" if good else "C") + side[0].upper(),
    )


def _assurance(target, polarity, upper, lower):
    if target is None or polarity == NEITHER:
        return None
    target = float(target)
    if polarity == HIGHER_IS_BETTER:
        if target <= lower:
            return CONSISTENTLY_MEETS
        if target > upper:
            return CONSISTENTLY_MISSES
    else:
        if target >= upper:
            return CONSISTENTLY_MEETS
        if target < lower:
            return CONSISTENTLY_MISSES
    return HIT_AND_MISS
