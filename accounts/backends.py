"""Admin permissions by the role held in the council in force (issue 23).

The three role groups hold each role's admin permissions (accounts.permissions sets them at
every migrate); nobody is a member of them. A person's role is their ``Membership`` in a
council, so an administrator of one council has the administrator's permissions there and
none in a council where they are a viewer, or hold nothing.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, QuerySet

from indicators import roles


class CouncilRoleBackend(ModelBackend):
    """Django's own backend (passwords, the user's own permissions), with the group
    permissions those of the roles the user holds in the council in force."""

    def _get_group_permissions(self, user_obj: Any) -> "QuerySet[Permission]":
        return Permission.objects.filter(group__name__in=roles.roles_of(user_obj))

    def get_user(self, user_id: Any) -> Any:
        """The signed-in user of each request, with ``analyses_a_consortium`` read in the same
        query (the menu's Consortia link)."""
        from indicators.models import ConsortiumAnalyst  # the models import the roles

        analyst = ConsortiumAnalyst.objects.filter(user=OuterRef("pk"))
        users = get_user_model()._default_manager.annotate(analyses_a_consortium=Exists(analyst))
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
