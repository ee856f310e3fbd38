"""What the read side loads of the benchmarks: the stored comparators for a set of indicators
and every authority's value for a measure and year, each in a fixed number of queries."""

from datetime import date
from decimal import Decimal

import pytest

from indicators.models import Council, LaitComparator
from scorecard.dfe_queries import authority_values, benchmarks_for_indicators

from .support.factories import make_indicator
from .support.lait import MEASURES, import_extract

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked():
    """The extract imported for Plymouth, and one indicator per measure (and one with no
    measure)."""
    import_extract()
    indicators = {
        code: make_indicator(f"L{n}", lait_measure_id=code, lait_years=alignment)
        for n, (code, alignment) in enumerate(MEASURES)
    }
    indicators["unlinked"] = make_indicator("U1")
    return indicators


def test_an_indicators_benchmarks_come_by_year_with_the_committee_papers_labels(linked):
    found = benchmarks_for_indicators([linked["ReReferral"].pk, linked["unlinked"].pk])
    assert list(found) == [linked["ReReferral"].pk]  # no measure, no benchmarks
    benchmarks = found[linked["ReReferral"].pk]
    assert (benchmarks.measure_code, benchmarks.authority_number) == ("ReReferral", 879)
    assert benchmarks.neighbour_list == "April 2021"
    assert [year.year for year in benchmarks.years] == [str(y) for y in range(2016, 2026)]
    assert benchmarks.latest == benchmarks.years[-1]
    year = benchmarks.years[-2]
    # DfE's 2024 re-referrals are the year ending 31 March 2024: 2023/24 in the papers.
    assert (year.year, year.label, year.status) == ("2024", "2023/24", "")
    assert (year.first_day, year.last_day) == (date(2023, 4, 1), date(2024, 3, 31))
    assert (year.area_value, year.england, year.region) == (
        Decimal("20.1"),
        Decimal("22.4"),
        Decimal("22.1"),
    )
    assert year.region_name == "South West"
    assert round(year.statistical_neighbours, 10) == Decimal("24.43")
    assert (year.neighbours_with_value, year.quartile, year.rank, year.authorities) == (
        10,
        "B",
        69,
        149,
    )


def test_each_indicator_reads_the_years_its_own_way(linked):
    found = benchmarks_for_indicators(indicator.pk for indicator in linked.values())
    assert len(found) == len(MEASURES)
    plans = found[linked["CPP_rate"].pk].latest
    # At 31 March 2025: 2024/25.
    assert (plans.year, plans.label, plans.first_day, plans.last_day) == (
        "2025",
        "2024/25",
        date(2025, 3, 31),
        date(2025, 3, 31),
    )
    results = found[linked["A3A"].pk]
    assert [(y.year, y.label, y.status) for y in results.years[2:4]] == [
        ("2018 (Rev)", "2017/18", "revised"),
        ("2019 (Rev)", "2018/19", "revised"),
    ]
    cover = found[linked["Vacancies_cover"].pk].latest
    assert (cover.label, cover.first_day) == ("2025", None)
    # Plymouth's "-" for 2025: no value, no band, no rank; the comparators are there.
    missing = found[linked["CPPlans2yrsActive"].pk].latest
    assert (missing.area_value, missing.quartile, missing.rank) == (None, "", None)
    assert missing.england == Decimal("2.3")


def test_benchmarks_take_three_queries_for_one_indicator_or_all(linked, django_assert_num_queries):
    # 1 the council and its list, 2 the indicators with their measures, 3 the comparators.
    with django_assert_num_queries(3):
        one = benchmarks_for_indicators([linked["ReReferral"].pk])
    with django_assert_num_queries(3):
        every = benchmarks_for_indicators([indicator.pk for indicator in linked.values()])
    assert len(one) == 1 and len(every) == 7
    assert sum(len(item.years) for item in every.values()) == LaitComparator.objects.count()


def test_comparators_worked_out_for_another_council_are_not_shown(linked):
    # The council's setting changed and its comparators are not worked out yet: none are
    # shown rather than another authority's.
    Council.objects.update(authority_number=880)
    assert benchmarks_for_indicators([linked["ReReferral"].pk]) == {}


def test_every_authoritys_value_for_a_distribution_chart(linked):
    distribution = authority_values("ReReferral", "2024")
    assert len(distribution.authorities) == 149  # the 9 with "-" are left out
    values = [authority.value for authority in distribution.authorities]
    assert values == sorted(values)
    [plymouth] = [a for a in distribution.authorities if a.is_council]
    assert (plymouth.code, plymouth.name, plymouth.value) == (879, "Plymouth", Decimal("20.1"))
    neighbours = sorted(a.code for a in distribution.authorities if a.is_neighbour)
    assert neighbours == sorted([880, 851, 894, 921, 882, 372, 839, 887, 874, 357])
    assert distribution.england == Decimal("22.4")
    assert round(distribution.statistical_neighbours, 10) == Decimal("24.43")
    assert (distribution.quartile, distribution.rank) == ("B", 69)
    assert all(a.region for a in distribution.authorities)  # no region or England among them


def test_the_distribution_takes_four_queries_at_any_size(linked, django_assert_num_queries):
    # 1 the council, 2 its neighbours, 3 the measure-year's values, 4 its stored comparators.
    with django_assert_num_queries(4):
        large = authority_values("ReReferral", "2024")
    with django_assert_num_queries(4):
        small = authority_values("CPPlans2yrsActive", "2024")
    with django_assert_num_queries(4):
        none = authority_values("ReReferral", "1999")
    assert (len(large.authorities), len(small.authorities), len(none.authorities)) == (
        149,
        100,
        0,
    )
    assert none.england is None and none.rank is None
