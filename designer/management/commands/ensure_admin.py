import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from designer import services


class Command(BaseCommand):
    help = "Create the admin account if there is none; its password comes from STEPWRIGHT_ADMIN_PASSWORD or is printed once."

    def handle(self, *args, **options) -> None:
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            return
        password = os.environ.get("STEPWRIGHT_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        user = services.create_user(username="admin", email="admin@localhost", password=password)
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
        shown = "from STEPWRIGHT_ADMIN_PASSWORD" if "STEPWRIGHT_ADMIN_PASSWORD" in os.environ else password
        self.stdout.write(self.style.SUCCESS(f"Created the admin account: username admin, password {shown}"))
        self.stdout.write("This password is shown only once.")
