"""Table-driven tests of the pure domain rules in indicators.rules (RAG, direction of travel,
formatting, suppression).

No database or request is involved; every case is a row in a table with a readable id.
"""

from decimal import Decimal

import pytest

from indicators import rules
from indicators.periods import Month
from indicators.rules import (
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER,
    NEITHER,
    Arrow,
    Judgement,
    Rag,
    TargetSpan,
)

D = Decimal
HIGHER = HIGHER_IS_BETTER
LOWER = LOWER_IS_BETTER


# RAG against target -------------------------------------------------------------------
SPEC_WORKED_EXAMPLES = [
    pytest.param(
        D("18.3"),
        D("23.0"),
        LOWER,
        Rag.GREEN,
        id="id10-re-referrals-18.3-vs-23.0-lower-green",
    ),
    pytest.param(
        D("58.2"),
        D("90.0"),
        HIGHER,
        Rag.RED,
        id="id7-mash-decisions-58.2-vs-90.0-higher-red",
    ),
    pytest.param(
        D("91.1"),
        D("95.0"),
        HIGHER,
        Rag.AMBER,
        id="id55-cic-reviews-91.1-vs-95.0-higher-amber",
    ),
    pytest.param(
        D("11.25"),
        D("7.00"),
        LOWER,
        Rag.RED,
        id="id78-sickness-11.25-vs-7.00-lower-red",
    ),
    pytest.param(
        D("9.7"),
        D("10.0"),
        LOWER,
        Rag.GREEN,
        id="id41-placement-stability-9.7-vs-10.0-lower-green",
    ),
]


@pytest.mark.parametrize(("value", "target", "polarity", "expected"), SPEC_WORKED_EXAMPLES)
def test_it_agrees_with_every_worked_example_in_the_spec(value, target, polarity, expected):
    assert rules.rag_status(value, target, polarity) is expected


@pytest.mark.parametrize(
    ("value", "target", "polarity"),
    [
        pytest.param(D("90.0"), D("90.0"), HIGHER, id="on-target-higher-is-better"),
        pytest.param(D("23.0"), D("23.0"), LOWER, id="on-target-lower-is-better"),
        pytest.param(D("90"), D("90.000"), HIGHER, id="on-target-different-exponent"),
        pytest.param(D("95.5"), D("90.0"), HIGHER, id="above-target-higher-is-better"),
        pytest.param(D("0.1"), D("23.0"), LOWER, id="far-below-target-lower-is-better"),
        pytest.param(D("0"), D("0"), LOWER, id="target-zero-value-zero-lower"),
        pytest.param(D("0"), D("0"), HIGHER, id="target-zero-value-zero-higher"),
        pytest.param(D("5"), D("0"), HIGHER, id="target-zero-value-above-higher"),
        pytest.param(D("-3"), D("0"), LOWER, id="target-zero-value-below-lower"),
        pytest.param(D("-4"), D("-5"), HIGHER, id="negative-target-better-higher"),
        pytest.param(D("-6"), D("-5"), LOWER, id="negative-target-better-lower"),
    ],
)
def test_it_marks_green_when_on_or_better_than_target(value, target, polarity):
    assert rules.rag_status(value, target, polarity) is Rag.GREEN


@pytest.mark.parametrize(
    ("value", "target", "polarity"),
    [
        pytest.param(D("76.5"), D("90"), HIGHER, id="exactly-15pc-below-higher-is-better"),
        pytest.param(D("115"), D("100"), LOWER, id="exactly-15pc-above-lower-is-better"),
        pytest.param(D("89.99"), D("90"), HIGHER, id="just-below-target-higher-is-better"),
        pytest.param(D("100.01"), D("100"), LOWER, id="just-above-target-lower-is-better"),
        pytest.param(D("-5.75"), D("-5"), HIGHER, id="negative-target-exactly-15pc-worse-higher"),
        pytest.param(D("-4.25"), D("-5"), LOWER, id="negative-target-exactly-15pc-worse-lower"),
    ],
)
def test_it_marks_amber_when_worse_but_within_tolerance_of_target(value, target, polarity):
    assert rules.rag_status(value, target, polarity) is Rag.AMBER


@pytest.mark.parametrize(
    ("value", "target", "polarity"),
    [
        pytest.param(D("76.49"), D("90"), HIGHER, id="just-past-15pc-below-higher-is-better"),
        pytest.param(D("115.01"), D("100"), LOWER, id="just-past-15pc-above-lower-is-better"),
        pytest.param(D("0"), D("90"), HIGHER, id="zero-against-90-higher-is-better"),
        pytest.param(D("1"), D("0"), LOWER, id="target-zero-value-one-lower-no-division"),
        pytest.param(D("0.001"), D("0"), LOWER, id="target-zero-tiny-value-lower"),
        pytest.param(D("-1"), D("0"), HIGHER, id="target-zero-value-minus-one-higher"),
        pytest.param(D("-5.76"), D("-5"), HIGHER, id="negative-target-past-15pc-higher"),
        pytest.param(D("-4.24"), D("-5"), LOWER, id="negative-target-past-15pc-lower"),
    ],
)
def test_it_marks_red_when_more_than_tolerance_from_target(value, target, polarity):
    assert rules.rag_status(value, target, polarity) is Rag.RED


