"""API of the services app: items, windows, annual inspections, statistics; query counts."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.models import AnnualInspectionItem, ServiceCase, WindowMonthlyScore
from tests.factories.services import (
    ConsultationCountFactory,
    ServiceCaseFactory,
    ServiceItemFactory,
    ServiceWindowFactory,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def _add(n: int) -> None:
    for _ in range(n):
        item = ServiceItemFactory()
        window = ServiceWindowFactory(items=[item])
        ServiceCaseFactory(
            item=item,
            window=window,
            received_on=D(2006, 3, 6),
            accepted_on=D(2006, 3, 6),
            due_date=D(2006, 3, 8),
            completed_on=D(2006, 3, 7),
            status=ServiceCase.Status.COMPLETED,
            result="approved",
            applicant_name="王秘密",
            applicant_contact="13912345678",
        )
        ConsultationCountFactory(item=item, date=D(2006, 3, 6), count=3)
        WindowMonthlyScore.objects.create(
            window=window, month=D(2006, 3, 1), component="ratings", score=Decimal(96)
        )
        AnnualInspectionItem.objects.create(
            year=2006, unit=f"单位{item.pk}", name="年检", legal_basis="依据", status="kept"
        )


def test_items_windows_inspections_and_statistics(client):
    _add(2)
    hidden = ServiceItemFactory(is_published=False)
    items = client.get("/api/v1/services/items/").json()
    assert items["count"] == 2
    assert hidden.pk not in [row["id"] for row in items["results"]]
    first = items["results"][0]
    assert {"committed_days", "statutory_days", "kind", "department"} <= set(first)
    detail = client.get(f"/api/v1/services/items/{first['id']}/").json()
    assert detail["windows"] and "materials" in detail
    assert client.get(f"/api/v1/services/items/{hidden.pk}/").status_code == 404
    windows = client.get("/api/v1/services/windows/").json()
    assert windows["results"][0]["stars"] == 5
    window = client.get(f"/api/v1/services/windows/{windows['results'][0]['id']}/").json()
    assert window["history"][0]["scores"] == {"ratings": "96.00"}
    assert client.get("/api/v1/services/annual-inspections/?year=2006").json()["count"] == 2
    stats = client.get("/api/v1/services/statistics/?period=half&year=2006&half=1")
    body = stats.json()
    assert body["totals"]["accepted"] == 2
    assert body["totals"]["completion_rate"] == "100.0"
    assert body["totals"]["consultations"] == 6
    assert len(body["by_item"]) == 2
    assert [m["month"] for m in body["by_month"]][:3] == ["2006-01", "2006-02", "2006-03"]
    for text in (stats.content.decode(), str(items), str(detail)):
        assert "王秘密" not in text and "13912345678" not in text


def test_bad_filters_are_400_or_ignored_not_500(client):
    assert client.get("/api/v1/services/items/?kind=nope").status_code == 400
    assert client.get("/api/v1/services/items/?department=abc").status_code == 400
    assert client.get("/api/v1/services/statistics/?period=month&year=x").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/services/items/",
        "/api/v1/services/windows/",
        "/api/v1/services/annual-inspections/",
        "/api/v1/services/statistics/?period=half&year=2006&half=1",
    ],
)
def test_api_lists_query_count_does_not_grow(client, url):
    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _add(1)
    one = count()
    _add(19)
    assert count() == one
