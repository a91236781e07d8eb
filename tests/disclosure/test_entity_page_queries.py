"""The entity page's reads (`entity_page_get`): the same rows, order and values as the ORM, in
two queries whatever the number of rows, on SQLite and PostgreSQL."""

import datetime
import itertools
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure.models import AdministrativeEntity, CatalogueEntry
from disclosure.models.entities import DisclosureGuide, EnforcementOfficer
from disclosure.selectors.catalogue import catalogue_entries_of_publisher
from disclosure.selectors.entities import (
    ENTITY_PAGE_ENTRIES,
    entity_page_get,
    entity_public_queryset,
)
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    CatalogueEntryFactory,
    DisclosureGuideFactory,
    EnforcementOfficerFactory,
    EnforcementPowerFactory,
    RandomInspectionItemFactory,
)

pytestmark = pytest.mark.django_db

_index_numbers = itertools.count(1)


def _published_entry(publisher: AdministrativeEntity, **kwargs: object) -> CatalogueEntry:
    """A published entry written directly (the workflow is tested elsewhere; this is faster)."""
    kwargs.setdefault("status", CatalogueEntry.Status.PUBLISHED)
    kwargs.setdefault("published_date", datetime.date(2026, 3, 1))
    return CatalogueEntryFactory(
        publisher=publisher, index_no=f"TEST-{next(_index_numbers):06d}", **kwargs
    )


def _rich_entity() -> AdministrativeEntity:
    """An entity with rows of every kind the page lists, in an order the ORM has to sort."""
    parent = AdministrativeEntityFactory(name="西岗区人民政府")
    entity = AdministrativeEntityFactory(
        parent=parent,
        functions="负责全区卫生监督管理。",
        is_enforcement_body=True,
        enforcement_area="卫生",
        head="张三",
        website="https://example.com/?a=1&b=2",
    )
    for sort_order, name in ((2, "乙所"), (1, "丙所"), (1, "甲所")):
        AdministrativeEntityFactory(parent=entity, sort_order=sort_order, name=name)
    AdministrativeEntityFactory(parent=entity, name="草稿所", draft=True)
    for sort_order in (3, 1, 1, 2):
        EnforcementPowerFactory(entity=entity, sort_order=sort_order, duties="职责")
    for number, active in (("3", True), ("1", True), ("2", False), ("0", True)):
        EnforcementOfficerFactory(entity=entity, certificate_no=f"21020306{number}", active=active)
    for sequence in (5, 2, 9):
        RandomInspectionItemFactory(entity=entity, sequence=sequence, remarks=f"备注{sequence}")
    DisclosureGuideFactory(entity=entity, version=1, status=DisclosureGuide.Status.SUPERSEDED)
    DisclosureGuideFactory(entity=entity, version=2)
    DisclosureGuideFactory(
        entity=entity, version=3, status=DisclosureGuide.Status.DRAFT, published_at=None
    )
    for day in (3, 1, 3, 7, 2, 3, 9, 4, 5, 6, 8, 3):
        _published_entry(entity, published_date=datetime.date(2026, 3, day))
    _published_entry(entity, status=CatalogueEntry.Status.WITHDRAWN)
    CatalogueEntryFactory(publisher=entity, title="尚在起草的通知")
    _published_entry(parent, published_date=datetime.date(2026, 4, 1))
    return entity


def _values(rows: list, *names: str) -> list[tuple]:
    return [tuple(getattr(row, name) for name in names) for row in rows]