@pytest.mark.parametrize(
    ("value", "absolute_tolerance", "expected"),
    [
        pytest.param(D("0"), D("2"), Rag.GREEN, id="zero-is-green"),
        pytest.param(D("1"), D("2"), Rag.AMBER, id="one-within-2-amber"),
        pytest.param(D("2"), D("2"), Rag.AMBER, id="two-at-edge-of-2-amber"),
        pytest.param(D("2.01"), D("2"), Rag.RED, id="just-past-2-red"),
        pytest.param(D("3"), D("2"), Rag.RED, id="three-past-2-red"),
        pytest.param(3, 2, Rag.RED, id="ints-three-past-2-red"),
        pytest.param(2.0, 2.0, Rag.AMBER, id="floats-two-at-edge-of-2-amber"),
    ],
)
def test_it_uses_the_absolute_tolerance_for_a_target_of_zero(value, absolute_tolerance, expected):
    assert rules.rag_status(value, D("0"), LOWER, absolute_tolerance=absolute_tolerance) is expected


@pytest.mark.parametrize(
    ("value", "target", "polarity", "absolute_tolerance", "expected"),
    [
        pytest.param(D("85"), D("90"), HIGHER, D("5"), Rag.AMBER, id="5-below-90-within-abs-5"),
        pytest.param(D("84"), D("90"), HIGHER, D("5"), Rag.RED, id="6-below-90-past-abs-5"),
        pytest.param(
            D("77"),
            D("90"),
            HIGHER,
            D("5"),
            Rag.RED,
            id="abs-5-overrides-relative-15pc",
        ),
        pytest.param(
            D("60"),
            D("90"),
            HIGHER,
            D("40"),
            Rag.AMBER,
            id="abs-40-overrides-relative-15pc",
        ),
        pytest.param(
            D("91"),
            D("90"),
            HIGHER,
            D("5"),
            Rag.GREEN,
            id="better-than-target-still-green",
        ),
    ],
)
def test_it_prefers_an_absolute_tolerance_over_the_relative_one(
    value, target, polarity, absolute_tolerance, expected
):
    assert (
        rules.rag_status(value, target, polarity, absolute_tolerance=absolute_tolerance) is expected
    )


@pytest.mark.parametrize(
    ("value", "target", "polarity", "tolerance", "expected"),
    [
        pytest.param(
            D("85.5"),
            D("90"),
            HIGHER,
            D("0.05"),
            Rag.AMBER,
            id="5pc-exactly-at-edge-amber",
        ),
        pytest.param(D("85.49"), D("90"), HIGHER, D("0.05"), Rag.RED, id="5pc-just-past-red"),
        pytest.param(
            D("80"),
            D("90"),
            HIGHER,
            D("0.05"),
            Rag.RED,
            id="5pc-would-be-amber-at-15pc",
        ),
        pytest.param(
            D("105"),
            D("100"),
            LOWER,
            D("0.05"),
            Rag.AMBER,
            id="5pc-lower-at-edge-amber",
        ),
        pytest.param(
            D("105.01"),
            D("100"),
            LOWER,
            D("0.05"),
            Rag.RED,
            id="5pc-lower-just-past-red",
        ),
        pytest.param(
            D("67.5"),
            D("90"),
            HIGHER,
            D("0.25"),
            Rag.AMBER,
            id="25pc-exactly-at-edge-amber",
        ),
        pytest.param(D("67.49"), D("90"), HIGHER, D("0.25"), Rag.RED, id="25pc-just-past-red"),
        pytest.param(
            D("70"),
            D("90"),
            HIGHER,
            D("0.25"),
            Rag.AMBER,
            id="25pc-would-be-red-at-15pc",
        ),
        pytest.param(
            D("125"),
            D("100"),
            LOWER,
            D("0.25"),
            Rag.AMBER,
            id="25pc-lower-at-edge-amber",
        ),
        pytest.param(
            D("90"),
            D("90"),
            HIGHER,
            D("0.05"),
            Rag.GREEN,
            id="custom-tolerance-on-target-green",
        ),
        pytest.param(
            D("85.5"),
            D("90"),
            HIGHER,
            0.05,
            Rag.AMBER,
            id="float-tolerance-at-edge-amber",
        ),
    ],
)
def test_it_honours_a_custom_tolerance(value, target, polarity, tolerance, expected):
    assert rules.rag_status(value, target, polarity, tolerance=tolerance) is expected


@pytest.mark.parametrize(
    ("value", "target", "polarity"),
    [
        pytest.param(D("58.2"), None, HIGHER, id="no-target-with-value-higher"),
        pytest.param(D("11.25"), None, LOWER, id="no-target-with-value-lower"),
        pytest.param(D("12"), None, NEITHER, id="no-target-polarity-neither"),
        pytest.param(D("12"), D("10"), NEITHER, id="target-but-polarity-neither"),
    ],
)
def test_it_marks_monitor_when_there_is_no_target_or_no_better_direction(value, target, polarity):
    assert rules.rag_status(value, target, polarity) is Rag.MONITOR


