"""Service statistics: the arithmetic (pure functions) and the figures from case records."""

from decimal import Decimal

import pytest

from services.selectors.statistics import (
    completion_rate,
    histogram_merge,
    median_from_histogram,
    on_time_rate,
    p90_from_histogram,
    percentile_from_histogram,
    rate_percent,
    rating_distribution,
    rating_mean,
    satisfaction_percent,
)

# --- The arithmetic ---------------------------------------------------------------------------


def test_completion_rate_of_the_seed_is_98_4_percent():
    assert completion_rate(completed=59_388, accepted=60_351) == Decimal("98.4")


def test_rates_round_half_up_to_one_decimal_and_are_none_without_a_denominator():
    assert rate_percent(1, 8) == Decimal("12.5")
    assert rate_percent(1, 3) == Decimal("33.3")
    assert rate_percent(2, 3) == Decimal("66.7")
    assert rate_percent(0, 5) == Decimal("0.0")
    assert rate_percent(5, 5) == Decimal("100.0")
    assert rate_percent(0, 0) is None
    assert on_time_rate(on_time=0, completed=0) is None
    assert on_time_rate(on_time=19, completed=20) == Decimal("95.0")


def test_median_and_p90_by_nearest_rank():
    # 1,1,2,2,2,3,4,5,8,10 -> median rank 5 = 2; p90 rank 9 = 8
    histogram = {1: 2, 2: 3, 3: 1, 4: 1, 5: 1, 8: 1, 10: 1}
    assert median_from_histogram(histogram) == 2
    assert p90_from_histogram(histogram) == 8
    assert percentile_from_histogram(histogram, 1.0) == 10


def test_percentiles_of_one_value_empty_and_zero_counts():
    assert median_from_histogram({3: 1}) == 3
    assert p90_from_histogram({3: 1}) == 3
    assert median_from_histogram({}) is None
    assert p90_from_histogram({2: 0}) is None
    assert median_from_histogram({0: 4, 7: 0, 1: 4}) == 0


def test_percentile_of_an_even_count_takes_the_lower_middle():
    assert median_from_histogram({1: 1, 2: 1}) == 1
    assert median_from_histogram({1: 1, 2: 2}) == 2


def test_percentile_rejects_q_out_of_range():
    with pytest.raises(ValueError):
        percentile_from_histogram({1: 1}, 0)
    with pytest.raises(ValueError):
        percentile_from_histogram({1: 1}, 1.5)


def test_histogram_merge_adds_repeated_values():
    assert histogram_merge([(1, 2), (2, 1), (1, 3)]) == {1: 5, 2: 1}


def test_rating_distribution_lists_every_level_with_shares():
    rows = rating_distribution({5: 6, 4: 2, 1: 2})
    assert [row["level"] for row in rows] == [5, 4, 3, 2, 1]
    assert [row["count"] for row in rows] == [6, 2, 0, 0, 2]
    assert [row["percent"] for row in rows] == [
        Decimal("60.0"),
        Decimal("20.0"),
        Decimal("0.0"),
        Decimal("0.0"),
        Decimal("20.0"),
    ]
    assert rating_mean({5: 6, 4: 2, 1: 2}) == Decimal("4.00")
    assert satisfaction_percent({5: 6, 4: 2, 1: 2}) == Decimal("80.0")


def test_rating_figures_without_ratings():
    assert [row["percent"] for row in rating_distribution({})] == [None] * 5
    assert rating_mean({}) is None
    assert satisfaction_percent({}) is None


# --- The figures from records -----------------------------------------------------------------

import datetime  # noqa: E402

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from services.actions.summaries import service_summaries_rebuild  # noqa: E402
from services.models import Rating, ServiceCase, ServiceCasePause  # noqa: E402
from services.selectors.statistics import (  # noqa: E402
    period_half,
    period_month,
    period_year,
    service_figures,
    service_figures_by_entity,
    service_figures_by_item,
    service_figures_by_month,
)
from tests.factories.services import (  # noqa: E402
    ConsultationCountFactory,
    ServiceCaseFactory,
    ServiceItemFactory,
)

D = datetime.date


def _case(item, *, accepted, completed=None, due=None, deemed=None):
    values = {
        "item": item,
        "received_on": accepted,
        "accepted_on": accepted,
        "due_date": due,
        "status": ServiceCase.Status.ACCEPTED,
    }
    if completed:
        values.update(
            status=ServiceCase.Status.COMPLETED,
            completed_on=completed,
            result=ServiceCase.Result.APPROVED,
            deemed_approved_on=deemed,
        )
    return ServiceCaseFactory(**values)


