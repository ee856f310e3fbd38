"""Publishing a month: figures are draft until an editor publishes the month; viewers see
published months only. Every publish and unpublish is kept with who, when and why.

Publishing is done with its eyes open: ``checklist`` says what the month still lacks (active
indicators with no figure, by priority; red figures with no commentary; plausibility warnings
nobody acknowledged) and the editor confirms having seen it. Publishing emails a digest of
the month to those who want one (``digest``).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from indicators import plausibility, rules
from indicators.judgement import Row
from indicators.models import Indicator, Priority, PublicationEvent, PublishedMonth, Value
from indicators.periods import Month
from intake.digest import queue_digest
from intake.grid import entry_groups


@dataclass
class Checklist:
    """What a month lacks before it is published."""

    month: Month
    entered: int = 0
    active: int = 0
    missing: list[tuple[Priority, list[Indicator]]] = field(default_factory=list)
    red_without_commentary: list[Row] = field(default_factory=list)
    warnings: list[tuple[Indicator, list[plausibility.PlausibilityWarning]]] = field(
        default_factory=list
    )
    # Commentary naming numbers below five beside counts of children: [(references, phrases)]
    small_numbers: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def missing_count(self) -> int:
        return sum(len(indicators) for _, indicators in self.missing)

    @property
    def is_clear(self) -> bool:
        return not (
            self.missing or self.red_without_commentary or self.warnings or self.small_numbers
        )


def checklist(month: Month) -> Checklist:
    """The month's checklist. Queries: the entry grid's four (headline measures, figures of
    the month and the year before, targets, commentary) and the acknowledged warnings."""
    groups = entry_groups(month)
    acknowledged = dict(
        Value.objects.in_month(month).values_list("indicator_id", "acknowledged_warnings")
    )
    result = Checklist(month)
    for priority, entries in groups:
        missing = []
        for entry in entries:
            result.active += 1
            if entry.value is None:
                missing.append(entry.indicator)
                continue
            result.entered += 1
            row = entry.row
            if row.rag is rules.Rag.RED and not row.commentary.strip():
                result.red_without_commentary.append(row)
            found = plausibility.check(
                entry.value,
                entry.indicator.unit,
                plausibility.recent_values(row.figures, month),
                decimal_places=entry.indicator.decimal_places,
            )
            found = plausibility.unacknowledged(found, acknowledged.get(entry.indicator.id, []))
            if found:
                result.warnings.append((entry.indicator, found))
        if missing:
            result.missing.append((priority, missing))
    result.small_numbers = _small_numbers_in_commentary(groups)
    return result


def _small_numbers_in_commentary(groups):
    """The month's commentary where a number below five sits beside a count of children (a
    look, not a block: "2 have moved on" beside a suppressed count gives it away)."""
    by_text = {}
    for _, entries in groups:
        for entry in entries:
            if entry.commentary.strip():
                by_text.setdefault(entry.commentary, []).append(entry.indicator.reference)
    found = []
    for text, references in by_text.items():
        phrases = rules.small_numbers_in_text(text)
        if phrases:
            found.append(("/".join(references), phrases))
    return found


@transaction.atomic
def publish(month: Month, user: User | None, when: dt.datetime | None = None) -> bool:
    when = when or timezone.now()
    _, created = PublishedMonth.objects.get_or_create(
        period=month.first_day, defaults={"published_by": user, "published_at": when}
    )
    if created:
        event = PublicationEvent.objects.create(
            period=month.first_day,
            action=PublicationEvent.Action.PUBLISH,
            user=user,
            at=when,
        )
        # Written with the publication, sent after it commits without holding the page.
        queue_digest(month, event)
    return created


@transaction.atomic
def unpublish(month: Month, user: User | None, reason: str) -> bool:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give a reason for unpublishing: it is kept with the month.")
    deleted, _ = PublishedMonth.objects.filter(period=month.first_day).delete()
    if deleted:
        PublicationEvent.objects.create(
            period=month.first_day,
            action=PublicationEvent.Action.UNPUBLISH,
            user=user,
            at=timezone.now(),
            reason=reason,
        )
    return bool(deleted)