@pytest.mark.parametrize(
    ("target", "polarity"),
    [
        pytest.param(None, HIGHER, id="no-target"),
        pytest.param(None, NEITHER, id="no-target-polarity-neither"),
        pytest.param(D("10"), NEITHER, id="target-polarity-neither"),
        pytest.param(D("10"), HIGHER, id="target"),
    ],
)
def test_no_figure_is_no_data_whether_or_not_there_is_a_target(target, polarity):
    assert rules.rag_status(None, target, polarity) is Rag.NO_DATA


@pytest.mark.parametrize(
    ("target", "polarity"),
    [
        pytest.param(D("90"), HIGHER, id="higher-is-better"),
        pytest.param(D("7"), LOWER, id="lower-is-better"),
        pytest.param(D("0"), LOWER, id="target-zero"),
    ],
)
def test_it_marks_no_data_when_there_is_a_target_but_no_value(target, polarity):
    assert rules.rag_status(None, target, polarity) is Rag.NO_DATA


@pytest.mark.parametrize(
    "polarity",
    [
        pytest.param("higher", id="abbreviated"),
        pytest.param("Higher_is_better", id="wrong-case"),
        pytest.param("", id="empty"),
        pytest.param(None, id="none"),
    ],
)
def test_it_rejects_an_unknown_polarity(polarity):
    with pytest.raises(ValueError, match="polarity"):
        rules.rag_status(D("50"), D("90"), polarity)


@pytest.mark.parametrize(
    ("value", "target", "polarity", "expected"),
    [
        pytest.param(89.96, 90.0, HIGHER, Rag.AMBER, id="floats-89.96-vs-90.0-amber-not-green"),
        pytest.param(
            D("89.96"),
            D("90.0"),
            HIGHER,
            Rag.AMBER,
            id="decimals-89.96-vs-90.0-amber-not-green",
        ),
        pytest.param(89.96, D("90"), HIGHER, Rag.AMBER, id="float-value-decimal-target"),
        pytest.param(D("89.96"), 90, HIGHER, Rag.AMBER, id="decimal-value-int-target"),
        pytest.param(90, 90.0, HIGHER, Rag.GREEN, id="int-equals-float-green"),
        pytest.param(
            7.004,
            D("7.00"),
            LOWER,
            Rag.AMBER,
            id="float-7.004-vs-7.00-lower-amber-not-green",
        ),
        pytest.param(76, 90, HIGHER, Rag.RED, id="ints-76-vs-90-red"),
        pytest.param(77, 90, HIGHER, Rag.AMBER, id="ints-77-vs-90-amber"),
        pytest.param(76.5, 90.0, HIGHER, Rag.AMBER, id="floats-76.5-at-boundary-amber"),
        pytest.param(
            0.1 + 0.2,
            D("0.3"),
            LOWER,
            Rag.AMBER,
            id="float-0.1-plus-0.2-just-worse-than-0.3",
        ),
        pytest.param(18.3, 23.0, LOWER, Rag.GREEN, id="floats-spec-id10-green"),
    ],
)
def test_it_compares_unrounded_values_of_any_numeric_type(value, target, polarity, expected):
    assert rules.rag_status(value, target, polarity) is expected


def test_it_uses_a_15_percent_tolerance_by_default():
    assert D("0.15") == rules.DEFAULT_TOLERANCE
    assert rules.rag_status(D("76.5"), D("90"), HIGHER) is Rag.AMBER
    assert rules.rag_status(D("76.49"), D("90"), HIGHER) is Rag.RED


@pytest.mark.parametrize(
    ("rag", "label", "css_modifier"),
    [
        pytest.param(Rag.GREEN, "Green", "green", id="green"),
        pytest.param(Rag.AMBER, "Amber", "amber", id="amber"),
        pytest.param(Rag.RED, "Red", "red", id="red"),
        pytest.param(Rag.MONITOR, "Monitor", "monitor", id="monitor"),
        pytest.param(Rag.NO_DATA, "No data", "nodata", id="no-data"),
    ],
)
def test_each_rag_status_has_a_text_label_and_css_modifier(rag, label, css_modifier):
    assert rag.label == label
    assert rag.css_modifier == css_modifier


