"""Each holder of a role (a Django group until issue 23) gets that role in the council the
database was for: the one council, made here if it was never saved."""

from django.conf import settings
from django.db import migrations

ROLES = ("administrator", "editor", "viewer")  # the highest first, should someone hold several


def memberships_from_groups(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Council = apps.get_model("indicators", "Council")
    Membership = apps.get_model("indicators", "Membership")
    holders = User.objects.filter(groups__name__in=ROLES).distinct()
    if not holders.exists():
        return
    council = Council.objects.order_by("pk").first() or Council.objects.create(pk=1)
    for user in holders:
        held = set(user.groups.values_list("name", flat=True))
        role = next(role for role in ROLES if role in held)
        Membership.objects.create(user=user, council=council, role=role)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0027_council_keys")]

    operations = [migrations.RunPython(memberships_from_groups, migrations.RunPython.noop)]
