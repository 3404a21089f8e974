"""Chief editors manage outlets' feeds; editors see them and their polls."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = {
    "Chief editor": ["add_feed", "change_feed", "delete_feed", "view_feed", "view_feedpoll"],
    "Editor": ["view_feed", "view_feedpoll"],
}


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; the groups need them now.
    intake = apps.get_app_config("intake")
    models_module = getattr(intake, "models_module", None)
    intake.models_module = True
    create_permissions(intake, apps=apps, verbosity=0)
    intake.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="intake", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0001_initial"),
        ("articles", "0003_editorial_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
