"""The three roles. A person holds one in each council they belong to (``Membership``,
issue 23); the Django group of the same name holds the role's admin permissions
(accounts.permissions), which the auth backend grants only in a council where the person
holds that role (accounts.backends)."""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponseBase

from indicators import tenancy

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
        from indicators.models import Membership  # the models import this module's names

        # The scoped manager: the roles held in the council in force.
        held = Membership.objects.filter(user=user).values_list("role", flat=True)
        roles = set(held) & set(ALL_ROLES)
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


def holding(*names: str) -> Q:
    """A filter of users by the roles they hold in the council in force (in any council
    outside one): in one ``filter()`` call, so role and council are of the same row."""
    held = Q(memberships__role__in=names)
    council = tenancy.active_council_id()
    return held & Q(memberships__council_id=council) if council is not None else held


def grant(user: "User", role: str) -> None:
    """Give ``user`` ``role`` in the council in force, replacing the one they held there."""
    from indicators.models import Membership

    Membership.objects.update_or_create(user=user, defaults={"role": role})
    if hasattr(user, _ROLES_CACHE):
        delattr(user, _ROLES_CACHE)
