"""The digest emailed when a month is published, to every user who wants it
(``accounts.preferences``): the month's new reds, its other exceptions, revisions to
published figures since the last publication, and new SPC signals, each linked to its
indicator's page.

It prints the judged rows as a viewer sees them: figures of published months only, small
counts as "x" (``judge_rows`` with ``suppress``), loaded as the read side loads a priority
page (``scorecard.queries.load_scorecard`` with ``published_only``, which the intake may not
import: the same QuerySet methods, the same domain judgement). So the digest can say nothing
a viewer's page does not: never a draft figure, never a count the suppression rule hides.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.urls import reverse

from accounts.preferences import digest_recipients
from indicators import outbox, rules
from indicators.judgement import SPC_MONTHS, MonthLoaded, Row, judge_rows
from indicators.models import (
    Event,
    OutboxEmail,
    Population,
    PriorityIndicator,
    PublicationEvent,
    Target,
    Value,
)
from indicators.periods import Month


def viewer_rows(month: Month) -> list[Row]:
    """Each active headline measure once (under the first priority it sits in), judged for
    ``month`` from published figures with small counts as "x", with the SPC window's history.
    Queries: the headline measures, the published figures, the targets, the populations, the
    events (their rebases)."""
    links = list(PriorityIndicator.objects.for_scorecard())
    figures = (
        Value.objects.for_scorecard()
        .between(month.plus(-(SPC_MONTHS - 1)), month)
        .published()
        .figures_by_indicator()
    )
    seen: set[int] = set()
    indicators = []
    for link in links:
        if link.indicator_id not in seen:
            seen.add(link.indicator_id)
            indicators.append((link.priority.number, link.indicator))
    return list(
        judge_rows(
            MonthLoaded(
                month=month,
                shown_months=tuple(month.months_back(3)),
                indicators=tuple(indicators),
                figures=figures,
                target_spans=Target.objects.for_scorecard().spans_by_indicator(),
                populations=tuple(Population.objects.all()),
                suppress=True,
                events=Event.objects.published().marks_by_indicator(month),
            )
        )
    )


@dataclass(frozen=True)
class Item:
    """One line of the digest: an indicator, what it says this month, and its page."""

    row: Row
    note: str = ""

    @property
    def reference(self) -> str:
        return self.row.indicator.reference

    @property
    def description(self) -> str:
        return self.row.indicator.description

    @property
    def figure(self) -> str:
        return self.row.current_display

    @property
    def target(self) -> str:
        return self.row.target_display

    @property
    def rag(self) -> str:
        return self.row.rag_name

    @property
    def direction(self) -> str:
        return self.row.direction.accessible_name

    @property
    def link(self) -> str:
        return outbox.site_link(reverse("indicator", kwargs={"reference": self.reference}))


@dataclass
class Digest:
    month: Month
    new_reds: list[Item] = field(default_factory=list)
    exceptions: list[Item] = field(default_factory=list)
    revisions: list[Item] = field(default_factory=list)
    signals: list[Item] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.new_reds or self.exceptions or self.revisions or self.signals)


def was_red(row: Row, month: Month) -> bool:
    """The row was red in ``month``, as a viewer was shown it then."""
    rag, _, _ = row.judged(month, rules.target_for(month, row.target_spans))
    return rag is rules.Rag.RED


def new_signal(row: Row) -> str:
    """The SPC result's words when the month's own point is unusual ("" otherwise)."""
    result = row.spc
    history = row.spc_history()
    if result is None or not history or history[-1][0] != row.month:
        return ""
    latest = result.latest
    if latest.index != len(history) - 1 or not latest.special:
        return ""
    return f"{result.variation.label}: {'; '.join(latest.sentences)}"


def build_digest(month: Month, since: dt.datetime | None) -> Digest:
    """The digest of ``month``: revisions count when made after ``since`` (the previous
    publication), all of the months shown when None."""
    digest = Digest(month)
    for row in viewer_rows(month):
        if row.rag is rules.Rag.RED and not was_red(row, month.previous()):
            digest.new_reds.append(Item(row))
        elif row.is_exception:
            digest.exceptions.append(Item(row))
        for revised in row.revised_months:
            revision = row.revision(revised)
            if revision is not None and (since is None or revision.at > since):
                text = f"{revised.label}: {row.revision_text(revised)}"
                digest.revisions.append(Item(row, text))
        signal = new_signal(row)
        if signal:
            digest.signals.append(Item(row, signal))
    return digest


def digest_emails(digest: Digest, users: list[User], publication: int) -> list[outbox.Email]:
    """One email per user, the same digest in each; keyed by the publication."""
    month = digest.month
    subject = f"{month.long_label} is published"
    if digest.new_reds:
        count = len(digest.new_reds)
        subject += f": {count} new red{'s' if count != 1 else ''}"
    context = {
        "subject": subject,
        "digest": digest,
        "month": month,
        "dashboard": outbox.site_link(reverse("dashboard") + f"?period={month.iso}"),
        "account": outbox.site_link(reverse("account")),
    }
    emails = []
    for user in users:
        text, html = outbox.render("digest", {**context, "user": user})
        emails.append(
            outbox.Email(
                to=user.email,
                subject=subject,
                text=text,
                html=html,
                kind=OutboxEmail.Kind.DIGEST,
                dedupe_key=f"digest:{month.iso}:{publication}:{user.pk}",
            )
        )
    return emails


def queue_digest(month: Month, publication: PublicationEvent) -> int:
    """Write the digest of ``month``, just published by ``publication``, to everyone who
    wants it, in the publishing transaction; it is sent after the commit, in the background.
    How many were written."""
    users = digest_recipients()
    if not users:
        return 0
    previous = (
        PublicationEvent.objects.filter(
            action=PublicationEvent.Action.PUBLISH, at__lt=publication.at
        )
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    digest = build_digest(month, previous)
    return len(outbox.queue(digest_emails(digest, users, publication.pk)))
