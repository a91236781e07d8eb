"""Reads for information requests: their clocks (with derivations), tracking, work queues."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from disclosure.models.requests import (
    CONSULTATION_WORKDAYS,
    CORRECTION_NOTICE_WORKDAYS,
    FEE_PAYMENT_WORKDAYS,
    REPLY_WORKDAYS,
    InformationRequest,
    RequestConsultation,
    RequestDocument,
    RequestEvent,
)
from workdays.calendar import Deadline, Pause


def request_reply_pauses(request: InformationRequest) -> tuple[Pause, ...]:
    """The stretches the reply clock stops: consultations (条例 Art 33 ¶2) and the fee notice.

    A consultation pauses the clock from the day it is sent until it is answered, or until its
    15-working-day period ends. The time from the fee notice until payment is not counted
    either (国办函〔2020〕109号; ⚠ confirm against the 办法's text).
    """
    pauses = [Pause(c.sent_date, c.pause_last()) for c in request.consultations.all()]
    if request.fee_notice_date:
        last = request.fee_paid_date or request_fee_payment_deadline(request).due_date
        pauses.append(Pause(request.fee_notice_date, max(last, request.fee_notice_date)))
    return tuple(pauses)


def request_reply_deadline(request: InformationRequest) -> Deadline | None:
    """The reply's deadline: 20 working days (+ the approved extension) from the clock's start.

    The clock starts at receipt (条例 Art 31) and restarts when a corrected application arrives
    (Art 30); consultations and the fee notice pause it. None before the request is received.
    """
    if request.clock_start is None:
        return None
    return Deadline(
        start=request.clock_start,
        workdays=REPLY_WORKDAYS + request.extension_workdays,
        pauses=request_reply_pauses(request),
    )


def request_correction_deadline(request: InformationRequest) -> Deadline | None:
    """The last day to ask for a correction: 7 working days after receipt (条例 Art 30)."""
    if request.received_date is None:
        return None
    return Deadline(start=request.received_date, workdays=CORRECTION_NOTICE_WORKDAYS)


def request_fee_payment_deadline(request: InformationRequest) -> Deadline:
    """Payment is due within 20 working days from the day after the fee notice is received."""
    assert request.fee_notice_date is not None  # noqa: S101 - callers check the notice first
    return Deadline(start=request.fee_notice_date, workdays=FEE_PAYMENT_WORKDAYS)


def consultation_deadline(sent: datetime.date) -> Deadline:
    """A consulted party answers within 15 working days (条例 Art 32, 34)."""
    return Deadline(start=sent, workdays=CONSULTATION_WORKDAYS)


@dataclass(frozen=True)
class RequestClock:
    """One of a request's deadlines as the tracking page shows it."""

    code: str
    deadline: Deadline


def request_clocks(request: InformationRequest) -> list[RequestClock]:
    """The deadlines that matter now for `request`, each with its derivation."""
    clocks: list[RequestClock] = []
    status = InformationRequest.Status
    if request.status == status.RECEIVED and not request.correction_notice_date:
        correction = request_correction_deadline(request)
        if correction:
            clocks.append(RequestClock("correction_notice", correction))
    if request.status == status.FEE_NOTIFIED and request.fee_notice_date:
        clocks.append(RequestClock("fee_payment", request_fee_payment_deadline(request)))
    reply = request_reply_deadline(request)
    if reply is not None and request.concluded_date is None:
        clocks.append(RequestClock("reply", reply))
    return clocks


def request_tracking_queryset() -> QuerySet[InformationRequest]:
    """Requests as the public tracking page loads them (entity, consultations, events)."""
    return InformationRequest.objects.select_related("entity").prefetch_related(
        "consultations",
        Prefetch("events", queryset=RequestEvent.objects.order_by("at", "id")),
    )


def request_detail_queryset() -> QuerySet[InformationRequest]:
    """Requests with everything a clock needs preloaded."""
    return InformationRequest.objects.select_related("entity").prefetch_related(
        Prefetch("consultations", queryset=RequestConsultation.objects.order_by("sent_date"))
    )


def request_open_list(*, entity_ids: set[int] | None = None) -> QuerySet[InformationRequest]:
    """Open requests in due-date order (the officials' work queue), optionally scoped."""
    queryset = request_detail_queryset().open().order_by("due_date", "id")
    if entity_ids is not None:
        queryset = queryset.filter(entity_id__in=entity_ids)
    return queryset


def request_overdue_list(
    *, today: datetime.date, entity_ids: set[int] | None = None
) -> QuerySet[InformationRequest]:
    """Open requests whose reply is overdue on `today` (due date before it)."""
    return request_open_list(entity_ids=entity_ids).filter(due_date__lt=today)


def request_documents_for_applicant(request: InformationRequest) -> QuerySet[RequestDocument]:
    """The reply documents the applicant may download: none before the reply, then all."""
    if request.reply_date is None:
        return RequestDocument.objects.none()
    return RequestDocument.objects.filter(request=request).order_by("id")