def _rating(case, level, **extra):
    return Rating.objects.create(
        case=case, level=level, channel=Rating.Channel.WINDOW, rated_on=case.completed_on, **extra
    )


@pytest.fixture
def small_centre(db):
    """Two items in two departments, with every figure worked out by hand (see the asserts)."""
    a = ServiceItemFactory(committed_days=2, statutory_days=10)
    b = ServiceItemFactory(committed_days=5, statutory_days=10)
    ConsultationCountFactory(item=a, date=D(2006, 3, 1), count=10)
    ConsultationCountFactory(item=a, date=D(2006, 4, 1), count=5)
    ConsultationCountFactory(item=b, date=D(2006, 3, 2), count=7)
    ConsultationCountFactory(item=b, date=D(2006, 7, 1), count=100)  # outside the half-year
    a1 = _case(a, accepted=D(2006, 3, 6), completed=D(2006, 3, 7), due=D(2006, 3, 8))  # 1 wd
    a2 = _case(a, accepted=D(2006, 3, 6), completed=D(2006, 3, 8), due=D(2006, 3, 8))  # 2 wd
    a3 = _case(  # 4 wd, late, deemed approved
        a, accepted=D(2006, 3, 6), completed=D(2006, 3, 10), due=D(2006, 3, 8), deemed=D(2006, 3, 9)
    )
    _case(a, accepted=D(2006, 3, 6), due=D(2006, 3, 8))  # still open
    b1 = _case(b, accepted=D(2006, 3, 6), completed=D(2006, 3, 13), due=D(2006, 3, 15))
    ServiceCasePause.objects.create(
        case=b1, reason="expert_review", first=D(2006, 3, 8), last=D(2006, 3, 9)
    )  # 5 wd elapsed, 2 paused -> 3
    _case(b, accepted=D(2006, 6, 29), completed=D(2006, 7, 3), due=D(2006, 7, 6))
    _rating(a1, 5)
    _rating(a2, 4)
    _rating(a3, 1)
    _rating(b1, 2, status=Rating.Status.EXCLUDED)  # upheld appeal: not counted
    Rating.objects.create(
        case=a3, level=3, kind=Rating.Kind.FOLLOW_UP, channel="window", rated_on=D(2006, 3, 20)
    )
    # The pause and ratings were stored around the actions: the rebuild counts them.
    service_summaries_rebuild()
    return a, b


def test_figures_of_the_half_year_by_hand(small_centre):
    figures = service_figures(period=period_half(2006, 1))
    assert figures.consultations == 22
    assert figures.accepted == 6
    assert figures.completed == 4
    assert figures.completion_rate == Decimal("66.7")
    assert figures.on_time == 3
    assert figures.on_time_rate == Decimal("75.0")
    assert figures.deemed_approvals == 1
    assert figures.workdays_histogram == {1: 1, 2: 1, 4: 1, 3: 1}
    assert figures.median_workdays == 2
    assert figures.p90_workdays == 4
    assert figures.rating_counts == {5: 1, 4: 1, 1: 1}
    assert figures.rating_mean == Decimal("3.33")


def test_figures_per_item_and_department(small_centre):
    a, b = small_centre
    by_item = {row.key: row for row in service_figures_by_item(period=period_half(2006, 1))}
    assert set(by_item) == {a.pk, b.pk}
    fa, fb = by_item[a.pk], by_item[b.pk]
    assert (fa.consultations, fa.accepted, fa.completed, fa.on_time, fa.deemed_approvals) == (
        15,
        4,
        3,
        2,
        1,
    )
    assert fa.completion_rate == Decimal("75.0")
    assert fa.on_time_rate == Decimal("66.7")
    assert (fa.median_workdays, fa.p90_workdays, fa.committed_days) == (2, 4, 2)
    assert fa.within_commitment is True
    assert fa.rating_counts == {5: 1, 4: 1, 1: 1}
    assert (fb.consultations, fb.accepted, fb.completed, fb.on_time) == (7, 2, 1, 1)
    assert (fb.completion_rate, fb.on_time_rate) == (Decimal("50.0"), Decimal("100.0"))
    assert (fb.median_workdays, fb.p90_workdays) == (3, 3)
    assert fb.rating_counts == {}
    by_entity = {row.key: row for row in service_figures_by_entity(period=period_half(2006, 1))}
    assert by_entity[a.entity_id].accepted == 4
    assert by_entity[b.entity_id].completed == 1
    one = service_figures(period=period_half(2006, 1), item_id=a.pk)
    assert (one.accepted, one.completed, one.consultations) == (4, 3, 15)
    dept = service_figures(period=period_half(2006, 1), entity_id=b.entity_id)
    assert (dept.accepted, dept.completed, dept.consultations) == (2, 1, 7)


