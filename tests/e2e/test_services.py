"""A citizen reads an item's guide and its measured record, then looks up a case; the services
pages (guides, item, windows, statistics, big screen) pass the axe scan."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache

from services.actions.cases import case_receive
from services.models import Rating, ServiceCase, WindowMonthlyScore
from tests.e2e.conftest import axe_serious_violations
from tests.factories.disclosure import UserFactory
from tests.factories.services import (
    ConsultationCountFactory,
    ServiceCaseFactory,
    ServiceItemFactory,
    ServiceMaterialFactory,
    ServiceWindowFactory,
)

D = datetime.date


@pytest.fixture
def guide(transactional_db):
    cache.clear()
    item = ServiceItemFactory(
        name="食品卫生许可证核发",
        committed_days=2,
        statutory_days=20,
        legal_basis="《中华人民共和国食品卫生法》",
        place="西岗区行政服务中心一楼",
    )
    ServiceMaterialFactory(item=item, name="食品卫生许可证申请书")
    window = ServiceWindowFactory(name="卫生监督所窗口", items=[item])
    for day in (7, 8, 8, 9):
        case = ServiceCaseFactory(
            item=item,
            window=window,
            received_on=D(2006, 3, 6),
            accepted_on=D(2006, 3, 6),
            due_date=D(2006, 3, 8),
            completed_on=D(2006, 3, day),
            status=ServiceCase.Status.COMPLETED,
            result="approved",
        )
        Rating.objects.create(
            case=case, level=5, channel="window", rated_on=case.completed_on, window=window
        )
    ConsultationCountFactory(item=item, date=D(2006, 3, 6), count=12)
    WindowMonthlyScore.objects.create(
        window=window, month=D(2006, 3, 1), component="ratings", score=Decimal(100)
    )
    clerk = UserFactory(perms=["services.handle_servicecase"])
    received = case_receive(
        item=item,
        applicant_type="person",
        applicant_name="张测试",
        channel="window",
        by=clerk,
        received_on=D(2006, 6, 26),
        case_no="XG-E2E-0001",
        query_code="E2ECODE8",
    )
    return item, received.case


def test_citizen_reads_the_guide_and_record_then_looks_up_a_case(page, site_url, screenshot, guide):
    item, case = guide
    # given the services section
    page.goto(site_url("/services/"))
    page.locator("#item-q").fill("食品卫生")
    page.locator("form.filter-form button[type=submit]").click()
    page.wait_for_url("**/services/?q=*")
    report = axe_serious_violations(page)
    assert not report, f"axe on the guide list:\n{report}"

    # when the citizen opens the item
    page.get_by_role("link", name=item.name).click()
    page.wait_for_url(f"**/services/items/{item.pk}/")

    # then the promise stands beside the record
    assert "食品卫生许可证申请书" in page.locator("main").inner_text()
    assert page.locator('[data-figure="median"]').inner_text().strip() == "2"
    assert page.locator('[data-figure="p90"]').inner_text().strip() == "3"
    assert page.locator('[data-figure="on-time"]').inner_text().strip() == "75.0%"
    assert page.locator('[data-figure="completed"]').inner_text().strip() == "4"
    report = axe_serious_violations(page)
    assert not report, f"axe on the item page:\n{report}"
    screenshot("services-item-record")

    # and then looks up a case
    lookup = page.locator('a[href$="/services/cases/lookup/"]')
    assert lookup.count() == 1, "the item page links to the case lookup"
    lookup.click()
    page.wait_for_url("**/services/cases/lookup/")
    report = axe_serious_violations(page)
    assert not report, f"axe on the lookup page:\n{report}"
    page.locator('input[name="case_no"]').fill(case.case_no)
    page.locator('input[name="code"]').fill("E2ECODE8")
    page.locator('main form button[type="submit"]').click()
    page.wait_for_load_state()
    assert case.case_no in page.locator("main").inner_text()
    assert "张测试" not in page.content()
    report = axe_serious_violations(page)
    assert not report, f"axe on the case status:\n{report}"
    screenshot("services-case-status")


@pytest.mark.parametrize(
    "path",
    [
        "/services/windows/",
        "/services/centre/",
        "/statistics/?period=half&year=2006&half=1",
        "/services/big-screen/",
        "/services/annual-inspections/",
        "/en/statistics/?period=year&year=2006",
    ],
)
def test_services_pages_pass_axe(page, site_url, guide, path):
    page.goto(site_url(path))
    report = axe_serious_violations(page)
    assert not report, f"axe on {path}:\n{report}"
