"""The three roles, held as Django groups (created by a data migration)."""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

if TYPE_CHECKING:  # settings.AUTH_USER_MODEL: Django's own user
    from django.contrib.auth.models import AnonymousUser, User

type View = Callable[..., HttpResponseBase]

VIEWER = "viewer"
EDITOR = "editor"
ADMINISTRATOR = "administrator"
ALL_ROLES = (VIEWER, EDITOR, ADMINISTRATOR)
_ROLES_CACHE = "_scorecard_roles"


def roles_of(user: "User | AnonymousUser") -> set[str]:
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return set(ALL_ROLES)
    # Cached on the user for the request: the group list is read once per page. The user
    # model declares no such attribute, so it is read and set by name.
    roles: set[str] | None = getattr(user, _ROLES_CACHE, None)
    if roles is None:
        roles = set(user.groups.values_list("name", flat=True)) & set(ALL_ROLES)
        setattr(user, _ROLES_CACHE, roles)
    return roles


def has_role(user: "User | AnonymousUser", *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def sees_drafts(user: "User | AnonymousUser") -> bool:
    """Editors and administrators see figures of months that are not yet published (marked
    draft); viewers see published months only."""
    return has_role(user, EDITOR, ADMINISTRATOR)


def role_required(*roles: str) -> Callable[[View], View]:
    """Refuse (403) a signed-in user who holds none of ``roles``; sign-in itself is enforced
    for every page by LoginRequiredMiddleware."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
            if not has_role(request.user, *roles):
                raise PermissionDenied("Your account has no role that may see this page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


readers = role_required(*ALL_ROLES)
editors = role_required(EDITOR, ADMINISTRATOR)
administrators = role_required(ADMINISTRATOR)
