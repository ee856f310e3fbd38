"""Table-driven tests of the pure rules for trajectories and anticipated ranges
(indicators.rules.trajectories, indicators.rules.ranges) and of how a TargetSpan of each kind
is chosen for a month, judged and described. No database."""

from decimal import Decimal

import pytest

from indicators import rules
from indicators.periods import Month
from indicators.rules import (
    ANTICIPATED_RANGE,
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER,
    NEITHER,
    TRAJECTORY,
    Rag,
    RangePosition,
    TargetSpan,
)

D = Decimal
OCT_22, MAR_23, SEP_23, OCT_23, JAN_24 = (
    Month(2022, 10),
    Month(2023, 3),
    Month(2023, 9),
    Month(2023, 10),
    Month(2024, 1),
)


def agency_trajectory(places=1, **fields):
    """Devon's agency social workers: 37.9% in Oct-22 to 25% by Oct-23 (seed 002)."""
    return TargetSpan(
        value=D("37.9"),
        kind=TRAJECTORY,
        valid_from=OCT_22,
        start_value=D("37.9"),
        goal_value=D("25"),
        goal_month=OCT_23,
        places=places,
        **fields,
    )


def anticipated(lower, upper, **fields):
    return TargetSpan(value=None, kind=ANTICIPATED_RANGE, lower=D(lower), upper=D(upper), **fields)


# The straight line -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("month", "places", "expected"),
    [
        pytest.param(Month(2022, 9), 1, None, id="before-the-start-none"),
        pytest.param(OCT_22, 1, D("37.9"), id="start-month-the-starting-value"),
        # 37.9 - 12.9 x 1/12 = 36.825: half up at one place is 36.8 (the 2 rounds down).
        pytest.param(Month(2022, 11), 1, D("36.8"), id="one-month-in-36.825-to-36.8"),
        # 37.9 - 12.9 x 5/12 = 32.525 -> 32.5.
        pytest.param(MAR_23, 1, D("32.5"), id="five-months-in-32.525-to-32.5"),
        # 37.9 - 12.9 x 6/12 = 31.45: exactly half, rounded up to 31.5 (not to even, 31.4).
        pytest.param(Month(2023, 4), 1, D("31.5"), id="half-way-31.45-half-up-31.5"),
        pytest.param(Month(2023, 4), 0, D("31"), id="half-way-no-decimals-31"),
        pytest.param(Month(2023, 4), 2, D("31.45"), id="half-way-two-decimals-31.45"),
        # 37.9 - 12.9 x 11/12 = 26.075 -> 26.1.
        pytest.param(SEP_23, 1, D("26.1"), id="month-before-goal-26.075-to-26.1"),
        pytest.param(OCT_23, 1, D("25.0"), id="goal-month-the-goal"),
        pytest.param(JAN_24, 1, D("25.0"), id="after-the-goal-the-goal-stands"),
    ],
)
def test_a_trajectory_is_a_straight_line_rounded_half_up_to_the_indicators_places(
    month, places, expected
):
    assert rules.trajectory_value(D("37.9"), OCT_22, D("25"), OCT_23, month, places) == expected


@pytest.mark.parametrize(
    ("start", "goal", "month", "expected"),
    [
        pytest.param("10", "20", Month(2024, 3), D("15"), id="rising-half-way"),
        pytest.param("0", "3", Month(2024, 1), D("1"), id="rising-from-zero-one-third"),
        pytest.param("5", "5", Month(2024, 3), D("5"), id="flat-line"),
        pytest.param("-2", "2", Month(2024, 3), D("0"), id="through-zero-never-minus-zero"),
    ],
)
def test_a_trajectory_rises_or_falls_between_any_two_figures(start, goal, month, expected):
    value = rules.trajectory_value(D(start), Month(2023, 9), D(goal), Month(2024, 9), month, 0)
    assert value == expected


