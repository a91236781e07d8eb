"""Reads of the government-information catalogue: lists, facets, entry pages, counts.

Visibility: every public read starts from `CatalogueEntry.objects.published()` (published, by an
announced publisher). An entry page also answers for a withdrawn entry, which shows only its
withdrawal notice (`CatalogueEntry.objects.addressable()`). Drafts and entries in review are
never read here.

Speed (docs: speed-limits.md): an exact COUNT over a large table costs more than the page. The
list's paginator counts at most `COUNT_CAP` rows (`SELECT COUNT(*) FROM (… LIMIT cap+1)`) and
shows "10,000+" beyond it. Facets are one aggregated query each over the filtered set; on a
very large table they should come from maintained aggregates instead.
"""

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any, NamedTuple

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import CharField, Count, Field, Q, QuerySet, Sum, Value
from django.db.models.functions import ExtractYear

from config.raw_rows import model_from_row
from disclosure.models.catalogue import (
    ATTACHMENT_TYPES,
    CatalogueAttachment,
    CatalogueEntry,
    Topic,
)
from disclosure.models.catalogue_facets import CatalogueFacetCount, CatalogueFacetTotal
from disclosure.models.entities import AdministrativeEntity
from disclosure.search import (
    SEARCH_COUNT_CAP,
    SearchResults,
    catalogue_entry_search,
    catalogue_entry_search_results,
)

COUNT_CAP = 10_000
PAGE_SIZE = 20

SORTS = {
    "date": ("-published_date", "-id"),
    "date_asc": ("published_date", "id"),
    "title": ("title", "id"),
}


@dataclass(frozen=True)
class CatalogueFilters:
    """The catalogue's facets and search, as validated by a form or a FilterSet."""

    q: str = ""
    publisher: int | None = None
    topic: int | None = None
    genre: str = ""
    year: int | None = None
    validity: str = ""
    disclosure_mode: str = ""
    published_after: datetime.date | None = None
    published_before: datetime.date | None = None
    sort: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "CatalogueFilters":
        known = {name: data[name] for name in cls.__dataclass_fields__ if data.get(name)}
        return cls(**known)

    @cached_property
    def topic_family(self) -> tuple[int, ...]:
        """The topic filter's id and its sub-topics' ids (one query on the small topic table).

        Named in the entries' filter as values, not as a sub-select: the planner then
        estimates a topic's entries from its statistics and walks `entry_topic_latest` for a
        small topic (a sub-select hid them: a search in a topic of 1.8 % of the catalogue
        walked the whole catalogue newest first, 110,000 entries for 20 hits).
        """
        if not self.topic:
            return ()
        family = Topic.objects.filter(Q(pk=self.topic) | Q(parent_id=self.topic))
        return tuple(sorted(family.values_list("pk", flat=True)))

    @cached_property
    def co_published(self) -> list[int]:
        """Ids of entries co-published by the publisher filter, up to CO_PUBLISHED_INLINE + 1."""
        if not self.publisher:
            return []
        return list(
            _co_publishers_through()
            .objects.filter(administrativeentity_id=self.publisher)
            .order_by()
            .values_list("catalogueentry_id", flat=True)[: CO_PUBLISHED_INLINE + 1]
        )


class BaseSize(NamedTuple):
    """How many public entries a set of filters keeps: at most `bound`, exactly if `exact`."""

    bound: int
    exact: bool


def catalogue_public_queryset() -> QuerySet[CatalogueEntry]:
    """Published entries of announced publishers: the base of every public list."""
    return CatalogueEntry.objects.published()


def _with_list_relations(queryset: QuerySet[CatalogueEntry]) -> QuerySet[CatalogueEntry]:
    return queryset.select_related(*LIST_RELATIONS)


