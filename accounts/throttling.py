"""Sign-in throttling beyond one username from one address (docs/decisions/0010).

django-axes locks a username and address pair after ``AXES_FAILURE_LIMIT`` (5) failures, and
compares every lockout parameter it is given with that one limit. Two wider limits are
checked here on top, over the same records (axes' ``AccessAttempt`` rows of the last
``AXES_COOLOFF_TIME``), so axes' unlocking (the admin's Unlock, ``axes_reset_username``,
``axes_reset_ip``, a password-reset link) lifts them as it lifts a pair:

- ``SIGN_IN_LIMIT_PER_ADDRESS`` (30) failures from one address across all usernames lock that
  address: someone trying many usernames. A council office behind one address shares this
  count, hence a limit well above five.
- ``SIGN_IN_LIMIT_PER_USERNAME`` (10) failures for one username across all addresses lock that
  username everywhere: someone trying one account's password from many addresses.

A successful sign-in clears only its own pair's failures (axes' ``AXES_RESET_ON_SUCCESS``), so
an attacker cannot clear an address's count by signing in to an account of their own.
"""

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, Sum
from django.http import HttpRequest

#: Which wider limit locked a request (``request.sign_in_locked_by``), for the lockout page.
ADDRESS, USERNAME = "address", "username"


def wider_lock(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """``ADDRESS`` or ``USERNAME`` when this request's address or username has passed its
    wider limit, else None. One query."""
    address = getattr(request, "axes_ip_address", None)
    username = get_client_username(request, credentials)
    recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
    counts = recent.aggregate(
        address=Sum("failures_since_start", filter=Q(ip_address=address)),
        username=Sum("failures_since_start", filter=Q(username=username)),
    )
    if address and (counts["address"] or 0) >= settings.SIGN_IN_LIMIT_PER_ADDRESS:
        return ADDRESS
    if username and (counts["username"] or 0) >= settings.SIGN_IN_LIMIT_PER_USERNAME:
        return USERNAME
    return None


class SignInThrottle(AxesDatabaseHandler):
    """axes' database handler (``AXES_HANDLER``) whose count of failures reaches the limit
    when the address or the username has passed its wider limit, so axes locks the request
    out exactly as it does a pair: refused before the password is checked, with its lockout
    page (which says which limit it was)."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        failures: int = super().get_failures(request, credentials)
        limit: int = get_failure_limit(request, credentials)
        if failures < limit and (locked_by := wider_lock(request, credentials)):
            request.sign_in_locked_by = locked_by  # type: ignore[attr-defined]
            return limit
        return failures
