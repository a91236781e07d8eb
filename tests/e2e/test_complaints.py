"""A citizen files a complaint about a public institution from its page, gets the number and the
password, and tracks it; an official replies; the citizen reads the reply and rates it."""

import pytest

from complaints.actions.complaints import (
    complaint_assign,
    complaint_conclude,
    complaint_investigate,
    complaint_register,
    complaint_reply,
)
from complaints.models import Complaint
from tests.e2e.conftest import axe_serious_violations
from tests.factories.complaints import complaint_handler
from tests.factories.disclosure import PublicInstitutionFactory


@pytest.fixture
def institution(transactional_db):
    return PublicInstitutionFactory(name="西岗区第一测试小学")


def test_citizen_files_a_complaint_about_an_institution_and_tracks_it(
    page, site_url, screenshot, institution
):
    # given the institution's page and its complaint link
    page.goto(site_url(f"/institutions/{institution.pk}/"))
    page.locator("a.complaint-link").click()
    page.wait_for_url(f"**/complaints/new/?institution={institution.pk}")
    assert page.locator("main [name=institution]").input_value() == str(institution.pk)
    report = axe_serious_violations(page)
    assert not report, f"axe on the complaint form:\n{report}"

    # when the citizen fills in the form and submits it
    page.locator("main [name=category]").select_option("arbitrary_charges")
    page.locator("main [name=description]").fill("学校要求交纳没有依据的资料费，且未公示。")
    page.locator("main [name=place]").fill("学校财务室")
    page.locator("main [name=complainant_name]").fill("周晓明")
    page.locator("main [name=complainant_mobile]").fill("13912345678")
    page.locator("button[type=submit].button").last.click()
    page.wait_for_url("**/complaints/new/done/")
    number = page.get_by_test_id("tracking-number").inner_text().strip()
    password = page.get_by_test_id("tracking-password").inner_text().strip()
    report = axe_serious_violations(page)
    assert not report, f"axe on the acknowledgement:\n{report}"
    screenshot("complaint-acknowledgement")

    complaint = Complaint.objects.get(tracking_no=number)
    assert complaint.institution_id == institution.pk
    assert "周晓明" not in page.content()

    # then, in a fresh session, the number and password open the complaint
    page.context.clear_cookies()
    page.goto(site_url("/complaints/track/"))
    page.locator("main [name=number]").fill(number)
    page.locator("main [name=password]").fill(password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**/complaints/track/{number}/")
    assert page.locator("td[data-status]").get_attribute("data-status") == "submitted"
    assert institution.supervising_department.name in page.locator("main").inner_text()
    report = axe_serious_violations(page)
    assert not report, f"axe on the tracking page:\n{report}"
    screenshot("complaint-tracking")

    # an official investigates and replies; the citizen reads the reply and rates it
    handler = complaint_handler()
    complaint_register(complaint=complaint, by=handler)
    complaint_assign(complaint=complaint, by=handler, investigator=handler)
    complaint_investigate(complaint=complaint, by=handler)
    complaint_conclude(
        complaint=complaint,
        by=handler,
        finding="substantiated",
        measures=["criticism"],
        conclusion="收费无依据，已责令退还。",
    )
    complaint_reply(complaint=complaint, by=handler, reply="经调查属实，学校已退还资料费。")
    page.reload()
    assert "学校已退还资料费" in page.locator(".complaint-reply").inner_text()
    page.locator("main [name=rating][value='5']").check()
    page.locator("form[action$='/rate/'] button").click()
    page.wait_for_url(f"**/complaints/track/{number}/")
    assert page.locator("td[data-status]").get_attribute("data-status") == "closed"
    report = axe_serious_violations(page)
    assert not report, f"axe after rating:\n{report}"

    # and the public ledger lists it without the complainant
    page.goto(site_url("/complaints/"))
    assert number in page.locator("main").inner_text()
    assert "周晓明" not in page.content()
    report = axe_serious_violations(page)
    assert not report, f"axe on the ledger:\n{report}"
    screenshot("complaint-ledger")
