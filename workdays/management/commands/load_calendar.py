"""`manage.py load_calendar`: load the statutory calendar from the chinesecalendar package."""

from typing import Any

from django.core.management.base import BaseCommand

from workdays.actions import calendar_load_from_package


class Command(BaseCommand):
    help = (
        "Load holidays and make-up working days for every year the installed chinesecalendar "
        "package covers. Safe to rerun after a package update; days edited in the admin are kept."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = calendar_load_from_package()
        self.stdout.write(
            f"Calendar years {result.years[0]}-{result.years[-1]}: "
            f"{result.created} created, {result.updated} updated, {result.deleted} deleted, "
            f"{result.unchanged} unchanged, {len(result.kept_admin)} kept as edited in the admin."
        )
