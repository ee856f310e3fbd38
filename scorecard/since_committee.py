"""What changed since the last committee: between the month the previous meeting reviewed and
this month, from the judged rows of both months exactly as the pages judge them.

The previous month P is the one the latest ``CommitteeMeeting`` reviewing a month before M
reviewed; with no such meeting, the month before M. Both months are loaded with
``queries.load_scorecard(..., suppress=True)`` as a viewer (published months only) or an
editor (drafts marked) would see them, so nothing here says more than the tables do: a RAG
or SPC change is only listed where both months' judgements are shown (never beside an "x"
whose possible values are rated differently), and a revision's previous figure is written as
``Row.revision_text`` writes it (an "x" where it would disclose a small count).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from indicators import rules
from indicators.judgement import SPC_MONTHS, Row
from indicators.models import CommitteeMeeting
from indicators.periods import Month
from scorecard import queries

# The groups of changes, in the order the page and the pack list them.
TURNED_RED = "Turned red"
LEFT_RED = "No longer red"
RAG_CHANGED = "Other RAG changes"
NEW_SIGNALS = "New SPC signals"
TARGETS_CHANGED = "Targets changed"
REVISIONS = "Figures revised after publication"
NEW_EXCEPTIONS = "New exceptions: red or worsening"
GROUPS = (
    TURNED_RED,
    LEFT_RED,
    RAG_CHANGED,
    NEW_SIGNALS,
    TARGETS_CHANGED,
    REVISIONS,
    NEW_EXCEPTIONS,
)
# RAGs that say nothing about a figure's performance: never a "change" to report.
_NOT_JUDGED = (rules.Rag.SUPPRESSED, rules.Rag.NO_DATA)


@dataclass(frozen=True)
class Change:
    """One change: the indicator's reference and name, what changed in words, and a link to
    the indicator's page for the month."""

    group: str
    reference: str
    name: str
    text: str
    url: str


@dataclass
class SinceCommittee:
    """The changes between ``previous`` (the month the last meeting reviewed) and ``month``."""

    month: Month
    previous: Month
    meeting: CommitteeMeeting | None
    changes: list[Change] = field(default_factory=list)
    draft_months: list[Month] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"Since the last committee: {self.previous.label} to {self.month.label}"

    @property
    def groups(self) -> list[tuple[str, list[Change]]]:
        """[(group, its changes)] in ``GROUPS`` order, every group (an empty one says so)."""
        return [(name, [c for c in self.changes if c.group == name]) for name in GROUPS]

    def of(self, group: str) -> list[Change]:
        return [change for change in self.changes if change.group == group]


def previous_meeting(month: Month) -> CommitteeMeeting | None:
    """The latest meeting that reviewed a month before ``month``: one query."""
    meetings = CommitteeMeeting.objects.filter(reviews__lt=month.first_day)
    return meetings.order_by("-reviews", "-date", "committee").first()


def since_committee(
    month: Month, *, published_only: bool = True, published: set[Month] | None = None
) -> SinceCommittee:
    """What changed between the previous meeting's month and ``month``, as a viewer
    (``published_only``) or an editor sees it. Queries: the previous meeting, then
    ``load_scorecard`` for each month."""
    meeting = previous_meeting(month)
    previous = Month.from_date(meeting.reviews) if meeting and meeting.reviews else None
    previous = previous or month.previous()
    now, before = (
        queries.load_scorecard(
            shown,
            months_shown=1,
            history_months=SPC_MONTHS,
            published_only=published_only,
            suppress=True,
            published=published,
            benchmarks=False,
        )
        for shown in (month, previous)
    )
    before_rows = {row.indicator.id: row for row in before.rows}
    # Revisions made since the meeting; with none, since the month after the previous one.
    since = meeting.date if meeting else month.first_day
    changes: list[Change] = []
    seen: set[int] = set()
    for row in now.rows:
        if row.indicator.id in seen:
            continue  # an indicator under two priorities is listed once
        seen.add(row.indicator.id)
        changes += row_changes(row, before_rows.get(row.indicator.id), since)
    changes.sort(key=lambda change: GROUPS.index(change.group))
    drafts = sorted(set(now.draft_months) | set(before.draft_months))
    return SinceCommittee(month, previous, meeting, changes, drafts)


def row_changes(row: Row, before: Row | None, since: dt.date) -> list[Change]:
    """The changes of one indicator: ``row`` judged in the month, ``before`` in the previous
    meeting's month (None when it was not on the scorecard then), revisions after ``since``."""
    found: list[tuple[str, str]] = []
    # Beside an "x" in either month, neither its rating nor its direction is described.
    hidden = row.is_suppressed(row.month) or (
        before is not None and before.is_suppressed(before.month)
    )
    if before is not None:
        if not hidden:
            found += _rag_changes(row, before)
        found += _signal(row, before)
        found += _target(row, before)
    found += _revisions(row, since)
    if not hidden and row.is_exception and not (before is not None and before.is_exception):
        found.append(
            (
                NEW_EXCEPTIONS,
                f"{row.rag_name}; direction of travel: {row.direction.accessible_name}.",
            )
        )
    url = reverse("indicator", args=[row.indicator.reference]) + f"?period={row.month.iso}"
    return [
        Change(group, row.indicator.reference, row.indicator.description, text, url)
        for group, text in found
    ]


def _rag_changes(row: Row, before: Row) -> list[tuple[str, str]]:
    if row.rag in _NOT_JUDGED or before.rag in _NOT_JUDGED or row.rag is before.rag:
        return []
    text = (
        f"{before.rag.label} in {before.month.label} ({before.current_display}), "
        f"{row.rag.label} in {row.month.label} ({row.current_display})."
    )
    if row.rag is rules.Rag.RED:
        return [(TURNED_RED, text)]
    if before.rag is rules.Rag.RED:
        return [(LEFT_RED, text)]
    return [(RAG_CHANGED, text)]


def _signal(row: Row, before: Row) -> list[tuple[str, str]]:
    """A special cause in the month's SPC result that was not in the previous month's."""
    if row.spc is None or row.spc.variation.kind == "common":
        return []
    if before.spc is not None and before.spc.variation.code == row.spc.variation.code:
        return []
    return [(NEW_SIGNALS, f"{row.spc.variation.label} in {row.month.label}.")]


def _target(row: Row, before: Row) -> list[tuple[str, str]]:
    """The target in force differs: a trajectory's monthly step is not a change of target."""
    if row.target == before.target or row.target_display == before.target_display:
        return []
    same_trajectory = (
        row.trajectory is not None
        and before.trajectory is not None
        and row.trajectory.valid_from == before.trajectory.valid_from
    )
    if same_trajectory:
        return []
    return [
        (
            TARGETS_CHANGED,
            f"{before.target_display} in {before.month.label}, "
            f"{row.target_display} in {row.month.label}.",
        )
    ]


def _revisions(row: Row, since: dt.date) -> list[tuple[str, str]]:
    """The row's figures revised after publication on or after ``since``, newest month first;
    the previous figure as the tables write it (an "x" where it would disclose a count)."""
    found = []
    for month in sorted(row.figures, reverse=True):
        revision = row.revision(month)
        if revision is None or _day(revision.at) < since:
            continue
        now = row.display(month)
        found.append((REVISIONS, f"{month.label}: now {now}. {row.revision_text(month)}"))
    return found


def _day(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date() if timezone.is_aware(at) else at.date()
