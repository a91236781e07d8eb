"""The statistics report counted by the database (sums per item, department and day; the working
days' median and P90 per item and department from running counts) gives exactly the figures
counted row by row, or case by case, with the histogram percentiles of `percentile_from_histogram`.
"""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.models import (
    ConsultationCount,
    ServiceCase,
    ServiceDailySummary,
    ServiceDurationCount,
)
from services.selectors.statistics import (
    RATING_LEVELS,
    Period,
    median_from_histogram,
    p90_from_histogram,
    percentile_from_histogram,
    period_half,
    period_month,
    period_year,
    service_figures_by_entity,
    service_figures_by_item,
    service_figures_by_month,
    statistics_report_uncached,
)
from tests.factories.disclosure import AdministrativeEntityFactory
from tests.factories.services import ServiceItemFactory
from tests.services.test_statistics_summary import _direct, _random_district
from workdays.calendar import is_workday

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_calendar")]
D = datetime.date
SUM_FIELDS = ("accepted", "completed", "on_time", "deemed", *(f"rated_{n}" for n in RATING_LEVELS))


# --- Random summary rows, counted row by row ----------------------------------------------------


def _random_summary(seed: int) -> tuple[list, list]:
    """Three departments, eight items, random daily and duration rows over 2005-2007.

    One item's cases belong to two departments (a case counts for its own department), some
    duration counts add up to zero or less for a working-day value (left out of the histogram),
    some histograms are large (ranks far from 1), some hold one case, and one item has no row.
    """
    rng = random.Random(seed)  # noqa: S311 - test data
    entities = [AdministrativeEntityFactory() for _ in range(3)]
    items = [ServiceItemFactory(entity=entities[n % 3]) for n in range(8)]
    days = [D(2005, 12, 1) + datetime.timedelta(days=n) for n in range(0, 420)]
    summaries, durations, consultations = [], [], []
    for index, item in enumerate(items[:-1]):
        scale = 40 if index == 2 else 1  # one item with big counts
        for day in rng.sample(days, 90):
            owners = [item.entity_id]
            if index == 0 and rng.random() < 0.5:
                owners.append(entities[(index + 1) % 3].pk)
            for entity_id in owners:
                summaries.append(
                    ServiceDailySummary(
                        entity_id=entity_id,
                        item=item,
                        day=day,
                        **{name: rng.randint(0, 6) * scale for name in SUM_FIELDS},
                    )
                )
                if index == 1:  # one item: a single case at most on each day
                    choices = [(rng.randint(0, 3), 1)]
                else:
                    choices = [
                        (workdays, rng.choice((-1, 0, 1, 1, 2, 3, 7)) * scale)
                        for workdays in rng.sample(range(0, 45), rng.randint(1, 5))
                    ]
                durations.extend(
                    ServiceDurationCount(
                        entity_id=entity_id, item=item, day=day, workdays=workdays, count=count
                    )
                    for workdays, count in choices
                )
            consultations.append(ConsultationCount(item=item, date=day, count=rng.randint(0, 30)))
    ServiceDailySummary.objects.bulk_create(summaries)
    ServiceDurationCount.objects.bulk_create(durations)
    ConsultationCount.objects.bulk_create(consultations)
    return entities, items


def _positive(histogram: dict) -> dict:
    return {value: n for value, n in histogram.items() if n > 0}


def _reference(period: Period, entity_id: int | None) -> dict:
    """Every figure of the report, added up from the rows one at a time, in Python."""

    def inside(row) -> bool:  # noqa: ANN001
        return period.first <= row.day <= period.last and (
            entity_id is None or row.entity_id == entity_id
        )

    sums = {"total": {}, "entity": {}, "item": {}}
    months: dict = {}
    for row in ServiceDailySummary.objects.all():
        if not inside(row):
            continue
        for level, key in (("total", None), ("entity", row.entity_id), ("item", row.item_id)):
            table = sums[level].setdefault(key, dict.fromkeys(SUM_FIELDS, 0))
            for name in SUM_FIELDS:
                table[name] += getattr(row, name)
        month = months.setdefault(row.day.replace(day=1), [0, 0])
        month[0] += row.accepted
        month[1] += row.completed
    histograms = {"total": {}, "entity": {}, "item": {}}
    for row in ServiceDurationCount.objects.all():
        if not inside(row):
            continue
        for level, key in (("total", None), ("entity", row.entity_id), ("item", row.item_id)):
            histogram = histograms[level].setdefault(key, {})
            histogram[row.workdays] = histogram.get(row.workdays, 0) + row.count
    return {
        "sums": sums,
        "months": months,
        "histograms": {
            level: {key: _positive(h) for key, h in table.items()}
            for level, table in histograms.items()
        },
    }