def catalogue_entry_filter(
    queryset: QuerySet[CatalogueEntry],
    filters: CatalogueFilters,
    *,
    rank: bool = False,
    facets_only: bool = False,
) -> QuerySet[CatalogueEntry]:
    """Apply the facets, date range and search to a queryset of entries.

    The search (disclosure.search) raises `SearchQueryError` for a query it refuses; with
    `rank` it orders by relevance, otherwise it leaves the order alone. `facets_only`: leave
    out the publisher and the search (the search's own base).
    """
    if filters.publisher and not facets_only:
        queryset = queryset.filter(_of_publisher(filters))
    if filters.topic:
        # A top-level topic includes its sub-topics (not a join ORed with the entry's own
        # topic, which no index serves).
        queryset = queryset.filter(topic_id__in=filters.topic_family)
    if filters.genre:
        queryset = queryset.filter(genre=filters.genre)
    if filters.year:
        queryset = queryset.filter(
            published_date__gte=datetime.date(filters.year, 1, 1),
            published_date__lte=datetime.date(filters.year, 12, 31),
        )
    if filters.validity:
        queryset = queryset.filter(validity=filters.validity)
    if filters.disclosure_mode:
        queryset = queryset.filter(disclosure_mode=filters.disclosure_mode)
    if filters.published_after:
        queryset = queryset.filter(published_date__gte=filters.published_after)
    if filters.published_before:
        queryset = queryset.filter(published_date__lte=filters.published_before)
    if filters.q and not facets_only:
        queryset = catalogue_entry_search(
            queryset, filters.q, order="relevance" if rank else "none"
        )
    return queryset


LIST_RELATIONS = ("publisher", "topic", "topic__parent")


# A publisher's co-published entries up to this many are named in the filter by id.
CO_PUBLISHED_INLINE = 1_000


def _co_publishers_through() -> Any:
    return CatalogueEntry._meta.get_field("co_publishers").remote_field.through


def _of_publisher(filters: CatalogueFilters) -> Q:
    """Entries of a publisher: its own, or co-published by it (no join, so no DISTINCT).

    `publisher = X OR co_publishers = X` joined the co-publisher table, and the DISTINCT it
    then needed kept PostgreSQL from using the publisher index: a search with a publisher
    filter walked the catalogue (8.5 s at a million entries). The co-published ids are read
    first (one small query, `CatalogueFilters.co_published`): most publishers have none, and
    the filter is then `publisher = X`, which the planner estimates from its statistics and
    reads through the entry_publisher_latest index (a small publisher) or by walking the
    date index (a big one); otherwise `publisher = X OR id IN (…)`. An `OR` with a
    sub-select, even one computed first, hid the publisher from the planner's estimates (a
    capped count joined every publisher to the entries: 6.7 s).
    """
    publisher = filters.publisher
    co_published = filters.co_published
    if not co_published:
        return Q(publisher_id=publisher)
    if len(co_published) <= CO_PUBLISHED_INLINE:
        return Q(publisher_id=publisher) | Q(pk__in=co_published)
    return Q(publisher_id=publisher) | Q(
        pk__in=_co_publishers_through()
        .objects.filter(administrativeentity_id=publisher)
        .values("catalogueentry_id")
    )


def catalogue_base_size(filters: CatalogueFilters) -> BaseSize | None:
    """How many public entries the facet filters keep, from the maintained facet counts.

    One query of a few rows (without a publisher: the totals, less the publishers not
    announced), whatever the catalogue's size; counting the entries themselves read every
    entry of a big publisher (`?publisher=602&genre=notice`: 206 ms at a million entries).
    The bound is the smallest of the filters' counts (entries co-published by the publisher
    added); it is exact for one filter (a publisher alone, a facet value or topic family
    alone, or a publisher and one facet value) without co-published entries or date range.
    None when no filter is counted (only a date range, or none). Searches use the bound to
    choose how to search (disclosure.search.ranking), the list its exact count.
    """
    Facet = CatalogueFacetCount.Facet
    terms: list[tuple[str, list[str]]] = []
    if filters.topic:
        terms.append((Facet.TOPIC, [str(pk) for pk in filters.topic_family]))
    for facet, value in (
        (Facet.GENRE, filters.genre),
        (Facet.YEAR, filters.year),
        (Facet.VALIDITY, filters.validity),
        (Facet.DISCLOSURE_MODE, filters.disclosure_mode),
    ):
        if value:
            terms.append((facet, [str(value)]))
    if filters.publisher and not terms:
        terms.append((Facet.PUBLISHER, [str(filters.publisher)]))
    if not terms:
        return None
    condition = Q()
    for facet, values in terms:
        condition |= Q(facet=facet, value__in=values)
    announced = AdministrativeEntity.Status.ANNOUNCED
    if filters.publisher:
        counted = CatalogueFacetCount.objects.filter(
            condition, publisher_id=filters.publisher, publisher__status=announced
        )
        rows = counted.values_list(Value(1), "facet").annotate(n=Sum("count")).order_by()
    else:
        # Every publisher's, less those of publishers not announced (as _summary_facets).
        totals = CatalogueFacetTotal.objects.filter(condition)
        hidden = CatalogueFacetCount.objects.filter(condition).exclude(publisher__status=announced)
        rows = (
            totals.values_list(Value(1), "facet")
            .annotate(n=Sum("count"))
            .order_by()
            .union(
                hidden.values_list(Value(-1), "facet").annotate(n=Sum("count")).order_by(),
                all=True,
            )
        )
    sums: dict[str, int] = defaultdict(int)
    for sign, facet, n in rows:
        sums[facet] += sign * n
    co_published = len(filters.co_published)
    bound = min(max(sums[facet], 0) for facet, _ in terms) + co_published
    dated = bool(filters.published_after or filters.published_before)
    return BaseSize(bound=bound, exact=len(terms) == 1 and not co_published and not dated)


