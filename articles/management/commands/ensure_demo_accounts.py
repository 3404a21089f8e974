import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

# username, group, the environment variable that may set its password
DEMO_ACCOUNTS = [
    ("editor", "Editor", "NEWSDESK_EDITOR_PASSWORD"),
    ("chief", "Chief editor", "NEWSDESK_CHIEF_EDITOR_PASSWORD"),
]


class Command(BaseCommand):
    help = (
        "Create the demo accounts 'editor' (Editor) and 'chief' (Chief editor) if missing, "
        "with NEWSDESK_EDITOR_PASSWORD and NEWSDESK_CHIEF_EDITOR_PASSWORD or random passwords "
        "printed once."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        for username, group_name, variable in DEMO_ACCOUNTS:
            if User.objects.filter(username=username).exists():
                self.stdout.write(f"User '{username}' already exists; it is unchanged.")
                continue
            # An empty variable counts as unset: the random password is then printed.
            given = os.environ.get(variable)
            password = given or secrets.token_urlsafe(12)
            user = User.objects.create_user(
                username, f"{username}@newsdesk.invalid", password, is_staff=True
            )
            user.groups.add(Group.objects.get(name=group_name))
            if given:
                self.stdout.write(f"Created {group_name} '{username}' with {variable}.")
            else:
                self.stdout.write(
                    self.style.WARNING(
                        f"Created {group_name} '{username}' with password: {password}\n"
                        "It is shown only this once."
                    )
                )