def _check_row(figures, sums: dict, histogram: dict) -> None:  # noqa: ANN001
    counts = sums or dict.fromkeys(SUM_FIELDS, 0)
    assert (figures.accepted, figures.completed) == (counts["accepted"], counts["completed"])
    assert (figures.on_time, figures.deemed_approvals) == (counts["on_time"], counts["deemed"])
    assert figures.rating_counts == {
        level: counts[f"rated_{level}"] for level in RATING_LEVELS if counts[f"rated_{level}"]
    }
    # the database's nearest ranks are the histogram's (the old computation, in Python)
    assert figures.median_workdays == percentile_from_histogram(histogram, 0.5), histogram
    assert figures.p90_workdays == percentile_from_histogram(histogram, 0.9), histogram


RANDOM_PERIODS = [
    period_half(2006, 1),
    period_half(2006, 2),
    period_year(2006),
    period_month(2006, 2),  # Spring Festival 2006 (holidays, make-up working days)
    period_month(2006, 10),  # National Day
    Period(D(2006, 4, 25), D(2006, 5, 10)),  # across May Day and its make-up days
    Period(D(2005, 12, 1), D(2007, 1, 31)),  # every row
    Period(D(2006, 3, 15), D(2006, 3, 15)),  # one day
    period_year(1999),  # nothing recorded
]


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_the_report_equals_the_rows_added_up_one_by_one(seed):
    entities, items = _random_summary(seed)
    for period in RANDOM_PERIODS:
        for entity_id in (None, entities[0].pk, entities[1].pk):
            report = statistics_report_uncached(period=period, entity_id=entity_id)
            expected = _reference(period, entity_id)
            total = expected["sums"]["total"].get(None)
            _check_row(report["totals"], total, expected["histograms"]["total"].get(None, {}))
            assert report["totals"].workdays_histogram == expected["histograms"]["total"].get(
                None, {}
            )
            for row in report["by_item"]:
                _check_row(
                    row,
                    expected["sums"]["item"].get(row.key),
                    expected["histograms"]["item"].get(row.key, {}),
                )
            for row in report["by_entity"]:
                _check_row(
                    row,
                    expected["sums"]["entity"].get(row.key),
                    expected["histograms"]["entity"].get(row.key, {}),
                )
            # the items shown: those of the department with a consultation or a case
            consulted = {
                row.item_id
                for row in ConsultationCount.objects.filter(
                    date__range=(period.first, period.last), count__gt=0
                )
            }
            assert [row.key for row in report["by_item"]] == [
                item.pk
                for item in sorted(items, key=lambda i: (i.entity_id, i.basic_code, i.pk))
                if (entity_id is None or item.entity_id == entity_id)
                and (
                    item.pk in consulted
                    or expected["sums"]["item"].get(item.pk, {}).get("accepted")
                    or expected["sums"]["item"].get(item.pk, {}).get("completed")
                )
            ]
            assert report["by_month"] == [
                {
                    "month": month,
                    "accepted": expected["months"].get(month, [0, 0])[0],
                    "completed": expected["months"].get(month, [0, 0])[1],
                }
                for month in period.months()
            ]
            if entity_id is not None:
                assert report["by_entity"] == []
    # the data has what the test is about
    assert any(row.entity_id != row.item.entity_id for row in ServiceDailySummary.objects.all())
    assert ServiceDurationCount.objects.filter(count__lte=0).exists()


@pytest.mark.parametrize("seed", [11, 12])
def test_the_report_equals_the_figures_counted_one_grouping_at_a_time(seed):
    """The old computation: one grouped query per table and grouping, percentiles in Python."""
    entities, _items = _random_summary(seed)

    def figures(rows) -> list:  # noqa: ANN001
        return [(f.key, f.name, f.committed_days, f.as_dict()) for f in rows]

    for period in RANDOM_PERIODS:
        for entity_id in (None, entities[2].pk):
            report = statistics_report_uncached(period=period, entity_id=entity_id)
            assert figures(report["by_item"]) == figures(
                service_figures_by_item(period=period, entity_id=entity_id)
            )
            if entity_id is None:
                assert figures(report["by_entity"]) == figures(
                    service_figures_by_entity(period=period)
                )
            assert report["by_month"] == service_figures_by_month(
                period=period, entity_id=entity_id
            )


def test_nearest_ranks_at_their_edges():
    """Histograms whose ranks fall exactly on a boundary (n = 1, 2, 10, 11, 20, 21, …)."""
    entity = AdministrativeEntityFactory()
    cases = {
        1: {5: 1},
        2: {1: 1, 9: 1},
        10: {0: 5, 3: 4, 8: 1},  # P90 rank 9 is the last 3
        11: {0: 5, 3: 4, 8: 2},  # P90 rank 10 is an 8
        20: {2: 10, 4: 8, 6: 2},
        21: {2: 10, 4: 9, 6: 2},
        1000: {1: 500, 2: 400, 3: 99, 30: 1},
        1001: {1: 500, 2: 401, 3: 100},
    }
    day = D(2006, 5, 8)  # the first working day after May Day 2006
    for size, histogram in cases.items():
        assert sum(histogram.values()) == size
        item = ServiceItemFactory(entity=entity)
        ServiceDailySummary.objects.create(entity=entity, item=item, day=day, completed=size)
        ServiceDurationCount.objects.bulk_create(
            ServiceDurationCount(entity=entity, item=item, day=day, workdays=w, count=n)
            for w, n in histogram.items()
        )
    report = statistics_report_uncached(period=period_month(2006, 5))
    by_size = {row.completed: row for row in report["by_item"]}
    for size, histogram in cases.items():
        row = by_size[size]
        assert row.median_and_p90_workdays == (
            median_from_histogram(histogram),
            p90_from_histogram(histogram),
        ), size


