"""Fixtures for the workdays tests: every test starts from a calendar read afresh."""

from collections.abc import Iterator

import pytest

import workdays.calendar as calendar_module


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Iterator[None]:
    """Drop the in-memory calendar around each test: a rolled-back edit must not leak."""
    calendar_module._snapshot = None
    yield
    calendar_module._snapshot = None
