"""SPC (XmR, NHS Making Data Count rules): pure functions, worked examples.

The worked example below was computed by hand (arithmetic in the comments), not by the code
under test:
  values  10 12 11 13 12 11 10 12 13 11 12 10 11 12 13 12 11 10 12 11   (20 points)
  sum 229, mean = 229 / 20 = 11.45
  moving ranges 2 1 2 1 1 1 2 1 2 1 2 1 1 1 1 1 1 2 1  (19 of them), sum 25
  mR-bar = 25 / 19 = 1.31579; 2.66 x mR-bar = 66.5 / 19 = 3.5 exactly
  upper process limit 11.45 + 3.5 = 14.95; lower 11.45 - 3.5 = 7.95
  two sigma = 3.5 x 2/3 = 2.3333: bands at 13.783 and 9.117 - no point beyond them
  sides of the mean: L H L H H L L H H L H L L H H H L L H L - longest run 3: no shift
  no 7 rising or falling: common cause variation only.

A second, independent reference: NHSRplotthedots (the NHS-R community's R implementation of
Making Data Count) tests ``ptd_spc`` on ``set.seed(123); rnorm(20)`` and its recorded snapshot
(tests/testthat/_snaps) prints mean_col 0.1416238, lpl -3.01138, upl 3.294627 and 20 common
cause points. NHSRplotthedots also screens out moving ranges above 3.267 x mR-bar before
working out the limits; we do not (the issue asks for mean +/- 2.66 x mR-bar), and in this
series the largest moving range (2.668) is below that cut-off (3.873), so both agree.
"""

import pytest

from indicators import spc

WORKED = [10, 12, 11, 13, 12, 11, 10, 12, 13, 11, 12, 10, 11, 12, 13, 12, 11, 10, 12, 11]
RNORM_20_SEED_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774,
    1.71506499, 0.46091621, -1.26506123, -0.68685285, -0.44566197,
    1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113,
    1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip


def test_worked_example_limits_match_the_hand_calculation():
    result = spc.xmr(WORKED, polarity=spc.HIGHER_IS_BETTER)
    assert result.mean == pytest.approx(11.45)
    assert result.mean_moving_range == pytest.approx(25 / 19)
    assert result.upper_limit == pytest.approx(14.95)
    assert result.lower_limit == pytest.approx(7.95)
    assert result.two_sigma == pytest.approx(7 / 3)
    assert not any(point.special for point in result.points)
    assert result.variation == spc.COMMON


def test_limits_match_the_nhsrplotthedots_snapshot():
    result = spc.xmr(RNORM_20_SEED_123, polarity=spc.HIGHER_IS_BETTER, target=0.5)
    assert result.mean == pytest.approx(0.1416238, abs=1e-7)
    assert result.lower_limit == pytest.approx(-3.01138, abs=1e-5)
    assert result.upper_limit == pytest.approx(3.294627, abs=1e-6)
    assert not any(point.special for point in result.points)
    assert result.variation == spc.COMMON
    assert result.assurance == spc.HIT_AND_MISS  # 0.5 lies between the limits


@pytest.mark.parametrize(
    ("target", "polarity", "assurance"),
    [
        (16, spc.HIGHER_IS_BETTER, spc.CONSISTENTLY_MISSES),  # above the upper limit (14.95)
        (7, spc.HIGHER_IS_BETTER, spc.CONSISTENTLY_MEETS),  # below the lower limit (7.95)
        (7.9, spc.HIGHER_IS_BETTER, spc.CONSISTENTLY_MEETS),
        (12, spc.HIGHER_IS_BETTER, spc.HIT_AND_MISS),
        (16, spc.LOWER_IS_BETTER, spc.CONSISTENTLY_MEETS),
        (15.0, spc.LOWER_IS_BETTER, spc.CONSISTENTLY_MEETS),
        (7, spc.LOWER_IS_BETTER, spc.CONSISTENTLY_MISSES),
        (12, spc.LOWER_IS_BETTER, spc.HIT_AND_MISS),
        (None, spc.HIGHER_IS_BETTER, None),
        (12, spc.NEITHER, None),
    ],
)
def test_assurance_comes_from_where_the_target_lies_against_the_limits(target, polarity, assurance):
    assert spc.xmr(WORKED, polarity=polarity, target=target).assurance == assurance


