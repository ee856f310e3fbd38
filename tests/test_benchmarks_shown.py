"""What a viewer is shown of an indicator's DfE benchmarks (indicators.dfe.shown): the
year a month compares with, the months a year stands for, and when the council's own DfE figure
is withheld beside a suppressed figure of ours. Pure: tables of cases, no database."""

from decimal import Decimal

import pytest

from indicators import units
from indicators.dfe import shown
from indicators.dfe.years import (
    ACADEMIC_YEAR,
    AS_PUBLISHED,
    CALENDAR_YEAR,
    FINANCIAL_YEAR,
    SNAPSHOT_31_MARCH,
    benchmark_year,
)
from indicators.periods import Month, month_range
from scorecard.dfe_queries import IndicatorBenchmarks, YearComparators


def year(published, alignment=FINANCIAL_YEAR, area="20.0", **fields):
    read = benchmark_year(published, alignment)
    values = {
        "area_value": None if area is None else Decimal(area),
        "england": Decimal("22.4"),
        "region": Decimal("23.0"),
        "region_name": "South West",
        "statistical_neighbours": Decimal("24.28"),
        "neighbours_with_value": 10,
        "quartile": "B",
        "rank": 64,
        "authorities": 149,
    }
    values.update(fields)
    return YearComparators(
        year=published,
        label=read.label,
        status=read.status,
        first_day=read.first_day,
        last_day=read.last_day,
        **values,
    )


def benchmarks(*years):
    return IndicatorBenchmarks(
        indicator_id=1,
        measure_code="ReReferral",
        measure_title="Re-referrals",
        authority_number=879,
        neighbour_list="April 2021",
        years=tuple(years),
        latest=years[-1] if years else None,
    )


def months(first, last):
    return month_range(Month.parse(first), Month.parse(last))


# The months a year describes, and the months it stands beside -----------------------------
@pytest.mark.parametrize(
    ("published", "alignment", "described", "drawn"),
    [
        # Re-referrals in the year ending 31 March 2023: April 2022 to March 2023.
        ("2023", FINANCIAL_YEAR, ("2022-04", "2023-03"), ("2022-04", "2023-03")),
        ("2022-23", FINANCIAL_YEAR, ("2022-04", "2023-03"), ("2022-04", "2023-03")),
        # Children in care at 31 March 2023: that one month, drawn across 2022/23.
        ("2023", SNAPSHOT_31_MARCH, ("2023-03", "2023-03"), ("2022-04", "2023-03")),
        ("2023 (Rev)", SNAPSHOT_31_MARCH, ("2023-03", "2023-03"), ("2022-04", "2023-03")),
        ("2023", ACADEMIC_YEAR, ("2022-09", "2023-08"), ("2022-09", "2023-08")),
        ("2023", CALENDAR_YEAR, ("2023-01", "2023-12"), ("2023-01", "2023-12")),
        # A run of years stands for all of them.
        ("2014-16", CALENDAR_YEAR, ("2014-01", "2016-12"), ("2014-01", "2016-12")),
        ("2021/22-23/24", FINANCIAL_YEAR, ("2021-04", "2024-03"), ("2021-04", "2024-03")),
        # No dates: it cannot be placed.
        ("2023", AS_PUBLISHED, None, None),
        ("0", FINANCIAL_YEAR, None, None),
    ],
)
def test_the_months_a_year_describes_and_stands_beside(published, alignment, described, drawn):
    found = year(published, alignment)
    assert shown.months_described(found) == (months(*described) if described else None)
    assert shown.months_drawn(found) == (months(*drawn) if drawn else None)


# The year a month compares with ------------------------------------------------------------
FINANCIAL = [year(str(y)) for y in range(2019, 2026)]  # 2018/19 to 2024/25


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        # Sep-23 compares with 2022/23 (ended March 2023), never 2023/24 (not ended).
        ("2023-09", "2023"),
        ("2023-03", "2023"),  # the year ends with March: that month compares with it
        ("2023-02", "2022"),
        ("2026-05", "2025"),  # DfE has published nothing newer
        ("2018-03", None),  # no year had ended
    ],
)
def test_a_month_compares_with_the_latest_year_ended_by_then(month, expected):
    found = shown.year_as_of(FINANCIAL, Month.parse(month))
    assert (found.year if found else None) == expected