# RAG with a target span ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "span", "polarity", "expected"),
    [
        pytest.param(D("58.2"), None, HIGHER, Rag.MONITOR, id="no-span-monitor"),
        # No figure is no data, target or not (issue 11: "Monitor" was counted for them).
        pytest.param(None, None, HIGHER, Rag.NO_DATA, id="no-span-no-value-no-data"),
        pytest.param(
            D("91.1"),
            TargetSpan(value=D("95.0")),
            HIGHER,
            Rag.AMBER,
            id="default-tolerance-amber",
        ),
        pytest.param(
            D("58.2"),
            TargetSpan(value=D("90.0")),
            HIGHER,
            Rag.RED,
            id="default-tolerance-red",
        ),
        pytest.param(
            D("18.3"),
            TargetSpan(value=D("23.0")),
            LOWER,
            Rag.GREEN,
            id="default-tolerance-green",
        ),
        pytest.param(
            D("91.1"),
            TargetSpan(value=D("95.0"), tolerance=D("0.02")),
            HIGHER,
            Rag.RED,
            id="span-tolerance-2pc-red",
        ),
        pytest.param(
            D("70"),
            TargetSpan(value=D("90"), tolerance=D("0.25")),
            HIGHER,
            Rag.AMBER,
            id="span-tolerance-25pc-amber",
        ),
        pytest.param(
            D("2"),
            TargetSpan(value=D("0"), absolute_tolerance=D("2")),
            LOWER,
            Rag.AMBER,
            id="span-absolute-tolerance-2-value-2-amber",
        ),
        pytest.param(
            D("3"),
            TargetSpan(value=D("0"), absolute_tolerance=D("2")),
            LOWER,
            Rag.RED,
            id="span-absolute-tolerance-2-value-3-red",
        ),
        pytest.param(
            D("1"),
            TargetSpan(value=D("0")),
            LOWER,
            Rag.RED,
            id="span-target-zero-no-abs-red",
        ),
        pytest.param(
            None,
            TargetSpan(value=D("90")),
            HIGHER,
            Rag.NO_DATA,
            id="span-no-value-no-data",
        ),
        pytest.param(
            D("50"),
            TargetSpan(value=D("90")),
            NEITHER,
            Rag.MONITOR,
            id="span-polarity-neither-monitor",
        ),
    ],
)
def test_it_judges_against_the_tolerance_carried_by_the_target_span(
    value, span, polarity, expected
):
    assert rules.rag_for_target(value, span, polarity) is expected


# Accessible names for RAG -------------------------------------------------------------
@pytest.mark.parametrize(
    ("rag", "span", "expected"),
    [
        pytest.param(
            Rag.AMBER,
            TargetSpan(value=D("90")),
            "Amber: within 15% of target",
            id="amber-default-15pc",
        ),
        pytest.param(
            Rag.RED,
            TargetSpan(value=D("90")),
            "Red: more than 15% from target",
            id="red-default-15pc",
        ),
        pytest.param(
            Rag.AMBER,
            TargetSpan(value=D("90"), tolerance=D("0.10")),
            "Amber: within 10% of target",
            id="amber-custom-10pc",
        ),
        pytest.param(
            Rag.RED,
            TargetSpan(value=D("90"), tolerance=D("0.10")),
            "Red: more than 10% from target",
            id="red-custom-10pc",
        ),
        pytest.param(
            Rag.AMBER,
            TargetSpan(value=D("90"), tolerance=D("0.25")),
            "Amber: within 25% of target",
            id="amber-custom-25pc",
        ),
        pytest.param(
            Rag.AMBER,
            TargetSpan(value=D("0"), absolute_tolerance=D("2")),
            "Amber: within 2 of target",
            id="amber-absolute-2",
        ),
        pytest.param(
            Rag.RED,
            TargetSpan(value=D("0"), absolute_tolerance=D("2")),
            "Red: more than 2 from target",
            id="red-absolute-2",
        ),
        pytest.param(
            Rag.AMBER,
            TargetSpan(value=D("7"), absolute_tolerance=D("0.5")),
            "Amber: within 0.5 of target",
            id="amber-absolute-0.5",
        ),
        pytest.param(Rag.GREEN, TargetSpan(value=D("90")), "Green: on target", id="green"),
        pytest.param(Rag.GREEN, None, "Green: on target", id="green-no-span"),
        pytest.param(Rag.MONITOR, None, "Monitor: no target", id="monitor"),
        pytest.param(
            Rag.NO_DATA,
            TargetSpan(value=D("90")),
            "No data for this month",
            id="no-data",
        ),
        pytest.param(Rag.NO_DATA, None, "No data for this month", id="no-data-no-span"),
    ],
)
def test_it_names_each_rag_status_in_words_with_the_targets_tolerance(rag, span, expected):
    assert rules.rag_accessible_name(rag, span) == expected


# Target in force for a month ----------------------------------------------------------
SEP_23 = Month(2023, 9)
OCT_23 = Month(2023, 10)
APR_23 = Month(2023, 4)
APR_24 = Month(2024, 4)

OPEN_FROM_APR_23 = TargetSpan(value=D("90"), label="local", valid_from=APR_23)
FROM_OCT_23 = TargetSpan(value=D("95"), label="local", valid_from=OCT_23)
APR_23_TO_SEP_23 = TargetSpan(value=D("80"), label="old", valid_from=APR_23, valid_to=SEP_23)
FROM_APR_24 = TargetSpan(value=D("85"), label="new", valid_from=APR_24)


