"""Demo data: entities of the seed's district (西岗区)."""

from typing import TextIO


def load(*, out: TextIO) -> None:
    """Load the demo entities; a second run adds nothing."""
