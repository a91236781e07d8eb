"""Service cases: the state machine (legal and illegal moves), clocks, correction, full agency."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from disclosure.exceptions import TransitionNotAllowed
from services.actions.cases import (
    case_accept,
    case_complete,
    case_deadline,
    case_joint_meeting_complete,
    case_receive,
    case_request_correction,
    case_resume,
    case_suspend,
    case_withdraw,
)
from services.models import JointMeetingDecision, ServiceCase, ServiceCaseEvent
from tests.factories.disclosure import UserFactory
from tests.factories.services import ServiceCaseFactory, ServiceItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_calendar")]
S = ServiceCase.Status
D = datetime.date


@pytest.fixture
def clerk():
    return UserFactory(perms=["services.handle_servicecase"])


@pytest.fixture
def meeting_secretary():
    return UserFactory(perms=["services.decide_jointmeeting"])


JAN_5 = D(2026, 1, 5)


def _accepted(clerk, on=JAN_5, **kwargs):
    case = ServiceCaseFactory(received_on=on, **kwargs)
    return case_accept(case=case, by=clerk, on=on)


# --- legal moves -------------------------------------------------------------------------


def test_receive_issues_number_and_hashed_query_code(clerk):
    item = ServiceItemFactory()
    received = case_receive(
        item=item,
        applicant_type=ServiceCase.ApplicantType.PERSON,
        applicant_name="王晓梅",
        applicant_contact="13900001111",
        channel=ServiceCase.Channel.WINDOW,
        received_on=D(2026, 1, 5),
        by=clerk,
    )
    case = received.case
    assert case.status == S.RECEIVED
    assert case.case_no == case.tracking_no and case.case_no.startswith("BJ-")
    assert received.credentials.password not in case.tracking_password_hash
    assert case.tracking_password_check(received.credentials.password)
    assert case.committed_days == 2 and case.entity_id == item.entity_id
    assert case.events.get().to_status == S.RECEIVED


def test_full_path_received_accepted_suspended_resumed_completed(clerk):
    case = _accepted(clerk)
    assert case.status == S.ACCEPTED and case.due_date == D(2026, 1, 7)
    case_suspend(case=case, reason="expert_review", on=D(2026, 1, 6), by=clerk)
    assert case.status == S.SUSPENDED
    case_resume(case=case, on=D(2026, 1, 9), by=clerk)
    case.refresh_from_db()
    assert case.status == S.ACCEPTED
    # Paused on 6, 7, 8 January (three working days): the due date moves by three.
    assert case.due_date == D(2026, 1, 12)
    case_complete(case=case, result="approved", on=D(2026, 1, 12), by=clerk)
    case.refresh_from_db()
    assert case.status == S.COMPLETED and case.completed_in_time() is True
    assert [e.to_status for e in ServiceCaseEvent.objects.filter(case=case)] == [
        S.ACCEPTED,
        S.SUSPENDED,
        S.ACCEPTED,
        S.COMPLETED,
    ]


def test_correction_then_accept_starts_clock_on_acceptance(clerk):
    case = ServiceCaseFactory(received_on=D(2026, 1, 5))
    case_request_correction(
        case=case, missing="营业执照复印件；法定代表人身份证明", on=D(2026, 1, 7), by=clerk
    )
    assert case.status == S.CORRECTION_REQUESTED and case.due_date is None
    case_accept(case=case, on=D(2026, 1, 14), by=clerk)
    assert case.accepted_on == D(2026, 1, 14) and case.due_date == D(2026, 1, 16)


def test_refusal_needs_reasons(clerk):
    case = _accepted(clerk)
    with pytest.raises(ValidationError) as error:
        case_complete(case=case, result="refused", reason="  ", by=clerk, on=D(2026, 1, 6))
    assert "reason" in error.value.message_dict
    case_complete(case=case, result="refused", reason="不符合条件", by=clerk, on=D(2026, 1, 6))
    assert case.status == S.COMPLETED and case.result == "refused"


@pytest.mark.parametrize("status_path", ["received", "correction", "accepted", "suspended"])
def test_withdrawal_from_every_open_state(clerk, status_path):
    case = ServiceCaseFactory(received_on=D(2026, 1, 5))
    if status_path == "correction":
        case_request_correction(case=case, missing="身份证", on=D(2026, 1, 5), by=clerk)
    if status_path in ("accepted", "suspended"):
        case_accept(case=case, on=D(2026, 1, 5), by=clerk)
    if status_path == "suspended":
        case_suspend(case=case, reason="hearing", on=D(2026, 1, 6), by=clerk)
    case_withdraw(case=case, on=D(2026, 1, 8), by=clerk)
    case.refresh_from_db()
    assert case.status == S.WITHDRAWN and case.withdrawn_on == D(2026, 1, 8)
    assert not case.pauses.filter(last__isnull=True).exists()


def test_joint_meeting_completes_a_deemed_case(clerk, meeting_secretary):
    case = _accepted(clerk)
    ServiceCase.objects.filter(pk=case.pk).update(
        status=S.DEEMED_APPROVED, deemed_approved_on=D(2026, 1, 8)
    )
    case.refresh_from_db()
    case_joint_meeting_complete(
        case=case, meeting_date=D(2026, 1, 9), minutes_no="联审〔2026〕1号", by=meeting_secretary
    )
    case.refresh_from_db()
    assert case.status == S.COMPLETED and case.result == "approved"
    assert JointMeetingDecision.objects.get(case=case).minutes_no == "联审〔2026〕1号"


# --- illegal moves -------------------------------------------------------------------------

ILLEGAL = [
    (S.RECEIVED, S.SUSPENDED),
    (S.RECEIVED, S.COMPLETED),
    (S.RECEIVED, S.DEEMED_APPROVED),
    (S.CORRECTION_REQUESTED, S.COMPLETED),
    (S.CORRECTION_REQUESTED, S.SUSPENDED),
    (S.ACCEPTED, S.CORRECTION_REQUESTED),
    (S.SUSPENDED, S.COMPLETED),
    (S.SUSPENDED, S.DEEMED_APPROVED),
    (S.DEEMED_APPROVED, S.WITHDRAWN),
    (S.COMPLETED, S.ACCEPTED),
    (S.COMPLETED, S.WITHDRAWN),
    (S.WITHDRAWN, S.ACCEPTED),
]


@pytest.mark.parametrize(("from_status", "to_status"), ILLEGAL)
def test_transitions_map_refuses(from_status, to_status):
    assert not ServiceCase(status=from_status).can_move_to(to_status)


def test_illegal_moves_through_actions_are_refused_and_store_nothing(clerk, meeting_secretary):
    completed = _accepted(clerk)
    case_complete(case=completed, result="approved", on=D(2026, 1, 6), by=clerk)
    events = ServiceCaseEvent.objects.count()
    with pytest.raises(TransitionNotAllowed):
        case_withdraw(case=completed, by=clerk, on=D(2026, 1, 7))
    with pytest.raises(TransitionNotAllowed):
        case_suspend(case=completed, reason="hearing", by=clerk, on=D(2026, 1, 7))
    with pytest.raises(TransitionNotAllowed):
        case_resume(case=completed, by=clerk, on=D(2026, 1, 7))
    received = ServiceCaseFactory(received_on=D(2026, 1, 5))
    with pytest.raises(TransitionNotAllowed):
        case_complete(case=received, result="approved", on=D(2026, 1, 7), by=clerk)
    with pytest.raises(TransitionNotAllowed):
        case_joint_meeting_complete(case=received, meeting_date=D(2026, 1, 9), by=meeting_secretary)
    assert ServiceCaseEvent.objects.count() == events
    assert not JointMeetingDecision.objects.exists()
    completed.refresh_from_db()
    assert completed.status == S.COMPLETED and not completed.pauses.exists()


def test_correction_only_once_and_only_within_five_working_days(clerk):
    case = ServiceCaseFactory(received_on=D(2026, 1, 5))  # Monday
    with pytest.raises(ValidationError) as late:
        case_request_correction(case=case, missing="身份证", on=D(2026, 1, 13), by=clerk)
    assert "on" in late.value.message_dict
    with pytest.raises(ValidationError):
        case_request_correction(case=case, missing="  ", on=D(2026, 1, 6), by=clerk)
    case_request_correction(case=case, missing="身份证", on=D(2026, 1, 12), by=clerk)
    with pytest.raises(ValidationError):
        case_request_correction(case=case, missing="户口簿", on=D(2026, 1, 12), by=clerk)


def test_actions_need_the_permission():
    case = ServiceCaseFactory()
    with pytest.raises(PermissionDenied):
        case_accept(case=case, by=UserFactory(), on=D(2026, 1, 5))
    case.refresh_from_db()
    assert case.status == S.RECEIVED


def test_database_refuses_a_completed_case_without_result():
    case = ServiceCaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceCase.objects.filter(pk=case.pk).update(status=S.COMPLETED)


# --- clocks across holidays with their make-up days -------------------------------------------


@pytest.mark.parametrize(
    ("accepted_on", "due"),
    [
        # Spring Festival 2024: 10-17 February off; Sunday 18 February is a make-up working day.
        (D(2024, 2, 8), D(2024, 2, 18)),
        # National Day 2024: 1-7 October off; Sunday 29 September and Saturday 12 October work.
        (D(2024, 9, 27), D(2024, 9, 30)),
        (D(2024, 9, 30), D(2024, 10, 9)),
        (D(2024, 10, 10), D(2024, 10, 12)),
    ],
)
def test_due_date_across_spring_festival_and_national_day(clerk, accepted_on, due):
    case = _accepted(clerk, on=accepted_on)
    assert case.due_date == due
    assert not case.due_provisional
    kinds = [step.kind for step in case_deadline(case=case).derivation.steps]
    assert kinds[0] == "start" and kinds[-1] == "due"


def test_pause_across_the_spring_festival(clerk):
    # Accepted on Thursday 8 February 2024 (due 18 February); an inspection from Friday 9
    # February, resumed Tuesday 20 February: paused working days 9, 18 and 19 February.
    case = _accepted(clerk, on=D(2024, 2, 8))
    case_suspend(case=case, reason="inspection", on=D(2024, 2, 9), by=clerk)
    case_resume(case=case, on=D(2024, 2, 20), by=clerk)
    case.refresh_from_db()
    assert case.due_date == D(2024, 2, 21)
    deadline = case_deadline(case=case)
    assert "pause" in [step.kind for step in deadline.derivation.steps]


def test_open_suspension_pauses_the_clock_up_to_today(clerk):
    case = _accepted(clerk, on=D(2026, 1, 5))
    case_suspend(case=case, reason="hearing", on=D(2026, 1, 6), by=clerk)
    deadline = case_deadline(case=case, on=D(2026, 1, 8))
    assert deadline.due_date == D(2026, 1, 12)


# --- full agency service ------------------------------------------------------------------


def test_full_agency_parent_with_sub_cases_each_with_its_own_clock(clerk):
    lead = ServiceItemFactory(committed_days=2, full_agency=True)
    other = ServiceItemFactory(committed_days=5)
    parent = case_receive(
        item=lead,
        applicant_type="sme",
        applicant_name="大连某科技有限公司",
        channel="agency",
        agent_name="李明",
        green_channel=True,
        received_on=D(2026, 1, 5),
        by=clerk,
    ).case
    sub = case_receive(
        item=other,
        applicant_type="sme",
        applicant_name="大连某科技有限公司",
        channel="agency",
        parent=parent,
        received_on=D(2026, 1, 6),
        by=clerk,
    ).case
    case_accept(case=parent, on=D(2026, 1, 5), by=clerk)
    case_accept(case=sub, on=D(2026, 1, 6), by=clerk)
    assert parent.due_date == D(2026, 1, 7) and sub.due_date == D(2026, 1, 13)
    assert list(parent.sub_cases.all()) == [sub]
    assert sub.entity_id == other.entity_id and sub.green_channel
    with pytest.raises(ValidationError) as error:
        case_receive(
            item=other,
            applicant_type="sme",
            applicant_name="x",
            channel="agency",
            parent=sub,
            by=clerk,
        )
    assert "parent" in error.value.message_dict


def test_agency_case_needs_an_agent(clerk):
    with pytest.raises(ValidationError) as error:
        case_receive(
            item=ServiceItemFactory(),
            applicant_type="sme",
            applicant_name="某公司",
            channel="agency",
            by=clerk,
        )
    assert "agent_name" in error.value.message_dict
    assert not ServiceCase.objects.exists()


# --- the demo --------------------------------------------------------------------------------


def test_demo_reproduces_the_seed_half_year_and_is_idempotent(settings):
    import io

    from django.db.models import Sum

    from disclosure.demo import entities as entity_demo
    from services.demo import cases as case_demo
    from services.demo import items as item_demo
    from services.models import ConsultationCount, ServiceItem
    from services.selectors.cases import case_lookup

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()
    entity_demo.load(out=out)
    for _run in range(2):
        item_demo.load(out=out)
        case_demo.load(out=out)
    first_half = (D(2006, 1, 1), D(2006, 6, 30))
    accepted = ServiceCase.objects.filter(accepted_on__range=first_half).count()
    completed = ServiceCase.objects.filter(
        status=S.COMPLETED, completed_on__range=first_half
    ).count()
    consultations = ConsultationCount.objects.filter(date__range=first_half).aggregate(
        total=Sum("count")
    )["total"]
    assert (consultations, accepted, completed) == (75_095, 60_351, 59_388)
    assert round(completed * 100 / accepted, 1) == 98.4
    assert set(ServiceItem.objects.values_list("committed_days", flat=True)) == {2}
    assert all(8 <= s <= 10 for s in ServiceItem.objects.values_list("statutory_days", flat=True))
    assert ServiceCase.objects.filter(green_channel=True, channel="window").exists()
    parent = ServiceCase.objects.get(case_no="XG2006-DL-0001")
    assert parent.sub_cases.count() == 2
    assert {sub.entity_id for sub in parent.sub_cases.all()}.isdisjoint({parent.entity_id})
    found = case_lookup(case_no="XG2006-DL-0001", code=case_demo.EXAMPLE_CODE, client="t")
    assert found == parent
    assert ServiceCase.objects.filter(deemed_approved_on__isnull=False).count() == case_demo.DEEMED
