"""Create the three roles as groups, with the model permissions each may use in the admin."""

from django.db import migrations

EDITOR_MODELS = ["value", "commentary", "milestoneupdate"]


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get_or_create(name="viewer")
    editor, _ = Group.objects.get_or_create(name="editor")
    editor.permissions.set(
        Permission.objects.filter(
            content_type__app_label="indicators", content_type__model__in=EDITOR_MODELS
        )
    )
    administrator, _ = Group.objects.get_or_create(name="administrator")
    administrator.permissions.set(
        Permission.objects.filter(content_type__app_label="indicators")
        | Permission.objects.filter(
            content_type__app_label="auth", content_type__model__in=["user", "group"]
        )
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["viewer", "editor", "administrator"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
