"""The two editorial groups and what each may do."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Editor"
CHIEF_EDITOR = "Chief editor"

PERMISSIONS = {
    EDITOR: {
        "articles": [
            "add_article",
            "change_article",
            "view_article",
            "view_historicalarticle",
            "view_outlet",
            "add_mention",
            "change_mention",
            "view_mention",
            "view_relationshipevidence",
        ],
        "entities": [
            "view_entity",
            "view_alias",
            "view_candidate",
            "view_relationship",
            "view_topic",
        ],
    },
    CHIEF_EDITOR: {
        "articles": [
            "add_article",
            "change_article",
            "delete_article",
            "view_article",
            "publish_article",
            "view_historicalarticle",
            "add_outlet",
            "change_outlet",
            "view_outlet",
            "add_mention",
            "change_mention",
            "delete_mention",
            "view_mention",
            "view_relationshipevidence",
        ],
        "entities": [
            "add_entity",
            "change_entity",
            "delete_entity",
            "view_entity",
            "add_alias",
            "change_alias",
            "delete_alias",
            "view_alias",
            "change_candidate",
            "view_candidate",
            "change_relationship",
            "delete_relationship",
            "view_relationship",
            "add_topic",
            "change_topic",
            "view_topic",
        ],
    },
}


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, by_app in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codenames in by_app.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


def revoke(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_search_document"),
        ("entities", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
