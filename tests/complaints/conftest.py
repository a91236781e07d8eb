"""Fixtures of the complaints tests."""

import pytest

from complaints.models import Open311Key
from tests.factories.disclosure import UserFactory


@pytest.fixture(autouse=True)
def _ledger_refreshed_at_once(settings) -> None:  # noqa: ANN001 - pytest-django's settings
    """The ledger's cached tallies follow every action at once here (in production at most
    every COMPLAINTS_LEDGER_REFRESH_SECONDS, 10 by default): tests read figures right after
    each action. test_ledger checks the interval itself."""
    settings.COMPLAINTS_LEDGER_REFRESH_SECONDS = 0


@pytest.fixture
def api_key() -> str:
    """The Open311 key of a partner (the 12345 hotline) that may file complaints."""
    return Open311Key.objects.create(name="12345热线").key


@pytest.fixture
def bureau() -> object:
    """An official of the supervision bureau: manages supervisors, visits and rectification
    projects (test_visits adds the window scores)."""
    return UserFactory(perms=["complaints.manage_supervision"])
