"""Fixtures shared by the services tests."""

import pytest

from tests.factories.disclosure import AdministrativeEntityFactory, UserFactory


@pytest.fixture
def boss() -> object:
    """A superuser: every permission, every department."""
    return UserFactory(is_superuser=True)


@pytest.fixture
def department() -> object:
    """The department whose service items, windows and cases a test works on."""
    return AdministrativeEntityFactory()
