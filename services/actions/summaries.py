"""Keep the statistics' summary (`services.models.summaries`) in step with the records.

Every change that moves a figure goes through here inside its own transaction: the case
actions (`_move` in `services.actions.cases`: acceptance, decisions, deemed approvals by the
sweep, the joint meeting; the import calls the same actions) and the rating actions (a rating
recorded, an appeal upheld). Each computes a record's *contribution* (which day's counters it
adds to) before and after the change and adds the difference with increments (`INSERT … ON
CONFLICT … DO UPDATE SET n = n + excluded.n`), which commute, so concurrent actions never lose a
count; the sweep adds a whole batch's difference at once. The statistics cache is versioned: every
change bumps the version at once and again on commit, so no report computed before the commit
outlives it.

`service_summaries_rebuild` recomputes everything from the records (after bulk loads, or to
repair a summary written around the actions).
"""

import copy
import datetime
from collections import Counter, defaultdict
from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max, Min

from services.models import Rating, ServiceCase, ServiceCasePause
from services.models.summaries import (
    COUNT_FIELDS,
    RATING_FIELDS,
    ServiceDailySummary,
    ServiceDurationCount,
    case_working_days,
)
from services.selectors.statistics import STATISTICS_VERSION_KEY
from workdays.calendar import workdays_between

# (entity_id, item_id, day), then a counter name or ("workdays", n).
Key = tuple[int, int, datetime.date]
Contribution = Counter


def statistics_cache_bump() -> None:
    """Make every cached statistics report stale (now, and once more after the commit)."""

    def bump() -> None:
        try:
            cache.incr(STATISTICS_VERSION_KEY)
        except ValueError:
            cache.set(STATISTICS_VERSION_KEY, 1, None)

    bump()
    transaction.on_commit(bump)


def case_contribution(case: ServiceCase) -> Contribution:
    """What `case`, as it stands, adds to the summary (one query for a completed case's pauses)."""
    counts: Contribution = Counter()
    if case.pk is None:
        return counts

    def key(day: datetime.date) -> Key:
        return (case.entity_id, case.item_id, day)

    if case.accepted_on is not None:
        counts[(key(case.accepted_on), "accepted")] += 1
    if case.deemed_approved_on is not None:
        counts[(key(case.deemed_approved_on), "deemed")] += 1
    if case.completed_on is not None:
        done = key(case.completed_on)
        counts[(done, "completed")] += 1
        if (
            case.due_date is not None
            and case.completed_on <= case.due_date
            and case.deemed_approved_on is None
        ):
            counts[(done, "on_time")] += 1
        if case.accepted_on is not None:
            pauses = ServiceCasePause.objects.filter(case_id=case.pk, last__isnull=False)
            days = case_working_days(
                case.accepted_on, case.completed_on, pauses.values_list("first", "last")
            )
            counts[(done, ("workdays", days))] += 1
    return counts


def rating_contribution(*, rating: Rating, entity_id: int, item_id: int) -> Contribution:
    """What `rating` adds: one to its level's counter on its day, if it counts."""
    counts: Contribution = Counter()
    if rating.kind == Rating.Kind.INITIAL and rating.status != Rating.Status.EXCLUDED:
        counts[((entity_id, item_id, rating.rated_on), RATING_FIELDS[rating.level])] += 1
    return counts


def summary_apply(*, before: Contribution, after: Contribution) -> None:
    """Add `after - before` to the summary rows (inside the caller's transaction)."""
    delta: dict = defaultdict(int)
    for name, n in after.items():
        delta[name] += n
    for name, n in before.items():
        delta[name] -= n
    rows: dict[Key, dict[str, int]] = defaultdict(dict)
    durations: dict[tuple[Key, int], int] = {}
    for (key, field), n in delta.items():
        if not n:
            continue
        if isinstance(field, tuple):
            durations[(key, field[1])] = n
        else:
            rows[key][field] = n
    if not rows and not durations:
        return
    with transaction.atomic():
        if rows:
            _upsert_add(
                ServiceDailySummary,
                ("entity_id", "item_id", "day"),
                COUNT_FIELDS,
                [(*key, *(rows[key].get(f, 0) for f in COUNT_FIELDS)) for key in sorted(rows)],
            )
        if durations:
            _upsert_add(
                ServiceDurationCount,
                ("entity_id", "item_id", "day", "workdays"),
                ("count",),
                [(*key, workdays, n) for (key, workdays), n in sorted(durations.items())],
            )
        statistics_cache_bump()


def _upsert_add(model, keys: tuple[str, ...], counters: tuple[str, ...], rows: list[tuple]) -> None:
    """Add each row's counters to the row with its keys, inserting it when missing: one query.

    `INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n` (PostgreSQL, SQLite ≥ 3.24): the
    increments commute, so concurrent actions never lose a count, and a batch of the sweep costs
    one statement per table instead of a get-or-create and an update per row.
    """
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(c) for c in (*keys, *counters))
    updates = ", ".join(f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}" for c in counters)
    width = len(keys) + len(counters)
    adapt = connection.ops.adapt_datefield_value
    day = keys.index("day")
    per_statement = max(1, 900 // width)  # SQLite's default limit is 999 parameters
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            values = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(chunk))
            params = [
                adapt(value) if index == day else value
                for row in chunk
                for index, value in enumerate(row)
            ]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values} "  # noqa: S608 - our names
                f"ON CONFLICT ({', '.join(quote(k) for k in keys)}) DO UPDATE SET {updates}",
                params,
            )


