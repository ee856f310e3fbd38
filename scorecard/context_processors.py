from django.conf import settings

from indicators.roles import roles_of


def council(request):
    user = getattr(request, "user", None)
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "user_roles": roles_of(user) if user is not None else set(),
    }
