"""The catalogue's public pages: list, facets, search, entry page, withdrawn notice, visibility."""

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
LIST = "/catalogue/"


@pytest.fixture
def hidden(reviewer):
    """One entry in every non-public state, plus a published one of a non-announced publisher."""
    draft = CatalogueEntryFactory(title="草稿中的收费通知")
    in_review = CatalogueEntryFactory(title="审查中的收费通知")
    catalogue_entry_submit_for_review(entry=in_review, by=in_review.author)
    withdrawn = publish_entry(CatalogueEntryFactory(title="已撤回的收费通知"), reviewer=reviewer)
    catalogue_entry_withdraw(entry=withdrawn, by=reviewer, reason="内容有误")
    revoked_publisher = AdministrativeEntityFactory()
    unannounced = publish_entry(
        CatalogueEntryFactory(title="未公示机关的收费通知", publisher=revoked_publisher),
        reviewer=reviewer,
    )
    AdministrativeEntity.objects.filter(pk=revoked_publisher.pk).update(
        status=AdministrativeEntity.Status.REVOKED
    )
    search_index_update([draft.pk, in_review.pk, withdrawn.pk, unannounced.pk])
    return {
        "draft": draft,
        "in_review": in_review,
        "withdrawn": withdrawn,
        "unannounced": unannounced,
    }


def test_list_shows_published_entries_with_index_numbers(client, reviewer):
    entry = publish_entry(
        CatalogueEntryFactory(title="关于推行行政执法责任制的实施意见"), reviewer=reviewer
    )
    response = client.get(LIST)
    assert response.status_code == 200
    text = response.content.decode()
    assert "关于推行行政执法责任制的实施意见" in text
    assert entry.index_no in text
    assert entry.get_absolute_url() in text
    assert 'rel="alternate" type="application/atom+xml"' in text


def test_list_hides_every_non_public_entry(client, hidden, reviewer):
    publish_entry(CatalogueEntryFactory(title="公开的收费通知"), reviewer=reviewer)
    text = client.get(LIST).content.decode()
    assert "公开的收费通知" in text
    for entry in hidden.values():
        assert entry.title not in text


