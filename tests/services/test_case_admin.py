"""Officials move service cases through buttons on the admin change page (one form per move).

Each button calls the case action; only moves legal now and permitted show; a move through a
crafted URL that is not legal or not permitted is refused with a message and changes nothing;
another department's case is not found.
"""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from disclosure.models.memberships import EntityMembership
from services.actions.cases import case_accept, case_suspend
from services.models import JointMeetingDecision, ServiceCase, ServiceCaseEvent
from tests.factories.disclosure import AdministrativeEntityFactory, UserFactory
from tests.factories.services import ServiceCaseFactory, ServiceItemFactory
from tests.factories.workflow import seen_url, step_name

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_calendar")]
S = ServiceCase.Status
D = datetime.date
JAN_5 = D(2026, 1, 5)
CLERK_PERMS = ["services.handle_servicecase", "services.view_servicecase"]


@pytest.fixture
def clerk(department):
    user = UserFactory(perms=CLERK_PERMS)
    EntityMembership.objects.create(user=user, entity=department)
    return user


@pytest.fixture
def case(department):
    return ServiceCaseFactory(item=ServiceItemFactory(entity=department), received_on=JAN_5)


def _url(case, step):
    return seen_url(reverse("admin:services_servicecase_workflow", args=[case.pk, step]), case)


def _buttons(client, case):
    response = client.get(reverse("admin:services_servicecase_change", args=[case.pk]))
    assert response.status_code == 200
    return {step_name(button["url"]) for button in response.context["workflow_buttons"]}


def _errors(response):
    """The error messages shown after a redirect (texts are translated: check the level)."""
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def test_received_case_shows_accept_correction_and_withdraw_only(client, clerk, case):
    client.force_login(clerk)
    assert _buttons(client, case) == {
        "accept",
        "request_correction",
        "withdraw",
    }


