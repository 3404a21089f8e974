import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the 'admin' superuser if missing, with NEWSDESK_ADMIN_PASSWORD or a random "
        "password printed once."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(username="admin").exists():
            self.stdout.write("Admin user 'admin' already exists; its password is unchanged.")
            return
        # An empty variable counts as unset: the random password is then printed.
        given = os.environ.get("NEWSDESK_ADMIN_PASSWORD")
        password = given or secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", "admin@newsdesk.invalid", password)
        if given:
            self.stdout.write("Created admin user 'admin' with NEWSDESK_ADMIN_PASSWORD.")
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"Created admin user 'admin' with password: {password}\n"
                    "It is shown only this once."
                )
            )
