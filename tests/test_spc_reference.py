"""indicators.spc held against the test cases of three independent implementations of NHS
England's Making Data Count (MDC) rules. The numbers are transcribed from their own tests (no
code of theirs is here); each case's id names the repository, commit, file and test:

  NHSRplotthedots  nhs-r-community/NHSRplotthedots @ 050b07d7eacc011767532732f69b8fd7d6a28fd3
  PowerBI-SPC      AUS-DOH-Safety-and-Quality/PowerBI-SPC @ 478773a5d73a14aeb1996eb2add346afba8ef72a
  nhspy            nhs-pycom/nhspy-plotthedots @ bfdefe4ae0baca24b71dcd997e3d5ab7ce9f07e0

Many of their tests check an intermediate vector (the side of the mean of each point, 1 / 0 /
-1, or whether it is close to a limit) rather than a series of figures. Those inputs are given
here as figures that produce exactly that vector: a side-of-the-mean vector is a series with
mean 0; "close to a limit" is a figure of 3 (or -3) against a mean of 0 and two sigma of 2,
and a point that is not close is 1 (or -1). Their functions that mark only the seventh point
of a run are composed with the function that spreads the mark back over the run
(``ptd_part_of_seven_trend``, ``part_of_seven_trend``), as their own pipelines compose them.

Where we deliberately differ, the case says ``differs=`` with their answer and the reason; the
test checks that their answer really is different (so a stale note fails) and
``test_every_difference_is_in_the_decision_record`` checks docs/decisions/0004 lists it.
Cases for options we do not offer (varying limits, fixing the limits after n points,
highlighting every point of a two-in-three window, icons over all points rather than the
latest) and cases that only test input validation are not transcribed.

Point marks: "H" flagged on the high side, "L" low side, "B" both (a turning point that ends
one trend and starts the next), "." not flagged.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest

from indicators import spc

NHSR = "NHSRplotthedots@050b07d7eacc"
PBI = "PowerBI-SPC@478773a5d73a"
NHSPY = "nhspy@bfdefe4ae0ba"

DECISION_RECORD = Path(__file__).resolve().parent.parent / "docs/decisions/0004-spc-rules.md"

# The reasons we differ, each a heading-like phrase the decision record must contain.
NO_SCREENING = "No moving-range screening"
ON_THE_MEAN = "A point on the mean is on neither side"
ONE_SIDE = "Two of three: all three months on one side of the mean"
BOTH_TRENDS = "A turning point belongs to both trends"
LATEST_CONFLICT = "When rules disagree, the improvement is shown"
BEYOND_LIMITS = "Two of three counts months beyond a limit"
REASONS = [NO_SCREENING, ON_THE_MEAN, ONE_SIDE, BOTH_TRENDS, LATEST_CONFLICT, BEYOND_LIMITS]


@dataclass(frozen=True)
class Differs:
    theirs: object
    why: str


def case(source, where, *values, differs=None):
    """A transcribed case; ``where`` is "file::test name[#n]"."""
    return pytest.param(*values, differs, id=f"{source}/{where}")


MARKS = {"H": {spc.HIGH}, "L": {spc.LOW}, "B": {spc.HIGH, spc.LOW}, ".": set()}


def marks(text):
    return [MARKS[mark] for mark in text]


def check(ours, expected, differs):
    assert ours == expected
    if differs is not None:
        assert differs.why in REASONS
        theirs = differs.theirs
        if isinstance(theirs, list) and all(isinstance(t, bool) for t in theirs):
            ours = [bool(mark) for mark in ours]  # they say only whether a point is flagged
        assert ours != theirs, "no longer differs: update the case and decision 0004"


# Shifts: seven (or n) in a row on one side of the mean ----------------------------------
NHSR_POINT_TYPE = "tests/testthat/test-ptd_calculate_point_type.R"
NHSR_SEVEN_SIDE = f"{NHSR_POINT_TYPE}::ptd_seven_point_one_side_mean works as expected"
PBI_SHIFT = "test/Outlier Flagging/shift.test.ts"
NHSPY_SIDE = "tests/unittests/test_seven_point_one_side_mean.py"

SHIFT_CASES = [
    case(NHSR, f"{NHSR_SEVEN_SIDE}#1", [], 0, 7, marks("")),
    case(NHSR, f"{NHSR_SEVEN_SIDE}#2", [1] * 6, 0, 7, marks("......")),
    case(NHSR, f"{NHSR_SEVEN_SIDE}#3", [1] * 6 + [-1], 0, 7, marks(".......")),
    case(NHSR, f"{NHSR_SEVEN_SIDE}#4", [1] * 8 + [-1], 0, 7, marks("HHHHHHHH.")),
    case(NHSR, f"{NHSR_SEVEN_SIDE}#5", [-1] * 8 + [1], 0, 7, marks("LLLLLLLL.")),
    case(PBI, f"{PBI_SHIFT}::no shift is detected (n=7)", [5, 6, 4, 5, 6, 4, 5], 5, 7,
         marks(".......")),
    case(PBI, f"{PBI_SHIFT}::upper shift (n=5)", [5, 6, 6, 6, 6, 6, 5], 5, 5,
         marks(".HHHHH.")),
    case(PBI, f"{PBI_SHIFT}::lower shift (n=5)", [5, 4, 4, 4, 4, 4, 5], 5, 5,
         marks(".LLLLL.")),
    case(PBI, f"{PBI_SHIFT}::shift exactly at n points (n=3)", [5, 6, 6, 6, 5], 5, 3,
         marks(".HHH.")),
    case(PBI, f"{PBI_SHIFT}::n-1 consecutive points (n=4)", [5, 6, 6, 6, 5], 5, 4,
         marks(".....")),
    case(PBI, f"{PBI_SHIFT}::reset when shift is interrupted", [6, 6, 6, 5, 6, 6, 6, 6], 5, 4,
         marks("....HHHH")),
    case(PBI, f"{PBI_SHIFT}::points exactly on target as no shift", [5] * 5, 5, 3,
         marks(".....")),
    case(PBI, f"{PBI_SHIFT}::empty arrays", [], 5, 5, marks("")),
    case(PBI, f"{PBI_SHIFT}::shift with n=1", [5, 6, 5, 4, 5], 5, 1, marks(".H.L.")),
    case(PBI, f"{PBI_SHIFT}::multiple consecutive shifts", [6, 6, 6, 6, 4, 4, 4, 4, 5], 5, 3,
         marks("HHHHLLLL.")),
    case(PBI, f"{PBI_SHIFT}::backfill all points in a long shift sequence (n=7)",
         [6] * 7 + [5], 5, 7, marks("HHHHHHH.")),
    case(PBI, f"{PBI_SHIFT}::alternating values around target", [6, 4, 6, 4, 6, 4], 5, 3,
         marks("......")),
    case(PBI, f"{PBI_SHIFT}::negative values", [-2] * 4, -3, 3, marks("HHHH")),
    case(NHSPY, f"{NHSPY_SIDE}::test_above", [1] * 7, 0, 7, marks("HHHHHHH")),
    case(NHSPY, f"{NHSPY_SIDE}::test_below", [-1] * 7, 0, 7, marks("LLLLLLL")),
    case(NHSPY, f"{NHSPY_SIDE}::test_equal", [-1, 0, 1, 0, -1, 0, 1], 0, 7, marks(".......")),
    # nhspy counts seven points on the mean as a run (its "!= 0" check is commented out);
    # NHSRplotthedots and PowerBI-SPC ("points exactly on target") do not, nor do we.
    case(NHSPY, f"{NHSPY_SIDE}::test_zero", [0] * 7, 0, 7, marks("......."),
         differs=Differs([True] * 7, ON_THE_MEAN)),
    case(NHSPY, f"{NHSPY_SIDE}::test_small_input", [1, 0, -1], 0, 7, marks("...")),
    case(NHSPY, f"{NHSPY_SIDE}::test_large_input", [1] * 10 + [-1] * 10, 0, 7,
         marks("H" * 10 + "L" * 10)),
    case(NHSPY, f"{NHSPY_SIDE}::test_null", [], 0, 7, marks("")),
]  # fmt: skip


@pytest.mark.parametrize(("values", "mean", "length", "expected", "differs"), SHIFT_CASES)
def test_shifts_match_the_references(values, mean, length, expected, differs):
    check(spc.shifts(values, mean, length), expected, differs)


# Trends: seven (or n) each higher, or each lower, than the one before -----------------
NHSR_TREND = f"{NHSR_POINT_TYPE}::ptd_seven_point_trend works as expected"
PBI_TREND = "test/Outlier Flagging/trend.test.ts"
NHSPY_TREND = "tests/unittests/test_seven_point_trend.py"
MIXED = [1, 2, 3, 2, 1, 2, 3, 4, 5, 6, 7, 4, 3, 2, 1, 2]

TREND_CASES = [
    case(NHSR, f"{NHSR_TREND}#1", [], 7, marks("")),
    case(NHSR, f"{NHSR_TREND}#2", [1, 2, 3, 4, 5, 6], 7, marks("......")),
    case(NHSR, f"{NHSR_TREND}#3 (an equal value breaks it)", [1, 2, 3, 3, 4, 5, 6], 7,
         marks(".......")),
    case(NHSR, f"{NHSR_TREND}#4", [1, 2, 3, 4, 5, 6, 7], 7, marks("HHHHHHH")),
    case(NHSR, f"{NHSR_TREND}#5", [2, 1, 2, 3, 4, 5, 6, 7, 3], 7, marks(".HHHHHHH.")),
    case(NHSR, f"{NHSR_TREND}#6", [7, 6, 5, 4, 3, 2, 1], 7, marks("LLLLLLL")),
    case(NHSR, f"{NHSR_TREND}#7", [2, 7, 6, 5, 4, 3, 2, 1, 3], 7, marks(".LLLLLLL.")),
    case(PBI, f"{PBI_TREND}::no trend is detected", [5, 6, 5, 6, 5, 6, 5], 5,
         marks(".......")),
    case(PBI, f"{PBI_TREND}::upward trend (n=5)", [1, 2, 3, 4, 5, 6, 5], 5, marks("HHHHHH.")),
    case(PBI, f"{PBI_TREND}::downward trend (n=5)", [6, 5, 4, 3, 2, 1, 2], 5,
         marks("LLLLLL.")),
    case(PBI, f"{PBI_TREND}::trend exactly at n points (n=3)", [1, 2, 3, 4, 2], 3,
         marks("HHHH.")),
    case(PBI, f"{PBI_TREND}::reset when trend is interrupted", [1, 2, 3, 2, 3, 4, 5, 6], 4,
         marks("...HHHHH")),
    case(PBI, f"{PBI_TREND}::equal consecutive values", [5] * 5, 3, marks(".....")),
    case(PBI, f"{PBI_TREND}::empty arrays", [], 5, marks("")),
    case(PBI, f"{PBI_TREND}::single point", [5], 3, marks(".")),
    # PowerBI-SPC keeps only the later run's direction for a point in two runs (each point
    # here ends one and starts the next); we keep both, and the page shows the improvement.
    case(PBI, f"{PBI_TREND}::trend with n=2", [1, 2, 1, 3, 2], 2, marks("HBBBL"),
         differs=Differs(marks("HLHLL"), BOTH_TRENDS)),
    case(PBI, f"{PBI_TREND}::backfill all points in a long trend sequence (n=7)",
         [1, 2, 3, 4, 5, 6, 7, 6], 7, marks("HHHHHHH.")),
    case(PBI, f"{PBI_TREND}::negative values trending upward", [-5, -4, -3, -2, -1], 4,
         marks("HHHHH")),
    case(PBI, f"{PBI_TREND}::negative values trending downward", [-1, -2, -3, -4, -5], 4,
         marks("LLLLL")),
    case(PBI, f"{PBI_TREND}::mixed increases and decreases", [1, 3, 2, 4, 3, 5], 4,
         marks("......")),
    case(PBI, f"{PBI_TREND}::trend that continues to end of array", [1, 2, 3, 4, 5], 4,
         marks("HHHHH")),
    case(PBI, f"{PBI_TREND}::slight variations in an overall trend",
         [1.0, 1.1, 1.2, 1.3, 1.4], 4, marks("HHHHH")),
    case(NHSPY, f"{NHSPY_TREND}::test_increasing_trend", list(range(1, 11)), 7,
         marks("H" * 10)),
    case(NHSPY, f"{NHSPY_TREND}::test_decreasing_trend", list(range(10, 0, -1)), 7,
         marks("L" * 10)),
    case(NHSPY, f"{NHSPY_TREND}::test_no_trend", [1, 2, 3, 4, 5, 4, 3, 2, 1, 2], 7,
         marks("..........")),
    case(NHSPY, f"{NHSPY_TREND}::test_small_input", [1, 2, 3], 7, marks("...")),
    case(NHSPY, f"{NHSPY_TREND}::test_large_input", list(range(20)), 7, marks("H" * 20)),
    case(NHSPY, f"{NHSPY_TREND}::test_exact_seven_input", [1] * 7, 7, marks(".......")),
    case(NHSPY, f"{NHSPY_TREND}::test_null_input", [], 7, marks("")),
    case(NHSPY, f"{NHSPY_TREND}::test_mixed_input", MIXED, 7,
         marks("....HHHHHHH.....")),
    case(NHSPY, f"{NHSPY_TREND}::test_negative_input", [-v for v in MIXED], 7,
         marks("....LLLLLLL.....")),
]  # fmt: skip


@pytest.mark.parametrize(("values", "length", "expected", "differs"), TREND_CASES)
def test_trends_match_the_references(values, length, expected, differs):
    check(spc.trends(values, length), expected, differs)


# Two of three beyond two sigma -----------------------------------------------------------
NHSR_TWO = f"{NHSR_POINT_TYPE}::ptd_two_in_three works as expected"
NHSR_TWO_SIDES = (
    f"{NHSR_POINT_TYPE}::ptd_two_in_three works as expected when points are on opposite "
    "sides of the mean"
)
NHSR_PART_TWO = f"{NHSR_POINT_TYPE}::ptd_part_of_two_in_three works as expected"
PBI_TWO = "test/Outlier Flagging/twoInThree.test.ts"
NHSPY_TWO = "tests/unittests/test_two_in_three.py"
# nhspy's test_large: every point close to a limit, on the side of the mean given.
NHSPY_LARGE_SIDES = [
    -1, -1, -1, -1, -1, 0, -1, -1, 1, -1, 0, -1, -1, 0, 0, -1, 0, 1, -1, 1, -1, -1, 1, 0, -1,
    1, 1, 0, -1, -1, 0, -1, 0, 0, -1, 1, 0, 0, -1, 0, 0, 0, 0, 0, 1, 0, 1, -1, 0, 1, 0, 0, 1,
    1, 1, -1, -1, 1, -1, 0, 1, -1, 1, 1, 0, -1, 1, 0, 0, 1, 0, 1, 1, 1, -1, 1, 1, 0, 1, 1, 1,
]  # fmt: skip
NHSPY_LARGE_FLAGGED = [1] * 5 + [0] * 47 + [1] * 3 + [0] * 16 + [1] * 3 + [0] * 4 + [1] * 3


def nhspy_large_expected():
    return [
        {spc.HIGH if side > 0 else spc.LOW} if flagged else set()
        for side, flagged in zip(NHSPY_LARGE_SIDES, NHSPY_LARGE_FLAGGED, strict=True)
    ]


# PowerBI-SPC's tests give only the 95% (two-sigma) limits, 0 and 10: the mean is their
# centre, 5, and two sigma is 5. PowerBI-SPC does not look at the mean; MDC requires all
# three months on one side of it, so where the third month is the 5 on the mean, or on the
# other side, we flag nothing.
PBI_MEAN, PBI_TWO_SIGMA = 5, 5
TWO_OF_THREE_CASES = [
    # NHSRplotthedots: close = 3 (or -3), not close = 1 (or -1): mean 0, two sigma 2.
    case(NHSR, f"{NHSR_TWO}#a", [], 0, 2, marks("")),
    case(NHSR, f"{NHSR_TWO}#b", [0, 0, 0], 0, 2, marks("...")),
    case(NHSR, f"{NHSR_TWO}#d", [3, 1, 3], 0, 2, marks("H.H")),
    case(NHSR, f"{NHSR_TWO}#e", [1, 3, 3], 0, 2, marks(".HH")),
    case(NHSR, f"{NHSR_TWO}#f", [3, 3, 1], 0, 2, marks("HH.")),
    case(NHSR, f"{NHSR_TWO}#g", [1, 1, 3, 1, 3, 1, 1], 0, 2, marks("..H.H..")),
    case(NHSR, f"{NHSR_TWO}#h", [1, 1, 3, 3, 1, 1, 1], 0, 2, marks("..HH...")),
    case(NHSR, f"{NHSR_TWO_SIDES}#d", [3, -1, 3], 0, 2, marks("...")),
    case(NHSR, f"{NHSR_TWO_SIDES}#e", [1, -3, 3], 0, 2, marks("...")),
    case(NHSR, f"{NHSR_TWO_SIDES}#f", [3, -3, 1], 0, 2, marks("...")),
    case(NHSR, f"{NHSR_TWO_SIDES}#g", [1, -1, 3, -1, 3, -1, 1], 0, 2, marks(".......")),
    case(NHSR, f"{NHSR_TWO_SIDES}#h", [-1, 1, -3, 3, -1, 1, -1], 0, 2, marks(".......")),
    case(NHSR, f"{NHSR_PART_TWO}#h", [3, 1, 1, 3], 0, 2, marks("....")),
    case(NHSR, f"{NHSR_PART_TWO}#i", [3, 1, 1, 3, 3], 0, 2, marks("...HH")),
    case(PBI, f"{PBI_TWO}::no points are outside 95% limits", [5, 6, 7, 8, 9], PBI_MEAN,
         PBI_TWO_SIGMA, marks(".....")),
    case(PBI, f"{PBI_TWO}::two-in-three upper violations", [5, 11, 11, 5, 5, 5], PBI_MEAN,
         PBI_TWO_SIGMA, marks("......"), differs=Differs(marks(".HH..."), ONE_SIDE)),
    case(PBI, f"{PBI_TWO}::two-in-three lower violations", [5, -1, -1, 5, 5, 5], PBI_MEAN,
         PBI_TWO_SIGMA, marks("......"), differs=Differs(marks(".LL..."), ONE_SIDE)),
    case(PBI, f"{PBI_TWO}::pattern: outside, outside, inside", [5, 11, 11, 5, 5, 5], PBI_MEAN,
         PBI_TWO_SIGMA, marks("......"), differs=Differs(marks(".HH..."), ONE_SIDE)),
    case(PBI, f"{PBI_TWO}::pattern: outside, inside, outside", [11, 5, 11, 5, 5], PBI_MEAN,
         PBI_TWO_SIGMA, marks("....."), differs=Differs(marks("H.H.."), ONE_SIDE)),
    case(PBI, f"{PBI_TWO}::pattern: inside, outside, outside", [5, 11, 11, 5, 5], PBI_MEAN,
         PBI_TWO_SIGMA, marks("....."), differs=Differs(marks(".HH.."), ONE_SIDE)),
    case(PBI, f"{PBI_TWO}::only 1 out of 3 points is outside limits", [11, 5, 5, 5, 5],
         PBI_MEAN, PBI_TWO_SIGMA, marks(".....")),
    case(PBI, f"{PBI_TWO}::all 3 out of 3 points are outside limits", [5, 11, 11, 11, 5, 5],
         PBI_MEAN, PBI_TWO_SIGMA, marks(".HHH..")),
    case(PBI, f"{PBI_TWO}::mixed upper and lower violations separately",
         [5, 11, 11, -1, 5, 5], PBI_MEAN, PBI_TWO_SIGMA, marks("......"),
         differs=Differs(marks(".HH..."), ONE_SIDE)),
    case(PBI, f"{PBI_TWO}::consecutive two-in-three patterns", [5, 11, 11, 5, 11, 11, 5],
         PBI_MEAN, PBI_TWO_SIGMA, marks("......."),
         differs=Differs(marks(".HH.HH."), ONE_SIDE)),
    case(PBI, f"{PBI_TWO}::empty arrays", [], PBI_MEAN, PBI_TWO_SIGMA, marks("")),
    case(PBI, f"{PBI_TWO}::single point", [11], PBI_MEAN, PBI_TWO_SIGMA, marks(".")),
    case(PBI, f"{PBI_TWO}::three points with exactly 2 outside", [5, 11, 11, 5], PBI_MEAN,
         PBI_TWO_SIGMA, marks("...."), differs=Differs(marks(".HH."), ONE_SIDE)),
    case(PBI, f"{PBI_TWO}::not flag points on the 95% limits", [10, 10, 5, 5, 5], PBI_MEAN,
         PBI_TWO_SIGMA, marks(".....")),
    case(PBI, f"{PBI_TWO}::lower two-in-three pattern", [5, -1, -1, 5, 5], PBI_MEAN,
         PBI_TWO_SIGMA, marks("....."), differs=Differs(marks(".LL.."), ONE_SIDE)),
    case(PBI, f"{PBI_TWO}::rolling window correctly", [5, 11, 11, 5, 11, 5, 5], PBI_MEAN,
         PBI_TWO_SIGMA, marks("......."), differs=Differs(marks(".HH.H.."), ONE_SIDE)),
    # MDC's change of November 2023 (NHSRplotthedots issue 194), on the pattern of issue 153:
    # every month beyond two sigma counts, one beyond the process limit too. Limit 3, two
    # sigma 2: 3.5, 3.5 and 2.5 are all flagged. NHSRplotthedots counts only months between
    # two sigma and the limit (close_to_limits in R/ptd_spc_standard.R), so only the 2.5, and
    # flags none of them.
    case(NHSR, "issues/153 (close_to_limits, R/ptd_spc_standard.R)", [1, 3.5, 3.5, 2.5, 1],
         0, 2, marks(".HHH."), differs=Differs(marks("....."), BEYOND_LIMITS)),
    case(NHSPY, f"{NHSPY_TWO}::test_large", [3 * side for side in NHSPY_LARGE_SIDES], 0, 2,
         nhspy_large_expected()),
    case(NHSPY, f"{NHSPY_TWO}::test_negative", [-3, -3, -3], 0, 2, marks("LLL")),
    case(NHSPY, f"{NHSPY_TWO}::test_relative_to_mean", [3, -3, 3], 0, 2, marks("...")),
    case(NHSPY, f"{NHSPY_TWO}::test_close_to_limits", [1, 1, 1], 0, 2, marks("...")),
    case(NHSPY, f"{NHSPY_TWO}::test_null_input", [], 0, 2, marks("")),
]  # fmt: skip


@pytest.mark.parametrize(("values", "mean", "two_sigma", "expected", "differs"), TWO_OF_THREE_CASES)
def test_two_of_three_matches_the_references(values, mean, two_sigma, expected, differs):
    check(spc.two_of_three(values, mean, two_sigma), expected, differs)


# Points outside the process limits -------------------------------------------------------
PBI_ASTRO = "test/Outlier Flagging/astronomical.test.ts"
OUTSIDE_CASES = [
    case(PBI, f"{PBI_ASTRO}::all points are within control limits", [5, 6, 7, 8, 9], 0, 10,
         marks(".....")),
    case(PBI, f"{PBI_ASTRO}::points exceed upper control limit", [5, 11, 7, 12, 9], 0, 10,
         marks(".H.H.")),
    case(PBI, f"{PBI_ASTRO}::points fall below lower control limit", [5, -1, 7, -2, 9], 0, 10,
         marks(".L.L.")),
    case(PBI, f"{PBI_ASTRO}::both upper and lower outliers", [5, 11, -1, 8, 12], 0, 10,
         marks(".HL.H")),
    case(PBI, f"{PBI_ASTRO}::points exactly on the control limits", [0, 5, 10], 0, 10,
         marks("...")),
    case(PBI, f"{PBI_ASTRO}::empty arrays", [], 0, 10, marks("")),
    case(PBI, f"{PBI_ASTRO}::single point within limits", [5], 0, 10, marks(".")),
    case(PBI, f"{PBI_ASTRO}::single point outside limits", [15], 0, 10, marks("H")),
    case(PBI, f"{PBI_ASTRO}::negative control limits", [-15, -10, -5, 0, 5], -20, 0,
         marks("....H")),
]  # fmt: skip


@pytest.mark.parametrize(("values", "lower", "upper", "expected", "differs"), OUTSIDE_CASES)
def test_points_outside_the_limits_match_the_references(values, lower, upper, expected, differs):
    check(spc.outside_limits(values, lower, upper), expected, differs)


# Mean and limits -----------------------------------------------------------------------
NHSPY_LIMITS = "tests/unittests/test_limits_calculations.py"
# (mean, lower limit, upper limit, mean - two sigma, mean + two sigma), as nhspy returns them.
LIMIT_CASES = [
    case(NHSPY, f"{NHSPY_LIMITS}::test_increasing_trend", list(range(1, 11)),
         (5.5, 2.84, 8.16, 3.7266666666666666, 7.273333333333333)),
    case(NHSPY, f"{NHSPY_LIMITS}::test_decreasing_trend", list(range(10, 0, -1)),
         (5.5, 2.84, 8.16, 3.7266666666666666, 7.273333333333333)),
    case(NHSPY, f"{NHSPY_LIMITS}::test_no_trend", [1, 2, 3, 4, 5, 4, 3, 2, 1, 2],
         (2.7, 0.040000000000000036, 5.36, 0.9266666666666667, 4.473333333333334)),
    case(NHSPY, f"{NHSPY_LIMITS}::test_small_input", [1, 2, 3],
         (2.0, -0.6600000000000001, 4.66, 0.22666666666666657, 3.7733333333333334)),
    case(NHSPY, f"{NHSPY_LIMITS}::test_large_input", list(range(20)),
         (9.5, 6.84, 12.16, 7.726666666666667, 11.273333333333333)),
    case(NHSPY, f"{NHSPY_LIMITS}::test_exact_seven_input", [3, 1, 4, 1, 5, 9, 2],
         (3.5714285714285716, -6.625238095238096, 13.768095238095238, -3.2263492063492065,
          10.36920634920635)),
    case(NHSPY, f"{NHSPY_LIMITS}::test_mixed_input", MIXED,
         (3.0, -0.014666666666666828, 6.014666666666667, 0.9902222222222221,
          5.009777777777778)),
    case(NHSPY, f"{NHSPY_LIMITS}::test_negative_input", [-v for v in MIXED],
         (-3.0, -6.014666666666667, 0.014666666666666828, -5.009777777777778,
          -0.9902222222222221)),
]  # fmt: skip


@pytest.mark.parametrize(("values", "expected", "differs"), LIMIT_CASES)
def test_limits_match_nhspy(values, expected, differs):
    # nhspy screens moving ranges of 3.267 x mR-bar or more; none of these has one.
    found = spc.limits(values)
    ours = (
        found.mean,
        found.lower,
        found.upper,
        found.mean - found.two_sigma,
        found.mean + found.two_sigma,
    )
    assert ours == pytest.approx(expected, abs=1e-12)
    assert differs is None


# set.seed(123); rnorm(20), then rnorm(24): the figures NHSRplotthedots' tests generate,
# printed by R 4.2.2 (the same 20 first values as tests/test_spc.py's snapshot case).
RNORM_24 = [
    -0.560475646552213, -0.230177489483280, 1.558708314149124, 0.070508391424576,
    0.129287735160946, 1.715064986883281, 0.460916205989202, -1.265061234606534,
    -0.686852851893526, -0.445661970099958, 1.224081797439462, 0.359813827057364,
    0.400771450594052, 0.110682715945120, -0.555841134754075, 1.786913136803078,
    0.497850478229239, -1.966617156629638, 0.701355901563686, -0.472791407727934,
    -1.067823705986845, -0.217974914658295, -1.026004448307240, -0.728891229291140,
]  # fmt: skip
RNORM_20 = RNORM_24[:20]
WITH_AN_OUTLIER = [*RNORM_20[:14], 10, *RNORM_20[15:]]  # the test's data$y[15] <- 10
NHSR_SNAP = "tests/testthat/_snaps/ptd_spc_standard.md (test-ptd_spc_standard.R)"
NHSR_SPC_SNAP = "tests/testthat/_snaps/ptd_spc.md (test-ptd_spc.R)"
# PowerBI-SPC's I chart test plots numerators / denominators.
PBI_I_NUMERATORS = [5, 7, 5, 7, 7, 5, 4, 9, 8, 13, 8, 7, 8, 7, 12, 11, 8]
PBI_I_DENOMINATORS = [113, 132, 121, 134, 116, 131, 93, 138, 182, 157, 100, 103, 146, 108, 153,
                      141, 134]  # fmt: skip
PBI_I = [n / d for n, d in zip(PBI_I_NUMERATORS, PBI_I_DENOMINATORS, strict=True)]

# (mean, lower limit, upper limit) to the precision the reference prints, or None where it
# prints no mean.
PRINTED_LIMIT_CASES = [
    case(NHSR, f"{NHSR_SNAP}::it returns expected values (r1)", RNORM_20,
         (0.1416238, -3.01138, 3.294627), 1e-6),
    # screen_outliers = FALSE: the plain rule, as ours.
    case(NHSR, f"{NHSR_SNAP}::it returns expected values (r3)", WITH_AN_OUTLIER,
         (0.6694159, -4.596625, 5.935457), 1e-6),
    # The default screen_outliers = TRUE leaves out the range into and out of the 10.
    case(NHSR, f"{NHSR_SNAP}::it returns expected values (r2)", WITH_AN_OUTLIER,
         (0.6694159, -4.596625, 5.935457), 1e-6,
         differs=Differs((0.6694159, -2.383666, 3.722497), NO_SCREENING)),
    case(NHSR, f"{NHSR_SPC_SNAP}::it outputs expected content (facet 0)", RNORM_20[:10],
         (0.0746, -2.60, 2.75), 0.005),
    case(NHSR, f"{NHSR_SPC_SNAP}::it outputs expected content (facet 1)", RNORM_20[10:],
         (0.209, -3.28, 3.70), 0.005),
    # PowerBI-SPC takes 3 sigma as 3 x mR-bar / 1.128 (2.6596 x mR-bar) where MDC takes 2.66:
    # the same to the four decimal places its test checks (toBeCloseTo(x, 4)).
    case(PBI, "test/Chart Types/i.test.ts::I Chart can be created", PBI_I,
         (None, 0.0229, 0.0957), 5e-5),
]  # fmt: skip


@pytest.mark.parametrize(("values", "expected", "precision", "differs"), PRINTED_LIMIT_CASES)
def test_limits_match_the_printed_references(values, expected, precision, differs):
    found = spc.limits(values)
    mean, lower, upper = expected
    if mean is not None:
        assert found.mean == pytest.approx(mean, abs=precision)
    assert found.lower == pytest.approx(lower, abs=precision)
    assert found.upper == pytest.approx(upper, abs=precision)
    if differs is not None:
        assert differs.why in REASONS
        assert found.upper != pytest.approx(differs.theirs[2], abs=precision)


def test_two_sigma_lines_match_powerbi_spc():
    """test/Chart Types/i.test.ts::I Chart can be created: ul95 0.0836, ll95 0.035."""
    found = spc.limits(PBI_I)
    assert found.mean + found.two_sigma == pytest.approx(0.0836, abs=5e-5)
    assert found.mean - found.two_sigma == pytest.approx(0.035, abs=5e-5)


# Whole series: limits, special causes, variation and assurance -----------------------------
NHSPY_CALC = "tests/unittests/test_pandas_spc_x_calc.py"
NHSR_STANDARD = "tests/testthat/test-ptd_spc_standard.R"
ALTERNATING = [1, -1] * 7 + [5.5, -5.5]  # the test's data[15] <- 5.5; data[16] <- -5.5

# values, (mean, lower, upper), which points are special, which are close to a limit
# (beyond two sigma but inside the limits).
SERIES_CASES = [
    case(NHSPY, f"{NHSPY_CALC}::test_sample2", [16.0, 9.0, 4.0, 2.0, 1.0],
         (6.4, -3.575000000000001, 16.375), [False] * 5, [True] + [False] * 4),
    case(NHSPY, f"{NHSPY_CALC}::test_sample3", [1, 6, 1, 8, 0, 3],
         (3.1666666666666665, -11.729333333333333, 18.062666666666665), [False] * 6,
         [False] * 6),
    # nhspy screens the one range of 1 (at least 3.267 x mR-bar of 0.25), so its limits
    # collapse onto the mean and every month is outside them; without screening only the 2 is.
    case(NHSPY, f"{NHSPY_CALC}::test_special_cause", [1, 1, 1, 1, 2],
         (1.2, 1.2 - 2.66 * 0.25, 1.2 + 2.66 * 0.25), [False] * 4 + [True], [False] * 5,
         differs=Differs(((1.2, 1.2, 1.2), [True] * 5), NO_SCREENING)),
    case(NHSR, f"{NHSR_STANDARD}::it only reports special cause for 2of3 points close to "
         "limits when they are on the same side of the mean", ALTERNATING,
         (0, -2.66 * 43.5 / 15, 2.66 * 43.5 / 15), [False] * 16, [False] * 14 + [True] * 2),
]  # fmt: skip


@pytest.mark.parametrize(("values", "expected_limits", "special", "close", "differs"), SERIES_CASES)
def test_whole_series_match_the_references(values, expected_limits, special, close, differs):
    result = spc.xmr(values, polarity=spc.HIGHER_IS_BETTER, min_points=2)
    limits = (result.mean, result.lower_limit, result.upper_limit)
    assert limits == pytest.approx(expected_limits, abs=1e-9)
    assert [p.special for p in result.points] == special
    band = result.two_sigma
    assert [
        abs(p.value - result.mean) > band and result.lower_limit <= p.value <= result.upper_limit
        for p in result.points
    ] == close
    if differs is not None:
        assert differs.why in REASONS
        their_limits, their_special = differs.theirs
        assert limits != pytest.approx(their_limits) and special != their_special


# NHSRplotthedots' icon test draws rnorm(24) in two facets of 12 and then replaces the second
# twelve with rnorm(12, 5) and later rnorm(12, -5) (R 4.2.2, continuing set.seed(123)).
RNORM_12_MEAN_5 = [
    4.37496073215074, 3.31330668925759, 5.83778704449453, 5.15337311783651,
    3.86186306298805, 6.25381492106993, 5.42646422147681, 4.70492851700773,
    5.89512566104502, 5.87813348753304, 5.82158108163749, 5.68864025410009,
]  # fmt: skip
RNORM_12_MEAN_MINUS_5 = [
    -4.44608234646241, -5.06191171057672, -5.30596266373992, -5.38047100101238,
    -5.69470697892051, -5.20791727801960, -6.26539635156826, -2.83104403466149,
    -3.79203800169501, -6.12310858320335, -5.40288483529908, -5.46665535362322,
]  # fmt: skip
HIGHER_HALF = RNORM_24[:12] + RNORM_12_MEAN_5
LOWER_HALF = RNORM_24[:12] + RNORM_12_MEAN_MINUS_5
NHSR_ICONS = "tests/testthat/test-geom_ptd_icon.R::ptd_get_icons transforms the data correctly"
INCREASE, DECREASE, NEUTRAL = spc.HIGHER_IS_BETTER, spc.LOWER_IS_BETTER, spc.NEITHER

# NHSRplotthedots screens one moving range in the last four series (the jump between the
# halves), so its limits there are narrower than ours; the icons agree all the same.
ICON_CASES = [
    case(NHSR, f"{NHSR_ICONS} (s1)", RNORM_24, INCREASE, None, spc.COMMON, None),
    case(NHSR, f"{NHSR_ICONS} (s2)", RNORM_24, INCREASE, 0.5, spc.COMMON, spc.HIT_AND_MISS),
    case(NHSR, f"{NHSR_ICONS} (s3, facet 0)", RNORM_24[:12], INCREASE, None, spc.COMMON, None),
    case(NHSR, f"{NHSR_ICONS} (s3, facet 1)", RNORM_24[12:], INCREASE, None, spc.COMMON, None),
    case(NHSR, f"{NHSR_ICONS} (s4, facet 0)", RNORM_24[:12], INCREASE, 0.5, spc.COMMON,
         spc.HIT_AND_MISS),
    case(NHSR, f"{NHSR_ICONS} (s4, facet 1)", RNORM_24[12:], INCREASE, 0.5, spc.COMMON,
         spc.HIT_AND_MISS),
    case(NHSR, f"{NHSR_ICONS} (s5)", HIGHER_HALF, INCREASE, -3, spc.IMPROVEMENT_HIGH,
         spc.CONSISTENTLY_MEETS),
    case(NHSR, f"{NHSR_ICONS} (s6)", HIGHER_HALF, DECREASE, -3, spc.CONCERN_HIGH,
         spc.CONSISTENTLY_MISSES),
    case(NHSR, f"{NHSR_ICONS} (s7)", LOWER_HALF, INCREASE, 3, spc.CONCERN_LOW,
         spc.CONSISTENTLY_MISSES),
    case(NHSR, f"{NHSR_ICONS} (s8)", LOWER_HALF, DECREASE, 3, spc.IMPROVEMENT_LOW,
         spc.CONSISTENTLY_MEETS),
    case(NHSR, f"{NHSR_ICONS} (s9)", LOWER_HALF, NEUTRAL, 3, spc.NEITHER_LOW, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("values", "polarity", "target", "variation", "assurance", "differs"), ICON_CASES
)
def test_icons_match_nhsrplotthedots(values, polarity, target, variation, assurance, differs):
    result = spc.xmr(values, polarity=polarity, target=target, min_points=2)
    assert result.variation == variation
    assert result.assurance == assurance
    assert differs is None


# Assurance: where the target lies against the process limits --------------------------------
PBI_ASSURE = "test/Outlier Flagging/assuranceIconToDraw.test.ts"
NHSR_ASSURE = "tests/testthat/test-ptd_calculate_assurance_type.R"
NHSR_ASSURE_INC = f"{NHSR_ASSURE}::correct values for assurance when improvement_direction is"
ASSURANCE_CASES = [
    case(PBI, f"{PBI_ASSURE}::improvement direction is neutral", 0, 10, 5, NEUTRAL, None),
    case(PBI, f"{PBI_ASSURE}::increase: target is above upper limit", 0, 10, 15, INCREASE,
         spc.CONSISTENTLY_MISSES),
    case(PBI, f"{PBI_ASSURE}::increase: target is below lower limit", 0, 10, -5, INCREASE,
         spc.CONSISTENTLY_MEETS),
    case(PBI, f"{PBI_ASSURE}::increase: target is within control limits", 0, 10, 5, INCREASE,
         spc.HIT_AND_MISS),
    case(PBI, f"{PBI_ASSURE}::decrease: target is above upper limit", 0, 10, 15, DECREASE,
         spc.CONSISTENTLY_MEETS),
    case(PBI, f"{PBI_ASSURE}::decrease: target is below lower limit", 0, 10, -5, DECREASE,
         spc.CONSISTENTLY_MISSES),
    case(PBI, f"{PBI_ASSURE}::decrease: target is within control limits", 0, 10, 5, DECREASE,
         spc.HIT_AND_MISS),
    case(PBI, f"{PBI_ASSURE}::boundary: target exactly on upper limit", 0, 10, 10, INCREASE,
         spc.HIT_AND_MISS),
    case(PBI, f"{PBI_ASSURE}::boundary: target exactly on lower limit", 0, 10, 0, INCREASE,
         spc.HIT_AND_MISS),
    case(PBI, f"{PBI_ASSURE}::negative control limits and targets", -10, 0, -15, INCREASE,
         spc.CONSISTENTLY_MEETS),
    case(PBI, f"{PBI_ASSURE}::negative target within negative control limits", -10, 0, -5,
         DECREASE, spc.HIT_AND_MISS),
    case(NHSR, f"{NHSR_ASSURE}::a column of NA's if there is no target", 1, 3, None, INCREASE,
         None),
    case(NHSR, f"{NHSR_ASSURE_INC} increase (a)", 1, 3, 4, INCREASE, spc.CONSISTENTLY_MISSES),
    case(NHSR, f"{NHSR_ASSURE_INC} increase (b)", 5, 7, 4, INCREASE, spc.CONSISTENTLY_MEETS),
    case(NHSR, f"{NHSR_ASSURE_INC} increase (c)", 1, 5, 4, INCREASE, spc.HIT_AND_MISS),
    case(NHSR, f"{NHSR_ASSURE_INC} decrease (a)", 1, 3, 4, DECREASE, spc.CONSISTENTLY_MEETS),
    case(NHSR, f"{NHSR_ASSURE_INC} decrease (b)", 5, 7, 4, DECREASE, spc.CONSISTENTLY_MISSES),
    case(NHSR, f"{NHSR_ASSURE_INC} decrease (c)", 1, 5, 4, DECREASE, spc.HIT_AND_MISS),
    case(NHSR, f"{NHSR_ASSURE_INC} neutral (a)", 1, 3, 4, NEUTRAL, None),
    case(NHSR, f"{NHSR_ASSURE_INC} neutral (b)", 5, 7, 4, NEUTRAL, None),
    case(NHSR, f"{NHSR_ASSURE_INC} neutral (c)", 1, 5, 4, NEUTRAL, None),
    # Not a case of theirs but the same boundary for the other polarity: NHSRplotthedots'
    # code (R/ptd_calculate_assurance_type.R) uses > upl and < lpl for both directions.
    case(PBI, f"{PBI_ASSURE}::boundary, mirrored by us for decrease: target on upper limit",
         0, 10, 10, DECREASE, spc.HIT_AND_MISS),
    case(PBI, f"{PBI_ASSURE}::boundary, mirrored by us for decrease: target on lower limit",
         0, 10, 0, DECREASE, spc.HIT_AND_MISS),
]  # fmt: skip


@pytest.mark.parametrize(
    ("lower", "upper", "target", "polarity", "expected", "differs"), ASSURANCE_CASES
)
def test_assurance_matches_the_references(lower, upper, target, polarity, expected, differs):
    check(spc.assurance(target, polarity, upper, lower), expected, differs)


# Variation: the icon for the latest point -----------------------------------------------------
PBI_ICONS = "test/Outlier Flagging/variationIconsToDraw.test.ts"
PBI_FLAG = "test/Outlier Flagging/checkFlagDirection.test.ts"
# Their flags name improvement / deterioration; as sides, for each direction:
UP, DOWN = spc.HIGH, spc.LOW
LATEST_CASES = [
    # flag_last_point (the default): only the latest point's flags count.
    case(PBI, f"{PBI_ICONS}::only check last point when flag_last_point is true", INCREASE,
         [], spc.COMMON),
    case(PBI, f"{PBI_ICONS}::detect outlier in last point when flag_last_point is true",
         INCREASE, [(spc.OUTSIDE_LIMITS, UP)], spc.IMPROVEMENT_HIGH),
    # Improvement by the outside-limits and trend rules, deterioration by the shift: PowerBI
    # draws both icons; MDC's tool shows the improvement.
    case(PBI, f"{PBI_ICONS}::check last point across all detection methods when "
         "flag_last_point is true", INCREASE,
         [(spc.OUTSIDE_LIMITS, UP), (spc.SHIFT, DOWN), (spc.TREND, UP)], spc.IMPROVEMENT_HIGH,
         differs=Differs([spc.IMPROVEMENT_HIGH, spc.CONCERN_LOW], LATEST_CONFLICT)),
    case(PBI, f"{PBI_ICONS}::single point arrays", INCREASE, [(spc.OUTSIDE_LIMITS, UP)],
         spc.IMPROVEMENT_HIGH),
    # The icon a flagged latest point gets, by direction (their cases flag one point).
    case(PBI, f"{PBI_ICONS}::increase: 'improvementHigh' when improvement is detected",
         INCREASE, [(spc.OUTSIDE_LIMITS, UP)], spc.IMPROVEMENT_HIGH),
    case(PBI, f"{PBI_ICONS}::increase: 'concernLow' when deterioration is detected", INCREASE,
         [(spc.OUTSIDE_LIMITS, DOWN)], spc.CONCERN_LOW),
    case(PBI, f"{PBI_ICONS}::decrease: 'improvementLow' when improvement is detected",
         DECREASE, [(spc.OUTSIDE_LIMITS, DOWN)], spc.IMPROVEMENT_LOW),
    case(PBI, f"{PBI_ICONS}::decrease: 'concernHigh' when deterioration is detected", DECREASE,
         [(spc.OUTSIDE_LIMITS, UP)], spc.CONCERN_HIGH),
    case(PBI, f"{PBI_ICONS}::neutral: 'neutralLow' when neutral_low is detected", NEUTRAL,
         [(spc.OUTSIDE_LIMITS, DOWN)], spc.NEITHER_LOW),
    case(PBI, f"{PBI_ICONS}::neutral: 'neutralHigh' when neutral_high is detected", NEUTRAL,
         [(spc.OUTSIDE_LIMITS, UP)], spc.NEITHER_HIGH),
    case(PBI, f"{PBI_ICONS}::deduplicate icon types", INCREASE,
         [(rule, UP) for rule in spc.RULE_ORDER], spc.IMPROVEMENT_HIGH),
    case(PBI, f"{PBI_FLAG}::'none' when outlierStatus is 'none'", INCREASE, [], spc.COMMON),
    case(PBI, f"{PBI_FLAG}::map 'upper' to 'improvement' with increase direction", INCREASE,
         [(spc.SHIFT, UP)], spc.IMPROVEMENT_HIGH),
    case(PBI, f"{PBI_FLAG}::map 'lower' to 'deterioration' with increase direction", INCREASE,
         [(spc.SHIFT, DOWN)], spc.CONCERN_LOW),
    case(PBI, f"{PBI_FLAG}::map 'lower' to 'improvement' with decrease direction", DECREASE,
         [(spc.SHIFT, DOWN)], spc.IMPROVEMENT_LOW),
    case(PBI, f"{PBI_FLAG}::map 'upper' to 'deterioration' with decrease direction", DECREASE,
         [(spc.SHIFT, UP)], spc.CONCERN_HIGH),
    case(PBI, f"{PBI_FLAG}::map 'lower' to 'neutral_low' with neutral direction", NEUTRAL,
         [(spc.SHIFT, DOWN)], spc.NEITHER_LOW),
    case(PBI, f"{PBI_FLAG}::map 'upper' to 'neutral_high' with neutral direction", NEUTRAL,
         [(spc.SHIFT, UP)], spc.NEITHER_HIGH),
    # NHSRplotthedots labels a point by the first rule in its order (outside the limits, trend,
    # two in three, shift): a falling trend (concern, higher is better) above the mean (an
    # improvement) reads as a concern there; MDC's tool shows the improvement.
    case(NHSR, f"{NHSR_POINT_TYPE}::ptd_special_cause_type works as expected (its order of "
         "rules, R/ptd_calculate_point_type.R)", INCREASE,
         [(spc.SHIFT, UP), (spc.TREND, DOWN)], spc.IMPROVEMENT_HIGH,
         differs=Differs(spc.CONCERN_LOW, LATEST_CONFLICT)),
    case(NHSR, f"{NHSR_POINT_TYPE}::ptd_special_cause_type works as expected (no better "
         "direction: the trend outranks the shift)", NEUTRAL,
         [(spc.SHIFT, UP), (spc.TREND, DOWN)], spc.NEITHER_LOW),
]  # fmt: skip


@pytest.mark.parametrize(("polarity", "flags", "expected", "differs"), LATEST_CASES)
def test_the_latest_points_icon_matches_the_references(polarity, flags, expected, differs):
    check(spc.variation(spc.shown_side(flags, polarity), polarity), expected, differs)


def test_every_difference_is_in_the_decision_record():
    record = DECISION_RECORD.read_text()
    for reason in REASONS:
        assert reason in record, f"docs/decisions/0004-spc-rules.md does not explain: {reason}"
    used = {
        param.values[-1].why
        for cases in (
            SHIFT_CASES,
            TREND_CASES,
            TWO_OF_THREE_CASES,
            PRINTED_LIMIT_CASES,
            SERIES_CASES,
            LATEST_CASES,
        )
        for param in cases
        if param.values[-1] is not None
    }
    assert used == set(REASONS)
