"""manage.py rebuild_catalogue_facets: recompute the catalogue page's facet counts."""

import time

from django.core.management.base import BaseCommand

from disclosure.actions.catalogue_facets import catalogue_facet_counts_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the catalogue's facet counts (publisher, topic, genre, year, validity, "
        "disclosure mode) from the published entries: after a bulk load, or to repair them. "
        "Safe to rerun."
    )

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        rows = catalogue_facet_counts_rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"Catalogue facet counts rebuilt: {rows:,} rows in "
                f"{time.perf_counter() - started:.1f} s."
            )
        )