def test_accept_button_starts_the_clock(client, clerk, case):
    client.force_login(clerk)
    assert client.get(_url(case, "accept")).status_code == 200
    response = client.post(_url(case, "accept"), {"on": "2026-01-05", "note": "材料齐全"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.ACCEPTED
    assert case.accepted_on == JAN_5 and case.due_date == D(2026, 1, 7)
    event = case.events.latest("id")
    assert (event.actor, event.from_status, event.to_status, event.note) == (
        clerk,
        S.RECEIVED,
        S.ACCEPTED,
        "材料齐全",
    )
    assert case.history.count() >= 2


def test_correction_then_correction_received(client, clerk, case):
    client.force_login(clerk)
    response = client.post(
        _url(case, "request_correction"), {"on": "2026-01-06", "missing": "营业执照副本；身份证"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.CORRECTION_REQUESTED
    assert case.correction_items == "营业执照副本；身份证"
    assert _buttons(client, case) == {"correction_received", "withdraw"}
    client.post(_url(case, "correction_received"), {"on": "2026-01-09"})
    case.refresh_from_db()
    assert (case.status, case.accepted_on) == (S.ACCEPTED, D(2026, 1, 9))


def test_correction_without_the_list_is_a_field_error(client, clerk, case):
    client.force_login(clerk)
    response = client.post(_url(case, "request_correction"), {"on": "2026-01-06", "missing": ""})
    assert response.status_code == 200
    assert "missing" in response.context["form"].errors
    case.refresh_from_db()
    assert case.status == S.RECEIVED


def test_late_correction_is_refused_with_the_reason(client, clerk, case):
    client.force_login(clerk)
    response = client.post(
        _url(case, "request_correction"), {"on": "2026-01-20", "missing": "身份证"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["on"]
    case.refresh_from_db()
    assert case.status == S.RECEIVED and not case.correction_items


def test_suspend_resume_and_approve(client, clerk, case):
    client.force_login(clerk)
    case_accept(case=case, by=clerk, on=JAN_5)
    assert _buttons(client, case) == {
        "suspend",
        "complete",
        "withdraw",
    }
    client.post(_url(case, "suspend"), {"on": "2026-01-06", "reason": "expert_review"})
    case.refresh_from_db()
    assert case.status == S.SUSPENDED
    assert case.pauses.get().reason == "expert_review"
    assert _buttons(client, case) == {"resume", "withdraw"}
    client.post(_url(case, "resume"), {"on": "2026-01-08"})
    case.refresh_from_db()
    assert case.status == S.ACCEPTED
    assert case.pauses.get().last == D(2026, 1, 7)
    assert case.due_date == D(2026, 1, 9)  # two working days paused
    client.post(_url(case, "complete"), {"on": "2026-01-09", "result": "approved"})
    case.refresh_from_db()
    assert (case.status, case.result, case.completed_on) == (S.COMPLETED, "approved", D(2026, 1, 9))
    assert _buttons(client, case) == set()


def test_refusal_needs_its_reasons(client, clerk, case):
    client.force_login(clerk)
    case_accept(case=case, by=clerk, on=JAN_5)
    response = client.post(_url(case, "complete"), {"on": "2026-01-06", "result": "refused"})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    case.refresh_from_db()
    assert case.status == S.ACCEPTED
    client.post(
        _url(case, "complete"),
        {"on": "2026-01-06", "result": "refused", "reason": "不符合法定条件"},
    )
    case.refresh_from_db()
    assert (case.status, case.result, case.result_reason) == (
        S.COMPLETED,
        "refused",
        "不符合法定条件",
    )


def test_withdraw_ends_an_open_suspension(client, clerk, case):
    client.force_login(clerk)
    case_accept(case=case, by=clerk, on=JAN_5)
    case_suspend(case=case, reason="hearing", by=clerk, on=D(2026, 1, 6))
    client.post(_url(case, "withdraw"), {"on": "2026-01-12", "note": "申请人书面撤回"})
    case.refresh_from_db()
    assert (case.status, case.withdrawn_on) == (S.WITHDRAWN, D(2026, 1, 12))
    assert case.pauses.get().last == D(2026, 1, 12)


def test_joint_meeting_completes_a_deemed_case(client, department):
    secretary = UserFactory(perms=["services.decide_jointmeeting", "services.view_servicecase"])
    EntityMembership.objects.create(user=secretary, entity=department)
    case = ServiceCaseFactory(
        item=ServiceItemFactory(entity=department),
        status=S.DEEMED_APPROVED,
        received_on=JAN_5,
        accepted_on=JAN_5,
        due_date=D(2026, 1, 7),
        deemed_approved_on=D(2026, 1, 8),
    )
    client.force_login(secretary)
    assert _buttons(client, case) == {"joint_meeting"}
    response = client.post(
        _url(case, "joint_meeting"), {"meeting_date": "2026-01-12", "minutes_no": "联审〔2026〕1号"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.result, case.completed_on) == (
        S.COMPLETED,
        "approved",
        D(2026, 1, 12),
    )
    decision = JointMeetingDecision.objects.get(case=case)
    assert (decision.minutes_no, decision.decided_by) == ("联审〔2026〕1号", secretary)


def test_meeting_before_the_deemed_approval_is_a_field_error(client):
    client.force_login(UserFactory(is_superuser=True))
    case = ServiceCaseFactory(
        status=S.DEEMED_APPROVED,
        received_on=JAN_5,
        accepted_on=JAN_5,
        due_date=D(2026, 1, 7),
        deemed_approved_on=D(2026, 1, 8),
    )
    response = client.post(_url(case, "joint_meeting"), {"meeting_date": "2026-01-07"})
    assert response.status_code == 200
    assert "meeting_date" in response.context["form"].errors
    case.refresh_from_db()
    assert case.status == S.DEEMED_APPROVED


# --- Illegal and forbidden moves ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("setup", "step", "data"),
    [
        ("received", "complete", {"on": "2026-01-06", "result": "approved"}),
        ("received", "resume", {"on": "2026-01-06"}),
        ("received", "joint_meeting", {"meeting_date": "2026-01-06"}),
        ("suspended", "accept", {"on": "2026-01-07"}),
        ("suspended", "complete", {"on": "2026-01-07", "result": "approved"}),
        ("completed", "withdraw", {"on": "2026-01-07"}),
        ("completed", "suspend", {"on": "2026-01-07", "reason": "hearing"}),
        ("corrected", "request_correction", {"on": "2026-01-07", "missing": "又一项"}),
    ],
)
def test_illegal_move_through_a_crafted_url_changes_nothing(client, case, setup, step, data):
    boss = UserFactory(is_superuser=True)
    client.force_login(boss)
    if setup in ("suspended", "completed"):
        case_accept(case=case, by=boss, on=JAN_5)
    if setup == "suspended":
        case_suspend(case=case, reason="hearing", by=boss, on=D(2026, 1, 6))
    if setup == "completed":
        client.post(_url(case, "complete"), {"on": "2026-01-06", "result": "approved"})
    if setup == "corrected":
        client.post(_url(case, "request_correction"), {"on": "2026-01-06", "missing": "身份证"})
    case.refresh_from_db()
    before = (case.status, case.accepted_on, case.completed_on, case.events.count())

    response = client.post(_url(case, step), data)

    assert response.status_code == 302
    assert any(case.case_no in message for message in _errors(response))
    case.refresh_from_db()
    assert (case.status, case.accepted_on, case.completed_on, case.events.count()) == before
    assert not JointMeetingDecision.objects.exists()


def test_a_move_without_its_permission_is_refused_with_a_message(client, department, case):
    viewer = UserFactory(perms=["services.view_servicecase"])
    EntityMembership.objects.create(user=viewer, entity=department)
    client.force_login(viewer)
    assert _buttons(client, case) == set()
    response = client.post(_url(case, "accept"), {"on": "2026-01-05"})
    assert response.status_code == 302
    assert any(case.case_no in message for message in _errors(response))
    case.refresh_from_db()
    assert case.status == S.RECEIVED and not ServiceCaseEvent.objects.filter(case=case).exists()


def test_the_joint_meeting_needs_its_own_permission(client, clerk, department):
    case = ServiceCaseFactory(
        item=ServiceItemFactory(entity=department),
        status=S.DEEMED_APPROVED,
        received_on=JAN_5,
        accepted_on=JAN_5,
        due_date=D(2026, 1, 7),
        deemed_approved_on=D(2026, 1, 8),
    )
    client.force_login(clerk)
    assert _buttons(client, case) == set()
    response = client.post(_url(case, "joint_meeting"), {"meeting_date": "2026-01-12"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.DEEMED_APPROVED


def test_an_officer_of_another_department_gets_404(client, case):
    other = UserFactory(perms=CLERK_PERMS)
    EntityMembership.objects.create(user=other, entity=AdministrativeEntityFactory())
    client.force_login(other)
    assert client.get(_url(case, "accept")).status_code == 404
    assert client.post(_url(case, "accept"), {"on": "2026-01-05"}).status_code == 404
    case.refresh_from_db()
    assert case.status == S.RECEIVED


def test_an_unknown_step_is_404(client, clerk, case):
    client.force_login(clerk)
    assert client.get(_url(case, "approve_everything")).status_code == 404


# --- The actions themselves refuse the arrows that are not theirs -------------------------------


def test_actions_take_only_their_own_arrows(clerk, case):
    from disclosure.exceptions import TransitionNotAllowed
    from services.actions.cases import case_complete, case_joint_meeting_complete

    case_accept(case=case, by=clerk, on=JAN_5)
    case_suspend(case=case, reason="hearing", by=clerk, on=D(2026, 1, 6))
    with pytest.raises(TransitionNotAllowed):
        case_accept(case=case, by=clerk, on=D(2026, 1, 7))  # resume is another action
    boss = UserFactory(is_superuser=True)
    deemed = ServiceCaseFactory(
        status=S.DEEMED_APPROVED,
        received_on=JAN_5,
        accepted_on=JAN_5,
        due_date=D(2026, 1, 7),
        deemed_approved_on=D(2026, 1, 8),
    )
    with pytest.raises(TransitionNotAllowed):
        case_complete(case=deemed, result="approved", by=boss, on=D(2026, 1, 9))
    accepted = ServiceCaseFactory(received_on=JAN_5)
    case_accept(case=accepted, by=boss, on=JAN_5)
    with pytest.raises(TransitionNotAllowed):
        case_joint_meeting_complete(case=accepted, meeting_date=D(2026, 1, 9), by=boss)
    case.refresh_from_db()
    assert (case.status, case.accepted_on) == (S.SUSPENDED, JAN_5)
    deemed.refresh_from_db()
    accepted.refresh_from_db()
    assert (deemed.status, accepted.status) == (S.DEEMED_APPROVED, S.ACCEPTED)


# --- Receiving an application ---------------------------------------------------------------------


def _receive_data(item, **extra):
    return {
        "item": item.pk,
        "applicant_type": "person",
        "applicant_name": "李四",
        "applicant_contact": "13900001111",
        "channel": "window",
        "received_on": "2026-01-05",
        **extra,
    }


def test_receive_gives_the_case_number_and_query_code_once(client, clerk, department):

    item = ServiceItemFactory(entity=department)
    client.force_login(clerk)
    changelist = client.get(reverse("admin:services_servicecase_changelist")).content.decode()
    assert reverse("admin:services_servicecase_receive") in changelist
    response = client.post(reverse("admin:services_servicecase_receive"), _receive_data(item))
    assert response.status_code == 200
    case = ServiceCase.objects.get()
    assert (case.status, case.item, case.entity, case.received_on) == (
        S.RECEIVED,
        item,
        department,
        JAN_5,
    )
    code = response.context["received"].credentials.password
    assert case.case_no in response.content.decode() and code in response.content.decode()
    assert case.tracking_password_check(code)
    assert case.events.get().actor == clerk
    assert case.history.count() == 1


def test_receive_refuses_bad_input_and_stores_nothing(client, clerk, department):
    item = ServiceItemFactory(entity=department)
    elsewhere = ServiceItemFactory()  # another department's item
    client.force_login(clerk)
    url = reverse("admin:services_servicecase_receive")
    for data, field in [
        (_receive_data(item, applicant_name=""), "applicant_name"),
        (_receive_data(elsewhere), "item"),
        (_receive_data(item, received_on="2026-13-45"), "received_on"),
        (_receive_data(item, channel="agency"), "agent_name"),  # an agency case names its agent
    ]:
        response = client.post(url, data)
        assert response.status_code == 200
        assert field in response.context["form"].errors, field
    assert not ServiceCase.objects.exists()


def test_receive_needs_the_permission(client, department):
    viewer = UserFactory(perms=["services.view_servicecase"])
    client.force_login(viewer)
    assert client.get(reverse("admin:services_servicecase_receive")).status_code == 403
