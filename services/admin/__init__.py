"""Admin of the services app, one module per part of the domain."""

from services.admin import cases, inspections, items, ratings  # noqa: F401  # noqa: F401, E402