def test_the_page_reads_the_rows_the_orm_reads_in_its_order() -> None:
    entity = _rich_entity()
    page = entity_page_get(pk=entity.pk)
    assert page is not None

    expected = AdministrativeEntity.objects.get(pk=entity.pk)
    for model_field in AdministrativeEntity._meta.concrete_fields:
        got = getattr(page.entity, model_field.attname)
        want = getattr(expected, model_field.attname)
        assert (got, type(got)) == (want, type(want)), model_field.name
    assert (page.entity.parent.pk, page.entity.parent.name, page.entity.parent.status) == (
        entity.parent.pk,
        "西岗区人民政府",
        AdministrativeEntity.Status.ANNOUNCED,
    )

    children = entity_public_queryset().filter(parent=entity)
    assert _values(page.children, "pk", "name") == _values(list(children), "pk", "name")
    assert [child.name for child in page.children] == ["丙所", "甲所", "乙所"]

    power_fields = ("pk", "name", "category", "duties", "authority", "legal_basis")
    power_fields += ("procedure", "remedies")
    assert _values(page.powers, *power_fields) == _values(
        list(entity.enforcement_powers.all()), *power_fields
    )
    officers = EnforcementOfficer.objects.filter(entity=entity, active=True)
    officer_fields = ("pk", "name", "certificate_no", "category")
    assert _values(page.officers, *officer_fields) == _values(list(officers), *officer_fields)
    assert len(page.officers) == 3
    item_fields = ("pk", "sequence", "item", "sub_item", "inspecting_body", "basis", "method")
    item_fields += ("content", "remarks")
    assert _values(page.inspection_items, *item_fields) == _values(
        list(entity.random_inspection_items.all()), *item_fields
    )
    assert [item.sequence for item in page.inspection_items] == [2, 5, 9]

    guide = DisclosureGuide.objects.current().get(entity=entity)
    assert page.guide is not None
    assert (page.guide.pk, page.guide.version, page.guide.published_at) == (
        guide.pk,
        2,
        guide.published_at,
    )

    entry_fields = ("pk", "title", "published_date")
    entries = catalogue_entries_of_publisher(publisher=entity, limit=ENTITY_PAGE_ENTRIES)
    assert _values(page.entries, *entry_fields) == _values(entries, *entry_fields)
    assert len(page.entries) == ENTITY_PAGE_ENTRIES
    assert isinstance(page.entries[0].published_date, datetime.date)
    assert page.entries[0].get_absolute_url() == f"/catalogue/entries/{entries[0].pk}/"


def test_an_entity_with_nothing_to_list() -> None:
    entity = AdministrativeEntityFactory()
    page = entity_page_get(pk=entity.pk)
    assert page is not None
    assert page.entity.parent is None
    assert page.guide is None
    assert page.children == page.powers == page.officers == []
    assert page.inspection_items == page.entries == []


@pytest.mark.parametrize(
    "status",
    [s for s in AdministrativeEntity.Status if s != AdministrativeEntity.Status.ANNOUNCED],
)
def test_an_entity_that_is_not_announced_has_no_page(client, status: str) -> None:
    entity = AdministrativeEntityFactory(status=status)
    assert entity_page_get(pk=entity.pk) is None
    assert client.get(f"/entities/{entity.pk}/").status_code == 404


def test_an_unknown_entity_is_404(client) -> None:
    assert entity_page_get(pk=987654) is None
    assert client.get("/entities/987654/").status_code == 404


def test_a_parent_that_is_not_announced_is_named_without_a_link(client) -> None:
    parent = AdministrativeEntityFactory(
        name="已撤销的上级局", status=AdministrativeEntity.Status.REVOKED
    )
    entity = AdministrativeEntityFactory(parent=parent)
    page = client.get(f"/entities/{entity.pk}/").content.decode()
    assert "已撤销的上级局" in page
    assert f'href="/entities/{parent.pk}/"' not in page


def test_the_guide_date_is_the_local_date_of_its_publication(client) -> None:
    entity = AdministrativeEntityFactory()
    # 17:30 UTC on 1 March is 01:30 on 2 March in Asia/Shanghai.
    published_at = datetime.datetime(2026, 3, 1, 17, 30, tzinfo=datetime.UTC)
    DisclosureGuideFactory(entity=entity, version=4, published_at=published_at)
    page = client.get(f"/en/entities/{entity.pk}/").content.decode()
    assert "Version 4, published 2026-03-02." in page


def test_the_page_lists_the_latest_published_entries_newest_first(client) -> None:
    entity = AdministrativeEntityFactory()
    for day in range(1, 13):
        _published_entry(entity, title=f"第{day}号通知", published_date=datetime.date(2026, 3, day))
    _published_entry(entity, title="已撤回的通知", status=CatalogueEntry.Status.WITHDRAWN)
    page = client.get(f"/entities/{entity.pk}/").content.decode()
    shown = [day for day in range(1, 13) if f"第{day}号通知" in page]
    assert shown == list(range(3, 13))
    assert page.index("第12号通知") < page.index("第3号通知")
    assert '<time datetime="2026-03-12">2026-03-12</time>' in page
    assert "已撤回的通知" not in page


