"""The editorial groups, as data migrations create them (importable by migrations)."""

from django.contrib.auth.management import create_permissions

EDITOR = "Editor"
CHIEF_EDITOR = "Chief editor"


def grant_group_permissions(apps, app_label: str, codenames_by_group: dict[str, list[str]]):
    """Create the groups if needed and give them these permissions of one app."""
    # Permissions are normally made after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in codenames_by_group.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )


def revoke_group_permissions(apps, app_label: str, codenames_by_group: dict[str, list[str]]):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=codenames_by_group):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label))
