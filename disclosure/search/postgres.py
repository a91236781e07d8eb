"""PostgreSQL backend: a side table of jieba `tsvector`s with a GIN index.

Table `disclosure_catalogue_search(entry_id bigint primary key, document tsvector)`, created
by migration 0004 on PostgreSQL only. A side table rather than a column on CatalogueEntry: the
experiment measured the stored tsvector at 2.2-2.4 GB per million entries, twice the body
text; as a column every list and detail page (`SELECT *`) and every django-simple-history
snapshot would carry it. No foreign key (Django's test flush TRUNCATEs the entry table
without CASCADE); rows of deleted entries never match because results are entry rows.

The document is written as a tsvector *literal*: lexemes go in verbatim, so PostgreSQL's text
parser (which would split 200612号 or pm2 its own way) never touches them, and the query is a
tsquery literal of the same lexemes, each quoted. Weights: A title/document number/keywords,
B summary, D body.
"""

from collections import defaultdict
from collections.abc import Sequence

from django.db import connection
from django.db.models import BooleanField, FloatField

from disclosure.search.documents import EntryTokens
from disclosure.search.expressions import EntrySql
from disclosure.search.tokens import QueryTerm

TABLE = "disclosure_catalogue_search"
# tsvector limits: positions 1..16383, at most 256 positions per lexeme. Ranking needs only the
# first few occurrences, and fewer positions keep the stored vector small.
_MAX_POSITION = 16383
_MAX_POSITIONS_PER_LEXEME = 8


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(document: EntryTokens) -> str:
    """The tsvector of an entry as text: `'营商环境':1A,7A '投诉':12B …`."""
    positions: dict[str, list[str]] = defaultdict(list)
    position = 0
    for tokens, weight in ((document.title, "A"), (document.summary, "B"), (document.body, "")):
        for token in tokens:
            position = min(position + 1, _MAX_POSITION)
            seen = positions[token]
            if len(seen) < _MAX_POSITIONS_PER_LEXEME:
                seen.append(f"{position}{weight}")
    return " ".join(f"{_quote(lexeme)}:{','.join(where)}" for lexeme, where in positions.items())


def tsquery_literal(terms: Sequence[QueryTerm]) -> str:
    """The AND of the terms as a tsquery literal; a prefix term ends in `:*`."""
    return " & ".join(_quote(term.text) + (":*" if term.prefix else "") for term in terms)


def match_expression(terms: Sequence[QueryTerm]) -> EntrySql:
    """`pk = ANY(ARRAY(SELECT … @@ query))`: the matching ids are computed first, once.

    The ARRAY() sub-select is an InitPlan, so the GIN index produces the match set before the
    outer query runs; the outer query then reads those rows by primary key and sorts them. This
    is the experiment's MATERIALIZED-CTE fix for the planner trap (a rare or absent word with
    `ORDER BY published_date DESC LIMIT 20` walked the date index for 5-15 s at 1M rows),
    done as a WHERE clause so that it composes with any queryset, facets and ordering.
    """
    return EntrySql(
        "{pk} = ANY(ARRAY(SELECT entry_id FROM disclosure_catalogue_search"
        " WHERE document @@ %s::tsquery))",
        [tsquery_literal(terms)],
        output_field=BooleanField(),
    )


def rank_expression(terms: Sequence[QueryTerm]) -> EntrySql:
    """`ts_rank_cd` of the entry's document (weights D 0.1, C 0.2, B 0.4, A 1.0): title first."""
    return EntrySql(
        "COALESCE((SELECT ts_rank_cd(document, %s::tsquery) FROM disclosure_catalogue_search"
        " WHERE entry_id = {pk}), 0)",
        [tsquery_literal(terms)],
        output_field=FloatField(),
    )


def write(documents: Sequence[EntryTokens]) -> None:
    """Insert or replace the documents: one INSERT … ON CONFLICT per call (a batch)."""
    if not documents:
        return
    values = ", ".join(["(%s, %s::tsvector)"] * len(documents))
    params: list[object] = []
    for document in documents:
        params += [document.entry_id, tsvector_literal(document)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (entry_id, document) VALUES {values}"  # noqa: S608
            " ON CONFLICT (entry_id) DO UPDATE SET document = EXCLUDED.document",
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


def finish_rebuild() -> None:
    """Refresh the planner's statistics after a bulk load."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TABLE}")
