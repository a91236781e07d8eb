"""A search combined with the catalogue's filters: the publisher filter, a small base, phrases."""

import datetime
import itertools

import pytest

from disclosure.actions.catalogue_facets import catalogue_facet_counts_rebuild
from disclosure.models import AdministrativeEntity, CatalogueEntry
from disclosure.search import (
    SearchResults,
    Strategy,
    catalogue_entry_search,
    catalogue_entry_search_results,
    ranking,
    search_index_update,
)
from disclosure.selectors import catalogue as selectors
from disclosure.selectors.catalogue import CatalogueFilters, catalogue_entry_list

pytestmark = pytest.mark.django_db

_serial = itertools.count(1)


def _publisher(name: str, code: str) -> AdministrativeEntity:
    return AdministrativeEntity.objects.create(
        name=name,
        kind=AdministrativeEntity.Kind.ADMINISTRATIVE_ORGAN,
        credit_code=code,
        status=AdministrativeEntity.Status.ANNOUNCED,
        announcement_start=datetime.date(2006, 7, 1),
        announcement_end=datetime.date(2006, 7, 15),
    )


@pytest.fixture
def publishers() -> tuple[AdministrativeEntity, AdministrativeEntity]:
    return (
        _publisher("西岗区筛选测试局", "11210203FILTER0001"),
        _publisher("中山区筛选测试局", "11210203FILTER0002"),
    )


def _entry(publisher, title: str, day: int, body: str = "") -> CatalogueEntry:
    serial = next(_serial)
    entry = CatalogueEntry.objects.create(
        title=title,
        body=body,
        publisher=publisher,
        status=CatalogueEntry.Status.PUBLISHED,
        index_no=f"FILTERTEST/2024-{serial:05d}",
        published_date=datetime.date(2024, 1, day),
        formed_date=datetime.date(2023, 12, 1),
    )
    search_index_update([entry.pk])
    return entry


@pytest.fixture
def catalogue(publishers):
    """Entries of two publishers; one of the second's is co-published by the first."""
    first, second = publishers
    own_title = _entry(first, "教育收费公示", 3)
    own_body = _entry(first, "学校名单", 5, body="义务教育阶段学校名单")
    own_other = _entry(first, "道路施工通告", 6)
    co_published = _entry(second, "教育督导报告", 2)
    co_published.co_publishers.add(first)
    # Co-published by its own publisher too: still one row.
    own_title.co_publishers.add(first)
    not_theirs = _entry(second, "教育经费公告", 9)
    # Written around the actions: the facet counts (a base's size) are rebuilt, as after a load.
    catalogue_facet_counts_rebuild()
    return {
        "own_title": own_title,
        "own_body": own_body,
        "own_other": own_other,
        "co_published": co_published,
        "not_theirs": not_theirs,
    }


def _ids(results) -> list[int]:
    return [entry.pk for entry in results[:20]]


def _expected(publisher, q: str) -> list[int]:
    """The reference: the whole search's ranking, kept to the publisher's entries."""
    theirs = set(
        CatalogueEntry.objects.filter(publisher=publisher).values_list("pk", flat=True)
    ) | set(CatalogueEntry.objects.filter(co_publishers=publisher).values_list("pk", flat=True))
    ranked = catalogue_entry_search(CatalogueEntry.objects.published(), q)
    return [entry.pk for entry in ranked if entry.pk in theirs]


def test_a_publisher_filter_lists_its_own_and_co_published_entries_once(
    catalogue, publishers
) -> None:
    # when
    listed = list(catalogue_entry_list(filters=CatalogueFilters(publisher=publishers[0].pk)))

    # then
    assert [entry.pk for entry in listed] == [
        catalogue[name].pk for name in ("own_other", "own_body", "own_title", "co_published")
    ]


