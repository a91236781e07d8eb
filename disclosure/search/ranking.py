"""A ranked search that reads only the page it shows: title matches first, then newest first.

`SearchResults` is what the catalogue page paginates (it has `capped_count` and slicing, as
`CappedPaginator` expects). It never reads and sorts every hit of a frequent word: at a
million entries 投诉 is in 111,000 of them, and reading them all to sort by title tier and
date took 7 s a page (docs/performance.md). Instead it chooses, per search, from the
planner's estimate of how many index rows match (`estimate_hits`, PostgreSQL statistics):

- **Rare** (fewer than `WALK_FROM_SHARE` of the index, or on SQLite): the GIN index (FTS5 on
  SQLite) hands over the matches first, and only they are sorted: title tier, then date.
- **Frequent**: each tier is a *walk* of the catalogue newest first (the entry_status_pubdate
  index) with a primary-key probe of each entry's index row, stopping after the page: for a
  word in one entry in nine, 20 hits cost about 180 probes. The title tier is walked only if
  titles are frequent too, otherwise its few matches are read from the title GIN index.
  Walking for a rare word is the planner trap of the search experiment (the whole catalogue
  walked to find nothing), which is why the estimate decides.

Counts are capped (`SEARCH_COUNT_CAP`): for a frequent word a sample of the index's first
matches shows whether more than the cap are public, without reading the rest.
"""

from dataclasses import dataclass, replace
from functools import cached_property
from types import ModuleType
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Case, ExpressionWrapper, F, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from disclosure.search.query import ParsedQuery

# A search page says "more than 500 results" beyond this (and the facets then show no counts).
# Proving that a frequent word has more than N public matches costs N / share probes (about
# 4,500 for 投诉, a ninth of the catalogue): the cap keeps that within the page's budget.
SEARCH_COUNT_CAP = 500
# A word in at least this share of the index is "frequent": walk the catalogue newest first.
# Above the planner's default guess for a lexeme it has no statistics for (0.5 %), so that an
# absent or rare word, whose estimate is that guess, always goes through the index.
WALK_FROM_SHARE = 0.01
# ... and in at least this many entries (small catalogues are read through the index).
WALK_FROM_ROWS = 2_000
# For a frequent word, the capped count looks at this many of the index's matches first ...
COUNT_SAMPLE_FACTOR = 1.5
# ... or, for a word in at least this share of the index, probes entries until the cap is
# passed: (cap + 1) / share probes cost less than the GIN bitmap of every match.
WALK_COUNT_FROM_SHARE = 0.05
# A walked tier looks at no more than this many entries per row it must find (one in 200:
# half the share from which a word is walked), then reads that tier from the index instead.
# An estimate is only a guess (for several words, the least frequent word's, an upper
# bound): the budget keeps a wrong guess from walking the whole catalogue.
WALK_BUDGET_FACTOR = 200
# A base narrowed by filters (a publisher, a topic, a facet value; its size from the facet
# counts) to at most this many entries is searched among its own entries: each probed (its
# index row), none read from the GIN index. Reading a frequent word's matches first, or
# walking the catalogue for them, cost seconds for a publisher of 80 entries; probing the
# 80 costs a few milliseconds, 5,000 about 30-100 ms at a million entries (a publisher of
# 5,700: 240 ms walked, 86 ms probed).
SMALL_BASE = 8_000
# The capped count's sample of index matches grows as the base narrows (a base of a fifth of
# the catalogue keeps a fifth of the sample), up to this many: reading every match of
# 安全 and 生产 (53,000 at a million entries) to count those of one publisher took 283 ms,
# a sample of 4,200 finds its 501 in about 30.
COUNT_SAMPLE_MAX = 20_000

# Fields an exact (quoted) phrase is looked for in.
PHRASE_FIELDS = ("title", "document_no", "keywords", "summary", "body")


def phrase_condition(parsed: ParsedQuery) -> Q | None:
    """Every quoted phrase exactly, in one of the text fields (None without phrases)."""
    if not parsed.phrases:
        return None
    condition = Q()
    for phrase in parsed.phrases:
        either = Q()
        for field in PHRASE_FIELDS:
            either |= Q(**{f"{field}__icontains": phrase})
        condition &= either
    return condition


