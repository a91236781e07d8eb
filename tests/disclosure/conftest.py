"""Fixtures shared by the disclosure tests."""

import pytest

from tests.factories.disclosure import catalogue_reviewer, request_handler


@pytest.fixture
def reviewer() -> object:
    """An official who reviews and publishes catalogue entries."""
    return catalogue_reviewer()


@pytest.fixture
def handler() -> object:
    """An official who handles information requests (and approves extensions)."""
    return request_handler()
