"""Fixtures for the workdays tests: every test starts from a calendar read afresh."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_calendar(fresh_calendar: None) -> None:
    """Drop the in-memory calendar around each test: a rolled-back edit must not leak."""