def test_many_co_published_entries_are_filtered_by_a_sub_select(
    catalogue, publishers, monkeypatch
) -> None:
    # given
    monkeypatch.setattr(selectors, "CO_PUBLISHED_INLINE", 0)

    # when
    listed = list(catalogue_entry_list(filters=CatalogueFilters(publisher=publishers[0].pk)))

    # then
    assert catalogue["co_published"] in listed
    assert len(listed) == 4


def test_a_search_in_a_small_publisher_probes_its_own_entries(catalogue, publishers) -> None:
    # when
    results = catalogue_entry_list(filters=CatalogueFilters(q="教育", publisher=publishers[0].pk))

    # then: title matches first, newest first; the other publisher's entry is not there
    assert isinstance(results, SearchResults)
    assert results.strategy.small_base
    assert _ids(results) == [
        catalogue["own_title"].pk,
        catalogue["co_published"].pk,
        catalogue["own_body"].pk,
    ]
    assert _ids(results) == _expected(publishers[0], "教育")
    assert results.capped_count(500) == 3
    assert set(results.matching()) == {
        catalogue["own_title"],
        catalogue["co_published"],
        catalogue["own_body"],
    }


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("date", ["own_body", "own_title", "co_published"]),
        ("date_asc", ["co_published", "own_title", "own_body"]),
        ("title", sorted(["own_body", "own_title", "co_published"])),
    ],
)
def test_a_small_publisher_search_sorted_by_the_reader(catalogue, publishers, sort, order) -> None:
    # when
    results = catalogue_entry_list(
        filters=CatalogueFilters(q="教育", publisher=publishers[0].pk, sort=sort)
    )

    # then
    if sort == "title":
        expected = [
            entry.pk
            for entry in sorted(
                (catalogue[name] for name in order), key=lambda entry: (entry.title, entry.pk)
            )
        ]
    else:
        expected = [catalogue[name].pk for name in order]
    assert results.strategy.small_base
    assert _ids(results) == expected


def test_a_big_publisher_is_searched_as_the_catalogue(catalogue, publishers, monkeypatch) -> None:
    # given: a base of more entries than SMALL_BASE
    monkeypatch.setattr(ranking, "SMALL_BASE", 2)

    # when
    results = catalogue_entry_list(filters=CatalogueFilters(q="教育", publisher=publishers[0].pk))

    # then
    assert not results.strategy.small_base
    assert _ids(results) == _expected(publishers[0], "教育")
    assert results.capped_count(500) == 3


def test_a_search_without_a_publisher_does_not_count_its_base(catalogue) -> None:
    # when
    results = catalogue_entry_list(filters=CatalogueFilters(q="教育"))

    # then
    assert not results.strategy.small_base
    assert len(_ids(results)) == 4


@pytest.mark.parametrize(
    "strategy",
    [Strategy(walk=True, walk_titles=True), Strategy(walk=True, walk_titles=False)],
)
def test_a_walked_search_checks_quoted_phrases_after_the_index(catalogue, strategy) -> None:
    # given: both hold the words 义务 and 教育, only one the phrase itself
    _entry(catalogue["own_title"].publisher, "教育义务宣传", 8)
    results_of = CatalogueEntry.objects.published()

    # when
    found = catalogue_entry_search_results(results_of, '"义务教育"', strategy=strategy)
    index_first = catalogue_entry_search_results(
        results_of, '"义务教育"', strategy=Strategy(walk=False, walk_titles=False)
    )

    # then
    assert _ids(found) == [catalogue["own_body"].pk]
    assert _ids(found) == _ids(index_first)
    assert found.capped_count(500) == 1


def test_a_small_base_checks_quoted_phrases_after_the_index(catalogue, publishers) -> None:
    # given
    _entry(publishers[0], "教育义务宣传", 8)

    # when
    results = catalogue_entry_list(
        filters=CatalogueFilters(q='"义务教育"', publisher=publishers[0].pk)
    )

    # then
    assert results.strategy.small_base
    assert _ids(results) == [catalogue["own_body"].pk]
    assert results.capped_count(500) == 1
