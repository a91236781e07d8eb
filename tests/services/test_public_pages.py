"""Public pages of the services section: guides, item record, windows, centre, big screen,
annual inspections, statistics (page and CSV); query counts; no personal data."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.actions.summaries import service_summaries_rebuild
from services.models import AnnualInspectionItem, Rating, ServiceCase, WindowMonthlyScore
from tests.factories.services import (
    ConsultationCountFactory,
    ServiceCaseFactory,
    ServiceItemFactory,
    ServiceWindowFactory,
)

D = datetime.date
pytestmark = pytest.mark.django_db


MARCH_6, MARCH_7 = D(2006, 3, 6), D(2006, 3, 7)


def completed_case(item, *, accepted=MARCH_6, completed=MARCH_7, window=None, **kw):
    return ServiceCaseFactory(
        item=item,
        window=window,
        received_on=accepted,
        accepted_on=accepted,
        due_date=D(2006, 3, 8),
        completed_on=completed,
        status=ServiceCase.Status.COMPLETED,
        result=ServiceCase.Result.APPROVED,
        applicant_name="王秘密",
        applicant_contact="13912345678",
        **kw,
    )


@pytest.fixture
def centre():
    item = ServiceItemFactory(name="个体工商户登记", committed_days=2, statutory_days=10)
    hidden = ServiceItemFactory(name="未公开事项", is_published=False)
    window = ServiceWindowFactory(name="工商窗口", items=[item])
    case = completed_case(item, window=window)
    completed_case(item, window=window, completed=D(2006, 3, 9))
    Rating.objects.create(
        case=case,
        level=5,
        channel="window",
        rated_on=D(2006, 3, 7),
        window=window,
        is_real_name=True,
        rater_name="李评价",
        rater_phone="13800001111",
        comment="很好",
    )
    ConsultationCountFactory(item=item, date=D(2006, 3, 6), count=9)
    service_summaries_rebuild()  # the rating was stored around the actions
    WindowMonthlyScore.objects.create(
        window=window, month=D(2006, 3, 1), component="ratings", score=Decimal("100")
    )
    WindowMonthlyScore.objects.create(
        window=window, month=D(2006, 3, 1), component="on_time", score=Decimal("90")
    )
    AnnualInspectionItem.objects.create(
        year=2006,
        unit="西岗区卫生局",
        name="卫生许可证年检",
        legal_basis="《食品卫生法》",
        status="kept",
    )
    return item, hidden, window


PRIVATE = ("王秘密", "13912345678", "李评价", "13800001111")


def assert_no_personal_data(content: str) -> None:
    for secret in PRIVATE:
        assert secret not in content


def test_guide_list_search_and_filters(client, centre):
    item, hidden, _window = centre
    response = client.get("/services/")
    assert response.status_code == 200
    assert item.name in response.text
    assert hidden.name not in response.text
    assert item.name not in client.get("/services/?q=不存在").text
    assert item.name in client.get("/services/?q=工商").text
    assert item.name in client.get(f"/services/?department={item.entity_id}&type=licensing").text
    assert item.name not in client.get("/services/?type=public_service").text
    assert client.get("/services/?department=abc&page=zz").status_code == 200


def test_item_page_shows_the_promise_beside_the_record(client, centre):
    item, hidden, _window = centre
    response = client.get(f"/services/items/{item.pk}/")
    assert response.status_code == 200
    record = response.context["record"]
    assert (record.completed, record.median_workdays, record.p90_workdays) == (2, 1, 3)
    assert record.on_time_rate == Decimal("50.0")
    assert record.committed_days == 2
    assert 'data-figure="median">1<' in response.text
    assert_no_personal_data(response.text)
    assert client.get(f"/services/items/{hidden.pk}/").status_code == 404


def test_window_pages_show_stars_and_formula(client, centre):
    _item, _hidden, window = centre
    listing = client.get("/services/windows/")
    assert listing.status_code == 200
    assert listing.context["windows"][0].month_stars.stars == 5  # (100*40 + 90*30) / 70 = 95.7
    detail = client.get(f"/services/windows/{window.pk}/")
    assert detail.status_code == 200
    assert detail.context["history"][0].weighted == Decimal("95.71")
    assert "95.71" in detail.text


def test_centre_big_screen_and_annual_inspections(client, centre):
    for url in ("/services/centre/", "/services/big-screen/", "/services/annual-inspections/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_personal_data(response.text)
    screen = client.get("/services/big-screen/")
    assert 'http-equiv="refresh"' not in screen.text
    assert "<script" not in screen.text
    assert 'content="300"' in client.get("/services/big-screen/?refresh=300").text
    assert 'http-equiv="refresh"' not in client.get("/services/big-screen/?refresh=5").text
    assert "卫生许可证年检" in client.get("/services/annual-inspections/?year=2006").text


def test_statistics_page_csv_and_english(client, centre):
    response = client.get("/statistics/?period=half&year=2006&half=1")
    assert response.status_code == 200
    totals = response.context["totals"]
    assert (totals.consultations, totals.accepted, totals.completed) == (9, 2, 2)
    assert "<svg" in response.text and "<table" in response.text
    assert_no_personal_data(response.text)
    csv = client.get("/statistics/export.csv?period=half&year=2006&half=1")
    assert csv.status_code == 200
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[2].startswith("total,,9,2,2,100.0,")
    assert_no_personal_data(text)
    assert client.get("/en/statistics/?period=year&year=2006").status_code == 200
    for bad in ("?period=month&year=2006&month=13", "?period=x&year=abc", "?department=zz"):
        assert client.get("/statistics/" + bad).status_code == 200


def _count(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/services/",
        "/services/windows/",
        "/services/centre/",
        "/services/big-screen/",
        "/statistics/?period=half&year=2006&half=1",
        "/services/annual-inspections/",
    ],
)
def test_list_pages_query_count_does_not_grow(client, url):
    def add(n: int) -> None:
        for _ in range(n):
            item = ServiceItemFactory()
            window = ServiceWindowFactory(items=[item])
            completed_case(item, window=window)
            ConsultationCountFactory(item=item, date=D(2006, 3, 6))
            WindowMonthlyScore.objects.create(
                window=window, month=D(2006, 3, 1), component="ratings", score=Decimal("90")
            )
            AnnualInspectionItem.objects.create(
                year=2006, unit=f"单位{item.pk}", name="年检", legal_basis="依据", status="kept"
            )

    add(1)
    one = _count(client, url)
    add(19)
    assert _count(client, url) == one
