from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject, lazy

from indicators.models import Council
from indicators.roles import roles_of

# Which service navigation item (templates/base.html) a page sits under, by URL name.
NAV_SECTIONS = {
    "dashboard": "dashboard",
    "priority": "dashboard",
    "indicator": "dashboard",
    "quarterly_latest": "quarterly",
    "quarterly_report": "quarterly",
    "entry_index": "entry",
    "entry_month": "entry",
    "milestones_month": "entry",
    "import_upload": "entry",
    "import_preview": "entry",
    "setup": "setup",
    "setup_preview": "setup",
    "questions": "questions",
    "question": "questions",
    "record_question": "questions",
    "assign_question": "questions",
    "answer_question": "questions",
    "meetings": "questions",
    "meeting": "questions",
    "consortia": "consortia",
    "consortium": "consortia",
}


def council_for(request: HttpRequest) -> Council:
    """The council's row (Council.current), read once per request and only when a template
    shows it: an admin page, which does not, reads nothing."""
    # Kept on the request object itself, which HttpRequest's type does not declare.
    if not hasattr(request, "_scorecard_council"):
        request._scorecard_council = Council.current()  # type: ignore[attr-defined]
    return request._scorecard_council  # type: ignore[attr-defined]


def sees_consortia(request: HttpRequest, held: set[str]) -> bool:
    """Whether the menu links to the consortia: for a consortium's analyst, and for someone
    holding a role in a council that is in one (scorecard.consortium_views.may_see), at its
    address. Read from what the request loaded already (the user, the address's council):
    no query of its own."""
    user = getattr(request, "user", None)
    if getattr(user, "analyses_a_consortium", False):
        return True
    return bool(held) and bool(getattr(getattr(request, "council", None), "in_consortium", False))


def council(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    held = roles_of(user) if user is not None else set()
    return {
        "council": SimpleLazyObject(lambda: council_for(request)),
        "council_name": lazy(lambda: council_for(request).display_name, str)(),
        "service_name": lazy(lambda: council_for(request).service_name, str)(),
        "user_roles": held,
        "sees_consortia": sees_consortia(request, held),
        "nav_section": NAV_SECTIONS.get(match.url_name) if match else None,
        # The PDF limits the download forms state (scorecard.print_slots).
        "pdf_per_user": settings.SCORECARD_PDF_PER_USER,
    }
