"""Plausibility warnings (indicators.plausibility): tables of cases, no database.

The rules are written down in docs/decisions/0007-plausibility-warnings.md."""

from decimal import Decimal

import pytest

from indicators import plausibility
from indicators.figures import Figure
from indicators.periods import Month
from indicators.plausibility import FRACTION, PAIR, RANGE

D = Decimal
PCT, COUNT, RATE, DAYS, POINTS = "percentage", "count", "rate_per_10000", "days", "points"
# ID 10, re-referrals, Jul-Sep 23; ID 7, MASH decisions; ID 63, a caseload count.
RE_REFERRALS = ["18.7", "18.6", "18.3"]
MASH = ["12.2", "52.2", "58.2"]


def codes(value, unit, recent, numerator=None, denominator=None, places=1):
    figure = Figure(D(value), None if numerator is None else D(numerator), None, "actual")
    if denominator is not None:
        figure = Figure(D(value), D(numerator), D(denominator), "actual")
    found = plausibility.check(figure, unit, [D(r) for r in recent], decimal_places=places)
    return [warning.code for warning in found]


@pytest.mark.parametrize(
    ("value", "unit", "recent", "expected"),
    [
        # The slips: a fraction typed for a percentage.
        pytest.param("0.582", PCT, RE_REFERRALS, [FRACTION], id="0.582-for-re-referrals"),
        pytest.param("0.182", PCT, RE_REFERRALS, [FRACTION], id="0.182-for-18.2"),
        pytest.param("0.612", PCT, MASH, [FRACTION], id="0.612-for-mash"),
        pytest.param("0.05", PCT, ["4.0", "6.0", "5.0"], [FRACTION], id="0.05-for-5"),
        # Plain percentages are what they say.
        pytest.param("61.0", PCT, MASH, [], id="61.0-beside-them"),
        pytest.param("18.2", PCT, RE_REFERRALS, [], id="18.2"),
        # A percentage that really is below 1: the recent figures are too.
        pytest.param("0.6", PCT, ["0.8", "1.2", "0.9"], [], id="small-percentages"),
        # Recent figures not "well above 1", or not ten times the figure.
        # Not ten times the figure: not a fraction, but a several-fold drop all the same.
        pytest.param("0.8", PCT, ["4.0", "5.0", "6.0"], [RANGE], id="median-under-ten-times"),
        pytest.param("0.1", PCT, ["2.0", "3.0", "1.5"], [], id="median-below-5"),
        # Nothing to compare with: no warning.
        pytest.param("0.582", PCT, [], [], id="no-history"),
        # 0 and 1 are percentages, not fractions.
        pytest.param("0", PCT, RE_REFERRALS, [RANGE], id="zero-is-a-range-question"),
        pytest.param("1", PCT, ["50.0", "52.0", "51.0"], [RANGE], id="one-is-far-below"),
        # A fraction is not a warning for other units.
        pytest.param("0.5", DAYS, ["11.06", "11.78", "11.25"], [RANGE], id="days-half"),
    ],
)
def test_a_fraction_typed_for_a_percentage_is_asked_about(value, unit, recent, expected):
    assert codes(value, unit, recent) == expected


def test_the_fraction_warning_says_what_was_probably_meant():
    figure = Figure(D("0.582"))
    (warning,) = plausibility.check(figure, PCT, [D(r) for r in MASH], decimal_places=1)
    assert warning.message.startswith("0.582: did you mean 58.2%?")
    assert "12.2% to 58.2%" in warning.message


@pytest.mark.parametrize(
    ("value", "unit", "recent", "expected"),
    [
        # The count: 11 then 1,485.
        pytest.param("1485", COUNT, ["10", "11", "12", "11"], [RANGE], id="11-to-1485"),
        pytest.param("12", COUNT, ["10", "11", "12", "11"], [], id="ordinary-month"),
        # Far beyond the limits, but not several-fold: a real change, not a slip.
        pytest.param("25", COUNT, ["10", "11", "12", "11"], [], id="doubled-not-tripled"),
        pytest.param("97.0", PCT, ["99.5", "100.0", "100.0"], [], id="97-after-100"),
        # Several-fold down: a missing digit, or 0 typed for a blank.
        pytest.param("12", COUNT, ["120", "118", "125"], [RANGE], id="missing-digit"),
        pytest.param("0", COUNT, ["30", "32", "31"], [RANGE], id="zero-for-a-blank"),
        pytest.param("1125", DAYS, ["11.06", "11.78", "11.25"], [RANGE], id="lost-decimal"),
        # Several-fold but within a noisy indicator's limits: no warning.
        pytest.param("91", COUNT, ["2", "40", "3", "45", "1"], [], id="noisy-indicator"),
        # Small counts: a jump from 0 to 3 is ordinary for rare events.
        pytest.param("3", COUNT, ["0", "0", "0"], [], id="rare-event"),
        pytest.param("11", COUNT, ["0", "0", "1"], [RANGE], id="rare-event-extra-digit"),
        # After nothing but zeros, a figure with a digit too many is a jump.
        pytest.param("40", COUNT, ["0", "0", "0"], [RANGE], id="after-zeros"),
        # Too few recent figures to know the range.
        pytest.param("1485", COUNT, ["11", "12"], [], id="two-figures-only"),
        # A unit that can be negative compares sizes.
        pytest.param("-450", POINTS, ["-12", "-15", "-14"], [RANGE], id="negative-points"),
        pytest.param("-16", POINTS, ["-12", "-15", "-14"], [], id="negative-ordinary"),
        # Rates.
        pytest.param("391", RATE, ["39.9", "39.1", "39.1"], [RANGE], id="rate-extra-digit"),
    ],
)
def test_a_figure_far_outside_its_recent_range_is_asked_about(value, unit, recent, expected):
    assert codes(value, unit, recent) == expected


