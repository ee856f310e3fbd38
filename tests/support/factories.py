"""Factory functions for test data; the seed fixture is for acceptance tests."""

from decimal import Decimal

from django.contrib.auth import get_user_model

from indicators import roles
from indicators.models import Indicator, Priority, PriorityIndicator, Target, Value
from indicators.periods import Month


def make_user(username, role=None, password="a-long-test-password"):
    user = get_user_model().objects.create_user(username=username, password=password)
    if role:
        roles.grant(user, role)
    return user


def make_priority(number=1, **fields):
    fields.setdefault("title", f"Priority {number}")
    fields.setdefault("lead_officer", "Service Director")
    fields.setdefault("display_order", number)
    return Priority.objects.create(number=number, **fields)


def make_indicator(reference, priority=None, order=0, **fields):
    fields.setdefault("description", f"Indicator {reference}")
    fields.setdefault("unit", Indicator.Unit.PERCENTAGE)
    fields.setdefault("polarity", Indicator.Polarity.HIGHER_IS_BETTER)
    fields.setdefault("measure_basis", Indicator.MeasureBasis.SNAPSHOT)
    indicator = Indicator.objects.create(reference=reference, **fields)
    if priority is not None:
        PriorityIndicator.objects.create(
            priority=priority, indicator=indicator, display_order=order
        )
    return indicator


def make_target(indicator, value, valid_from="2020-01", label="", **fields):
    return Target.objects.create(
        indicator=indicator,
        value=Decimal(str(value)),
        valid_from=Month.parse(valid_from).first_day,
        label=label,
        **fields,
    )


def make_values(indicator, first_month, values):
    """Consecutive monthly figures from ``first_month`` (``None`` = not available)."""
    month = Month.parse(first_month)
    created = []
    for number in values:
        created.append(
            Value(
                indicator=indicator,
                period=month.first_day,
                value=None if number is None else Decimal(str(number)),
                status=Value.Status.NOT_AVAILABLE if number is None else Value.Status.ACTUAL,
            )
        )
        month = month.plus(1)
    return Value.objects.bulk_create(created)
