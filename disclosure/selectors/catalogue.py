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
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear

from disclosure.models.catalogue import CatalogueAttachment, CatalogueEntry, Topic
from disclosure.models.entities import AdministrativeEntity
from disclosure.search import catalogue_entry_search

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


def catalogue_public_queryset() -> QuerySet[CatalogueEntry]:
    """Published entries of announced publishers: the base of every public list."""
    return CatalogueEntry.objects.published()


def _with_list_relations(queryset: QuerySet[CatalogueEntry]) -> QuerySet[CatalogueEntry]:
    return queryset.select_related("publisher", "topic", "topic__parent")


def catalogue_entry_filter(
    queryset: QuerySet[CatalogueEntry], filters: CatalogueFilters, *, rank: bool = False
) -> QuerySet[CatalogueEntry]:
    """Apply the facets, date range and search to a queryset of entries.

    The search (disclosure.search) raises `SearchQueryError` for a query it refuses; with
    `rank` it orders by relevance, otherwise it leaves the order alone.
    """
    if filters.publisher:
        queryset = queryset.filter(
            Q(publisher_id=filters.publisher) | Q(co_publishers__id=filters.publisher)
        ).distinct()
    if filters.topic:
        # A top-level topic includes its sub-topics.
        queryset = queryset.filter(Q(topic_id=filters.topic) | Q(topic__parent_id=filters.topic))
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
    if filters.q:
        queryset = catalogue_entry_search(
            queryset, filters.q, order="relevance" if rank else "none"
        )
    return queryset


def catalogue_entry_list(*, filters: CatalogueFilters | None = None) -> QuerySet[CatalogueEntry]:
    """Published entries, filtered and sorted, with publisher and topic preloaded.

    Sorts: `date` (newest first, the default), `date_asc`, `title`, and `relevance` when
    searching (the default then: the order the search returns).
    """
    filters = filters or CatalogueFilters()
    sort = filters.sort or ("relevance" if filters.q else "date")
    ranked = sort == "relevance" and bool(filters.q)
    queryset = catalogue_entry_filter(catalogue_public_queryset(), filters, rank=ranked)
    if not ranked:
        queryset = queryset.order_by(*SORTS.get(sort, SORTS["date"]))
    return _with_list_relations(queryset)


class CappedPaginator(Paginator):
    """A paginator that counts at most `cap` rows, so a page never scans the whole table."""

    def __init__(self, *args: Any, cap: int = COUNT_CAP, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def catalogue_entry_page(
    queryset: QuerySet[CatalogueEntry], *, page: Any, per_page: int = PAGE_SIZE
) -> Page:
    """One page of a list; out-of-range or malformed page numbers give the nearest page."""
    return CappedPaginator(queryset, per_page).get_page(page)


@dataclass(frozen=True)
class FacetValue:
    value: Any
    label: str
    count: int


def catalogue_facets(filters: CatalogueFilters) -> dict[str, list[FacetValue]]:
    """Counts per publisher, topic, genre, year, validity and disclosure mode.

    Counted over the filtered set (so the counts say what each refinement would give), one
    aggregated query per facet.
    """
    base = catalogue_entry_filter(catalogue_public_queryset(), filters).order_by()
    if filters.publisher:
        # Avoid DISTINCT over the co-publisher join inside the aggregates.
        base = catalogue_public_queryset().filter(pk__in=base.values("pk")).order_by()

    facets: dict[str, list[FacetValue]] = {}
    facets["publisher"] = [
        FacetValue(row["publisher_id"], row["publisher__name"], row["n"])
        for row in base.values("publisher_id", "publisher__name")
        .annotate(n=Count("id"))
        .order_by("-n", "publisher__name")
    ]
    facets["topic"] = [
        FacetValue(
            row["topic_id"],
            f"{row['topic__parent__name']} / {row['topic__name']}"
            if row["topic__parent__name"]
            else row["topic__name"],
            row["n"],
        )
        for row in base.filter(topic__isnull=False)
        .values("topic_id", "topic__name", "topic__parent__name")
        .annotate(n=Count("id"))
        .order_by("-n", "topic__name")
    ]
    genres = dict(CatalogueEntry.Genre.choices)
    facets["genre"] = [
        FacetValue(row["genre"], str(genres.get(row["genre"], row["genre"])), row["n"])
        for row in base.values("genre").annotate(n=Count("id")).order_by("-n", "genre")
    ]
    facets["year"] = [
        FacetValue(row["year"], str(row["year"]), row["n"])
        for row in base.annotate(year=ExtractYear("published_date"))
        .values("year")
        .annotate(n=Count("id"))
        .order_by("-year")
        if row["year"]
    ]
    validities = dict(CatalogueEntry.Validity.choices)
    facets["validity"] = [
        FacetValue(row["validity"], str(validities.get(row["validity"], "")), row["n"])
        for row in base.values("validity").annotate(n=Count("id")).order_by("validity")
    ]
    modes = dict(CatalogueEntry.DisclosureMode.choices)
    facets["disclosure_mode"] = [
        FacetValue(row["disclosure_mode"], str(modes.get(row["disclosure_mode"], "")), row["n"])
        for row in base.values("disclosure_mode")
        .annotate(n=Count("id"))
        .order_by("disclosure_mode")
    ]
    return facets


def catalogue_entry_get_public(*, pk: int) -> CatalogueEntry:
    """The entry for its public page: published, or withdrawn (its page shows the notice).

    Raises `CatalogueEntry.DoesNotExist` for drafts, entries in review, and entries of a
    publisher that is not announced. Related entries (amends / amended by / repeals / repealed
    by) are only the published ones.
    """
    visible = catalogue_public_queryset().only("id", "title", "index_no", "published_date")
    return (
        CatalogueEntry.objects.addressable()
        .select_related("publisher", "topic", "topic__parent")
        .prefetch_related(
            Prefetch("attachments", queryset=CatalogueAttachment.objects.order_by("sort_order")),
            Prefetch("co_publishers", queryset=AdministrativeEntity.objects.announced()),
            Prefetch("amends", queryset=visible),
            Prefetch("amended_by", queryset=visible),
            Prefetch("repeals", queryset=visible),
            Prefetch("repealed_by", queryset=visible),
        )
        .get(pk=pk)
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
