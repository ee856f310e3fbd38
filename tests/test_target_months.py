"""Targets as councils write them (issue 14): a target that ends on the last day of a month or
financial year, trajectories and anticipated ranges checked by the model and the database;
and new priorities sorting after the existing ones."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from indicators.models import Priority, Target
from indicators.periods import (
    FinancialYear,
    Month,
    month_ending_on,
    parse_end_month,
    parse_financial_year,
    parse_start_month,
)

from .support.factories import make_indicator, make_priority

D = Decimal


# Pure: target periods as written ------------------------------------------------------------
@pytest.mark.parametrize(
    ("written", "expected"),
    [
        pytest.param("31/03/2024", Month(2024, 3), id="last-day-uk"),
        pytest.param("2024-03-31", Month(2024, 3), id="last-day-iso"),
        pytest.param(dt.datetime(2024, 3, 31), Month(2024, 3), id="last-day-date-cell"),
        pytest.param(dt.date(2024, 2, 29), Month(2024, 2), id="leap-day"),
        pytest.param("01/03/2024", Month(2024, 3), id="first-day-as-stored"),
        pytest.param("Mar-24", Month(2024, 3), id="month"),
        pytest.param("March 2024", Month(2024, 3), id="month-in-words"),
        pytest.param("2023/24", Month(2024, 3), id="financial-year-ends-march"),
        pytest.param("2023-24", Month(2024, 3), id="financial-year-dash"),
        pytest.param("FY 2023/2024", Month(2024, 3), id="financial-year-long"),
        pytest.param("2023/12", Month(2023, 12), id="not-a-financial-year-a-month"),
    ],
)
def test_a_target_may_end_as_people_write_it(written, expected):
    assert parse_end_month(written) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        pytest.param("01/04/2023", Month(2023, 4), id="first-day"),
        pytest.param("Apr-23", Month(2023, 4), id="month"),
        pytest.param("2023/24", Month(2023, 4), id="financial-year-starts-april"),
        pytest.param(dt.datetime(2022, 10, 1), Month(2022, 10), id="date-cell"),
    ],
)
def test_a_target_may_start_as_people_write_it(written, expected):
    assert parse_start_month(written) == expected


@pytest.mark.parametrize(
    ("parse", "written", "reason"),
    [
        pytest.param(parse_end_month, "15/03/2024", "not the end of a month", id="mid-month-end"),
        pytest.param(parse_end_month, "30/02/2024", "not a date", id="no-such-day"),
        pytest.param(parse_end_month, "soon", "not a month", id="words"),
        pytest.param(parse_start_month, "31/03/2024", "not the start of a month", id="end-start"),
    ],
)
def test_a_period_that_is_not_a_month_is_refused_with_a_reason(parse, written, reason):
    with pytest.raises(ValueError, match=reason):
        parse(written)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2023/24", FinancialYear(2023)),
        ("1999/00", FinancialYear(1999)),
        ("2023/25", None),
        ("Sep-23", None),
        (2023, None),
    ],
)
def test_financial_years_as_written(written, expected):
    assert parse_financial_year(written) == expected


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2024, 3, 31), Month(2024, 3)),
        (dt.date(2024, 3, 1), Month(2024, 3)),
        (dt.date(2023, 2, 28), Month(2023, 2)),
        (dt.date(2024, 2, 28), None),  # a leap year: the 29th is the last day
        (dt.date(2024, 3, 30), None),
    ],
)
def test_the_month_a_date_ends(date, expected):
    assert month_ending_on(date) == expected


# The model and the database --------------------------------------------------------------
@pytest.fixture
def indicator(db):
    return make_indicator("80", make_priority(1), unit="percentage", polarity="lower_is_better")


def test_a_target_ending_31_march_2024_is_accepted_and_stored_as_the_month(indicator):
    target = Target(
        indicator=indicator,
        value=D("25"),
        valid_from=dt.date(2023, 4, 1),
        valid_to=dt.date(2024, 3, 31),
    )
    target.full_clean()
    target.save()
    target.refresh_from_db()
    assert target.valid_to == dt.date(2024, 3, 1)
    assert target.as_rule().valid_to == Month(2024, 3)


def test_a_target_saved_without_cleaning_keeps_its_end_as_the_month(indicator):
    target = Target.objects.create(
        indicator=indicator, value=D("25"), valid_from="2023-04-01", valid_to=dt.date(2024, 3, 31)
    )
    target.refresh_from_db()
    assert target.valid_to == dt.date(2024, 3, 1)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param({"valid_to": dt.date(2024, 3, 15)}, "give its 1st or its last day", id="mid"),
        pytest.param({"valid_from": dt.date(2023, 4, 2)}, "use the 1st of the month", id="start"),
        pytest.param({"value": None}, "needs a value", id="no-value"),
        pytest.param({"kind": "trajectory"}, "goal value and a goal month", id="no-goal"),
        pytest.param(
            {"kind": "trajectory", "goal_value": D("20"), "goal_month": dt.date(2023, 4, 1)},
            "goal month comes after",
            id="goal-not-after-start",
        ),
        pytest.param(
            {
                "kind": "trajectory",
                "goal_value": D("20"),
                "goal_month": dt.date(2024, 3, 1),
                "valid_to": dt.date(2023, 12, 31),
            },
            "ends in its goal month or later",
            id="ends-before-goal",
        ),
        pytest.param({"goal_value": D("20")}, "Only a trajectory", id="goal-on-fixed"),
        pytest.param({"kind": "range"}, "no value", id="range-with-value"),
        pytest.param(
            {"kind": "range", "value": None}, "lower and an upper end", id="range-without-ends"
        ),
        pytest.param(
            {"kind": "range", "value": None, "lower": D("60"), "upper": D("40")},
            "not below its lower end",
            id="range-upside-down",
        ),
        pytest.param({"lower": D("40")}, "Only an anticipated range", id="ends-on-fixed"),
    ],
)
def test_a_target_that_does_not_fit_its_kind_is_refused_in_words(indicator, fields, message):
    values = {"indicator": indicator, "value": D("30"), "valid_from": dt.date(2023, 4, 1)}
    with pytest.raises(ValidationError, match=message):
        Target(**{**values, **fields}).full_clean()


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"kind": "trajectory"}, id="trajectory-without-goal"),
        pytest.param({"kind": "range", "value": None, "lower": 60, "upper": 40}, id="range-down"),
        pytest.param({"kind": "range"}, id="range-with-value-no-ends"),
        pytest.param({"value": None}, id="fixed-without-value"),
        pytest.param({"kind": "someday"}, id="unknown-kind"),
    ],
)
def test_the_database_refuses_a_target_that_does_not_fit_its_kind(indicator, fields):
    values = {"indicator": indicator, "value": D("30"), "valid_from": "2023-04-01"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(**{**values, **fields})


def test_a_trajectory_and_a_range_are_stored_and_read_back_as_rules(indicator):
    Target.objects.create(
        indicator=indicator,
        kind="trajectory",
        value=D("37.9"),
        valid_from="2022-10-01",
        goal_value=D("25"),
        goal_month=dt.date(2023, 10, 31),
    )
    other = make_indicator("81", unit="rate_per_10000", polarity="neither", decimal_places=0)
    Target.objects.create(
        indicator=other, kind="range", lower=D("400"), upper=D("550"), valid_from="2022-04-01"
    )
    spans = Target.objects.all().spans_by_indicator()
    trajectory = spans[indicator.id][0]
    assert trajectory.is_trajectory and trajectory.goal_month == Month(2023, 10)
    assert trajectory.places == 1  # the indicator's decimal places, joined in the same query
    assert trajectory.trajectory_value(Month(2023, 3)) == D("32.5")
    band = spans[other.id][0]
    assert band.is_range and (band.lower, band.upper) == (D("400"), D("550"))


# Priorities ------------------------------------------------------------------------------
def test_a_new_priority_with_no_place_given_sorts_after_the_existing_ones(db):
    for number in (1, 2, 3):
        make_priority(number)
    new = Priority.objects.create(number=7, title="Stable workforce")
    assert new.display_order == 4
    assert [p.number for p in Priority.objects.all()] == [1, 2, 3, 7]


def test_the_first_priority_with_no_place_given_comes_first(db):
    assert Priority.objects.create(number=5, title="Only one").display_order == 1


def test_a_priority_given_a_place_keeps_it(db):
    make_priority(1)
    make_priority(2)
    assert Priority.objects.create(number=9, title="First", display_order=0).display_order == 0
    assert [p.number for p in Priority.objects.all()] == [9, 1, 2]


def test_the_admin_form_leaves_the_place_blank_for_a_new_priority(administrator, client):
    make_priority(1)
    client.force_login(administrator)
    response = client.post(
        "/admin/indicators/priority/add/",
        {
            "number": "2",
            "title": "Early help",
            "display_order": "",
            "priorityindicator_set-TOTAL_FORMS": "0",
            "priorityindicator_set-INITIAL_FORMS": "0",
            "milestones-TOTAL_FORMS": "0",
            "milestones-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.text[:2000]
    assert Priority.objects.get(number=2).display_order == 2


def test_the_admin_accepts_a_target_ending_31_march_2024(administrator, client, indicator):
    """The refused save of issue 14: 'use the 1st of the month'."""
    client.force_login(administrator)
    response = client.post(
        "/admin/indicators/target/add/",
        {
            "indicator": indicator.pk,
            "kind": "target",
            "value": "25",
            "valid_from": "01/04/2023",
            "valid_to": "31/03/2024",
            "tolerance": "0.15",
        },
    )
    assert response.status_code == 302, response.text[:3000]
    assert Target.objects.get().valid_to == dt.date(2024, 3, 1)


def test_the_admin_refuses_a_target_ending_mid_month_in_words(administrator, client, indicator):
    client.force_login(administrator)
    response = client.post(
        "/admin/indicators/target/add/",
        {
            "indicator": indicator.pk,
            "kind": "target",
            "value": "25",
            "valid_from": "01/04/2023",
            "valid_to": "15/03/2024",
            "tolerance": "0.15",
        },
    )
    assert response.status_code == 200
    assert "A target ends on a month: give its 1st or its last day" in response.text
    assert not Target.objects.exists()


def test_create_administrator_makes_one_administrator_and_prints_its_password_once(db):
    import io

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from indicators import roles

    out = io.StringIO()
    call_command("create_administrator", stdout=out)
    password = out.getvalue().split("password: ")[1].split()[0]
    user = get_user_model().objects.get(username="admin")
    assert user.check_password(password) and user.is_staff and not user.is_superuser
    assert roles.roles_of(user) == {roles.ADMINISTRATOR}
    again = io.StringIO()
    call_command("create_administrator", stdout=again)
    assert "already exists; its password is unchanged" in again.getvalue()
    user.refresh_from_db()
    assert user.check_password(password)
