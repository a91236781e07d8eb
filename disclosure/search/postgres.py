"""PostgreSQL backend: a side table of jieba `tsvector`s with a GIN index.

Table `disclosure_catalogue_search(entry_id bigint primary key, document tsvector,
title_document tsvector)`, created by migrations 0005 and 0006 on PostgreSQL only. A side
table rather than a column on CatalogueEntry: the experiment measured the stored tsvector at
1.5-2.4 GB per million entries, more than the body text; as a column every list and detail
page (`SELECT *`) and every django-simple-history snapshot would carry it. No foreign key
(Django's test flush TRUNCATEs the entry table without CASCADE); rows of deleted entries
never match because results are entry rows.

Two vectors per entry: `document` (every field) for matching, `title_document` (title,
document number, keywords) for ranking title matches first. Both are written as tsvector
*literals*: lexemes go in verbatim, so PostgreSQL's text parser (which would split 200612号 or
pm2 its own way) never touches them, and the query is a tsquery literal of the same lexemes,
each quoted.
"""

import itertools
import json
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import BooleanField, IntegerField

from disclosure.search.documents import EntryTokens
from disclosure.search.expressions import EntrySql
from disclosure.search.tokens import QueryTerm

TABLE = "disclosure_catalogue_search"


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(tokens: Iterable[str]) -> str:
    """A tsvector of the distinct tokens, without positions: `'营商环境' '投诉' …`.

    No positions or weights: matching is an AND of lexemes (no phrase search, which the
    experiment found costs a 100-270 ms heap recheck) and ranking uses the title vector, so
    positions would only make the stored vector about 40 % bigger (2.2 vs 1.5 GB at 1M).
    """
    return " ".join(_quote(lexeme) for lexeme in dict.fromkeys(tokens))


def tsquery_literal(terms: Sequence[QueryTerm]) -> str:
    """The AND of the terms as a tsquery literal; a prefix term ends in `:*`."""
    return " & ".join(_quote(term.text) + (":*" if term.prefix else "") for term in terms)


def match_expression(terms: Sequence[QueryTerm]) -> EntrySql:
    """`pk = ANY((SELECT disclosure_catalogue_search_ids(query)))`: matching ids first, once.

    The scalar sub-select is an InitPlan, so the GIN index produces the match set before the
    outer query runs (the function forces the GIN index: see migration 0007); the outer query
    then reads those rows by primary key and sorts them. This is the experiment's
    MATERIALIZED-CTE fix for the planner trap (a rare or absent word with `ORDER BY
    published_date DESC LIMIT 20` walked the date index for 5-15 s at 1M rows),
    done as a WHERE clause so that it composes with any queryset, facets and ordering.
    """
    return EntrySql(
        "{pk} = ANY((SELECT disclosure_catalogue_search_ids(%s::tsquery))::bigint[])",
        [tsquery_literal(terms)],
        output_field=BooleanField(),
    )


def limited_match_expression(terms: Sequence[QueryTerm], limit: int) -> EntrySql:
    """Like `match_expression`, but only the first `limit` index rows that match (any order).

    For a capped count of a frequent word: whether more than N public entries match is
    known from a sample of the index's hits, without reading all 100,000 of them. Through
    the GIN index always (migration 0014's function, as in 0007).
    """
    return EntrySql(
        "{pk} = ANY((SELECT disclosure_catalogue_search_ids_sample(%s::tsquery, %s))::bigint[])",
        [tsquery_literal(terms), limit],
        output_field=BooleanField(),
    )


def title_match_expression(terms: Sequence[QueryTerm]) -> EntrySql:
    """Entries whose title fields hold every term, from the title GIN index first."""
    return EntrySql(
        "{pk} = ANY((SELECT disclosure_catalogue_search_title_ids(%s::tsquery))::bigint[])",
        [tsquery_literal(terms)],
        output_field=BooleanField(),
    )


# What a per-row probe checks on the entry's own index row (see `probe_expression`).
_PROBES = {
    "any": "s.document @@ %s::tsquery",
    "title": "s.title_document @@ %s::tsquery",
    "body_only": "s.document @@ %s::tsquery AND NOT s.title_document @@ %s::tsquery",
    "not_title": "NOT s.title_document @@ %s::tsquery",
}


def probe_expression(terms: Sequence[QueryTerm], which: str = "any") -> EntrySql:
    """Whether this row's entry matches, read from its own index row (a primary-key probe).

    A scalar sub-select, which PostgreSQL never turns into a join: the outer query walks the
    entries in its own order (newest first, by `entry_status_pubdate`) and stops after a
    page. For a frequent word that is the cheap way: 投诉 is in one entry in nine, so 20
    hits cost about 180 probes, while the GIN index would hand over all 100,000 hits to be
    read and sorted. `which`: "any" (the whole document), "title" (title fields) or
    "body_only" (the document but not the title fields: the second tier of the ranking) or
    "not_title" (not in the title fields: the second tier among the index's matches). An
    entry without an index row matches none, "not_title" included.
    """
    literal = tsquery_literal(terms)
    condition = _PROBES[which]
    return EntrySql(
        f"COALESCE((SELECT {condition} FROM disclosure_catalogue_search s"  # noqa: S608 - fixed text
        " WHERE s.entry_id = {pk}), false)",
        [literal] * condition.count("%s"),
        output_field=BooleanField(),
    )


