"""The catalogue page's facets: counts kept by the actions, capped display, query counts.

The whole catalogue's facet counts come from `CatalogueFacetCount` / `CatalogueFacetTotal`,
kept in the same transaction by publication and withdrawal (issue 9: a million entries); a
filtered set or a search is counted exactly only when it is small.
"""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosure.actions.catalogue import (
    catalogue_entry_create,
    catalogue_entry_update,
    catalogue_entry_withdraw,
)
from disclosure.actions.catalogue_facets import catalogue_facet_counts_rebuild
from disclosure.models import (
    AdministrativeEntity,
    CatalogueEntry,
    CatalogueFacetCount,
    CatalogueFacetTotal,
)
from disclosure.search import search_index_update
from disclosure.selectors.catalogue import CatalogueFilters, catalogue_facets
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    CatalogueEntryFactory,
    TopicFactory,
    publish_entry,
)

pytestmark = pytest.mark.django_db
LIST = "/catalogue/"


def _stored() -> tuple[dict, dict]:
    """The maintained counts as they stand (zero rows left by withdrawals dropped)."""
    per_publisher = {
        (row.publisher_id, row.facet, row.value): row.count
        for row in CatalogueFacetCount.objects.all()
        if row.count
    }
    totals = {
        (row.facet, row.value): row.count for row in CatalogueFacetTotal.objects.all() if row.count
    }
    return per_publisher, totals


def _from_scratch() -> tuple[dict, dict]:
    catalogue_facet_counts_rebuild()
    return _stored()


def _assert_counts_are_right() -> None:
    """What the actions kept equals a count from scratch (the rebuild)."""
    kept = _stored()
    assert kept == _from_scratch()


def _facets_of(response) -> dict[str, list[tuple[str, int | None]]]:
    assert response.status_code == 200
    return {
        group["name"]: [(value["label"], value["count"]) for value in group["values"]]
        for group in response.context["facet_groups"]
    }


def _page_facets(client, **params) -> dict[str, list[tuple[str, int | None]]]:
    return _facets_of(client.get(LIST, params))


# --- kept by the actions -----------------------------------------------------------------------


def test_publishing_counts_the_entry_in_each_facet(reviewer):
    # given
    publisher = AdministrativeEntityFactory(name="西岗区统计局")
    topic = TopicFactory(name="统计信息")
    entry = CatalogueEntryFactory(
        publisher=publisher,
        topic=topic,
        genre=CatalogueEntry.Genre.STATISTICS,
        formed_date=datetime.date(2024, 3, 1),
    )
    assert _stored() == ({}, {})  # a draft counts nowhere
    # when
    publish_entry(entry, reviewer=reviewer, published_date=datetime.date(2024, 3, 5))
    # then
    _per_publisher, totals = _stored()
    assert totals == {
        ("publisher", str(publisher.pk)): 1,
        ("topic", str(topic.pk)): 1,
        ("genre", "statistics"): 1,
        ("year", "2024"): 1,
        ("validity", "in_force"): 1,
        ("disclosure_mode", "proactive"): 1,
    }
    _assert_counts_are_right()


def test_withdrawing_takes_the_entry_out_of_every_facet(client, reviewer):
    # given
    publisher = AdministrativeEntityFactory(name="西岗区民政局")
    kept = publish_entry(CatalogueEntryFactory(publisher=publisher), reviewer=reviewer)
    gone = publish_entry(
        CatalogueEntryFactory(publisher=publisher, genre=CatalogueEntry.Genre.REPORT),
        reviewer=reviewer,
    )
    assert ("西岗区民政局", 2) in _page_facets(client)["publisher"]
    # when
    catalogue_entry_withdraw(entry=gone, by=reviewer, reason="内容有误")
    # then
    facets = _page_facets(client)
    assert facets["publisher"] == [("西岗区民政局", 1)]
    assert [label for label, _count in facets["genre"]] == [kept.get_genre_display()]
    _assert_counts_are_right()


def test_a_repeal_moves_the_old_entry_to_repealed(client, reviewer):
    # given
    publisher = AdministrativeEntityFactory()
    old = publish_entry(CatalogueEntryFactory(publisher=publisher), reviewer=reviewer)
    new = CatalogueEntryFactory(publisher=publisher)
    catalogue_entry_update(entry=new, by=new.author, fields={"repeals": [old]})
    # when
    publish_entry(new, reviewer=reviewer)
    # then
    validity = dict(_page_facets(client)["validity"])
    assert validity == {
        str(CatalogueEntry.Validity.IN_FORCE.label): 1,
        str(CatalogueEntry.Validity.REPEALED.label): 1,
    }
    _assert_counts_are_right()


def test_editing_a_draft_changes_no_count(reviewer):
    published = publish_entry(CatalogueEntryFactory(), reviewer=reviewer)
    before = _stored()
    draft = catalogue_entry_create(
        by=published.author,
        publisher=published.publisher,
        title="草稿",
        formed_date=datetime.date(2024, 1, 2),
    )
    catalogue_entry_update(
        entry=draft, by=draft.author, fields={"genre": CatalogueEntry.Genre.NOTICE}
    )
    assert _stored() == before
    _assert_counts_are_right()


