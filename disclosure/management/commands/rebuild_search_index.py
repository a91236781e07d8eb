"""manage.py rebuild_search_index: re-index every catalogue entry for full-text search."""

import time

from django.core.management.base import BaseCommand, CommandParser

from disclosure.search import search_index_rebuild


class Command(BaseCommand):
    help = (
        "Re-index every catalogue entry for full-text search, in batches. Run it after a bulk "
        "import or a change of the search dictionary (disclosure/search/gov_terms.txt)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Entries per batch (default 1000)."
        )

    def handle(self, *args: object, batch_size: int, verbosity: int, **options: object) -> None:
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            if verbosity >= 2:
                self.stdout.write(f"  {done:,} / {total:,}")

        count = search_index_rebuild(batch_size=max(1, batch_size), progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {count:,} catalogue entries in {time.monotonic() - started:.1f} s."
            )
        )
