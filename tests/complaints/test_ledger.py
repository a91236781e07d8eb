"""The public ledger: nothing vanishes, counts reconcile, no personal data, constant queries."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints.actions.complaints import (
    complaint_conclude,
    complaint_decline,
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
    complaint_to_investigating,
    ledger_get_queries,
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
    complaint_to_investigating(concluded, handler)
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


@pytest.mark.parametrize(
    "url", [LEDGER, "/api/v1/complaints/ledger/", "/api/v1/complaints/statistics/"]
)
def test_ledger_query_count_does_not_grow(client, settings, url):
    settings.GONGKAI_PAGE_CACHE = False  # the page's own queries, not a cached copy
    ComplaintFactory()
    one = (ledger_get_queries(client, url, cold=True), ledger_get_queries(client, url, cold=False))
    ComplaintFactory.create_batch(39)
    twenty = (
        ledger_get_queries(client, url, cold=True),
        ledger_get_queries(client, url, cold=False),
    )
    assert twenty == one
    assert one[0] <= 10
    assert one[1] < one[0]  # the tallies (and the row count) came from the cache


def _page_total(client, **params) -> dict[str, str]:
    """The totals row of the ledger page's monthly table."""
    import re

    html = client.get(LEDGER, params).content.decode()
    return dict(re.findall(r'<td data-count="(\w+)">(\d+)</td>', html))


def test_every_complaint_action_refreshes_the_cached_counts(
    client, settings, django_capture_on_commit_callbacks
):
    """The counts are cached until a complaint action commits: each action shows at once."""
    settings.GONGKAI_PAGE_CACHE = False  # the ledger's own cache, not the page cache
    handler = complaint_handler()
    statistics = "/api/v1/complaints/statistics/"
    assert _page_total(client)["received"] == "0"  # nothing yet, and that is cached too

    with django_capture_on_commit_callbacks(execute=True):
        first, _ = submit_complaint()
        second, _ = submit_complaint()
    assert _page_total(client)["received"] == "2"
    assert _page_total(client)["in_progress"] == "2"
    assert client.get("/api/v1/complaints/ledger/").json()["count"] == 2

    with django_capture_on_commit_callbacks(execute=True):
        complaint_decline(complaint=first, by=handler, reason="not_efficiency")
    assert _page_total(client)["declined"] == "1"
    assert client.get(statistics).json()["months"][-1]["declined"] == 1
    assert client.get(LEDGER, {"status": "declined"}).context["page_obj"].paginator.count == 1

    with django_capture_on_commit_callbacks(execute=True):
        complaint_withdraw(complaint=second, reason="已协商解决")
    total = _page_total(client)
    assert (total["in_progress"], total["withdrawn"], total["declined"]) == ("0", "1", "1")
    departments = client.get("/api/v1/complaints/departments/").json()
    assert sum(row["withdrawn"] for row in departments) == 1


def test_a_write_outside_the_actions_shows_after_the_cache_expires(client, settings, monkeypatch):
    """The safety net: counts cached before a bulk write are recounted after their lifetime."""
    from complaints.selectors import ledger_cache

    settings.GONGKAI_PAGE_CACHE = False
    now = [1_000_000.0]
    monkeypatch.setattr(ledger_cache.time, "time", lambda: now[0])
    ComplaintFactory()
    assert _page_total(client)["received"] == "1"
    ComplaintFactory()  # past the actions: no bump
    now[0] += ledger_cache.LEDGER_CACHE_SECONDS - 1
    assert _page_total(client)["received"] == "1"  # cached
    now[0] += 2
    assert _page_total(client)["received"] == "2"
    cache.clear()  # and a cache restart (or eviction) only means a recount
    assert _page_total(client)["received"] == "2"


def test_under_a_stream_of_complaints_the_counts_are_recounted_at_most_every_interval(
    client, settings, django_capture_on_commit_callbacks, monkeypatch
):
    """At a hundred complaints a second each one bumps the version: the ledger keeps showing
    the last tally (no recount of every row per request) until the refresh interval is over."""
    from complaints.selectors import ledger_cache

    settings.GONGKAI_PAGE_CACHE = False
    settings.COMPLAINTS_LEDGER_REFRESH_SECONDS = 10
    now = [1_000_000.0]
    monkeypatch.setattr(ledger_cache.time, "time", lambda: now[0])
    with django_capture_on_commit_callbacks(execute=True):
        submit_complaint()
    assert _page_total(client)["received"] == "1"

    with django_capture_on_commit_callbacks(execute=True):
        submit_complaint()
    now[0] += 5
    with CaptureQueriesContext(connection) as within:
        assert _page_total(client)["received"] == "1"  # 5 s after the tally: still served
    now[0] += 6
    assert _page_total(client)["received"] == "2"  # 11 s: recounted
    assert len(within) <= 3  # the page's list, its row count and the supervision fingerprint


def test_a_page_showing_an_out_of_date_tally_is_not_kept_in_the_page_cache(
    client, settings, django_capture_on_commit_callbacks, monkeypatch
):
    """Within the refresh interval the ledger shows the last tally; the anonymous page cache
    must not keep that page, or the old figures would outlive the interval (up to its TTL)."""
    from complaints.selectors import ledger_cache

    settings.COMPLAINTS_LEDGER_REFRESH_SECONDS = 10
    now = [1_000_000.0]
    monkeypatch.setattr(ledger_cache.time, "time", lambda: now[0])
    with django_capture_on_commit_callbacks(execute=True):
        submit_complaint()
    assert _page_total(client)["received"] == "1"
    assert client.get(LEDGER)["X-Page-Cache"] == "hit"  # an up-to-date tally is cached

    with django_capture_on_commit_callbacks(execute=True):
        submit_complaint()
    now[0] += 5
    assert _page_total(client)["received"] == "1"  # the last tally, within the interval
    assert client.get(LEDGER)["X-Page-Cache"] == "miss"  # ...and that page was not stored
    now[0] += 6
    assert _page_total(client)["received"] == "2"
    assert client.get(LEDGER)["X-Page-Cache"] == "hit"
