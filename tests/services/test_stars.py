"""Window stars: the formula, recorded components, monthly computation from records."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from services.actions.stars import window_score_record, window_scores_compute
from services.models import Rating, ServiceCase, WindowMonthlyScore
from services.models.stars import rating_component_score, stars_from_scores, weighted_score
from tests.factories.disclosure import UserFactory
from tests.factories.services import ServiceCaseFactory, ServiceWindowFactory

D = datetime.date


def test_the_star_formula():
    assert stars_from_scores({}) is None
    assert stars_from_scores({"ratings": Decimal(100)}) == 5
    assert weighted_score({"ratings": 100, "on_time": 90}) == Decimal("95.71")
    assert stars_from_scores({"ratings": 100, "on_time": 90}) == 5
    assert stars_from_scores({"ratings": 90, "on_time": 80, "inspections": 85}) == 4
    assert stars_from_scores({"ratings": 80, "on_time": 70, "inspections": 75}) == 3
    assert stars_from_scores({"ratings": 60, "on_time": 60}) == 2
    assert stars_from_scores({"ratings": 40}) == 1
    # a component another app records (supervisor inspections) joins the weighted mean
    assert weighted_score({"ratings": 100, "supervisor_inspection": 70}) == Decimal("90.00")
    assert rating_component_score(Decimal("4.75")) == Decimal("95.00")


@pytest.mark.django_db
def test_monthly_scores_from_records_and_recorded_components():
    officer = UserFactory(perms=["services.record_windowmonthlyscore"])
    window = ServiceWindowFactory()
    common = {
        "window": window,
        "received_on": D(2006, 3, 6),
        "accepted_on": D(2006, 3, 6),
        "due_date": D(2006, 3, 8),
        "status": ServiceCase.Status.COMPLETED,
        "result": "approved",
    }
    on_time = ServiceCaseFactory(completed_on=D(2006, 3, 7), **common)
    late = ServiceCaseFactory(completed_on=D(2006, 3, 10), **common)
    Rating.objects.create(
        case=on_time, level=5, channel="window", rated_on=D(2006, 3, 7), window=window
    )
    Rating.objects.create(
        case=late, level=4, channel="window", rated_on=D(2006, 3, 10), window=window
    )
    Rating.objects.create(
        case=ServiceCaseFactory(completed_on=D(2006, 3, 7), **common),
        level=1,
        channel="window",
        rated_on=D(2006, 3, 7),
        window=window,
        status=Rating.Status.EXCLUDED,
    )

    result = window_scores_compute(month=D(2006, 3, 15), by=officer)
    assert result.rows == 2
    scores = dict(WindowMonthlyScore.objects.values_list("component", "score"))
    assert scores == {"ratings": Decimal("90.00"), "on_time": Decimal("66.70")}
    window_scores_compute(month=D(2006, 3, 1), by=officer)  # idempotent
    assert WindowMonthlyScore.objects.count() == 2

    window_score_record(
        window=window, month=D(2006, 3, 20), component="inspections", score=95, by=officer
    )
    row = WindowMonthlyScore.objects.get(component="inspections")
    assert row.month == D(2006, 3, 1)
    for bad in ({"component": "nope", "score": 50}, {"component": "inspections", "score": 101}):
        with pytest.raises(ValidationError):
            window_score_record(window=window, month=D(2006, 3, 1), by=officer, **bad)
    with pytest.raises(PermissionDenied):
        window_scores_compute(month=D(2006, 3, 1), by=UserFactory())
