"""Public pages for entities: directory, entity page, guide, announcements; visibility; queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from disclosure.models import AdministrativeEntity
from disclosure.models.entities import DisclosureGuide
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    DisclosureGuideFactory,
    EnforcementOfficerFactory,
    EnforcementPowerFactory,
    RandomInspectionItemFactory,
)

pytestmark = pytest.mark.django_db

S = AdministrativeEntity.Status
HIDDEN = [S.DRAFT, S.SUBMITTED, S.REVIEWED, S.CONFIRMED, S.REVOKED]


def _queries(client, url: str) -> int:  # noqa: ANN001
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_directory_shows_the_tree_of_announced_entities(client) -> None:
    root = AdministrativeEntityFactory(name="西岗区人民政府")
    bureau = AdministrativeEntityFactory(name="西岗区卫生局", parent=root)
    AdministrativeEntityFactory(name="西岗区卫生监督所", parent=bureau)
    AdministrativeEntityFactory(name="西岗区草稿局", draft=True, parent=root)
    page = client.get("/entities/").content.decode()
    assert "西岗区人民政府" in page and "西岗区卫生局" in page and "西岗区卫生监督所" in page
    assert (
        page.index("西岗区人民政府") < page.index("西岗区卫生局") < page.index("西岗区卫生监督所")
    )
    assert "西岗区草稿局" not in page
    assert f'href="/entities/{bureau.pk}/"' in page


def test_english_directory(client) -> None:
    AdministrativeEntityFactory(name="西岗区教育局")
    response = client.get("/en/entities/")
    assert response.status_code == 200
    assert "Administrative entities" in response.content.decode()


def test_entity_page_shows_functions_contacts_guide_and_enforcement(client) -> None:
    entity = AdministrativeEntityFactory(
        name="西岗区卫生局",
        functions="负责全区卫生监督管理。",
        is_enforcement_body=True,
        disclosure_office="西岗区卫生局办公室",
        disclosure_office_phone="0411-83630123",
    )
    DisclosureGuideFactory(entity=entity, version=3)
    EnforcementPowerFactory(entity=entity, name="对未取得卫生许可证擅自营业的处罚")
    EnforcementOfficerFactory(entity=entity, name="王明", certificate_no="210203060001")
    EnforcementOfficerFactory(entity=entity, name="离岗员", active=False)
    RandomInspectionItemFactory(entity=entity, item="公共场所卫生监督检查")
    page = client.get(f"/entities/{entity.pk}/").content.decode()
    for text in (
        "负责全区卫生监督管理。",
        "西岗区卫生局办公室",
        "0411-83630123",
        "对未取得卫生许可证擅自营业的处罚",
        "王明",
        "210203060001",
        "公共场所卫生监督检查",
        f"/entities/{entity.pk}/guide/",
    ):
        assert text in page, text
    assert "离岗员" not in page


@pytest.mark.parametrize("status", HIDDEN)
def test_non_announced_entities_are_404_everywhere(client, status: str) -> None:
    entity = AdministrativeEntityFactory(status=status)
    DisclosureGuideFactory(entity=entity, version=1)
    for url in (
        f"/entities/{entity.pk}/",
        f"/entities/{entity.pk}/guide/",
        f"/entities/{entity.pk}/guide/v1/",
        f"/en/entities/{entity.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert entity.name not in client.get("/entities/").content.decode()
    assert entity.name not in client.get("/announcements/").content.decode()


def test_guide_page_shows_current_version_history_and_entity_contacts(client) -> None:
    entity = AdministrativeEntityFactory(disclosure_office_address="西岗区长春路1号")
    old = DisclosureGuideFactory(
        entity=entity, version=1, status=DisclosureGuide.Status.SUPERSEDED, body="<p>旧版指南</p>"
    )
    DisclosureGuideFactory(entity=entity, version=2, body="<p>新版指南</p>")
    DisclosureGuideFactory(
        entity=entity,
        version=3,
        status=DisclosureGuide.Status.DRAFT,
        published_at=None,
        body="<p>草稿指南</p>",
    )
    page = client.get(f"/entities/{entity.pk}/guide/").content.decode()
    assert "新版指南" in page and "旧版指南" not in page and "草稿指南" not in page
    assert "西岗区长春路1号" in page  # the contact block comes from the entity
    assert f"/entities/{entity.pk}/guide/v1/" in page
    assert f"/entities/{entity.pk}/guide/v3/" not in page
    old_page = client.get(f"/entities/{entity.pk}/guide/v{old.version}/").content.decode()
    assert "旧版指南" in old_page
    assert f'href="/entities/{entity.pk}/guide/"' in old_page  # "read the current version"
    assert client.get(f"/entities/{entity.pk}/guide/v3/").status_code == 404
    assert client.get(f"/entities/{entity.pk}/guide/v9/").status_code == 404


def test_guide_page_is_404_without_a_published_guide(client) -> None:
    entity = AdministrativeEntityFactory()
    assert client.get(f"/entities/{entity.pk}/guide/").status_code == 404


def test_announcement_page_lists_entities_whose_period_includes_today(client) -> None:
    today = timezone.localdate()
    AdministrativeEntityFactory(
        name="正在公示局", announcement_start=today, announcement_end=today + datetime.timedelta(7)
    )
    AdministrativeEntityFactory(
        name="公示已结束局",
        announcement_start=today - datetime.timedelta(30),
        announcement_end=today - datetime.timedelta(1),
    )
    AdministrativeEntityFactory(
        name="尚未公示局",
        announcement_start=today + datetime.timedelta(1),
        announcement_end=today + datetime.timedelta(8),
    )
    page = client.get("/announcements/").content.decode()
    assert "正在公示局" in page
    assert "公示已结束局" not in page
    assert "尚未公示局" not in page


def test_guide_body_is_not_double_escaped_and_scripts_never_reach_the_page(client) -> None:
    entity = AdministrativeEntityFactory()
    DisclosureGuideFactory(entity=entity, version=1, body="<h2>一、信息分类</h2>")
    page = client.get(f"/entities/{entity.pk}/guide/").content.decode()
    assert "<h2>一、信息分类</h2>" in page


def test_directory_query_count_does_not_grow(client) -> None:
    root = AdministrativeEntityFactory()
    first = _queries(client, "/entities/")
    AdministrativeEntityFactory.create_batch(19, parent=root)
    assert _queries(client, "/entities/") == first


def test_entity_page_query_count_does_not_grow(client) -> None:
    entity = AdministrativeEntityFactory()
    child = AdministrativeEntityFactory(parent=entity)
    DisclosureGuideFactory(entity=entity, version=1)
    EnforcementPowerFactory(entity=entity)
    EnforcementOfficerFactory(entity=entity)
    RandomInspectionItemFactory(entity=entity)
    first = _queries(client, f"/entities/{entity.pk}/")
    AdministrativeEntityFactory.create_batch(19, parent=entity)
    EnforcementPowerFactory.create_batch(19, entity=entity)
    EnforcementOfficerFactory.create_batch(19, entity=entity)
    RandomInspectionItemFactory.create_batch(19, entity=entity)
    assert _queries(client, f"/entities/{entity.pk}/") == first
    assert child.pk


def test_announcement_query_count_does_not_grow(client) -> None:
    root = AdministrativeEntityFactory()
    first = _queries(client, "/announcements/")
    AdministrativeEntityFactory.create_batch(19, parent=root)
    assert _queries(client, "/announcements/") == first


def test_entity_page_lists_its_published_entries_only(client) -> None:
    from tests.factories.disclosure import CatalogueEntryFactory, publish_entry

    entity = AdministrativeEntityFactory()
    publish_entry(CatalogueEntryFactory(publisher=entity, title="已发布的通知"))
    CatalogueEntryFactory(publisher=entity, title="尚在起草的通知")
    page = client.get(f"/entities/{entity.pk}/").content.decode()
    assert "已发布的通知" in page
    assert "尚在起草的通知" not in page


def test_entity_page_query_count_does_not_grow_with_entries(client) -> None:
    from tests.factories.disclosure import CatalogueEntryFactory, publish_entry

    entity = AdministrativeEntityFactory()
    publish_entry(CatalogueEntryFactory(publisher=entity))
    first = _queries(client, f"/entities/{entity.pk}/")
    for _ in range(19):
        publish_entry(CatalogueEntryFactory(publisher=entity))
    assert _queries(client, f"/entities/{entity.pk}/") == first


def test_guide_page_sanitises_a_body_written_outside_the_actions(client) -> None:
    entity = AdministrativeEntityFactory()
    DisclosureGuideFactory(entity=entity, version=1, body="<p>正文</p><script>alert(1)</script>")
    page = client.get(f"/entities/{entity.pk}/guide/").content.decode()
    assert "<p>正文</p>" in page
    assert "alert(1)" not in page