@pytest.mark.parametrize(
    ("alignment", "month", "expected"),
    [
        (SNAPSHOT_31_MARCH, "2023-03", "2023"),  # 31 March 2023 is in March
        (SNAPSHOT_31_MARCH, "2023-02", "2022"),
        (ACADEMIC_YEAR, "2023-08", "2023"),  # 2022/23 ends with August
        (ACADEMIC_YEAR, "2023-07", "2022"),
        (CALENDAR_YEAR, "2023-12", "2023"),
        (CALENDAR_YEAR, "2023-11", "2022"),
        (AS_PUBLISHED, "2019-01", "2025"),  # undated: every year counts as ended
    ],
)
def test_each_alignment_ends_its_year_in_its_own_month(alignment, month, expected):
    years = [year(str(y), alignment) for y in range(2019, 2026)]
    assert shown.year_as_of(years, Month.parse(month)).year == expected


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        ("2022-04", "2023"),
        ("2023-03", "2023"),
        ("2022-03", "2022"),
        ("2025-04", None),  # after the last year DfE publishes
        ("2018-03", None),  # before the first
    ],
)
def test_each_month_stands_beside_the_year_it_belongs_to(month, expected):
    found = shown.year_drawn_at(FINANCIAL, Month.parse(month))
    assert (found.year if found else None) == expected


def test_overlapping_runs_stand_beside_the_later_one():
    runs = [year("2014-16", CALENDAR_YEAR), year("2015-17", CALENDAR_YEAR)]
    assert shown.year_drawn_at(runs, Month(2014, 6)).year == "2014-16"
    assert shown.year_drawn_at(runs, Month(2016, 6)).year == "2015-17"


# When the council's own DfE figure is withheld ----------------------------------------------
YEAR_2022_23 = months("2022-04", "2023-03")


@pytest.mark.parametrize(
    ("value", "unit", "described", "hidden", "population", "withheld"),
    [
        # No x among the months the year describes: shown.
        ("20.0", units.PERCENTAGE, YEAR_2022_23, set(), None, False),
        ("20.0", units.PERCENTAGE, YEAR_2022_23, {Month(2023, 4)}, None, False),
        ("20.0", units.PERCENTAGE, YEAR_2022_23, {Month(2022, 3)}, None, False),
        # A month of the year shown as x: the year's figure would narrow it.
        ("20.0", units.PERCENTAGE, YEAR_2022_23, {Month(2022, 4)}, None, True),
        ("20.0", units.PERCENTAGE, YEAR_2022_23, {Month(2023, 3)}, None, True),
        ("57", units.COUNT, YEAR_2022_23, {Month(2022, 11)}, None, True),
        # A snapshot describes its month only: another month's x is another figure.
        ("94.1", units.RATE_PER_10000, [Month(2023, 3)], {Month(2023, 2)}, 51635, False),
        ("94.1", units.RATE_PER_10000, [Month(2023, 3)], {Month(2023, 3)}, 51635, True),
        # A year that cannot be dated could be of any month: withheld beside any x.
        ("20.0", units.PERCENTAGE, None, set(), None, False),
        ("20.0", units.PERCENTAGE, None, {Month(2019, 1)}, None, True),
        # As a figure of ours it would be suppressed: a count below five, a rate of 1-4
        # children (0.5 per 10,000 of 51,635 is 2.6 children).
        ("3", units.COUNT, YEAR_2022_23, set(), None, True),
        ("0", units.COUNT, YEAR_2022_23, set(), None, False),  # zero discloses no child
        ("5", units.COUNT, YEAR_2022_23, set(), None, False),
        ("0.5", units.RATE_PER_10000, [Month(2023, 3)], set(), 51635, True),
        ("0.5", units.RATE_PER_10000, [Month(2023, 3)], set(), None, False),
        # No figure: nothing to withhold.
        (None, units.COUNT, YEAR_2022_23, {Month(2022, 4)}, None, False),
    ],
)
def test_the_councils_figure_is_withheld_beside_an_x_it_could_narrow(
    value, unit, described, hidden, population, withheld
):
    figure = None if value is None else Decimal(value)
    found = shown.council_value_withheld(
        figure, unit, described, frozenset(hidden), population=population
    )
    assert found is withheld


