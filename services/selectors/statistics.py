"""Service statistics: the figures that prove (or disprove) the centre's promises.

For any period and per department and item: consultations, accepted, completed, completion rate
(completed / accepted), on-time rate, deemed approvals, median and P90 working days against the
commitment, and the rating distribution.

Definitions (the seed's half-year report counts this way):
- *consultations*: the sum of the recorded per-item, per-day consultation counts in the period;
- *accepted*: cases accepted (受理) in the period;
- *completed*: cases completed (办结, including deemed approvals finished by the joint approval
  meeting) in the period;
- *completion rate*: completed / accepted, a percentage to one decimal (59,388 / 60,351 = 98.4%);
- *on-time rate*: the share of the period's completed cases finished on or before their due date;
- *working days*: working days from acceptance to completion (statutory calendar, `workdays`);
  median and P90 by the nearest-rank method (the value at rank ⌈q·n⌉), so they are whole days,
  comparable with a commitment in whole working days.

Every figure is a grouped SUM over the daily summary (`services.models.summaries`: per
department, item and day, kept by the actions and rebuilt by `rebuild_service_summaries`) and
the per-day consultation counts; percentiles are read from the summary's histogram of working
days, never from a loop over the cases.
"""

import calendar
import datetime
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connections, router
from django.db.models import Max, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from services.models import ConsultationCount, ServiceDailySummary, ServiceDurationCount

ONE_DECIMAL = Decimal("0.1")


def rate_percent(numerator: int, denominator: int) -> Decimal | None:
    """`numerator / denominator` as a percentage rounded half-up to one decimal; None for 0/0."""
    if denominator <= 0:
        return None
    if type(numerator) is int and type(denominator) is int and 0 <= numerator < 10**15:
        # The same value in integers (a table of a few thousand rows asks for thousands): tenths
        # of a percent, rounded half up, i.e. ⌊(2000·n + d) / 2d⌋ (exact; tested against the
        # Decimal arithmetic below).
        tenths = (2000 * numerator + denominator) // (2 * denominator)
        return Decimal(f"{tenths // 10}.{tenths % 10}")
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        ONE_DECIMAL, rounding=ROUND_HALF_UP
    )


def completion_rate(*, completed: int, accepted: int) -> Decimal | None:
    """Completion rate 办结率 = completed / accepted, in percent (one decimal)."""
    return rate_percent(completed, accepted)


def on_time_rate(*, on_time: int, completed: int) -> Decimal | None:
    """On-time rate = completed on or before the due date / completed, in percent."""
    return rate_percent(on_time, completed)


def percentile_from_histogram(histogram: Mapping[int, int], q: float) -> int | None:
    """The nearest-rank q-quantile (0 < q ≤ 1) of values given as {value: how many}.

    The value at rank ⌈q·n⌉ in ascending order; None when the histogram is empty.
    """
    if not 0 < q <= 1:
        raise ValueError("q must be in (0, 1]")
    total = sum(count for count in histogram.values() if count > 0)
    if total == 0:
        return None
    rank = max(1, math.ceil(q * total - 1e-9))
    seen = 0
    for value in sorted(histogram):
        seen += max(histogram[value], 0)
        if seen >= rank:
            return value
    return max(histogram)  # pragma: no cover - unreachable: seen reaches total


def median_from_histogram(histogram: Mapping[int, int]) -> int | None:
    """The nearest-rank median (rank ⌈n/2⌉) of a {value: count} histogram."""
    return percentile_from_histogram(histogram, 0.5)


def p90_from_histogram(histogram: Mapping[int, int]) -> int | None:
    """The nearest-rank 90th percentile of a {value: count} histogram."""
    return percentile_from_histogram(histogram, 0.9)


def median_and_p90_from_histogram(histogram: Mapping[int, int]) -> tuple[int | None, int | None]:
    """`median_from_histogram` and `p90_from_histogram` of one histogram, in one sorted pass."""
    total = sum(count for count in histogram.values() if count > 0)
    if total == 0:
        return None, None
    ranks = [max(1, math.ceil(q * total - 1e-9)) for q in (0.5, 0.9)]
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        seen += max(histogram[value], 0)
        while len(found) < 2 and seen >= ranks[len(found)]:
            found.append(value)
        if len(found) == 2:
            return found[0], found[1]
    return tuple(found + [max(histogram)] * (2 - len(found)))  # pragma: no cover - unreachable


