"""The services app's part of the demo district (called by `manage.py load_demo`). Idempotent.

Items and windows first, then the half-year's cases and consultations, then services B's parts.
"""

from typing import TextIO

from services.actions.summaries import service_summaries_rebuild
from services.demo import cases, items
from services.demo import inspections as inspection_demo
from services.demo import ratings as rating_demo
from services.demo import stars as star_demo


def load(*, out: TextIO) -> None:
    """Load this app's demo records; a second run adds nothing."""
    items.load(out=out)
    cases.load(out=out)
    rating_demo.load(out=out)
    star_demo.load(out=out)
    inspection_demo.load(out=out)
    # The half-year's cases and ratings were bulk-inserted around the actions: count them.
    day_rows, duration_rows = service_summaries_rebuild()
    out.write(f"services: statistics summary: {day_rows:,} day rows, {duration_rows:,} durations\n")
