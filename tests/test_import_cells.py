"""Table-driven tests of intake.figure_import.cell_values: reading a figure as the reports write it.

Pure: no database, no request. Each accepted form and each refusal is a row with an id.
"""

from decimal import Decimal

import pytest

from indicators.figures import Figure
from intake.figure_import.cell_values import (
    FigureError,
    parse_figure,
    parse_figure_parts,
    parse_status,
)

D = Decimal
PCT = "percentage"
COUNT = "count"
RATE = "rate_per_10000"
RATE_1000 = "rate_per_1000"
DAYS = "days"
POINTS = "points"
MONEY = "currency"


def fig(value, numerator=None, denominator=None, status="actual"):
    def as_decimal(v):
        return None if v is None else D(v)

    return Figure(as_decimal(value), as_decimal(numerator), as_decimal(denominator), status)


# Accepted forms ---------------------------------------------------------------------------
ACCEPTED = [
    pytest.param("52.0%", PCT, None, fig("52.0"), id="percentage-with-percent-sign"),
    pytest.param("52.0", PCT, None, fig("52.0"), id="percentage-without-sign"),
    pytest.param("  47.6% ", PCT, None, fig("47.6"), id="leading-and-trailing-spaces"),
    pytest.param("52.0 %", PCT, None, fig("52.0"), id="space-before-percent-sign"),
    pytest.param("0%", PCT, None, fig("0"), id="percentage-zero"),
    pytest.param("100.0%", PCT, None, fig("100.0"), id="percentage-hundred"),
    pytest.param("39.1r", RATE, None, fig("39.1"), id="rate-with-r-suffix"),
    pytest.param("39.1R", RATE, None, fig("39.1"), id="rate-with-capital-r-suffix"),
    pytest.param("39.1", RATE, None, fig("39.1"), id="rate-without-suffix"),
    pytest.param("4.2r", RATE_1000, None, fig("4.2"), id="rate-per-1000-with-r"),
    pytest.param("1,485", COUNT, None, fig("1485"), id="count-with-thousands-comma"),
    pytest.param("1,234,567", COUNT, None, fig("1234567"), id="count-with-two-commas"),
    pytest.param("195", COUNT, None, fig("195"), id="count-plain"),
    pytest.param("0", COUNT, None, fig("0"), id="count-zero"),
    pytest.param("11.25", DAYS, None, fig("11.25"), id="days-two-places"),
    pytest.param("7.00", DAYS, None, fig("7.00"), id="days-trailing-zeros"),
    pytest.param("-3.5", POINTS, None, fig("-3.5"), id="points-may-be-negative"),
    pytest.param("£1,200", MONEY, None, fig("1200"), id="currency-pound-and-comma"),
    pytest.param("£ 1,200.50", MONEY, None, fig("1200.50"), id="currency-pound-space"),
    pytest.param("1200", MONEY, None, fig("1200"), id="currency-without-pound"),
    pytest.param("-£250", MONEY, None, fig("-250"), id="currency-negative-overspend"),
    pytest.param("7.4% (15/204)", PCT, None, fig("7.4", 15, 204), id="percentage-with-fraction"),
    pytest.param("7.4%(15/204)", PCT, None, fig("7.4", 15, 204), id="fraction-without-space"),
    pytest.param("34.3% (12 / 35)", PCT, None, fig("34.3", 12, 35), id="fraction-with-spaces"),
    pytest.param("7% (15/204)", PCT, None, fig("7", 15, 204), id="fraction-whole-percent"),
    pytest.param(
        "100.0% (1,204/1,204)",
        PCT,
        None,
        fig("100.0", 1204, 1204),
        id="fraction-commas",
    ),
    pytest.param(
        "39.1r (202/51,635)",
        RATE,
        None,
        fig("39.1", 202, 51635),
        id="rate-with-fraction",
    ),
    pytest.param("11.25 (450/40)", DAYS, None, fig("11.25", 450, 40), id="days-with-fraction"),
    pytest.param(
        "Not available",
        PCT,
        None,
        fig(None, status="not_available"),
        id="not-available",
    ),
    pytest.param(
        "NOT AVAILABLE",
        PCT,
        None,
        fig(None, status="not_available"),
        id="not-available-caps",
    ),
    pytest.param(
        "not  available",
        COUNT,
        None,
        fig(None, status="not_available"),
        id="not-available-gap",
    ),
    pytest.param("N/A", DAYS, None, fig(None, status="not_available"), id="n-slash-a-caps"),
    pytest.param("n/a", DAYS, None, fig(None, status="not_available"), id="n-slash-a-lower"),
    pytest.param("NA", RATE, None, fig(None, status="not_available"), id="na"),
    pytest.param(52, PCT, None, fig("52"), id="int-from-excel"),
    pytest.param(52.0, PCT, None, fig("52.0"), id="float-from-excel"),
    pytest.param(0.1, PCT, None, fig("0.1"), id="float-read-through-str-not-binary"),
    pytest.param(1485.0, COUNT, None, fig("1485"), id="float-whole-count"),
    pytest.param(D("11.25"), DAYS, None, fig("11.25"), id="decimal-passed-through"),
    pytest.param(7.352941176470588, PCT, None, fig("7.3529"), id="float-rounded-to-stored-places"),
    pytest.param("52.0%", PCT, "provisional", fig("52.0", status="provisional"), id="provisional"),
    pytest.param("52.0%", PCT, "actual", fig("52.0"), id="status-actual-given"),
    pytest.param(
        "7.4% (15/204)",
        PCT,
        "provisional",
        fig("7.4", 15, 204, "provisional"),
        id="provisional-with-fraction",
    ),
    pytest.param(
        "",
        PCT,
        "not_available",
        fig(None, status="not_available"),
        id="status-not-available-blank-value",
    ),
    pytest.param(
        "Not available",
        PCT,
        "not_available",
        fig(None, status="not_available"),
        id="status-not-available-with-words",
    ),
    pytest.param(
        None,
        PCT,
        "not_available",
        fig(None, status="not_available"),
        id="status-not-available-none",
    ),
]


