"""Table-driven tests of the quarter's figure, rates, populations and quarter addresses
(indicators.quarter_figures, periods.Quarter), and of complementary suppression
(rules.suppress_group).

No database: every case is a row with a readable id.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from indicators import rules
from indicators.figures import Figure as MonthFigure
from indicators.periods import FinancialYear, Month, Quarter
from indicators.quarter_figures import population_for, quarter_figure, rate_per

D = Decimal
Q2_2023 = Quarter(FinancialYear(2023), 2)
JUL, AUG, SEP = Q2_2023.months


def figures(jul=None, aug=None, sep=None):
    """{Month: MonthFigure} from (value[, numerator, denominator][, status]) per month."""
    result = {}
    for month, spec in ((JUL, jul), (AUG, aug), (SEP, sep)):
        if spec is None:
            continue
        if not isinstance(spec, tuple):
            spec = (spec,)
        status = spec[-1] if isinstance(spec[-1], str) else rules.ACTUAL
        numbers = [s for s in spec if not isinstance(s, str)]
        value = None if numbers[0] is None else D(str(numbers[0]))
        numerator = D(str(numbers[1])) if len(numbers) > 1 else None
        denominator = D(str(numbers[2])) if len(numbers) > 2 else None
        result[month] = MonthFigure(value, numerator, denominator, status)
    return result


QUARTER_CASES = [
    # The seed's Q2 2023/24 rows are snapshots and rolling 12 months: Sep-23 is the quarter.
    pytest.param(
        figures(206, 201, 202),
        "snapshot",
        "count",
        D(202),
        None,
        None,
        False,
        id="snapshot-takes-the-last-month-cp-202",
    ),
    pytest.param(
        figures(sep=3093),
        "rolling_12_months",
        "count",
        D(3093),
        None,
        None,
        False,
        id="rolling-12-takes-the-last-month-referrals-3093",
    ),
    pytest.param(
        figures(18.7, 18.6, 18.3),
        "rolling_12_months",
        "percentage",
        D("18.3"),
        None,
        None,
        False,
        id="rolling-12-percentage-is-not-averaged",
    ),
    pytest.param(
        figures(sep=(7.4, 15, 204)),
        "snapshot",
        "percentage",
        D("7.4"),
        D(15),
        D(204),
        False,
        id="snapshot-keeps-numerator-and-denominator",
    ),
    pytest.param(
        figures(71.5, 66.8, 64.9),
        "year_to_date",
        "percentage",
        D("64.9"),
        None,
        None,
        False,
        id="year-to-date-takes-the-last-month",
    ),
    pytest.param(
        figures(195, 207),
        "snapshot",
        "count",
        None,
        None,
        None,
        True,
        id="snapshot-without-the-last-month-is-incomplete",
    ),
    pytest.param(
        figures(sep=None),
        "snapshot",
        "count",
        None,
        None,
        None,
        True,
        id="snapshot-with-no-months-is-incomplete",
    ),
    # In month: counts add up; percentages are recomputed from the summed fractions.
    pytest.param(
        figures(5, 27, 5),
        "in_month",
        "count",
        D(37),
        None,
        None,
        False,
        id="in-month-count-sums-the-months",
    ),
    pytest.param(
        figures(2, 1, 9),
        "in_month",
        "count",
        D(12),
        None,
        None,
        False,
        id="in-month-small-counts-sum",
    ),
    pytest.param(
        figures((50, 1, 2), (50, 1, 2), (100, 96, 96)),
        "in_month",
        "percentage",
        D(98),
        D(98),
        D(100),
        False,
        id="in-month-percentage-from-summed-fractions-not-the-mean-of-percentages",
    ),
    pytest.param(
        figures((12.2, 5, 41), (52.2, 24, 46), (58.2, 32, 55)),
        "in_month",
        "percentage",
        D(61) / D(142) * 100,
        D(61),
        D(142),
        False,
        id="in-month-mash-decisions-61-of-142",
    ),
    pytest.param(
        figures(5, sep=5),
        "in_month",
        "count",
        D(10),
        None,
        None,
        True,
        id="in-month-count-with-a-missing-month-is-incomplete",
    ),
    pytest.param(
        figures((50, 1, 2), 52.2, (58.2, 32, 55)),
        "in_month",
        "percentage",
        None,
        None,
        None,
        True,
        id="in-month-percentage-without-a-fraction-cannot-be-combined",
    ),
    pytest.param(
        figures((0, 0, 0), (0, 0, 0), (0, 0, 0)),
        "in_month",
        "percentage",
        None,
        D(0),
        D(0),
        False,
        id="in-month-percentage-of-nothing-is-no-figure-never-a-division-by-zero",
    ),
    pytest.param(
        figures(),
        "in_month",
        "count",
        None,
        None,
        None,
        True,
        id="in-month-with-no-months-is-incomplete",
    ),
]


@pytest.mark.parametrize(
    ("monthly", "basis", "unit", "value", "numerator", "denominator", "incomplete"),
    QUARTER_CASES,
)
def test_the_quarters_figure_follows_the_measure_basis(
    monthly, basis, unit, value, numerator, denominator, incomplete
):
    result = quarter_figure(monthly, basis, unit, Q2_2023.months)
    assert result.value == value
    assert result.numerator == numerator
    assert result.denominator == denominator
    assert result.incomplete is incomplete


@pytest.mark.parametrize(
    ("monthly", "basis", "status"),
    [
        pytest.param(figures(1, 2, (3, "provisional")), "in_month", "provisional", id="any-prov"),
        pytest.param(figures(1, 2, 3), "in_month", "actual", id="all-actual"),
        pytest.param(figures((1, "provisional"), 2, 3), "snapshot", "actual", id="last-only"),
        pytest.param(figures(1, 2, (None, "suppressed")), "in_month", "suppressed", id="withheld"),
        pytest.param(figures(sep=(None, "suppressed")), "snapshot", "suppressed", id="snap-x"),
    ],
)
def test_the_quarters_status_combines_the_months(monthly, basis, status):
    result = quarter_figure(monthly, basis, "count", Q2_2023.months)
    assert result.status == status


def test_a_month_withheld_at_source_leaves_an_in_month_sum_unknown():
    result = quarter_figure(
        figures(5, (None, "suppressed"), 7), "in_month", "count", Q2_2023.months
    )
    assert result.value is None
    assert result.status == rules.SUPPRESSED


def test_a_not_available_month_counts_as_missing():
    monthly = figures(5, 6)
    monthly[SEP] = MonthFigure(None, status=rules.NOT_AVAILABLE)
    result = quarter_figure(monthly, "in_month", "count", Q2_2023.months)
    assert (result.value, result.incomplete, result.missing) == (D(11), True, (SEP,))
    assert "Sep-23" in result.note


def test_an_unknown_basis_is_refused():
    with pytest.raises(ValueError, match="Unknown measure basis"):
        quarter_figure(figures(1, 2, 3), "fortnightly", "count", Q2_2023.months)


# Rates: the seed's Q2 2023/24 rates from the count and the 0-17 population (2021 Census),
# and its yearly rates from the ONS mid-2021 estimate its Annex I names.
@pytest.mark.parametrize(
    ("count", "population", "per", "printed"),
    [
        pytest.param(3093, 51635, 10000, "599.0", id="referrals-q2"),
        pytest.param(1485, 51635, 10000, "287.6", id="cin-q2"),
        pytest.param(202, 51635, 10000, "39.1", id="cp-q2"),
        pytest.param(486, 51635, 10000, "94.1", id="lac-q2"),
        pytest.param(3616, 53291, 10000, "678.5", id="referrals-2020-21"),
        pytest.param(490, 53291, 10000, "91.9", id="lac-2021-22"),
        pytest.param(233, 53291, 10000, "43.7", id="cp-2022-23"),
        pytest.param(12, 23307, 1000, "0.5", id="per-1000-youth-justice"),
    ],
)
def test_a_rate_is_the_count_over_the_population(count, population, per, printed):
    assert rules.format_number(rate_per(count, population, per), 1) == printed


@pytest.mark.parametrize(
    ("count", "population"),
    [(None, 51635), (3093, None), (3093, 0), (3093, -1)],
    ids=["no-count", "no-population", "zero-population", "negative-population"],
)
def test_a_rate_without_a_count_or_a_positive_population_is_none(count, population):
    assert rate_per(count, population) is None


@dataclass
class Band:
    age_from: int
    age_to: int
    valid_from: dt.date
    value: int


BANDS = [
    Band(0, 17, dt.date(2020, 4, 1), 53291),
    Band(0, 17, dt.date(2023, 5, 1), 51635),
    Band(10, 17, dt.date(2023, 5, 1), 23307),
]


@pytest.mark.parametrize(
    ("age_from", "age_to", "month", "expected"),
    [
        pytest.param(0, 17, Month(2023, 9), 51635, id="q2-2023-24-census"),
        pytest.param(0, 17, Month(2023, 3), 53291, id="2022-23-year-end-mid-2021"),
        pytest.param(0, 17, Month(2023, 5), 51635, id="from-its-first-month"),
        pytest.param(0, 17, Month(2020, 3), None, id="before-any"),
        pytest.param(10, 17, Month(2023, 9), 23307, id="other-band"),
        pytest.param(5, 17, Month(2023, 9), None, id="no-such-band"),
    ],
)
def test_the_population_in_force_is_the_latest_started(age_from, age_to, month, expected):
    found = population_for(BANDS, age_from, age_to, month)
    assert (found.value if found else None) == expected


@pytest.mark.parametrize(
    ("slug", "label"),
    [
        ("2023-24-q2", "Q2 2023/24"),
        ("2024-25-q3", "Q3 2024/25"),
        ("1999-00-q4", "Q4 1999/00"),
        ("2023-24-Q1", "Q1 2023/24"),
    ],
)
def test_a_quarters_address_reads_back(slug, label):
    quarter = Quarter.from_slug(slug)
    assert quarter.label == label
    assert quarter.slug == slug.lower()


@pytest.mark.parametrize("slug", ["2023-25-q2", "2023-24-q5", "2023-24-q0", "2023/24 Q2", ""])
def test_a_malformed_quarter_address_is_refused(slug):
    with pytest.raises(ValueError):
        Quarter.from_slug(slug)


# Complementary suppression (rules.suppress_group) ----------------------------------------
@pytest.mark.parametrize(
    ("values", "total", "expected"),
    [
        pytest.param([86, 9, 12, 95], 202, [False] * 4, id="seed-abuse-q2-nothing-small"),
        pytest.param(
            [344, 51, 50, None, None, 9, 26, None, None],
            486,
            [False, False, False, True, True, False, False, True, True],
            id="seed-placements-q2-withheld-stay-x-no-more",
        ),
        pytest.param(
            [339, 57, 48, None, 5, 18, 32, None, None],
            501,
            [False, False, False, True, False, False, False, True, True],
            id="seed-placements-2022-23-three-withheld",
        ),
        pytest.param([3, 7, 10], 20, [True, True, False], id="lone-small-count-takes-next"),
        pytest.param([10, 7, 3], 20, [False, True, True], id="order-does-not-matter"),
        pytest.param([3, 7, 7], 17, [True, True, False], id="tie-takes-the-first"),
        pytest.param([3, 0, 8, 20], 31, [True, False, True, False], id="zero-hides-nothing"),
        pytest.param([3, 0, 0], 3, [True, True, True], id="a-group-of-three-children-hides-all"),
        pytest.param([1, 1, 100, 200], 302, [True, True, True, False], id="two-ones-too-few"),
        pytest.param([2, 3, 50], 55, [True, True, False], id="two-small-make-five-enough"),
        pytest.param([None, 40, 50], 93, [True, True, False], id="lone-withheld-takes-next"),
        pytest.param([3, 7, 10], None, [True, False, False], id="no-total-no-complement"),
        pytest.param([5, 7, 10], 22, [False] * 3, id="nothing-small"),
        pytest.param([0, 7, 10], 17, [False] * 3, id="zero-is-published"),
        pytest.param([3], 3, [True], id="single-category"),
        pytest.param([], 0, [], id="empty"),
    ],
)
def test_a_group_suppresses_so_no_category_can_be_worked_out(values, total, expected):
    assert rules.suppress_group(values, total) == expected


@pytest.mark.parametrize(
    ("values", "total"),
    [([3, 7, 10], 20), ([1, 1, 100, 200], 302), ([4, 90, 6, 5], 105), ([2, 40], 42)],
)
def test_no_hidden_category_is_the_total_less_the_shown_ones(values, total):
    hidden = rules.suppress_group(values, total)
    shown = sum(v for v, h in zip(values, hidden, strict=True) if not h)
    hidden_values = [v for v, h in zip(values, hidden, strict=True) if h]
    # What a reader can work out is the hidden categories' sum: never one category alone,
    # and never so few children that every hidden category must be 1.
    assert len(hidden_values) >= 2
    assert total - shown == sum(hidden_values) >= rules.SUPPRESSION_THRESHOLD
