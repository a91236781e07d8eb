"""Writes for information requests (依申请公开), one function per step of 条例 Art 29-45.

Every step goes through `workflow_move` (lock, transition check, narrow save, event row); the
stored `due_date` is recomputed from the clock after each step so that queues and the sweep can
filter on it. Event notes are the office's register (条例 Art 45) and are written in Chinese.

Locks: a step that changes a consultation or an appeal locks its request first, then that row,
the order the admin's steps take (`workflow_guard` locks the request before calling the action).
"""

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from disclosure.actions.workflow import User, require_perm, workflow_move
from disclosure.exceptions import TransitionNotAllowed
from disclosure.models.catalogue import attachment_content_type, validate_attachment_file
from disclosure.models.entities import AdministrativeEntity
from disclosure.models.requests import (
    EXTENSION_MAX_WORKDAYS,
    OUTCOME_CITATIONS,
    InformationRequest,
    Outcome,
    RequestAppeal,
    RequestConsultation,
    RequestDocument,
    RequestEvent,
    fee_by_piece,
    fee_by_volume,
)
from disclosure.selectors.requests import (
    consultation_deadline,
    request_correction_deadline,
    request_fee_payment_deadline,
    request_reply_deadline,
)
from disclosure.tracking import TrackingCredentials, tracking_issue
from disclosure.validators import validate_resident_id
from workdays.calendar import add_workdays

logger = logging.getLogger(__name__)

HANDLE = "disclosure.handle_informationrequest"
APPROVE_EXTENSION = "disclosure.approve_extension_informationrequest"
TRACKING_PREFIX = "YSQ"
CORRECTION_PERIOD_WORKDAYS = 15  # the "reasonable period" the office gives by default
REMINDER_WORKDAYS = 3  # remind officials this many working days before a reply is due

S = InformationRequest.Status
SYSTEM = AnonymousUser()

APPLICANT_FIELDS = (
    "applicant_type",
    "applicant_name",
    "id_type",
    "id_number",
    "contact_phone",
    "contact_email",
    "contact_address",
    "info_title",
    "info_document_no",
    "info_description",
    "delivery_form",
    "channel",
)


def _note(text: str) -> str:
    return text


def _move(
    request: InformationRequest,
    to: str,
    by: User,
    note: str,
    values: dict[str, Any] | None = None,
) -> InformationRequest:
    request = workflow_move(
        record=request,
        to=to,
        by=by,
        note=note,
        event_model=RequestEvent,
        record_field="request",
        values=values,
    )
    _due_date_refresh(request)
    return request


def _due_date_refresh(request: InformationRequest) -> None:
    """Recompute and store the reply's due date (None once the request is concluded)."""
    if hasattr(request, "_prefetched_objects_cache"):
        request._prefetched_objects_cache.clear()
    deadline = request_reply_deadline(request)
    due = deadline.due_date if deadline and request.concluded_date is None else None
    if due != request.due_date:
        request.due_date = due
        InformationRequest.objects.filter(pk=request.pk).update(due_date=due)


def _record_language() -> translation.override:
    return translation.override(settings.LANGUAGE_CODE)