@pytest.mark.parametrize(
    ("month", "spans", "expected"),
    [
        pytest.param(SEP_23, [], None, id="no-spans-none"),
        pytest.param(
            SEP_23,
            [OPEN_FROM_APR_23],
            OPEN_FROM_APR_23,
            id="open-ended-span-covers-later-month",
        ),
        pytest.param(
            APR_23,
            [OPEN_FROM_APR_23],
            OPEN_FROM_APR_23,
            id="open-ended-span-covers-its-first-month",
        ),
        pytest.param(
            Month(2030, 1),
            [OPEN_FROM_APR_23],
            OPEN_FROM_APR_23,
            id="open-ended-span-covers-far-future",
        ),
        pytest.param(Month(2023, 3), [OPEN_FROM_APR_23], None, id="month-before-span-starts-none"),
        pytest.param(SEP_23, [FROM_OCT_23], None, id="october-target-does-not-colour-september"),
        pytest.param(OCT_23, [FROM_OCT_23], FROM_OCT_23, id="october-target-applies-in-october"),
        pytest.param(
            SEP_23,
            [OPEN_FROM_APR_23, FROM_OCT_23],
            OPEN_FROM_APR_23,
            id="trajectory-before-second-starts",
        ),
        pytest.param(
            OCT_23,
            [OPEN_FROM_APR_23, FROM_OCT_23],
            FROM_OCT_23,
            id="trajectory-later-wins-from-its-start",
        ),
        pytest.param(
            Month(2024, 6),
            [OPEN_FROM_APR_23, FROM_OCT_23],
            FROM_OCT_23,
            id="trajectory-later-wins-after-its-start",
        ),
        pytest.param(
            OCT_23,
            [FROM_OCT_23, OPEN_FROM_APR_23],
            FROM_OCT_23,
            id="trajectory-order-of-spans-irrelevant",
        ),
        pytest.param(
            SEP_23,
            [APR_23_TO_SEP_23],
            APR_23_TO_SEP_23,
            id="closed-span-covers-its-last-month",
        ),
        pytest.param(OCT_23, [APR_23_TO_SEP_23], None, id="valid-to-ends-the-span"),
        pytest.param(
            Month(2024, 1),
            [APR_23_TO_SEP_23, FROM_APR_24],
            None,
            id="gap-between-spans-none",
        ),
        pytest.param(
            APR_24,
            [APR_23_TO_SEP_23, FROM_APR_24],
            FROM_APR_24,
            id="span-after-gap-applies",
        ),
        pytest.param(
            Month(2024, 1),
            [OPEN_FROM_APR_23, FROM_OCT_23, FROM_APR_24],
            FROM_OCT_23,
            id="three-span-trajectory-middle",
        ),
        pytest.param(
            Month(2024, 5),
            [OPEN_FROM_APR_23, FROM_OCT_23, FROM_APR_24],
            FROM_APR_24,
            id="three-span-trajectory-last",
        ),
    ],
)
def test_it_finds_the_target_in_force_in_a_month(month, spans, expected):
    assert rules.target_for(month, spans) == expected


def test_a_month_with_no_target_in_force_is_monitor():
    span = rules.target_for(SEP_23, [FROM_OCT_23])
    assert rules.rag_for_target(D("10"), span, HIGHER) is Rag.MONITOR


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        pytest.param(Month(2023, 3), False, id="before-valid-from"),
        pytest.param(APR_23, True, id="on-valid-from"),
        pytest.param(SEP_23, True, id="on-valid-to"),
        pytest.param(OCT_23, False, id="after-valid-to"),
    ],
)
def test_a_target_span_applies_from_its_first_to_its_last_month_inclusive(month, expected):
    assert APR_23_TO_SEP_23.applies_to(month) is expected


# Direction of travel ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("current", "previous", "polarity", "places", "arrow", "judgement", "name", "css"),
    [
        pytest.param(
            D("18.3"),
            D("18.6"),
            LOWER,
            1,
            Arrow.DOWN,
            Judgement.IMPROVEMENT,
            "Down, an improvement",
            "improvement",
            id="spec-id10-18.6-to-18.3-lower-down-improvement",
        ),
        pytest.param(
            D("12.3"),
            D("8.9"),
            LOWER,
            1,
            Arrow.UP,
            Judgement.DECLINE,
            "Up, a decline",
            "decline",
            id="spec-id26-8.9-to-12.3-lower-up-decline",
        ),
        pytest.param(
            D("100.0"),
            D("100.0"),
            HIGHER,
            1,
            Arrow.LEVEL,
            Judgement.NO_CHANGE,
            "Level, no change",
            "neutral",
            id="spec-id25-100.0-to-100.0-level",
        ),
    ],
)
def test_it_agrees_with_the_spec_direction_of_travel_examples(
    current, previous, polarity, places, arrow, judgement, name, css
):
    direction = rules.direction_of_travel(current, previous, polarity, places)
    assert direction.arrow is arrow
    assert direction.judgement is judgement
    assert direction.accessible_name == name
    assert direction.css_modifier == css


