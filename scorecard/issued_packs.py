"""The pack issued for a committee meeting, kept as it was issued (issue 26, part 1;
decision 0015).

Issuing prints the pack of the month the meeting reviews, as a viewer would read it
(published figures only, small counts as ``x``), with the meeting's committee and date on its
cover; stores the PDF once in Django's default storage under ``issued-packs/`` (never given
a public address); and records its SHA-256, size, who issued it and when in ``IssuedPack``.
It is never printed again: a download reads the stored bytes and serves them only if they
still have the recorded checksum and size, so what the committee read is what anyone
downloads a year later, whatever was revised since.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from indicators.models import CommitteeMeeting
from indicators.periods import Month
from indicators.published import is_published
from scorecard.models import IssuedPack
from scorecard.pack import PackOptions, pack_document

logger = logging.getLogger(__name__)

FOLDER = "issued-packs"


class NotIssued(Exception):
    """Why a pack cannot be issued for a meeting, in a sentence for the editor."""


class Tampered(Exception):
    """The stored PDF is missing or no longer has the bytes that were issued."""


@dataclass(frozen=True)
class Download:
    """An issued pack's bytes, checked, and the name to download them as."""

    content: bytes
    filename: str


def checksum(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def refusal(meeting: CommitteeMeeting, published: bool) -> str | None:
    """Why no pack can be issued for ``meeting`` (``published``: whether the month it reviews
    is), in a sentence for the editor; None when one can."""
    if meeting.reviews is None:
        return (
            "This meeting has no month reviewed: an administrator sets it under "
            "Committee meetings before its pack is issued."
        )
    if not published:
        label = Month.from_date(meeting.reviews).long_label
        return (
            f"{label} is not published: publish it before issuing its pack, so the "
            "committee reads published figures."
        )
    return None


def month_of(meeting: CommitteeMeeting) -> Month:
    """The month a meeting's pack reports: the month it reviews. ``NotIssued`` when the
    meeting names none, or when that month is not published (an issued pack is what the
    committee and the public read)."""
    month = Month.from_date(meeting.reviews) if meeting.reviews else None
    reason = refusal(meeting, month is not None and is_published(month))
    if reason or month is None:
        raise NotIssued(reason)
    return month


def issue(meeting: CommitteeMeeting, user: User | AnonymousUser) -> IssuedPack:
    """Print the meeting's pack once, store it and record it. ``NotIssued`` when it was
    issued already (by anyone, even a moment ago) or cannot be; ``PdfUnavailable`` from the
    printer."""
    if IssuedPack.objects.filter(meeting=meeting).exists():
        raise NotIssued("The pack for this meeting has been issued already: it is never reprinted.")
    month = month_of(meeting)
    options = PackOptions(
        committee=meeting.committee, meeting_date=meeting.date, published_only=True
    )
    content, _ = pack_document(month, options)
    filename = f"committee-pack-{meeting.date.isoformat()}-{month.iso}.pdf"
    path = default_storage.save(f"{FOLDER}/{meeting.pk}/{filename}", ContentFile(content))
    try:
        with transaction.atomic():
            return IssuedPack.objects.create(
                meeting=meeting,
                month=month.first_day,
                committee=options.committee,
                meeting_date=meeting.date,
                published_only=options.published_only,
                path=path,
                filename=filename,
                sha256=checksum(content),
                size=len(content),
                issued_by=user if user.is_authenticated else None,
            )
    except IntegrityError:
        # Someone issued it while this one printed: theirs stands, this copy goes.
        default_storage.delete(path)
        raise NotIssued(
            "The pack for this meeting has been issued already: it is never reprinted."
        ) from None


def read(issued: IssuedPack) -> Download:
    """The issued pack's stored bytes, checked against the recorded size and SHA-256;
    ``Tampered`` (and an error in the log) if they are missing or differ."""
    try:
        with default_storage.open(issued.path, "rb") as file:
            content = file.read()
    except FileNotFoundError:
        logger.error("Issued pack %s is missing from storage (%s)", issued.pk, issued.path)
        raise Tampered("missing") from None
    if len(content) != issued.size or checksum(content) != issued.sha256:
        logger.error("Issued pack %s no longer matches its checksum (%s)", issued.pk, issued.path)
        raise Tampered("changed")
    return Download(content, issued.filename)