def catalogue_list_known_count(filters: CatalogueFilters) -> int | None:
    """A filtered list's count when the facet counts know it exactly (one facet value, or a
    publisher and one: `catalogue_base_size`), so the list runs no `COUNT`; None otherwise.

    A search is counted by its results. A 0 is not trusted: no counts may be kept yet (entries
    written around the actions, before a rebuild), and the entries are counted then.
    """
    if filters.q:
        return None
    size = catalogue_base_size(filters)
    return size.bound if size is not None and size.exact and size.bound else None


def catalogue_entry_list(
    *, filters: CatalogueFilters | None = None
) -> QuerySet[CatalogueEntry] | SearchResults:
    """Published entries, filtered and sorted, with publisher and topic preloaded.

    Sorts: `date` (newest first, the default), `date_asc`, `title`, and `relevance` when
    searching (the default then: title matches first, then newest first). A search is a
    `SearchResults` (disclosure.search.ranking): it reads only the rows of the page asked
    for, whatever the number of hits, and counts up to SEARCH_COUNT_CAP.
    """
    filters = filters or CatalogueFilters()
    sort = filters.sort or ("relevance" if filters.q else "date")
    if filters.q:
        base = catalogue_entry_filter(catalogue_public_queryset(), filters, facets_only=True)
        if filters.publisher:
            base = base.filter(_of_publisher(filters))
        # The filters' size from the facet counts: a small base is searched entry by entry.
        size = catalogue_base_size(filters)
        ordering = None if sort == "relevance" else SORTS.get(sort, SORTS["date"])
        return catalogue_entry_search_results(
            base,
            filters.q,
            select_related=LIST_RELATIONS,
            ordering=ordering,
            base_size=size.bound if size is not None else None,
        )
    queryset = catalogue_entry_filter(catalogue_public_queryset(), filters)
    queryset = queryset.order_by(*SORTS.get(sort, SORTS["date"]))
    return _with_list_relations(queryset)