def histogram_merge(pairs: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Add up (value, count) pairs that may repeat a value into one {value: count} histogram."""
    merged: dict[int, int] = {}
    for value, count in pairs:
        merged[value] = merged.get(value, 0) + count
    return merged


RATING_LEVELS = (5, 4, 3, 2, 1)


def rating_distribution(counts: Mapping[int, int]) -> list[dict]:
    """Every level 5..1 with its count and share (percent, one decimal), zeros included."""
    total = sum(counts.get(level, 0) for level in RATING_LEVELS)
    return [
        {
            "level": level,
            "count": counts.get(level, 0),
            "percent": rate_percent(counts.get(level, 0), total),
        }
        for level in RATING_LEVELS
    ]


def rating_mean(counts: Mapping[int, int]) -> Decimal | None:
    """The mean rating level (1-5) to two decimals; None when nothing was rated."""
    total = sum(counts.get(level, 0) for level in RATING_LEVELS)
    if total == 0:
        return None
    weighted = sum(level * counts.get(level, 0) for level in RATING_LEVELS)
    return (Decimal(weighted) / Decimal(total)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def satisfaction_percent(counts: Mapping[int, int]) -> Decimal | None:
    """满意率: ratings of 3 (基本满意) or better / all ratings, in percent."""
    total = sum(counts.get(level, 0) for level in RATING_LEVELS)
    return rate_percent(sum(counts.get(level, 0) for level in (5, 4, 3)), total)


# --- Periods ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A closed range of days that statistics are counted over."""

    first: datetime.date
    last: datetime.date
    kind: str = "custom"

    @property
    def label(self) -> str:
        if self.kind == "year":
            return _("%(year)s") % {"year": self.first.year}
        if self.kind == "half":
            half = _("first half") if self.first.month == 1 else _("second half")
            return _("%(year)s, %(half)s") % {"year": self.first.year, "half": half}
        if self.kind == "month":
            return _("%(year)s-%(month)02d") % {"year": self.first.year, "month": self.first.month}
        return _("%(first)s to %(last)s") % {
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
        }

    def months(self) -> list[datetime.date]:
        """The first day of every month the period touches."""
        months, cursor = [], self.first.replace(day=1)
        while cursor <= self.last:
            months.append(cursor)
            cursor = (cursor + datetime.timedelta(days=32)).replace(day=1)
        return months


def period_year(year: int) -> Period:
    return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), "year")


def period_half(year: int, half: int) -> Period:
    """The first (1) or second (2) half of `year`."""
    if half not in (1, 2):
        raise ValueError("half is 1 or 2")
    if half == 1:
        return Period(datetime.date(year, 1, 1), datetime.date(year, 6, 30), "half")
    return Period(datetime.date(year, 7, 1), datetime.date(year, 12, 31), "half")