# What each year reads -------------------------------------------------------------------
def test_a_year_reads_in_the_indicators_unit_and_places():
    item = shown.ShownYear(year("2023"), False, units.PERCENTAGE, 1)
    assert (item.council_text, item.england_text, item.region_text) == ("20.0%", "22.4%", "23.0%")
    assert item.statistical_neighbours_text == "24.3%"
    assert (item.quartile_text, item.rank_text, item.period) == ("B", "64 of 149", "2022/23")
    assert item.compact_text == "22.4% / 24.3% (2022/23)"
    assert (item.council_value, item.quartile, item.rank) == (Decimal("20.0"), "B", 64)
    rate = shown.ShownYear(year("2023", SNAPSHOT_31_MARCH, area="94.1"), False, "rate_per_10000", 1)
    assert (rate.council_text, rate.compact_text) == ("94.1r", "22.4r / 24.3r (2022/23)")


def test_a_withheld_year_says_x_for_the_council_its_band_and_rank_only():
    item = shown.ShownYear(year("2023"), True, units.PERCENTAGE, 1)
    assert (item.council_text, item.quartile_text, item.rank_text) == ("x", "x", "x")
    assert (item.council_value, item.quartile, item.rank) == (None, "", None)
    # Other areas' published figures are still shown.
    assert item.compact_text == "22.4% / 24.3% (2022/23)"
    assert item.region_text == "23.0%"


@pytest.mark.parametrize(
    ("fields", "quartile", "rank", "compact"),
    [
        ({"quartile": "", "rank": None}, "No band", "No rank", "22.4% / 24.3% (2022/23)"),
        ({"statistical_neighbours": None}, "B", "64 of 149", "22.4% / Not available (2022/23)"),
        ({"england": None}, "B", "64 of 149", "Not available / 24.3% (2022/23)"),
    ],
)
def test_what_dfe_does_not_publish_reads_as_words(fields, quartile, rank, compact):
    item = shown.ShownYear(year("2023", **fields), False, units.PERCENTAGE, 1)
    assert (item.quartile_text, item.rank_text, item.compact_text) == (quartile, rank, compact)


def test_a_revised_year_says_so():
    item = shown.ShownYear(year("2019 (Rev)", ACADEMIC_YEAR), False, units.PERCENTAGE, 1)
    assert item.period == "2018/19 (revised)"


# The benchmarks a page shows ----------------------------------------------------------------
def test_a_page_shows_the_years_ended_by_its_month_each_judged_on_its_own_months():
    found = shown.shown_benchmarks(
        benchmarks(*FINANCIAL),
        Month(2023, 9),
        units.PERCENTAGE,
        1,
        {Month(2021, 6)},  # a month of 2021/22
    )
    assert [item.year.year for item in found.years] == ["2019", "2020", "2021", "2022", "2023"]
    assert found.latest.year.year == "2023"
    assert [item.council_withheld for item in found.years] == [False, False, False, True, False]
    assert found.year_beside(Month(2021, 6)).year.year == "2022"
    assert found.year_beside(Month(2023, 6)) is None  # 2023/24 had not ended by Sep-23
    assert (found.measure_code, found.neighbour_list) == ("ReReferral", "April 2021")


def test_a_table_row_keeps_the_latest_year_only():
    found = shown.shown_benchmarks(
        benchmarks(*FINANCIAL), Month(2023, 9), units.PERCENTAGE, 1, set(), every_year=False
    )
    assert [item.year.year for item in found.years] == ["2023"]


def test_no_benchmarks_or_no_year_ended_shows_nothing():
    assert shown.shown_benchmarks(None, Month(2023, 9), units.PERCENTAGE, 1, set()) is None
    early = shown.shown_benchmarks(benchmarks(*FINANCIAL), Month(2018, 9), units.COUNT, 0, set())
    assert early is None


def test_a_rates_implied_count_uses_the_population_of_the_years_last_month():
    asked = []

    def population_at(month):
        asked.append(month)
        return 51635

    found = shown.shown_benchmarks(
        benchmarks(year("2023", SNAPSHOT_31_MARCH, area="0.5")),
        Month(2023, 9),
        units.RATE_PER_10000,
        1,
        set(),
        population_at=population_at,
    )
    assert asked == [Month(2023, 3)]
    assert found.latest.council_withheld


@pytest.mark.parametrize(
    ("month", "first"),
    [
        ("2023-09", "2022-04"),  # 2022/23 is shown: its months from April 2022 decide
        ("2023-02", "2021-04"),
        ("2018-09", None),  # no year shown
    ],
)
def test_a_scorecard_loads_back_to_the_first_month_the_year_shown_describes(month, first):
    found = shown.first_month_needed(benchmarks(*FINANCIAL), Month.parse(month))
    assert found == (Month.parse(first) if first else None)
