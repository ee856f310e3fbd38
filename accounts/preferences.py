"""What a user chose to be emailed: a digest when a month is published.

Until a user chooses, their role decides: editors and administrators get the digest (they
publish, and answer for the figures), viewers do not (a councillor is not emailed unasked).
A user changes it on their account page.
"""

from django.contrib.auth.models import User
from django.db.models import Q

from indicators import roles
from indicators.models import EmailPreference


def digest_by_default(user: User) -> bool:
    return roles.has_role(user, roles.EDITOR, roles.ADMINISTRATOR)


def wants_digest(user: User) -> bool:
    """Whether ``user`` is emailed a digest when a month is published."""
    preference = EmailPreference.objects.filter(user=user).first()
    if preference is not None:
        return preference.digest_on_publish
    return digest_by_default(user)


def set_digest(user: User, wanted: bool) -> None:
    EmailPreference.objects.update_or_create(user=user, defaults={"digest_on_publish": wanted})


def digest_recipients() -> list[User]:
    """Active users with a role and an email address who want the digest, by username.
    Queries: the users with their preferences, and their roles in the council in force."""
    users = (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(is_superuser=True) | roles.holding(*roles.ALL_ROLES))
        .distinct()
        .select_related("email_preference")
        .prefetch_related("memberships")
        .order_by("username")
    )
    chosen = []
    for user in users:
        preference = getattr(user, "email_preference", None)
        # The scoped manager: the roles held in the council in force.
        names = {membership.role for membership in user.memberships.all()}
        by_role = user.is_superuser or bool(names & {roles.EDITOR, roles.ADMINISTRATOR})
        if (preference.digest_on_publish if preference is not None else by_role) and (
            user.is_superuser or names & set(roles.ALL_ROLES)
        ):
            chosen.append(user)
    return chosen
