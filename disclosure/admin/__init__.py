"""Admin for the disclosure app, one module per part of the domain."""

from disclosure.admin import catalogue, entities, institutions, reports, requests, scoping  # noqa: F401
