"""The change history of an indicator's figures, targets and commentary, from the
django-simple-history tables: who changed what, when, from what to what."""

import datetime as dt
from dataclasses import dataclass

from indicators import rules
from indicators.models import Commentary, Indicator, Target, Value
from indicators.periods import Month


@dataclass
class ChangeRecord:
    when: dt.datetime
    who: str
    kind: str  # "Figure", "Target", "Commentary"
    month: Month | None
    sentence: str
    reason: str = ""
    after_reporting: bool = False


def _who(record):
    user = record.history_user
    return user.get_username() if user is not None else "the system"


def _pairs(records, key):
    """Each history record with the one before it for the same object (oldest first)."""
    previous = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        yield record, previous.get(key(record))
        previous[key(record)] = record


def _figure_text(record, indicator):
    if record is None or record.history_type == "-":
        return "nothing"
    return rules.format_value(record.value, indicator.unit, indicator.decimal_places, record.status)


def _target_text(record, indicator):
    if record is None or record.history_type == "-":
        return "no target"
    unit, places = indicator.unit, indicator.decimal_places
    if record.kind == rules.ANTICIPATED_RANGE:
        span = rules.TargetSpan(
            None, record.label, kind=record.kind, lower=record.lower, upper=record.upper
        )
        return rules.describe_target(span, unit, places)
    if record.kind == rules.TRAJECTORY:
        start = rules.format_value(record.value, unit, places)
        goal = rules.format_value(record.goal_value, unit, places)
        text = (
            f"{start} in {Month.from_date(record.valid_from).label} to {goal} by "
            f"{Month.from_date(record.goal_month).label} (trajectory)"
        )
        return f"{text} {record.label}" if record.label else text
    return rules.format_target(record.value, unit, places, record.label)


def change_history(indicator: Indicator) -> list[ChangeRecord]:
    """Every recorded change for ``indicator``, newest first (three queries)."""
    changes: list[ChangeRecord] = []
    figures = Value.history.filter(indicator_id=indicator.id).select_related("history_user")
    reported: dict[Month, dt.datetime] = {}  # month -> first time a figure for it was recorded
    for record, before in _pairs(figures, key=lambda r: r.id):
        month = Month.from_date(record.period)
        reported.setdefault(month, record.history_date)
        old, new = _figure_text(before, indicator), _figure_text(record, indicator)
        if record.history_type == "+":
            sentence = f"{month.label} figure entered: {new}"
        elif record.history_type == "-":
            sentence = f"{month.label} figure removed (was {_figure_text(before, indicator)})"
        elif old == new:
            continue
        else:
            sentence = f"{month.label} figure changed from {old} to {new}"
        changes.append(
            ChangeRecord(
                record.history_date,
                _who(record),
                "Figure",
                month,
                sentence,
                record.history_change_reason or "",
            )
        )

    targets = Target.history.filter(indicator_id=indicator.id).select_related("history_user")
    for record, before in _pairs(targets, key=lambda r: r.id):
        start = Month.from_date(record.valid_from)
        old, new = _target_text(before, indicator), _target_text(record, indicator)
        if record.history_type == "~" and old == new:
            continue
        verb = {"+": "set", "-": "removed", "~": "changed"}[record.history_type]
        sentence = (
            f"Target from {start.label} changed from {old} to {new}"
            if verb == "changed"
            else f"Target from {start.label} {verb}: {new if verb == 'set' else old}"
        )
        # Figures already reported for months the target covers are now judged differently.
        after = any(
            month >= start and when < record.history_date for month, when in reported.items()
        )
        changes.append(
            ChangeRecord(
                record.history_date,
                _who(record),
                "Target",
                start,
                sentence,
                record.history_change_reason or "",
                after_reporting=after,
            )
        )

    comments = Commentary.history.filter(indicator_id=indicator.id).select_related("history_user")
    for record, before in _pairs(comments, key=lambda r: r.id):
        month = Month.from_date(record.period)
        verb = {"+": "written", "-": "removed", "~": "edited"}[record.history_type]
        if record.history_type == "~" and before is not None and before.text == record.text:
            continue
        changes.append(
            ChangeRecord(
                record.history_date,
                _who(record),
                "Commentary",
                month,
                f"{month.label} commentary {verb}"
                + (f": “{record.text[:200]}”" if record.history_type != "-" else ""),
            )
        )
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes
