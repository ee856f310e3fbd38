"""Commentary sign-off (issue 26, part 6): when the council asks for it
(``Council.commentary_sign_off``, off by default), every commentary of a month is approved
before the month can be published; the publishing checklist lists those not yet approved,
each linked to its approval page. Approving is kept (who, when) in the commentary's history;
changing approved commentary withdraws the approval (``Commentary.save``).

Who approves (decision 0016): the priority's lead officer is a name on the paper, not an
account, so the approval is given by an account that answers for the priority: an
administrator, or an editor whose priorities include the indicator's, other than the person
who last wrote the commentary (a second pair of eyes). The approval page names the
indicator's lead officer, for whom the approver signs.
"""

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from indicators import roles
from indicators.addresses import month_or_404
from indicators.models import Commentary, Council
from indicators.periods import Month
from indicators.roles import editors
from indicators.scope import scope_of


def unapproved(month: Month) -> list[Commentary]:
    """The month's commentary on active indicators not yet approved, by reference (one
    query)."""
    comments = (
        Commentary.objects.in_month(month)
        .filter(approved_at__isnull=True, indicator__active=True)
        .exclude(text="")
        .select_related("indicator", "author")
    )
    return sorted(comments, key=lambda comment: comment.indicator.reference)


def refusal(user: User | AnonymousUser, comment: Commentary) -> str:
    """Why ``user`` may not approve ``comment``, in words; "" when they may."""
    if roles.has_role(user, roles.ADMINISTRATOR):
        return ""
    allowed = scope_of(user).indicator_ids()
    if allowed is not None and comment.indicator_id not in allowed:
        return (
            f"Indicator {comment.indicator.reference} is not under your priorities: an editor "
            "of its priority, or an administrator, approves its commentary."
        )
    if comment.author_id is not None and comment.author_id == user.pk:
        return (
            "You wrote this commentary: another editor of its priority, or an administrator, "
            "approves it."
        )
    return ""


def approve(comment: Commentary, user: User) -> None:
    """Record ``user``'s approval now (kept in the commentary's history)."""
    comment.approved_by, comment.approved_at = user, timezone.now()
    comment._change_reason = "approved"  # type: ignore[attr-defined]  # simple-history reads it
    comment.save(update_fields=["approved_by", "approved_at"])


def refuse_publishing_unapproved(month: Month) -> None:
    """With sign-off on, refuse (ValidationError, in words) to publish ``month`` while any of
    its commentary is not approved."""
    if not Council.current().commentary_sign_off:
        return
    waiting = unapproved(month)
    if waiting:
        references = ", ".join(comment.indicator.reference for comment in waiting)
        raise ValidationError(
            f"{month.long_label} cannot be published yet: the commentary of "
            f"{len(waiting)} indicator{'s' if len(waiting) != 1 else ''} ({references}) is not "
            "approved. Each is listed below with a link to approve it."
        )


@editors
def approve_commentary(request: HttpRequest, period: str, pk: int) -> HttpResponse:
    """A commentary of the month shown in full with who wrote it and the lead officer it is
    approved for; approving it (a post) returns to the publishing checklist."""
    month = month_or_404(period)
    comment = get_object_or_404(
        Commentary.objects.select_related("indicator", "author", "approved_by"),
        pk=pk,
        period=month.first_day,
    )
    refused = refusal(request.user, comment)
    if request.method == "POST":
        if refused:
            raise PermissionDenied(refused)
        assert isinstance(request.user, User)  # @editors lets only signed-in editors in
        approve(comment, request.user)
        messages.success(
            request, f"Approved the commentary of indicator {comment.indicator.reference}."
        )
        return redirect("publish_month", period=month.iso)
    return render(
        request,
        "entry/approve_commentary.html",
        {
            "month": month,
            "comment": comment,
            "refused": refused,
            "required": Council.current().commentary_sign_off,
        },
    )
