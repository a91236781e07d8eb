"""Keep the catalogue's facet counts (`CatalogueFacetCount`) in step with the entries.

Every change that moves a public entry in or out of a facet value goes through here, inside
the action's own transaction: publication (`catalogue_entry_publish`, including the entries
it repeals, whose validity becomes "repealed") and withdrawal (`catalogue_entry_withdraw`).
Only drafts can be edited, and a draft counts nowhere, so editing needs nothing. The pattern
is the service statistics' (services.actions.summaries): an entry's *contribution* (the
counters it adds to) before and after the change, and the difference added with `F()`
increments, which commute, so concurrent publications never lose a count.

Visibility by publisher (only announced publishers' entries are public) is applied when the
counts are read (disclosure.selectors.catalogue), so an entity's announcement or revocation
needs no recount.

`catalogue_facet_counts_rebuild` recomputes every row from the entries: after a bulk load
(the scale generator), or to repair counts written around the actions
(`manage.py rebuild_catalogue_facets`).
"""

from collections import Counter, defaultdict

from django.db import connection, transaction
from django.db.models import Count, F
from django.db.models.functions import ExtractYear

from disclosure.models.catalogue import CatalogueEntry
from disclosure.models.catalogue_facets import CatalogueFacetCount, CatalogueFacetTotal

Facet = CatalogueFacetCount.Facet
# (publisher id, facet, value as text)
Key = tuple[int, str, str]
Contribution = Counter

# The entry field behind each facet other than year (which is the publication date's year).
FACET_FIELDS: dict[str, str] = {
    Facet.PUBLISHER: "publisher_id",
    Facet.TOPIC: "topic_id",
    Facet.GENRE: "genre",
    Facet.VALIDITY: "validity",
    Facet.DISCLOSURE_MODE: "disclosure_mode",
}


def catalogue_entry_facet_contribution(entry: CatalogueEntry) -> Contribution:
    """The facet counters `entry`, as it stands, adds one to (none unless it is published)."""
    counts: Contribution = Counter()
    if entry.pk is None or entry.status != CatalogueEntry.Status.PUBLISHED:
        return counts
    publisher_id = entry.publisher_id
    for facet, field in FACET_FIELDS.items():
        value = getattr(entry, field)
        if value is not None and value != "":
            counts[(publisher_id, str(facet), str(value))] += 1
    if entry.published_date is not None:
        counts[(publisher_id, str(Facet.YEAR), str(entry.published_date.year))] += 1
    return counts


def catalogue_facet_counts_apply(*, before: Contribution, after: Contribution) -> None:
    """Add `after - before` to the facet counts and their totals (in the caller's transaction).

    Rows are created on first use (race-free: a parallel insert of the same key is ignored)
    and changed by `F()` increments in key order, so concurrent actions neither lose a count
    nor deadlock on each other's rows.
    """
    delta: dict[Key, int] = defaultdict(int)
    for key, n in after.items():
        delta[key] += n
    for key, n in before.items():
        delta[key] -= n
    changes = sorted((key, n) for key, n in delta.items() if n)
    if not changes:
        return
    with transaction.atomic():
        CatalogueFacetCount.objects.bulk_create(
            [
                CatalogueFacetCount(publisher_id=publisher_id, facet=facet, value=value, count=0)
                for (publisher_id, facet, value), _n in changes
            ],
            ignore_conflicts=True,
        )
        for (publisher_id, facet, value), n in changes:
            CatalogueFacetCount.objects.filter(
                publisher_id=publisher_id, facet=facet, value=value
            ).update(count=F("count") + n)
        totals: dict[tuple[str, str], int] = defaultdict(int)
        for (_publisher_id, facet, value), n in changes:
            totals[(facet, value)] += n
        totals_changed = sorted((key, n) for key, n in totals.items() if n)
        CatalogueFacetTotal.objects.bulk_create(
            [
                CatalogueFacetTotal(facet=facet, value=value, count=0)
                for (facet, value), _n in totals_changed
            ],
            ignore_conflicts=True,
        )
        for (facet, value), n in totals_changed:
            CatalogueFacetTotal.objects.filter(facet=facet, value=value).update(
                count=F("count") + n
            )


def _counted_rows() -> dict[Key, int]:
    """Every (publisher, facet, value) count of the published entries, from grouped queries."""
    published = CatalogueEntry.objects.filter(status=CatalogueEntry.Status.PUBLISHED).order_by()
    rows: dict[Key, int] = {}
    for facet, field in FACET_FIELDS.items():
        grouped = (
            published.exclude(**{f"{field}__isnull": True})
            .values_list("publisher_id", field)
            .annotate(n=Count("id"))
        )
        for publisher_id, value, n in grouped:
            if value != "":
                rows[(publisher_id, str(facet), str(value))] = n
    grouped = (
        published.filter(published_date__isnull=False)
        .annotate(year=ExtractYear("published_date"))
        .values_list("publisher_id", "year")
        .annotate(n=Count("id"))
    )
    for publisher_id, year, n in grouped:
        rows[(publisher_id, str(Facet.YEAR), str(year))] = n
    return rows


def catalogue_facet_counts_rebuild(*, batch_size: int = 5_000) -> int:
    """Recompute every facet count and total from the entries; returns the count rows written.

    One transaction; on PostgreSQL the table is locked first, so a publication running
    meanwhile either committed before (and is counted) or adds its change to the new rows.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            tables = (CatalogueFacetCount._meta.db_table, CatalogueFacetTotal._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {', '.join(tables)} IN EXCLUSIVE MODE")
        rows = _counted_rows()
        totals: dict[tuple[str, str], int] = defaultdict(int)
        for (_publisher_id, facet, value), n in rows.items():
            totals[(facet, value)] += n
        CatalogueFacetCount.objects.all().delete()
        CatalogueFacetTotal.objects.all().delete()
        CatalogueFacetCount.objects.bulk_create(
            (
                CatalogueFacetCount(publisher_id=publisher_id, facet=facet, value=value, count=n)
                for (publisher_id, facet, value), n in sorted(rows.items())
            ),
            batch_size=batch_size,
        )
        CatalogueFacetTotal.objects.bulk_create(
            (
                CatalogueFacetTotal(facet=facet, value=value, count=n)
                for (facet, value), n in sorted(totals.items())
            ),
            batch_size=batch_size,
        )
    if connection.vendor == "postgresql":
        # Fresh statistics, so that the page's read of the few non-announced publishers'
        # rows goes through the index instead of scanning every row.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {CatalogueFacetCount._meta.db_table}")
            cursor.execute(f"ANALYZE {CatalogueFacetTotal._meta.db_table}")
    return len(rows)
