"""Build the seed's district (西岗区) as demo data. Idempotent: a second run adds nothing.

Each app contributes its part through `<app>.demo.load()`, called here in dependency order
(this command lives in `complaints`, the one app allowed to import all the others).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

import complaints.demo
import disclosure.demo
import services.demo
import workdays.demo

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "gongkai-demo-2026"  # noqa: S105 - printed in the README; demo mode only


class Command(BaseCommand):
    help = "Load the demo district (idempotent)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            for module in (workdays.demo, disclosure.demo, services.demo, complaints.demo):
                module.load(out=self.stdout)
            if settings.DEMO_MODE:
                self._demo_official()
        self.stdout.write(self.style.SUCCESS("Demo district loaded."))

    def _demo_official(self) -> None:
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={"is_staff": True, "is_superuser": True, "first_name": "演示管理员"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        self.stdout.write(f"Demo official: {DEMO_USERNAME} / {DEMO_PASSWORD} (demo mode only)")