def period_month(year: int, month: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(datetime.date(year, month, 1), datetime.date(year, month, last), "month")


# --- Figures from the records -----------------------------------------------------------------


@dataclass
class ServiceFigures:
    """One set of figures (the whole centre, a department or an item) for one period."""

    consultations: int = 0
    accepted: int = 0
    completed: int = 0
    on_time: int = 0
    deemed_approvals: int = 0
    workdays_histogram: dict[int, int] = field(default_factory=dict)
    rating_counts: dict[int, int] = field(default_factory=dict)
    committed_days: int | None = None
    key: int | None = None
    name: str = ""
    # (median, P90) of the working days when the database found them (the report's department
    # and item rows, which then carry no histogram); None: from `workdays_histogram`.
    workdays_percentiles: tuple[int | None, int | None] | None = None

    @property
    def completion_rate(self) -> Decimal | None:
        return completion_rate(completed=self.completed, accepted=self.accepted)

    @property
    def on_time_rate(self) -> Decimal | None:
        return on_time_rate(on_time=self.on_time, completed=self.completed)

    @property
    def median_workdays(self) -> int | None:
        return self.median_and_p90_workdays[0]

    @property
    def p90_workdays(self) -> int | None:
        return self.median_and_p90_workdays[1]

    @property
    def median_and_p90_workdays(self) -> tuple[int | None, int | None]:
        """Median and P90 of the working days (as `median_from_histogram`, `p90_…`), one pass."""
        if self.workdays_percentiles is not None:
            return self.workdays_percentiles
        return median_and_p90_from_histogram(self.workdays_histogram)

    @property
    def ratings_total(self) -> int:
        return sum(self.rating_counts.values())

    @property
    def rating_distribution(self) -> list[dict]:
        return rating_distribution(self.rating_counts)

    @property
    def rating_mean(self) -> Decimal | None:
        return rating_mean(self.rating_counts)

    @property
    def satisfaction(self) -> Decimal | None:
        return satisfaction_percent(self.rating_counts)

    @property
    def within_commitment(self) -> bool | None:
        """Whether the median case took no longer than the item's commitment."""
        if self.committed_days is None or self.median_workdays is None:
            return None
        return self.median_workdays <= self.committed_days

    def as_dict(self) -> dict:
        """The figures as plain values (API, CSV)."""
        median, p90 = self.median_and_p90_workdays
        counts = self.rating_counts
        return {
            "consultations": self.consultations,
            "accepted": self.accepted,
            "completed": self.completed,
            "completion_rate": self.completion_rate,
            "on_time": self.on_time,
            "on_time_rate": self.on_time_rate,
            "deemed_approvals": self.deemed_approvals,
            "median_workdays": median,
            "p90_workdays": p90,
            "committed_days": self.committed_days,
            # the counts of `rating_distribution` (its shares are not needed here)
            "ratings": {str(level): counts.get(level, 0) for level in RATING_LEVELS},
            "rating_mean": rating_mean(counts),
            "satisfaction_rate": satisfaction_percent(counts),
        }


def _scope(entity_id: int | None, item_id: int | None) -> Q:
    q = Q()
    if entity_id is not None:
        q &= Q(entity_id=entity_id)
    if item_id is not None:
        q &= Q(item_id=item_id)
    return q


def _in(period: Period, field_name: str = "day") -> Q:
    return Q(**{f"{field_name}__range": (period.first, period.last)})


SUMS = {
    "accepted": Sum("accepted"),
    "completed": Sum("completed"),
    "on_time": Sum("on_time"),
    "deemed": Sum("deemed"),
    **{f"rated_{level}": Sum(f"rated_{level}") for level in RATING_LEVELS},
}


def _case_counts(period: Period, scope: Q, group: str | None) -> dict:
    """Accepted, completed, on-time, deemed and rating counts, by `group` (a field) or for all.

    Summed from the daily summary (`ServiceDailySummary`), one query.
    """
    queryset = ServiceDailySummary.objects.filter(scope, _in(period)).order_by()
    if group is None:
        row = queryset.aggregate(**SUMS)
        return {None: {name: value or 0 for name, value in row.items()}}
    rows = queryset.values(group).annotate(**SUMS)
    return {row[group]: {name: row[name] or 0 for name in SUMS} for row in rows}


_RATED = tuple((level, f"rated_{level}") for level in RATING_LEVELS)


def _rating_counts(row: Mapping[str, int]) -> dict[int, int]:
    counts = {level: row.get(name, 0) for level, name in _RATED}
    return {level: n for level, n in counts.items() if n}


def _consultations(period: Period, entity_id: int | None, item_id: int | None, group: str | None):
    queryset = ConsultationCount.objects.filter(date__range=(period.first, period.last))
    if entity_id is not None:
        queryset = queryset.filter(item__entity_id=entity_id)
    if item_id is not None:
        queryset = queryset.filter(item_id=item_id)
    if group is None:
        return {None: queryset.aggregate(n=Sum("count"))["n"] or 0}
    column = "item__entity_id" if group == "entity_id" else group
    rows = queryset.values(column).annotate(n=Sum("count")).order_by()
    return {row[column]: row["n"] or 0 for row in rows}


def _workdays_histograms(period: Period, scope: Q, group: str | None) -> dict:
    """Histograms of working days from acceptance to completion (pauses excluded), by `group`.

    Summed from the per-day duration counts (`ServiceDurationCount`), one query.
    """
    fields = ["workdays"] if group is None else [group, "workdays"]
    rows = (
        ServiceDurationCount.objects.filter(scope, _in(period))
        .order_by()
        .values(*fields)
        .annotate(n=Sum("count"))
        .filter(n__gt=0)
    )
    result: dict = {}
    for row in rows:
        key = None if group is None else row[group]
        result.setdefault(key, {})[row["workdays"]] = row["n"]
    return result


def service_figures(
    *, period: Period, entity_id: int | None = None, item_id: int | None = None
) -> ServiceFigures:
    """The figures of the whole centre, one department or one item for `period` (3 queries)."""
    scope = _scope(entity_id, item_id)
    counts = _case_counts(period, scope, None)[None]
    return ServiceFigures(
        consultations=_consultations(period, entity_id, item_id, None)[None],
        accepted=counts["accepted"],
        completed=counts["completed"],
        on_time=counts["on_time"],
        deemed_approvals=counts["deemed"],
        workdays_histogram=_workdays_histograms(period, scope, None).get(None, {}),
        rating_counts=_rating_counts(counts),
    )


def _grouped(
    *, period: Period, group: str, entity_id: int | None, names: dict[int, tuple[str, int | None]]
) -> list[ServiceFigures]:
    scope = _scope(entity_id, None)
    return _rows_of(
        names=names,
        counts=_case_counts(period, scope, group),
        consultations=_consultations(period, entity_id, None, group),
        histograms=_workdays_histograms(period, scope, group),
    )


def _rows_of(
    *,
    names: dict[int, tuple[str, int | None]],
    counts: dict,
    consultations: dict,
    histograms: dict | None = None,
    percentiles: dict | None = None,
) -> list[ServiceFigures]:
    """One `ServiceFigures` per named key with any activity, in the names' order.

    Working days from `histograms` ({key: histogram}) or, already counted, from `percentiles`
    ({key: (median, P90)}).
    """
    rows = []
    histograms = histograms or {}
    for key, (name, committed) in names.items():
        count = counts.get(key, {})
        figures = ServiceFigures(
            key=key,
            name=name,
            committed_days=committed,
            consultations=consultations.get(key, 0),
            accepted=count.get("accepted", 0),
            completed=count.get("completed", 0),
            on_time=count.get("on_time", 0),
            deemed_approvals=count.get("deemed", 0),
            workdays_histogram=histograms.get(key, {}),
            rating_counts=_rating_counts(count),
        )
        if percentiles is not None:
            figures.workdays_percentiles = percentiles.get(key, (None, None))
        if figures.consultations or figures.accepted or figures.completed:
            rows.append(figures)
    return rows


def service_figures_by_entity(*, period: Period) -> list[ServiceFigures]:
    """The figures per department with any activity in `period`, in department order."""
    return _grouped(period=period, group="entity_id", entity_id=None, names=_entity_names())


def _entity_names() -> dict[int, tuple[str, None]]:
    from disclosure.models import AdministrativeEntity

    return {
        pk: (name, None)
        for pk, name in AdministrativeEntity.objects.filter(service_items__isnull=False)
        .distinct()
        .order_by("sort_order", "name")
        .values_list("pk", "name")
    }


def service_figures_by_item(
    *, period: Period, entity_id: int | None = None
) -> list[ServiceFigures]:
    """The figures per service item with any activity in `period`, with its commitment."""
    from services.models import ServiceItem

    items = ServiceItem.objects.all()
    if entity_id is not None:
        items = items.filter(entity_id=entity_id)
    names = {
        pk: (name, committed)
        for pk, name, committed in items.order_by("entity_id", "basic_code", "id").values_list(
            "pk", "name", "committed_days"
        )
    }
    return _grouped(period=period, group="item_id", entity_id=entity_id, names=names)


def service_figures_by_month(
    *, period: Period, entity_id: int | None = None, item_id: int | None = None
) -> list[dict]:
    """Accepted and completed per month of `period` (for the chart): one grouped query."""
    rows = (
        ServiceDailySummary.objects.filter(_scope(entity_id, item_id), _in(period))
        .annotate(month=TruncMonth("day"))
        .order_by()
        .values("month")
        .annotate(accepted=Sum("accepted"), completed=Sum("completed"))
    )
    by_month = {}
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        by_month[month] = row
    return [
        {
            "month": month,
            "accepted": (by_month.get(month) or {}).get("accepted") or 0,
            "completed": (by_month.get(month) or {}).get("completed") or 0,
        }
        for month in period.months()
    ]


STATISTICS_CACHE_SECONDS = 600
STATISTICS_VERSION_KEY = "services:statistics:version"


def statistics_version() -> int:
    """The statistics' version: bumped by every change to the summary (actions, rebuild)."""
    from django.core.cache import cache

    version = cache.get(STATISTICS_VERSION_KEY)
    if version is None:
        cache.add(STATISTICS_VERSION_KEY, 0, None)
        version = cache.get(STATISTICS_VERSION_KEY, 0)
    return version


def _cached_under_version(name: str, compute: Callable[[], Any]) -> Any:
    """`compute()`, cached for 10 minutes under the statistics' version (see statistics_report);
    `compute` must not return None (it would be computed again each time)."""
    from django.core.cache import cache

    key = f"services:statistics:{statistics_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, STATISTICS_CACHE_SECONDS)
    return value


def statistics_report(*, period: Period, entity_id: int | None = None) -> dict:
    """Everything the statistics page, CSV and API show for a period, cached for 10 minutes.

    Read from the daily summary (a few grouped sums). The cache key carries the statistics'
    version, which every change to the summary bumps (at once and on commit): a completed case
    shows in the next report. With several processes the cache must be shared (CACHE_URL) for
    the bump to reach them all; a process-local cache still expires after 10 minutes.
    """
    return _cached_under_version(
        f"report:v2:{period.first}:{period.last}:{period.kind}:{entity_id}",
        lambda: statistics_report_uncached(period=period, entity_id=entity_id),
    )


# --- The report: two statements over the summary ----------------------------------------------
#
# The period's daily summary rows are read once and summed three ways: per item, per department
# (the case's) and per day (GROUPING SETS on PostgreSQL; elsewhere the same three GROUP BYs
# joined by UNION ALL). The days give the months. The duration counts are read once and summed
# into histograms of working days per item, per department and for the whole centre (`level`
# 1, 2, 3); the database finds each item's and department's median and P90 from running counts
# over the histogram (nearest rank: the first value whose running count reaches ⌈n/2⌉ and
# ⌈9n/10⌉, i.e. 2·seen ≥ n and 10·seen ≥ 9·n, exact in integers), and returns the centre's
# histogram itself. `percentile_from_histogram` counts the same ranks (tested on random data).

_DAILY_SUMS = ", ".join(f"SUM({name})" for name in SUMS)
_DAILY_FROM = """
  FROM "services_servicedailysummary"
 WHERE day BETWEEN %(first)s AND %(last)s{entity}"""
_DAILY_GROUPING_SETS_SQL = f"""
SELECT item_id, entity_id, day, {_DAILY_SUMS}{_DAILY_FROM}
 GROUP BY GROUPING SETS ((item_id), (entity_id), (day))"""
_DAILY_UNION_SQL = f"""
SELECT item_id, NULL, NULL, {_DAILY_SUMS}{_DAILY_FROM}
 GROUP BY item_id
UNION ALL
SELECT NULL, entity_id, NULL, {_DAILY_SUMS}{_DAILY_FROM}
 GROUP BY entity_id
UNION ALL
SELECT NULL, NULL, day, {_DAILY_SUMS}{_DAILY_FROM}
 GROUP BY day"""

_DURATIONS_FROM = """
    FROM "services_servicedurationcount"
   WHERE day BETWEEN %(first)s AND %(last)s{entity}"""
# The histograms per item (level 1), per department (2) and of the centre (3): one pass with
# GROUPING SETS on PostgreSQL, three GROUP BYs elsewhere. Counts as integers (a bin holds at
# most every case), so the running sums stay in integer arithmetic.
_HISTOGRAMS_GROUPING_SETS_SQL = f"""
  SELECT CASE WHEN item_id IS NOT NULL THEN 1 WHEN entity_id IS NOT NULL THEN 2 ELSE 3 END
           AS level,
         COALESCE(item_id, entity_id, 0) AS owner, workdays, CAST(SUM("count") AS INTEGER) AS n
{_DURATIONS_FROM}
   GROUP BY GROUPING SETS ((item_id, workdays), (entity_id, workdays), (workdays))
  HAVING SUM("count") > 0"""
_HISTOGRAMS_UNION_SQL = f"""
  SELECT 1 AS level, item_id AS owner, workdays, CAST(SUM("count") AS INTEGER) AS n
{_DURATIONS_FROM}
   GROUP BY item_id, workdays HAVING SUM("count") > 0
  UNION ALL
  SELECT 2, entity_id, workdays, CAST(SUM("count") AS INTEGER)
{_DURATIONS_FROM}
   GROUP BY entity_id, workdays HAVING SUM("count") > 0
  UNION ALL
  SELECT 3, 0, workdays, CAST(SUM("count") AS INTEGER)
{_DURATIONS_FROM}
   GROUP BY workdays HAVING SUM("count") > 0"""
_DURATIONS_SQL = """
WITH histograms AS ({histograms}
), running AS (
  SELECT level, owner, workdays,
         SUM(n) OVER (PARTITION BY level, owner ORDER BY workdays ROWS UNBOUNDED PRECEDING) AS seen,
         SUM(n) OVER (PARTITION BY level, owner) AS total
    FROM histograms
   WHERE level < 3
)
SELECT level, owner, MIN(CASE WHEN 2 * seen >= total THEN workdays END),
       MIN(CASE WHEN 10 * seen >= 9 * total THEN workdays END)
  FROM running
 GROUP BY level, owner
UNION ALL
SELECT level, workdays, n, NULL FROM histograms WHERE level = 3"""


def _report_sql(sql: str, entity_id: int | None) -> str:
    return sql.replace("{entity}", "" if entity_id is None else " AND entity_id = %(entity)s")


def _report_sums(
    cursor,  # noqa: ANN001 - a DB-API cursor
    params: dict,
    entity_id: int | None,
    vendor: str,
) -> tuple[dict, dict, dict, dict]:
    """The period's SUMS in total, per item, per department and per month (one statement)."""
    sql = _DAILY_GROUPING_SETS_SQL if vendor == "postgresql" else _DAILY_UNION_SQL
    cursor.execute(_report_sql(sql, entity_id), params)
    per_item: dict = {}
    per_entity: dict = {}
    per_day: dict = {}
    for item, entity, day, *sums in cursor.fetchall():
        if item is not None:
            per_item[item] = sums
        elif entity is not None:
            per_entity[entity] = sums
        else:
            per_day[day if isinstance(day, datetime.date) else datetime.date.fromisoformat(day)] = (
                sums
            )
    total = [sum(column) for column in zip(*per_day.values(), strict=True)] or [0] * len(SUMS)
    per_month: dict = {}
    for day, (accepted, completed, *_rest) in per_day.items():
        month = per_month.setdefault(day.replace(day=1), {"accepted": 0, "completed": 0})
        month["accepted"] += accepted
        month["completed"] += completed

    def named(table: dict) -> dict:
        return {key: dict(zip(SUMS, row, strict=True)) for key, row in table.items()}

    return dict(zip(SUMS, total, strict=True)), named(per_item), named(per_entity), per_month


def _report_workdays(
    cursor,  # noqa: ANN001 - a DB-API cursor
    params: dict,
    entity_id: int | None,
    vendor: str,
) -> tuple[dict, dict, dict]:
    """(median, P90) per item and per department, and the centre's histogram (one statement)."""
    histograms = _HISTOGRAMS_GROUPING_SETS_SQL if vendor == "postgresql" else _HISTOGRAMS_UNION_SQL
    sql = _DURATIONS_SQL.replace("{histograms}", histograms)
    cursor.execute(_report_sql(sql, entity_id), params)
    per_item: dict = {}
    per_entity: dict = {}
    histogram: dict[int, int] = {}
    for level, owner, first, second in cursor.fetchall():
        if level == 1:
            per_item[owner] = (first, second)
        elif level == 2:
            per_entity[owner] = (first, second)
        else:
            histogram[owner] = first
    return per_item, per_entity, histogram


def statistics_report_uncached(*, period: Period, entity_id: int | None = None) -> dict:
    """The report of `statistics_report`, counted from two statements over the summary.

    The same figures as `service_figures`, `service_figures_by_entity`, `…_by_item` and
    `…_by_month` (tested), but the period's summary rows are read once per table and summed by
    the database per item, per department and per day, and the working days' median and P90
    found there too (see above), instead of once per table and per grouping. The department
    and item rows carry their median and P90 (`workdays_percentiles`), not the histogram; the
    totals carry the histogram.
    """
    from services.models import ServiceItem

    connection = connections[router.db_for_read(ServiceDailySummary)]
    params = {
        "first": connection.ops.adapt_datefield_value(period.first),
        "last": connection.ops.adapt_datefield_value(period.last),
        "entity": entity_id,
    }
    with connection.cursor() as cursor:
        total, per_item, per_entity, per_month = _report_sums(
            cursor, params, entity_id, connection.vendor
        )
        item_percentiles, entity_percentiles, total_histogram = _report_workdays(
            cursor, params, entity_id, connection.vendor
        )

    items = ServiceItem.objects.all()
    if entity_id is not None:
        items = items.filter(entity_id=entity_id)
    item_rows = items.order_by("entity_id", "basic_code", "id").values_list(
        "pk", "name", "committed_days", "entity_id"
    )
    item_names = {pk: (name, committed) for pk, name, committed, _entity in item_rows}
    item_entity = {pk: entity for pk, _name, _committed, entity in item_rows}
    item_consultations = _consultations(period, entity_id, None, "item_id")
    entity_consultations: dict[int, int] = {}
    for item, n in item_consultations.items():
        owner = item_entity.get(item)
        entity_consultations[owner] = entity_consultations.get(owner, 0) + n

    totals = ServiceFigures(
        consultations=sum(item_consultations.values()),
        accepted=total["accepted"],
        completed=total["completed"],
        on_time=total["on_time"],
        deemed_approvals=total["deemed"],
        workdays_histogram=total_histogram,
        rating_counts=_rating_counts(total),
    )
    by_entity = []
    if not entity_id:
        by_entity = _rows_of(
            names=_entity_names(),
            counts=per_entity,
            consultations=entity_consultations,
            percentiles=entity_percentiles,
        )
    by_item = _rows_of(
        names=item_names,
        counts=per_item,
        consultations=item_consultations,
        percentiles=item_percentiles,
    )
    by_month = [
        {
            "month": month,
            "accepted": per_month.get(month, {}).get("accepted", 0),
            "completed": per_month.get(month, {}).get("completed", 0),
        }
        for month in period.months()
    ]
    return {"totals": totals, "by_entity": by_entity, "by_item": by_item, "by_month": by_month}


def latest_completion_day() -> datetime.date | None:
    """The latest day on which a case was completed, or None.

    Read from the summary, walking its day index from the newest day back to the first with a
    completion (a handful of rows), rather than every case's completion date.
    """
    return (
        ServiceDailySummary.objects.filter(completed__gt=0)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )


def period_of_latest_cases() -> Period | None:
    """The half-year in which the latest case was accepted (what the seed reports), or None."""
    latest = ServiceDailySummary.objects.filter(accepted__gt=0).aggregate(latest=Max("day"))[
        "latest"
    ]
    if latest is None:
        return None
    return period_half(latest.year, 1 if latest.month <= 6 else 2)


def _headline_counts() -> tuple[Period, dict, int] | None:
    """The latest half-year with accepted cases, its case counts and consultations (3 queries),
    cached like the statistics report, under the statistics' version (every summary or
    consultation change bumps it): summing half a year of the daily summary at 2M cases took
    25 ms of every uncached home page."""

    def compute() -> tuple:
        period = period_of_latest_cases()
        if period is None:
            return ()
        counts = _case_counts(period, Q(), None)[None]
        return (period, counts, _consultations(period, None, None, None)[None])

    return _cached_under_version("headline", compute) or None


def service_figures_headline() -> list[dict]:
    """The home page's figures: the latest half-year with accepted cases, counted.

    Consultations, accepted and completed cases and the completion rate, as the seed reports
    them (咨询 / 受理 / 办结 / 办结率); [] when no case has been accepted yet.
    """
    found = _headline_counts()
    if found is None:
        return []
    period, counts, consultations = found
    rate = completion_rate(completed=counts["completed"], accepted=counts["accepted"])
    return [
        {"label": _("Period"), "value": period.label},
        {"label": _("Consultations"), "value": f"{consultations:,}"},
        {"label": _("Cases accepted"), "value": f"{counts['accepted']:,}"},
        {"label": _("Cases completed"), "value": f"{counts['completed']:,}"},
        {"label": _("Completion rate"), "value": "—" if rate is None else f"{rate}%"},
    ]
