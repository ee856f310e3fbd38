"""Load a scorecard transcribed from a committee paper (fixtures/plymouth_2023.json).

The fixture's figures are loaded exactly as published; ``add_synthetic_history`` may add a
clearly flagged demonstration history before them so the charts have a shape.
"""

import datetime as dt
import json
import random
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from indicators.changes import data_changed
from indicators.models import (
    Commentary,
    CommitteeMeeting,
    Council,
    Indicator,
    Milestone,
    MilestoneUpdate,
    Population,
    Priority,
    PriorityIndicator,
    Question,
    Target,
    Value,
)
from indicators.periods import Month
from intake.publishing import publish

SEED_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "plymouth_2023.json"


def number(value: float | None) -> Decimal | None:
    """A fixture's number (JSON float or int) as an exact Decimal; None stays None."""
    return None if value is None else Decimal(str(value))


def load_values(indicator: Indicator, values: Mapping[str, Mapping[str, Any]]) -> None:
    """A fixture's published monthly figures, ``{"2023-09": {"value": ..., ...}}``, created
    or updated in place."""
    for iso, figure in values.items():
        Value.objects.update_or_create(
            indicator=indicator,
            period=Month.parse(iso).first_day,
            defaults={
                "value": number(figure.get("value")),
                "status": figure.get("status", Value.Status.ACTUAL),
                "numerator": number(figure.get("numerator")),
                "denominator": number(figure.get("denominator")),
                "synthetic": False,
            },
        )


def indicator_fields(item: Mapping[str, Any], frequency: str) -> dict[str, Any]:
    """An indicator's own fields as a fixture writes them; ``frequency`` where it names none."""
    return {
        "description": item["description"],
        "definition": item.get("definition", ""),
        "unit": item["unit"],
        "polarity": item["polarity"],
        "frequency": item.get("frequency", frequency),
        "measure_basis": item["measure_basis"],
        "decimal_places": item["decimal_places"],
    }


def load_council(data: Mapping[str, Any]) -> None:
    """The council whose paper the fixture is: its name and committee go into the council's
    row (an administrator may change them later)."""
    if "council" not in data:
        return
    council = Council.current()
    council.name = data["council"]
    council.committee_name = data.get("committee", council.committee_name)
    council.save()
    for meeting in data.get("meetings", []):
        CommitteeMeeting.objects.update_or_create(
            committee=council.committee_name,
            date=dt.date.fromisoformat(meeting["date"]),
            defaults={"reviews": Month.parse(meeting["reviews"]).first_day},
        )


def load_populations(data: Mapping[str, Any]) -> None:
    """The fixture's population denominators (each age band's count and its source)."""
    for population in data.get("populations", []):
        Population.objects.update_or_create(
            age_from=population["age_from"],
            age_to=population["age_to"],
            valid_from=Month.parse(population["valid_from"]).first_day,
            defaults={
                "name": population["name"],
                "value": population["value"],
                "source": population["source"],
            },
        )


