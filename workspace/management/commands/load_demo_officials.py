"""Put the demo officials in their roles (run after load_demo; idempotent)."""

from django.core.management.base import BaseCommand
from django.db import transaction

import workspace.demo


class Command(BaseCommand):
    help = "Create the role groups and one or two demo officials per role (after load_demo)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            workspace.demo.load(out=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo officials loaded."))