@pytest.mark.parametrize(("raw", "unit", "status", "expected"), ACCEPTED)
def test_parse_figure_reads_the_forms_the_reports_use(raw, unit, status, expected):
    assert parse_figure(raw, unit, status=status) == expected


BLANKS = [
    pytest.param(None, id="none"),
    pytest.param("", id="empty-string"),
    pytest.param("   ", id="whitespace"),
    pytest.param("\u00a0", id="non-breaking-space"),
    pytest.param(float("nan"), id="nan-from-pandas"),
    pytest.param(D("NaN"), id="decimal-nan"),
]


@pytest.mark.parametrize("raw", BLANKS)
@pytest.mark.parametrize("status", [None, "provisional"])
def test_a_blank_cell_is_no_figure(raw, status):
    assert parse_figure(raw, PCT, status=status) is None


def test_values_are_decimals_not_floats():
    figure = parse_figure(0.1, PCT)
    assert isinstance(figure.value, Decimal)
    assert figure.value == D("0.1")


# Refusals ---------------------------------------------------------------------------------
REFUSED = [
    pytest.param(
        "x",
        COUNT,
        None,
        "'x' marks a suppressed figure; enter the real figure (it is suppressed when published)",
        id="suppressed-x",
    ),
    pytest.param("X", PCT, None, "'X' marks a suppressed figure", id="suppressed-capital-x"),
    pytest.param(
        "152%",
        PCT,
        None,
        "a percentage must be between 0 and 100, not 152",
        id="over-100",
    ),
    pytest.param("100.1", PCT, None, "a percentage must be between 0 and 100", id="just-over-100"),
    pytest.param(
        "-1%",
        PCT,
        None,
        "a percentage must be between 0 and 100, not -1",
        id="negative-pct",
    ),
    pytest.param("-3", COUNT, None, "a count cannot be negative", id="negative-count"),
    pytest.param(
        "12.5",
        COUNT,
        None,
        "a count must be a whole number, not 12.5",
        id="half-a-child",
    ),
    pytest.param(
        12.5,
        COUNT,
        None,
        "a count must be a whole number, not 12.5",
        id="float-half-count",
    ),
    pytest.param(
        "-39.1r",
        RATE,
        None,
        "a rate per 10,000 children cannot be negative",
        id="negative-rate",
    ),
    pytest.param(
        "-4",
        RATE_1000,
        None,
        "a rate per 1,000 children cannot be negative",
        id="neg-rate",
    ),
    pytest.param("-0.5", DAYS, None, "a number of days cannot be negative", id="neg-days"),
    pytest.param("about 12", COUNT, None, "'about 12' is not a number", id="words-not-number"),
    pytest.param("12 children", COUNT, None, "is not a number", id="number-with-words"),
    pytest.param("1,48", COUNT, None, "'1,48' is not a number", id="bad-thousands-comma"),
    pytest.param("5-", COUNT, None, "is not a number", id="trailing-minus"),
    pytest.param("--5", POINTS, None, "is not a number", id="double-sign"),
    pytest.param("-", COUNT, None, "'-' is not a number", id="dash-alone"),
    pytest.param("#DIV/0!", PCT, None, "is a spreadsheet error", id="excel-error"),
    pytest.param(True, COUNT, None, "'True' is not a number", id="boolean"),
    pytest.param(float("inf"), DAYS, None, "is not a number", id="infinity"),
    pytest.param(
        "39.1r",
        PCT,
        None,
        "'39.1r' is a rate but this indicator is a percentage",
        id="rate-suffix-on-percentage",
    ),
    pytest.param(
        "39.1r",
        COUNT,
        None,
        "'39.1r' is a rate but this indicator is a count",
        id="r-count",
    ),
    pytest.param(
        "52.0%",
        RATE,
        None,
        "'52.0%' is a percentage but this indicator is a rate per 10,000 children",
        id="percent-sign-on-rate",
    ),
    pytest.param(
        "11%",
        DAYS,
        None,
        "is a percentage but this indicator is a number of days",
        id="pc-d",
    ),
    pytest.param(
        "£1,200",
        COUNT,
        None,
        "'£1,200' is an amount of money but this indicator is a count",
        id="pound-on-count",
    ),
    pytest.param(
        "50% (5/4)",
        PCT,
        None,
        "the numerator (5) cannot be more than the denominator (4) for a percentage",
        id="numerator-over-denominator",
    ),
    pytest.param(
        "0% (0/0)",
        PCT,
        None,
        "the denominator must be more than zero",
        id="denominator-zero",
    ),
    pytest.param(
        "12 (1/2)",
        COUNT,
        None,
        "a count has no numerator and denominator",
        id="fraction-on-a-count",
    ),
    pytest.param(
        "12345678901",
        POINTS,
        None,
        "is too large to be a figure",
        id="too-large-to-store",
    ),
    pytest.param(
        "52.0%",
        PCT,
        "not_available",
        "a figure marked 'Not available' has no value, but '52.0%' was given",
        id="not-available-status-with-value",
    ),
    pytest.param(
        0,
        COUNT,
        "not_available",
        "a figure marked 'Not available' has no value, but '0' was given",
        id="not-available-status-with-zero",
    ),
    pytest.param(
        "5",
        COUNT,
        "suppressed",
        "figures are suppressed when they are published",
        id="status-suppressed-refused",
    ),
    pytest.param("5", COUNT, "final-ish", "is not a status", id="unknown-status"),
]


