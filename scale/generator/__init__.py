"""Generate a district's or a city's worth of records, in bulk, for benchmarks and scale tests.

`generate(Sizes(...), seed=…, out=…)` inserts administrative entities, catalogue entries (and
their search index), public institutions with fee tables, service items and cases,
complaints and information requests. The same seed on the same starting database gives the
same records. Writes bypass the actions on purpose (a million publications through the
action would take hours), so every row is built to satisfy the models' check constraints,
unique index numbers and tracking numbers; the index-number serials are moved past the
generated numbers. Every generated tracking number opens with TRACKING_PASSWORD.
"""

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

from django.db import connection, transaction

from disclosure.tracking import tracking_password_hash
from scale.generator import catalogue, complaints, entities, institutions, requests, services
from scale.generator.progress import Progress
from scale.generator.seeds import seeded
from scale.generator.vocabulary import text_pool

# The tracking password of every generated case, complaint and request (test data only).
TRACKING_PASSWORD = "SCALE2026"  # noqa: S105
# From this many entries on, the catalogue's non-unique indexes (the search GIN indexes, the
# entry table's B-trees) are dropped during the load and built again after it: one sorted
# build each instead of a million inserts, two at a time on two cores.
REBUILD_INDEXES_FROM = 50_000


@dataclass
class Sizes:
    entities: int = 50
    entries: int = 1000
    institutions: int = 20
    cases: int = 1000
    complaints: int = 200
    requests: int = 200


@dataclass
class Report:
    """What was generated, and how long each part took (seconds)."""

    counts: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, dict[str, int]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


# Indexes dropped during a large load and built again afterwards: the search side table's GIN
# indexes, and the entry table's plain B-tree indexes. Indexes that back a constraint (the
# primary key, the unique index number) stay, so the load is still checked against them.
_DEFERRED_INDEXES = """
SELECT c.relname, pg_get_indexdef(i.indexrelid)
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT i.indisunique
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
ORDER BY pg_relation_size(i.indexrelid) DESC, c.relname
"""
_BUILDERS = 2  # one per core