@pytest.mark.parametrize(
    ("current", "previous", "polarity", "places", "arrow", "judgement"),
    [
        pytest.param(
            D("60"),
            D("50"),
            HIGHER,
            1,
            Arrow.UP,
            Judgement.IMPROVEMENT,
            id="higher-up-improvement",
        ),
        pytest.param(
            D("40"),
            D("50"),
            HIGHER,
            1,
            Arrow.DOWN,
            Judgement.DECLINE,
            id="higher-down-decline",
        ),
        pytest.param(
            D("60"),
            D("50"),
            LOWER,
            1,
            Arrow.UP,
            Judgement.DECLINE,
            id="lower-up-decline",
        ),
        pytest.param(
            D("40"),
            D("50"),
            LOWER,
            1,
            Arrow.DOWN,
            Judgement.IMPROVEMENT,
            id="lower-down-improvement",
        ),
        pytest.param(
            D("18.34"),
            D("18.31"),
            LOWER,
            1,
            Arrow.LEVEL,
            Judgement.NO_CHANGE,
            id="equal-at-1dp-level",
        ),
        pytest.param(
            D("18.35"),
            D("18.34"),
            LOWER,
            1,
            Arrow.UP,
            Judgement.DECLINE,
            id="half-up-18.35-vs-18.34-at-1dp-up",
        ),
        pytest.param(
            D("18.34"),
            D("18.35"),
            HIGHER,
            1,
            Arrow.DOWN,
            Judgement.DECLINE,
            id="half-up-18.34-vs-18.35-at-1dp-down",
        ),
        pytest.param(
            18.35,
            18.34,
            HIGHER,
            1,
            Arrow.UP,
            Judgement.IMPROVEMENT,
            id="floats-half-up-at-1dp-up",
        ),
        pytest.param(
            D("1485"),
            D("1485"),
            HIGHER,
            0,
            Arrow.LEVEL,
            Judgement.NO_CHANGE,
            id="count-0dp-level",
        ),
        pytest.param(
            D("1486"),
            D("1485"),
            HIGHER,
            0,
            Arrow.UP,
            Judgement.IMPROVEMENT,
            id="count-0dp-up-by-one",
        ),
        pytest.param(
            D("1484"),
            D("1485"),
            LOWER,
            0,
            Arrow.DOWN,
            Judgement.IMPROVEMENT,
            id="count-0dp-down-by-one",
        ),
        pytest.param(
            1485,
            1485,
            LOWER,
            0,
            Arrow.LEVEL,
            Judgement.NO_CHANGE,
            id="int-counts-level",
        ),
        pytest.param(
            D("12.4"),
            D("12"),
            LOWER,
            0,
            Arrow.LEVEL,
            Judgement.NO_CHANGE,
            id="0dp-12.4-vs-12-level",
        ),
        pytest.param(
            D("12.5"),
            D("12"),
            LOWER,
            0,
            Arrow.UP,
            Judgement.DECLINE,
            id="0dp-12.5-rounds-to-13-up",
        ),
        pytest.param(
            D("11.25"),
            D("11.24"),
            LOWER,
            2,
            Arrow.UP,
            Judgement.DECLINE,
            id="days-2dp-up",
        ),
        pytest.param(
            D("11.25"),
            D("11.254"),
            LOWER,
            2,
            Arrow.LEVEL,
            Judgement.NO_CHANGE,
            id="days-2dp-level",
        ),
        pytest.param(
            D("0"),
            D("-0.04"),
            HIGHER,
            1,
            Arrow.LEVEL,
            Judgement.NO_CHANGE,
            id="zero-vs-minus-zero-level",
        ),
    ],
)
def test_it_shows_which_way_the_figure_moved_and_whether_that_is_better(
    current, previous, polarity, places, arrow, judgement
):
    direction = rules.direction_of_travel(current, previous, polarity, places)
    assert direction.arrow is arrow
    assert direction.judgement is judgement


@pytest.mark.parametrize(
    ("current", "previous", "arrow", "name"),
    [
        pytest.param(D("12"), D("10"), Arrow.UP, "Up, not judged (no better direction)", id="up"),
        pytest.param(
            D("8"),
            D("10"),
            Arrow.DOWN,
            "Down, not judged (no better direction)",
            id="down",
        ),
    ],
)
def test_it_does_not_judge_a_move_when_polarity_is_neither(current, previous, arrow, name):
    direction = rules.direction_of_travel(current, previous, NEITHER, 0)
    assert direction.arrow is arrow
    assert direction.judgement is Judgement.NOT_JUDGED
    assert direction.css_modifier == "neutral"
    assert direction.accessible_name == name


def test_it_shows_level_without_judgement_when_polarity_is_neither_and_unchanged():
    direction = rules.direction_of_travel(D("10"), D("10"), NEITHER, 0)
    assert direction.arrow is Arrow.LEVEL
    assert direction.judgement is Judgement.NO_CHANGE
    assert direction.css_modifier == "neutral"


@pytest.mark.parametrize(
    ("current", "previous", "name"),
    [
        pytest.param(D("18.3"), None, "No previous figure", id="no-previous"),
        pytest.param(None, D("18.6"), "No current figure", id="no-current"),
        pytest.param(None, None, "No previous figure", id="neither-figure-says-no-previous"),
    ],
)
@pytest.mark.parametrize("polarity", [HIGHER, LOWER, NEITHER])
def test_it_shows_no_arrow_when_a_figure_is_missing(current, previous, name, polarity):
    direction = rules.direction_of_travel(current, previous, polarity, 1)
    assert direction.arrow is Arrow.NONE
    assert direction.judgement is Judgement.NOT_JUDGED
    assert direction.accessible_name == name
    assert direction.symbol == ""
    assert direction.css_modifier == "neutral"


