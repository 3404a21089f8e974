"""Let chief editors delete entities that have relationships.

0002 gave the Chief editor group delete_entity but not delete_relationship; deleting an
entity deletes its relationships with it, and the admin refuses a deletion that would remove
objects the user may not delete, so a chief editor could delete no entity that had one.
"""

from django.db import migrations

from newsdesk.groups import CHIEF_EDITOR, grant_group_permissions

PERMISSIONS = {CHIEF_EDITOR: ["delete_relationship"]}


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=PERMISSIONS):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="entities", codename__in=PERMISSIONS[group.name]
            )
        )


class Migration(migrations.Migration):
    dependencies = [("entities", "0002_editorial_groups")]

    operations = [
        migrations.RunPython(
            lambda apps, _: grant_group_permissions(apps, "entities", PERMISSIONS), revoke
        )
    ]
