"""A row of each model that only month-end work, the API, an administrator's limits, a
councillor's question or an event make (reminders and the outbox, API tokens and their uses,
editors limited to priorities, questions, events on the charts), for the tests that walk every
admin page."""

import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from indicators.models import (
    ApiToken,
    Consortium,
    ConsortiumMember,
    Council,
    Event,
    Indicator,
    LaitMeasure,
    Priority,
    PriorityEditor,
    Question,
    SharedIndicator,
)


def give_later_models_a_row(username: str) -> None:
    """``username`` (an editor) owns an indicator missing from October 2023, is reminded of it
    on a day in the reminder window, is limited to priority 1, and reads the API once with a
    token of their own."""
    user = get_user_model().objects.get(username=username)
    if not user.email:
        user.email = f"{username}@example.org"
        user.save(update_fields=["email"])
    Indicator.objects.filter(reference="7").update(owner=user)
    # October's figures are due on the fifth working day of November: the 7th.
    call_command(
        "send_reminders", "--month", "2023-10", "--today", "2023-11-06", stdout=io.StringIO()
    )
    PriorityEditor.objects.get_or_create(user=user, priority=Priority.objects.order_by("number")[0])
    _, secret = ApiToken.issue(user, "Power BI")
    Client().get("/api/v1/priorities/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    # A councillor's question, assigned to them and due at the next meeting.
    Question.objects.get_or_create(
        text="Why did re-referrals rise?",
        indicator=Indicator.objects.get(reference="7"),
        defaults={"assigned_to": user, "due_date": "2023-12-05"},
    )
    # An event on the charts: the front door opened, changing the process.
    Event.objects.get_or_create(
        label="New front door opened",
        indicator=Indicator.objects.get(reference="7"),
        defaults={"period": dt.date(2023, 4, 1), "changed_process": True, "recorded_by": user},
    )
    # A consortium the council belongs to, sharing one indicator under its LAIT measure.
    consortium, _ = Consortium.objects.get_or_create(slug="south-west", name="South West")
    ConsortiumMember.objects.get_or_create(consortium=consortium, council=Council.current())
    indicator = Indicator.objects.get(reference="7")
    if indicator.lait_measure_id is None:
        indicator.lait_measure = LaitMeasure.objects.order_by("pk").first() or (
            LaitMeasure.objects.create(code="MashDecisions", title="Decisions in 24 hours")
        )
        indicator.lait_years = "financial_year"
        indicator.save()
    SharedIndicator.objects.get_or_create(
        consortium=consortium, indicator=indicator, defaults={"from_month": "2023-07-01"}
    )