def summary_add_case(*, case: ServiceCase) -> None:
    """Count a case that was stored whole, without the actions (an import of history, a test)."""
    summary_apply(before=Counter(), after=case_contribution(case))


# --- Rebuild ------------------------------------------------------------------------------------
#
# Set-based: the counters and the duration histogram are grouped and inserted by the database
# (`INSERT … SELECT … GROUP BY`); no case row comes to Python. A case's working days are the
# difference of a running count of working days on its completion and acceptance days, read from
# a temporary table of the calendar's days in the cases' range (a few thousand rows, written
# from `workdays.calendar`, so the database and the actions count the same days). The few cases
# with closed pauses have their durations computed in Python (`case_working_days`) and joined in.

_CALENDAR_TABLE = "services_rebuild_workday"
_PAUSED_TABLE = "services_rebuild_paused"


def _temp_table(cursor, name: str, columns: str, rows: list[tuple]) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns})")
    if rows:
        placeholders = ", ".join(["%s"] * len(rows[0]))
        sql = f"INSERT INTO {name} VALUES ({placeholders})"  # noqa: S608 - our own names
        cursor.executemany(sql, rows)
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {name}")


def _calendar_rows() -> list[tuple]:
    """(day, working days from the cases' first day up to it) for every day the cases span."""
    bounds = ServiceCase.objects.filter(
        completed_on__isnull=False, accepted_on__isnull=False
    ).aggregate(
        a=Min("accepted_on"), b=Min("completed_on"), c=Max("accepted_on"), d=Max("completed_on")
    )
    if bounds["a"] is None:
        return []
    first = min(bounds["a"], bounds["b"])
    last = max(bounds["c"], bounds["d"])
    adapt = connection.ops.adapt_datefield_value
    return [
        (adapt(day), workdays_between(first, day))
        for day in (first + datetime.timedelta(days=n) for n in range((last - first).days + 1))
    ]


def _paused_rows() -> list[tuple[int, int]]:
    """(case id, working days less its closed pauses) of the completed cases with a closed pause."""
    paused: dict[int, list] = defaultdict(list)
    spans: dict[int, tuple] = {}
    pauses = ServiceCasePause.objects.filter(
        last__isnull=False, case__completed_on__isnull=False, case__accepted_on__isnull=False
    ).values_list("case_id", "first", "last", "case__accepted_on", "case__completed_on")
    for case_id, first, last, accepted_on, completed_on in pauses:
        paused[case_id].append((first, last))
        spans[case_id] = (accepted_on, completed_on)
    return [
        (case_id, case_working_days(*spans[case_id], paused[case_id])) for case_id in sorted(paused)
    ]


def _rebuild_sql() -> tuple[list[str], list]:
    """The two INSERT … SELECT statements that refill the summary, and their parameters."""
    cases = connection.ops.quote_name(ServiceCase._meta.db_table)
    ratings = connection.ops.quote_name(Rating._meta.db_table)
    daily = connection.ops.quote_name(ServiceDailySummary._meta.db_table)
    durations = connection.ops.quote_name(ServiceDurationCount._meta.db_table)
    zeros = "0, 0, 0, 0, 0"
    level_counts = ", ".join(
        f"SUM(CASE WHEN r.level = {level} THEN 1 ELSE 0 END)" for level in RATING_FIELDS
    )
    # Table and column names are the models' own, never input: S608 does not apply.
    daily_sql = f"""
        INSERT INTO {daily} (entity_id, item_id, day, {", ".join(COUNT_FIELDS)})
        SELECT entity_id, item_id, day, SUM(accepted), SUM(completed), SUM(on_time),
               SUM(deemed), SUM(r1), SUM(r2), SUM(r3), SUM(r4), SUM(r5)
        FROM (
            SELECT entity_id, item_id, accepted_on AS day, COUNT(*) AS accepted,
                   0 AS completed, 0 AS on_time, 0 AS deemed,
                   0 AS r1, 0 AS r2, 0 AS r3, 0 AS r4, 0 AS r5
            FROM {cases} WHERE accepted_on IS NOT NULL
            GROUP BY entity_id, item_id, accepted_on
            UNION ALL
            SELECT entity_id, item_id, deemed_approved_on, 0, 0, 0, COUNT(*), {zeros}
            FROM {cases} WHERE deemed_approved_on IS NOT NULL
            GROUP BY entity_id, item_id, deemed_approved_on
            UNION ALL
            SELECT entity_id, item_id, completed_on, 0, COUNT(*),
                   SUM(CASE WHEN completed_on <= due_date AND deemed_approved_on IS NULL
                       THEN 1 ELSE 0 END),
                   0, {zeros}
            FROM {cases} WHERE completed_on IS NOT NULL
            GROUP BY entity_id, item_id, completed_on
            UNION ALL
            SELECT c.entity_id, c.item_id, r.rated_on, 0, 0, 0, 0, {level_counts}
            FROM {ratings} r JOIN {cases} c ON c.id = r.case_id
            WHERE r.kind = %s AND r.status <> %s
            GROUP BY c.entity_id, c.item_id, r.rated_on
        ) counts
        GROUP BY entity_id, item_id, day
        ORDER BY day, entity_id, item_id
    """  # noqa: S608
    workdays = "COALESCE(p.workdays, CASE WHEN b.n > a.n THEN b.n - a.n ELSE 0 END)"
    durations_sql = f"""
        INSERT INTO {durations} (entity_id, item_id, day, workdays, count)
        SELECT c.entity_id, c.item_id, c.completed_on, {workdays}, COUNT(*)
        FROM {cases} c
        JOIN {_CALENDAR_TABLE} a ON a.day = c.accepted_on
        JOIN {_CALENDAR_TABLE} b ON b.day = c.completed_on
        LEFT JOIN {_PAUSED_TABLE} p ON p.case_id = c.id
        WHERE c.completed_on IS NOT NULL AND c.accepted_on IS NOT NULL
        GROUP BY c.entity_id, c.item_id, c.completed_on, {workdays}
        ORDER BY c.completed_on, c.entity_id, c.item_id, {workdays}
    """  # noqa: S608
    return [daily_sql, durations_sql], [Rating.Kind.INITIAL, Rating.Status.EXCLUDED]