def test_it_rejects_an_unknown_polarity_when_the_figure_moves():
    with pytest.raises(ValueError, match="polarity"):
        rules.direction_of_travel(D("12"), D("10"), "up_is_good", 1)


@pytest.mark.parametrize(
    ("arrow", "symbol"),
    [
        pytest.param(Arrow.UP, "▲", id="up"),
        pytest.param(Arrow.DOWN, "▼", id="down"),
        pytest.param(Arrow.LEVEL, "▶", id="level"),
        pytest.param(Arrow.NONE, "", id="none"),
    ],
)
def test_each_arrow_has_its_symbol(arrow, symbol):
    assert rules.Direction(arrow, Judgement.NOT_JUDGED).symbol == symbol


@pytest.mark.parametrize(
    ("arrow", "judgement", "name", "css"),
    [
        pytest.param(
            Arrow.UP,
            Judgement.IMPROVEMENT,
            "Up, an improvement",
            "improvement",
            id="up-improvement",
        ),
        pytest.param(Arrow.UP, Judgement.DECLINE, "Up, a decline", "decline", id="up-decline"),
        pytest.param(
            Arrow.DOWN,
            Judgement.IMPROVEMENT,
            "Down, an improvement",
            "improvement",
            id="down-improvement",
        ),
        pytest.param(
            Arrow.DOWN,
            Judgement.DECLINE,
            "Down, a decline",
            "decline",
            id="down-decline",
        ),
        pytest.param(Arrow.LEVEL, Judgement.NO_CHANGE, "Level, no change", "neutral", id="level"),
    ],
)
def test_a_direction_says_in_words_what_its_colour_says(arrow, judgement, name, css):
    direction = rules.Direction(arrow, judgement)
    assert direction.accessible_name == name
    assert direction.css_modifier == css


# Formatting ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "unit", "places", "status", "expected"),
    [
        pytest.param(52, "percentage", 1, rules.ACTUAL, "52.0%", id="percentage-int-1dp"),
        pytest.param(
            D("18.3"),
            "percentage",
            1,
            rules.ACTUAL,
            "18.3%",
            id="percentage-decimal-1dp",
        ),
        pytest.param(
            D("89.96"),
            "percentage",
            1,
            rules.ACTUAL,
            "90.0%",
            id="percentage-rounds-for-display",
        ),
        pytest.param(D("39.1"), "rate_per_10000", 1, rules.ACTUAL, "39.1r", id="rate-per-10000"),
        pytest.param(
            D("4.25"),
            "rate_per_1000",
            1,
            rules.ACTUAL,
            "4.3r",
            id="rate-per-1000-half-up",
        ),
        pytest.param(1485, "count", 0, rules.ACTUAL, "1,485", id="count-thousands-separator"),
        pytest.param(D("1234567"), "count", 0, rules.ACTUAL, "1,234,567", id="count-millions"),
        pytest.param(0, "count", 0, rules.ACTUAL, "0", id="count-zero"),
        pytest.param(D("11.25"), "days", 2, rules.ACTUAL, "11.25", id="days-2dp"),
        pytest.param(D("7"), "days", 2, rules.ACTUAL, "7.00", id="days-pads-to-2dp"),
        pytest.param(D("3.5"), "points", 1, rules.ACTUAL, "3.5", id="points-no-suffix"),
        pytest.param(1200, "currency", 0, rules.ACTUAL, "£1,200", id="currency"),
        pytest.param(D("-5"), "currency", 0, rules.ACTUAL, "-£5", id="negative-currency"),
        pytest.param(
            D("-1200.5"),
            "currency",
            2,
            rules.ACTUAL,
            "-£1,200.50",
            id="negative-currency-2dp",
        ),
        pytest.param(
            D("12.3"),
            "percentage",
            1,
            rules.PROVISIONAL,
            "12.3%",
            id="provisional-shown-as-value",
        ),
        pytest.param(
            None,
            "percentage",
            1,
            rules.NOT_AVAILABLE,
            "Not available",
            id="not-available",
        ),
        pytest.param(
            D("0"),
            "count",
            0,
            rules.NOT_AVAILABLE,
            "Not available",
            id="not-available-never-zero",
        ),
        pytest.param(D("3"), "count", 0, rules.SUPPRESSED, "x", id="suppressed"),
        pytest.param(None, "count", 0, rules.SUPPRESSED, "x", id="suppressed-without-value"),
        pytest.param(None, "percentage", 1, rules.ACTUAL, "No data", id="no-value"),
        pytest.param(D("0.05"), "points", 1, rules.ACTUAL, "0.1", id="half-up-0.05-at-1dp"),
        pytest.param(D("2.675"), "days", 2, rules.ACTUAL, "2.68", id="half-up-2.675-at-2dp"),
        pytest.param(D("0.25"), "points", 1, rules.ACTUAL, "0.3", id="half-up-not-bankers-0.25"),
        pytest.param(
            D("-0.05"),
            "points",
            1,
            rules.ACTUAL,
            "-0.1",
            id="half-up-away-from-zero-negative",
        ),
        pytest.param(D("1E+3"), "count", 0, rules.ACTUAL, "1,000", id="never-scientific-notation"),
        pytest.param(D("0.00001"), "days", 2, rules.ACTUAL, "0.00", id="tiny-never-scientific"),
        pytest.param(2.675, "days", 2, rules.ACTUAL, "2.68", id="float-2.675-half-up-via-str"),
    ],
)
def test_it_formats_a_figure_as_the_reports_print_it(value, unit, places, status, expected):
    assert rules.format_value(value, unit, places, status) == expected