def _fill(entity: AdministrativeEntity, count: int) -> None:
    AdministrativeEntityFactory.create_batch(count, parent=entity)
    EnforcementPowerFactory.create_batch(count, entity=entity)
    EnforcementOfficerFactory.create_batch(count, entity=entity)
    RandomInspectionItemFactory.create_batch(count, entity=entity)
    for _ in range(count):
        _published_entry(entity)


def test_two_queries_for_one_row_of_each_kind_and_for_twenty(client, settings) -> None:
    settings.GONGKAI_PAGE_CACHE = False  # the same URL is read twice
    entity = AdministrativeEntityFactory(parent=AdministrativeEntityFactory())
    DisclosureGuideFactory(entity=entity, version=1)
    _fill(entity, 1)

    def counted() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as selector:
            entity_page_get(pk=entity.pk)
        with CaptureQueriesContext(connection) as whole:
            response = client.get(f"/entities/{entity.pk}/")
        assert response.status_code == 200
        return len(selector), len(whole)

    one = counted()
    _fill(entity, 19)
    assert counted() == one
    assert one[0] == 2


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_inline_entries_are_the_catalogue_include_to_the_byte(client, prefix: str) -> None:
    """entity_detail.html repeats the markup of catalogue_entity_entries.html (faster dates)."""
    from django.template.loader import render_to_string
    from django.utils import translation

    entity = AdministrativeEntityFactory()
    for day in (1, 9, 28):
        _published_entry(
            entity, title=f"<通知> & {day}", published_date=datetime.date(2026, 2, day)
        )
    page = client.get(f"{prefix}/entities/{entity.pk}/").content.decode()
    with translation.override("en" if prefix else "zh-hans"):
        entries = catalogue_entries_of_publisher(publisher=entity, limit=ENTITY_PAGE_ENTRIES)
        include = render_to_string(
            "disclosure/catalogue_entity_entries.html", {"entity": entity, "entries": entries}
        )
    assert "2026-02-09" in include and "&lt;通知&gt; &amp; 9" in include
    assert include in page


def test_an_entity_without_entries_shows_the_empty_state_of_the_include(client) -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    entity = AdministrativeEntityFactory()
    page = client.get(f"/entities/{entity.pk}/").content.decode()
    with translation.override("zh-hans"):
        include = render_to_string(
            "disclosure/catalogue_entity_entries.html", {"entity": entity, "entries": []}
        )
    assert include in page


@pytest.mark.postgres
def test_the_latest_entries_are_one_walk_of_the_publisher_index() -> None:
    """No sort of all a publisher's entries (a thousand heap pages at a million entries)."""
    from disclosure.selectors import entities

    entity = AdministrativeEntityFactory()
    for day in range(1, 4):
        _published_entry(entity, published_date=datetime.date(2026, 3, day))
    params = {
        "pk": entity.pk,
        "announced": AdministrativeEntity.Status.ANNOUNCED.value,
        "entry_published": CatalogueEntry.Status.PUBLISHED.value,
        "entries": ENTITY_PAGE_ENTRIES,
    }
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        # A sort is still planned when nothing else gives the order (no index to walk), so
        # discouraging it asks whether a walk exists, not which one the tiny table's
        # statistics favour (the FK index and a sort, next to the wider covering index).
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + entities._LISTS_SQL, params)
        raw = cursor.fetchone()[0]
    plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]

    def sorted_entries(node: dict, under_sort: bool = False) -> bool:
        """A Sort between a scan of the entries and the UNION's Append above it."""
        if node.get("Relation Name") == CatalogueEntry._meta.db_table:
            return under_sort
        below = (
            False if node["Node Type"] == "Append" else under_sort or node["Node Type"] == "Sort"
        )
        return any(sorted_entries(child, below) for child in node.get("Plans", []))

    # At a million entries entry_publisher_latest walks them (docs/performance.md); a sort of
    # them is the regression.
    assert not sorted_entries(plan), plan


def test_an_id_beyond_the_database_range_is_404(client) -> None:
    assert entity_page_get(pk=2**63) is None
    assert client.get(f"/entities/{2**70}/").status_code == 404