def test_search_finds_only_public_entries(
    client, hidden, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish_entry(CatalogueEntryFactory(title="公开的收费通知"), reviewer=reviewer)
    response = client.get(LIST, {"q": "收费"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "公开的收费通知" in text
    for entry in hidden.values():
        assert entry.title not in text


def test_facets_count_over_the_filtered_set(client, reviewer):
    education = AdministrativeEntityFactory(name="西岗区教育局")
    health = AdministrativeEntityFactory(name="西岗区卫生局")
    topic = TopicFactory(name="教育")
    for _ in range(3):
        publish_entry(CatalogueEntryFactory(publisher=education, topic=topic), reviewer=reviewer)
    publish_entry(
        CatalogueEntryFactory(
            publisher=health,
            genre=CatalogueEntry.Genre.REPORT,
            formed_date=datetime.date(2007, 2, 1),
        ),
        reviewer=reviewer,
    )
    response = client.get(LIST, {"publisher": education.pk})
    facets = {group["name"]: group for group in response.context["facet_groups"]}
    assert [(v["label"], v["count"]) for v in facets["publisher"]["values"]] == [
        ("西岗区教育局", 3)
    ]
    assert facets["publisher"]["values"][0]["selected"]
    assert [(v["label"], v["count"]) for v in facets["year"]["values"]] == [("2006", 3)]
    assert [(v["label"], v["count"]) for v in facets["topic"]["values"]] == [("教育", 3)]
    assert response.context["page"].paginator.count == 3

    everything = client.get(LIST).context["facet_groups"]
    years = {group["name"]: group for group in everything}["year"]["values"]
    assert [(v["label"], v["count"]) for v in years] == [("2007", 1), ("2006", 3)]


def test_filters_sorting_and_pagination(client, reviewer):
    publisher = AdministrativeEntityFactory()
    for n in range(25):
        publish_entry(
            CatalogueEntryFactory(publisher=publisher, title=f"通知{n:02d}"),
            reviewer=reviewer,
        )
    first = client.get(LIST, {"sort": "title"})
    assert [e.title for e in first.context["entries"]][:2] == ["通知00", "通知01"]
    assert first.context["page"].paginator.num_pages == 2
    second = client.get(LIST, {"sort": "title", "page": 2})
    assert [e.title for e in second.context["entries"]] == [f"通知{n}" for n in range(20, 25)]
    assert client.get(LIST, {"page": "abc"}).status_code == 200
    genre = client.get(LIST, {"genre": "report"})
    assert list(genre.context["entries"]) == []


@pytest.mark.parametrize(
    "params",
    [{"year": "abc"}, {"genre": "nonsense"}, {"publisher": "-1"}, {"sort": "random"}],
)
def test_bad_filter_values_are_field_errors_with_400(client, params):
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert "field-errors" in response.content.decode()


def test_a_query_the_search_refuses_is_a_field_error_with_400(client):
    response = client.get(LIST, {"q": "收费" * 5000})
    assert response.status_code == 400
    assert response.context["form"].errors["q"]


def test_entry_page_shows_the_metadata_table(client, reviewer):
    entry = publish_entry(
        CatalogueEntryFactory(
            title="关于统一规范性文件备案格式的通知",
            document_no="西政办发〔2006〕8号",
            keywords="规范性文件 备案",
        ),
        reviewer=reviewer,
    )
    response = client.get(entry.get_absolute_url())
    assert response.status_code == 200
    text = response.content.decode()
    for value in (
        entry.index_no,
        entry.publisher.name,
        "西政办发〔2006〕8号",
        "2006-07-03",
        str(entry.topic),
        "规范性文件 备案",
    ):
        assert value in text
    assert f"/catalogue/feed/entities/{entry.publisher_id}/" in text


def test_entry_url_by_index_number_redirects(client, reviewer):
    entry = publish_entry(CatalogueEntryFactory(), reviewer=reviewer)
    response = client.get(f"/catalogue/index/{entry.index_no}/")
    assert response.status_code == 302
    assert response["Location"] == entry.get_absolute_url()
    assert client.get("/catalogue/index/nothing/2006-00001/").status_code == 404


def test_drafts_reviews_and_unannounced_publishers_are_404(client, hidden):
    for key in ("draft", "in_review", "unannounced"):
        assert client.get(f"/catalogue/entries/{hidden[key].pk}/").status_code == 404, key
    assert client.get(f"/catalogue/index/{hidden['unannounced'].index_no}/").status_code == 404


def test_withdrawn_entry_keeps_its_url_and_says_so(client, hidden):
    entry = hidden["withdrawn"]
    response = client.get(f"/catalogue/entries/{entry.pk}/")
    assert response.status_code == 410
    text = response.content.decode()
    assert entry.index_no in text
    assert "内容有误" in text
    assert "各中小学" not in text  # the body is not shown


def test_repealed_entry_links_to_what_repealed_it(client, reviewer):
    from disclosure.actions.catalogue import catalogue_entry_update

    old = publish_entry(CatalogueEntryFactory(title="旧办法"), reviewer=reviewer)
    new = CatalogueEntryFactory(title="新办法", publisher=old.publisher)
    catalogue_entry_update(entry=new, by=new.author, fields={"repeals": [old]})
    publish_entry(new, reviewer=reviewer)
    text = client.get(old.get_absolute_url()).content.decode()
    assert "新办法" in text and new.get_absolute_url() in text


def test_entity_page_tag_lists_latest_entries(reviewer):
    from django.template import Context, Template

    entry = publish_entry(CatalogueEntryFactory(title="卫生局最新通知"), reviewer=reviewer)
    hidden_draft = CatalogueEntryFactory(title="卫生局草稿", publisher=entry.publisher)
    html = Template("{% load catalogue %}{% catalogue_entity_entries entity %}").render(
        Context({"entity": entry.publisher})
    )
    assert "卫生局最新通知" in html
    assert hidden_draft.title not in html
    assert f"/catalogue/feed/entities/{entry.publisher_id}/" in html


def _queries(client, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context)


def _publish_many(count: int, reviewer) -> list[CatalogueEntry]:
    publisher = AdministrativeEntityFactory()
    topic = TopicFactory(parent=TopicFactory())
    return [
        publish_entry(CatalogueEntryFactory(publisher=publisher, topic=topic), reviewer=reviewer)
        for _ in range(count)
    ]


def test_list_query_count_does_not_grow_with_rows(client, reviewer):
    _publish_many(1, reviewer)
    one = _queries(client, LIST)
    _publish_many(19, reviewer)
    assert _queries(client, LIST) == one
    assert one <= 9  # page, count, six facets


def test_entry_page_query_count_does_not_grow_with_related_rows(client, reviewer):
    entry = publish_entry(CatalogueEntryFactory(), reviewer=reviewer)
    one = _queries(client, entry.get_absolute_url())
    from disclosure.actions.catalogue import catalogue_entry_update

    new = CatalogueEntryFactory(publisher=entry.publisher)
    others = _publish_many(20, reviewer)
    catalogue_entry_update(entry=new, by=new.author, fields={"amends": others})
    publish_entry(new, reviewer=reviewer)
    assert _queries(client, new.get_absolute_url()) == one