@pytest.mark.parametrize("polarity", [spc.HIGHER_IS_BETTER, spc.LOWER_IS_BETTER])
@pytest.mark.parametrize("limit", ["lower_limit", "upper_limit"])
def test_a_target_exactly_on_a_process_limit_is_hit_and_miss(polarity, limit):
    """Issue 15: a target on the lower limit of a higher-is-better measure used to read
    "consistently met". On the limit, the process produces figures either side of it."""
    on_limit = getattr(spc.xmr(WORKED, polarity=polarity), limit)
    assert spc.xmr(WORKED, polarity=polarity, target=on_limit).assurance == spc.HIT_AND_MISS


def test_fewer_than_twelve_points_give_no_chart():
    assert spc.xmr(WORKED[:11], polarity=spc.HIGHER_IS_BETTER) is None
    assert spc.xmr(WORKED[:12], polarity=spc.HIGHER_IS_BETTER) is not None
    # Missing months do not count towards the twelve.
    assert spc.xmr([*WORKED[:11], None, None], polarity=spc.HIGHER_IS_BETTER) is None


def test_a_point_beyond_the_upper_limit_is_special_cause():
    # The worked example's limits with a 21st point: a new series, so recompute by hand:
    # values + 30: sum 259, mean 12.333; ranges add |30-11| = 19: sum 44 / 20 = 2.2,
    # 2.66 x 2.2 = 5.852, upper limit 18.185 < 30.
    result = spc.xmr([*WORKED, 30], polarity=spc.HIGHER_IS_BETTER)
    assert result.upper_limit == pytest.approx(259 / 21 + 2.66 * 2.2)
    last = result.points[-1]
    assert "outside_limits" in last.rules and last.side == "high"
    assert result.variation.code == "improvement_high"
    lower_better = spc.xmr([*WORKED, 30], polarity=spc.LOWER_IS_BETTER)
    assert lower_better.variation.code == "concern_high"
    neither = spc.xmr([*WORKED, 30], polarity=spc.NEITHER)
    assert neither.variation.code == "neither_high"


def shifted(run_length):
    """Twelve points alternating 9 and 11, then more 11s, so the series ends with
    ``run_length`` consecutive 11s. The mean stays below 11 (it is a mix of 9s and 11s), so
    those 11s are all above it and every earlier point alternates sides."""
    return [9, 11] * 6 + [11] * (run_length - 1)


@pytest.mark.parametrize(("run_length", "flagged"), [(6, False), (7, True), (8, True)])
def test_seven_points_on_one_side_of_the_mean_is_a_shift(run_length, flagged):
    result = spc.xmr(shifted(run_length), polarity=spc.HIGHER_IS_BETTER)
    assert result.mean < 11
    assert all("shift" in p.rules for p in result.points[-run_length:]) is flagged
    assert not any("shift" in p.rules for p in result.points[:-run_length])


def test_a_point_exactly_on_the_mean_breaks_a_run():
    # Sum 120 + 82 + 48 = 250 over 25 points: the mean is exactly 10, the value at index 15.
    # Counting it as "above" would join 4 + 1 + 3 = 8 points above the mean: a shift. It is
    # on neither side, so the runs are 4 and 3: no shift.
    values = [8, 12] * 6 + [12, 12, 12, 10, 12, 12, 12] + [8] * 6
    result = spc.xmr(values, polarity=spc.HIGHER_IS_BETTER)
    assert result.mean == 10
    assert not any("shift" in p.rules for p in result.points)


@pytest.mark.parametrize(("rising", "flagged"), [(6, False), (7, True)])
def test_seven_points_rising_is_a_trend(rising, flagged):
    flat = [10, 11] * 6
    values = [*flat, *(10.0 + 0.1 * step for step in range(rising))]
    result = spc.xmr(values, polarity=spc.LOWER_IS_BETTER)
    tail = result.points[-rising:]
    assert all("trend" in p.rules for p in tail) is flagged
    if flagged:
        assert result.variation.code == "concern_high"


def test_an_equal_value_breaks_a_trend():
    values = [10, 11] * 6 + [10.0, 10.1, 10.2, 10.2, 10.3, 10.4, 10.5]
    result = spc.xmr(values, polarity=spc.HIGHER_IS_BETTER)
    assert not any("trend" in p.rules for p in result.points)


