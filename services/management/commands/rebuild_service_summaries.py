"""`manage.py rebuild_service_summaries`: recompute the statistics' daily summary from records."""

import time

from django.core.management.base import BaseCommand

from services.actions.summaries import service_summaries_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the service statistics' per-department, per-item, per-day summary from the "
        "cases and ratings (after a bulk load, or to repair it). Safe to rerun."
    )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        day_rows, duration_rows = service_summaries_rebuild()
        self.stdout.write(
            f"services: statistics summary rebuilt: {day_rows:,} day rows, "
            f"{duration_rows:,} duration rows in {time.perf_counter() - started:.1f} s"
        )