# --- Cases moved through the actions, across May Day 2006 and its make-up working days ------


@pytest.mark.parametrize("seed", [4])
def test_the_report_equals_the_figures_counted_case_by_case(boss, seed):
    entities, items = _random_district(boss, seed)
    # the district's cases run across May Day 2006 (holidays) and its make-up working days
    assert not is_workday(D(2006, 5, 1)) and is_workday(D(2006, 4, 29))
    assert (
        ServiceCase.objects.filter(
            accepted_on__lte=D(2006, 4, 28), completed_on__gte=D(2006, 4, 29)
        ).exists()
        or ServiceCase.objects.filter(
            accepted_on__lte=D(2006, 4, 30), completed_on__gte=D(2006, 5, 8)
        ).exists()
    )
    for period in (
        period_half(2006, 1),
        period_month(2006, 4),
        period_month(2006, 5),
        Period(D(2006, 4, 27), D(2006, 5, 9)),
        Period(D(2006, 3, 15), D(2006, 4, 10)),
    ):
        for entity_id in (None, entities[0].pk):
            report = statistics_report_uncached(period=period, entity_id=entity_id)
            direct = _direct(period, entity_id=entity_id)
            totals = report["totals"]
            assert (totals.accepted, totals.completed, totals.on_time) == (
                direct["accepted"],
                direct["completed"],
                direct["on_time"],
            )
            assert totals.deemed_approvals == direct["deemed"]
            assert totals.workdays_histogram == direct["histogram"]
            assert totals.rating_counts == direct["ratings"]
            for row in report["by_item"]:
                by_case = _direct(period, item_id=row.key)
                assert (row.accepted, row.completed) == (by_case["accepted"], by_case["completed"])
                assert row.median_workdays == median_from_histogram(by_case["histogram"])
                assert row.p90_workdays == p90_from_histogram(by_case["histogram"])
            for row in report["by_entity"]:
                by_case = _direct(period, entity_id=row.key)
                assert (row.accepted, row.completed) == (by_case["accepted"], by_case["completed"])
                assert row.median_workdays == median_from_histogram(by_case["histogram"])
                assert row.p90_workdays == p90_from_histogram(by_case["histogram"])
            assert sum(m["completed"] for m in report["by_month"]) == direct["completed"]
    assert len(items) == 3


# --- Queries ---------------------------------------------------------------------------------


def test_the_report_query_count_does_not_grow_with_items_and_rows():
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            statistics_report_uncached(period=period_year(2006))
        return len(queries)

    entity = AdministrativeEntityFactory()
    first = ServiceItemFactory(entity=entity)
    ServiceDailySummary.objects.create(entity=entity, item=first, day=D(2006, 3, 6), completed=1)
    ServiceDurationCount.objects.create(entity=entity, item=first, day=D(2006, 3, 6), workdays=2)
    one = count()
    for n in range(20):
        item = ServiceItemFactory(entity=AdministrativeEntityFactory())
        day = D(2006, 1, 4) + datetime.timedelta(days=n * 9)
        ServiceDailySummary.objects.create(entity=item.entity, item=item, day=day, accepted=n)
        ServiceDurationCount.objects.create(
            entity=item.entity, item=item, day=day, workdays=n, count=n + 1
        )
    assert count() == one


# --- Rates -----------------------------------------------------------------------------------


def test_rates_in_integers_equal_the_decimal_arithmetic():
    """`rate_percent` counts in integers: the same Decimal (value and digits) as before."""
    from decimal import ROUND_HALF_UP, Decimal

    from services.selectors.statistics import rate_percent

    def by_decimal(n: int, d: int) -> Decimal:
        return (Decimal(n) * 100 / Decimal(d)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    rng = random.Random(7)  # noqa: S311 - test data
    pairs = [(n, d) for d in range(1, 160) for n in range(0, d + 2)]  # every tie of small d
    pairs += [(1, 8), (3, 8), (5, 16), (1, 2000), (59_388, 60_351), (60_351, 60_351)]
    pairs += [(rng.randint(0, 2 * d), d) for d in (rng.randint(1, 10**9) for _ in range(20_000))]
    for n, d in pairs:
        assert str(rate_percent(n, d)) == str(by_decimal(n, d)), (n, d)
    assert rate_percent(-1, 8) == by_decimal(-1, 8)  # outside the integer path
    assert rate_percent(5, 0) is None
