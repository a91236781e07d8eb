"""Rectification tasks and rating appeals through the admin: call-back, rectification,
follow-up rating, appeal and its decision by another department; illegal moves refused."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from disclosure.models.memberships import EntityMembership
from services.actions.ratings import rating_appeal_submit, rating_submit
from services.models import Rating, RatingAppeal, RectificationTask, ServiceCase
from tests.factories.disclosure import AdministrativeEntityFactory, UserFactory
from tests.factories.services import ServiceCaseFactory, ServiceItemFactory, ServiceWindowFactory
from tests.factories.workflow import seen_url, step_name

pytestmark = pytest.mark.django_db
D = datetime.date
T = RectificationTask.Status


@pytest.fixture
def handler(department):
    user = UserFactory(
        perms=[
            "services.handle_rectificationtask",
            "services.view_rectificationtask",
            "services.view_rating",
            "services.view_ratingappeal",
        ]
    )
    EntityMembership.objects.create(user=user, entity=department)
    return user


@pytest.fixture
def bad_rating(department):
    case = ServiceCaseFactory(
        item=ServiceItemFactory(entity=department),
        window=ServiceWindowFactory(),
        received_on=D(2006, 3, 6),
        accepted_on=D(2006, 3, 6),
        due_date=D(2006, 3, 8),
        completed_on=D(2006, 3, 7),
        status=ServiceCase.Status.COMPLETED,
        result=ServiceCase.Result.APPROVED,
    )
    recorder = UserFactory(perms=["services.record_rating", "disclosure.act_for_all_entities"])
    return rating_submit(
        case=case,
        by=recorder,
        level=1,
        channel="window",
        is_real_name=True,
        rater_name="张三",
        rater_phone="13900000001",
        on=D(2006, 3, 7),
    )


def _task_url(task, step):
    return seen_url(
        reverse("admin:services_rectificationtask_workflow", args=[task.pk, step]), task
    )


def _steps(client, admin_name, obj):
    response = client.get(reverse(f"admin:services_{admin_name}_change", args=[obj.pk]))
    assert response.status_code == 200
    return {step_name(b["url"]) for b in response.context["workflow_buttons"]}


def _errors(response):
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def test_the_task_moves_through_call_back_rectification_and_follow_up(client, handler, bad_rating):
    task = bad_rating.rectification
    client.force_login(handler)
    assert _steps(client, "rectificationtask", task) == {"call_back"}

    response = client.post(
        _task_url(task, "call_back"),
        {"kind": "deadline", "call_back_note": "回访：反映属实", "on": "2006-03-08"},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.kind, task.called_back_on) == (
        T.CALLED_BACK,
        "deadline",
        D(2006, 3, 8),
    )
    assert task.call_back_note == "回访：反映属实"
    assert _steps(client, "rectificationtask", task) == {"rectified"}

    client.post(
        _task_url(task, "rectified"), {"rectification_note": "修订告知单", "on": "2006-03-10"}
    )
    task.refresh_from_db()
    assert (task.status, task.rectified_on) == (T.RECTIFIED, D(2006, 3, 10))

    client.post(
        _task_url(task, "follow_up"),
        {"level": "4", "channel": "hotline", "comment": "满意", "on": "2006-03-13"},
    )
    task.refresh_from_db()
    assert task.status == T.CLOSED
    follow_up = task.follow_up_rating
    assert (follow_up.kind, follow_up.level, follow_up.rated_on) == ("follow_up", 4, D(2006, 3, 13))
    assert list(task.events.values_list("to_status", flat=True)) == [
        T.OPEN,
        T.CALLED_BACK,
        T.RECTIFIED,
        T.CLOSED,
    ]
    assert task.events.last().actor == handler
    assert task.history.count() >= 4
    assert _steps(client, "rectificationtask", task) == set()


def test_a_call_back_without_its_record_is_a_field_error(client, handler, bad_rating):
    task = bad_rating.rectification
    client.force_login(handler)
    response = client.post(
        _task_url(task, "call_back"),
        {"kind": "deadline", "call_back_note": " ", "on": "2006-03-08"},
    )
    assert response.status_code == 200
    assert "call_back_note" in response.context["form"].errors
    task.refresh_from_db()
    assert task.status == T.OPEN


@pytest.mark.parametrize(
    ("step", "data"),
    [
        ("rectified", {"rectification_note": "提前整改", "on": "2006-03-08"}),
        ("follow_up", {"level": "5", "channel": "hotline", "on": "2006-03-08"}),
    ],
)
def test_illegal_task_moves_are_refused_and_change_nothing(client, handler, bad_rating, step, data):
    task = bad_rating.rectification
    client.force_login(handler)
    response = client.post(_task_url(task, step), data)
    assert response.status_code == 302
    assert _errors(response)
    task.refresh_from_db()
    assert task.status == T.OPEN and task.events.count() == 1
    assert Rating.objects.filter(kind="follow_up").count() == 0


def test_a_second_follow_up_rating_is_refused(client, handler, bad_rating):
    task = bad_rating.rectification
    client.force_login(handler)
    client.post(
        _task_url(task, "call_back"),
        {"kind": "explanation", "call_back_note": "已解释", "on": "2006-03-08"},
    )
    client.post(_task_url(task, "rectified"), {"rectification_note": "已解释", "on": "2006-03-08"})
    follow_up = {"level": "5", "channel": "hotline", "on": "2006-03-09"}
    client.post(_task_url(task, "follow_up"), follow_up)
    response = client.post(_task_url(task, "follow_up"), follow_up)
    assert _errors(response)
    assert Rating.objects.filter(kind="follow_up").count() == 1


def test_another_departments_task_is_404(client, bad_rating):
    other = UserFactory(
        perms=["services.handle_rectificationtask", "services.view_rectificationtask"]
    )
    EntityMembership.objects.create(user=other, entity=AdministrativeEntityFactory())
    client.force_login(other)
    task = bad_rating.rectification
    response = client.post(
        _task_url(task, "call_back"),
        {"kind": "deadline", "call_back_note": "回访", "on": "2006-03-08"},
    )
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.status == T.OPEN


# --- Appeals ------------------------------------------------------------------------------------


@pytest.fixture
def supervisor():
    """An official of the supervising department (监察局), who decides appeals."""
    supervising = AdministrativeEntityFactory(name="西岗区监察局")
    user = UserFactory(perms=["services.decide_ratingappeal", "services.view_ratingappeal"])
    EntityMembership.objects.create(user=user, entity=supervising)
    return user, supervising


def _appeal(client, handler, rating):
    client.force_login(handler)
    assert _steps(client, "rating", rating) == {"appeal"}
    response = client.post(
        seen_url(reverse("admin:services_rating_workflow", args=[rating.pk, "appeal"]), rating),
        {"reason": "恶意差评：评价与办理情况不符"},
    )
    assert response.status_code == 302
    return RatingAppeal.objects.get(rating=rating)


def _decide_url(appeal):
    return seen_url(
        reverse("admin:services_ratingappeal_workflow", args=[appeal.pk, "decide"]), appeal
    )


def test_an_appeal_upheld_by_another_department_excludes_the_rating(
    client, handler, bad_rating, supervisor
):
    appeal = _appeal(client, handler, bad_rating)
    bad_rating.refresh_from_db()
    assert bad_rating.status == Rating.Status.UNDER_APPEAL
    assert _steps(client, "rating", bad_rating) == set()  # appealed once only
    assert _steps(client, "ratingappeal", appeal) == set()  # not by the rated department

    official, supervising = supervisor
    client.force_login(official)
    assert _steps(client, "ratingappeal", appeal) == {"decide"}
    response = client.post(
        _decide_url(appeal),
        {"deciding_entity": supervising.pk, "uphold": "1", "decision_note": "调阅录像，理由成立"},
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    bad_rating.refresh_from_db()
    assert (appeal.status, appeal.deciding_entity, appeal.decided_by) == (
        RatingAppeal.Status.UPHELD,
        supervising,
        official,
    )
    assert bad_rating.status == Rating.Status.EXCLUDED
    assert bad_rating.rectification.status == T.CANCELLED
    assert _steps(client, "ratingappeal", appeal) == set()


def test_a_rejected_appeal_leaves_the_rating_counted(client, handler, bad_rating, supervisor):
    appeal = _appeal(client, handler, bad_rating)
    official, supervising = supervisor
    client.force_login(official)
    client.post(
        _decide_url(appeal),
        {"deciding_entity": supervising.pk, "uphold": "0", "decision_note": "差评有效"},
    )
    appeal.refresh_from_db()
    bad_rating.refresh_from_db()
    assert appeal.status == RatingAppeal.Status.REJECTED
    assert bad_rating.status == Rating.Status.VALID
    assert bad_rating.rectification.status == T.OPEN


def test_the_rated_department_cannot_decide_its_own_appeal(client, department, handler, bad_rating):
    appeal = _appeal(client, handler, bad_rating)
    own_decider = UserFactory(perms=["services.decide_ratingappeal", "services.view_ratingappeal"])
    EntityMembership.objects.create(user=own_decider, entity=department)
    client.force_login(own_decider)
    assert _steps(client, "ratingappeal", appeal) == set()
    response = client.post(
        _decide_url(appeal),
        {"deciding_entity": department.pk, "uphold": "1", "decision_note": "自己裁决"},
    )
    assert response.status_code == 302
    assert _errors(response)
    appeal.refresh_from_db()
    bad_rating.refresh_from_db()
    assert appeal.status == RatingAppeal.Status.SUBMITTED
    assert bad_rating.status == Rating.Status.UNDER_APPEAL


def test_the_deciding_department_must_be_the_officials_own(client, handler, bad_rating, supervisor):
    appeal = _appeal(client, handler, bad_rating)
    official, _supervising = supervisor
    client.force_login(official)
    elsewhere = AdministrativeEntityFactory()
    response = client.post(
        _decide_url(appeal),
        {"deciding_entity": elsewhere.pk, "uphold": "1", "decision_note": "代为裁决"},
    )
    assert response.status_code == 200
    assert "deciding_entity" in response.context["form"].errors
    appeal.refresh_from_db()
    assert appeal.status == RatingAppeal.Status.SUBMITTED


def test_a_decided_appeal_cannot_be_decided_again(client, handler, bad_rating, supervisor):
    appeal = _appeal(client, handler, bad_rating)
    official, supervising = supervisor
    client.force_login(official)
    data = {"deciding_entity": supervising.pk, "uphold": "0", "decision_note": "差评有效"}
    client.post(_decide_url(appeal), data)
    response = client.post(_decide_url(appeal), {**data, "uphold": "1"})
    assert response.status_code == 302
    assert _errors(response)
    appeal.refresh_from_db()
    assert appeal.status == RatingAppeal.Status.REJECTED


def test_appeals_are_hidden_from_departments_that_neither_made_nor_decide_them(
    client, handler, bad_rating
):
    appeal = _appeal(client, handler, bad_rating)
    bystander = UserFactory(perms=["services.view_ratingappeal"])
    EntityMembership.objects.create(user=bystander, entity=AdministrativeEntityFactory())
    client.force_login(bystander)
    assert client.get(_decide_url(appeal)).status_code == 404
    response = client.get(reverse("admin:services_ratingappeal_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


# --- The lists: the same number of queries for 1 row as for 20 ----------------------------------


def _bad_ratings(n: int, department) -> list:
    recorder = UserFactory(
        perms=[
            "services.record_rating",
            "services.handle_rectificationtask",
            "disclosure.act_for_all_entities",
        ]
    )
    ratings = []
    for _ in range(n):
        case = ServiceCaseFactory(
            item=ServiceItemFactory(entity=department),
            received_on=D(2006, 3, 6),
            accepted_on=D(2006, 3, 6),
            due_date=D(2006, 3, 8),
            completed_on=D(2006, 3, 7),
            status=ServiceCase.Status.COMPLETED,
            result=ServiceCase.Result.APPROVED,
        )
        rating = rating_submit(case=case, by=recorder, level=2, channel="window", on=D(2006, 3, 7))
        rating_appeal_submit(rating=rating, by=recorder, reason="恶意差评")
        ratings.append(rating)
    return ratings


@pytest.mark.parametrize("model", ["rating", "rectificationtask", "ratingappeal"])
def test_rating_admin_lists_constant_queries(client, department, model):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(UserFactory(is_superuser=True))
    url = reverse(f"admin:services_{model}_changelist")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            assert response.status_code == 200
        return len(queries)

    _bad_ratings(1, department)
    one = count()
    _bad_ratings(19, department)
    assert count() == one
