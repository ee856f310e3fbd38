"""Each holder of a role (a Django group until issue 23) gets that role in the council the
database was for: the one council, made here if it was never saved. The groups are left to
hold only the roles' admin permissions: nobody is a member of them once roles are
memberships (accounts.backends).

Backwards, the exact inverse: each membership becomes the group of its role again, while
the database holds one council (the only shape the groups can express); with several it
refuses, rather than give one council's people roles in every council."""

from django.conf import settings
from django.core.management.color import no_style
from django.db import migrations

ROLES = ("administrator", "editor", "viewer")  # the highest first, should someone hold several


def memberships_from_groups(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Group = apps.get_model("auth", "Group")
    Council = apps.get_model("indicators", "Council")
    Membership = apps.get_model("indicators", "Membership")
    holders = User.objects.filter(groups__name__in=ROLES).distinct().order_by("pk")
    if not holders.exists():
        return
    council = Council.objects.order_by("pk").first()
    if council is None:
        council = Council.objects.create(pk=1)
        # Made by hand as row 1: the id sequence moved past it (PostgreSQL), as 0026 does.
        for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [Council]):
            schema_editor.execute(sql)
    groups = list(Group.objects.filter(name__in=ROLES))
    for user in holders:
        held = set(user.groups.values_list("name", flat=True))
        role = next(role for role in ROLES if role in held)
        Membership.objects.create(user=user, council=council, role=role)
        user.groups.remove(*groups)


def groups_from_memberships(apps, schema_editor):
    Council = apps.get_model("indicators", "Council")
    Group = apps.get_model("auth", "Group")
    Membership = apps.get_model("indicators", "Membership")
    if Council.objects.count() > 1:
        raise RuntimeError(
            "This database serves several councils: roles as groups (before migration 0028) "
            "cannot say which council a role is held in. Move each council to a database of "
            "its own before going back."
        )
    for membership in Membership.objects.select_related("user").order_by("user_id"):
        group, _ = Group.objects.get_or_create(name=membership.role)
        membership.user.groups.add(group)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0027_council_keys")]

    operations = [migrations.RunPython(memberships_from_groups, groups_from_memberships)]
