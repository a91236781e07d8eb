"""Read-only API for entities and guides: visibility, filters, pagination, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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

API = "/api/v1/disclosure"
S = AdministrativeEntity.Status


def test_entity_list_shows_only_announced_and_filters(client) -> None:
    root = AdministrativeEntityFactory(name="西岗区人民政府")
    street = AdministrativeEntityFactory(
        name="日新街道办事处", parent=root, kind=AdministrativeEntity.Kind.DISPATCHED_AGENCY
    )
    AdministrativeEntityFactory(name="草稿局", draft=True)
    AdministrativeEntityFactory(name="已撤销局", status=S.REVOKED)
    data = client.get(f"{API}/entities/").json()
    assert data["count"] == 2
    assert {row["name"] for row in data["results"]} == {"西岗区人民政府", "日新街道办事处"}
    by_kind = client.get(f"{API}/entities/", {"kind": "dispatched_agency"}).json()
    assert [row["id"] for row in by_kind["results"]] == [street.pk]
    by_parent = client.get(f"{API}/entities/", {"parent": root.pk}).json()
    assert [row["id"] for row in by_parent["results"]] == [street.pk]
    assert client.get(f"{API}/entities/", {"kind": "nonsense"}).status_code == 400


def test_entity_list_is_paginated(client) -> None:
    AdministrativeEntityFactory.create_batch(25)
    data = client.get(f"{API}/entities/").json()
    assert data["count"] == 25
    assert len(data["results"]) == 20
    assert data["next"]


def test_entity_detail_has_contacts_and_enforcement_lists(client) -> None:
    entity = AdministrativeEntityFactory(disclosure_office="卫生局办公室")
    guide = DisclosureGuideFactory(entity=entity, version=1)
    EnforcementPowerFactory(entity=entity, name="处罚事项")
    EnforcementOfficerFactory(entity=entity, certificate_no="A1")
    EnforcementOfficerFactory(entity=entity, certificate_no="A2", active=False)
    RandomInspectionItemFactory(entity=entity)
    data = client.get(f"{API}/entities/{entity.pk}/").json()
    assert data["disclosure_office"]["name"] == "卫生局办公室"
    assert data["enforcement_powers"][0]["name"] == "处罚事项"
    assert [o["certificate_no"] for o in data["enforcement_officers"]] == ["A1"]
    assert len(data["random_inspection_items"]) == 1
    assert data["current_guide"] == guide.pk


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.REVIEWED, S.CONFIRMED, S.REVOKED])
def test_hidden_entities_and_their_guides_are_404(client, status: str) -> None:
    entity = AdministrativeEntityFactory(status=status)
    guide = DisclosureGuideFactory(entity=entity, version=1)
    assert client.get(f"{API}/entities/{entity.pk}/").status_code == 404
    assert client.get(f"{API}/guides/{guide.pk}/").status_code == 404
    assert client.get(f"{API}/guides/").json()["count"] == 0


def test_guides_list_only_published_versions(client) -> None:
    entity = AdministrativeEntityFactory()
    old = DisclosureGuideFactory(entity=entity, version=1, status=DisclosureGuide.Status.SUPERSEDED)
    current = DisclosureGuideFactory(entity=entity, version=2)
    draft = DisclosureGuideFactory(
        entity=entity, version=3, status=DisclosureGuide.Status.DRAFT, published_at=None
    )
    data = client.get(f"{API}/guides/").json()
    assert {row["id"] for row in data["results"]} == {old.pk, current.pk}
    assert client.get(f"{API}/guides/{draft.pk}/").status_code == 404
    published = client.get(f"{API}/guides/", {"status": "published"}).json()
    assert [row["id"] for row in published["results"]] == [current.pk]
    assert client.get(f"{API}/guides/{current.pk}/").json()["version"] == 2


def _count(client, url: str) -> int:  # noqa: ANN001
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_entity_list_query_count_does_not_grow(client) -> None:
    root = AdministrativeEntityFactory()
    first = _count(client, f"{API}/entities/")
    AdministrativeEntityFactory.create_batch(19, parent=root)
    assert _count(client, f"{API}/entities/") == first


def test_guide_list_query_count_does_not_grow(client) -> None:
    DisclosureGuideFactory(version=1)
    first = _count(client, f"{API}/guides/")
    for _ in range(19):
        DisclosureGuideFactory(version=1)
    assert _count(client, f"{API}/guides/") == first


def test_entity_detail_query_count_does_not_grow(client) -> None:
    entity = AdministrativeEntityFactory()
    EnforcementPowerFactory(entity=entity)
    first = _count(client, f"{API}/entities/{entity.pk}/")
    EnforcementPowerFactory.create_batch(19, entity=entity)
    EnforcementOfficerFactory.create_batch(20, entity=entity)
    assert _count(client, f"{API}/entities/{entity.pk}/") == first


def test_schema_lists_the_endpoints(client) -> None:
    schema = client.get("/api/schema/").content.decode()
    for path in ("/entities/", "/entities/{id}/", "/guides/", "/guides/{id}/"):
        assert f"/api/v1/disclosure{path}" in schema