def _today(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


# --- Intake ------------------------------------------------------------------------------------


def request_validate(*, data: dict[str, Any]) -> dict[str, list[str]]:
    """Field errors for an application's data (条例 Art 29 ¶2), as {field: [messages]}.

    Name, identity document, a contact, a description of the information and the form of
    delivery are required; an 18-digit resident ID must pass its GB 11643 check character.
    """
    errors: dict[str, list[str]] = {}
    if data.get("id_type") == InformationRequest.IdType.RESIDENT_ID:
        try:
            validate_resident_id(data.get("id_number", ""))
        except ValidationError as error:
            errors.setdefault("id_number", []).extend(error.messages)
    if not any(data.get(f) for f in ("contact_phone", "contact_email", "contact_address")):
        errors.setdefault("contact_phone", []).append(
            _("Give at least one way to contact you: phone, e-mail or postal address.")
        )
    if not any(data.get(f) for f in ("info_title", "info_document_no", "info_description")):
        errors.setdefault("info_title", []).append(
            _("Describe the information: its title, document number or another description.")
        )
    return errors


def request_submit(
    *,
    entity: AdministrativeEntity,
    data: dict[str, Any],
    by: User = SYSTEM,
    submitted_at: datetime.datetime | None = None,
) -> tuple[InformationRequest, TrackingCredentials]:
    """Register an application and give the applicant a tracking number and password.

    Validates the application (raises ValidationError with field errors, storing nothing). The
    request is "submitted"; the office then confirms receipt (`request_receive`), which sets the
    Art 31 date of receipt and starts the clock.
    """
    clean = {field: data.get(field, "") for field in APPLICANT_FIELDS}
    if clean["id_type"] == InformationRequest.IdType.RESIDENT_ID:
        clean["id_number"] = clean["id_number"].strip().upper()
    errors = request_validate(data=clean)
    request = InformationRequest(
        entity=entity, submitted_at=submitted_at or timezone.now(), **clean
    )
    try:
        request.full_clean(exclude=["tracking_no", "tracking_password_hash", *errors])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    credentials = tracking_issue(request, prefix=TRACKING_PREFIX)
    with transaction.atomic():
        request.save()
        with _record_language():
            note = _("Application submitted through channel: %(channel)s.") % {
                "channel": request.get_channel_display()
            }
        RequestEvent.objects.create(
            request=request,
            actor=by if by.is_authenticated else None,
            from_status="",
            to_status=request.status,
            note=note,
        )
    return request, credentials


def request_receipt_date(
    *, request: InformationRequest, on: datetime.date | None = None
) -> datetime.date:
    """The date of receipt the Regulation gives for the request's channel (条例 Art 31).

    In person: the day it was handed in. Registered post: the day the office signed for it.
    Ordinary post: the day the office confirmed it with the applicant. Online or fax: the day
    both sides confirmed it. `on` is that signing or confirmation day (today when omitted).
    """
    if request.channel == InformationRequest.Channel.IN_PERSON:
        return timezone.localtime(request.submitted_at).date()
    return _today(on)


def request_receive(
    *, request: InformationRequest, by: User, on: datetime.date | None = None
) -> InformationRequest:
    """Confirm receipt: set the Art 31 date of receipt and start the 20-working-day clock."""
    require_perm(by, HANDLE)
    received = request_receipt_date(request=request, on=on)
    if received < timezone.localtime(request.submitted_at).date():
        raise ValidationError(
            {"received_date": _("The date of receipt cannot be before the submission.")}
        )
    with _record_language():
        note = _("Received on %(date)s (Art 31, %(channel)s); the reply clock starts.") % {
            "date": received.isoformat(),
            "channel": request.get_channel_display(),
        }
    return _move(
        request, S.RECEIVED, by, note, {"received_date": received, "clock_start": received}
    )


def request_review_start(
    *, request: InformationRequest, by: User, note: str = ""
) -> InformationRequest:
    """Start the review of a received application that needs no correction."""
    require_perm(by, HANDLE)
    if request.status != S.RECEIVED:
        raise TransitionNotAllowed(obj=request, from_status=request.status, to_status=S.IN_REVIEW)
    return _move(request, S.IN_REVIEW, by, note)


# --- Correction (条例 Art 30) ------------------------------------------------------------------


def request_correction_ask(
    *,
    request: InformationRequest,
    by: User,
    items: str,
    on: datetime.date | None = None,
    period_workdays: int = CORRECTION_PERIOD_WORKDAYS,
) -> InformationRequest:
    """Ask the applicant, once, to correct the application, within 7 working days of receipt.

    States the items to correct and a period; the reply clock restarts from the corrected
    application's receipt (`request_correction_receive`).
    """
    require_perm(by, HANDLE)
    on = _today(on)
    if not items.strip():
        raise ValidationError({"correction_items": _("State what the applicant must correct.")})
    if request.correction_notice_date is not None:
        raise ValidationError(_("A correction may be requested only once (Art 30)."))
    limit = request_correction_deadline(request)
    if limit is None or on > limit.due_date:
        raise ValidationError(
            _("A correction must be requested within 7 working days of receipt (Art 30).")
        )
    period_end = add_workdays(on, period_workdays)
    with _record_language():
        note = _("Correction requested: %(items)s. Period ends on %(date)s.") % {
            "items": items,
            "date": period_end.isoformat(),
        }
    return _move(
        request,
        S.CORRECTION_REQUESTED,
        by,
        note,
        {
            "correction_notice_date": on,
            "correction_items": items,
            "correction_period_end": period_end,
            "clock_start": None,
        },
    )


def request_correction_receive(
    *, request: InformationRequest, by: User, on: datetime.date | None = None
) -> InformationRequest:
    """Record the corrected application: the 20-working-day clock restarts from its receipt."""
    require_perm(by, HANDLE)
    on = _today(on)
    if request.status != S.CORRECTION_REQUESTED:
        raise TransitionNotAllowed(obj=request, from_status=request.status, to_status=S.IN_REVIEW)
    if request.correction_notice_date and on < request.correction_notice_date:
        raise ValidationError(_("The correction cannot arrive before it was requested."))
    with _record_language():
        note = _("Corrected application received on %(date)s; the reply clock restarts.") % {
            "date": on.isoformat()
        }
    return _move(request, S.IN_REVIEW, by, note, {"corrected_date": on, "clock_start": on})


def request_abandon(
    *, request: InformationRequest, by: User, on: datetime.date | None = None
) -> InformationRequest:
    """The correction period passed without an answer: the application is deemed abandoned.

    Counted in Table 三 under 其他处理 1 (条例 Art 30).
    """
    on = _today(on)
    if by is not SYSTEM:
        require_perm(by, HANDLE)
    if request.correction_period_end is None or on <= request.correction_period_end:
        raise ValidationError(_("The correction period has not ended yet."))
    with _record_language():
        note = _("No correction within the period: the application is deemed abandoned.")
    return _move(
        request,
        S.ABANDONED,
        by,
        note,
        {"outcome": Outcome.OTHER_NO_CORRECTION, "concluded_date": on},
    )


# --- Consultations and extension (条例 Art 32-34) ---------------------------------------------


def request_consultation_open(
    *,
    request: InformationRequest,
    by: User,
    kind: str,
    party: str,
    on: datetime.date | None = None,
) -> RequestConsultation:
    """Consult a third party or another agency in writing: 15 working days, clock paused."""
    require_perm(by, HANDLE)
    on = _today(on)
    if kind not in RequestConsultation.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of consultation.")})
    if not party.strip():
        raise ValidationError({"party": _("Name the party consulted.")})
    with transaction.atomic():
        consultation = RequestConsultation.objects.create(
            request=request,
            kind=kind,
            party=party,
            sent_date=on,
            due_date=consultation_deadline(on).due_date,
        )
        with _record_language():
            note = _("Consultation of %(party)s sent on %(date)s; answer due %(due)s.") % {
                "party": party,
                "date": on.isoformat(),
                "due": consultation.due_date.isoformat(),
            }
        if request.status == S.CONSULTING:
            _due_date_refresh(request)
            RequestEvent.objects.create(
                request=request,
                actor=by,
                from_status=S.CONSULTING,
                to_status=S.CONSULTING,
                note=note,
            )
        else:
            _move(request, S.CONSULTING, by, note)
    return consultation


def request_consultation_answer(
    *,
    consultation: RequestConsultation,
    by: User,
    answer: str = "",
    objects_to_disclosure: bool = False,
    on: datetime.date | None = None,
) -> RequestConsultation:
    """Record a consulted party's answer; when none is left open, the review resumes.

    Locks the request, then the consultation: the order every path takes (the admin's step
    locks the request first, in `workflow_guard`), so two officials at once wait in turn
    instead of deadlocking.
    """
    require_perm(by, HANDLE)
    on = _today(on)
    if on < consultation.sent_date:
        raise ValidationError({"answered_date": _("The answer cannot precede the consultation.")})
    with transaction.atomic():
        request = InformationRequest.objects.select_for_update().get(pk=consultation.request_id)
        consultation = RequestConsultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.answered_date is not None:
            raise ValidationError(_("This consultation has already been answered."))
        consultation.answered_date = on
        consultation.answer = answer
        consultation.objects_to_disclosure = objects_to_disclosure
        consultation.save(update_fields=["answered_date", "answer", "objects_to_disclosure"])
        still_open = request.consultations.filter(answered_date__isnull=True).exists()
        with _record_language():
            note = _("%(party)s answered on %(date)s%(objection)s.") % {
                "party": consultation.party,
                "date": on.isoformat(),
                "objection": _(", objecting to disclosure") if objects_to_disclosure else "",
            }
            if not still_open:
                note += _(" The review resumes.")
        if request.status == S.CONSULTING and not still_open:
            back = S.EXTENDED if request.extension_workdays else S.IN_REVIEW
            _move(request, back, by, note)
        else:
            _due_date_refresh(request)
            RequestEvent.objects.create(
                request=request,
                actor=by,
                from_status=request.status,
                to_status=request.status,
                note=note,
            )
    return consultation


def request_extend(
    *,
    request: InformationRequest,
    by: User,
    workdays: int,
    approved_by_name: str,
    on: datetime.date | None = None,
) -> InformationRequest:
    """Extend the reply period by at most 20 working days, approved by the office head (Art 33).

    Once per request; the applicant is told (the event note is the notice's register entry).
    """
    require_perm(by, APPROVE_EXTENSION)
    on = _today(on)
    if request.extension_workdays:
        raise ValidationError(_("The reply period has already been extended."))
    if not 1 <= workdays <= EXTENSION_MAX_WORKDAYS:
        raise ValidationError(
            {"extension_workdays": _("An extension is 1 to 20 working days (Art 33).")}
        )
    if not approved_by_name.strip():
        raise ValidationError(
            {"extension_approved_by": _("Name the office head who approved the extension.")}
        )
    deadline = request_reply_deadline(request)
    if deadline is not None and on > deadline.due_date:
        raise ValidationError(_("The reply period has already ended; it cannot be extended."))
    with _record_language():
        note = _("Reply period extended by %(n)s working days, approved by %(name)s.") % {
            "n": workdays,
            "name": approved_by_name,
        }
    return _move(
        request,
        S.EXTENDED,
        by,
        note,
        {
            "extension_workdays": workdays,
            "extension_approved_by": approved_by_name,
            "extension_date": on,
        },
    )


# --- Fees (国办函〔2020〕109号) ----------------------------------------------------------------


def request_piece_ordinal(*, request: InformationRequest) -> int:
    """Which application this is, for the same applicant in the same natural month (按件)."""
    day = request.received_date or timezone.localtime(request.submitted_at).date()
    month_start = day.replace(day=1)
    same = InformationRequest.objects.filter(
        id_type=request.id_type,
        id_number=request.id_number,
        received_date__gte=month_start,
        received_date__lte=day,
    ).exclude(pk=request.pk)
    earlier = (
        same.filter(received_date__lt=day).count()
        + same.filter(received_date=day, pk__lt=request.pk).count()
    )
    return earlier + 1


def request_fee_notify(
    *,
    request: InformationRequest,
    by: User,
    method: str,
    pages: int = 0,
    on: datetime.date | None = None,
) -> InformationRequest:
    """Notify the applicant of an information-processing fee, by piece or by volume (one only).

    By piece the fee depends on how many applications the same applicant made in the month; by
    volume on the pages. A fee of 0 is not notified. The notice is issued within the handling
    period; payment is due within 20 working days of the day after the notice, and the time from
    the notice until payment is not counted in the reply period (国办函〔2020〕109号).
    """
    require_perm(by, HANDLE)
    on = _today(on)
    if not request.can_move_to(S.FEE_NOTIFIED):
        raise TransitionNotAllowed(
            obj=request, from_status=request.status, to_status=S.FEE_NOTIFIED
        )
    if method == InformationRequest.FeeMethod.BY_PIECE:
        units = request_piece_ordinal(request=request)
        amount = fee_by_piece(units)
    elif method == InformationRequest.FeeMethod.BY_VOLUME:
        if pages <= 0:
            raise ValidationError({"fee_units": _("Give the number of pages.")})
        units, amount = pages, fee_by_volume(pages)
    else:
        raise ValidationError({"fee_method": _("Choose by piece or by volume.")})
    if amount <= 0:
        raise ValidationError(_("No fee is due for this application: it is free."))
    deadline = request_reply_deadline(request)
    if deadline is not None and on > deadline.due_date:
        raise ValidationError(
            {
                "fee_notice_date": _(
                    "A fee notice must be issued within the handling period (by %(date)s)."
                )
                % {"date": deadline.due_date.isoformat()}
            }
        )
    with _record_language():
        note = _("Fee notice: %(amount)s yuan (%(method)s, %(units)s).") % {
            "amount": amount,
            "method": InformationRequest.FeeMethod(method).label,
            "units": units,
        }
    return _move(
        request,
        S.FEE_NOTIFIED,
        by,
        note,
        {"fee_method": method, "fee_units": units, "fee_amount": amount, "fee_notice_date": on},
    )


def request_fee_pay(
    *, request: InformationRequest, by: User, on: datetime.date | None = None
) -> InformationRequest:
    """Record the applicant's payment, within the payment period; the reply clock resumes."""
    require_perm(by, HANDLE)
    on = _today(on)
    if request.fee_notice_date is None:
        raise TransitionNotAllowed(obj=request, from_status=request.status, to_status=S.PAID)
    due = request_fee_payment_deadline(request).due_date
    if on > due or on < request.fee_notice_date:
        raise ValidationError(
            {
                "fee_paid_date": _("Payment must be recorded between the notice and %(date)s.")
                % {"date": due.isoformat()}
            }
        )
    with _record_language():
        note = _("Fee paid on %(date)s.") % {"date": on.isoformat()}
    return _move(request, S.PAID, by, note, {"fee_paid_date": on})


def request_fee_lapse(
    *, request: InformationRequest, by: User, on: datetime.date | None = None
) -> InformationRequest:
    """The fee was not paid in time: the application is no longer handled (其他处理 2)."""
    if by is not SYSTEM:
        require_perm(by, HANDLE)
    on = _today(on)
    if request.fee_notice_date is None or on <= request_fee_payment_deadline(request).due_date:
        raise ValidationError(_("The payment period has not ended yet."))
    with _record_language():
        note = _("The fee was not paid within the period: the application is not handled further.")
    return _move(
        request, S.LAPSED, by, note, {"outcome": Outcome.OTHER_FEE_UNPAID, "concluded_date": on}
    )


# --- Reply and closing (条例 Art 36-37) -------------------------------------------------------

REPLY_OUTCOMES = frozenset(Outcome.values) - {Outcome.OTHER_NO_CORRECTION, Outcome.OTHER_FEE_UNPAID}


def request_reply_letter(*, request: InformationRequest, outcome: str, on: datetime.date) -> str:
    """The reply letter's text (in Chinese, the record's language) with its legal citation."""
    with _record_language():
        parts = [
            _("Reply to the application for government information %(number)s")
            % {"number": request.tracking_no},
            _("%(name)s:") % {"name": request.applicant_name},
            _("On %(date)s we received your application for: %(information)s.")
            % {
                "date": request.received_date.isoformat(),
                "information": request.information_summary,
            },
            _("Decision: %(outcome)s.") % {"outcome": Outcome(outcome).label},
            _("Legal basis: %(citation)s.") % {"citation": OUTCOME_CITATIONS[outcome]},
            _(
                "If you disagree with this reply, you may apply for administrative reconsideration "
                "within 60 days of receiving it, or bring an administrative lawsuit within six "
                "months."
            ),
            f"{request.entity.name}  {on.isoformat()}",
        ]
    return "\n\n".join(parts)


def request_reply(
    *,
    request: InformationRequest,
    by: User,
    outcome: str,
    on: datetime.date | None = None,
    documents: Iterable[tuple[str, File]] = (),
) -> InformationRequest:
    """Reply with one of Table 三's outcomes; the letter is generated, documents attached.

    An unknown outcome is a field error; 其他处理 1 and 2 come only from the abandonment and
    fee-lapse steps.
    """
    require_perm(by, HANDLE)
    on = _today(on)
    if outcome not in REPLY_OUTCOMES:
        raise ValidationError({"outcome": _("Choose one of the reply outcomes of Table 3.")})
    documents = list(documents)
    for _title, file in documents:
        try:
            validate_attachment_file(file)
        except ValidationError as error:
            raise ValidationError({"documents": error.messages}) from None
    if not request.can_move_to(S.REPLIED):
        raise TransitionNotAllowed(obj=request, from_status=request.status, to_status=S.REPLIED)
    letter = request_reply_letter(request=request, outcome=outcome, on=on)
    with _record_language():
        note = _("Replied on %(date)s: %(outcome)s.") % {
            "date": on.isoformat(),
            "outcome": Outcome(outcome).label,
        }
    with transaction.atomic():
        request = _move(
            request,
            S.REPLIED,
            by,
            note,
            {"outcome": outcome, "reply_date": on, "reply_letter": letter, "concluded_date": on},
        )
        for title, file in documents:
            _document_store(request, title, file)
    return request


def request_close(
    *, request: InformationRequest, by: User, on: datetime.date | None = None
) -> InformationRequest:
    """Close and archive a concluded request (条例 Art 45)."""
    require_perm(by, HANDLE)
    on = _today(on)
    with _record_language():
        note = _("Closed and archived.")
    return _move(request, S.CLOSED, by, note, {"closed_date": on})


# --- Appeals (Table 四) -----------------------------------------------------------------------


def request_appeal_record(
    *,
    request: InformationRequest,
    by: User,
    kind: str,
    filed_date: datetime.date,
    body: str = "",
) -> RequestAppeal:
    """Record an administrative reconsideration or lawsuit about a concluded request."""
    require_perm(by, HANDLE)
    if kind not in RequestAppeal.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of appeal.")})
    if request.concluded_date is None:
        raise ValidationError(_("An appeal concerns a request that has been answered."))
    if filed_date < request.concluded_date:
        raise ValidationError(
            {"filed_date": _("An appeal cannot be filed before the request was concluded.")}
        )
    with transaction.atomic():
        appeal = RequestAppeal.objects.create(
            request=request, kind=kind, filed_date=filed_date, body=body
        )
        with _record_language():
            note = _("%(kind)s filed on %(date)s.") % {
                "kind": appeal.get_kind_display(),
                "date": filed_date.isoformat(),
            }
        RequestEvent.objects.create(
            request=request,
            actor=by if by.is_authenticated else None,
            from_status=request.status,
            to_status=request.status,
            note=note,
        )
    return appeal


def request_appeal_decide(
    *, appeal: RequestAppeal, by: User, result: str, on: datetime.date
) -> RequestAppeal:
    """Record an appeal's result: upheld, corrected or other (维持, 纠正, 其他).

    Once only: a pending appeal is decided; a decided one is not decided again (Table 四 counts
    each appeal under one result). Locks the request, then the appeal, as
    `request_consultation_answer` does: the event row's reference to the request would
    otherwise wait on an admin step that holds the request and waits for the appeal.
    """
    require_perm(by, HANDLE)
    if result not in RequestAppeal.Result.values or result == RequestAppeal.Result.PENDING:
        raise ValidationError({"result": _("Choose upheld, corrected or other.")})
    if on < appeal.filed_date:
        raise ValidationError({"decided_date": _("A decision cannot precede the filing.")})
    with transaction.atomic():
        request = InformationRequest.objects.select_for_update().get(pk=appeal.request_id)
        appeal = RequestAppeal.objects.select_for_update().get(pk=appeal.pk)
        if appeal.result != RequestAppeal.Result.PENDING:
            raise ValidationError(_("This appeal has already been decided."))
        appeal.result = result
        appeal.decided_date = on
        appeal.save(update_fields=["result", "decided_date"])
        with _record_language():
            note = _("%(kind)s decided on %(date)s: %(result)s.") % {
                "kind": appeal.get_kind_display(),
                "date": on.isoformat(),
                "result": appeal.get_result_display(),
            }
        RequestEvent.objects.create(
            request=request,
            actor=by if by.is_authenticated else None,
            from_status=request.status,
            to_status=request.status,
            note=note,
        )
    return appeal


# --- Reply documents --------------------------------------------------------------------------


def request_document_attach(
    *, request: InformationRequest, by: User, title: str, file: File
) -> RequestDocument:
    """Attach a document to a reply, for the applicant to download from the tracking page.

    Only a replied request takes documents (a closed one is archived). The file is checked by
    its content (PDF, office documents, OFD, PNG, JPEG; size limit) and stored under a random
    name; the event row records the title.
    """
    require_perm(by, HANDLE)
    if not title.strip():
        raise ValidationError({"title": _("Give the document a title.")})
    try:
        validate_attachment_file(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    with transaction.atomic():
        locked = InformationRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != S.REPLIED:
            raise ValidationError(
                _("Documents are attached to a replied request (this one is “%(status)s”).")
                % {"status": locked.get_status_display()}
            )
        document = _document_store(locked, title, file)
        with _record_language():
            note = _("Reply document attached: %(title)s.") % {"title": title}
        RequestEvent.objects.create(
            request=locked,
            actor=by,
            from_status=locked.status,
            to_status=locked.status,
            note=note,
        )
    return document


def _document_store(request: InformationRequest, title: str, file: File) -> RequestDocument:
    """Save a checked reply document under a random name (the file is removed if saving fails)."""
    document = RequestDocument(
        request=request,
        title=title.strip(),
        content_type=attachment_content_type(file) or "",
        size=file.size or 0,
    )
    document.file.save(getattr(file, "name", "") or "document", file, save=False)
    saved, storage = document.file.name, document.file.storage
    try:
        document.save()
    except Exception:
        storage.delete(saved)
        raise
    return document


# --- Sweep ------------------------------------------------------------------------------------


def request_deadlines_sweep(*, today: datetime.date | None = None) -> dict[str, int]:
    """Refresh due dates, remind officials before a reply is due, conclude expired steps.

    Idempotent (run by `manage.py sweep_deadlines` from cron): a reminder is
    sent once per due date; an ended correction period makes the request abandoned and an
    ended payment period makes it lapsed, as the Regulation and 国办函〔2020〕109号 say.
    """
    from disclosure.selectors.requests import request_open_list

    today = _today(today)
    counts = {"abandoned": 0, "lapsed": 0, "reminded": 0}
    for request in InformationRequest.objects.filter(
        status=S.CORRECTION_REQUESTED, correction_period_end__lt=today
    ):
        request_abandon(request=request, by=SYSTEM, on=today)
        counts["abandoned"] += 1
    for request in InformationRequest.objects.filter(status=S.FEE_NOTIFIED):
        if today > request_fee_payment_deadline(request).due_date:
            request_fee_lapse(request=request, by=SYSTEM, on=today)
            counts["lapsed"] += 1
    horizon = add_workdays(today, REMINDER_WORKDAYS)
    for request in request_open_list().filter(due_date__lte=horizon):
        if request.reminded_for == request.due_date:
            continue
        InformationRequest.objects.filter(pk=request.pk).update(reminded_for=request.due_date)
        counts["reminded"] += 1
        transaction.on_commit(lambda r=request: _reminder_send(r, today))
    return counts


def _reminder_send(request: InformationRequest, today: datetime.date) -> None:
    """E-mail the entity's officials (and its disclosure office) that a reply is due soon."""
    from disclosure.models import EntityMembership

    recipients = sorted(
        {
            m.user.email
            for m in EntityMembership.objects.filter(entity_id=request.entity_id).select_related(
                "user"
            )
            if m.user.email
        }
        | (
            {request.entity.disclosure_office_email}
            if request.entity.disclosure_office_email
            else set()
        )
    )
    if not recipients:
        return
    with _record_language():
        overdue = request.due_date < today
        subject = (
            _("Information request %(number)s is overdue (due %(date)s)")
            if overdue
            else _("Information request %(number)s is due on %(date)s")
        ) % {"number": request.tracking_no, "date": request.due_date.isoformat()}
    send_mail(subject, subject, None, recipients, fail_silently=True)


def request_digest_send(*, today: datetime.date | None = None) -> int:
    """E-mail each request handler their open requests that are overdue or due soon.

    The daily digest (`manage.py requests_digest`, from cron once a day): for every active
    official with the handling permission and an e-mail address, the open requests of the
    entities they keep (`entity_ids_for_official`) whose reply is overdue or due within
    REMINDER_WORKDAYS working days, overdue first. Returns the number of officials e-mailed.
    """
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from disclosure.selectors.memberships import entity_ids_for_official
    from disclosure.selectors.requests import request_open_list

    today = _today(today)
    horizon = add_workdays(today, REMINDER_WORKDAYS)
    due = list(request_open_list().filter(due_date__lte=horizon).select_related("entity"))
    if not due:
        return 0
    handlers = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(
            Q(user_permissions__codename="handle_informationrequest")
            | Q(groups__permissions__codename="handle_informationrequest")
            | Q(is_superuser=True)
        )
        .distinct()
        .order_by("pk")
    )
    sent = 0
    for user in handlers:
        scope = entity_ids_for_official(user)
        mine = [r for r in due if scope is None or r.entity_id in scope]
        if not mine:
            continue
        with _record_language():
            overdue = sum(1 for r in mine if r.due_date < today)
            subject = _("Information requests: %(overdue)d overdue, %(soon)d due soon") % {
                "overdue": overdue,
                "soon": len(mine) - overdue,
            }
            lines = [
                _("%(number)s (%(entity)s): reply due %(due)s%(overdue)s")
                % {
                    "number": r.tracking_no,
                    "entity": r.entity.name,
                    "due": r.due_date.isoformat(),
                    "overdue": _(" (overdue)") if r.due_date < today else "",
                }
                for r in sorted(mine, key=lambda r: (r.due_date, r.pk))
            ]
        send_mail(subject, "\n".join(lines), None, [user.email], fail_silently=True)
        sent += 1
    return sent
