"""Chinese full-text search over the catalogue: one API, a backend per database.

- `catalogue_entry_search(queryset, q, order=...)` filters (and ranks) any CatalogueEntry
  queryset; visibility stays the queryset's job (pass `CatalogueEntry.objects.published()`).
- `search_index_update(ids)`, `search_index_remove(ids)`: call from the actions, in
  `transaction.on_commit`, after an entry's text changes or it is deleted.
- `search_index_rebuild()` / `manage.py rebuild_search_index`: after a bulk import or a change
  of jieba's user dictionary (`disclosure/search/gov_terms.txt`).

Backend by `connection.vendor`: PostgreSQL (jieba tokens in a GIN-indexed tsvector) or SQLite
(the same tokens in FTS5). See docs/search.md for the design and the measured figures.
"""

from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Literal

from django.db import connection, transaction
from django.db.models import QuerySet

from disclosure.search.documents import INDEXED_FIELDS, entry_tokens
from disclosure.search.query import MAX_QUERY_LENGTH, ParsedQuery, SearchQueryError, parse_query
from disclosure.search.ranking import SEARCH_COUNT_CAP, SearchResults, Strategy, with_phrases

__all__ = [
    "MAX_QUERY_LENGTH",
    "SEARCH_COUNT_CAP",
    "SearchQueryError",
    "SearchResults",
    "catalogue_entry_search",
    "catalogue_entry_search_results",
    "search_index_rebuild",
    "search_index_remove",
    "search_index_update",
]


def _backend() -> ModuleType:
    if connection.vendor == "postgresql":
        from disclosure.search import postgres

        return postgres
    from disclosure.search import sqlite

    return sqlite


def _entry_model():
    from disclosure.models import CatalogueEntry

    return CatalogueEntry


def catalogue_entry_search(
    queryset: QuerySet, q: str | None, *, order: Literal["relevance", "none"] = "relevance"
) -> QuerySet:
    """Filter a CatalogueEntry queryset to the entries that match the search text `q`.

    Every term of the query must occur (AND) in the title, document number, keywords,
    summary or body. Quoted phrases ("营商环境") must also occur exactly (icontains on the
    fields, applied only to the index's hits). Blank `q`: the queryset unchanged. Text with
    nothing searchable (only punctuation): no entries, rather than a scan of every body.
    `order="relevance"` puts entries whose title fields (title, document number, keywords)
    hold every term first, then newest first (issue 9's ranking), and annotates
    `search_rank` (1 or 0); `order="none"` leaves the ordering to the caller.

    Adds no query of its own: the match is a sub-select inside the caller's query, so a search
    page costs the same number of queries with one hit or a thousand.

    Raises SearchQueryError (a ValueError with a translated message) for text over
    MAX_QUERY_LENGTH characters: the page shows it with status 400.
    """
    parsed: ParsedQuery | None = parse_query(q)
    if parsed is None:
        return queryset
    if not parsed.terms:
        return queryset.none()
    backend = _backend()
    queryset = with_phrases(queryset.filter(backend.match_expression(parsed.terms)), parsed)
    if order == "relevance":
        queryset = queryset.annotate(search_rank=backend.rank_expression(parsed.terms)).order_by(
            "-search_rank", "-published_date", "-id"
        )
    elif order != "none":
        raise ValueError(f"unknown search order {order!r}")
    return queryset


def catalogue_entry_search_results(
    queryset: QuerySet,
    q: str | None,
    *,
    select_related: tuple[str, ...] = (),
    strategy: Strategy | None = None,
    ordering: tuple[str, ...] | None = None,
    base_size: int | None = None,
) -> SearchResults | QuerySet:
    """The search as the catalogue page shows it: ranked, counted (capped), a page at a time.

    Same matching and ranking as `catalogue_entry_search(order="relevance")`, but it reads
    only the page's rows, whatever the number of hits (disclosure.search.ranking): a frequent
    word walks the catalogue newest first, a rare one reads its matches from the index
    first. Blank `q`: the queryset unchanged; nothing searchable: no entries. `ordering`: a
    sort instead of the ranking (newest or oldest first walk too). `strategy` forces a plan
    (tests). `base_size`: at most how many entries `queryset` holds, when its filters say
    (the facet counts): at most `SMALL_BASE`, the queryset's own entries are probed.
    Raises SearchQueryError like `catalogue_entry_search`.
    """
    parsed: ParsedQuery | None = parse_query(q)
    if parsed is None:
        return queryset
    if not parsed.terms:
        return queryset.none()
    return SearchResults(
        queryset,
        parsed,
        _backend(),
        select_related=select_related,
        strategy=strategy,
        ordering=ordering,
        base_size=base_size,
    )


def _index_batch(entry_ids: list[int]) -> int:
    """Tokenise and write the entries with these ids; drop index rows of missing ones."""
    rows = list(
        _entry_model().objects.filter(pk__in=entry_ids).order_by().values_list(*INDEXED_FIELDS)
    )
    documents = entry_tokens(rows)
    backend = _backend()
    with transaction.atomic():
        backend.write(documents)
        missing = set(entry_ids) - {document.entry_id for document in documents}
        if missing:
            backend.remove(sorted(missing))
    return len(documents)


def search_index_update(entry_ids: Iterable[int], *, batch_size: int = 500) -> None:
    """(Re)index these entries, whatever their status, replacing their old words.

    Call it in `transaction.on_commit` after an entry's title, document number, keywords,
    summary or body change (publication included). Ids of entries that no longer exist are
    removed from the index.
    """
    ids = sorted({int(entry_id) for entry_id in entry_ids})
    for start in range(0, len(ids), batch_size):
        _index_batch(ids[start : start + batch_size])


def search_index_remove(entry_ids: Iterable[int]) -> None:
    """Remove these entries from the index (e.g. before deleting them)."""
    ids = sorted({int(entry_id) for entry_id in entry_ids})
    if ids:
        _backend().remove(ids)


def search_index_rebuild(
    *, batch_size: int = 1000, progress: Callable[[int, int], None] | None = None
) -> int:
    """Re-index every entry in batches, then drop index rows of deleted entries.

    Batches are read in primary-key order (keyset, no OFFSET) and written with one statement
    each (PostgreSQL: INSERT … ON CONFLICT with VALUES; SQLite: executemany), each batch in its
    own transaction so that search keeps working while it runs. Returns the entries indexed;
    `progress(done, total)` is called after every batch.
    """
    model = _entry_model()
    total = model.objects.count()
    done = 0
    last_id = 0
    while True:
        ids = list(
            model.objects.filter(pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            break
        done += _index_batch(ids)
        last_id = ids[-1]
        if progress is not None:
            progress(done, total)
    backend = _backend()
    backend.remove_orphans(model._meta.db_table)
    backend.finish_rebuild(model._meta.db_table)
    return done