def test_the_summary_equals_a_count_from_scratch_after_many_actions(client, reviewer):
    # given: publications over publishers, topics, genres and years, and some withdrawals
    publishers = [AdministrativeEntityFactory() for _ in range(3)]
    topics = [TopicFactory(parent=TopicFactory()), TopicFactory(), None]
    genres = [CatalogueEntry.Genre.NOTICE, CatalogueEntry.Genre.REPORT, CatalogueEntry.Genre.PLAN]
    entries = []
    for n in range(12):
        entries.append(
            publish_entry(
                CatalogueEntryFactory(
                    publisher=publishers[n % 3],
                    topic=topics[n % 3],
                    genre=genres[n % 2],
                    formed_date=datetime.date(2020 + n % 4, 5, 1),
                ),
                reviewer=reviewer,
            )
        )
    for entry in entries[::4]:
        catalogue_entry_withdraw(entry=entry, by=reviewer, reason="已过时")
    # then: the page's counts are those of a live count over the published entries
    live = CatalogueEntry.objects.published()
    facets = _page_facets(client)
    assert sum(count for _label, count in facets["publisher"]) == live.count() == 9
    assert dict(facets["year"]) == {
        str(year): live.filter(published_date__year=year).count()
        for year in {entry.published_date.year for entry in live}
    }
    _assert_counts_are_right()


def test_a_publisher_that_is_not_announced_is_left_out(client, reviewer):
    # given
    shown = AdministrativeEntityFactory(name="西岗区公开局")
    hidden = AdministrativeEntityFactory(name="西岗区撤销局")
    publish_entry(CatalogueEntryFactory(publisher=shown), reviewer=reviewer)
    publish_entry(
        CatalogueEntryFactory(publisher=hidden, genre=CatalogueEntry.Genre.PLAN),
        reviewer=reviewer,
    )
    # when: its qualification is revoked (no entry changes)
    AdministrativeEntity.objects.filter(pk=hidden.pk).update(
        status=AdministrativeEntity.Status.REVOKED
    )
    # then
    facets = _page_facets(client)
    assert facets["publisher"] == [("西岗区公开局", 1)]
    assert str(CatalogueEntry.Genre.PLAN.label) not in dict(facets["genre"])


def test_the_rebuild_command_repairs_counts_written_around_the_actions(reviewer):
    entry = publish_entry(CatalogueEntryFactory(), reviewer=reviewer)
    CatalogueEntry.objects.filter(pk=entry.pk).update(genre=CatalogueEntry.Genre.ORDER)
    call_command("rebuild_catalogue_facets", stdout=open("/dev/null", "w"))  # noqa: SIM115
    _per_publisher, totals = _stored()
    assert totals[("genre", "order")] == 1
    assert ("genre", entry.genre) not in totals or entry.genre == "order"


# --- capped display ----------------------------------------------------------------------------


def test_a_large_filtered_set_lists_values_without_counts(client, reviewer, monkeypatch):
    # given: more notices than the cap
    monkeypatch.setattr("disclosure.selectors.catalogue.COUNT_CAP", 3)
    publisher = AdministrativeEntityFactory(name="西岗区大局")
    for _ in range(5):
        publish_entry(
            CatalogueEntryFactory(publisher=publisher, genre=CatalogueEntry.Genre.NOTICE),
            reviewer=reviewer,
        )
    # when
    response = client.get(LIST, {"genre": "notice"})
    # then
    text = response.content.decode()
    facets = _facets_of(response)
    assert facets["publisher"] == [("西岗区大局", None)]
    assert response.context["page"].paginator.capped
    assert not response.context["facets_counted"]
    assert 'class="facet-note"' in text
    assert 'class="facet-count"' not in text


def test_a_small_filtered_set_is_counted_exactly(client, reviewer, monkeypatch):
    monkeypatch.setattr("disclosure.selectors.catalogue.COUNT_CAP", 3)
    publisher = AdministrativeEntityFactory(name="西岗区小局")
    publish_entry(
        CatalogueEntryFactory(publisher=publisher, genre=CatalogueEntry.Genre.NOTICE),
        reviewer=reviewer,
    )
    for _ in range(4):
        publish_entry(CatalogueEntryFactory(genre=CatalogueEntry.Genre.PLAN), reviewer=reviewer)
    facets = _page_facets(client, genre="notice")
    assert facets["publisher"] == [("西岗区小局", 1)]
    assert facets["genre"] == [(str(CatalogueEntry.Genre.NOTICE.label), 1)]


