"""The entry page's reads: two fixed statements instead of seven ORM queries, same answers.

`catalogue_entry_get_public` and `catalogue_entry_relations` run hand-written SQL (speed: see
docs/performance.md); these tests hold them to what the ORM's visibility rules and orderings
say, on SQLite and PostgreSQL, and hold the page to a fixed number of queries.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from disclosure.models import AdministrativeEntity, CatalogueEntry
from disclosure.models.catalogue import CatalogueAttachment
from disclosure.selectors.catalogue import (
    catalogue_entry_get_public,
    catalogue_entry_relations,
)
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    CatalogueEntryFactory,
    TopicFactory,
    publish_entry,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings) -> None:  # noqa: ANN001 - pytest-django's settings fixture
    """Pages are fetched more than once here: every request must reach the view."""
    settings.GONGKAI_PAGE_CACHE = False


def _attach(entry: CatalogueEntry, title: str, *, sort_order: int = 0, **fields) -> None:
    fields.setdefault("content_type", "application/pdf")
    fields.setdefault("size", 2048)
    CatalogueAttachment.objects.create(
        entry=entry,
        file=f"catalogue/{entry.pk}/{title}.pdf",
        title=title,
        sort_order=sort_order,
        **fields,
    )


def _queries(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    return response.status_code, len(context)


def _entry_with_relations(reviewer, rows: int) -> CatalogueEntry:
    """A published entry with `rows` rows of each kind its page lists."""
    entry = publish_entry(CatalogueEntryFactory(), reviewer=reviewer)
    for number in range(rows):
        _attach(entry, f"附件{number}", sort_order=number)
        entry.co_publishers.add(AdministrativeEntityFactory())
        for relation in ("amends", "amended_by", "repeals", "repealed_by"):
            other = publish_entry(CatalogueEntryFactory(), reviewer=reviewer)
            getattr(entry, relation).add(other)
    return entry


def test_entry_page_runs_two_queries_whatever_the_number_of_related_rows(client, reviewer):
    # given an entry with nothing related, one with one row of each kind and one with twenty
    bare = publish_entry(CatalogueEntryFactory(topic=None), reviewer=reviewer)
    one = _entry_with_relations(reviewer, 1)
    twenty = _entry_with_relations(reviewer, 20)

    # then each page is the entry's query and one UNION ALL for its related rows
    assert _queries(client, bare.get_absolute_url()) == (200, 2)
    assert _queries(client, one.get_absolute_url()) == (200, 2)
    assert _queries(client, twenty.get_absolute_url()) == (200, 2)
    assert _queries(client, "/en" + twenty.get_absolute_url()) == (200, 2)


def test_withdrawn_entry_page_runs_one_query(client, reviewer):
    from disclosure.actions.catalogue import catalogue_entry_withdraw

    entry = _entry_with_relations(reviewer, 2)
    catalogue_entry_withdraw(entry=entry, by=reviewer, reason="内容有误")

    assert _queries(client, entry.get_absolute_url()) == (410, 1)


def test_the_entry_is_found_exactly_when_addressable_says_so(reviewer):
    from disclosure.actions.catalogue import (
        catalogue_entry_submit_for_review,
        catalogue_entry_withdraw,
    )

    in_review = CatalogueEntryFactory()
    catalogue_entry_submit_for_review(entry=in_review, by=reviewer)
    withdrawn = publish_entry(CatalogueEntryFactory(), reviewer=reviewer)
    catalogue_entry_withdraw(entry=withdrawn, by=reviewer, reason="内容有误")
    entries = [
        CatalogueEntryFactory(),
        in_review,
        publish_entry(CatalogueEntryFactory(), reviewer=reviewer),
        withdrawn,
    ]
    for status in AdministrativeEntity.Status.values:
        publisher = AdministrativeEntityFactory()
        entry = publish_entry(CatalogueEntryFactory(publisher=publisher), reviewer=reviewer)
        AdministrativeEntity.objects.filter(pk=publisher.pk).update(status=status)
        entries.append(entry)

    for entry in entries:
        expected = CatalogueEntry.objects.addressable().filter(pk=entry.pk).exists()
        try:
            found = catalogue_entry_get_public(pk=entry.pk) is not None
        except CatalogueEntry.DoesNotExist:
            found = False
        assert found == expected, (entry.status, entry.publisher.status)
    with pytest.raises(CatalogueEntry.DoesNotExist):
        catalogue_entry_get_public(pk=2**62)


@pytest.mark.parametrize("pk", [2**63 - 1, 2**63, 10**30])
def test_an_id_past_the_64_bit_range_is_404_not_an_overflow(client, pk):
    assert client.get(f"/catalogue/entries/{pk}/").status_code == 404


def test_the_entry_has_every_field_the_orm_reads_with_the_same_types(reviewer):
    parent = TopicFactory(name="教育")
    entry = publish_entry(
        CatalogueEntryFactory(
            topic=TopicFactory(parent=parent, name="学校收费"),
            valid_until=datetime.date(2030, 1, 31),
            art20_item=CatalogueEntry.Art20Item.FEES,
        ),
        reviewer=reviewer,
    )
    CatalogueEntry.objects.filter(pk=entry.pk).update(
        withdrawn_at=timezone.now(), published_late=True
    )
    expected = CatalogueEntry.objects.select_related("publisher", "topic__parent").get(pk=entry.pk)

    with CaptureQueriesContext(connection) as context:
        found = catalogue_entry_get_public(pk=entry.pk)
        for field in CatalogueEntry._meta.concrete_fields:
            value, wanted = getattr(found, field.attname), getattr(expected, field.attname)
            assert value == wanted, field.name
            assert type(value) is type(wanted), field.name
        assert found.publisher.name == expected.publisher.name
        assert found.publisher_id == expected.publisher_id
        assert str(found.topic) == "教育 / 学校收费" == str(expected.topic)
        assert found.topic.code == expected.topic.code
        assert found.get_validity_display() == expected.get_validity_display()
    assert len(context) == 1  # nothing read lazily afterwards

    no_topic = publish_entry(CatalogueEntryFactory(topic=None), reviewer=reviewer)
    assert catalogue_entry_get_public(pk=no_topic.pk).topic is None
    top_level = publish_entry(CatalogueEntryFactory(topic=parent), reviewer=reviewer)
    found = catalogue_entry_get_public(pk=top_level.pk)
    assert found.topic.parent is None and str(found.topic) == "教育"


def test_relations_are_the_ones_the_orm_shows_in_the_same_order(reviewer):
    # given an entry whose related rows include ones the public may not see
    entry = publish_entry(CatalogueEntryFactory(), reviewer=reviewer)
    _attach(entry, "乙", sort_order=2, content_type="image/png", size=5_000_000)
    _attach(entry, "甲", sort_order=1)
    _attach(entry, "丙", sort_order=1, content_type="text/unknown")  # a tie: id decides
    hidden_entity = AdministrativeEntityFactory(draft=True)
    entry.co_publishers.add(
        AdministrativeEntityFactory(name="Beta局", sort_order=2),
        AdministrativeEntityFactory(name="Alpha局", sort_order=2),
        AdministrativeEntityFactory(name="Gamma局", sort_order=1),
        hidden_entity,
    )
    unannounced = AdministrativeEntityFactory()
    dates = [datetime.date(2006, 7, day) for day in (3, 9, 9, 5)]
    visible = [
        publish_entry(CatalogueEntryFactory(), reviewer=reviewer, published_date=day)
        for day in dates
    ]
    invisible = [
        CatalogueEntryFactory(),
        publish_entry(CatalogueEntryFactory(publisher=unannounced), reviewer=reviewer),
    ]
    AdministrativeEntity.objects.filter(pk=unannounced.pk).update(
        status=AdministrativeEntity.Status.REVOKED
    )
    for relation in ("amends", "amended_by", "repeals", "repealed_by"):
        getattr(entry, relation).add(*visible, *invisible)
    entry.amends.remove(visible[0])

    # when
    relations = catalogue_entry_relations(entry=entry)

    # then
    attachments = CatalogueAttachment.objects.filter(entry=entry).order_by("sort_order", "id")
    assert relations.attachments == [
        {"pk": a.pk, "title": a.title, "type_label": a.type_label, "size": a.size}
        for a in attachments
    ]
    assert [a["title"] for a in relations.attachments] == ["甲", "丙", "乙"]
    assert [a["type_label"] for a in relations.attachments] == ["PDF", "", "PNG"]
    assert relations.co_publishers == [
        {"pk": co.pk, "name": co.name} for co in entry.co_publishers.announced()
    ]
    assert [co["name"] for co in relations.co_publishers] == ["Gamma局", "Alpha局", "Beta局"]
    published = CatalogueEntry.objects.published()
    for relation in ("amends", "amended_by", "repeals", "repealed_by"):
        expected = getattr(entry, relation).all() & published
        assert getattr(relations, relation) == [
            {"pk": other.pk, "title": other.title} for other in expected
        ], relation
    assert [other["pk"] for other in relations.repeals] == [
        visible[2].pk,
        visible[1].pk,
        visible[3].pk,
        visible[0].pk,
    ]
    assert len(relations.amends) == 3


def test_entry_page_links_every_related_row(client, reviewer):
    entry = publish_entry(CatalogueEntryFactory(), reviewer=reviewer)
    _attach(entry, "实施方案全文")
    attachment = CatalogueAttachment.objects.get(entry=entry)
    co_publisher = AdministrativeEntityFactory(name="西岗区财政局")
    entry.co_publishers.add(co_publisher)
    others = {
        relation: publish_entry(CatalogueEntryFactory(title=f"{relation}的文件"), reviewer=reviewer)
        for relation in ("amends", "amended_by", "repeals", "repealed_by")
    }
    for relation, other in others.items():
        getattr(entry, relation).add(other)

    path = entry.get_absolute_url()
    for prefix in ("", "/en"):
        html = client.get(prefix + path).content.decode()
        assert (
            f'<a href="{prefix}/catalogue/entries/{entry.pk}/attachments/{attachment.pk}/" '
            "download>实施方案全文</a> (PDF, "
        ) in html
        assert f'<a href="{prefix}/entities/{entry.publisher_id}/">' in html
        assert f'<a href="{prefix}/entities/{co_publisher.pk}/">西岗区财政局</a>' in html
        for relation, other in others.items():
            assert f'<dd><a href="{prefix}/catalogue/entries/{other.pk}/">{relation}的文件</a>' in (
                html
            )
