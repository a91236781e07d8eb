"""The complaint's state machine: legal and illegal moves, clocks, the reply-before-close rule."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from complaints.actions.complaints import (
    ComplaintRuleError,
    complaint_add_information,
    complaint_assign,
    complaint_close,
    complaint_conclude,
    complaint_decline,
    complaint_investigate,
    complaint_rate,
    complaint_register,
    complaint_reply,
    complaint_request_information,
    complaint_request_reconsideration,
    complaint_transfer,
    complaint_withdraw,
    complaints_anonymise,
    complaints_sweep,
)
from complaints.models import Complaint, ComplaintEvent
from complaints.models.complaints import TRANSITIONS
from disclosure.exceptions import TransitionNotAllowed
from tests.factories.complaints import (
    complaint_handler,
    complaint_to_investigating,
    submit_complaint,
)
from tests.factories.disclosure import AdministrativeEntityFactory, UserFactory
from workdays.calendar import add_workdays

pytestmark = pytest.mark.django_db
S = Complaint.Status
MONDAY = datetime.date(2026, 3, 2)


def _to_replied(complaint, handler, today=None):
    complaint_to_investigating(complaint, handler)
    complaint_conclude(
        complaint=complaint,
        by=handler,
        finding=Complaint.Finding.SUBSTANTIATED,
        measures=[Complaint.Measure.CRITICISM],
        conclusion="经调查，反映情况属实，已对当事人批评教育。",
    )
    complaint_reply(complaint=complaint, by=handler, reply="经调查属实，已批评教育。", today=today)
    return complaint


def test_submission_stores_the_password_hashed_and_starts_the_clock():
    complaint, credentials = submit_complaint(received_on=MONDAY)
    assert complaint.status == S.SUBMITTED
    assert complaint.tracking_no == credentials.number
    assert credentials.password not in complaint.tracking_password_hash
    assert complaint.tracking_password_check(credentials.password)
    assert complaint.stage_due_on == add_workdays(MONDAY, 5)
    assert complaint.events.get().to_status == S.SUBMITTED


def test_the_full_path_to_closed_writes_one_event_per_move():
    handler = complaint_handler()
    complaint, _ = submit_complaint()
    _to_replied(complaint, handler)
    complaint_close(complaint=complaint, by=handler)
    complaint.refresh_from_db()
    assert complaint.status == S.CLOSED
    moves = list(complaint.events.values_list("from_status", "to_status"))
    assert moves == [
        ("", S.SUBMITTED),
        (S.SUBMITTED, S.REGISTERED),
        (S.REGISTERED, S.ASSIGNED),
        (S.ASSIGNED, S.INVESTIGATING),
        (S.INVESTIGATING, S.CONCLUDED),
        (S.CONCLUDED, S.REPLIED),
        (S.REPLIED, S.CLOSED),
    ]
    assert complaint.events.exclude(to_status=S.SUBMITTED).filter(actor=handler).count() == 6


@pytest.mark.parametrize("status", list(S.values))
def test_every_illegal_move_is_refused(status):
    handler = complaint_handler()
    complaint, _ = submit_complaint()
    Complaint.objects.filter(pk=complaint.pk).update(
        status=status, reply="答复", replied_on=MONDAY, decline_reason="no_facts"
    )
    complaint.refresh_from_db()
    allowed = TRANSITIONS[status]
    if S.REGISTERED not in allowed:
        with pytest.raises(TransitionNotAllowed):
            complaint_register(complaint=complaint, by=handler)
    if S.CONCLUDED not in allowed:
        with pytest.raises(TransitionNotAllowed):
            complaint_conclude(
                complaint=complaint,
                by=handler,
                finding="partly",
                measures=["admonishment"],
                conclusion="部分属实",
            )
    if S.REPLIED not in allowed:
        with pytest.raises(TransitionNotAllowed):
            complaint_reply(complaint=complaint, by=handler, reply="答复")
    complaint.refresh_from_db()
    assert complaint.status == status


def test_decline_needs_a_reason_from_the_list_and_stays_in_the_ledger():
    handler = complaint_handler()
    complaint, _ = submit_complaint()
    with pytest.raises(ValidationError):
        complaint_decline(complaint=complaint, by=handler, reason="because")
    complaint_decline(complaint=complaint, by=handler, reason="not_efficiency")
    assert Complaint.objects.get(pk=complaint.pk).decline_reason == "not_efficiency"
    with pytest.raises(TransitionNotAllowed):
        complaint_register(complaint=complaint, by=handler)


def test_officials_without_the_permission_are_refused():
    complaint, _ = submit_complaint()
    with pytest.raises(PermissionDenied):
        complaint_register(complaint=complaint, by=UserFactory())
    assert Complaint.objects.get(pk=complaint.pk).status == S.SUBMITTED


def test_no_complaint_closes_without_a_reply():
    handler = complaint_handler()
    complaint, _ = submit_complaint()
    complaint_to_investigating(complaint, handler)
    with pytest.raises(ComplaintRuleError):
        complaint_close(complaint=complaint, by=handler)
    # and the database refuses it too
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(status=S.CLOSED)


def test_asking_for_information_pauses_the_investigation_clock():
    handler = complaint_handler()
    complaint, _ = submit_complaint(received_on=MONDAY)
    complaint_register(complaint=complaint, by=handler, today=MONDAY)
    complaint_assign(complaint=complaint, by=handler, investigator=handler, today=MONDAY)
    complaint_investigate(complaint=complaint, by=handler, today=MONDAY)
    complaint.refresh_from_db()
    before = complaint.stage_due_on
    assert before == add_workdays(MONDAY, 20)
    asked = MONDAY + datetime.timedelta(days=1)
    complaint_request_information(complaint=complaint, by=handler, note="请补充时间", today=asked)
    answered = asked + datetime.timedelta(days=7)
    complaint_add_information(complaint=complaint, text="是3月1日上午", today=answered)
    complaint.refresh_from_db()
    assert complaint.status == S.INVESTIGATING
    assert complaint.stage_due_on > before
    assert complaint.deadline().derivation.steps


def test_transfer_changes_the_department_with_an_event():
    handler = complaint_handler()
    complaint, _ = submit_complaint()
    complaint_to_investigating(complaint, handler)
    other = AdministrativeEntityFactory()
    complaint_transfer(complaint=complaint, by=handler, entity=other, note="转劳动局调查")
    assert Complaint.objects.get(pk=complaint.pk).entity == other
    assert complaint.events.filter(kind=ComplaintEvent.Kind.TRANSFER).count() == 1


def test_rating_closes_and_a_second_rating_is_refused():
    handler = complaint_handler()
    complaint, _ = submit_complaint()
    _to_replied(complaint, handler)
    complaint_rate(complaint=complaint, rating=4)
    complaint.refresh_from_db()
    assert (complaint.status, complaint.rating) == (S.CLOSED, 4)
    with pytest.raises(ComplaintRuleError):
        complaint_rate(complaint=complaint, rating=1)


def test_reconsideration_once_within_the_period(settings):
    settings.COMPLAINTS_RECONSIDERATION_DAYS = 10
    handler = complaint_handler()
    complaint, _ = submit_complaint()
    replied = datetime.date.today()
    _to_replied(complaint, handler, today=replied)
    complaint_request_reconsideration(complaint=complaint, reason="处理太轻", today=replied)
    complaint.refresh_from_db()
    assert complaint.status == S.INVESTIGATING
    complaint_conclude(
        complaint=complaint, by=handler, finding="partly", measures=[], conclusion="维持"
    )
    complaint_reply(complaint=complaint, by=handler, reply="复查维持原结论", today=replied)
    with pytest.raises(ComplaintRuleError):
        complaint_request_reconsideration(complaint=complaint, reason="再次", today=replied)


def test_reconsideration_after_the_period_is_refused(settings):
    settings.COMPLAINTS_RECONSIDERATION_DAYS = 10
    handler = complaint_handler()
    complaint, _ = submit_complaint()
    _to_replied(complaint, handler, today=MONDAY)
    with pytest.raises(ComplaintRuleError):
        complaint_request_reconsideration(
            complaint=complaint, reason="晚了", today=MONDAY + datetime.timedelta(days=11)
        )


def test_withdraw_keeps_the_reason_and_is_final():
    complaint, _ = submit_complaint()
    with pytest.raises(ValidationError):
        complaint_withdraw(complaint=complaint, reason=" ")
    complaint_withdraw(complaint=complaint, reason="问题已解决")
    complaint.refresh_from_db()
    assert (complaint.status, complaint.withdraw_reason) == (S.WITHDRAWN, "问题已解决")
    with pytest.raises(TransitionNotAllowed):
        complaint_withdraw(complaint=complaint, reason="again")


def test_sweep_flags_overdue_once_and_closes_unrated_replies(settings):
    settings.COMPLAINTS_AUTO_CLOSE_DAYS = 15
    handler = complaint_handler()
    late, _ = submit_complaint(received_on=MONDAY)
    replied, _ = submit_complaint(received_on=MONDAY)
    _to_replied(replied, handler, today=MONDAY)
    today = MONDAY + datetime.timedelta(days=30)
    assert complaints_sweep(today=today) == {"overdue": 1, "closed": 1}
    assert complaints_sweep(today=today) == {"overdue": 0, "closed": 0}
    late.refresh_from_db()
    replied.refresh_from_db()
    assert late.overdue_on == today
    assert replied.status == S.CLOSED


def test_anonymise_erases_identity_of_old_closed_complaints(settings):
    settings.COMPLAINTS_ANONYMISE_AFTER_DAYS = 0
    complaint, _ = submit_complaint()
    complaint_withdraw(complaint=complaint, reason="不再追究")
    assert complaints_anonymise(today=datetime.date.today() + datetime.timedelta(days=1)) == 1
    complaint.refresh_from_db()
    assert (complaint.complainant_name, complaint.complainant_mobile) == ("", "")
    assert complaint.anonymised_on is not None


def test_the_sweep_command_reports_and_is_idempotent():
    from io import StringIO

    from django.core.management import call_command

    submit_complaint(received_on=MONDAY)
    out = StringIO()
    call_command("sweep_deadlines", "--today", "2026-06-01", stdout=out)
    assert "1 stages newly overdue" in out.getvalue()
    out = StringIO()
    call_command("sweep_deadlines", "--today", "2026-06-01", stdout=out)
    assert "0 stages newly overdue" in out.getvalue()


def test_the_daily_digest_lists_what_is_due_for_each_handler():
    from django.core import mail
    from django.core.management import call_command

    handler = complaint_handler(email="handler@xigang.example.gov.cn")
    complaint, _ = submit_complaint(received_on=MONDAY)
    complaint_register(complaint=complaint, by=handler, today=MONDAY)
    complaint_assign(complaint=complaint, by=handler, investigator=handler, today=MONDAY)
    mail.outbox.clear()
    call_command("complaints_digest", "--today", "2026-03-04", stdout=__import__("io").StringIO())
    digests = [m for m in mail.outbox if m.to == ["handler@xigang.example.gov.cn"]]
    assert len(digests) == 1
    assert complaint.tracking_no in digests[0].body
