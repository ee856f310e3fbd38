"""SPC rebasing (issue 26): when an event changed the process, the mean and limits are worked
out again from its month on, separately before and after (Making Data Count's "rebase").
A table of cases for the pure rule (``spc.xmr(..., rebases=...)``, ``spc.segment_cuts``);
decision 0004, "Rebasing", says why each case is so.

Hand-worked: ``WORKED`` is the 20-point series of tests/test_spc.py (mean 11.45, limits
7.95 to 14.95). ``STEP`` is twelve months of 20 then ``WORKED``: by itself the step makes the
old months a long run above the mean; rebased at 12 each side gets its own limits.
"""

import pytest

from indicators import spc

from .support.spc_series import FLAT_20, WORKED

STEP = FLAT_20 + WORKED  # 32 points; the process changed at index 12


@pytest.mark.parametrize(
    ("name", "values", "rebases", "segments", "pending"),
    [
        ("no rebase: one segment", WORKED, (), [(0, 19, True)], []),
        ("a rebase splits the series", STEP, (12,), [(0, 11, True), (12, 31, True)], []),
        (
            "a rebase at the first point cuts nothing",
            WORKED,
            (0,),
            [(0, 19, True)],
            [],
        ),
        ("a rebase after the last point cuts nothing", WORKED, (25,), [(0, 19, True)], []),
        (
            "fewer than 12 points after a rebase: pending, judged with the limits before",
            STEP[:20],
            (12,),
            [(0, 19, True)],
            [12],
        ),
        (
            "fewer than 12 points before a rebase: drawn, not judged",
            [20] * 5 + WORKED,
            (5,),
            [(0, 4, False), (5, 24, True)],
            [],
        ),
        (
            "two rebases: the second pending, the first applied",
            STEP + [30, 31, 30],
            (12, 32),
            [(0, 11, True), (12, 34, True)],
            [32],
        ),
        (
            "the same month given twice is one rebase",
            STEP,
            (12, 12),
            [(0, 11, True), (12, 31, True)],
            [],
        ),
        (
            "a rebase on a missing month starts at the next figure",
            [*FLAT_20, None, *WORKED],
            (12,),
            [(0, 11, True), (13, 32, True)],
            [],
        ),
    ],
)
def test_rebase_segments(name, values, rebases, segments, pending):
    result = spc.xmr(values, polarity=spc.HIGHER_IS_BETTER, rebases=rebases)
    assert result is not None, name
    found = [(s.start, s.end, s.limits is not None) for s in result.segments]
    assert found == segments, name
    assert result.pending_rebases == pending, name
    assert result.rebased == (len(segments) > 1), name


def test_each_segment_has_its_own_mean_and_limits():
    result = spc.xmr(STEP, polarity=spc.HIGHER_IS_BETTER, rebases=(12,))
    before, after = (segment.limits for segment in result.segments)
    assert before.mean == pytest.approx(20.5)
    assert before.upper == pytest.approx(20.5 + 2.66)
    assert after.mean == pytest.approx(11.45)
    assert (after.lower, after.upper) == (pytest.approx(7.95), pytest.approx(14.95))
    # The result's own mean and limits are the latest segment's: what the row judges by.
    assert (result.mean, result.upper_limit) == (pytest.approx(11.45), pytest.approx(14.95))


def test_without_the_rebase_the_step_is_a_special_cause_and_with_it_is_not():
    plain = spc.xmr(STEP, polarity=spc.HIGHER_IS_BETTER)
    rebased = spc.xmr(STEP, polarity=spc.HIGHER_IS_BETTER, rebases=(12,))
    # One mean over both: the twelve old months are a run above it, the new ones below.
    assert all(p.special for p in plain.points[:12])
    assert plain.variation.kind == "concern"
    assert not any(p.special for p in rebased.points)
    assert rebased.variation == spc.COMMON


def test_runs_do_not_cross_a_rebase():
    # Four rising months before and four after a rebase: eight in a row, but no trend.
    before = [10, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 12, 13, 14]
    after = [15, 16, 17, 18, 17, 18, 17, 18, 17, 18, 17, 18]
    plain = spc.xmr(before + after, polarity=spc.HIGHER_IS_BETTER, min_points=12)
    rebased = spc.xmr(before + after, polarity=spc.HIGHER_IS_BETTER, rebases=(16,))
    assert any(spc.TREND in p.rules for p in plain.points[12:20])
    assert not any(spc.TREND in p.rules for p in rebased.points[12:20])


def test_assurance_uses_the_latest_segments_limits():
    # Target 18: above the new limits (14.95) so a higher-is-better target is missed every
    # month; against the single mean over the step it would be hit and miss.
    plain = spc.xmr(STEP, polarity=spc.HIGHER_IS_BETTER, target=18)
    rebased = spc.xmr(STEP, polarity=spc.HIGHER_IS_BETTER, target=18, rebases=(12,))
    assert plain.assurance == spc.HIT_AND_MISS
    assert rebased.assurance == spc.CONSISTENTLY_MISSES


def test_too_few_points_overall_is_still_no_result():
    assert spc.xmr(WORKED[:11], polarity=spc.HIGHER_IS_BETTER, rebases=(5,)) is None


def test_a_rebase_and_a_baseline_together():
    # The baseline (the indicator's own "SPC baseline from") leaves the first months out;
    # a rebase after it still splits what remains.
    values = [99, 99, *STEP]
    result = spc.xmr(values, polarity=spc.HIGHER_IS_BETTER, baseline_start=2, rebases=(14,))
    assert [(s.start, s.end) for s in result.segments] == [(2, 13), (14, 33)]
    assert not any(p.special for p in result.points[:2])


@pytest.mark.parametrize(
    ("indexes", "rebases", "cuts", "pending"),
    [
        ([0, 1, 2, 3], (), [0, 4], []),
        ([0, 1, 2, 3], (2,), [0, 2, 4], []),
        ([0, 1, 2, 3], (3,), [0, 4], [3]),  # one point after: too few for 2
        ([0, 2, 4, 6], (3,), [0, 2, 4], []),  # index 3 missing: starts at index 4
        ([5, 6, 7, 8], (1,), [0, 4], []),  # before the first point
    ],
)
def test_segment_cuts(indexes, rebases, cuts, pending):
    assert spc.segment_cuts(indexes, rebases, 2) == (cuts, pending)
