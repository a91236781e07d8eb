"""Keep the statistics' summary (`services.models.summaries`) in step with the records.

Every change that moves a figure goes through here inside its own transaction: the case
actions (`_move` in `services.actions.cases`: acceptance, decisions, deemed approvals by the
sweep, the joint meeting; the import calls the same actions) and the rating actions (a rating
recorded, an appeal upheld). Each computes a record's *contribution* (which day's counters it
adds to) before and after the change and adds the difference with `F()` increments, which
commute, so concurrent actions never lose a count. The statistics cache is versioned: every
change bumps the version at once and again on commit, so no report computed before the commit
outlives it.

`service_summaries_rebuild` recomputes everything from the records (after bulk loads, or to
repair a summary written around the actions).
"""

import datetime
from collections import Counter, defaultdict

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F, Q

from services.models import Rating, ServiceCase, ServiceCasePause
from services.models.summaries import (
    COUNT_FIELDS,
    RATING_FIELDS,
    ServiceDailySummary,
    ServiceDurationCount,
    case_working_days,
)
from services.selectors.statistics import STATISTICS_VERSION_KEY

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
        for (entity_id, item_id, day), changes in sorted(rows.items()):
            row, _created = ServiceDailySummary.objects.get_or_create(
                entity_id=entity_id, item_id=item_id, day=day
            )
            ServiceDailySummary.objects.filter(pk=row.pk).update(
                **{field: F(field) + n for field, n in changes.items()}
            )
        for ((entity_id, item_id, day), workdays), n in sorted(durations.items()):
            row, _created = ServiceDurationCount.objects.get_or_create(
                entity_id=entity_id, item_id=item_id, day=day, workdays=workdays
            )
            ServiceDurationCount.objects.filter(pk=row.pk).update(count=F("count") + n)
        statistics_cache_bump()


def summary_add_case(*, case: ServiceCase) -> None:
    """Count a case that was stored whole, without the actions (an import of history, a test)."""
    summary_apply(before=Counter(), after=case_contribution(case))


# --- Rebuild ------------------------------------------------------------------------------------


def _case_rows() -> tuple[dict[Key, Counter], dict[tuple[Key, int], int]]:
    """Every day's case counters and durations, from grouped queries over the cases."""
    rows: dict[Key, Counter] = defaultdict(Counter)
    cases = ServiceCase.objects.order_by()
    for date_field, counter in (("accepted_on", "accepted"), ("deemed_approved_on", "deemed")):
        grouped = (
            cases.filter(**{f"{date_field}__isnull": False})
            .values_list("entity_id", "item_id", date_field)
            .annotate(n=Count("id"))
        )
        for entity_id, item_id, day, n in grouped:
            rows[(entity_id, item_id, day)][counter] += n
    on_time = Q(completed_on__lte=F("due_date"), deemed_approved_on__isnull=True)
    grouped = (
        cases.filter(completed_on__isnull=False)
        .values_list("entity_id", "item_id", "completed_on")
        .annotate(n=Count("id"), on_time=Count("id", filter=on_time))
    )
    for entity_id, item_id, day, n, in_time in grouped:
        rows[(entity_id, item_id, day)]["completed"] += n
        rows[(entity_id, item_id, day)]["on_time"] += in_time

    durations: dict[tuple[Key, int], int] = defaultdict(int)
    done = cases.filter(completed_on__isnull=False, accepted_on__isnull=False)
    grouped = done.values_list("entity_id", "item_id", "completed_on", "accepted_on").annotate(
        n=Count("id")
    )
    spans: dict[tuple, int] = {}
    for entity_id, item_id, day, accepted_on, n in grouped:
        span = spans.setdefault((accepted_on, day), case_working_days(accepted_on, day))
        durations[((entity_id, item_id, day), span)] += n
    # The few cases with closed pauses: move each from its raw span to its paused one.
    paused: dict[int, list] = defaultdict(list)
    facts: dict[int, tuple] = {}
    pauses = ServiceCasePause.objects.filter(
        last__isnull=False, case__completed_on__isnull=False, case__accepted_on__isnull=False
    ).values_list(
        "case_id",
        "first",
        "last",
        "case__entity_id",
        "case__item_id",
        "case__accepted_on",
        "case__completed_on",
    )
    for case_id, first, last, entity_id, item_id, accepted_on, completed_on in pauses:
        paused[case_id].append((first, last))
        facts[case_id] = (entity_id, item_id, accepted_on, completed_on)
    for case_id, spans_paused in paused.items():
        entity_id, item_id, accepted_on, completed_on = facts[case_id]
        key = (entity_id, item_id, completed_on)
        raw = case_working_days(accepted_on, completed_on)
        adjusted = case_working_days(accepted_on, completed_on, spans_paused)
        if adjusted != raw:
            durations[(key, raw)] -= 1
            durations[(key, adjusted)] += 1
    return rows, durations


def _rating_rows(rows: dict[Key, Counter]) -> None:
    grouped = (
        Rating.objects.counted()
        .order_by()
        .values_list("case__entity_id", "case__item_id", "rated_on", "level")
        .annotate(n=Count("id"))
    )
    for entity_id, item_id, day, level, n in grouped:
        rows[(entity_id, item_id, day)][RATING_FIELDS[level]] += n


def service_summaries_rebuild(*, batch_size: int = 2_000) -> tuple[int, int]:
    """Recompute the whole summary from the cases and ratings; (day rows, duration rows).

    One transaction; on PostgreSQL the summary tables are locked first, so an action running
    meanwhile either finished before (and is counted) or adds its change after (to the new rows).
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                tables = (ServiceDailySummary._meta.db_table, ServiceDurationCount._meta.db_table)
                cursor.execute(f"LOCK TABLE {', '.join(tables)} IN EXCLUSIVE MODE")
        rows, durations = _case_rows()
        _rating_rows(rows)
        ServiceDailySummary.objects.all().delete()
        ServiceDurationCount.objects.all().delete()
        ServiceDailySummary.objects.bulk_create(
            (
                ServiceDailySummary(
                    entity_id=entity_id,
                    item_id=item_id,
                    day=day,
                    **{field: counts.get(field, 0) for field in COUNT_FIELDS},
                )
                for (entity_id, item_id, day), counts in sorted(rows.items())
                if any(counts.values())
            ),
            batch_size=batch_size,
        )
        ServiceDurationCount.objects.bulk_create(
            (
                ServiceDurationCount(
                    entity_id=entity_id, item_id=item_id, day=day, workdays=workdays, count=n
                )
                for ((entity_id, item_id, day), workdays), n in sorted(durations.items())
                if n
            ),
            batch_size=batch_size,
        )
        statistics_cache_bump()
        day_rows = ServiceDailySummary.objects.count()
        duration_rows = ServiceDurationCount.objects.count()
    return day_rows, duration_rows
