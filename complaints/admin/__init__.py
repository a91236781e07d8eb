"""Admin registrations of the complaints app."""

from complaints.admin import (
    complaints,  # noqa: F401  (part A)
    supervision,  # noqa: F401  (part B)
)
