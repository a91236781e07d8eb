"""Ratings (好差评): one per completed case, bad ones rectified, appeals decided elsewhere."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from disclosure.exceptions import TransitionNotAllowed
from disclosure.models.memberships import EntityMembership
from services.actions.ratings import (
    rating_appeal_decide,
    rating_appeal_submit,
    rating_submit,
    rectification_call_back,
    rectification_complete,
    rectification_follow_up,
)
from services.models import Rating, RatingSettings, RectificationTask, ServiceCase
from tests.factories.disclosure import AdministrativeEntityFactory, UserFactory
from tests.factories.services import ServiceCaseFactory, ServiceWindowFactory

D = datetime.date
pytestmark = pytest.mark.django_db
PERMS = [
    "services.record_rating",
    "services.handle_rectificationtask",
    "disclosure.act_for_all_entities",
]


@pytest.fixture
def clerk():
    return UserFactory(perms=PERMS)


@pytest.fixture
def done_case():
    return ServiceCaseFactory(
        window=ServiceWindowFactory(),
        received_on=D(2006, 3, 6),
        accepted_on=D(2006, 3, 6),
        due_date=D(2006, 3, 8),
        completed_on=D(2006, 3, 7),
        status=ServiceCase.Status.COMPLETED,
        result=ServiceCase.Result.APPROVED,
    )


def _rate(case, clerk, level=5, **kw):
    values = {"channel": "window", "indicators": {"overall": level}, "on": D(2006, 3, 7)}
    values.update(kw)
    return rating_submit(case=case, by=clerk, level=level, **values)


def test_a_good_rating_opens_no_task(done_case, clerk):
    rating = _rate(done_case, clerk, 5)
    assert rating.window_id == done_case.window_id
    assert rating.rated_on == D(2006, 3, 7)
    assert not RectificationTask.objects.exists()


def test_a_bad_rating_opens_a_task_due_in_the_configured_workdays(done_case, clerk):
    rating = _rate(done_case, clerk, 2)
    task = rating.rectification
    assert task.status == RectificationTask.Status.OPEN
    assert task.workdays == 15
    assert task.entity_id == done_case.entity_id
    assert task.due_date == D(2006, 3, 28)  # 15 working days after Tue 7 March
    assert task.events.get().to_status == "open"


def test_the_rectification_period_is_configurable(done_case, clerk):
    RatingSettings.objects.update_or_create(pk=1, defaults={"rectification_workdays": 5})
    task = _rate(done_case, clerk, 1).rectification
    assert (task.workdays, task.due_date) == (5, D(2006, 3, 14))


@pytest.mark.parametrize(
    ("level", "channel", "indicators", "field"),
    [
        (6, "window", {}, "level"),
        (0, "window", {}, "level"),
        (5, "fax", {}, "channel"),
        (5, "window", {"platform_usability": 5}, "indicators"),  # an online indicator
        (5, "online", {"service_attitude": 5}, "indicators"),  # an offline indicator
        (5, "online", {"overall": 9}, "indicators"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(
    done_case, clerk, level, channel, indicators, field
):
    with pytest.raises(ValidationError) as error:
        rating_submit(case=done_case, by=clerk, level=level, channel=channel, indicators=indicators)
    assert field in error.value.message_dict
    assert not Rating.objects.exists()


def test_one_rating_per_completed_case_only(done_case, clerk):
    open_case = ServiceCaseFactory(status=ServiceCase.Status.ACCEPTED, accepted_on=D(2026, 1, 5))
    with pytest.raises(ValidationError):
        _rate(open_case, clerk)
    _rate(done_case, clerk)
    with pytest.raises(ValidationError):
        _rate(done_case, clerk, 1)
    assert Rating.objects.count() == 1
    assert not RectificationTask.objects.exists()


def test_real_name_needs_a_phone_and_anonymous_keeps_no_contact(done_case, clerk):
    with pytest.raises(ValidationError) as error:
        _rate(done_case, clerk, is_real_name=True)
    assert "rater_phone" in error.value.message_dict
    rating = _rate(done_case, clerk, rater_name="某人", rater_phone="139")
    assert (rating.rater_name, rating.rater_phone) == ("", "")


def test_rating_needs_the_permission(done_case):
    with pytest.raises(PermissionDenied):
        _rate(done_case, UserFactory())


def test_the_rectification_workflow_legal_moves(done_case, clerk):
    task = _rate(done_case, clerk, 1).rectification
    rectification_call_back(task=task, by=clerk, kind="deadline", note="已回访")
    assert (task.status, task.kind) == ("called_back", "deadline")
    rectification_complete(task=task, by=clerk, note="已培训窗口人员")
    assert task.status == "rectified"
    rectification_follow_up(task=task, by=clerk, level=4, channel="hotline")
    task.refresh_from_db()
    assert task.status == "closed"
    assert task.follow_up_rating.kind == Rating.Kind.FOLLOW_UP
    assert [e.to_status for e in task.events.all()] == [
        "open",
        "called_back",
        "rectified",
        "closed",
    ]
    # the follow-up does not count as a second rating
    assert Rating.objects.counted().count() == 1


def test_the_rectification_workflow_refuses_illegal_moves(done_case, clerk):
    task = _rate(done_case, clerk, 1).rectification
    with pytest.raises(TransitionNotAllowed):
        rectification_complete(task=task, by=clerk, note="跳过回访")
    with pytest.raises(ValidationError):
        rectification_follow_up(task=task, by=clerk, level=5, channel="hotline")
    with pytest.raises(ValidationError):
        rectification_call_back(task=task, by=clerk, kind="whatever", note="")
    rectification_call_back(task=task, by=clerk, kind="explanation", note="已回访")
    with pytest.raises(TransitionNotAllowed):
        rectification_call_back(task=task, by=clerk, kind="explanation", note="再次回访")
    rectification_complete(task=task, by=clerk, note="已解释")
    rectification_follow_up(task=task, by=clerk, level=5, channel="hotline")
    with pytest.raises(ValidationError):
        rectification_follow_up(task=task, by=clerk, level=5, channel="hotline")
    assert Rating.objects.filter(kind="follow_up").count() == 1


def test_another_department_cannot_handle_the_task(done_case, clerk):
    task = _rate(done_case, clerk, 1).rectification
    outsider = UserFactory(perms=["services.handle_rectificationtask"])
    EntityMembership.objects.create(user=outsider, entity=AdministrativeEntityFactory())
    with pytest.raises(PermissionDenied):
        rectification_call_back(task=task, by=outsider, kind="immediate", note="x")


def test_an_appeal_is_decided_by_another_department(done_case, clerk):
    rating = _rate(done_case, clerk, 1)
    appeal = rating_appeal_submit(rating=rating, by=clerk, reason="恶意差评")
    rating.refresh_from_db()
    assert rating.status == Rating.Status.UNDER_APPEAL
    decider = UserFactory(perms=["services.decide_ratingappeal"])
    supervising = AdministrativeEntityFactory(name="西岗区监察局测试")
    EntityMembership.objects.create(user=decider, entity=supervising)
    # the rated department may not decide its own appeal
    with pytest.raises(ValidationError):
        rating_appeal_decide(
            appeal=appeal, by=decider, deciding_entity=done_case.entity, uphold=True, note="x"
        )
    # nor an official of the rated department acting in another's name
    insider = UserFactory(perms=["services.decide_ratingappeal"])
    EntityMembership.objects.create(user=insider, entity=done_case.entity)
    with pytest.raises(PermissionDenied):
        rating_appeal_decide(
            appeal=appeal, by=insider, deciding_entity=supervising, uphold=True, note="x"
        )
    rating_appeal_decide(
        appeal=appeal, by=decider, deciding_entity=supervising, uphold=True, note="理由成立"
    )
    rating.refresh_from_db()
    assert rating.status == Rating.Status.EXCLUDED
    assert not Rating.objects.counted().exists()
    assert rating.rectification.status == RectificationTask.Status.CANCELLED
    with pytest.raises(ValidationError):
        rating_appeal_decide(
            appeal=appeal, by=decider, deciding_entity=supervising, uphold=False, note="再议"
        )


def test_a_rejected_appeal_leaves_the_rating_counted(done_case, clerk):
    rating = _rate(done_case, clerk, 2)
    appeal = rating_appeal_submit(rating=rating, by=clerk, reason="恶意差评")
    with pytest.raises(ValidationError):
        rating_appeal_submit(rating=rating, by=clerk, reason="再次申诉")
    other = AdministrativeEntityFactory()
    decider = UserFactory(perms=["services.decide_ratingappeal", "disclosure.act_for_all_entities"])
    rating_appeal_decide(
        appeal=appeal, by=decider, deciding_entity=other, uphold=False, note="不成立"
    )
    rating.refresh_from_db()
    assert rating.status == Rating.Status.VALID
    assert Rating.objects.counted().count() == 1
    assert rating.rectification.status == RectificationTask.Status.OPEN