def with_phrases(queryset: QuerySet, parsed: ParsedQuery) -> QuerySet:
    """Keep the entries that hold every quoted phrase exactly (icontains on the text fields)."""
    for phrase in parsed.phrases:
        condition = Q()
        for field in PHRASE_FIELDS:
            condition |= Q(**{f"{field}__icontains": phrase})
        queryset = queryset.filter(condition)
    return queryset


@dataclass(frozen=True)
class Strategy:
    """How to search: walk (newest first, probing) or read the index's matches first."""

    walk: bool
    walk_titles: bool
    # The estimated share of the index that matches (0 when unknown).
    share: float = 0.0
    # The base holds at most SMALL_BASE entries: every read probes the base's own entries.
    small_base: bool = False
    # The share of the index the base can hold at most (1 without a filter).
    base_share: float = 1.0
    # The index rows estimated to match (for several words, the rarest word's: a bound;
    # for a prefix, every row) and the index's rows.
    matches: float = 0.0
    rows: float = 0.0


class SearchResults:
    """The entries of `queryset` that match a search, ranked, read a page at a time.

    `queryset` holds visibility and the facets (no ordering needed); slicing returns a list
    of entries with `select_related` applied, in rank order: title matches (every term in the
    title, document number or keywords) first, then newest first, then by id. `ordering`
    (field names, as for `order_by`) replaces the ranking by a sort the reader chose.
    `base_size`: at most how many entries `queryset` holds (the filters' facet counts), if
    known: a small base is probed entry by entry, a narrow one counted from a bigger sample.
    """

    ordered = True  # for the paginator's check

    def __init__(
        self,
        queryset: QuerySet,
        parsed: ParsedQuery,
        backend: ModuleType,
        *,
        select_related: tuple[str, ...] = (),
        strategy: Strategy | None = None,
        ordering: tuple[str, ...] | None = None,
        base_size: int | None = None,
    ) -> None:
        self.base = queryset.order_by()
        self.parsed = parsed
        self.backend = backend
        self.select_related = select_related
        self._strategy = strategy
        self.ordering = ordering
        self.base_size = base_size

    # --- the plan -------------------------------------------------------------------------

    @cached_property
    def strategy(self) -> Strategy:
        """Walk or index-first, from the planner's estimates (one EXPLAIN on PostgreSQL)."""
        if self._strategy is not None:
            return self._strategy
        strategy = self._estimated_strategy()
        if self.base_size is not None and self.base_size <= SMALL_BASE:
            return replace(strategy, small_base=True)
        return strategy

    def _estimated_strategy(self) -> Strategy:
        estimate = self.backend.estimate_hits(self.parsed.terms)
        if estimate is None:
            return Strategy(walk=False, walk_titles=False)
        documents, titles, rows = estimate
        base_share = 1.0
        if self.base_size is not None and rows:
            base_share = min(1.0, max(self.base_size, 1) / rows)
        # Every title match is a document match (the document holds the title's tokens), but
        # the two columns' statistics are kept apart: a word common in titles may be missing
        # from the document column's most common lexemes and get the planner's default guess
        # there (数据 at a million entries: 4,997 documents, 11,192 titles estimated), which
        # sent a frequent word through the index and read all its matches (0.5 s).
        documents = max(documents, titles)
        floor = max(WALK_FROM_ROWS, WALK_FROM_SHARE * rows)
        # Several words (or a prefix) are estimated by an upper bound: not good enough to
        # count by walking, which has no budget (the share stays unknown, 0).
        terms = self.parsed.terms
        exact = len(terms) == 1 and not terms[0].prefix
        return Strategy(
            walk=documents >= floor,
            walk_titles=titles >= floor,
            share=documents / rows if rows and exact else 0.0,
            base_share=base_share,
            matches=documents,
            rows=rows,
        )

    def _matching(self, *, walk: bool) -> QuerySet:
        terms = self.parsed.terms
        if not walk:
            return with_phrases(self.base.filter(self.backend.match_expression(terms)), self.parsed)
        probe = self.backend.probe_expression(terms, "any")
        phrases = phrase_condition(self.parsed)
        if phrases is None:
            return self.base.filter(probe)
        # The probe first, then the phrases: a CASE is evaluated in order, so the body's
        # icontains runs only on entries whose index row matches (checked on every entry
        # walked, it took 14.8 s for "营商环境" at a million entries).
        return self.base.filter(
            Case(
                When(probe, then=ExpressionWrapper(phrases, output_field=BooleanField())),
                default=Value(False),
                output_field=BooleanField(),
            )
        )

    def _phrase_check(self, pk_sql: str) -> tuple[str, list]:
        """SQL true when the entry with id `pk_sql` holds every quoted phrase ("" if none)."""
        phrases = phrase_condition(self.parsed)
        if phrases is None:
            return "", []
        model = self.base.model
        query = (
            model._base_manager.filter(phrases)
            .filter(pk=RawSQL(pk_sql, []))  # noqa: S611 - a fixed column reference
            .order_by()
            .values("pk")
        )
        sql, params = query.query.sql_with_params()
        return f"EXISTS ({sql})", list(params)

    def matching(self) -> QuerySet:
        """Every matching entry, unordered (for facet counts over a small result)."""
        return self._matching(walk=self.strategy.small_base)

    # --- counting -------------------------------------------------------------------------

    def capped_count(self, cap: int) -> int:
        """How many entries match, counting at most cap + 1."""
        if self.strategy.small_base:
            return self._matching(walk=True)[: cap + 1].count()
        if self.strategy.walk and self.strategy.share >= WALK_COUNT_FROM_SHARE:
            # A very frequent word: probing entries until cap + 1 match is cheaper than the
            # GIN index's bitmap of all its matches (111,000 for 投诉 at a million entries).
            return self._matching(walk=True)[: cap + 1].count()
        if self.strategy.walk:
            # The base keeps about its share of the index's matches.
            sample = int((cap + 1) * COUNT_SAMPLE_FACTOR / self.strategy.base_share)
            if sample <= COUNT_SAMPLE_MAX:
                sampled = with_phrases(
                    self.base.filter(
                        self.backend.limited_match_expression(self.parsed.terms, sample)
                    ),
                    self.parsed,
                )
                found = sampled[: cap + 1].count()
                if found > cap:
                    return found
            # A filter kept few of the sample: count over every match (slower, but exact).
        # Every match: from the index, or the base's own entries probed when the base is
        # smaller than the index's matches (a topic's 17,700 entries rather than 117,000
        # matches of 安全 and 生产 read from the index: 382 ms).
        # (A prefix's matches are unknown, estimated as every row: the index decides.)
        probe_base = self.base_size is not None and self.base_size < self.strategy.matches
        probe_base = probe_base and self.strategy.matches < self.strategy.rows
        return self._matching(walk=probe_base)[: cap + 1].count()

    def count(self) -> int:
        return self._matching(walk=False).count()

    def __len__(self) -> int:
        return self.count()

    # --- ranking --------------------------------------------------------------------------

    def _ordered(self, queryset: QuerySet, tier: int, stop: int) -> tuple[str, tuple]:
        """SQL of the first `stop` rows of `queryset`, newest first: (id, date, tier) rows."""
        queryset = queryset.order_by("-published_date", "-id").values(
            rank_id=F("pk"), rank_date=F("published_date"), rank_tier=Value(tier)
        )[:stop]
        return queryset.query.sql_with_params()

    def _tier(self, which: str, tier: int, stop: int) -> tuple[str, list]:
        """CTEs of one tier's first `stop` entries, newest first, named `{which}_tier`.

        "title": title matches; "body_only": the other matches. Walked (when the estimate
        says the tier is frequent): the newest `stop * WALK_BUDGET_FACTOR` entries are probed
        one by one, and only if they hold fewer than `stop` matches is the tier read from the
        index instead (one-time filters: the second branch runs only then). From the index:
        the title GIN index for titles, the document GIN index less title matches for bodies.
        """
        terms = self.parsed.terms
        base = with_phrases(self.base, self.parsed)
        if which == "title":
            indexed = base.filter(self.backend.title_match_expression(terms))
        else:
            indexed = base.filter(self.backend.match_expression(terms)).filter(
                self.backend.probe_expression(terms, "not_title")
            )
        index_sql, index_params = self._ordered(indexed, tier, stop)
        name = f"{which}_tier"
        if which == "title" and not self.strategy.walk_titles:
            return f"{name} AS MATERIALIZED ({index_sql})", [*index_params]
        # The walk looks at entries without their phrases; only those whose index row
        # matches are checked for them (a CASE is evaluated in order).
        walked_sql, walked_params = self._ordered(self.base, tier, stop * WALK_BUDGET_FACTOR)
        probe = self.backend.probe_expression(terms, which)
        probe_sql = probe.sql.replace("{pk}", "walked.rank_id")
        phrase_sql, phrase_params = self._phrase_check("walked.rank_id")
        probe_params = list(probe.params)
        if phrase_sql:
            probe_sql = f"CASE WHEN {probe_sql} THEN {phrase_sql} ELSE false END"
            probe_params += phrase_params
        walk = f"{which}_walk"
        sql = (
            f"{walk} AS MATERIALIZED (SELECT * FROM ({walked_sql}) walked"  # noqa: S608 - ORM SQL
            f" WHERE {probe_sql}"
            " ORDER BY rank_date DESC, rank_id DESC LIMIT %s),"
            f" {name} AS MATERIALIZED (SELECT * FROM {walk}"
            f" WHERE (SELECT COUNT(*) FROM {walk}) >= %s"
            f" UNION ALL SELECT * FROM ({index_sql}) {which}_index"
            f" WHERE (SELECT COUNT(*) FROM {walk}) < %s)"
        )
        params = [*walked_params, *probe_params, stop, stop, *index_params, stop]
        return sql, params

    def _ids(self, start: int, stop: int) -> list[int]:
        """The ids of the entries ranked start..stop: one query, whatever the strategy.

        Walking, both tiers are walked up to `stop` entries each in one UNION ALL and the page
        is cut from their union, so the page costs the same queries whether the title
        matches fill it, end on it or are none (and a deep page at most `stop` per tier).
        """
        if stop <= start:
            return []
        if self.ordering is not None:
            # A sort chosen by the reader. By date, a frequent word walks the date index in
            # that direction; other sorts read the index's matches first.
            by_date = self.ordering[0].lstrip("-") == "published_date"
            walk = self.strategy.small_base or (self.strategy.walk and by_date)
            matching = self._matching(walk=walk)
            return list(matching.order_by(*self.ordering).values_list("pk", flat=True)[start:stop])
        if self.strategy.small_base or not self.strategy.walk:
            # Few entries in the base: each probed; otherwise a rare word's matches first.
            ranked = (
                self._matching(walk=self.strategy.small_base)
                .annotate(search_rank=self.backend.rank_expression(self.parsed.terms))
                .order_by("-search_rank", "-published_date", "-id")
                .values_list("pk", flat=True)
            )
            return list(ranked[start:stop])
        title_sql, title_params = self._tier("title", 1, stop)
        body_sql, body_params = self._tier("body_only", 0, stop)
        # The body tier is read only when the title tier does not fill the page by itself
        # (`stop` title matches come before any body match): a condition without columns is
        # a one-time filter, checked before the body's CTEs run.
        sql = (
            f"WITH {title_sql}, {body_sql}"  # noqa: S608 - ORM SQL
            " SELECT rank_id FROM (SELECT * FROM title_tier"
            " UNION ALL SELECT * FROM body_only_tier"
            " WHERE (SELECT COUNT(*) FROM title_tier) < %s) ranked"
            " ORDER BY rank_tier DESC, rank_date DESC, rank_id DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*title_params, *body_params, stop, stop - start, start])
            return [row[0] for row in cursor.fetchall()]

    def __getitem__(self, key: Any) -> list:
        if isinstance(key, int):
            return self[key : key + 1][0]
        start, stop = key.start or 0, key.stop
        if stop is None:
            raise ValueError("search results are read a page at a time: give a stop")
        ids = self._ids(start, stop)
        rows = self.base.filter(pk__in=ids).select_related(*self.select_related)
        by_id = {row.pk: row for row in rows} if ids else {}
        return [by_id[pk] for pk in ids if pk in by_id]
