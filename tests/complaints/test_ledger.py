"""The public ledger: nothing vanishes, counts reconcile, no personal data, constant queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints.actions.complaints import (
    complaint_assign,
    complaint_conclude,
    complaint_decline,
    complaint_investigate,
    complaint_register,
    complaint_withdraw,
)
from complaints.models import Complaint
from complaints.selectors.complaints import ledger_monthly_counts
from tests.factories.complaints import (
    COMPLAINANT_EMAIL,
    COMPLAINANT_MOBILE,
    COMPLAINANT_NAME,
    ComplaintFactory,
    complaint_handler,
    submit_complaint,
)

pytestmark = pytest.mark.django_db
LEDGER = "/complaints/"


@pytest.fixture
def mixed():
    handler = complaint_handler()
    jan = datetime.date(2026, 1, 12)
    feb = datetime.date(2026, 2, 9)
    declined, _ = submit_complaint(received_on=jan)
    complaint_decline(complaint=declined, by=handler, reason="not_efficiency")
    withdrawn, _ = submit_complaint(received_on=jan)
    complaint_withdraw(complaint=withdrawn, reason="已协商解决")
    concluded, _ = submit_complaint(received_on=feb)
    complaint_register(complaint=concluded, by=handler)
    complaint_assign(complaint=concluded, by=handler, investigator=handler)
    complaint_investigate(complaint=concluded, by=handler)
    complaint_conclude(
        complaint=concluded,
        by=handler,
        finding="partly",
        measures=["criticism"],
        conclusion="部分属实，已批评教育。",
    )
    waiting, _ = submit_complaint(received_on=feb)
    return {"declined": declined, "withdrawn": withdrawn, "concluded": concluded, "open": waiting}


def test_counts_reconcile_per_month_and_in_total(mixed):
    counts = ledger_monthly_counts()
    assert counts.reconciles
    jan, feb = counts.months
    assert (jan.received, jan.declined, jan.withdrawn) == (2, 1, 1)
    assert (feb.received, feb.concluded, feb.in_progress) == (2, 1, 1)
    assert counts.total.received == Complaint.objects.count() == 4


def test_every_complaint_stays_on_the_ledger_with_its_reason(client, mixed):
    response = client.get(LEDGER)
    assert response.status_code == 200
    page = response.content.decode()
    for complaint in mixed.values():
        assert complaint.tracking_no in page
    assert response.context["counts"].reconciles
    statuses = {c.status for c in response.context["complaints"]}
    assert {"declined", "withdrawn", "concluded", "submitted"} == statuses
    assert client.get(f"{LEDGER}?status=declined").context["page_obj"].paginator.count == 1


def test_no_personal_data_on_the_ledger_or_the_api(client, mixed):
    for url in (
        LEDGER,
        "/en/complaints/",
        "/api/v1/complaints/ledger/",
        "/api/v1/complaints/statistics/",
    ):
        text = client.get(url).content.decode()
        for secret in (COMPLAINANT_NAME, COMPLAINANT_MOBILE, COMPLAINANT_EMAIL):
            assert secret not in text, url
    statistics = client.get("/api/v1/complaints/statistics/").json()
    assert statistics["reconciles"] is True


@pytest.mark.parametrize("url", [LEDGER, "/api/v1/complaints/ledger/"])
def test_ledger_query_count_does_not_grow(client, url):
    ComplaintFactory()
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    ComplaintFactory.create_batch(19)
    with CaptureQueriesContext(connection) as twenty:
        assert client.get(url).status_code == 200
    assert len(twenty) == len(one)
