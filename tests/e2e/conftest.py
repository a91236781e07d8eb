"""Browser-test harness: pytest-django's live server driven by Debian's Chromium via Playwright.

One browser per test session; each test gets a fresh context (cookies, viewport) and page.
Chromium is never downloaded: without /usr/bin/chromium the tests are skipped, unless
GONGKAI_E2E_REQUIRED=1 (set by .ci/run), where its absence is a failure.

Usage in a test module::

    pytestmark = pytest.mark.e2e

    def test_something(page, site_url):
        page.goto(site_url("/en/"))
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the
# database calls that the live server's fixtures make from it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {"mobile": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in tests/e2e/ is a browser test, marker or not."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator:
    """Launch headless Chromium once for the whole session."""
    if not CHROMIUM.exists():
        if os.environ.get("GONGKAI_E2E_REQUIRED") == "1":
            pytest.fail(
                f"Chromium not found at {CHROMIUM}, and GONGKAI_E2E_REQUIRED=1: "
                "browser tests are required here (apt-get install -y chromium)"
            )
        pytest.skip(f"Chromium not found at {CHROMIUM}: browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def site_url(live_server, transactional_db) -> Callable[[str], str]:
    """Turn a site path into an absolute live-server URL. Needs the database for the server."""
    base = live_server.url.rstrip("/")
    return lambda path="/": base + path


@pytest.fixture
def viewport() -> str:
    """The viewport a test's page gets; override with @pytest.mark.parametrize("viewport", …)."""
    return "desktop"


@pytest.fixture
def page(chromium_browser, viewport: str) -> Iterator:
    """A fresh page in a fresh browser context, Chinese as the browser's preferred language."""
    context = chromium_browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def screenshot(page) -> Callable[[str], Path]:
    """Save a full-page screenshot under tests/e2e/artifacts/ and return its path."""

    def take(name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def axe_serious_violations(page) -> str:
    """Run axe-core on the page; a readable list of serious or critical violations, or ""."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [
        violation
        for violation in results.response["violations"]
        if violation.get("impact") in ("serious", "critical")
    ]
    return "\n".join(
        f"- [{violation['impact']}] {violation['id']}: {violation['help']}\n"
        + "\n".join(f"    {node['target']}" for node in violation["nodes"])
        for violation in serious
    )
