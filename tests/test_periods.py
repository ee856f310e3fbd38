"""Table-driven tests of months, financial years and quarters.

Financial years run April to March, as the committee papers count them.
"""

import datetime as dt

import pytest

from indicators.periods import FinancialYear, Month, Quarter, month_range


# Parsing and construction -------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2023-09", Month(2023, 9), id="sep-2023"),
        pytest.param("2024-01", Month(2024, 1), id="jan-2024"),
        pytest.param("2023-12", Month(2023, 12), id="dec-2023"),
        pytest.param(" 2023-09 ", Month(2023, 9), id="surrounding-whitespace-ignored"),
    ],
)
def test_it_parses_an_iso_month(text, expected):
    assert Month.parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("2023-13", id="month-13"),
        pytest.param("2023-00", id="month-00"),
        pytest.param("Sep-23", id="short-label"),
        pytest.param("2023/09", id="slash-separator"),
        pytest.param("", id="empty"),
        pytest.param("2023-9", id="single-digit-month"),
        pytest.param("23-09", id="two-digit-year"),
        pytest.param("2023-09-01", id="full-date"),
        pytest.param("202309", id="no-separator"),
        pytest.param("September 2023", id="long-label"),
    ],
)
def test_it_rejects_a_string_that_is_not_an_iso_month(text):
    with pytest.raises(ValueError):
        Month.parse(text)


@pytest.mark.parametrize(
    ("year", "month"),
    [
        pytest.param(2023, 0, id="month-0"),
        pytest.param(2023, 13, id="month-13"),
        pytest.param(2023, -1, id="month-negative"),
        pytest.param(1899, 12, id="year-before-1900"),
        pytest.param(10000, 1, id="year-after-9999"),
    ],
)
def test_it_rejects_an_impossible_month(year, month):
    with pytest.raises(ValueError):
        Month(year, month)


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        pytest.param(dt.date(2023, 9, 30), Month(2023, 9), id="end-of-september"),
        pytest.param(dt.date(2024, 1, 1), Month(2024, 1), id="new-years-day"),
    ],
)
def test_it_takes_the_month_of_a_date(date, expected):
    assert Month.from_date(date) == expected
    assert Month.current(today=date) == expected


# Labels -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("month", "label", "long_label", "iso"),
    [
        pytest.param(Month(2023, 9), "Sep-23", "September 2023", "2023-09", id="sep-2023"),
        pytest.param(Month(2023, 7), "Jul-23", "July 2023", "2023-07", id="jul-2023"),
        pytest.param(Month(2024, 1), "Jan-24", "January 2024", "2024-01", id="jan-2024"),
        pytest.param(Month(2023, 12), "Dec-23", "December 2023", "2023-12", id="dec-2023"),
        pytest.param(Month(2000, 3), "Mar-00", "March 2000", "2000-03", id="mar-2000"),
        pytest.param(Month(1999, 4), "Apr-99", "April 1999", "1999-04", id="apr-1999"),
    ],
)
def test_it_labels_a_month_as_the_seeds_write_it(month, label, long_label, iso):
    assert month.label == label
    assert month.long_label == long_label
    assert month.iso == iso
    assert str(month) == iso


@pytest.mark.parametrize(
    "month",
    [pytest.param(Month(2023, m), id=f"2023-{m:02d}") for m in range(1, 13)],
)
def test_it_round_trips_a_month_through_its_iso_form(month):
    assert Month.parse(month.iso) == month


@pytest.mark.parametrize(
    ("month", "first_day"),
    [
        pytest.param(Month(2023, 9), dt.date(2023, 9, 1), id="sep-2023"),
        pytest.param(Month(2024, 2), dt.date(2024, 2, 1), id="feb-2024"),
    ],
)
def test_it_gives_the_first_day_of_a_month(month, first_day):
    assert month.first_day == first_day


# Arithmetic ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("month", "offset", "expected"),
    [
        pytest.param(Month(2023, 9), 0, Month(2023, 9), id="plus-zero"),
        pytest.param(Month(2023, 9), 1, Month(2023, 10), id="plus-one"),
        pytest.param(Month(2023, 12), 1, Month(2024, 1), id="dec-plus-one-crosses-year"),
        pytest.param(Month(2024, 1), -1, Month(2023, 12), id="jan-minus-one-crosses-year"),
        pytest.param(Month(2023, 9), -12, Month(2022, 9), id="minus-twelve-same-month-last-year"),
        pytest.param(Month(2023, 9), 12, Month(2024, 9), id="plus-twelve-same-month-next-year"),
        pytest.param(Month(2023, 9), 4, Month(2024, 1), id="sep-plus-four-is-jan"),
        pytest.param(Month(2023, 3), -3, Month(2022, 12), id="mar-minus-three-is-dec"),
        pytest.param(Month(2023, 9), 27, Month(2025, 12), id="plus-27"),
        pytest.param(Month(2023, 9), -25, Month(2021, 8), id="minus-25"),
    ],
)
def test_it_adds_and_subtracts_months_across_year_boundaries(month, offset, expected):
    assert month.plus(offset) == expected


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        pytest.param(Month(2024, 1), Month(2023, 12), id="jan-24-previous-is-dec-23"),
        pytest.param(Month(2023, 9), Month(2023, 8), id="sep-23-previous-is-aug-23"),
        pytest.param(Month(2023, 4), Month(2023, 3), id="apr-previous-crosses-financial-year"),
    ],
)
def test_it_gives_the_previous_month(month, expected):
    assert month.previous() == expected