@pytest.mark.parametrize(
    "goal_month", [Month(2022, 10), Month(2022, 9)], ids=["same-month", "goal-before-start"]
)
def test_a_trajectory_whose_goal_is_not_after_its_start_is_refused(goal_month):
    with pytest.raises(ValueError, match="goal month comes after"):
        rules.trajectory_value(D("37.9"), OCT_22, D("25"), goal_month, OCT_22, 1)


def test_a_trajectorys_months_run_from_the_start_to_the_goal():
    months = rules.trajectory_months(OCT_22, OCT_23)
    assert months[0] == OCT_22 and months[-1] == OCT_23 and len(months) == 13
    assert rules.months_between(OCT_22, OCT_23) == 12
    assert rules.months_between(OCT_23, OCT_22) == -12


# The target in force is the month's point on the line ------------------------------------
@pytest.mark.parametrize(
    ("month", "expected"),
    [
        pytest.param(Month(2022, 9), None, id="before-none"),
        pytest.param(OCT_22, D("37.9"), id="start"),
        pytest.param(MAR_23, D("32.5"), id="on-the-line"),
        pytest.param(JAN_24, D("25.0"), id="after-the-goal"),
    ],
)
def test_target_for_gives_a_trajectorys_value_for_the_month(month, expected):
    span = rules.target_for(month, [agency_trajectory()])
    assert (span.value if span else None) == expected


def test_a_trajectory_that_ends_is_not_in_force_after_it():
    span = agency_trajectory(valid_to=Month(2023, 12))
    assert rules.target_for(Month(2023, 12), [span]).value == D("25.0")
    assert rules.target_for(JAN_24, [span]) is None


def test_a_later_fixed_target_replaces_a_trajectory():
    later = TargetSpan(value=D("20"), valid_from=Month(2023, 11))
    assert rules.target_for(SEP_23, [agency_trajectory(), later]).value == D("26.1")
    assert rules.target_for(JAN_24, [agency_trajectory(), later]) == later


def test_without_places_a_trajectory_rounds_to_the_digits_it_was_written_with():
    span = agency_trajectory(places=None)  # 37.9 and 25: one place
    assert rules.target_for(MAR_23, [span]).value == D("32.5")


# RAG against the month's point: lower is better for agency staff --------------------------
@pytest.mark.parametrize(
    ("value", "month", "expected"),
    [
        pytest.param(D("32.5"), MAR_23, Rag.GREEN, id="on-the-line-green"),
        pytest.param(D("30.0"), MAR_23, Rag.GREEN, id="below-the-line-green"),
        # 32.5 x 1.15 = 37.375: amber up to it, red beyond.
        pytest.param(D("37.3"), MAR_23, Rag.AMBER, id="within-15pc-amber"),
        pytest.param(D("37.4"), MAR_23, Rag.RED, id="beyond-15pc-red"),
        pytest.param(D("26.0"), SEP_23, Rag.GREEN, id="month-before-goal-26.1-green"),
        pytest.param(D("26.2"), SEP_23, Rag.AMBER, id="month-before-goal-26.2-amber"),
        pytest.param(None, MAR_23, Rag.NO_DATA, id="no-figure-no-data"),
    ],
)
def test_a_figure_is_rated_against_the_trajectorys_target_for_its_month(value, month, expected):
    span = rules.target_for(month, [agency_trajectory()])
    assert rules.rag_for_target(value, span, LOWER_IS_BETTER) is expected