@pytest.mark.parametrize(("raw", "unit", "status", "reason"), REFUSED)
def test_parse_figure_refuses_with_a_sentence(raw, unit, status, reason):
    with pytest.raises(FigureError) as caught:
        parse_figure(raw, unit, status=status)
    assert reason in caught.value.reason
    assert str(caught.value) == caught.value.reason
    assert isinstance(caught.value, ValueError)


def test_a_reason_names_the_reason_not_the_indicator():
    """The caller adds which indicator, row or column; the reason is the sentence alone."""
    with pytest.raises(FigureError) as caught:
        parse_figure("152%", PCT)
    assert caught.value.reason == "a percentage must be between 0 and 100, not 152"


@pytest.mark.parametrize(
    ("text", "unit", "value", "numerator", "denominator"),
    [
        ("50% (1/4)", PCT, "50", "1", "4"),
        ("7.29% (15/204)", PCT, "7.29", "15", "204"),
        ("39.1r (300/51635)", RATE, "39.1", "300", "51635"),
    ],
)
def test_a_pair_that_does_not_give_the_figure_is_read_for_a_warning_not_refused(
    text, unit, value, numerator, denominator
):
    # Whether the pair gives the figure is indicators.plausibility's warning (PAIR), so the
    # person entering it can correct it or keep it; the figure itself is readable.
    figure = parse_figure(text, unit)
    assert (figure.value, figure.numerator, figure.denominator) == (
        D(value),
        D(numerator),
        D(denominator),
    )


