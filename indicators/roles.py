"""The three roles, held as Django groups (created by a data migration)."""

from functools import wraps

from django.core.exceptions import PermissionDenied

VIEWER = "viewer"
EDITOR = "editor"
ADMINISTRATOR = "administrator"
ALL_ROLES = (VIEWER, EDITOR, ADMINISTRATOR)


def roles_of(user):
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return set(ALL_ROLES)
    # Cached on the user for the request: the group list is read once per page.
    if not hasattr(user, "_scorecard_roles"):
        user._scorecard_roles = set(user.groups.values_list("name", flat=True)) & set(ALL_ROLES)
    return user._scorecard_roles


def has_role(user, *roles):
    return bool(roles_of(user) & set(roles))


def sees_drafts(user):
    """Editors and administrators see figures of months that are not yet published (marked
    draft); viewers see published months only."""
    return has_role(user, EDITOR, ADMINISTRATOR)


def role_required(*roles):
    """Refuse (403) a signed-in user who holds none of ``roles``; sign-in itself is enforced
    for every page by LoginRequiredMiddleware."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied("Your account has no role that may see this page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


readers = role_required(*ALL_ROLES)
editors = role_required(EDITOR, ADMINISTRATOR)
administrators = role_required(ADMINISTRATOR)