def test_it_formats_an_actual_figure_by_default():
    assert rules.format_value(D("52"), "percentage", 1) == "52.0%"


@pytest.mark.parametrize(
    ("value", "unit", "places", "label", "expected"),
    [
        pytest.param(D("90"), "percentage", 1, "", "90.0%", id="percentage-no-label"),
        pytest.param(
            D("42.1"),
            "rate_per_10000",
            1,
            "England",
            "42.1r England",
            id="rate-england",
        ),
        pytest.param(
            D("10.5"),
            "percentage",
            1,
            "Ofsted Good+",
            "10.5% Ofsted Good+",
            id="ofsted-good-plus",
        ),
        pytest.param(D("0"), "count", 0, "", "0", id="count-target-zero"),
        pytest.param(0, "count", 0, "local", "0 local", id="count-target-zero-with-label"),
        pytest.param(D("7.00"), "days", 2, "", "7.00", id="days-2dp"),
        pytest.param(None, "percentage", 1, "", "Monitor", id="no-target-monitor"),
        pytest.param(
            None,
            "percentage",
            1,
            "England",
            "Monitor",
            id="no-target-with-label-monitor",
        ),
    ],
)
def test_it_formats_a_target_with_its_label(value, unit, places, label, expected):
    assert rules.format_target(value, unit, places, label) == expected


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        pytest.param(D("0.05"), 1, D("0.1"), id="0.05-to-0.1"),
        pytest.param(D("0.04"), 1, D("0.0"), id="0.04-to-0.0"),
        pytest.param(D("2.675"), 2, D("2.68"), id="2.675-to-2.68"),
        pytest.param(D("2.5"), 0, D("3"), id="2.5-to-3"),
        pytest.param(D("3.5"), 0, D("4"), id="3.5-to-4"),
        pytest.param(D("-2.5"), 0, D("-3"), id="minus-2.5-to-minus-3"),
        pytest.param(18.35, 1, D("18.4"), id="float-18.35-to-18.4"),
        pytest.param(7, 2, D("7.00"), id="int-padded"),
    ],
)
def test_it_rounds_half_up(value, places, expected):
    rounded = rules.round_half_up(value, places)
    assert rounded == expected
    assert rounded.as_tuple().exponent == -places


# Edge cases found while reviewing the rules ---------------------------------------------
def test_target_for_prefers_a_dated_span_over_one_with_no_start():

    undated = rules.TargetSpan(value=Decimal("80"))
    dated = rules.TargetSpan(value=Decimal("90"), valid_from=Month(2023, 1))
    assert rules.target_for(Month(2023, 9), [undated, dated]) is dated
    assert rules.target_for(Month(2022, 9), [undated, dated]) is undated


@pytest.mark.parametrize(
    ("value", "unit", "places", "expected"),
    [
        (Decimal("-0.04"), "percentage", 1, "0.0%"),
        (Decimal("-0.4"), "currency", 0, "£0"),
        (Decimal("-0.004"), "days", 2, "0.00"),
    ],
)
def test_it_never_shows_negative_zero(value, unit, places, expected):
    assert rules.format_value(value, unit, places) == expected


def test_accessible_name_states_a_fractional_tolerance_exactly():
    span = rules.TargetSpan(value=Decimal("90"), tolerance=Decimal("0.125"))
    assert rules.rag_accessible_name(rules.Rag.AMBER, span) == "Amber: within 12.5% of target"


@pytest.mark.parametrize(
    ("value", "unit", "numerator", "suppressed"),
    [
        (Decimal(3), "count", None, True),  # ID 34 Sep-23: 3 unregistered placements
        (Decimal(1), "count", None, True),
        (Decimal("4.9"), "count", None, True),
        (Decimal(5), "count", None, False),
        (Decimal(0), "count", None, False),  # zero discloses no child
        (None, "count", None, False),
        (Decimal("7.4"), "percentage", Decimal(15), False),
        (Decimal("1.5"), "percentage", Decimal(3), True),  # derived from a count of 3
        (Decimal("0.0"), "percentage", Decimal(0), False),
        (Decimal(3), "days", None, False),  # not a count of children
        (Decimal("2.4"), "percentage", None, False),
    ],
)
def test_small_counts_and_figures_derived_from_them_are_suppressed(
    value, unit, numerator, suppressed
):
    assert rules.is_suppressed(value, unit, numerator) is suppressed
    shown = rules.published_display(value, unit, 1, numerator=numerator)
    assert (shown == "x") is suppressed


def test_not_available_is_not_turned_into_x():
    assert rules.published_display(None, "count", 0, status="not_available") == "Not available"