# On track for the goal ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "month", "polarity", "on_track", "label"),
    [
        pytest.param(D("32.5"), MAR_23, LOWER_IS_BETTER, True, "On track for the goal", id="on"),
        pytest.param(D("30"), MAR_23, LOWER_IS_BETTER, True, "On track for the goal", id="ahead"),
        pytest.param(
            D("32.6"), MAR_23, LOWER_IS_BETTER, False, "Not on track for the goal", id="behind"
        ),
        pytest.param(D("25"), OCT_23, LOWER_IS_BETTER, True, "Goal met", id="goal-met"),
        pytest.param(D("25.1"), OCT_23, LOWER_IS_BETTER, False, "Goal not met", id="goal-missed"),
        pytest.param(D("24"), JAN_24, LOWER_IS_BETTER, True, "Goal met", id="after-goal-met"),
        pytest.param(D("32.6"), MAR_23, HIGHER_IS_BETTER, True, "On track for the goal", id="hi"),
        pytest.param(None, MAR_23, LOWER_IS_BETTER, None, "No figure", id="no-figure"),
        pytest.param(D("30"), MAR_23, NEITHER, None, "Not judged", id="no-better-direction"),
        pytest.param(D("30"), Month(2022, 9), LOWER_IS_BETTER, None, "Not started", id="early"),
    ],
)
def test_whether_a_figure_is_on_track_for_the_goal(value, month, polarity, on_track, label):
    progress = rules.trajectory_progress(
        value, month, agency_trajectory(), polarity, "percentage", 1
    )
    assert (progress.on_track, progress.label) == (on_track, label)
    assert progress.sentence.startswith(label) or label in {"Not judged", "Not started"}


def test_the_progress_sentence_names_the_figure_the_months_target_and_the_goal():
    progress = rules.trajectory_progress(
        D("33.1"), MAR_23, agency_trajectory(), LOWER_IS_BETTER, "percentage", 1
    )
    assert progress.sentence == (
        "Not on track for the goal: 33.1% in Mar-23 is worse than the trajectory's 32.5% for "
        "the month (goal 25.0% by Oct-23)."
    )


# Anticipated ranges ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(D("39.99"), RangePosition.BELOW, id="just-below"),
        pytest.param(D("40"), RangePosition.WITHIN, id="on-the-lower-end-within"),
        pytest.param(D("50"), RangePosition.WITHIN, id="inside"),
        pytest.param(D("60"), RangePosition.WITHIN, id="on-the-upper-end-within"),
        pytest.param(D("60.01"), RangePosition.ABOVE, id="just-above-unrounded"),
        pytest.param(D("-1"), RangePosition.BELOW, id="negative"),
        pytest.param(None, None, id="no-figure"),
    ],
)
def test_a_figure_lies_below_within_or_above_its_anticipated_range(value, expected):
    assert rules.range_position(value, D("40"), D("60")) is expected


def test_a_range_of_one_value_holds_only_that_value():
    assert rules.range_position(D("5"), D("5"), D("5")) is RangePosition.WITHIN
    assert rules.range_position(D("5.001"), D("5"), D("5")) is RangePosition.ABOVE


def test_a_range_upside_down_is_refused():
    with pytest.raises(ValueError, match="lower end is not above"):
        rules.range_position(D("5"), D("6"), D("4"))


@pytest.mark.parametrize(
    ("value", "polarity", "expected"),
    [
        pytest.param(D("45"), NEITHER, Rag.WITHIN_RANGE, id="within"),
        pytest.param(D("61"), NEITHER, Rag.ABOVE_RANGE, id="above"),
        pytest.param(D("12"), NEITHER, Rag.BELOW_RANGE, id="below"),
        # A range is read the same whatever the polarity: it is not better or worse.
        pytest.param(D("61"), HIGHER_IS_BETTER, Rag.ABOVE_RANGE, id="above-whatever-polarity"),
        pytest.param(None, NEITHER, Rag.NO_DATA, id="no-figure-no-data"),
    ],
)
def test_a_figure_is_judged_against_an_anticipated_range_not_red_amber_or_green(
    value, polarity, expected
):
    assert rules.rag_for_target(value, anticipated("40", "60"), polarity) is expected


@pytest.mark.parametrize(
    ("rag", "label", "name", "css"),
    [
        (Rag.WITHIN_RANGE, "Within range", "Within range: inside the anticipated range of 40 to "
         "60", "within-range"),
        (Rag.ABOVE_RANGE, "Above range", "Above range: higher than the anticipated range of 40 "
         "to 60", "above-range"),
        (Rag.BELOW_RANGE, "Below range", "Below range: lower than the anticipated range of 40 "
         "to 60", "below-range"),
    ],
)  # fmt: skip
def test_each_range_mark_has_its_own_words_and_colour(rag, label, name, css):
    assert rag.label == label
    assert rules.rag_accessible_name(rag, anticipated("40", "60")) == name
    assert rag.css_modifier == css
    assert rag.is_range
    assert css not in {r.css_modifier for r in Rag if r is not rag}