class CappedPaginator(Paginator):
    """A paginator that counts at most `cap` rows, so a page never scans the whole table."""

    def __init__(
        self, *args: Any, cap: int = COUNT_CAP, known_count: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cap = cap
        self.known_count = known_count

    @cached_property
    def count(self) -> int:
        if self.known_count is not None:  # e.g. from the maintained facet counts
            return min(self.known_count, self.cap + 1)
        capped_count = getattr(self.object_list, "capped_count", None)
        if capped_count is not None:  # a search's results (disclosure.search.SearchResults)
            return capped_count(self.cap)
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def catalogue_entry_page(
    queryset: QuerySet[CatalogueEntry] | SearchResults,
    *,
    page: Any,
    per_page: int = PAGE_SIZE,
    known_count: int | None = None,
) -> Page:
    """One page of a list; out-of-range or malformed page numbers give the nearest page.

    A list counts up to COUNT_CAP entries, a ranked search up to SEARCH_COUNT_CAP.
    `known_count`: the number of entries when it is known without counting (the whole
    catalogue's, from its facet counts: see `catalogue_facets_total`).
    """
    cap = SEARCH_COUNT_CAP if isinstance(queryset, SearchResults) else COUNT_CAP
    return CappedPaginator(queryset, per_page, cap=cap, known_count=known_count).get_page(page)


def catalogue_facets_total(facets: "dict[str, list[FacetValue]]") -> int | None:
    """How many entries the facets were counted over (every entry has one publisher)."""
    counts = [value.count for value in facets.get("publisher", [])]
    if any(count is None for count in counts):
        return None
    return sum(counts)  # type: ignore[arg-type]


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet; `count` is None when the page does not count per value."""

    value: Any
    label: str
    count: int | None


FACET_NAMES = ("publisher", "topic", "genre", "year", "validity", "disclosure_mode")


def catalogue_filters_empty(filters: CatalogueFilters) -> bool:
    """Whether these filters show the whole public catalogue (a sort order only)."""
    return filters == CatalogueFilters(sort=filters.sort)


def catalogue_facets(
    filters: CatalogueFilters,
    *,
    counted: bool | None = None,
    results: QuerySet[CatalogueEntry] | SearchResults | None = None,
    shown: int | None = None,
) -> dict[str, list[FacetValue]]:
    """The values of publisher, topic, genre, year, validity and disclosure mode, with counts.

    - The whole catalogue (no search, no filter): counts from the maintained summary
      (`CatalogueFacetCount`, kept by the publish and withdraw actions), summed over announced
      publishers: a few small queries whatever the catalogue's size.
    - A small filtered set or search (its capped count was not capped): counted exactly over
      that set in one grouped query, so each count says what the refinement would give.
    - A larger set: the catalogue's values without counts (FacetValue.count is None); the
      page says why. So is a small set found by a frequent word (a walk, see
      disclosure.search.ranking), whose exact counts would read every match of the word.

    `counted`: whether the set is small, from the page's capped count (`not
    paginator.capped`); counted here (capped) when not given. `results`: the page's entries
    (`catalogue_entry_list`), whose matching set is counted. `shown`: the page shows each
    facet's first `shown` values and the chosen one: only those of the maintained counts get
    their names read (the other values keep their place and count, with an empty label).
    """
    if catalogue_filters_empty(filters):
        return _summary_facets(counted=True, shown=shown)
    if counted is None:
        counted = not CappedPaginator(
            catalogue_entry_filter(catalogue_public_queryset(), filters), PAGE_SIZE
        ).capped
    if not counted:
        return _summary_facets(counted=False, shown=shown, chosen=filters)
    if isinstance(results, SearchResults):
        if results.strategy.walk:
            return _summary_facets(counted=False, shown=shown, chosen=filters)
        base = results.matching()
    else:
        base = catalogue_entry_filter(catalogue_public_queryset(), filters)
    return _grouped_facets(base, distinct=bool(filters.publisher))


def _choice_labels() -> dict[str, dict[str, str]]:
    return {
        "genre": {key: str(label) for key, label in CatalogueEntry.Genre.choices},
        "validity": {key: str(label) for key, label in CatalogueEntry.Validity.choices},
        "disclosure_mode": {
            key: str(label) for key, label in CatalogueEntry.DisclosureMode.choices
        },
    }


def _topic_label(name: str, parent_name: str | None) -> str:
    return f"{parent_name} / {name}" if parent_name else name


def _facet_lists(
    counts: dict[str, dict[Any, int]],
    *,
    publishers: dict[int, str],
    topics: dict[int, str],
    counted: bool,
) -> dict[str, list[FacetValue]]:
    """Ordered facet values with labels: most frequent first, years newest first."""
    choices = _choice_labels()

    def value(name: str, key: Any, label: str) -> FacetValue:
        return FacetValue(key, label, counts[name][key] if counted else None)

    facets: dict[str, list[FacetValue]] = {}
    for name, labels in (("publisher", publishers), ("topic", topics)):
        # Most frequent first, by name among equals; values without a name (beyond the shown
        # ones, see _summary_facets) after them, never shown.
        ordered = sorted(
            counts[name],
            key=lambda key: (-counts[name][key], key not in labels, labels.get(key, "")),
        )
        facets[name] = [value(name, key, labels.get(key, "")) for key in ordered]
    facets["genre"] = [
        value("genre", key, choices["genre"].get(key, key))
        for key in sorted(counts["genre"], key=lambda key: (-counts["genre"][key], key))
    ]
    facets["year"] = [value("year", key, str(key)) for key in sorted(counts["year"], reverse=True)]
    for name in ("validity", "disclosure_mode"):
        facets[name] = [
            value(name, key, choices[name].get(key, "")) for key in sorted(counts[name])
        ]
    return facets


def _summary_facets(
    *, counted: bool, shown: int | None = None, chosen: CatalogueFilters | None = None
) -> dict[str, list[FacetValue]]:
    """The whole public catalogue's facets, from the maintained counts (3 queries).

    The totals over every publisher (`CatalogueFacetTotal`, about a hundred rows), less the
    counts of publishers that are not announced (few; `CatalogueFacetCount` is kept per
    publisher for this), which is the visibility rule of `CatalogueEntry.objects.published()`.
    With `shown`, only the publishers and topics the page can show are named: the values at
    least as frequent as the `shown`-th (equals are ordered by name) and the chosen ones.
    Naming all 1,000 publishers of a million-entry catalogue read and sorted 1,000 names
    for 30 shown (a third of the uncached catalogue page).
    """
    counts: dict[str, dict[Any, int]] = {name: defaultdict(int) for name in FACET_NAMES}

    def add(facet: str, raw: str, n: int) -> None:
        key: Any = int(raw) if facet in ("publisher", "topic", "year") else raw
        counts[facet][key] += n

    for facet, raw, n in CatalogueFacetTotal.objects.values_list("facet", "value", "count"):
        add(facet, raw, n)
    hidden = (
        CatalogueFacetCount.objects.exclude(publisher__status=AdministrativeEntity.Status.ANNOUNCED)
        .values_list("facet", "value")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for facet, raw, n in hidden:
        add(facet, raw, -n)
    for name in FACET_NAMES:
        counts[name] = {key: n for key, n in counts[name].items() if n > 0}
    chosen = chosen or CatalogueFilters()
    asked = {
        "publisher": _named_keys(counts["publisher"], shown, chosen.publisher),
        "topic": _named_keys(counts["topic"], shown, chosen.topic),
    }
    publishers, topics = _facet_labels(asked["publisher"], asked["topic"])
    # A value whose publisher or topic is gone is left out, as before.
    for name, labels in (("publisher", publishers), ("topic", topics)):
        gone = set(asked[name]) - set(labels)
        counts[name] = {key: n for key, n in counts[name].items() if key not in gone}
    return _facet_lists(counts, publishers=publishers, topics=topics, counted=counted)


def _named_keys(counts: dict[int, int], shown: int | None, chosen: int | None) -> list[int]:
    """The values whose names the page may show: all, or the `shown` most frequent with every
    value as frequent as the last of them (their order is by name), and the chosen one."""
    if shown is None or len(counts) <= shown:
        return list(counts)
    least = sorted(counts.values(), reverse=True)[shown - 1] if shown > 0 else float("inf")
    return [key for key, n in counts.items() if n >= least or key == chosen]


def _facet_labels(
    publisher_ids: list[int], topic_ids: list[int]
) -> tuple[dict[int, str], dict[int, str]]:
    """Names of these publishers and topics (a topic as "parent / name"), in one query."""
    if not publisher_ids and not topic_ids:
        return {}, {}
    publishers = (
        AdministrativeEntity.objects.filter(pk__in=publisher_ids)
        .order_by()
        .values_list(Value("p"), "pk", "name", Value(None, output_field=CharField()))
    )
    topics = (
        Topic.objects.filter(pk__in=topic_ids)
        .order_by()
        .values_list(Value("t"), "pk", "name", "parent__name")
    )
    publisher_names: dict[int, str] = {}
    topic_names: dict[int, str] = {}
    for kind, pk, name, parent_name in publishers.union(topics, all=True):
        if kind == "p":
            publisher_names[pk] = name
        else:
            topic_names[pk] = _topic_label(name, parent_name)
    return publisher_names, topic_names


def _grouped_facets(
    base: QuerySet[CatalogueEntry], *, distinct: bool
) -> dict[str, list[FacetValue]]:
    """Exact facet counts over a small filtered set or search, in one query.

    One GROUP BY over the six facet columns together; the per-facet sums are added up here
    (at most as many rows as entries), instead of six aggregated queries each re-running
    the filter and the search.
    """
    base = base.order_by()
    if distinct:
        # Avoid DISTINCT over the co-publisher join inside the aggregate.
        base = catalogue_public_queryset().filter(pk__in=base.values("pk")).order_by()
    rows = (
        base.annotate(year=ExtractYear("published_date"))
        .values_list(
            "publisher_id",
            "publisher__name",
            "topic_id",
            "topic__name",
            "topic__parent__name",
            "genre",
            "year",
            "validity",
            "disclosure_mode",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[str, dict[Any, int]] = {name: defaultdict(int) for name in FACET_NAMES}
    publishers: dict[int, str] = {}
    topics: dict[int, str] = {}
    for publisher_id, publisher_name, topic_id, topic_name, parent_name, *rest in rows:
        genre, year, validity, mode, n = rest
        publishers[publisher_id] = publisher_name
        counts["publisher"][publisher_id] += n
        if topic_id is not None:
            topics[topic_id] = _topic_label(topic_name, parent_name)
            counts["topic"][topic_id] += n
        counts["genre"][genre] += n
        if year:
            counts["year"][year] += n
        counts["validity"][validity] += n
        counts["disclosure_mode"][mode] += n
    return _facet_lists(counts, publishers=publishers, topics=topics, counted=True)


def catalogue_entry_get_public(*, pk: int) -> CatalogueEntry:
    """The entry for its public page: published, or withdrawn (its page shows the notice).

    Raises `CatalogueEntry.DoesNotExist` for drafts, entries in review, and entries of a
    publisher that is not announced. One query: the entry with its publisher (id and name),
    its topic and the topic's parent preloaded. Its attachments, co-publishers and related
    entries come from `catalogue_entry_relations` (one more query, for a page that shows them).

    Speed (docs/performance.md): a cold entry page is the commonest page a cache misses, so this
    runs a fixed SQL statement written once per process from the models' columns instead of
    compiling an ORM query on each request; the visibility rule is the one of
    `CatalogueEntry.objects.addressable()` (tests/disclosure/test_entry_page_queries.py holds
    them to the same answers).
    """
    if not 0 < pk <= _MAX_ID:  # the ORM answers "no such row" too (SQLite would overflow)
        raise CatalogueEntry.DoesNotExist("No published or withdrawn entry with this id.")
    sql, columns = _entry_statement(connection.vendor)
    params = [
        pk,
        CatalogueEntry.Status.PUBLISHED,
        CatalogueEntry.Status.WITHDRAWN,
        AdministrativeEntity.Status.ANNOUNCED,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        raise CatalogueEntry.DoesNotExist("No published or withdrawn entry with this id.")
    entry_count = len(columns.entry)
    publisher_end = entry_count + len(columns.publisher)
    topic_end = publisher_end + len(columns.topic)
    entry = model_from_row(CatalogueEntry, connection, columns.entry_names, row[:entry_count])
    entry.publisher = model_from_row(
        AdministrativeEntity, connection, columns.publisher_names, row[entry_count:publisher_end]
    )
    topic = parent = None
    if row[publisher_end] is not None:
        topic = model_from_row(Topic, connection, columns.topic_names, row[publisher_end:topic_end])
        if row[topic_end] is not None:
            parent = model_from_row(Topic, connection, columns.topic_names, row[topic_end:])
        topic.parent = parent
    entry.topic = topic
    return entry


_MAX_ID = 2**63 - 1  # the largest BigAutoField value


@dataclass(frozen=True)
class _EntryColumns:
    """The fields the entry statement reads, in its SELECT order (see `_entry_statement`)."""

    entry: tuple[Field, ...]
    publisher: tuple[Field, ...]
    topic: tuple[Field, ...]

    @cached_property
    def entry_names(self) -> list[str]:
        return [field.attname for field in self.entry]

    @cached_property
    def publisher_names(self) -> list[str]:
        return [field.attname for field in self.publisher]

    @cached_property
    def topic_names(self) -> list[str]:
        return [field.attname for field in self.topic]


@cache
def _entry_statement(vendor: str) -> tuple[str, _EntryColumns]:
    """The entry page's SELECT: every column of the entry, its publisher's id and name, its
    topic and the topic's parent (LEFT JOINs: an entry may have no topic, a topic no parent).
    Written once per database vendor (`vendor` keys the cache)."""
    entity_meta, topic_meta = AdministrativeEntity._meta, Topic._meta
    columns = _EntryColumns(
        entry=tuple(CatalogueEntry._meta.concrete_fields),
        publisher=(entity_meta.pk, entity_meta.get_field("name")),
        topic=tuple(topic_meta.get_field(name) for name in ("id", "name", "code", "parent")),
    )
    # Table and column names are the models' own, never input: S608 does not apply.
    quote = connection.ops.quote_name

    def select(alias: str, fields: tuple[Field, ...]) -> str:
        return ", ".join(f"{alias}.{quote(field.column)}" for field in fields)

    entry, entity, topic = (
        quote(CatalogueEntry._meta.db_table),
        quote(entity_meta.db_table),
        quote(topic_meta.db_table),
    )
    sql = (
        f"SELECT {select('e', columns.entry)}, {select('p', columns.publisher)}, "  # noqa: S608
        f"{select('t', columns.topic)}, {select('tp', columns.topic)} "
        f"FROM {entry} e "
        f"INNER JOIN {entity} p ON p.id = e.publisher_id "
        f"LEFT JOIN {topic} t ON t.id = e.topic_id "
        f"LEFT JOIN {topic} tp ON tp.id = t.parent_id "
        "WHERE e.id = %s AND e.status IN (%s, %s) AND p.status = %s"
    )
    return sql, columns


class EntryRelations(NamedTuple):
    """What an entry's page lists besides the entry: rows of plain values, in page order.

    attachments: {"pk", "title", "type_label", "size"}, by sort order;
    co_publishers: {"pk", "name"}, announced ones only, in the directory's order;
    amends, amended_by, repeals, repealed_by: {"pk", "title"}, published entries of announced
    publishers only, newest first.
    """

    attachments: list[dict[str, Any]]
    co_publishers: list[dict[str, Any]]
    amends: list[dict[str, Any]]
    amended_by: list[dict[str, Any]]
    repeals: list[dict[str, Any]]
    repealed_by: list[dict[str, Any]]


def catalogue_entry_relations(*, entry: CatalogueEntry) -> EntryRelations:
    """An entry's attachments, announced co-publishers and published related entries.

    One query (a UNION ALL of the three tables' rows), whatever the number of rows. Related
    entries (amends / amended by / repeals / repealed by) are only the published ones of
    announced publishers, as `CatalogueEntry.objects.published()` says; co-publishers only the
    announced ones, as `AdministrativeEntity.objects.announced()`.
    """
    published = CatalogueEntry.Status.PUBLISHED
    announced = AdministrativeEntity.Status.ANNOUNCED
    params = [entry.pk, entry.pk, announced]
    params += [entry.pk] * len(_RELATED_ENTRY_KINDS) + [published, announced]
    relations: EntryRelations = EntryRelations([], [], [], [], [], [])
    with connection.cursor() as cursor:
        cursor.execute(_relations_statement(connection.vendor), params)
        rows = cursor.fetchall()
    for kind, _position, pk, title, content_type, size in rows:
        if kind == 0:
            relations.attachments.append(
                {
                    "pk": pk,
                    "title": title,
                    "type_label": ATTACHMENT_TYPES.get(content_type, ""),
                    "size": size,
                }
            )
        elif kind == 1:
            relations.co_publishers.append({"pk": pk, "name": title})
        else:
            relations[kind].append({"pk": pk, "title": title})
    return relations


# The related entries' kinds, in EntryRelations order after attachments (0) and co-publishers
# (1): (kind, the M2M field, the through table's column of this entry, of the other one).
_RELATED_ENTRY_KINDS = (
    (2, "amends", "from_catalogueentry_id", "to_catalogueentry_id"),
    (3, "amends", "to_catalogueentry_id", "from_catalogueentry_id"),
    (4, "repeals", "from_catalogueentry_id", "to_catalogueentry_id"),
    (5, "repeals", "to_catalogueentry_id", "from_catalogueentry_id"),
)


@cache
def _relations_statement(vendor: str) -> str:
    """The UNION ALL behind `catalogue_entry_relations`: (kind, position, id, title or name,
    content type, size); each kind numbered in its page order by row_number(), as the ORM's
    orderings say (attachments: sort_order, id; entities: sort_order, name; entries: newest
    first), then sorted by kind and position. The four kinds of related entry share one join
    to the entries and their publishers: PostgreSQL plans it in half the time of four joins
    (planning, not execution, is most of this statement's cost). Written once per vendor."""
    # Table and column names are the models' own, never input: S608 does not apply.
    quote = connection.ops.quote_name
    entry_table = quote(CatalogueEntry._meta.db_table)
    entity_table = quote(AdministrativeEntity._meta.db_table)
    attachment_table = quote(CatalogueAttachment._meta.db_table)
    co_publishers = CatalogueEntry._meta.get_field("co_publishers").remote_field.through._meta
    links = " UNION ALL ".join(
        f"SELECT {kind} AS kind, {other} AS other "  # noqa: S608
        f"FROM {quote(CatalogueEntry._meta.get_field(name).remote_field.through._meta.db_table)} "
        f"WHERE {this} = %s"
        for kind, name, this, other in _RELATED_ENTRY_KINDS
    )
    return (
        "SELECT * FROM ("  # noqa: S608
        "SELECT 0 AS kind, ROW_NUMBER() OVER (ORDER BY a.sort_order, a.id) AS pos, "
        "a.id, a.title, a.content_type, a.size "
        f"FROM {attachment_table} a WHERE a.entry_id = %s "
        "UNION ALL "
        "SELECT 1, ROW_NUMBER() OVER (ORDER BY p.sort_order, p.name, p.id), "
        "p.id, p.name, NULL, NULL "
        f"FROM {quote(co_publishers.db_table)} c "
        f"INNER JOIN {entity_table} p ON p.id = c.administrativeentity_id "
        "WHERE c.catalogueentry_id = %s AND p.status = %s "
        "UNION ALL "
        "SELECT r.kind, "
        "ROW_NUMBER() OVER (PARTITION BY r.kind ORDER BY e.published_date DESC, e.id DESC), "
        "e.id, e.title, NULL, NULL "
        f"FROM ({links}) r "
        f"INNER JOIN {entry_table} e ON e.id = r.other "
        f"INNER JOIN {entity_table} p ON p.id = e.publisher_id "
        "WHERE e.status = %s AND p.status = %s"
        ") related ORDER BY kind, pos"
    )


def catalogue_entry_pk_for_index_no(*, index_no: str) -> int | None:
    """The primary key of the published or withdrawn entry that bears an index number."""
    return (
        CatalogueEntry.objects.addressable()
        .filter(index_no=index_no)
        .values_list("pk", flat=True)
        .first()
    )


def catalogue_entries_of_publisher(
    *, publisher: AdministrativeEntity, limit: int = 10
) -> list[CatalogueEntry]:
    """The latest published entries of one publisher, for its entity page and feed."""
    return list(
        _with_list_relations(
            catalogue_public_queryset().filter(publisher=publisher).order_by(*SORTS["date"])
        )[:limit]
    )


def topic_list() -> QuerySet[Topic]:
    """All topics, parents before children, with the parent preloaded."""
    return Topic.objects.select_related("parent").order_by(
        "parent__sort_order", "sort_order", "code"
    )


def topic_get_by_code(*, code: str) -> Topic:
    return Topic.objects.select_related("parent").get(code=code)


def catalogue_late_publication_counts(*, year: int | None = None) -> list[dict[str, Any]]:
    """Per publisher (and year): proactive entries published, and how many of them late.

    Regulation Art 26: proactive information is published within 20 working days of being
    formed. Counts published and withdrawn entries (a withdrawn entry was still published).
    Rows: {"publisher", "publisher__name", "year", "published", "late"}.
    """
    queryset = CatalogueEntry.objects.filter(
        status__in=[CatalogueEntry.Status.PUBLISHED, CatalogueEntry.Status.WITHDRAWN],
        disclosure_mode=CatalogueEntry.DisclosureMode.PROACTIVE,
    )
    if year is not None:
        queryset = queryset.filter(
            published_date__gte=datetime.date(year, 1, 1),
            published_date__lte=datetime.date(year, 12, 31),
        )
    return list(
        queryset.annotate(year=ExtractYear("published_date"))
        .values("publisher", "publisher__name", "year")
        .annotate(published=Count("id"), late=Count("id", filter=Q(published_late=True)))
        .order_by("year", "publisher__name")
    )


def catalogue_entries_latest(*, limit: int = 8) -> list[CatalogueEntry]:
    """The latest published entries of the whole district (for the home page's "latest" area)."""
    return list(_with_list_relations(catalogue_public_queryset().order_by(*SORTS["date"]))[:limit])
