"""A citizen applies for information and tracks it; the annual report page passes axe."""

import pytest

from tests.e2e.conftest import axe_serious_violations
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    make_request,
    make_resident_id,
    request_handler,
)


@pytest.fixture
def entity(transactional_db):
    return AdministrativeEntityFactory(name="西岗区教育局")


def test_citizen_submits_a_request_and_tracks_it(page, site_url, screenshot, entity):
    # given the entity's page, with its link to the request form
    page.goto(site_url(f"/entities/{entity.pk}/"))
    page.locator(".request-link a").click()
    page.wait_for_url("**/requests/new/?entity=*")
    report = axe_serious_violations(page)
    assert not report, f"axe on the request form:\n{report}"

    # when the citizen fills in the form and submits it
    page.locator("[name=applicant_name]").fill("王晓明")
    page.locator("[name=id_number]").fill(make_resident_id())
    page.locator("[name=contact_phone]").fill("13800000000")
    page.locator("[name=info_title]").fill("西岗区义务教育阶段学校划片范围")
    page.locator("main button[type=submit]").click()
    number = page.locator(".tracking-number").inner_text().strip()
    password = page.locator(".tracking-password").inner_text().strip()
    assert number.startswith("YSQ-")
    screenshot("request-submitted")

    # then tracking by number and password shows the application's state, no personal data
    page.goto(site_url("/requests/track/"))
    page.locator("[name=number]").fill(number)
    page.locator("[name=password]").fill(password)
    page.locator("main button[type=submit]").click()
    status = page.locator("[data-status]")
    assert status.get_attribute("data-status") == "submitted"
    assert "13800000000" not in page.locator("main").inner_text()
    report = axe_serious_violations(page)
    assert not report, f"axe on the tracking page:\n{report}"
    screenshot("request-tracked")


def test_the_annual_report_page_passes_axe(page, site_url, screenshot, entity):
    import datetime as dt

    from disclosure.actions.reports import report_generate, report_publish
    from disclosure.actions.requests import request_reply

    handler = request_handler()
    request = make_request(entity=entity, received=dt.date(2025, 3, 3), by=handler)
    request_reply(request=request, by=handler, outcome="partly_disclosed", on=dt.date(2025, 3, 6))
    report_publish(report=report_generate(entity=None, year=2025, by=handler), by=handler)
    page.goto(site_url("/reports/district/2025/"))
    assert page.locator("tr[data-row=partly_disclosed] td").first.inner_text() == "1"
    report = axe_serious_violations(page)
    assert not report, f"axe on the annual report:\n{report}"
    screenshot("annual-report")
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    screenshot("annual-report-print")
