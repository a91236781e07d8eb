"""The disclosure app's part of the demo district (called by `manage.py load_demo`). Idempotent."""

from typing import TextIO

from disclosure.demo import catalogue, entities, institutions
from disclosure.demo import requests as request_demo


def load(*, out: TextIO) -> None:
    """Load entities first (publishers), then the catalogue; a second run adds nothing."""
    entities.load(out=out)
    catalogue.load(out=out)
    request_demo.load(out=out)
    institutions.load(out=out)
