"""The complaints app's part of the demo district (called by `manage.py load_demo`). Idempotent."""

from typing import TextIO

from complaints.demo import complaints, supervision


def load(*, out: TextIO) -> None:
    """Load this app's demo records; a second run adds nothing."""
    complaints.load(out=out)
    supervision.load(out=out)