@pytest.mark.parametrize(
    ("month", "count", "expected"),
    [
        pytest.param(
            Month(2023, 9),
            3,
            [Month(2023, 7), Month(2023, 8), Month(2023, 9)],
            id="sep-23-three-back-oldest-first",
        ),
        pytest.param(
            Month(2024, 2),
            3,
            [Month(2023, 12), Month(2024, 1), Month(2024, 2)],
            id="across-year-boundary",
        ),
        pytest.param(Month(2023, 9), 1, [Month(2023, 9)], id="one-is-just-this-month"),
        pytest.param(Month(2023, 9), 0, [], id="zero-is-empty"),
    ],
)
def test_it_lists_the_last_months_oldest_first(month, count, expected):
    assert month.months_back(count) == expected


def test_it_lists_twelve_months_back_ending_with_this_month():
    months = Month(2023, 9).months_back(12)
    assert len(months) == 12
    assert months[0] == Month(2022, 10)
    assert months[-1] == Month(2023, 9)


# Ordering and equality ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        pytest.param(Month(2023, 8), Month(2023, 9), id="same-year"),
        pytest.param(Month(2023, 12), Month(2024, 1), id="across-year"),
        pytest.param(Month(2022, 12), Month(2023, 1), id="december-before-next-january"),
        pytest.param(Month(2023, 1), Month(2023, 12), id="january-before-december"),
        pytest.param(Month(2022, 11), Month(2023, 2), id="later-month-number-earlier-year"),
    ],
)
def test_it_orders_months_chronologically(earlier, later):
    assert earlier < later
    assert earlier <= later
    assert later > earlier
    assert later >= earlier
    assert earlier != later
    assert sorted([later, earlier]) == [earlier, later]


def test_equal_months_are_equal_and_hash_alike():
    assert Month(2023, 9) == Month(2023, 9)
    assert Month(2023, 9) == Month.parse("2023-09")
    assert Month(2023, 9) <= Month(2023, 9)
    assert Month(2023, 9) >= Month(2023, 9)
    assert not Month(2023, 9) < Month(2023, 9)
    assert len({Month(2023, 9), Month.parse("2023-09")}) == 1


def test_months_are_immutable():
    month = Month(2023, 9)
    with pytest.raises(AttributeError):
        month.month = 10


# Financial years ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("month", "start_year", "label"),
    [
        pytest.param(Month(2024, 3), 2023, "2023/24", id="mar-24-in-2023-24"),
        pytest.param(Month(2024, 4), 2024, "2024/25", id="apr-24-in-2024-25"),
        pytest.param(Month(2024, 1), 2023, "2023/24", id="jan-24-in-2023-24"),
        pytest.param(Month(2023, 12), 2023, "2023/24", id="dec-23-in-2023-24"),
        pytest.param(Month(2023, 9), 2023, "2023/24", id="sep-23-in-2023-24"),
        pytest.param(Month(2023, 4), 2023, "2023/24", id="apr-23-in-2023-24"),
        pytest.param(Month(2023, 3), 2022, "2022/23", id="mar-23-in-2022-23"),
        pytest.param(Month(2000, 3), 1999, "1999/00", id="mar-00-in-1999-00"),
        pytest.param(Month(2009, 5), 2009, "2009/10", id="may-09-in-2009-10"),
    ],
)
def test_it_places_a_month_in_its_april_to_march_financial_year(month, start_year, label):
    assert month.financial_year == FinancialYear(start_year)
    assert month.financial_year.label == label


@pytest.mark.parametrize(
    ("start_year", "label"),
    [
        pytest.param(2024, "2024/25", id="2024-25"),
        pytest.param(2022, "2022/23", id="2022-23"),
        pytest.param(1999, "1999/00", id="1999-00-century-wrap"),
        pytest.param(2009, "2009/10", id="2009-10"),
        pytest.param(2000, "2000/01", id="2000-01-leading-zero"),
    ],
)
def test_it_labels_a_financial_year_as_the_seeds_write_it(start_year, label):
    assert FinancialYear(start_year).label == label
    assert str(FinancialYear(start_year)) == label


@pytest.mark.parametrize("start_year", [pytest.param(y, id=str(y)) for y in (1999, 2023, 2024)])
def test_a_financial_year_has_twelve_months_april_to_march(start_year):
    months = FinancialYear(start_year).months
    assert len(months) == 12
    assert months[0] == Month(start_year, 4)
    assert months[-1] == Month(start_year + 1, 3)
    assert months == [Month(start_year, 4).plus(i) for i in range(12)]
    assert all(month.financial_year == FinancialYear(start_year) for month in months)