def test_an_unknown_unit_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown unit"):
        parse_figure("5", "furlongs")


# Figures in parts (value, numerator, denominator columns) ---------------------------------
PARTS = [
    pytest.param(None, 15, 204, PCT, 1, None, fig("7.4", 15, 204), id="percentage-worked-out"),
    pytest.param("", "15", "204", PCT, 2, None, fig("7.35", 15, 204), id="worked-out-to-places"),
    pytest.param(None, 1, 3, PCT, 1, "provisional", fig("33.3", 1, 3, "provisional"), id="prov"),
    pytest.param(None, 202, 51635, RATE, 1, None, fig("39.1", 202, 51635), id="rate-worked-out"),
    pytest.param("7.4%", 15, 204, PCT, 1, None, fig("7.4", 15, 204), id="value-and-agreeing-pair"),
    pytest.param("52.0%", None, None, PCT, 1, None, fig("52.0"), id="value-alone"),
    pytest.param(None, None, None, PCT, 1, None, None, id="all-blank"),
    pytest.param(
        "7.4% (15/204)",
        15,
        204,
        PCT,
        1,
        None,
        fig("7.4", 15, 204),
        id="same-pair-twice",
    ),
]


@pytest.mark.parametrize(
    ("value", "numerator", "denominator", "unit", "places", "status", "expected"), PARTS
)
def test_parse_figure_parts(value, numerator, denominator, unit, places, status, expected):
    result = parse_figure_parts(
        value, numerator, denominator, unit, decimal_places=places, status=status
    )
    assert result == expected


PARTS_REFUSED = [
    pytest.param(
        None, 15, None, PCT, "give both the numerator and the denominator", "denominator",
        id="numerator-without-denominator",
    ),
    pytest.param(
        None, None, 204, PCT, "give both the numerator and the denominator", "numerator",
        id="denominator-without-numerator",
    ),
    pytest.param(
        None, 15, 0, PCT, "the denominator must be more than zero", "denominator",
        id="denominator-zero",
    ),
    pytest.param(
        None, 15, -4, PCT, "the denominator must be more than zero", "denominator",
        id="denominator-negative",
    ),
    pytest.param(
        None, -1, 4, PCT, "the numerator cannot be negative", "numerator",
        id="numerator-negative",
    ),
    pytest.param(
        None, 5, 4, PCT, "cannot be more than the denominator", "numerator",
        id="numerator-over-denominator",
    ),
    pytest.param(
        None, "fifteen", 204, PCT, "the numerator 'fifteen' is not a number", "numerator",
        id="numerator-not-a-number",
    ),
    pytest.param(
        None, 450, 40, DAYS, "enter the value", "value", id="days-not-worked-out",
    ),
    pytest.param(
        "Not available", 1, 4, PCT, "has no numerator or denominator", "numerator",
        id="not-available-with-pair",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "numerator", "denominator", "unit", "reason", "field"), PARTS_REFUSED
)
def test_parse_figure_parts_refuses_and_says_which_part(
    value, numerator, denominator, unit, reason, field
):
    with pytest.raises(FigureError) as caught:
        parse_figure_parts(value, numerator, denominator, unit, decimal_places=1)
    assert reason in caught.value.reason
    assert caught.value.field == field


# Status cells ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(None, "actual", id="blank-is-actual"),
        pytest.param("", "actual", id="empty-is-actual"),
        pytest.param("Actual", "actual", id="actual"),
        pytest.param("PROVISIONAL", "provisional", id="provisional-caps"),
        pytest.param("Not available", "not_available", id="not-available-words"),
        pytest.param("not_available", "not_available", id="not-available-code"),
        pytest.param("N/A", "not_available", id="n-slash-a"),
    ],
)
def test_parse_status(raw, expected):
    assert parse_status(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        pytest.param("suppressed", "suppressed when they are published", id="suppressed"),
        pytest.param("draft", "'draft' is not a status", id="unknown"),
    ],
)
def test_parse_status_refuses(raw, reason):
    with pytest.raises(FigureError) as caught:
        parse_status(raw)
    assert reason in caught.value.reason
    assert caught.value.field == "status"
