"""The LAIT models' rules, held by the database (named constraints) and by clean() alike."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from indicators.models import (
    Council,
    Indicator,
    LaitComparator,
    LaitMeasure,
    LaitValue,
    StatisticalNeighbour,
    StatisticalNeighbourList,
)

from .support.factories import make_indicator

pytestmark = pytest.mark.django_db


def refused_by_the_database(create, constraint):
    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        create()
    message = str(raised.value)
    if connection.vendor == "sqlite" and message.startswith("UNIQUE constraint failed"):
        return  # SQLite names the columns of a unique constraint, not the constraint
    assert constraint in message


@pytest.fixture
def measure():
    return LaitMeasure.objects.create(code="ReReferral", title="Re-referrals")


def test_reading_the_council_writes_nothing_and_councils_have_their_own_short_names(measure):
    council = Council.current()
    assert council._state.adding  # reading it wrote nothing
    assert council.name == settings.COUNCIL_NAME  # the default from settings
    council.save()
    Council(name="Another", slug="another").save()  # issue 23: a second council is a row
    assert Council.objects.count() == 2
    refused_by_the_database(lambda: Council(slug="another").save(), "slug")


@pytest.mark.parametrize("number", [99, 970, 990])
def test_the_council_is_an_authority(number):
    with pytest.raises(ValidationError, match="970 is England"):
        Council(authority_number=number).full_clean()
    refused_by_the_database(
        lambda: Council(authority_number=number).save(),
        "council_authority_number_is_an_authority",
    )


def test_an_indicator_linked_to_a_measure_says_how_its_years_line_up(measure):
    indicator = make_indicator("10")
    indicator.lait_measure = measure
    with pytest.raises(ValidationError, match="says how its years line up"):
        indicator.full_clean()
    refused_by_the_database(indicator.save, "indicator_lait_measure_has_year_alignment")
    indicator.lait_years = "financial_year"
    indicator.full_clean()
    indicator.save()
    assert Indicator.objects.get(lait_measure="ReReferral").reference == "10"
    unlinked = make_indicator("11")
    unlinked.lait_years = "financial_year"
    with pytest.raises(ValidationError):
        unlinked.full_clean()


def test_a_value_is_one_per_area_and_year(measure):
    LaitValue.objects.create(measure=measure, area_code=879, area_name="Plymouth", year="2024")
    refused_by_the_database(
        lambda: LaitValue.objects.create(
            measure=measure, area_code=879, area_name="Plymouth", year="2024", value=1
        ),
        "lait_value_one_per_area_and_year",
    )
    with pytest.raises(ValidationError, match="three digits"):
        LaitValue(measure=measure, area_code=1000, area_name="Nowhere", year="2024").full_clean()


def test_a_neighbour_has_a_place_in_ten_and_is_not_the_authority_itself():
    neighbours = StatisticalNeighbourList.objects.create(name="April 2021")
    for position, code, constraint in [
        (11, 880, "statistical_neighbour_position_1_to_10"),
        (1, 879, "statistical_neighbour_not_itself"),
    ]:
        row = StatisticalNeighbour(
            neighbour_list=neighbours, authority_code=879, position=position, neighbour_code=code
        )
        with pytest.raises(ValidationError):
            row.full_clean()
        refused_by_the_database(row.save, constraint)


def test_a_comparator_ranks_and_bands_only_a_value(measure):
    fields = {"measure": measure, "year": "2024", "year_order": 20242024, "authority_number": 879}
    for extra, constraint in [
        ({"rank": 3, "authorities": 150}, "lait_comparator_rank_among_authorities"),
        (
            {"area_value": 20.1, "rank": 151, "authorities": 150},
            "lait_comparator_rank_among_authorities",
        ),
        ({"quartile": "B"}, "lait_comparator_band_needs_a_value"),
        ({"area_value": 1.0, "quartile": "E"}, "lait_comparator_quartile_a_to_d"),
        ({"statistical_neighbours": 24.4}, "lait_comparator_mean_of_up_to_ten_neighbours"),
        ({"neighbours_with_value": 11}, "lait_comparator_mean_of_up_to_ten_neighbours"),
    ]:
        row = LaitComparator(**fields, **extra)
        with pytest.raises(ValidationError):
            row.full_clean()
        refused_by_the_database(row.save, constraint)
    LaitComparator(**fields, area_value=20.1, rank=69, authorities=149, quartile="B").full_clean()
