"""Fixtures shared by the workspace tests (builders of officials and records: officials.py)."""

import pytest
from django.test import Client

from tests.factories.disclosure import UserFactory


@pytest.fixture
def root(client: Client) -> Client:
    """The test client signed in as a superuser named root: every permission, every
    department."""
    client.force_login(UserFactory(username="root", is_superuser=True))
    return client
