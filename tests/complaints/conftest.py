"""Fixtures of the complaints tests."""

import pytest


@pytest.fixture(autouse=True)
def _ledger_refreshed_at_once(settings) -> None:  # noqa: ANN001 - pytest-django's settings
    """The ledger's cached tallies follow every action at once here (in production at most
    every COMPLAINTS_LEDGER_REFRESH_SECONDS, 10 by default): tests read figures right after
    each action. test_ledger checks the interval itself."""
    settings.COMPLAINTS_LEDGER_REFRESH_SECONDS = 0
