"""Atom feeds (whole catalogue, per entity, per topic) and /sitemap.xml: published entries only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure.actions.catalogue import (
    catalogue_entry_submit_for_review,
    catalogue_entry_withdraw,
)
from disclosure.models import AdministrativeEntity
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    CatalogueEntryFactory,
    TopicFactory,
    publish_entry,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(reviewer):
    publisher = AdministrativeEntityFactory()
    parent = TopicFactory(code="education", name="教育")
    topic = TopicFactory(code="education-fees", name="教育收费", parent=parent)
    visible = publish_entry(
        CatalogueEntryFactory(title="公开的学校收费通知", publisher=publisher, topic=topic),
        reviewer=reviewer,
    )
    draft = CatalogueEntryFactory(title="草稿通知", publisher=publisher, topic=topic)
    in_review = CatalogueEntryFactory(title="审查中通知", publisher=publisher, topic=topic)
    catalogue_entry_submit_for_review(entry=in_review, by=in_review.author)
    withdrawn = publish_entry(
        CatalogueEntryFactory(title="撤回的通知", publisher=publisher, topic=topic),
        reviewer=reviewer,
    )
    catalogue_entry_withdraw(entry=withdrawn, by=reviewer, reason="有误")
    other = AdministrativeEntityFactory()
    unannounced = publish_entry(
        CatalogueEntryFactory(title="未公示机关的通知", publisher=other, topic=topic),
        reviewer=reviewer,
    )
    AdministrativeEntity.objects.filter(pk=other.pk).update(
        status=AdministrativeEntity.Status.REVOKED
    )
    return {
        "visible": visible,
        "hidden": [draft, in_review, withdrawn, unannounced],
        "publisher": publisher,
        "topic": topic,
        "parent": parent,
        "other": other,
    }


def _feeds(entries):
    return [
        "/catalogue/feed/",
        f"/catalogue/feed/entities/{entries['publisher'].pk}/",
        "/catalogue/feed/topics/education-fees/",
        "/catalogue/feed/topics/education/",  # a top-level topic includes its sub-topics
    ]


def test_feeds_are_atom_and_show_only_published_entries(client, entries):
    for url in _feeds(entries):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/atom+xml")
        text = response.content.decode()
        assert "公开的学校收费通知" in text, url
        assert entries["visible"].get_absolute_url() in text
        assert entries["visible"].index_no in text  # in the entry's id
        for entry in entries["hidden"]:
            assert entry.title not in text, (url, entry.title)


def test_feed_of_unknown_or_unannounced_entity_or_topic_is_404(client, entries):
    assert client.get(f"/catalogue/feed/entities/{entries['other'].pk}/").status_code == 404
    assert client.get("/catalogue/feed/entities/999999/").status_code == 404
    assert client.get("/catalogue/feed/topics/no-such-topic/").status_code == 404


def test_sitemap_lists_only_published_entries(client, entries):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    text = response.content.decode()
    assert f"http://testserver{entries['visible'].get_absolute_url()}" in text
    for entry in entries["hidden"]:
        assert f"/catalogue/entries/{entry.pk}/" not in text


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_feed_and_sitemap_query_counts_do_not_grow(client, reviewer):
    publisher = AdministrativeEntityFactory()
    topic = TopicFactory(parent=TopicFactory())
    publish_entry(CatalogueEntryFactory(publisher=publisher, topic=topic), reviewer=reviewer)
    urls = ["/catalogue/feed/", f"/catalogue/feed/entities/{publisher.pk}/", "/sitemap.xml"]
    before = [_count(client, url) for url in urls]
    for _ in range(19):
        publish_entry(CatalogueEntryFactory(publisher=publisher, topic=topic), reviewer=reviewer)
    assert [_count(client, url) for url in urls] == before
