"""The service item page read in fixed SQL: the same item, lists and record as the ORM reads,
the same page, and a query count that does not grow with the item's materials, windows, cases."""

import datetime
import random

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from services.models import (
    ConsultationCount,
    ServiceDailySummary,
    ServiceDurationCount,
    ServiceItem,
    ServiceMaterial,
)
from services.selectors.items_public import (
    service_item_public_detail_queryset,
    service_item_public_page,
    service_item_record,
)
from services.selectors.statistics import (
    Period,
    period_half,
    period_month,
    period_year,
    service_figures,
)
from services.views.public import record_period
from tests.factories.disclosure import AdministrativeEntityFactory
from tests.factories.services import (
    ConsultationCountFactory,
    ServiceCaseFactory,
    ServiceItemFactory,
    ServiceMaterialFactory,
    ServiceWindowFactory,
)

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Every GET renders (the query counts GET the same page more than once)."""
    settings.GONGKAI_PAGE_CACHE = False
    cache.clear()
    yield
    cache.clear()


# --- The record: exactly service_figures' -------------------------------------------------------


def _summaries(items: list[ServiceItem], *, seed: int) -> None:
    """Random summary, duration and consultation rows around 2006 for `items`.

    Two departments per item (a case counts for its own department), days on both sides of
    every period tested, duration counts that add up to zero or less for some working days
    (dropped from the histogram), and levels never rated.
    """
    rng = random.Random(seed)
    other = AdministrativeEntityFactory()
    days = [D(2005, 11, 1) + datetime.timedelta(days=n) for n in range(0, 500, 3)]
    summaries, durations, consultations = [], [], []
    for item in items:
        for day in rng.sample(days, 60):
            both = rng.random() < 0.3
            for entity_id in (item.entity_id, other.pk) if both else (item.entity_id,):
                summaries.append(
                    ServiceDailySummary(
                        entity_id=entity_id,
                        item=item,
                        day=day,
                        accepted=rng.randint(0, 9),
                        completed=rng.randint(0, 9),
                        on_time=rng.randint(0, 5),
                        deemed=rng.randint(0, 2),
                        rated_1=0,
                        rated_2=rng.choice((0, 0, 1)),
                        rated_3=rng.randint(0, 3),
                        rated_4=rng.randint(0, 3),
                        rated_5=rng.randint(0, 6),
                    )
                )
                for workdays in rng.sample(range(0, 30), 3):
                    durations.append(
                        ServiceDurationCount(
                            entity_id=entity_id,
                            item=item,
                            day=day,
                            workdays=workdays,
                            count=rng.choice((-1, 0, 1, 2, 5)),
                        )
                    )
            consultations.append(ConsultationCount(item=item, date=day, count=rng.randint(0, 40)))
    ServiceDailySummary.objects.bulk_create(summaries)
    ServiceDurationCount.objects.bulk_create(durations)
    ConsultationCount.objects.bulk_create(consultations)


PERIODS = [
    period_year(2006),
    period_half(2006, 1),
    period_half(2006, 2),
    period_month(2006, 3),
    Period(D(2005, 12, 1), D(2006, 11, 25)),
    Period(D(2006, 2, 28), D(2006, 2, 28)),
    period_year(1999),  # nothing recorded
]


def _figures(figures) -> dict:
    return {
        **figures.as_dict(),
        "consultations": figures.consultations,
        "accepted": figures.accepted,
        "histogram": figures.workdays_histogram,
        "rating_counts": figures.rating_counts,
    }


def test_the_record_is_exactly_service_figures_for_the_item_and_period():
    # given three items with records and one without any case
    items = [ServiceItemFactory() for _ in range(3)]
    idle = ServiceItemFactory()
    _summaries(items, seed=9)
    # when / then
    for item in [*items, idle]:
        for period in PERIODS:
            given, record = service_item_record(item_id=item.pk, period=period)
            assert given == period
            expected = service_figures(period=period, item_id=item.pk)
            assert _figures(record) == _figures(expected), (item.pk, period)
            assert list(record.rating_counts) == list(expected.rating_counts)
    assert service_item_record(item_id=items[0].pk, period=period_year(2006))[1].completed > 0
    _period, empty = service_item_record(item_id=idle.pk, period=period_year(2006))
    assert (empty.completed, empty.consultations, empty.workdays_histogram) == (0, 0, {})


def test_the_record_of_cases_counted_by_the_actions_is_service_figures():
    item = ServiceItemFactory()
    for completed in (D(2006, 3, 7), D(2006, 3, 9), D(2006, 3, 20)):
        ServiceCaseFactory(
            item=item,
            received_on=D(2006, 3, 6),
            accepted_on=D(2006, 3, 6),
            due_date=D(2006, 3, 8),
            completed_on=completed,
            status="completed",
            result="approved",
        )
    ConsultationCountFactory(item=item, date=D(2006, 3, 6), count=9)
    period, record = service_item_record(item_id=item.pk)
    assert period == record_period()
    assert _figures(record) == _figures(service_figures(period=period, item_id=item.pk))
    assert (record.completed, record.consultations, record.median_workdays) == (3, 9, 3)


def _days_to_try() -> list[datetime.date]:
    """Every first, second, 28th to last day of each month of three years (one leap)."""
    days = []
    for year in (2023, 2024, 2025):
        for month in range(1, 13):
            first = D(year, month, 1)
            last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
            days += [first, first + datetime.timedelta(days=1)]
            days += [D(year, month, day) for day in range(28, last.day + 1)]
    return days


def test_the_record_period_is_record_periods_for_any_latest_completion():
    # given an item and one summary row whose day is the latest completion on record
    item = ServiceItemFactory()
    row = ServiceDailySummary.objects.create(
        entity=item.entity, item=item, day=D(2023, 1, 1), completed=1
    )
    ServiceDailySummary.objects.create(entity=item.entity, item=item, day=D(2030, 1, 1))
    # when the latest completion moves, then the period computed in SQL follows record_period
    for day in _days_to_try():
        ServiceDailySummary.objects.filter(pk=row.pk).update(day=day)
        assert service_item_record(item_id=item.pk)[0] == record_period(), day


def test_without_any_completion_the_record_period_ends_today():
    item = ServiceItemFactory()
    ServiceDailySummary.objects.create(entity=item.entity, item=item, day=D(2006, 3, 6))
    for today in (D(2024, 2, 29), D(2024, 3, 1), D(2025, 12, 31)):
        period, record = service_item_record(item_id=item.pk, today=today)
        assert period == record_period(on=today)
        assert record.completed == 0
    assert service_item_record(item_id=item.pk)[0] == record_period()


# --- The page's item and lists: exactly what the ORM reads -------------------------------------


def _orm_page(pk: int) -> dict:
    item = service_item_public_detail_queryset().get(pk=pk)
    return {
        "fields": {f.attname: getattr(item, f.attname) for f in ServiceItem._meta.concrete_fields},
        "entity": item.entity.name,
        "lead": item.joint_lead_entity.name if item.joint_lead_entity else None,
        "kind": item.get_kind_display(),
        "materials": [
            (m.pk, m.name, m.get_form_display(), m.copies, m.required, bool(m.blank_form))
            + (bool(m.sample), m.blank_form.name, m.sample.name)
            for m in item.materials.all()
        ],
        "windows": [(w.pk, w.number) for w in item.windows.all()],
    }


def _sql_page(pk: int) -> dict:
    page = service_item_public_page(pk=pk)
    item = page.item
    return {
        "fields": {f.attname: getattr(item, f.attname) for f in ServiceItem._meta.concrete_fields},
        "entity": item.entity.name,
        "lead": item.joint_lead_entity.name if item.joint_lead_entity else None,
        "kind": item.get_kind_display(),
        "materials": [
            (m.pk, m.name, m.get_form_display(), m.copies, m.required, bool(m.blank_form))
            + (bool(m.sample), m.blank_form.name, m.sample.name)
            for m in page.materials
        ],
        "windows": [(w.pk, w.number) for w in page.windows],
    }


@pytest.fixture
def guide():
    """An item with a joint lead, materials out of id order, open and closed windows."""
    item = ServiceItemFactory(
        joint_lead_entity=AdministrativeEntityFactory(name="牵头部门"),
        green_channel=True,
        is_free=False,
        fee_standard="每件 10 元",
        fee_basis="收费依据",
        online_url="https://example.org/?a=1&b=<2>",
        legal_basis="第一条\n第二条 <b>",
    )
    ServiceMaterialFactory(item=item, name="乙材料", sort_order=2, blank_form="forms/b.pdf")
    ServiceMaterialFactory(item=item, name="甲材料", sort_order=1, sample="samples/a.pdf")
    ServiceMaterialFactory(item=item, name="丙材料", sort_order=1, required=False, copies=3)
    ServiceMaterialFactory(item=ServiceItemFactory(), name="别的事项的材料")
    ServiceWindowFactory(number="12", items=[item])
    ServiceWindowFactory(number="03", items=[item])
    ServiceWindowFactory(number="07", items=[item], is_active=False)
    ServiceWindowFactory(number="05")
    return item


def test_the_page_reads_the_same_item_and_lists_as_the_orm(guide):
    plain = ServiceItemFactory()  # no lead, no materials, no windows
    for item in (guide, plain):
        assert _sql_page(item.pk) == _orm_page(item.pk)
    page = _sql_page(guide.pk)
    assert [m[1] for m in page["materials"]] == ["甲材料", "丙材料", "乙材料"]
    assert page["windows"] == [(w.pk, w.number) for w in guide.windows.filter(is_active=True)]
    assert [number for _pk, number in page["windows"]] == ["03", "12"]
    assert page["lead"] == "牵头部门"
    assert isinstance(page["fields"]["is_free"], bool)


def test_an_unpublished_or_missing_item_is_none_and_a_404(client):
    hidden = ServiceItemFactory(is_published=False)
    assert service_item_public_page(pk=hidden.pk) is None
    assert service_item_public_page(pk=hidden.pk + 1000) is None
    assert client.get(f"/services/items/{hidden.pk}/").status_code == 404
    assert client.get(f"/services/items/{hidden.pk + 1000}/").status_code == 404


def test_the_page_shows_materials_windows_and_links_in_order(client, guide):
    html = client.get(f"/services/items/{guide.pk}/").text
    assert html.index("甲材料") < html.index("丙材料") < html.index("乙材料")
    assert "别的事项的材料" not in html
    first, second = (m.pk for m in ServiceMaterial.objects.filter(item=guide, sort_order=1))
    blank = guide.materials.get(name="乙材料")
    assert f"/services/items/{guide.pk}/materials/{first}/sample/" in html
    assert f"/services/items/{guide.pk}/materials/{blank.pk}/blank-form/" in html
    assert f"/materials/{second}/" not in html  # neither a form nor a sample
    first_open, closed, second_open = guide.windows.order_by("number")
    assert html.index(f'/services/windows/{first_open.pk}/">') < html.index(
        f'/services/windows/{second_open.pk}/">'
    )
    assert f"/services/windows/{closed.pk}/" not in html
    assert "牵头部门" in html
    assert "第一条<br>第二条 &lt;b&gt;" in html


# --- Query count: fixed, whatever the item holds ------------------------------------------------


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add(item: ServiceItem, n: int, *, start: int) -> None:
    for k in range(start, start + n):
        ServiceMaterialFactory(item=item, blank_form=f"services/forms/{k}.pdf")
        ServiceWindowFactory(items=[item])
        ServiceCaseFactory(
            item=item,
            received_on=D(2006, 3, 6),
            accepted_on=D(2006, 3, 6),
            due_date=D(2006, 3, 8),
            completed_on=D(2006, 3, 7) + datetime.timedelta(days=k),
            status="completed",
            result="approved",
        )
        ConsultationCountFactory(item=item, date=D(2006, 3, 6) + datetime.timedelta(days=k))


def test_the_item_page_query_count_does_not_grow(client):
    item = ServiceItemFactory(joint_lead_entity=AdministrativeEntityFactory())
    url = f"/services/items/{item.pk}/"
    empty = _count(client, url)
    _add(item, 1, start=0)
    one = _count(client, url)
    _add(item, 19, start=1)
    twenty = _count(client, url)
    assert empty == one == twenty == 2  # the item with its lists; the record with its period
    assert client.get(url).text.count("/blank-form/") == 20


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_lists_links_are_the_reversed_urls(client, guide, prefix):
    """Links written as prefix + pk are exactly what reverse() gives, in either language."""
    html = client.get(f"{prefix}/services/items/{guide.pk}/").text
    with translation.override("en" if prefix else "zh-hans"):
        for window in guide.windows.filter(is_active=True):
            assert f'href="{reverse("services:window-detail", args=[window.pk])}"' in html
        for material in guide.materials.all():
            for which, stored in (("blank-form", material.blank_form), ("sample", material.sample)):
                url = reverse("services:material-file", args=[guide.pk, material.pk, which])
                assert (f'href="{url}"' in html) == bool(stored)
    assert html.count('href="' + prefix + "/services/windows/") == 2
    assert html.count("/materials/") == 2
