"""Admin for the disclosure app, one module per part of the domain."""

from disclosure.admin import catalogue, entities, institutions, scoping  # noqa: F401
from disclosure.admin import reports, requests  # noqa: F401, E402
