"""Who is asking: a personal token sent as ``Authorization: Bearer <token>`` (the BI tools'
way), or a signed-in session (browsing the API). Either carries the user's role at each
request; a user with no role is refused. Each token is throttled on its own, and every
request made with one is recorded (``log_token_use``)."""

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import DatabaseError
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from indicators.models import ApiToken, ApiTokenUse
from indicators.roles import ALL_ROLES, has_role

if TYPE_CHECKING:  # rest_framework.views imports this module (its default authentication)
    from rest_framework.views import APIView

logger = logging.getLogger("scorecard.api")

# last_used_at is moved on at most this often: every use is a row of ApiTokenUse already.
LAST_USED_EVERY = dt.timedelta(minutes=1)


class BearerTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer sc_...``: a usable (not revoked, not expired) token of an
    active user. A wrong, expired or revoked token is a 401, never a fall back to no one."""

    keyword = "bearer"

    def authenticate(self, request: Request) -> tuple[AbstractBaseUser, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as 'Authorization: Bearer <token>', with no spaces in it."
            )
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("That token is not valid.") from None
        token = ApiToken.find(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(
                "That token is not valid: it may have expired or been revoked."
            )
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="scorecard"'


class HasReaderRole(BasePermission):
    """A viewer, an editor or an administrator (``indicators.roles``), as every page asks."""

    message = "Your account has no role that may see the scorecard."

    def has_permission(self, request: Request, view: "APIView") -> bool:
        user = request.user
        if user is None or not user.is_authenticated:
            return False
        return has_role(user, *ALL_ROLES)


class TokenRateThrottle(SimpleRateThrottle):
    """``SCORECARD_API_RATE`` requests (default 120 a minute) per token, or per signed-in
    user browsing the API, counted in Django's cache."""

    scope = "api_token"

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user is not None and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None  # refused by the permission check anyway
        return self.cache_format % {"scope": self.scope, "ident": ident}


def _address(request: Request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def log_token_use(request: Request, response: Response) -> None:
    """Record a request made with a token: a row of ApiTokenUse and a log line (the line
    alone when the database refuses writes, so the answer is still given)."""
    token = request.auth
    if not isinstance(token, ApiToken):
        return
    path = request.get_full_path()[:500]
    logger.info(
        "API token %s of %s: %s %s -> %s",
        token.pk,
        token.user.get_username(),
        request.method,
        path,
        response.status_code,
    )
    now = timezone.now()
    try:
        ApiTokenUse.objects.create(
            token=token,
            at=now,
            method=(request.method or "")[:10],
            path=path,
            status=response.status_code,
            address=_address(request),
        )
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    except DatabaseError:
        logger.warning("API token %s: its use could not be recorded in the database", token.pk)


def user_of(request: Request) -> Any:
    """The request's user for ``indicators.roles`` (an AnonymousUser, never None)."""
    return request.user if request.user is not None else AnonymousUser()