def test_a_search_with_more_hits_than_the_cap_shows_no_counts(
    client, reviewer, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("disclosure.selectors.catalogue.SEARCH_COUNT_CAP", 2)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            publish_entry(CatalogueEntryFactory(title=f"关于收费标准的通知{n}"), reviewer=reviewer)
    response = client.get(LIST, {"q": "收费"})
    assert response.context["page"].paginator.capped
    assert response.context["page"].paginator.cap == 2
    assert all(
        value["count"] is None
        for group in response.context["facet_groups"]
        for value in group["values"]
    )


def test_a_long_facet_shows_its_most_frequent_values(client, reviewer, monkeypatch):
    monkeypatch.setattr("disclosure.views.catalogue.FACET_VALUES_SHOWN", 2)
    busy = AdministrativeEntityFactory(name="西岗区忙碌局")
    for _ in range(3):
        publish_entry(CatalogueEntryFactory(publisher=busy), reviewer=reviewer)
    quiet = [AdministrativeEntityFactory() for _ in range(3)]
    for publisher in quiet:
        publish_entry(CatalogueEntryFactory(publisher=publisher), reviewer=reviewer)
    response = client.get(LIST)
    groups = {group["name"]: group for group in response.context["facet_groups"]}
    assert [value["label"] for value in groups["publisher"]["values"]][0] == "西岗区忙碌局"
    assert len(groups["publisher"]["values"]) == 2
    assert groups["publisher"]["more"] == 2
    # the rest are a click away, and the link names the page it opens
    directory = reverse("disclosure:entity-directory")
    assert f'<a href="{directory}">全部发布机构（行政主体名录）</a>' in response.content.decode()
    # the chosen value is always shown
    chosen = client.get(LIST, {"publisher": quiet[-1].pk})
    assert chosen.status_code == 200


def test_catalogue_facets_from_the_selector_match_a_live_count(reviewer):
    for genre in (
        CatalogueEntry.Genre.NOTICE,
        CatalogueEntry.Genre.NOTICE,
        CatalogueEntry.Genre.PLAN,
    ):
        publish_entry(CatalogueEntryFactory(genre=genre), reviewer=reviewer)
    summary = catalogue_facets(CatalogueFilters())
    grouped = catalogue_facets(CatalogueFilters(published_after=datetime.date(1990, 1, 1)))
    assert [(v.value, v.count) for v in summary["genre"]] == [
        (v.value, v.count) for v in grouped["genre"]
    ]


# --- query counts ------------------------------------------------------------------------------


def _queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(LIST, params)
    assert response.status_code == 200
    return len(context)


def _publish_many(count: int, reviewer, **fields) -> None:
    publisher = AdministrativeEntityFactory()
    topic = TopicFactory(parent=TopicFactory())
    for _ in range(count):
        entry = publish_entry(
            CatalogueEntryFactory(publisher=publisher, topic=topic, **fields), reviewer=reviewer
        )
        search_index_update([entry.pk])


@pytest.mark.parametrize(
    "params",
    [{}, {"genre": "notice"}, {"q": "收费"}, {"q": "收费", "genre": "notice"}],
    ids=["list", "filtered", "search", "filtered search"],
)
def test_the_page_costs_the_same_queries_for_one_row_and_many(client, reviewer, params):
    fields = {"title": "关于收费项目的通知", "genre": CatalogueEntry.Genre.NOTICE}
    _publish_many(1, reviewer, **fields)
    one = _queries(client, **params)
    _publish_many(30, reviewer, **fields)
    assert _queries(client, **params) == one
    assert one <= 10


# --- names read for the shown values only --------------------------------------------------------


def _publish_counts(reviewer, counts: dict[str, int]) -> dict[str, AdministrativeEntity]:
    publishers = {}
    for name, count in counts.items():
        publishers[name] = AdministrativeEntityFactory(name=name)
        for _ in range(count):
            publish_entry(CatalogueEntryFactory(publisher=publishers[name]), reviewer=reviewer)
    return publishers


@pytest.mark.parametrize("shown", [1, 2, 3, 4, 6])
def test_the_shown_values_are_the_same_whichever_names_are_read(reviewer, shown):
    # given: ties at every boundary (ordered by name among equals)
    _publish_counts(reviewer, {"西岗区丁局": 1, "西岗区甲局": 3, "西岗区丙局": 1, "西岗区乙局": 1})
    every = catalogue_facets(CatalogueFilters())

    # when
    named = catalogue_facets(CatalogueFilters(), shown=shown)

    # then: the page shows the first `shown`, and counts the rest in "and N more"
    for facet in ("publisher", "topic"):
        assert named[facet][:shown] == every[facet][:shown]
        assert [value.value for value in named[facet]] == [value.value for value in every[facet]]


def test_a_chosen_value_beyond_the_shown_ones_is_named(reviewer):
    # given
    publishers = _publish_counts(
        reviewer, {"西岗区甲局": 4, "西岗区乙局": 3, "西岗区丙局": 2, "西岗区丁局": 1}
    )
    chosen = publishers["西岗区丁局"]

    # when: the facets of a large set (not counted), two values shown
    facets = catalogue_facets(CatalogueFilters(publisher=chosen.pk), counted=False, shown=2)

    # then: the unshown, unchosen value keeps its place but is not named
    assert [(value.value, value.label) for value in facets["publisher"]] == [
        (publishers["西岗区甲局"].pk, "西岗区甲局"),
        (publishers["西岗区乙局"].pk, "西岗区乙局"),
        (publishers["西岗区丙局"].pk, ""),
        (chosen.pk, "西岗区丁局"),
    ]