def test_the_range_warning_names_the_range_it_is_outside():
    figure = Figure(D("1485"))
    recent = [D("10"), D("11"), D("12"), D("11")]
    (warning,) = plausibility.check(figure, COUNT, recent, decimal_places=0)
    assert warning.message.startswith("1,485 is far outside this indicator's recent figures")
    assert "10 to 12 in the 4 months with figures before it" in warning.message


@pytest.mark.parametrize(
    ("value", "numerator", "denominator", "unit", "message"),
    [
        ("50", "1", "4", PCT, "1/4 gives 25.0%, but the figure is 50%"),
        ("7.3", "15", "204", PCT, "15/204 gives 7.4%, but the figure is 7.3%"),
        ("7.29", "15", "204", PCT, "15/204 gives 7.35%, but the figure is 7.29%"),
        ("39.1", "300", "51635", RATE, "300/51635 gives 58.1, but the figure is 39.1"),
        # Agreement at the precision written (15/204 = 7.3529...%): no warning.
        ("7.4", "15", "204", PCT, None),
        ("7", "15", "204", PCT, None),
        ("7.35", "15", "204", PCT, None),
        ("7.30", "15", "204", PCT, None),
        ("7.4000", "15", "204", PCT, None),  # as stored: four places, one significant
        ("58.1", "300", "51635", RATE, None),
    ],
)
def test_a_pair_that_does_not_give_the_figure_is_asked_about(
    value, numerator, denominator, unit, message
):
    figure = Figure(D(value), D(numerator), D(denominator))
    found = plausibility.check(figure, unit, [], decimal_places=1)
    if message is None:
        assert found == []
    else:
        assert [w.code for w in found] == [PAIR]
        assert found[0].message.startswith(message)


def test_a_figure_can_have_more_than_one_warning():
    figure = Figure(D("0.5"), D("150"), D("204"))
    found = plausibility.check(figure, PCT, [D(r) for r in MASH], decimal_places=1)
    assert [w.code for w in found] == [FRACTION, PAIR]


@pytest.mark.parametrize(
    "figure",
    [None, Figure(None, status="not_available"), Figure(None, status="suppressed")],
)
def test_no_figure_has_no_warning(figure):
    assert plausibility.check(figure, PCT, [D("50")] * 3, decimal_places=1) == []


def test_recent_values_are_the_twelve_months_before_oldest_first():
    september = Month(2023, 9)
    figures = {
        september.plus(-13): Figure(D("1")),  # too old
        september.plus(-12): Figure(D("2")),
        september.plus(-2): Figure(D("4")),
        september.plus(-1): Figure(None, status="not_available"),
        september.plus(-3): Figure(D("3")),
        september: Figure(D("99")),  # the month itself is not its own history
        september.plus(1): Figure(D("100")),
    }
    assert plausibility.recent_values(figures, september) == [D("2"), D("3"), D("4")]


def test_acknowledged_kinds_are_not_asked_about_again():
    found = [
        plausibility.PlausibilityWarning(FRACTION, "a"),
        plausibility.PlausibilityWarning(PAIR, "b"),
    ]
    assert plausibility.unacknowledged(found, [FRACTION]) == [found[1]]
    assert plausibility.unacknowledged(found, []) == found
    assert plausibility.unacknowledged(found, [FRACTION, PAIR]) == []


def test_a_sorted_history_gives_the_same_recent_figures_for_every_month():
    first = Month(2020, 1)
    figures = {first.plus(n): Figure(D(n)) for n in range(0, 40, 3)}
    figures[first.plus(7)] = Figure(None, status="not_available")
    history = plausibility.History(figures)
    for offset in range(-2, 45):
        month = first.plus(offset)
        expected = [
            f.value
            for m, f in sorted(figures.items())
            if month.plus(-12) <= m < month and f.value is not None
        ]
        assert history.before(month) == expected, month
