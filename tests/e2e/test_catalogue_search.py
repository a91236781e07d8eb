"""A citizen searches the catalogue for 收费, opens a result and reads its index number."""

import pytest

from tests.e2e.conftest import axe_serious_violations
from tests.factories.disclosure import CatalogueEntryFactory, catalogue_reviewer, publish_entry


@pytest.fixture
def fee_entries(transactional_db):
    reviewer = catalogue_reviewer()
    fees = publish_entry(
        CatalogueEntryFactory(
            title="西岗区中小学收费项目和标准公示",
            body="<p>按照收费内容公示制，学校收费项目、标准和依据一律向社会公开。</p>",
        ),
        reviewer=reviewer,
    )
    publish_entry(
        CatalogueEntryFactory(
            title="行政服务中心窗口服务承诺",
            summary="承诺办结时限和服务标准。",
            body="<p>窗口一次性告知，限时办结。</p>",
            keywords="服务承诺",
        ),
        reviewer=reviewer,
    )
    CatalogueEntryFactory(title="尚未发布的收费草稿")
    return fees


def test_citizen_searches_for_fees_and_reads_the_index_number(
    page, site_url, screenshot, fee_entries
):
    # given the home page
    page.goto(site_url("/"))

    # when the citizen searches for 收费 and opens the result
    page.get_by_role("searchbox").first.fill("收费")
    page.get_by_role("searchbox").first.press("Enter")
    page.wait_for_url("**/catalogue/?q=*")
    results = page.locator("main")
    assert "西岗区中小学收费项目和标准公示" in results.inner_text()
    assert "行政服务中心窗口服务承诺" not in results.inner_text()
    assert "尚未发布的收费草稿" not in results.inner_text()
    report = axe_serious_violations(page)
    assert not report, f"axe on the search results:\n{report}"
    screenshot("catalogue-search-fees")

    page.get_by_role("link", name="西岗区中小学收费项目和标准公示").click()

    # then the entry page shows its index number in the metadata table
    page.wait_for_url("**/catalogue/entries/*/")
    index_cell = page.locator("th", has_text="索引号").locator("xpath=following-sibling::td[1]")
    assert index_cell.inner_text().strip() == fee_entries.index_no
    assert fee_entries.index_no.endswith("-00001")
    report = axe_serious_violations(page)
    assert not report, f"axe on the entry page:\n{report}"
    screenshot("catalogue-entry")
