"""The catalogue API: /api/v1/disclosure/entries/, /entries/<pk>/, /topics/."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure.actions.catalogue import (
    catalogue_entry_submit_for_review,
    catalogue_entry_withdraw,
)
from disclosure.models import AdministrativeEntity, CatalogueEntry
from disclosure.search import search_index_update
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    CatalogueEntryFactory,
    TopicFactory,
    publish_entry,
)

pytestmark = pytest.mark.django_db
ENTRIES = "/api/v1/disclosure/entries/"


def _titles(response) -> list[str]:
    return [row["title"] for row in response.json()["results"]]


def test_list_and_detail_show_published_entries(client, reviewer):
    entry = publish_entry(CatalogueEntryFactory(title="行政服务中心服务承诺"), reviewer=reviewer)
    response = client.get(ENTRIES)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["index_no"] == entry.index_no
    assert row["publisher"]["name"] == entry.publisher.name
    assert row["html_url"].endswith(entry.get_absolute_url())
    detail = client.get(f"{ENTRIES}{entry.pk}/").json()
    assert detail["body"] == entry.body
    assert detail["attachments"] == []


def test_non_public_entries_are_invisible(client, reviewer):
    draft = CatalogueEntryFactory(title="草稿")
    in_review = CatalogueEntryFactory(title="审查中")
    catalogue_entry_submit_for_review(entry=in_review, by=in_review.author)
    withdrawn = publish_entry(CatalogueEntryFactory(title="已撤回"), reviewer=reviewer)
    catalogue_entry_withdraw(entry=withdrawn, by=reviewer, reason="有误")
    other = AdministrativeEntityFactory()
    unannounced = publish_entry(
        CatalogueEntryFactory(title="未公示机关", publisher=other), reviewer=reviewer
    )
    AdministrativeEntity.objects.filter(pk=other.pk).update(status="revoked")
    search_index_update([draft.pk, in_review.pk, withdrawn.pk, unannounced.pk])

    assert client.get(ENTRIES).json()["count"] == 0
    assert client.get(ENTRIES, {"q": "草稿"}).json()["count"] == 0
    for entry in (draft, in_review, withdrawn, unannounced):
        assert client.get(f"{ENTRIES}{entry.pk}/").status_code == 404


def test_facet_and_date_filters(client, reviewer):
    education = AdministrativeEntityFactory()
    parent = TopicFactory()
    child = TopicFactory(parent=parent)
    a = publish_entry(
        CatalogueEntryFactory(title="甲", publisher=education, topic=child), reviewer=reviewer
    )
    publish_entry(
        CatalogueEntryFactory(
            title="乙",
            genre=CatalogueEntry.Genre.REPORT,
            formed_date=datetime.date(2007, 3, 1),
            validity=CatalogueEntry.Validity.EXPIRED,
        ),
        reviewer=reviewer,
    )
    assert _titles(client.get(ENTRIES, {"publisher": education.pk})) == ["甲"]
    assert _titles(client.get(ENTRIES, {"topic": parent.pk})) == ["甲"]
    assert _titles(client.get(ENTRIES, {"genre": "report"})) == ["乙"]
    assert _titles(client.get(ENTRIES, {"year": 2006})) == ["甲"]
    assert _titles(client.get(ENTRIES, {"validity": "expired"})) == ["乙"]
    assert _titles(client.get(ENTRIES, {"published_after": "2007-01-01"})) == ["乙"]
    assert _titles(client.get(ENTRIES, {"published_before": "2006-12-31"})) == ["甲"]
    assert _titles(client.get(ENTRIES, {"disclosure_mode": "on_request"})) == []
    assert _titles(client.get(ENTRIES, {"ordering": "-published_date"})) == ["乙", "甲"]
    assert a.pk in [row["id"] for row in client.get(ENTRIES).json()["results"]]


def test_search_through_q(client, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish_entry(
            CatalogueEntryFactory(title="学校收费管理制度", summary=""), reviewer=reviewer
        )
        publish_entry(
            CatalogueEntryFactory(title="区政府工作报告", summary="", body="", keywords=""),
            reviewer=reviewer,
        )
    assert _titles(client.get(ENTRIES, {"q": "收费"})) == ["学校收费管理制度"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"genre": "nonsense"}, "genre"),
        ({"publisher": "999999"}, "publisher"),
        ({"publisher": "abc"}, "publisher"),
        ({"topic": "abc"}, "topic"),
        ({"published_after": "2006-13-45"}, "published_after"),
        ({"year": "abc"}, "year"),
        ({"year": "3000"}, "year"),
        ({"q": "收" * 10_000}, "q"),
        ({"validity": "forever"}, "validity"),
    ],
)
def test_bad_filter_values_are_400_naming_the_field(client, params, field):
    response = client.get(ENTRIES, params)
    assert response.status_code == 400
    assert field in response.json()


def test_topics_endpoint(client):
    parent = TopicFactory(name="教育")
    TopicFactory(name="学前教育", parent=parent)
    response = client.get("/api/v1/disclosure/topics/")
    assert response.status_code == 200
    names = {row["name"]: row["parent"] for row in response.json()["results"]}
    assert names == {"教育": None, "学前教育": parent.pk}


def test_schema_describes_the_endpoints_and_their_parameters(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/disclosure/entries/" in paths
    assert "/api/v1/disclosure/entries/{id}/" in paths
    assert "/api/v1/disclosure/topics/" in paths
    params = {p["name"] for p in paths["/api/v1/disclosure/entries/"]["get"]["parameters"]}
    assert {
        "q",
        "publisher",
        "topic",
        "genre",
        "year",
        "validity",
        "disclosure_mode",
        "published_after",
        "published_before",
        "page",
    } <= params


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_list_query_count_does_not_grow(client, reviewer):
    publisher = AdministrativeEntityFactory()
    topic = TopicFactory(parent=TopicFactory())
    first = publish_entry(
        CatalogueEntryFactory(publisher=publisher, topic=topic), reviewer=reviewer
    )
    one = _count(client, ENTRIES)
    one_detail = _count(client, f"{ENTRIES}{first.pk}/")
    for _ in range(19):
        publish_entry(CatalogueEntryFactory(publisher=publisher, topic=topic), reviewer=reviewer)
    assert _count(client, ENTRIES) == one
    assert _count(client, f"{ENTRIES}{first.pk}/") == one_detail
