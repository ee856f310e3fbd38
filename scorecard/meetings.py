"""The committee meetings' pages (issue 26): every meeting, newest first, and a meeting's own
page with the month it reviewed (a link to that month's scorecard), the pack issued for it
(its download, checksum, who issued it and when) or, for an editor, the button that issues
it, and the questions and actions raised at it.

Who may do what: every reader sees the meetings and their questions; a viewer downloads an
issued pack only while its month is published (a month unpublished after the meeting is
withheld as its figures are); editors and administrators issue a pack, once per meeting.
The pack itself is printed, stored and checked by ``scorecard.issued_packs``.
"""

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from indicators.models import CommitteeMeeting
from indicators.periods import Month
from indicators.published import is_published
from indicators.roles import editors, readers, sees_drafts
from scorecard import issued_packs, meeting_actions
from scorecard.issued_packs import NotIssued, Tampered
from scorecard.models import IssuedPack
from scorecard.pdf import PdfUnavailable
from scorecard.print_slots import PrinterBusy, busy_page, print_slot


def meetings_with_packs() -> Any:
    """Every meeting with its issued pack and its number of questions: one query."""
    return (
        CommitteeMeeting.objects.select_related("issued_pack", "issued_pack__issued_by")
        .annotate(raised=Count("questions"))
        .order_by("-date", "committee")
    )


@readers
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Every committee meeting, newest first: its date, committee, month reviewed, whether its
    pack has been issued and how many questions and actions were raised at it."""
    return render(request, "meetings/list.html", {"meetings": list(meetings_with_packs())})


def _issued(meeting: CommitteeMeeting) -> IssuedPack | None:
    try:
        return meeting.issued_pack
    except IssuedPack.DoesNotExist:
        return None


@readers
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(meetings_with_packs(), pk=pk)
    user = request.user
    month = Month.from_date(meeting.reviews) if meeting.reviews else None
    # Whether a viewer may follow the month's link and download its pack.
    published = month is not None and is_published(month)
    issued = _issued(meeting)
    context = {
        "meeting": meeting,
        "month": month,
        "month_shown": published or sees_drafts(user),
        "published": published,
        "issued": issued,
        "may_download": issued is not None and (published or sees_drafts(user)),
        "may_issue": issued is None and sees_drafts(user),
        # Why the button is not offered yet (the same words issuing would refuse with).
        "not_yet": issued_packs.refusal(meeting, published),
        "actions": meeting_actions.raised_at(meeting, timezone.localdate()),
    }
    return render(request, "meetings/detail.html", context)


@editors
@require_POST
def issue_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """Print the meeting's pack once and keep it as issued; back to the meeting's page with
    what happened in words."""
    meeting = get_object_or_404(CommitteeMeeting, pk=pk)
    page = reverse("meeting", args=[meeting.pk])
    try:
        with print_slot(request.user):
            issued = issued_packs.issue(meeting, request.user)
    except PrinterBusy as busy:
        return busy_page(request, busy, "pack")
    except NotIssued as refusal:
        messages.error(request, str(refusal))
        return redirect(page)
    except PdfUnavailable as error:
        context = {"meeting": meeting, "reason": str(error)}
        return render(request, "meetings/not_issued.html", context, status=503)
    messages.success(
        request, f"The pack of {issued.reported.label} is issued and kept as it is now."
    )
    return redirect(page)


@readers
def issued_pack_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The issued pack's stored bytes, exactly as issued (checked against its SHA-256); a
    viewer only while its month is published. A stored file that no longer matches is refused
    with a page saying so (409), never served."""
    issued = get_object_or_404(IssuedPack.objects.select_related("meeting"), meeting_id=pk)
    if not sees_drafts(request.user) and not is_published(issued.reported):
        raise Http404(f"{issued.reported.long_label} is not published.")
    try:
        download = issued_packs.read(issued)
    except Tampered:
        return render(request, "meetings/tampered.html", {"issued": issued}, status=409)
    response = HttpResponse(download.content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, download.filename)
    response["X-Content-SHA256"] = issued.sha256
    return response
