"""Create or update the officials' role groups and their permissions (safe to rerun)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from workspace.roles import ROLES, role_missing_permissions, sync_roles


class Command(BaseCommand):
    help = "Create or update the role groups (district administrator, disclosure office, ...)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            counts = sync_roles()
        for role in ROLES:
            self.stdout.write(f"{role.group_name}: {counts[role.group_name]}")
            for missing in role_missing_permissions(role):
                self.stderr.write(
                    self.style.WARNING(f"  {role.group_name}: no permission {missing}")
                )
        self.stdout.write(self.style.SUCCESS("Roles synchronised."))
