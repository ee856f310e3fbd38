"""Publishing a month: figures are draft until an editor publishes the month; viewers see
published months only. Every publish and unpublish is kept with who, when and why.

Publishing is done with its eyes open: ``checklist`` says what the month still lacks (active
indicators with no figure, by priority; red figures with no commentary; figures outside their
anticipated range; plausibility warnings nobody acknowledged; commentary naming small numbers;
priorities whose milestones have no update for the month; with sign-off on, commentary not yet
approved, which blocks publishing: ``sign_off``) and the editor confirms having seen it.
Every item names the grid row (or the milestone form, or the approval page) where it is put
right. Publishing emails a digest of the month to those who want one (``digest``).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from indicators import plausibility, rules
from indicators.judgement import Row
from indicators.models import (
    Commentary,
    Council,
    Indicator,
    Priority,
    PublicationEvent,
    PublishedMonth,
    Value,
)
from indicators.periods import Month
from intake.digest import queue_digest
from intake.grid import EntryGroups, entry_groups, fits_one_form
from intake.sign_off import refuse_publishing_unapproved, unapproved

OUTSIDE_RANGE = (rules.Rag.ABOVE_RANGE, rules.Rag.BELOW_RANGE)


@dataclass(frozen=True)
class CommentaryToCheck:
    """Commentary naming numbers below five beside counts of children: the indicators it is
    on (``34/35``), the phrases, and the row of the first of them (where to change it)."""

    references: str
    phrases: list[str]
    row: Row


@dataclass(frozen=True)
class MilestonesNotUpdated:
    """A priority some of whose milestones have no update for the month."""

    priority: Priority
    not_updated: int
    milestones: int


@dataclass
class Checklist:
    """What a month lacks before it is published."""

    month: Month
    entered: int = 0
    active: int = 0
    missing: list[tuple[Priority, list[Indicator]]] = field(default_factory=list)
    red_without_commentary: list[Row] = field(default_factory=list)
    outside_range: list[Row] = field(default_factory=list)
    # Each figure's row, with the warnings nobody acknowledged.
    warnings: list[tuple[Row, list[plausibility.PlausibilityWarning]]] = field(default_factory=list)
    small_numbers: list[CommentaryToCheck] = field(default_factory=list)
    milestones: list[MilestonesNotUpdated] = field(default_factory=list)
    # With the council's commentary sign-off on: the month's commentary not yet approved
    # (the month cannot be published until it is).
    sign_off: bool = False
    unapproved: list[Commentary] = field(default_factory=list)

    @property
    def missing_count(self) -> int:
        return sum(len(indicators) for _, indicators in self.missing)

    @property
    def is_clear(self) -> bool:
        return not (
            self.missing
            or self.red_without_commentary
            or self.outside_range
            or self.warnings
            or self.small_numbers
            or self.milestones
            or self.unapproved
        )

    @property
    def by_priority(self) -> bool:
        """Whether the grid is entered a priority at a time (too large for one form), so a
        link to a row names the row's priority as well."""
        return not fits_one_form(self.active)


def checklist(month: Month) -> Checklist:
    """The month's checklist. Queries: the entry grid's four (headline measures, figures of
    the month and the year before, targets, commentary), the acknowledged warnings, the
    priorities' milestones with those updated for the month and the council (whether
    commentary needs sign-off; if it does, the month's unapproved commentary)."""
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
            if row.rag in OUTSIDE_RANGE:
                result.outside_range.append(row)
            found = plausibility.check(
                entry.value,
                entry.indicator.unit,
                plausibility.recent_values(row.figures, month),
                decimal_places=entry.indicator.decimal_places,
            )
            found = plausibility.unacknowledged(found, acknowledged.get(entry.indicator.id, []))
            if found:
                result.warnings.append((row, found))
        if missing:
            result.missing.append((priority, missing))
    result.small_numbers = _small_numbers_in_commentary(groups)
    result.milestones = milestones_not_updated(month)
    result.sign_off = Council.current().commentary_sign_off
    if result.sign_off:
        result.unapproved = unapproved(month)
    return result


def milestones_not_updated(month: Month) -> list[MilestonesNotUpdated]:
    """The priorities with milestones not updated for ``month``, in the dashboard's order (one
    query: each priority with its milestones counted, and those with an update that month)."""
    priorities = (
        Priority.objects.annotate(
            milestone_count=Count("milestones", distinct=True),
            updated=Count(
                "milestones",
                filter=Q(milestones__updates__period=month.first_day),
                distinct=True,
            ),
        )
        .filter(milestone_count__gt=0)
        .order_by("display_order", "number")
    )
    return [
        MilestonesNotUpdated(p, p.milestone_count - p.updated, p.milestone_count)
        for p in priorities
        if p.updated < p.milestone_count
    ]


def _small_numbers_in_commentary(groups: EntryGroups) -> list[CommentaryToCheck]:
    """The month's commentary where a number below five sits beside a count of children (a
    look, not a block: "2 have moved on" beside a suppressed count gives it away)."""
    by_text: dict[str, list[Row]] = {}
    for _, entries in groups:
        for entry in entries:
            if entry.commentary.strip():
                by_text.setdefault(entry.commentary, []).append(entry.row)
    found = []
    for text, rows in by_text.items():
        phrases = rules.small_numbers_in_text(text)
        if phrases:
            references = "/".join(row.indicator.reference for row in rows)
            found.append(CommentaryToCheck(references, phrases, rows[0]))
    return found


@transaction.atomic
def publish(month: Month, user: User | None, when: dt.datetime | None = None) -> bool:
    """Publish ``month``; with the council's commentary sign-off on, refused (ValidationError)
    while any of its commentary is not approved."""
    refuse_publishing_unapproved(month)
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
