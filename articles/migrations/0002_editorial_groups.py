from django.db import migrations

from newsdesk.groups import (
    CHIEF_EDITOR,
    EDITOR,
    grant_group_permissions,
    revoke_group_permissions,
)

PERMISSIONS = {
    EDITOR: [
        "add_article",
        "change_article",
        "view_article",
        "view_historicalarticle",
        "view_outlet",
    ],
    CHIEF_EDITOR: [
        "add_article",
        "change_article",
        "delete_article",
        "view_article",
        "publish_article",
        "view_historicalarticle",
        "add_outlet",
        "change_outlet",
        "view_outlet",
    ],
}


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, _: grant_group_permissions(apps, "articles", PERMISSIONS),
            lambda apps, _: revoke_group_permissions(apps, "articles", PERMISSIONS),
        )
    ]
