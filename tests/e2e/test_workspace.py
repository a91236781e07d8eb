"""Officials' workspace in the browser: an officer signs in, works the top item of the queue
and sees it leave; the queue page passes the axe scan."""

import re

import pytest
from django.utils import timezone

from disclosure.models import CatalogueEntry
from tests.e2e.conftest import axe_serious_violations
from tests.factories.disclosure import AdministrativeEntityFactory
from tests.workspace.officials import entry_in_review, official
from workdays.calendar import add_workdays

pytestmark = pytest.mark.e2e

PASSWORD = "Gongkai-e2e-2026!"  # noqa: S105 - a test account's password


@pytest.fixture
def office_official(transactional_db) -> object:
    user = official("disclosure_office", username="gongkaiban-e2e", first_name="公开办")
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def test_officer_works_the_top_item_and_it_leaves_the_queue(
    page, site_url, screenshot, office_official
) -> None:
    # given two entries in review, one already late
    entity = AdministrativeEntityFactory(name="西岗区教育局")
    today = timezone.localdate()
    late = entry_in_review(entity, add_workdays(today, -2), title="西岗区中小学收费项目公示")
    later = entry_in_review(entity, add_workdays(today, 8), title="西岗区小学招生工作实施方案")

    # the officer opens the queue and is asked to sign in first
    page.goto(site_url("/officials/queue/"))
    page.locator("#id_username").fill(office_official.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url(re.compile(r"/officials/queue/$"))

    rows = page.locator("tbody tr.queue-row")
    assert rows.count() == 2
    top = rows.first
    assert top.get_attribute("data-pk") == str(late.pk)
    assert "queue-overdue" in (top.get_attribute("class") or "")
    report = axe_serious_violations(page)
    assert not report, f"axe on the work queue:\n{report}"
    screenshot("workspace-queue")

    # works the top item: opens it in the admin, passes review and publishes it
    top.get_by_role("link").click()
    page.wait_for_url(re.compile(rf"/catalogueentry/{late.pk}/change/"))
    page.locator('a[href*="/workflow/publish/"]').click()
    page.locator("form [type=submit].default").click()
    page.wait_for_url(re.compile(rf"/catalogueentry/{late.pk}/change/"))
    late.refresh_from_db()
    assert late.status == CatalogueEntry.Status.PUBLISHED

    # back at the queue, the item has gone and the next one is on top
    page.goto(site_url("/officials/queue/"))
    rows = page.locator("tbody tr.queue-row")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-pk") == str(later.pk)
    assert "西岗区中小学收费项目公示" not in page.locator("main").inner_text()


def test_dashboard_passes_axe(page, site_url, office_official) -> None:
    page.goto(site_url("/officials/dashboard/"))
    page.locator("#id_username").fill(office_official.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url(re.compile(r"/officials/dashboard/$"))
    report = axe_serious_violations(page)
    assert not report, f"axe on the dashboard:\n{report}"
