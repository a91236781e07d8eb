"""Inspection visits: the draft → submitted → accepted workflow, supervisor scoping, findings,
bad input and the supervisors' component of window stars."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from complaints.actions.supervision import (
    visit_accept,
    visit_finding_add,
    visit_record,
    visit_return,
    visit_submit,
    visit_update,
    window_supervision_scores_record,
)
from complaints.models import InspectionVisit, RectificationProject, VisitFinding
from complaints.selectors.supervision import visits_visible_to
from disclosure.exceptions import TransitionNotAllowed
from services.models import WindowMonthlyScore
from tests.factories.complaints import (
    InspectionVisitFactory,
    RectificationProjectFactory,
    SupervisorFactory,
)
from tests.factories.disclosure import AdministrativeEntityFactory, UserFactory
from tests.factories.services import ServiceWindowFactory

pytestmark = pytest.mark.django_db
S = InspectionVisit.Status
DAY = datetime.date(2024, 5, 10)


@pytest.fixture
def bureau():
    """The bureau of tests/complaints/conftest.py, who also records the windows' monthly
    scores (the supervisors' component of the stars)."""
    return UserFactory(
        perms=["complaints.manage_supervision", "services.record_windowmonthlyscore"]
    )


def _supervisor_user(**kwargs):
    user = UserFactory(perms=["complaints.record_own_visits"], is_staff=True)
    supervisor = SupervisorFactory(user=user, **kwargs)
    return user, supervisor


def _record(by, **overrides):
    values = {
        "kind": InspectionVisit.Kind.UNANNOUNCED,
        "visited_on": DAY,
        "entity": AdministrativeEntityFactory(),
        "topic": "基层站所暗访",
        "summary": "工作人员在岗",
        "private_notes": "线索",
        "score": 88,
    }
    values.update(overrides)
    return visit_record(by=by, **values)


def test_supervisor_records_own_visit_even_when_naming_another() -> None:
    user, own = _supervisor_user()
    other = SupervisorFactory()
    with pytest.raises(PermissionDenied):
        _record(user, supervisor=other)
    visit = _record(user)
    assert visit.supervisor == own
    assert visit.status == S.DRAFT
    assert visit.events.get().to_status == S.DRAFT


def test_user_without_permission_cannot_record() -> None:
    with pytest.raises(PermissionDenied):
        _record(UserFactory())
    # a supervisor record without the permission is not enough either
    user = UserFactory()
    SupervisorFactory(user=user)
    with pytest.raises(PermissionDenied):
        _record(user)
    assert InspectionVisit.objects.count() == 0


def test_supervisor_sees_and_edits_only_own_visits(bureau) -> None:
    user, own = _supervisor_user()
    other_user, _other = _supervisor_user()
    mine = _record(user)
    theirs = _record(other_user)
    assert list(visits_visible_to(user)) == [mine]
    assert set(visits_visible_to(bureau)) == {mine, theirs}
    assert list(visits_visible_to(UserFactory())) == []
    with pytest.raises(PermissionDenied):
        visit_update(visit=theirs, by=user, summary="改")
    with pytest.raises(PermissionDenied):
        visit_submit(visit=theirs, by=user)
    with pytest.raises(PermissionDenied):
        visit_finding_add(
            visit=theirs,
            by=user,
            description="x",
            severity="minor",
            responsible_entity=AdministrativeEntityFactory(),
        )
    visit_update(visit=mine, by=user, summary="已改")
    mine.refresh_from_db()
    assert mine.summary == "已改"


def test_legal_path_and_return(bureau) -> None:
    user, _own = _supervisor_user()
    visit = _record(user)
    visit_submit(visit=visit, by=user)
    assert visit.status == S.SUBMITTED
    # the author can no longer change a submitted record
    with pytest.raises(PermissionDenied):
        visit_update(visit=visit, by=user, summary="改")
    with pytest.raises(ValidationError):
        visit_return(visit=visit, by=bureau, note=" ")
    visit_return(visit=visit, by=bureau, note="请补充发现的问题")
    assert visit.status == S.DRAFT
    visit_submit(visit=visit, by=user)
    visit_accept(visit=visit, by=bureau)
    assert visit.status == S.ACCEPTED
    assert [e.to_status for e in visit.events.all()] == [
        S.DRAFT,
        S.SUBMITTED,
        S.DRAFT,
        S.SUBMITTED,
        S.ACCEPTED,
    ]
    with pytest.raises(PermissionDenied):
        visit_update(visit=visit, by=bureau, summary="改")


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (S.DRAFT, "accept"),
        (S.DRAFT, "return"),
        (S.SUBMITTED, "submit"),
        (S.ACCEPTED, "submit"),
        (S.ACCEPTED, "return"),
        (S.ACCEPTED, "accept"),
    ],
)
def test_illegal_moves(bureau, status, action) -> None:
    visit = InspectionVisitFactory(status=status)
    calls = {
        "submit": lambda: visit_submit(visit=visit, by=bureau),
        "accept": lambda: visit_accept(visit=visit, by=bureau),
        "return": lambda: visit_return(visit=visit, by=bureau, note="退回"),
    }
    with pytest.raises(TransitionNotAllowed):
        calls[action]()
    visit.refresh_from_db()
    assert visit.status == status