@contextmanager
def _indexes_deferred(enabled: bool, builders: list[threading.Thread]):  # noqa: ANN202
    """Drop the catalogue's non-unique indexes while it is loaded, then build them again.

    The builds run in background threads (two connections, one core each) while the
    generator goes on with cases and complaints; `generate` waits for them before ANALYZE.
    A load that is killed midway leaves the indexes dropped: generate into a scratch database.
    """
    if not enabled or connection.vendor != "postgresql":
        yield
        return
    from disclosure.models import CatalogueEntry

    tables = ["disclosure_catalogue_search", CatalogueEntry._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(_DEFERRED_INDEXES, [tables])
        definitions = cursor.fetchall()
        for name, _definition in definitions:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        pending = [definition for _name, definition in definitions]
        for _ in range(min(_BUILDERS, len(pending))):
            builder = threading.Thread(target=_build_indexes, args=(pending,), daemon=True)
            builder.start()
            builders.append(builder)


_BUILD_ERRORS: list[BaseException] = []
_PENDING_LOCK = threading.Lock()


def _build_indexes(pending: list[str]) -> None:
    """Run CREATE INDEX statements from the shared list on this thread's own connection."""
    from django.db import connections

    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            while True:
                with _PENDING_LOCK:
                    if not pending:
                        return
                    definition = pending.pop(0)
                cursor.execute(definition)
    except BaseException as error:  # re-raised by generate() after the join
        _BUILD_ERRORS.append(error)
    finally:
        connections.close_all()


def _analyze() -> None:
    from disclosure.models import CatalogueEntry
    from disclosure.search import _backend

    _backend().finish_rebuild(CatalogueEntry._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # What autovacuum does after a bulk load, at once: statistics, and the visibility
            # maps that let the summaries' and catalogue's index-only scans skip the heap.
            cursor.execute("VACUUM (ANALYZE)")
        else:
            cursor.execute("ANALYZE")


def generate(
    sizes: Sizes, *, seed: int = 1, out: TextIO | None = None, statistics_summary: bool = True
) -> Report:
    """Insert the records; returns their counts and the time each part took.

    `statistics_summary=False` skips rebuilding the service statistics' summary (about 1,000
    cases a second: half an hour for 2M cases); run `manage.py rebuild_service_summaries`
    later for the statistics pages to count the generated cases.
    """
    report = Report()
    progress = Progress(
        out,
        total=sizes.entities
        + sizes.entries
        + sizes.institutions
        + sizes.cases
        + sizes.complaints
        + sizes.requests,
    )

    def timed(name: str, started: float) -> None:
        report.seconds[name] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    # One tracking hash (disclosure.tracking's HMAC) for every generated record.
    password_hash = tracking_password_hash(TRACKING_PASSWORD)
    pool = text_pool(seed)
    timed("vocabulary", started)

    started = time.perf_counter()
    with transaction.atomic():
        made = entities.generate(sizes.entities, seeded(seed, "entities"), progress.step)
    report.counts["entities"] = len(made)
    timed("entities", started)
    visible = [(pk, code) for pk, code, status in made if status in ("announced", "revoked")]
    announced = [pk for pk, _code, status in made if status == "announced"]

    started = time.perf_counter()
    from disclosure.demo.catalogue import load_topics

    topics = [topic.pk for topic in load_topics().values()]
    builders: list[threading.Thread] = []
    deferred = _indexes_deferred(sizes.entries >= REBUILD_INDEXES_FROM, builders)
    with deferred, transaction.atomic():
        report.statuses["entries"], co_published = catalogue.generate(
            sizes.entries,
            publishers=visible,
            topics=topics,
            pool=pool,
            rng=seeded(seed, "entries"),
            co_rng=seeded(seed, "co-publishers"),
            progress=progress.step,
        )
    report.counts["entries"] = sum(report.statuses["entries"].values())
    report.counts["co-published entries"] = co_published
    timed("entries", started)

    started = time.perf_counter()
    with transaction.atomic():
        report.counts["institutions"] = institutions.generate(
            sizes.institutions,
            departments=announced,
            rng=seeded(seed, "institutions"),
            progress=progress.step,
        )
    timed("institutions", started)

    started = time.perf_counter()
    with transaction.atomic():
        items = services.generate_items(
            announced[: max(1, len(announced) // 2)],
            seeded(seed, "items"),
            lambda _n: None,
        )
        report.counts["service items"] = len(items)
        report.statuses["cases"] = services.generate_cases(
            sizes.cases,
            items=items,
            password_hash=password_hash,
            prefix=f"G{seed % 1000:03d}",
            rng=seeded(seed, "cases"),
            progress=progress.step,
        )
    report.counts["cases"] = sum(report.statuses["cases"].values())
    timed("cases", started)

    if statistics_summary:
        started = time.perf_counter()
        from services.actions.summaries import service_summaries_rebuild

        service_summaries_rebuild()  # the statistics pages read this summary, not the cases
        timed("service statistics summary", started)

    for name, module, size in (
        ("complaints", complaints, sizes.complaints),
        ("requests", requests, sizes.requests),
    ):
        started = time.perf_counter()
        with transaction.atomic():
            report.statuses[name] = module.generate(
                size,
                entities=announced,
                password_hash=password_hash,
                pool=pool,
                rng=seeded(seed, name),
                progress=progress.step,
            )
        report.counts[name] = sum(report.statuses[name].values())
        timed(name, started)

    started = time.perf_counter()
    for builder in builders:
        builder.join()
    if _BUILD_ERRORS:
        raise _BUILD_ERRORS.pop()
    timed("index builds (waited)", started)
    started = time.perf_counter()
    _analyze()
    timed("analyze", started)
    started = time.perf_counter()
    from disclosure.actions.catalogue_facets import catalogue_facet_counts_rebuild

    catalogue_facet_counts_rebuild()  # the catalogue page's facets read these counts
    timed("catalogue facet counts", started)
    from config.page_cache import bump

    bump()  # COPY bypasses Django's cursor: the page cache's write watch did not see the rows
    progress.done()
    return report