def test_figures_of_other_periods(small_centre):
    march = service_figures(period=period_month(2006, 3))
    assert (march.consultations, march.accepted, march.completed) == (17, 5, 4)
    year = service_figures(period=period_year(2006))
    assert (year.consultations, year.accepted, year.completed) == (122, 6, 5)
    months = service_figures_by_month(period=period_half(2006, 1))
    assert [m["month"] for m in months] == [D(2006, m, 1) for m in range(1, 7)]
    assert [(m["accepted"], m["completed"]) for m in months] == [
        (0, 0),
        (0, 0),
        (5, 4),
        (0, 0),
        (0, 0),
        (1, 0),
    ]
    empty = service_figures(period=period_year(2005))
    assert (empty.accepted, empty.completion_rate, empty.median_workdays) == (0, None, None)


def test_statistics_query_count_does_not_grow_with_cases(db):
    item = ServiceItemFactory()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            service_figures(period=period_half(2006, 1))
            service_figures_by_item(period=period_half(2006, 1))
        return len(queries)

    _case(item, accepted=D(2006, 3, 6), completed=D(2006, 3, 7), due=D(2006, 3, 8))
    one = count()
    for day in range(1, 20):
        _case(item, accepted=D(2006, 4, 3), completed=D(2006, 4, 3 + day % 4), due=D(2006, 4, 5))
    assert count() == one


# --- The seed's half-year, from the demo's records ----------------------------------------------


def test_demo_first_half_of_2006_reproduces_the_seed(db):
    """75,095 consultations, 60,351 accepted, 59,388 completed, 98.4% — counted, not typed in."""
    import io

    from disclosure import demo as disclosure_demo
    from services import demo as services_demo
    from workdays import demo as workdays_demo

    out = io.StringIO()
    workdays_demo.load(out=out)
    disclosure_demo.load(out=out)
    services_demo.load(out=out)

    figures = service_figures(period=period_half(2006, 1))
    assert figures.consultations == 75_095
    assert figures.accepted == 60_351
    assert figures.completed == 59_388
    assert figures.completion_rate == Decimal("98.4")
    assert figures.deemed_approvals > 0
    assert figures.median_workdays is not None
    assert figures.median_workdays <= 2
    assert sum(figures.rating_counts.values()) > 3_000

    from services.models import AnnualInspectionItem, RectificationTask, WindowMonthlyScore

    inspections = AnnualInspectionItem.objects.filter(year=2006)
    assert inspections.count() == 24
    assert inspections.values("unit").distinct().count() == 14
    assert inspections.filter(status="kept").count() == 24
    assert not inspections.filter(status="added").exists()
    assert RectificationTask.objects.count() == 24
    assert RectificationTask.objects.filter(status="closed").count() > 0
    assert (
        WindowMonthlyScore.objects.filter(month__year=2006).values("month").distinct().count() == 6
    )

    # Every bulk-inserted case, rating and material has its history row.
    demo_cases = ServiceCase.objects.filter(case_no__startswith="XG2006-")
    with_history = ServiceCase.history.filter(case_no__startswith="XG2006-").values("id")
    assert with_history.distinct().count() == demo_cases.count()
    assert Rating.history.values("id").distinct().count() == Rating.objects.count()
    from services.models import ServiceMaterial

    assert ServiceMaterial.history.count() >= ServiceMaterial.objects.count() > 0
    from services.models import ConsultationCount, JointMeetingDecision

    for model in (ConsultationCount, JointMeetingDecision):
        assert model.history.values("id").distinct().count() == model.objects.count() > 0

    before = (Rating.objects.count(), WindowMonthlyScore.objects.count())
    services_demo.load(out=out)  # idempotent
    assert (Rating.objects.count(), WindowMonthlyScore.objects.count()) == before
    figures = service_figures(period=period_half(2006, 1))
    assert (figures.accepted, figures.completed) == (60_351, 59_388)  # the rebuild's again