def test_financial_years_order_by_start_year():
    assert FinancialYear(2022) < FinancialYear(2023)
    assert sorted([FinancialYear(2024), FinancialYear(2022)]) == [
        FinancialYear(2022),
        FinancialYear(2024),
    ]


# Quarters -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("month", "start_year", "number", "label"),
    [
        pytest.param(Month(2023, 4), 2023, 1, "Q1 2023/24", id="apr-q1"),
        pytest.param(Month(2023, 5), 2023, 1, "Q1 2023/24", id="may-q1"),
        pytest.param(Month(2023, 6), 2023, 1, "Q1 2023/24", id="jun-q1"),
        pytest.param(Month(2023, 7), 2023, 2, "Q2 2023/24", id="jul-q2"),
        pytest.param(Month(2023, 8), 2023, 2, "Q2 2023/24", id="aug-q2"),
        pytest.param(Month(2023, 9), 2023, 2, "Q2 2023/24", id="sep-q2"),
        pytest.param(Month(2023, 10), 2023, 3, "Q3 2023/24", id="oct-q3"),
        pytest.param(Month(2023, 11), 2023, 3, "Q3 2023/24", id="nov-q3"),
        pytest.param(Month(2023, 12), 2023, 3, "Q3 2023/24", id="dec-q3"),
        pytest.param(Month(2024, 1), 2023, 4, "Q4 2023/24", id="jan-q4-of-previous-year"),
        pytest.param(Month(2024, 2), 2023, 4, "Q4 2023/24", id="feb-q4-of-previous-year"),
        pytest.param(Month(2024, 3), 2023, 4, "Q4 2023/24", id="mar-q4-of-previous-year"),
    ],
)
def test_it_places_each_month_in_its_financial_quarter(month, start_year, number, label):
    quarter = month.quarter
    assert quarter == Quarter(FinancialYear(start_year), number)
    assert quarter.number == number
    assert quarter.label == label
    assert str(quarter) == label
    assert month in quarter.months


@pytest.mark.parametrize(
    ("start_year", "number", "expected", "label"),
    [
        pytest.param(
            2024,
            1,
            [Month(2024, 4), Month(2024, 5), Month(2024, 6)],
            "Q1 2024/25",
            id="q1-2024-25-apr-may-jun",
        ),
        pytest.param(
            2024,
            2,
            [Month(2024, 7), Month(2024, 8), Month(2024, 9)],
            "Q2 2024/25",
            id="q2-2024-25-jul-aug-sep",
        ),
        pytest.param(
            2024,
            3,
            [Month(2024, 10), Month(2024, 11), Month(2024, 12)],
            "Q3 2024/25",
            id="spec-q3-2024-25-oct-nov-dec",
        ),
        pytest.param(
            2024,
            4,
            [Month(2025, 1), Month(2025, 2), Month(2025, 3)],
            "Q4 2024/25",
            id="q4-2024-25-jan-feb-mar-2025",
        ),
        pytest.param(
            2023,
            2,
            [Month(2023, 7), Month(2023, 8), Month(2023, 9)],
            "Q2 2023/24",
            id="seed-q2-2023-24",
        ),
    ],
)
def test_a_quarter_has_its_three_months(start_year, number, expected, label):
    quarter = Quarter(FinancialYear(start_year), number)
    assert quarter.months == expected
    assert quarter.label == label


@pytest.mark.parametrize("number", [pytest.param(n, id=f"q{n}") for n in (0, 5, -1)])
def test_it_rejects_a_quarter_outside_1_to_4(number):
    with pytest.raises(ValueError):
        Quarter(FinancialYear(2023), number)


def test_quarters_order_chronologically():
    q4_2022 = Quarter(FinancialYear(2022), 4)
    q1_2023 = Quarter(FinancialYear(2023), 1)
    q2_2023 = Quarter(FinancialYear(2023), 2)
    assert sorted([q2_2023, q1_2023, q4_2022]) == [q4_2022, q1_2023, q2_2023]


# Month ranges -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        pytest.param(
            Month(2023, 7),
            Month(2023, 9),
            [Month(2023, 7), Month(2023, 8), Month(2023, 9)],
            id="inclusive-both-ends",
        ),
        pytest.param(Month(2023, 9), Month(2023, 9), [Month(2023, 9)], id="single-month"),
        pytest.param(
            Month(2023, 11),
            Month(2024, 2),
            [Month(2023, 11), Month(2023, 12), Month(2024, 1), Month(2024, 2)],
            id="across-year-boundary",
        ),
        pytest.param(Month(2023, 10), Month(2023, 9), [], id="empty-when-first-after-last"),
        pytest.param(
            Month(2024, 1),
            Month(2023, 12),
            [],
            id="empty-when-first-after-last-across-year",
        ),
    ],
)
def test_it_lists_every_month_in_a_range_inclusive(first, last, expected):
    assert month_range(first, last) == expected


def test_a_range_over_two_years_has_twenty_four_months():
    assert len(month_range(Month(2022, 4), Month(2024, 3))) == 24
