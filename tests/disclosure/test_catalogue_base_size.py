"""A filtered catalogue's size from the facet counts: the list's count and a search's plan.

`catalogue_base_size` reads the maintained facet counts (a few rows) instead of counting the
entries: exact for one filter (a publisher, a facet value, a topic with its sub-topics, or a
publisher and one facet value), an upper bound otherwise. The list page shows the exact one as
its count; a search uses the bound to probe a small base entry by entry and to size the
sample its capped count reads. Every way of counting gives the same number.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure.models import AdministrativeEntity, CatalogueEntry
from disclosure.search import (
    Strategy,
    catalogue_entry_search,
    catalogue_entry_search_results,
    ranking,
    search_index_update,
)
from disclosure.selectors.catalogue import (
    BaseSize,
    CatalogueFilters,
    catalogue_base_size,
    catalogue_entry_list,
)
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    CatalogueEntryFactory,
    TopicFactory,
    publish_entry,
)

pytestmark = pytest.mark.django_db
LIST = "/catalogue/"
Genre = CatalogueEntry.Genre


@pytest.fixture
def catalogue(reviewer) -> dict:
    """Two announced publishers and one revoked, a topic with a sub-topic, four genres."""
    first = AdministrativeEntityFactory(name="西岗区教育局")
    second = AdministrativeEntityFactory(name="西岗区卫生局")
    revoked = AdministrativeEntityFactory(name="西岗区撤并局")
    education = TopicFactory(name="教育")
    preschool = TopicFactory(name="学前教育", parent=education)
    health = TopicFactory(name="卫生")
    rows = [
        (first, education, Genre.NOTICE, 2023, "关于义务教育招生工作的通知"),
        (first, preschool, Genre.NOTICE, 2024, "关于幼儿园收费标准的通知"),
        (first, preschool, Genre.PLAN, 2024, "学前教育发展计划"),
        (second, health, Genre.NOTICE, 2024, "关于开展健康教育活动的通知"),
        (second, preschool, Genre.REPORT, 2023, "托幼机构卫生保健工作报告"),
        (revoked, preschool, Genre.NOTICE, 2024, "关于幼儿园安全检查的通知"),
    ]
    entries = []
    for publisher, topic, genre, year, title in rows:
        entry = CatalogueEntryFactory(
            publisher=publisher,
            topic=topic,
            genre=genre,
            title=title,
            formed_date=datetime.date(year, 3, 1),
        )
        entries.append(
            publish_entry(entry, reviewer=reviewer, published_date=datetime.date(year, 3, 5))
        )
    search_index_update([entry.pk for entry in entries])
    AdministrativeEntity.objects.filter(pk=revoked.pk).update(
        status=AdministrativeEntity.Status.REVOKED
    )
    return {
        "first": first,
        "second": second,
        "revoked": revoked,
        "education": education,
        "preschool": preschool,
        "health": health,
        "entries": entries,
    }


def _listed(filters: CatalogueFilters) -> int:
    """How many entries the catalogue lists for these filters, counted one by one."""
    return len(list(catalogue_entry_list(filters=filters)))


ONE_FILTER = {
    "publisher": lambda c: CatalogueFilters(publisher=c["first"].pk),
    "topic with its sub-topic": lambda c: CatalogueFilters(topic=c["education"].pk),
    "sub-topic": lambda c: CatalogueFilters(topic=c["preschool"].pk),
    "genre": lambda c: CatalogueFilters(genre=Genre.NOTICE),
    "year": lambda c: CatalogueFilters(year=2024),
    "publisher and genre": lambda c: CatalogueFilters(publisher=c["first"].pk, genre=Genre.NOTICE),
    "publisher and topic": lambda c: CatalogueFilters(
        publisher=c["second"].pk, topic=c["education"].pk
    ),
}


@pytest.mark.parametrize("make", ONE_FILTER.values(), ids=ONE_FILTER.keys())
def test_one_filter_is_counted_exactly_by_the_facet_counts(catalogue, make) -> None:
    # given
    filters = make(catalogue)

    # when
    size = catalogue_base_size(filters)

    # then: the revoked publisher's entries are not public, so not counted
    assert size == BaseSize(bound=_listed(filters), exact=True)
    assert size.bound > 0


def test_a_revoked_publisher_has_no_public_entries(catalogue) -> None:
    filters = CatalogueFilters(publisher=catalogue["revoked"].pk)

    assert catalogue_base_size(filters) == BaseSize(bound=0, exact=True)
    assert _listed(filters) == 0


@pytest.mark.parametrize(
    "filters",
    [
        CatalogueFilters(genre=Genre.NOTICE, year=2024),
        CatalogueFilters(genre=Genre.NOTICE, published_after=datetime.date(2024, 1, 1)),
    ],
    ids=["two facets", "a facet and a date range"],
)
def test_several_filters_give_a_bound_not_a_count(catalogue, filters) -> None:
    size = catalogue_base_size(filters)

    assert not size.exact
    assert size.bound >= _listed(filters) == 2


def test_co_published_entries_are_added_to_the_bound(catalogue) -> None:
    # given: a report of the second publisher, co-published by the first
    report = catalogue["entries"][4]
    report.co_publishers.add(catalogue["first"])
    filters = CatalogueFilters(publisher=catalogue["first"].pk)

    # when
    size = catalogue_base_size(filters)

    # then
    assert _listed(filters) == 4
    assert size == BaseSize(bound=4, exact=False)


@pytest.mark.parametrize(
    "filters",
    [CatalogueFilters(), CatalogueFilters(published_before=datetime.date(2024, 1, 1))],
    ids=["none", "a date range only"],
)
def test_filters_the_counts_do_not_know_give_no_size(catalogue, filters) -> None:
    assert catalogue_base_size(filters) is None


# --- the list page ---------------------------------------------------------------------------


def _entry_counts(context: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"]
        for query in context.captured_queries
        if query["sql"].startswith("SELECT COUNT(*)")
        and "disclosure_catalogueentry" in query["sql"]
    ]


def test_a_list_filtered_by_a_publisher_and_a_genre_is_counted_from_the_facet_counts(
    client, catalogue
) -> None:
    # when
    with CaptureQueriesContext(connection) as context:
        response = client.get(LIST, {"publisher": catalogue["first"].pk, "genre": Genre.NOTICE})

    # then
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2
    assert len(response.context["entries"]) == 2
    assert _entry_counts(context) == []


def test_a_list_whose_counts_were_not_kept_counts_its_entries(client, catalogue) -> None:
    # given: an entry written around the actions (a bulk load before the rebuild)
    publisher = AdministrativeEntityFactory(name="西岗区档案局")
    CatalogueEntryFactory(
        publisher=publisher,
        status=CatalogueEntry.Status.PUBLISHED,
        index_no="ARCHIVE/2024-00001",
        published_date=datetime.date(2024, 5, 1),
    )

    # when
    with CaptureQueriesContext(connection) as context:
        response = client.get(LIST, {"publisher": publisher.pk})

    # then: the counts know nothing of it, the page still shows it
    assert response.context["page"].paginator.count == 1
    assert len(response.context["entries"]) == 1
    assert len(_entry_counts(context)) == 1


# --- a search in a filtered base ---------------------------------------------------------------


def _reference(filters: CatalogueFilters) -> list[int]:
    """The whole catalogue's ranking for the words, kept to the filtered entries."""
    topic = CatalogueFilters(topic=filters.topic)
    kept = {entry.pk for entry in catalogue_entry_list(filters=topic)}
    ranked = catalogue_entry_search(CatalogueEntry.objects.published(), filters.q)
    return [entry.pk for entry in ranked if entry.pk in kept]


