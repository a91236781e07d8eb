"""Shared pytest fixtures. App tests live in tests/<app>/, browser tests in tests/e2e/."""

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import translation


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: the per-address rate limits count in it."""
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test runs, and leaves the thread, in the portal's default language.

    LocaleMiddleware activates each request's language in the thread that serves it and leaves
    it active; Django's test client serves requests in the test's own thread and resets nothing,
    so a test would otherwise read (gettext, reverse, get_absolute_url) in the language of the
    previous test's last request. Deactivating falls back to settings.LANGUAGE_CODE, as
    Django's setup_test_environment leaves it.
    """
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def fresh_calendar() -> Iterator[None]:
    """The working-day calendar is read afresh from this test's rows, before and after it.

    The calendar is kept in memory per process: one read in an earlier test, whose rows have
    been rolled back since, must not give this test's deadlines. Modules whose tests compute
    deadlines ask for it (`pytest.mark.usefixtures("fresh_calendar")`).
    """
    import workdays.calendar as calendar_module

    calendar_module._snapshot = None
    yield
    calendar_module._snapshot = None


@pytest.fixture(autouse=True)
def _postgres_only(request: pytest.FixtureRequest) -> None:
    """Tests marked `postgres` need PostgreSQL; on SQLite they are skipped with a reason."""
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://…")


@pytest.fixture(autouse=True)
def _page_cache(settings) -> None:  # noqa: ANN001 - pytest-django's settings fixture
    """The anonymous page cache is on in every test, under a version no other test used.

    Test transactions roll back without the write watch seeing it, so a page stored by an
    earlier test could otherwise be served to this one.
    """
    from config import page_cache

    settings.GONGKAI_PAGE_CACHE = True
    page_cache.bump()
