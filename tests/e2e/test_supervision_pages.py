"""A citizen goes from the invited supervisors to the inspection visits, opens one, and follows
its finding to the rectification project; the department figures sit on the ledger. Every page
passes the axe scan (no serious or critical violation)."""

import pytest

from complaints.models import InspectionVisit
from tests.e2e.conftest import axe_serious_violations
from tests.factories.complaints import (
    InspectionVisitFactory,
    RectificationProjectFactory,
    SupervisorFactory,
    VisitFindingFactory,
)
from tests.factories.disclosure import AdministrativeEntityFactory


@pytest.fixture
def visit(transactional_db):
    labour = AdministrativeEntityFactory(name="西岗区劳动局")
    visit = InspectionVisitFactory(
        status=InspectionVisit.Status.ACCEPTED,
        entity=labour,
        topic="劳动保障窗口暗访",
        score=76,
        supervisor=SupervisorFactory(name="张监督"),
    )
    project = RectificationProjectFactory(
        source="visit", source_visit=visit, responsible_entity=labour, title="农民工工资清欠"
    )
    VisitFindingFactory(
        visit=visit,
        description="拖欠农民工工资投诉未及时受理",
        responsible_entity=labour,
        rectification_project=project,
    )
    return visit


def test_visit_pages_are_reachable_and_accessible(page, site_url, screenshot, visit):
    page.goto(site_url("/complaints/supervisors/"))
    page.locator("main a[href$='/complaints/visits/']").first.click()
    page.wait_for_url("**/complaints/visits/")
    assert "劳动保障窗口暗访" in page.locator("main").inner_text()
    report = axe_serious_violations(page)
    assert not report, f"axe on the visit list:\n{report}"
    screenshot("inspection-visits")

    page.locator(f"main a[href$='/complaints/visits/{visit.pk}/']").first.click()
    page.wait_for_url(f"**/complaints/visits/{visit.pk}/")
    text = page.locator("main").inner_text()
    assert "拖欠农民工工资投诉未及时受理" in text and "张监督" not in text
    report = axe_serious_violations(page)
    assert not report, f"axe on the visit page:\n{report}"

    page.locator("main a[href*='/complaints/rectification/']").first.click()
    page.wait_for_url("**/complaints/rectification/*/")
    assert "农民工工资清欠" in page.locator("main").inner_text()

    page.goto(site_url("/complaints/"))
    assert page.locator("table.department-statistics").is_visible()
    report = axe_serious_violations(page)
    assert not report, f"axe on the ledger with department figures:\n{report}"
