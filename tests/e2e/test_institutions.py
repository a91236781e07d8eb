"""A parent finds a kindergarten's fees from the home page and opens its complaint link."""

import datetime
from decimal import Decimal

import pytest

from disclosure.models.institutions import FeeItem
from tests.e2e.conftest import axe_serious_violations
from tests.factories.disclosure import (
    FeeItemFactory,
    InstitutionDisclosureFactory,
    PublicInstitutionFactory,
    SectorFactory,
    SectorRequirementFactory,
)


@pytest.fixture
def kindergarten(transactional_db):
    sector = SectorFactory(code="kindergarten", name="幼儿园")
    requirement = SectorRequirementFactory(sector=sector)
    SectorRequirementFactory(sector=sector)  # one item left unpublished
    kindergarten = PublicInstitutionFactory(
        name="西岗区中心幼儿园", sector=sector, supervision_phone="0411-83630358"
    )
    InstitutionDisclosureFactory(
        institution=kindergarten,
        kind=requirement.kind,
        content="<p>实行收费内容公示制，表外项目一律不得收取。</p>",
    )
    FeeItemFactory(
        institution=kindergarten,
        name="保育教育费",
        amount_min=Decimal("280"),
        amount_max=Decimal("450"),
        unit=FeeItem.Unit.PER_MONTH,
    )
    FeeItemFactory(
        institution=kindergarten,
        name="伙食费",
        category=FeeItem.Category.MEALS,
        amount_min=Decimal("8"),
        unit=FeeItem.Unit.PER_DAY,
        valid_from=datetime.date(2006, 9, 1),
    )
    PublicInstitutionFactory(name="西岗区人民医院", sector=SectorFactory(code="hospital"))
    return kindergarten


def _axe(page, where: str) -> None:
    report = axe_serious_violations(page)
    assert not report, f"axe on {where}:\n{report}"


def test_parent_finds_kindergarten_fees_and_the_complaint_link(
    page, site_url, screenshot, kindergarten
):
    # given the home page
    page.goto(site_url("/"))

    # when the parent opens the public institutions section
    page.locator("nav.site-nav a[href='/institutions/']").click()
    page.wait_for_url("**/institutions/")
    _axe(page, "the institutions index")
    screenshot("institutions-index")

    # and searches the fees for 保育 in kindergartens
    page.locator("#id_q").fill("保育")
    page.locator("#id_sector").select_option("kindergarten")
    page.locator("form.fee-search button[type=submit]").click()
    page.wait_for_url("**/institutions/fees/?*")
    main = page.locator("main").inner_text()
    assert "保育教育费" in main and "280.00–450.00" in main
    _axe(page, "the fee search results")
    screenshot("institutions-fee-search")

    # then the kindergarten's page shows its whole fee table
    page.get_by_role("link", name="西岗区中心幼儿园").first.click()
    page.wait_for_url(f"**/institutions/{kindergarten.pk}/**")
    fees = page.locator("#fees").locator("xpath=..").inner_text()
    assert "保育教育费" in fees and "伙食费" in fees
    assert "0411-83630358" in page.locator("main").inner_text()
    _axe(page, "the institution page")
    screenshot("institution-detail")

    # and its complaint link starts a complaint about this institution
    link = page.locator("a.complaint-link")
    assert link.get_attribute("href") == f"/complaints/new/?institution={kindergarten.pk}"
    link.click()
    page.wait_for_url(f"**/complaints/new/?institution={kindergarten.pk}")


@pytest.mark.parametrize(
    "path",
    [
        "/institutions/completeness/",
        "/institutions/sectors/kindergarten/",
        "/institutions/sectors/kindergarten/fees/",
        "/en/institutions/",
    ],
)
def test_institution_pages_pass_axe(page, site_url, kindergarten, path: str) -> None:
    page.goto(site_url(path))
    _axe(page, path)
