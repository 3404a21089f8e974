from django.db import migrations

from newsdesk.groups import (
    CHIEF_EDITOR,
    EDITOR,
    grant_group_permissions,
    revoke_group_permissions,
)

PERMISSIONS = {
    EDITOR: [
        "view_entity",
        "view_alias",
        "add_mention",
        "change_mention",
        "view_mention",
        "view_candidate",
        "view_relationship",
        "view_relationshipevidence",
        "view_topic",
    ],
    CHIEF_EDITOR: [
        "add_entity",
        "change_entity",
        "delete_entity",
        "view_entity",
        "add_alias",
        "change_alias",
        "delete_alias",
        "view_alias",
        "add_mention",
        "change_mention",
        "delete_mention",
        "view_mention",
        "change_candidate",
        "view_candidate",
        "change_relationship",
        "view_relationship",
        "view_relationshipevidence",
        "add_topic",
        "change_topic",
        "view_topic",
    ],
}


class Migration(migrations.Migration):
    dependencies = [
        ("entities", "0001_initial"),
        ("articles", "0002_editorial_groups"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, _: grant_group_permissions(apps, "entities", PERMISSIONS),
            lambda apps, _: revoke_group_permissions(apps, "entities", PERMISSIONS),
        )
    ]