@transaction.atomic
def load_seed(path: str | Path = SEED_FIXTURE) -> dict[str, Any]:
    """Create or update everything in the fixture; loading twice changes nothing."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    load_council(data)
    load_populations(data)
    indicators: dict[str, Indicator] = {}
    for item in data["indicators"]:
        indicator, _ = Indicator.objects.update_or_create(
            reference=item["reference"],
            defaults=indicator_fields(item, Indicator.Frequency.MONTHLY),
        )
        indicators[indicator.reference] = indicator
        load_values(indicator, item.get("values", {}))
        target = item.get("target")
        if target is not None:
            Target.objects.update_or_create(
                indicator=indicator,
                valid_from=Month.parse(target["valid_from"]).first_day,
                defaults={
                    "value": number(target["value"]),
                    "label": target.get("label", ""),
                },
            )
    for item in data["priorities"]:
        priority, _ = Priority.objects.update_or_create(
            number=item["number"],
            defaults={
                "title": item["title"],
                "commitment": item.get("commitment", ""),
                "lead_officer": item.get("lead_officer", ""),
                "display_order": item["number"],
            },
        )
        for order, reference in enumerate(item["indicators"]):
            PriorityIndicator.objects.update_or_create(
                priority=priority,
                indicator=indicators[reference],
                defaults={"display_order": order},
            )
            # The paper names a lead officer per priority: each measure's lead is that of
            # the first priority it is listed under.
            indicator = indicators[reference]
            if priority.lead_officer and not indicator.lead_officer:
                indicator.lead_officer = priority.lead_officer
                indicator.save(update_fields=["lead_officer"])
        for order, milestone_data in enumerate(item.get("milestones", [])):
            milestone, _ = Milestone.objects.update_or_create(
                priority=priority,
                workstream=milestone_data["workstream"],
                defaults={
                    "owner": milestone_data.get("owner", ""),
                    "display_order": order,
                },
            )
            for iso, update in milestone_data.get("updates", {}).items():
                MilestoneUpdate.objects.update_or_create(
                    milestone=milestone,
                    period=Month.parse(iso).first_day,
                    defaults={
                        "status": update.get("status", ""),
                        "direction": update.get("direction", ""),
                        "this_period": update.get("this_period", ""),
                        "next_period": update.get("next_period", ""),
                    },
                )
    # The committee paper is a published report: its months are published.
    seed_months = {iso for item in data["indicators"] for iso in item.get("values", {})}
    for iso in sorted(seed_months):
        publish(Month.parse(iso), None)
    for item in data.get("commentary", []):
        for reference in item["indicators"]:
            Commentary.objects.update_or_create(
                indicator=indicators[reference],
                period=Month.parse(item["period"]).first_day,
                defaults={"text": item["text"]},
            )
    return data


@transaction.atomic
def add_synthetic_history(months: int = 36, seed: int = 2023) -> int:
    """Add ``months`` of made-up figures before each indicator's first real one, flagged
    ``synthetic`` so no page or export can mistake them for published figures."""
    rng = random.Random(seed)
    created = []
    for indicator in Indicator.objects.order_by("reference"):
        real = list(
            indicator.values.filter(synthetic=False, value__isnull=False).order_by("period")
        )
        if not real:
            continue
        first = Month.from_date(real[0].period)
        first_value = real[0].value
        assert first_value is not None  # only figures with a value were loaded
        level = float(first_value)
        spread = max(abs(level) * 0.06, 1.0 if indicator.unit == "count" else 0.5)
        for offset in range(1, months + 1):
            level += rng.gauss(0, spread)
            level = _bounded(level, indicator.unit)
            created.append(
                Value(
                    indicator=indicator,
                    period=first.plus(-offset).first_day,
                    value=Decimal(str(round(level, indicator.decimal_places))),
                    synthetic=True,
                )
            )
    Value.objects.filter(synthetic=True).delete()
    Value.objects.bulk_create(created)
    data_changed()  # bulk_create sends no signals
    # Published so that a viewer's charts have a shape; every figure stays flagged synthetic.
    # Each month as if published on the 20th of the month after it, so the publishing history
    # reads in order.
    for month in sorted({Month.from_date(value.period) for value in created}):
        published = month.plus(1).first_day.replace(day=20)
        publish(month, None, dt.datetime.combine(published, dt.time(9), dt.UTC))
    return len(created)


def _bounded(level, unit):
    if unit == "percentage":
        return min(max(level, 0.0), 100.0)
    return max(level, 0.0)


# The demonstration's August 2023 meeting of the scrutiny committee (issue 26): made up, in
# the spirit of the seed minutes (members asking for trajectories, 12-month targets, reasons
# behind reds and updates "at the next meeting"), so the Sep-23 pack's "Since the last
# committee" and "Actions from the last meeting" have something to show. (kind, about: an
# indicator reference or "priority N", text, due, status, answer and the day it was given.)
DEMO_MEETING_DATE = dt.date(2023, 8, 22)
DEMO_MEETING_REVIEWS = "2023-07"
DEMO_QUESTIONS: list[tuple[str, str, str, str, str, str, str]] = [
    (
        Question.Kind.ACTION,
        "77",
        "Members asked for a trajectory for the social worker vacancy rate, so that progress "
        "in converting agency staff to permanent posts can be checked at each meeting.",
        "2023-10-13",
        Question.Status.ANSWERED,
        "A trajectory is set from October 2023: 12.6% now, falling to 10.0% by March 2024 as "
        "the second recruitment round's permanent starters replace agency workers.",
        "2023-10-09",
    ),
    (
        Question.Kind.ACTION,
        "76",
        "Officers to set out, with the Cabinet Member, the turnover target the service should "
        "reach in 12 months' time, so that members can see whether it is on course.",
        "2023-10-31",
        Question.Status.ANSWERED,
        "The target for September 2024 is 15.0%, against 17.0% this year; the retention "
        "payments agreed in September are expected to bring most of the fall.",
        "2023-10-20",
    ),
    (
        Question.Kind.QUESTION,
        "7",
        "What lies behind the red rating for MASH contact decisions within one working day, "
        "and when will the service be back at its 90% target?",
        "2023-09-30",
        Question.Status.ANSWERED,
        "Contacts rose by a fifth over the summer while two practice managers' posts were "
        "vacant. Both are filled from September, and the service expects to be above 80% by "
        "December and at target by March 2024.",
        "2023-09-26",
    ),
    (
        Question.Kind.QUESTION,
        "priority 4",
        "If the number of children in care rises to the level expected, will there be enough "
        "foster placements to avoid more residential placements?",
        "2023-09-30",
        Question.Status.CLOSED,
        "The fostering recruitment campaign launched in September aims for 20 new "
        "fostering households this year; residential placements are reviewed monthly.",
        "2023-09-28",
    ),
    (
        Question.Kind.ACTION,
        "73",
        "Officers to report at the next meeting on the plan to bring care leavers' case "
        "supervision back within timescale.",
        "2023-10-31",
        Question.Status.OPEN,
        "",
        "",
    ),
]


@transaction.atomic
def add_demo_meeting(officer: User | None = None, councillor: User | None = None) -> int:
    """The demonstration's August 2023 meeting (reviewing Jul-23) and the questions and
    actions raised at it, assigned to ``officer`` and raised by ``councillor`` (actions by the
    officer, who recorded them); one still open past its due date. Adds the questions only
    when the meeting has none, so running it twice changes nothing; how many it added."""
    council = Council.current()
    meeting, _ = CommitteeMeeting.objects.update_or_create(
        committee=council.committee_name,
        date=DEMO_MEETING_DATE,
        defaults={"reviews": Month.parse(DEMO_MEETING_REVIEWS).first_day},
    )
    if meeting.questions.exists():
        return 0
    raised_at = timezone.make_aware(dt.datetime.combine(DEMO_MEETING_DATE, dt.time(11)))
    for kind, about, text, due, status, answer, answered in DEMO_QUESTIONS:
        subject: dict[str, Any] = (
            {"priority": Priority.objects.get(number=int(about.split()[1]))}
            if about.startswith("priority")
            else {"indicator": Indicator.objects.get(reference=about)}
        )
        Question.objects.create(
            kind=kind,
            text=text,
            meeting=meeting,
            raised_by=officer if kind == Question.Kind.ACTION else councillor,
            raised_at=raised_at,
            assigned_to=officer,
            due_date=dt.date.fromisoformat(due),
            answer=answer,
            answered_by=officer if answer else None,
            answered_at=(
                timezone.make_aware(
                    dt.datetime.combine(dt.date.fromisoformat(answered), dt.time(16))
                )
                if answered
                else None
            ),
            status=status,
            **subject,
        )
    return len(DEMO_QUESTIONS)