def test_two_of_three_beyond_two_sigma_on_one_side():
    # The worked example's first 17 points (sum 196, 16 moving ranges summing 21), then
    # 15, 12, 15, by hand: sum 238, mean 11.9; new ranges 4, 3, 3: 31 / 19 = 1.6316;
    # 2.66 x 1.6316 = 4.34: upper limit 16.24, two sigma 2.89 -> band at 14.79.
    # 15 and 15 are beyond 14.79 but inside 16.24, and 12 is above the mean too: two of
    # three, not outside the limits; only the two points beyond two sigma are flagged.
    values = [*WORKED[:17], 15, 12, 15]
    result = spc.xmr(values, polarity=spc.HIGHER_IS_BETTER)
    assert result.mean == pytest.approx(11.9)
    assert result.upper_limit == pytest.approx(11.9 + 2.66 * 31 / 19)
    assert result.mean + result.two_sigma == pytest.approx(14.79, abs=0.005)
    assert result.points[-1].rules == {"two_of_three"}
    assert "two_of_three" in result.points[-3].rules
    assert "two_of_three" not in result.points[-2].rules


def test_two_of_three_needs_all_three_months_on_one_side_of_the_mean():
    # Issue 15: this series used to be flagged. 15, 11, 15: sum 237, mean 11.85; ranges
    # 4, 4, 4: 33 / 19 = 1.7368, two sigma 3.08 -> band at 14.93. Both 15s are beyond it, but
    # 11 is below the mean, so the window is not on one side: no special cause (Making Data
    # Count, NHSRplotthedots issue 194).
    values = [*WORKED[:17], 15, 11, 15]
    result = spc.xmr(values, polarity=spc.HIGHER_IS_BETTER)
    assert result.mean == pytest.approx(11.85)
    assert result.mean + result.two_sigma == pytest.approx(14.93, abs=0.005)
    assert result.points[-2].value < result.mean
    assert not any(p.special for p in result.points)
    assert result.variation == spc.COMMON


def test_rebasing_computes_limits_from_the_chosen_point_on():
    values = [20] * 3 + WORKED
    before = spc.xmr(values, polarity=spc.HIGHER_IS_BETTER)
    after = spc.xmr(values, polarity=spc.HIGHER_IS_BETTER, baseline_start=3)
    assert after.upper_limit == pytest.approx(14.95)  # the worked example's limits again
    assert before.upper_limit != pytest.approx(14.95)
    assert after.baseline_start == 3
    # Points before the rebase are not judged against the new limits.
    assert not any(p.special for p in after.points[:3])


def test_missing_months_are_left_out_without_breaking_the_series():
    values = [*WORKED[:10], None, *WORKED[10:]]
    result = spc.xmr(values, polarity=spc.HIGHER_IS_BETTER)
    assert result.upper_limit == pytest.approx(14.95)
    assert [p.index for p in result.points][10] == 11


# Twelve months at 20 and 21, then seven rising from 10 to 16. By hand: sum 246 + 91 = 337
# over 19 points, mean 17.74, so the seven are a run below the mean and a rise at once.
# Ranges: eleven of 1, then 11, then six of 1: 28 / 18 = 1.556; 2.66 x 1.556 = 4.14, so the
# lower limit is 13.60 (10 to 13 are outside it) and two sigma 2.76 puts a band at 14.98.
# The latest month, 16, is inside both: only the run below (shift) and the rise (trend).
RISING_BELOW_THE_MEAN = [20, 21] * 6 + [10, 11, 12, 13, 14, 15, 16]


@pytest.mark.parametrize(
    ("polarity", "variation"),
    [
        # Issue 15: the side of the shift used to win (concern_low). MDC's tool shows the
        # improvement when rules disagree (NHSRplotthedots issue 194, November 2023).
        (spc.HIGHER_IS_BETTER, spc.IMPROVEMENT_HIGH),
        # The same: the improvement, here the run below the mean.
        (spc.LOWER_IS_BETTER, spc.IMPROVEMENT_LOW),
        # No improvement to prefer: the trend outranks the shift (NHSRplotthedots' order).
        (spc.NEITHER, spc.NEITHER_HIGH),
    ],
)
def test_when_rules_disagree_about_the_latest_month_the_improvement_is_shown(polarity, variation):
    result = spc.xmr(RISING_BELOW_THE_MEAN, polarity=polarity)
    assert result.mean == pytest.approx(337 / 19)
    assert result.lower_limit == pytest.approx(337 / 19 - 2.66 * 28 / 18)
    latest = result.latest
    assert latest.flags == [("shift", "low"), ("trend", "high")]
    assert latest.sentences == ["seven months in a row below the average", "seven months rising"]
    assert result.variation == variation
    assert [p.index for p in result.points if "outside_limits" in p.rules] == [12, 13, 14, 15]