def test_supervisor_cannot_accept_own_visit() -> None:
    user, _own = _supervisor_user()
    visit = _record(user)
    visit_submit(visit=visit, by=user)
    with pytest.raises(PermissionDenied):
        visit_accept(visit=visit, by=user)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"entity": None}, "window"),
        ({"visited_on": datetime.date.today() + datetime.timedelta(days=3)}, "visited_on"),
        ({"visited_on": datetime.date(2010, 1, 1)}, "visited_on"),
        ({"score": 101}, "score"),
        ({"kind": "spying"}, "kind"),
        ({"summary": ""}, "summary"),
        ({"topic": ""}, "topic"),
    ],
)
def test_bad_input_gives_field_errors_and_stores_nothing(overrides, field) -> None:
    user, _own = _supervisor_user()
    with pytest.raises(ValidationError) as error:
        _record(user, **overrides)
    assert field in error.value.message_dict
    assert InspectionVisit.objects.count() == 0


def test_finding_bad_input(bureau) -> None:
    visit = InspectionVisitFactory()
    with pytest.raises(ValidationError) as error:
        visit_finding_add(
            visit=visit, by=bureau, description=" ", severity="awful", responsible_entity=None
        )
    assert {"description", "severity", "responsible_entity"} <= set(error.value.message_dict)
    assert VisitFinding.objects.count() == 0


def test_window_supervision_scores(bureau) -> None:
    from services.models import WindowMonthlyScore

    window, quiet = ServiceWindowFactory(), ServiceWindowFactory()
    for score in (80, 91):
        InspectionVisitFactory(window=window, entity=None, score=score, status=S.ACCEPTED)
    InspectionVisitFactory(window=window, entity=None, score=10, status=S.SUBMITTED)
    InspectionVisitFactory(
        window=window,
        entity=None,
        score=10,
        status=S.ACCEPTED,
        visited_on=datetime.date(2024, 6, 1),
    )
    result = window_supervision_scores_record(month=DAY, by=bureau)
    assert result.windows == 1
    row = WindowMonthlyScore.objects.get(window=window)
    assert row.component == WindowMonthlyScore.Component.SUPERVISOR_INSPECTION
    assert row.month == datetime.date(2024, 5, 1)
    assert row.score == Decimal("85.50")
    assert not WindowMonthlyScore.objects.filter(window=quiet).exists()
    # idempotent
    window_supervision_scores_record(month=DAY, by=bureau)
    assert WindowMonthlyScore.objects.count() == 1
    with pytest.raises(PermissionDenied):
        window_supervision_scores_record(month=DAY, by=UserFactory())


def test_overdue_rectification_projects_lower_the_windows_supervision_score(bureau) -> None:
    # given a window visited in May 2024 (mean 85.5) with two projects opened from its visits:
    # one past due and open at the month's end, one completed in time; and a second window with
    # no visit that month but an overdue project
    window, other = ServiceWindowFactory(), ServiceWindowFactory()
    visits = [
        InspectionVisitFactory(window=window, entity=None, score=score, status=S.ACCEPTED)
        for score in (80, 91)
    ]
    earlier = InspectionVisitFactory(
        window=other, entity=None, score=70, status=S.ACCEPTED, visited_on=datetime.date(2024, 3, 1)
    )
    P = RectificationProject
    RectificationProjectFactory(
        source=P.Source.VISIT, source_visit=visits[0], due_date=datetime.date(2024, 5, 20)
    )
    RectificationProjectFactory(
        source=P.Source.VISIT,
        source_visit=visits[1],
        due_date=datetime.date(2024, 5, 20),
        status=P.Status.COMPLETED,
        completed_on=datetime.date(2024, 5, 15),
        completion_summary="已整改",
    )
    RectificationProjectFactory(
        source=P.Source.VISIT,
        source_visit=earlier,
        due_date=datetime.date(2024, 4, 30),
        status=P.Status.COMPLETED,
        completed_on=datetime.date(2024, 6, 3),  # done only after May ended
        completion_summary="已整改",
    )

    # when May's component is recorded
    result = window_supervision_scores_record(month=DAY, by=bureau)

    # then each overdue project costs its window ten points, and the basis says so
    assert result.windows == 2
    row = WindowMonthlyScore.objects.get(window=window)
    assert row.score == Decimal("75.50")
    assert "10" in row.basis
    assert WindowMonthlyScore.objects.get(window=other).score == Decimal("90.00")
