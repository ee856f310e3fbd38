from django.conf import settings

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
}


def council(request):
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "user_roles": roles_of(user) if user is not None else set(),
        "nav_section": NAV_SECTIONS.get(match.url_name) if match else None,
    }