# How each kind of target is printed --------------------------------------------------------
@pytest.mark.parametrize(
    ("span", "unit", "places", "display", "source"),
    [
        pytest.param(None, "percentage", 1, "Monitor", "", id="none-monitor"),
        pytest.param(TargetSpan(D("90")), "percentage", 1, "90.0%", "", id="fixed"),
        pytest.param(
            TargetSpan(D("42.1"), label="England"),
            "rate_per_10000",
            1,
            "42.1r England",
            "England",
            id="fixed-labelled",
        ),
        pytest.param(
            rules.target_for(SEP_23, [agency_trajectory()]),
            "percentage",
            1,
            "26.1% (trajectory to 25.0% by Oct-23)",
            "trajectory to 25.0% by Oct-23",
            id="trajectory-month",
        ),
        pytest.param(
            anticipated("400", "550"),
            "rate_per_10000",
            1,
            "400.0r to 550.0r (anticipated range)",
            "anticipated range 400.0r to 550.0r",
            id="range",
        ),
        pytest.param(
            anticipated("400", "550", label="Statistical neighbours"),
            "rate_per_10000",
            0,
            "400r to 550r (anticipated range, Statistical neighbours)",
            "anticipated range 400r to 550r, Statistical neighbours",
            id="range-labelled",
        ),
    ],
)
def test_each_kind_of_target_is_printed_with_what_it_is(span, unit, places, display, source):
    assert rules.describe_target(span, unit, places) == display
    assert rules.target_source(span, unit, places) == source


@pytest.mark.parametrize(
    ("span", "unit", "places", "short"),
    [
        pytest.param(None, "percentage", 1, "Monitor", id="none-monitor"),
        pytest.param(TargetSpan(D("90")), "percentage", 1, "90.0%", id="fixed"),
        pytest.param(
            TargetSpan(D("42.1"), label="England"),
            "rate_per_10000",
            1,
            "42.1r England",
            id="fixed-labelled",
        ),
        pytest.param(TargetSpan(D("0")), "count", 0, "0", id="target-zero"),
        pytest.param(
            rules.target_for(SEP_23, [agency_trajectory()]),
            "percentage",
            1,
            "26.1% (trajectory)",
            id="trajectory-month",
        ),
        pytest.param(anticipated("850", "1000"), "count", 0, "850-1,000 (range)", id="range"),
        pytest.param(
            anticipated("850", "1000", label="Sufficiency plan"),
            "count",
            0,
            "850-1,000 (range)",
            id="range-labelled-keeps-its-label-for-the-key",
        ),
        pytest.param(
            anticipated("400", "550"),
            "rate_per_10000",
            1,
            "400.0r-550.0r (range)",
            id="range-rate",
        ),
    ],
)
def test_a_table_prints_a_long_target_short(span, unit, places, short):
    assert rules.short_target(span, unit, places) == short
    # Never longer than the full wording, which the key and the row's details give.
    assert len(short) <= len(rules.describe_target(span, unit, places))


def test_the_key_explains_trajectories_with_their_rounding_and_each_range_mark():
    from scorecard.key import key_sections

    section = next(s for s in key_sections() if s.title == "Trajectories and anticipated ranges")
    terms = {entry.term: entry for entry in section.entries}
    assert "rounded half up to the indicator's decimal places" in terms["Trajectory"].meaning
    assert {"On track for the goal", "Not on track for the goal"} <= set(terms)
    for rag in rules.RANGE_RAGS:
        assert terms[rag.label].rag == rag.css_modifier
        assert terms[rag.label].name == rag.accessible_name