# From this many cases on, PostgreSQL refills the summary without its secondary indexes and
# foreign keys and builds them once afterwards: maintaining four indexes and checking two
# foreign keys row by row cost more than grouping the cases (measured at 2M cases: 2.2M rows).
BULK_REBUILD_CASES = 200_000


@contextmanager
def _without_secondary_indexes(enabled: bool):
    """Drop the summary tables' day indexes and foreign keys (with their indexes), then rebuild.

    Through the schema editor, from the models' own definitions, inside the caller's
    transaction: the tables are locked (ACCESS EXCLUSIVE) until it commits.
    """
    if not enabled:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks may block ALTER
    changes = []
    for model in (ServiceDailySummary, ServiceDurationCount):
        for name in ("entity", "item"):
            field = model._meta.get_field(name)
            bare = copy.copy(field)
            bare.db_constraint = False
            bare.db_index = False
            changes.append((model, field, bare))
    with connection.schema_editor(atomic=False) as editor:
        for model in (ServiceDailySummary, ServiceDurationCount):
            for index in model._meta.indexes:
                editor.remove_index(model, index)
        for model, field, bare in changes:
            editor.alter_field(model, field, bare)
    yield
    with connection.schema_editor(atomic=False) as editor:
        for model, field, bare in changes:
            editor.alter_field(model, bare, field)
        for model in (ServiceDailySummary, ServiceDurationCount):
            for index in model._meta.indexes:
                editor.add_index(model, index)


def service_summaries_rebuild() -> tuple[int, int]:
    """Recompute the whole summary from the cases and ratings; (day rows, duration rows).

    One transaction; on PostgreSQL the summary tables are locked first, so an action running
    meanwhile either finished before (and is counted) or adds its change after (to the new rows).
    The figures are those the actions keep (`case_contribution`, `rating_contribution`).
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = (ServiceDailySummary._meta.db_table, ServiceDurationCount._meta.db_table)
            cursor.execute(f"LOCK TABLE {', '.join(tables)} IN EXCLUSIVE MODE")
            # Group and sort a few million rows in memory rather than in temporary files.
            cursor.execute("SET LOCAL work_mem = '128MB'")
        _temp_table(
            cursor, _CALENDAR_TABLE, "day date PRIMARY KEY, n integer NOT NULL", _calendar_rows()
        )
        _temp_table(
            cursor,
            _PAUSED_TABLE,
            "case_id integer PRIMARY KEY, workdays integer NOT NULL",
            _paused_rows(),
        )
        ServiceDailySummary.objects.all().delete()
        ServiceDurationCount.objects.all().delete()
        (daily_sql, durations_sql), params = _rebuild_sql()
        bulk = (
            connection.vendor == "postgresql"
            and ServiceCase.objects.order_by()[BULK_REBUILD_CASES - 1 :].exists()
        )
        with _without_secondary_indexes(bulk):
            cursor.execute(daily_sql, params)
            cursor.execute(durations_sql)
        for name in (_CALENDAR_TABLE, _PAUSED_TABLE):
            cursor.execute(f"DROP TABLE {name}")
        statistics_cache_bump()
        day_rows = ServiceDailySummary.objects.count()
        duration_rows = ServiceDurationCount.objects.count()
    return day_rows, duration_rows
