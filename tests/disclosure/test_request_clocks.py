"""Information requests: the Regulation's clocks across holidays with make-up working days.

The 2025 National Day and Mid-Autumn holiday: 1-8 October off, Sunday 28 September and Saturday
11 October are make-up working days (the package calendar loaded by the workdays migration).
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from disclosure.actions.requests import (
    request_abandon,
    request_consultation_answer,
    request_consultation_open,
    request_correction_ask,
    request_correction_receive,
    request_deadlines_sweep,
    request_extend,
    request_fee_lapse,
    request_fee_notify,
    request_fee_pay,
    request_review_start,
)
from disclosure.models import InformationRequest
from disclosure.selectors.requests import request_clocks, request_reply_deadline
from tests.factories.disclosure import make_request
from workdays.calendar import add_workdays, is_workday, workdays_between

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_calendar")]


def test_the_fixture_calendar_has_the_2025_golden_week() -> None:
    assert not is_workday(dt.date(2025, 10, 1))
    assert is_workday(dt.date(2025, 9, 28))  # Sunday, make-up
    assert is_workday(dt.date(2025, 10, 11))  # Saturday, make-up


def test_reply_due_20_workdays_across_golden_week(handler) -> None:
    # given received on Monday 22 September 2025
    request = make_request(received=dt.date(2025, 9, 22), by=handler)
    # then 20 working days: 23-26 Sep (4), Sun 28 (5), 29-30 (7), 9-10 Oct (9), Sat 11 (10),
    # 13-17 (15), 20-24 (20)
    assert request.due_date == dt.date(2025, 10, 24)
    deadline = request_reply_deadline(request)
    kinds = [step.kind for step in deadline.derivation.steps]
    assert kinds.count("makeup_workday") == 2 and "holiday" in kinds


def test_correction_restarts_the_clock_from_the_corrected_application(handler) -> None:
    request = make_request(received=dt.date(2025, 9, 22), by=handler)
    # the notice must come within 7 working days of receipt: 22 Sep + 7 WD = 30 Sep
    request = request_correction_ask(
        request=request, by=handler, items="请写明文件名称", on=dt.date(2025, 9, 30)
    )
    assert request.status == InformationRequest.Status.CORRECTION_REQUESTED
    assert request.due_date is None  # the clock waits for the corrected application
    request = request_correction_receive(request=request, by=handler, on=dt.date(2025, 10, 9))
    # 20 WD from 9 Oct: 10 (1), Sat 11 (2), 13-17 (7), 20-24 (12), 27-31 (17), 3-5 Nov (20)
    assert request.clock_start == dt.date(2025, 10, 9)
    assert request.due_date == dt.date(2025, 11, 5)


def test_correction_only_once_and_only_within_seven_workdays(handler) -> None:
    request = make_request(received=dt.date(2025, 9, 22), by=handler)
    with pytest.raises(ValidationError):
        # 9 October is the 8th working day after 22 September (the holiday does not count)
        request_correction_ask(request=request, by=handler, items="x", on=dt.date(2025, 10, 9))
    request_correction_ask(request=request, by=handler, items="x", on=dt.date(2025, 9, 30))
    request = InformationRequest.objects.get(pk=request.pk)
    with pytest.raises(ValidationError):
        request_correction_ask(request=request, by=handler, items="y", on=dt.date(2025, 9, 30))


def test_no_correction_in_the_period_means_abandoned(handler) -> None:
    request = make_request(received=dt.date(2025, 9, 22), by=handler)
    request = request_correction_ask(
        request=request, by=handler, items="x", on=dt.date(2025, 9, 26), period_workdays=5
    )
    # 26 Sep + 5 WD: Sun 28 (1), 29 (2), 30 (3), 9 Oct (4), 10 Oct (5)
    assert request.correction_period_end == dt.date(2025, 10, 10)
    with pytest.raises(ValidationError):
        request_abandon(request=request, by=handler, on=dt.date(2025, 10, 10))
    counts = request_deadlines_sweep(today=dt.date(2025, 10, 11))
    request.refresh_from_db()
    assert counts["abandoned"] == 1
    assert (request.status, request.outcome) == ("abandoned", "other_no_correction")
    assert request_deadlines_sweep(today=dt.date(2025, 10, 11))["abandoned"] == 0  # idempotent


def test_consultation_pauses_the_clock(handler) -> None:
    request = make_request(received=dt.date(2025, 9, 15), by=handler)
    assert request.due_date == add_workdays(dt.date(2025, 9, 15), 20)
    request_review_start(request=request, by=handler)
    consultation = request_consultation_open(
        request=request, by=handler, kind="third_party", party="某某公司", on=dt.date(2025, 9, 26)
    )
    # 15 WD from 26 Sep: Sun 28, 29, 30, 9, 10, Sat 11, 13-17, 20-23 → 23 Oct
    assert consultation.due_date == dt.date(2025, 10, 23)
    consultation = request_consultation_answer(
        consultation=consultation, by=handler, answer="不同意", on=dt.date(2025, 10, 10)
    )
    request.refresh_from_db()
    assert request.status == InformationRequest.Status.IN_REVIEW
    # paused 26 Sep..10 Oct: 26, 28, 29, 30 Sep, 9, 10 Oct = 6 working days added
    assert request.due_date == add_workdays(add_workdays(dt.date(2025, 9, 15), 20), 6)
    steps = request_reply_deadline(request).derivation.steps
    assert any(step.kind == "pause" and step.workdays == 6 for step in steps)


def test_extension_adds_at_most_20_workdays(handler) -> None:
    request = make_request(received=dt.date(2025, 9, 22), by=handler)
    request = request_review_start(request=request, by=handler)
    with pytest.raises(ValidationError):
        request_extend(
            request=request,
            by=handler,
            workdays=21,
            approved_by_name="李主任",
            on=dt.date(2025, 10, 9),
        )
    request = request_extend(
        request=request, by=handler, workdays=20, approved_by_name="李主任", on=dt.date(2025, 10, 9)
    )
    assert request.status == InformationRequest.Status.EXTENDED
    # 24 Oct + 20 WD = 21 Nov
    assert request.due_date == dt.date(2025, 11, 21)
    with pytest.raises(ValidationError):
        request_extend(
            request=request,
            by=handler,
            workdays=5,
            approved_by_name="李主任",
            on=dt.date(2025, 10, 9),
        )


def test_extension_needs_the_approval_permission() -> None:
    from django.core.exceptions import PermissionDenied

    from tests.factories.disclosure import UserFactory

    clerk = UserFactory(perms=["disclosure.handle_informationrequest"])
    request = make_request(received=dt.date(2025, 9, 22), by=clerk)
    request_review_start(request=request, by=clerk)
    with pytest.raises(PermissionDenied):
        request_extend(request=request, by=clerk, workdays=5, approved_by_name="x")


def test_fee_lapses_after_20_workdays_from_the_notice(handler) -> None:
    request = make_request(received=dt.date(2025, 9, 15), by=handler)
    request = request_review_start(request=request, by=handler)
    request = request_fee_notify(
        request=request, by=handler, method="by_volume", pages=150, on=dt.date(2025, 9, 26)
    )
    assert request.fee_amount == 1700  # 70 × 10 + 50 × 20
    (payment,) = [c for c in request_clocks(request) if c.code == "fee_payment"]
    # 26 Sep + 20 WD: 28, 29, 30, 9, 10, 11, 13-17, 20-24, 27-30 → 30 Oct
    assert payment.deadline.due_date == dt.date(2025, 10, 30)
    with pytest.raises(ValidationError):
        request_fee_lapse(request=request, by=handler, on=dt.date(2025, 10, 30))
    assert request_deadlines_sweep(today=dt.date(2025, 10, 31))["lapsed"] == 1
    request.refresh_from_db()
    assert (request.status, request.outcome) == ("lapsed", "other_fee_unpaid")
    assert request.concluded_date == dt.date(2025, 10, 31)


def test_payment_resumes_the_clock_with_the_fee_time_not_counted(handler) -> None:
    request = make_request(received=dt.date(2025, 9, 15), by=handler)
    request = request_review_start(request=request, by=handler)
    request = request_fee_notify(
        request=request, by=handler, method="by_volume", pages=40, on=dt.date(2025, 9, 26)
    )
    request = request_fee_pay(request=request, by=handler, on=dt.date(2025, 10, 10))
    assert request.status == InformationRequest.Status.PAID
    # 26 Sep..10 Oct paused: 6 working days added to the plain 20
    assert request.due_date == add_workdays(add_workdays(dt.date(2025, 9, 15), 20), 6)


def test_sweep_reminds_once_per_due_date(handler, mailoutbox) -> None:
    from disclosure.models import EntityMembership

    request = make_request(received=dt.date(2025, 9, 22), by=handler)
    EntityMembership.objects.create(user=handler, entity=request.entity)
    assert request_deadlines_sweep(today=dt.date(2025, 10, 17))["reminded"] == 0
    with __import__("django.test", fromlist=["x"]).TestCase.captureOnCommitCallbacks(execute=True):
        assert request_deadlines_sweep(today=dt.date(2025, 10, 21))["reminded"] == 1
    assert request_deadlines_sweep(today=dt.date(2025, 10, 22))["reminded"] == 0
    assert len(mailoutbox) == 1 and request.tracking_no in mailoutbox[0].subject


def test_fee_notice_stops_the_reply_clock_until_payment_across_golden_week(handler) -> None:
    """国办函〔2020〕109号 with 条例 Art 42: the time from the fee notice until payment is not
    counted in the reply period; unpaid, the clock stays stopped to the end of the payment period.
    """
    request = make_request(received=dt.date(2025, 9, 15), by=handler)
    # 20 WD from 15 Sep: 16-19 (4), 22-26 (9), Sun 28 (10), 29-30 (12), 9-10 Oct (14),
    # Sat 11 (15), 13-17 (20)
    assert request.due_date == dt.date(2025, 10, 17)
    request = request_review_start(request=request, by=handler)
    request = request_fee_notify(
        request=request, by=handler, method="by_volume", pages=150, on=dt.date(2025, 9, 26)
    )
    # while the fee is unpaid the clock stands still up to the payment deadline (30 Oct)
    payment_due = dt.date(2025, 10, 30)
    unpaid_pause = workdays_between(dt.date(2025, 9, 25), payment_due)
    assert request.due_date == add_workdays(dt.date(2025, 10, 17), unpaid_pause)
    # paid on Saturday 11 October, a make-up working day: paused 26, 28, 29, 30 Sep, 9, 10,
    # 11 Oct = 7 working days, so the reply is due 7 working days after 17 Oct
    request = request_fee_pay(request=request, by=handler, on=dt.date(2025, 10, 11))
    assert request.due_date == dt.date(2025, 10, 28)
    steps = request_reply_deadline(request).derivation.steps
    (pause,) = [step for step in steps if step.kind == "pause"]
    assert (pause.first, pause.last, pause.workdays) == (
        dt.date(2025, 9, 26),
        dt.date(2025, 10, 11),
        7,
    )
    assert any(step.kind == "makeup_workday" for step in steps)


def test_a_fee_notice_after_the_handling_period_is_refused(handler) -> None:
    request = make_request(received=dt.date(2025, 9, 15), by=handler)
    request = request_review_start(request=request, by=handler)
    with pytest.raises(ValidationError) as error:
        request_fee_notify(
            request=request, by=handler, method="by_volume", pages=150, on=dt.date(2025, 10, 20)
        )
    assert "fee_notice_date" in error.value.message_dict
    request.refresh_from_db()
    assert (request.status, request.fee_notice_date) == ("in_review", None)