def test_a_search_in_a_small_topic_probes_its_own_entries(catalogue) -> None:
    # given
    filters = CatalogueFilters(q="幼儿园", topic=catalogue["education"].pk)

    # when
    results = catalogue_entry_list(filters=filters)

    # then: the sub-topic's entry is found, the revoked publisher's is not
    assert results.strategy.small_base
    assert [entry.pk for entry in results[:20]] == _reference(filters)
    assert [entry.title for entry in results[:20]] == ["关于幼儿园收费标准的通知"]


def test_a_search_in_a_big_topic_is_searched_as_the_catalogue(catalogue, monkeypatch) -> None:
    # given: a topic of more entries than SMALL_BASE
    monkeypatch.setattr(ranking, "SMALL_BASE", 1)
    filters = CatalogueFilters(q="通知", topic=catalogue["education"].pk)

    # when
    results = catalogue_entry_list(filters=filters)

    # then
    assert not results.strategy.small_base
    assert [entry.pk for entry in results[:20]] == _reference(filters)
    assert results.capped_count(500) == len(_reference(filters)) == 4


COUNTING = {
    # a sample of the index's matches, of the size the base's share asks for
    "sample": Strategy(walk=True, walk_titles=True, base_share=0.5, matches=6, rows=6),
    # a base too narrow for a sample, smaller than the matches: its entries probed
    "probed base": Strategy(walk=True, walk_titles=True, base_share=1e-9, matches=6, rows=12),
    # a prefix (matches unknown): every match from the index
    "index": Strategy(walk=True, walk_titles=True, base_share=1e-9, matches=12, rows=12),
    "rare word": Strategy(walk=False, walk_titles=False),
}


@pytest.mark.parametrize("strategy", COUNTING.values(), ids=COUNTING.keys())
@pytest.mark.parametrize("cap", [1, 500])
def test_every_way_of_counting_a_filtered_search_gives_the_same_count(
    catalogue, strategy, cap
) -> None:
    # given: the notices of 2024 (two public, one of a revoked publisher)
    base = CatalogueEntry.objects.published().filter(genre=Genre.NOTICE, published_date__year=2024)

    # when
    results = catalogue_entry_search_results(base, "通知", strategy=strategy, base_size=3)

    # then
    assert results.capped_count(cap) == min(2, cap + 1)


# --- query counts ------------------------------------------------------------------------------


def _publish_in(count: int, reviewer, publisher, topic) -> None:
    entries = [
        publish_entry(
            CatalogueEntryFactory(publisher=publisher, topic=topic, title="关于收费项目的通知"),
            reviewer=reviewer,
        )
        for _ in range(count)
    ]
    search_index_update([entry.pk for entry in entries])


@pytest.mark.parametrize(
    "params",
    [
        lambda publisher, topic: {"topic": topic.parent_id},
        lambda publisher, topic: {"publisher": publisher.pk, "genre": Genre.NOTICE},
        lambda publisher, topic: {"q": "收费", "topic": topic.parent_id},
        lambda publisher, topic: {"q": "收费", "publisher": publisher.pk, "topic": topic.pk},
    ],
    ids=["topic", "publisher and genre", "search in a topic", "search, publisher and topic"],
)
def test_a_filtered_page_costs_the_same_queries_for_one_row_and_many(
    client, reviewer, params
) -> None:
    # given
    publisher = AdministrativeEntityFactory()
    topic = TopicFactory(parent=TopicFactory())
    query = params(publisher, topic)
    _publish_in(1, reviewer, publisher, topic)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(LIST, query)
        assert response.status_code == 200
        return len(context)

    one = queries()

    # when
    _publish_in(20, reviewer, publisher, topic)

    # then
    assert queries() == one
    assert one <= 10