def _plan_rows(plan: dict, found: list[float]) -> None:
    """The estimated rows of each scan of the index table, in plan order."""
    if plan.get("Relation Name") == TABLE:
        found.append(float(plan.get("Plan Rows", 0)))
        return
    for child in plan.get("Plans", []):
        _plan_rows(child, found)


def estimate_hits(terms: Sequence[QueryTerm]) -> tuple[float, float, float]:
    """The planner's estimates: index rows matching the terms (document, title fields), all rows.

    From the statistics of the tsvector columns (their most common lexemes and frequencies,
    kept by ANALYZE), without reading the index: one EXPLAIN, well under a millisecond.
    Used only to choose how to search (walk the catalogue newest first, or read the GIN
    matches first), never shown: a wrong estimate costs time, not correctness.

    A query of several terms is estimated by its least frequent term (an upper bound): the
    planner multiplies the terms' frequencies as if words typed together were independent,
    which they never are (安全生产, cut into 安全 and 生产, at a million entries: 314 title
    matches estimated, 11,510 found, so its 11,510 title matches were read and sorted, 0.4 s).
    The ranking's walk has a budget and falls back on the index when the bound was too high.
    """
    if not terms:
        return 0.0, 0.0, 0.0
    literals = [tsquery_literal([term]) for term in terms]
    branches = [
        f"SELECT 1 FROM {TABLE} WHERE {column} @@ %s::tsquery"  # noqa: S608
        for _ in literals
        for column in ("document", "title_document")
    ]
    branches.append(f"SELECT 1 FROM {TABLE}")  # noqa: S608 - fixed text
    sql = "EXPLAIN (FORMAT JSON) " + " UNION ALL ".join(branches)  # noqa: S608 - fixed text
    with connection.cursor() as cursor:
        cursor.execute(sql, [literal for literal in literals for _ in (0, 1)])
        raw = cursor.fetchone()[0]
    plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
    found: list[float] = []
    _plan_rows(plan, found)
    if len(found) != 2 * len(literals) + 1:
        return 0.0, 0.0, 0.0
    rows = found[-1]
    # A prefix term (税:*) begins words the statistics do not group: the planner's guess for
    # it is its default (0.5 %), though 税 begins 税收, 税务 … (its matches read first took
    # 3.6 s at a million entries). It bounds nothing: counted as every row.
    documents = [rows if term.prefix else n for term, n in zip(terms, found[0:-1:2], strict=True)]
    titles = [rows if term.prefix else n for term, n in zip(terms, found[1:-1:2], strict=True)]
    return min(documents), min(titles), rows


def rank_expression(terms: Sequence[QueryTerm]) -> EntrySql:
    """1 if every term is in the title, document number or keywords, else 0.

    Ranking is "title matches before body matches, newer before older" (issue 9): the caller
    orders by this, then by date. A primary-key probe and a match on the small title vector
    per hit (55 ms for 10k hits at 20k entries; a `= ANY(title ids)` InitPlan was 250 ms, as
    an array parameter is searched linearly), instead of `ts_rank_cd` on every hit's whole
    document (280-530 ms for 40k-90k hits at a million entries in the experiment).
    """
    return EntrySql(
        "CASE WHEN EXISTS (SELECT 1 FROM disclosure_catalogue_search"
        " WHERE entry_id = {pk} AND title_document @@ %s::tsquery) THEN 1 ELSE 0 END",
        [tsquery_literal(terms)],
        output_field=IntegerField(),
    )


def write(documents: Sequence[EntryTokens]) -> None:
    """Insert or replace the documents: one INSERT … ON CONFLICT per call (a batch)."""
    if not documents:
        return
    values = ", ".join(["(%s, %s::tsvector, %s::tsvector)"] * len(documents))
    params: list[object] = []
    for document in documents:
        params += [
            document.entry_id,
            tsvector_literal(itertools.chain(document.title, document.summary, document.body)),
            tsvector_literal(document.title),
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (entry_id, document, title_document) VALUES {values}"  # noqa: S608
            " ON CONFLICT (entry_id) DO UPDATE"
            " SET document = EXCLUDED.document, title_document = EXCLUDED.title_document",
            params,
        )


def remove(entry_ids: Sequence[int]) -> None:
    """Delete the documents of these entries."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE entry_id = ANY(%s)", [list(entry_ids)])  # noqa: S608


def remove_orphans(entry_table: str) -> int:
    """Delete documents whose entry no longer exists; returns how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {TABLE} s WHERE NOT EXISTS"  # noqa: S608
            f" (SELECT 1 FROM {connection.ops.quote_name(entry_table)} e WHERE e.id = s.entry_id)"
        )
        return cursor.rowcount


def finish_rebuild(entry_table: str) -> None:
    """Flush the GIN pending lists and refresh the planner's statistics after a bulk load."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('disclosure_catalogue_search_gin'::regclass)")
        cursor.execute(
            "SELECT gin_clean_pending_list('disclosure_catalogue_search_title_gin'::regclass)"
        )
        cursor.execute(f"ANALYZE {TABLE}")
