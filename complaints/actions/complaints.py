"""Writes for efficiency complaints: one function per use case (style: keyword-only, atomic).

Officials' moves go through `disclosure.actions.workflow.workflow_move` (lock, TRANSITIONS check,
event row). The complainant's own moves (add information, withdraw, rate, ask for
reconsideration) are authorised by the tracking number and password, checked by the caller
(`tracking_lookup`), so they take no `by`.
"""

import datetime
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as N_

from complaints.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    ComplaintIdentityReveal,
    ComplaintPause,
    Open311Key,
    Open311Token,
)
from complaints.models.complaints import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_MAX_FILES,
    IDENTITY_FIELDS,
    TRACKING_PREFIX,
    anonymise_after_days,
    auto_close_days,
    reconsideration_days,
    stage_workdays,
)
from complaints.selectors.ledger_cache import ledger_cache_bump
from disclosure.actions.workflow import require_perm, workflow_move
from disclosure.exceptions import TransitionNotAllowed
from disclosure.images import image_without_metadata
from disclosure.models.catalogue import attachment_content_type
from disclosure.tracking import TrackingCredentials, tracking_issue

User = AbstractBaseUser | AnonymousUser
S = Complaint.Status
PERM_HANDLE = "complaints.handle_complaint"


class ComplaintRuleError(ValueError):
    """A complainant's request the rules refuse (its message is shown to the citizen)."""


# --- Attachments -------------------------------------------------------------------------------


def complaint_attachment_check(file: UploadedFile) -> str:
    """The file's content type if it is an accepted image or PDF within the size limit."""
    return _attachment_prepared(file)[0]


def _attachment_prepared(file: UploadedFile) -> tuple[str, bytes | None]:
    """(content type, re-encoded image bytes or None for a PDF), checked once per upload.

    The form, the action and the store all check a file; the image is decoded and re-encoded
    once (it was three or four times), the result kept on the upload object.
    """
    prepared = getattr(file, "_complaint_prepared", None)
    if prepared is not None:
        return prepared
    if file.size is not None and file.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            gettext_lazy("The file is too large: at most %(limit)d MB is allowed."),
            code="attachment_too_large",
            params={"limit": ATTACHMENT_MAX_BYTES // (1024 * 1024)},
        )
    content_type = attachment_content_type(file)
    if content_type not in ("application/pdf", "image/png", "image/jpeg"):
        raise ValidationError(
            gettext_lazy("This file type is not accepted. Upload a JPEG or PNG image or a PDF."),
            code="attachment_type",
        )
    data = None
    if content_type.startswith("image/"):
        data = _image_reencoded(file, content_type)  # refuses a file that only starts like one
    prepared = (content_type, data)
    file._complaint_prepared = prepared
    return prepared


def _image_reencoded(file: UploadedFile, content_type: str) -> bytes:
    """The image re-encoded from its pixels alone (disclosure.images), in the complaint's words."""
    try:
        return image_without_metadata(file, content_type)
    except ValidationError as error:
        raise ValidationError(
            gettext_lazy("This image could not be read. Upload a JPEG or PNG image or a PDF."),
            code="attachment_unreadable",
        ) from error


def _attachment_store(complaint: Complaint, file: UploadedFile) -> ComplaintAttachment:
    content_type, data = _attachment_prepared(file)
    if data is None:
        file.seek(0)
        data = file.read()
    attachment = ComplaintAttachment(complaint=complaint, content_type=content_type, size=len(data))
    attachment.file.save("upload", ContentFile(data), save=False)
    attachment.save()
    return attachment


def _ledger_changed() -> None:
    """The public ledger's cached counts are out of date once this transaction commits."""
    transaction.on_commit(ledger_cache_bump)


# --- Submission --------------------------------------------------------------------------------


def _record_note(text: str, **params: Any) -> str:
    """An official record's note, written in the district's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(text) % params if params else _(text)


def _event(
    complaint: Complaint,
    *,
    by: User | None,
    from_status: str,
    note: str,
    kind: str = ComplaintEvent.Kind.TRANSITION,
    public: bool = True,
) -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        complaint=complaint,
        actor=by if by is not None and by.is_authenticated else None,
        from_status=from_status,
        to_status=complaint.status,
        note=note,
        kind=kind,
        public=public,
    )


def complaint_submit(
    *,
    category: str,
    description: str,
    entity: Any = None,
    window: Any = None,
    item: Any = None,
    case: Any = None,
    institution: Any = None,
    occurred_on: datetime.date | None = None,
    place: str = "",
    anonymous: bool = False,
    complainant_name: str = "",
    complainant_mobile: str = "",
    complainant_email: str = "",
    attachments: Sequence[UploadedFile] = (),
    channel: str = "web",
    received_on: datetime.date | None = None,
) -> tuple[Complaint, TrackingCredentials]:
    """File a complaint (no account needed); returns it and the credentials to show once.

    The caller has validated the fields (the form or the serializer); the database constraints
    still refuse a complaint without a target or a named complaint without a mobile number.
    """
    if len(attachments) > ATTACHMENT_MAX_FILES:
        raise ValidationError(
            gettext_lazy("At most %(n)d files may be attached."), params={"n": ATTACHMENT_MAX_FILES}
        )
    for file in attachments:
        complaint_attachment_check(file)
    today = received_on or timezone.localdate()
    values: dict[str, Any] = {
        "entity": entity,
        "window": window,
        "item": item,
        "case": case,
    }
    if institution is not None and hasattr(Complaint, "institution"):
        values["institution"] = institution
    complaint = Complaint(
        **values,
        category=category,
        description=description,
        occurred_on=occurred_on,
        place=place,
        anonymous=anonymous,
        complainant_name="" if anonymous else complainant_name,
        complainant_mobile="" if anonymous else complainant_mobile,
        complainant_email="" if anonymous else complainant_email,
        channel=channel,
        status=S.SUBMITTED,
        received_on=today,
        stage_started_on=today,
        stage_workdays=stage_workdays()[S.SUBMITTED],
    )
    with transaction.atomic():
        credentials = tracking_issue(complaint, prefix=TRACKING_PREFIX)
        complaint.stage_due_on = complaint.deadline().due_date
        complaint.save()
        for file in attachments:
            _attachment_store(complaint, file)
        _event(complaint, by=None, from_status="", note=_record_note(N_("Complaint received.")))
        _ledger_changed()
        transaction.on_commit(lambda: complaints_cluster_alert(complaint=complaint))
    return complaint, credentials


def complaints_cluster_alert(*, complaint: Complaint) -> bool:
    """E-mail the supervision bureau when N complaints about one window or item arrive within
    M days (settings.COMPLAINTS_ALERT_THRESHOLD, COMPLAINTS_ALERT_DAYS); once per threshold hit.
    """
    threshold = int(getattr(settings, "COMPLAINTS_ALERT_THRESHOLD", 3))
    days = int(getattr(settings, "COMPLAINTS_ALERT_DAYS", 30))
    since = complaint.received_on - datetime.timedelta(days=days)
    address = getattr(settings, "COMPLAINTS_BUREAU_EMAIL", "") or getattr(
        settings, "GONGKAI_CONTACT_EMAIL", ""
    )
    for field in ("window", "item"):
        target = getattr(complaint, field)
        if target is None:
            continue
        count = Complaint.objects.filter(**{field: target}, received_on__gte=since).count()
        if count == threshold and address:
            with translation.override(settings.LANGUAGE_CODE):
                send_mail(
                    _("%(n)d complaints about %(target)s within %(days)d days")
                    % {"n": count, "target": target, "days": days},
                    _("The latest: %(number)s.") % {"number": complaint.tracking_no},
                    settings.DEFAULT_FROM_EMAIL,
                    [address],
                    fail_silently=True,
                )
            return True
    return False


# --- Officials' moves --------------------------------------------------------------------------


def _move(
    complaint: Complaint,
    *,
    to: str,
    by: User,
    note: str,
    values: dict[str, Any] | None = None,
    today: datetime.date | None = None,
) -> Complaint:
    """Move with a fresh stage clock when the new status has one."""
    today = today or timezone.localdate()
    values = dict(values or {})
    limits = stage_workdays()
    if to in limits:
        values.update(stage_started_on=today, stage_workdays=limits[to], overdue_on=None)
    workflow_move(
        record=complaint,
        to=to,
        by=by,
        note=note,
        event_model=ComplaintEvent,
        record_field="complaint",
        values=values,
    )
    _ledger_changed()  # after the move: outside a transaction, on_commit runs at once
    _due_refresh(complaint)
    return complaint


def _due_refresh(complaint: Complaint) -> None:
    deadline = complaint.deadline()
    due = deadline.due_date if deadline is not None else None
    if due != complaint.stage_due_on:
        complaint.stage_due_on = due
        Complaint.objects.filter(pk=complaint.pk).update(stage_due_on=due)


def _notify(complaint: Complaint, subject: str, body: str) -> None:
    """E-mail a named complainant after the commit (nothing for anonymous complaints)."""
    address = complaint.complainant_email
    if complaint.anonymous or not address:
        return
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True)
    )


def complaint_register(
    *, complaint: Complaint, by: User, note: str = "", today: datetime.date | None = None
) -> Complaint:
    """立案: the complaint is taken on; the clock to assign an investigator starts."""
    require_perm(by, PERM_HANDLE)
    today = today or timezone.localdate()
    _move(
        complaint,
        to=S.REGISTERED,
        by=by,
        note=note or _record_note(N_("Complaint registered.")),
        values={"registered_on": today},
        today=today,
    )
    with translation.override(settings.LANGUAGE_CODE):
        _notify(
            complaint,
            _("Your complaint %(number)s has been registered") % {"number": complaint.tracking_no},
            _("Your complaint has been registered and will be investigated."),
        )
    return complaint


def complaint_decline(
    *, complaint: Complaint, by: User, reason: str, note: str = "", today=None
) -> Complaint:
    """不予受理, with a reason from the list; the complaint stays in the ledger."""
    require_perm(by, PERM_HANDLE)
    if reason not in Complaint.DeclineReason.values:
        raise ValidationError({"reason": gettext_lazy("Choose a reason from the list.")})
    _move(
        complaint,
        to=S.DECLINED,
        by=by,
        note=note or str(Complaint.DeclineReason(reason).label),
        values={"decline_reason": reason},
        today=today,
    )
    with translation.override(settings.LANGUAGE_CODE):
        _notify(
            complaint,
            _("Your complaint %(number)s was not taken on") % {"number": complaint.tracking_no},
            str(Complaint.DeclineReason(reason).label),
        )
    return complaint


def complaint_assign(
    *, complaint: Complaint, by: User, investigator: AbstractBaseUser, note: str = "", today=None
) -> Complaint:
    """Assign an investigator of the supervision bureau."""
    require_perm(by, PERM_HANDLE)
    if not investigator.has_perm(PERM_HANDLE):
        raise ValidationError(
            {"investigator": gettext_lazy("The investigator must be allowed to handle complaints.")}
        )
    return _move(
        complaint,
        to=S.ASSIGNED,
        by=by,
        note=note or _record_note(N_("Investigator assigned.")),
        values={"investigator": investigator},
        today=today,
    )


def complaint_investigate(
    *, complaint: Complaint, by: User, note: str = "", today=None
) -> Complaint:
    """Start (or, after a reconsideration request, restart) the investigation."""
    require_perm(by, PERM_HANDLE)
    return _move(
        complaint,
        to=S.INVESTIGATING,
        by=by,
        note=note or _record_note(N_("Investigation started.")),
        today=today,
    )


def complaint_transfer(
    *, complaint: Complaint, by: User, entity: Any, note: str, today=None
) -> Complaint:
    """Transfer the investigation to another department (status and clock unchanged)."""
    require_perm(by, PERM_HANDLE)
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.status not in (S.ASSIGNED, S.INVESTIGATING):
            raise TransitionNotAllowed(obj=locked, from_status=locked.status, to_status="transfer")
        locked.entity = entity
        locked.save(update_fields=["entity", "updated_at"])
        _ledger_changed()
        _event(
            locked,
            by=by,
            from_status=locked.status,
            kind=ComplaintEvent.Kind.TRANSFER,
            note=note or _record_note(N_("Transferred to %(entity)s."), entity=entity),
        )
    complaint.entity = entity
    return complaint


def complaint_request_information(
    *, complaint: Complaint, by: User, note: str, today: datetime.date | None = None
) -> Complaint:
    """Ask the complainant for information: the investigation clock pauses until they answer."""
    require_perm(by, PERM_HANDLE)
    today = today or timezone.localdate()
    with transaction.atomic():
        _ledger_changed()
        workflow_move(
            record=complaint,
            to=S.AWAITING_INFORMATION,
            by=by,
            note=note,
            event_model=ComplaintEvent,
            record_field="complaint",
        )
        ComplaintPause.objects.create(complaint=complaint, first=today)
    return complaint


def complaint_conclude(
    *,
    complaint: Complaint,
    by: User,
    finding: str,
    measures: Iterable[str],
    conclusion: str,
    note: str = "",
    today: datetime.date | None = None,
) -> Complaint:
    """The investigation's finding and measures; the clock to reply starts."""
    require_perm(by, PERM_HANDLE)
    measures = list(dict.fromkeys(measures))
    errors = {}
    if finding not in Complaint.Finding.values:
        errors["finding"] = gettext_lazy("Choose a finding from the list.")
    if any(measure not in Complaint.Measure.values for measure in measures):
        errors["measures"] = gettext_lazy("Choose measures from the list.")
    if not conclusion.strip():
        errors["conclusion"] = gettext_lazy("Write the conclusion.")
    if errors:
        raise ValidationError(errors)
    today = today or timezone.localdate()
    return _move(
        complaint,
        to=S.CONCLUDED,
        by=by,
        note=note or _record_note(N_("Investigation concluded.")),
        values={
            "finding": finding,
            "measures": measures,
            "conclusion": conclusion,
            "concluded_on": today,
        },
        today=today,
    )


def complaint_reply(
    *, complaint: Complaint, by: User, reply: str, note: str = "", today=None
) -> Complaint:
    """Reply to the complainant; the reconsideration and auto-close periods start."""
    require_perm(by, PERM_HANDLE)
    if not reply.strip():
        raise ValidationError({"reply": gettext_lazy("Write the reply.")})
    today = today or timezone.localdate()
    _move(
        complaint,
        to=S.REPLIED,
        by=by,
        note=note or _record_note(N_("Reply sent to the complainant.")),
        values={"reply": reply, "replied_on": today},
        today=today,
    )
    with translation.override(settings.LANGUAGE_CODE):
        _notify(
            complaint,
            _("Reply to your complaint %(number)s") % {"number": complaint.tracking_no},
            reply,
        )
    return complaint


def complaint_close(
    *, complaint: Complaint, by: User, note: str = "", today: datetime.date | None = None
) -> Complaint:
    """Close a replied complaint. No complaint closes without a reply (also a constraint)."""
    require_perm(by, PERM_HANDLE)
    return _close(complaint, by=by, note=note, today=today)


def _close(complaint: Complaint, *, by: User | None, note: str, today=None) -> Complaint:
    if not complaint.reply.strip() or complaint.replied_on is None:
        raise ComplaintRuleError(_("A complaint cannot be closed before it has been replied to."))
    today = today or timezone.localdate()
    return _move(
        complaint,
        to=S.CLOSED,
        by=by or AnonymousUser(),
        note=note or _record_note(N_("Complaint closed.")),
        values={"closed_on": today},
        today=today,
    )


# --- The complainant's moves (authorised by number and password) --------------------------------


_OPEN_FOR_INFORMATION = (
    S.SUBMITTED,
    S.REGISTERED,
    S.ASSIGNED,
    S.INVESTIGATING,
    S.AWAITING_INFORMATION,
)


def complaint_add_information(
    *,
    complaint: Complaint,
    text: str,
    attachments: Sequence[UploadedFile] = (),
    today: datetime.date | None = None,
) -> Complaint:
    """The complainant adds information; if they were asked for it, the clock runs again."""
    if complaint.status not in _OPEN_FOR_INFORMATION:
        raise ComplaintRuleError(_("Information can no longer be added to this complaint."))
    if not text.strip() and not attachments:
        raise ValidationError({"text": gettext_lazy("Write the information or attach a file.")})
    for file in attachments:
        complaint_attachment_check(file)
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        for file in attachments:
            _attachment_store(locked, file)
        # The text is the complainant's own: kept in the record, not on the public timeline.
        _event(
            locked,
            by=None,
            from_status=locked.status,
            kind=ComplaintEvent.Kind.INFORMATION,
            note=text,
            public=False,
        )
        if locked.status == S.AWAITING_INFORMATION:
            pause = locked.pauses.filter(last__isnull=True).order_by("-first").first()
            if pause is not None:
                pause.last = max(today, pause.first)
                pause.save(update_fields=["last"])
            _ledger_changed()
            workflow_move(
                record=locked,
                to=S.INVESTIGATING,
                by=AnonymousUser(),
                note=_record_note(
                    N_("The complainant provided the information; the clock runs again.")
                ),
                event_model=ComplaintEvent,
                record_field="complaint",
            )
            _due_refresh(locked)
    complaint.refresh_from_db()
    return complaint


def complaint_withdraw(
    *, complaint: Complaint, reason: str, today: datetime.date | None = None
) -> Complaint:
    """The complainant withdraws; the complaint stays in the ledger with the reason."""
    if not reason.strip():
        raise ValidationError({"reason": gettext_lazy("Say why you withdraw the complaint.")})
    today = today or timezone.localdate()
    return _move(
        complaint,
        to=S.WITHDRAWN,
        by=AnonymousUser(),
        note=_record_note(N_("Withdrawn by the complainant.")),
        values={"withdrawn_on": today, "withdraw_reason": reason},
        today=today,
    )


def complaint_rate(
    *, complaint: Complaint, rating: int, today: datetime.date | None = None
) -> Complaint:
    """The complainant rates the reply (five levels); a rated reply closes the complaint."""
    if complaint.status != S.REPLIED or complaint.rating is not None:
        raise ComplaintRuleError(_("Only a reply that has not been rated yet can be rated."))
    if rating not in Complaint.Rating.values:
        raise ValidationError({"rating": gettext_lazy("Choose a rating from 1 to 5.")})
    with transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(rating=rating)
        complaint.rating = rating
        _event(
            complaint,
            by=None,
            from_status=complaint.status,
            kind=ComplaintEvent.Kind.RATING,
            note=_record_note(
                N_("Reply rated: %(rating)s."), rating=Complaint.Rating(rating).label
            ),
        )
        _close(complaint, by=None, note=_record_note(N_("Closed after the complainant's rating.")))
    return complaint


def complaint_request_reconsideration(
    *, complaint: Complaint, reason: str, today: datetime.date | None = None
) -> Complaint:
    """Once, within the configured days after the reply: the investigation reopens."""
    today = today or timezone.localdate()
    if not reason.strip():
        raise ValidationError({"reason": gettext_lazy("Say why you ask for a reconsideration.")})
    until = complaint.reconsideration_open_until()
    if complaint.status not in (S.REPLIED, S.CLOSED) or until is None or today > until:
        raise ComplaintRuleError(
            _("A reconsideration can be asked for once, within %(days)d days of the reply.")
            % {"days": reconsideration_days()}
        )
    return _move(
        complaint,
        to=S.INVESTIGATING,
        by=AnonymousUser(),
        note=_record_note(N_("Reconsideration requested: %(reason)s"), reason=reason),
        values={"reconsideration_requested_on": today, "closed_on": None},
        today=today,
    )


# --- Privacy -----------------------------------------------------------------------------------


def complaint_identity_reveal(*, complaint: Complaint, by: User, surface: str) -> dict[str, str]:
    """The complainant's identity for an official entitled to it; every reveal is logged."""
    from complaints.selectors.complaints import complainant_identity_visible

    if not complainant_identity_visible(by, complaint):
        raise PermissionError(_("You may not see this complainant's identity."))
    ComplaintIdentityReveal.objects.create(complaint=complaint, user=by, surface=surface)
    return {field: getattr(complaint, field) for field in IDENTITY_FIELDS}


# --- Sweeps ------------------------------------------------------------------------------------


def complaints_sweep(*, today: datetime.date | None = None) -> dict[str, int]:
    """Flag overdue stages and close replied complaints left unrated. Idempotent."""
    today = today or timezone.localdate()
    flagged = 0
    for complaint in (
        Complaint.objects.with_clock()
        .filter(overdue_on__isnull=True, stage_due_on__lt=today)
        .prefetch_related("pauses")
    ):
        with transaction.atomic():
            updated = Complaint.objects.filter(pk=complaint.pk, overdue_on__isnull=True).update(
                overdue_on=today
            )
            if updated:
                flagged += 1
                _event(
                    complaint,
                    by=None,
                    from_status=complaint.status,
                    kind=ComplaintEvent.Kind.OVERDUE,
                    note=_record_note(
                        N_("Stage overdue (due %(due)s)."), due=complaint.stage_due_on
                    ),
                    public=False,
                )
    closed = 0
    limit = today - datetime.timedelta(days=auto_close_days())
    for complaint in Complaint.objects.filter(status=S.REPLIED, replied_on__lte=limit):
        _close(
            complaint,
            by=None,
            note=_record_note(N_("Closed automatically: no rating within the period.")),
            today=today,
        )
        closed += 1
    return {"overdue": flagged, "closed": closed}


def complaints_anonymise(*, today: datetime.date | None = None) -> int:
    """Erase the identity of complaints closed more than the configured days ago."""
    today = today or timezone.localdate()
    limit = today - datetime.timedelta(days=anonymise_after_days())
    return (
        Complaint.objects.filter(
            status__in=[S.CLOSED, S.DECLINED, S.WITHDRAWN],
            anonymised_on__isnull=True,
            updated_at__date__lte=limit,
        )
        .exclude(anonymous=True)
        .update(
            complainant_name="", complainant_mobile="", complainant_email="", anonymised_on=today
        )
    )


def complaints_digest_send(*, today: datetime.date | None = None) -> int:
    """E-mail each complaint handler what is overdue or due within two working days."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from complaints.selectors.complaints import complaints_queue
    from workdays.calendar import add_workdays

    today = today or timezone.localdate()
    horizon = add_workdays(today, 2)
    handlers = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(
            Q(user_permissions__codename="handle_complaint")
            | Q(groups__permissions__codename="handle_complaint")
            | Q(is_superuser=True)
        )
        .distinct()
    )
    sent = 0
    for user in handlers:
        due = list(
            complaints_queue(user)
            .filter(stage_due_on__lte=horizon)
            .filter(Q(investigator=user) | Q(investigator__isnull=True))
        )
        if not due:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            lines = [
                _("%(number)s: %(status)s, due %(due)s%(overdue)s")
                % {
                    "number": complaint.tracking_no,
                    "status": complaint.get_status_display(),
                    "due": complaint.stage_due_on,
                    "overdue": _(" (overdue)") if complaint.stage_due_on < today else "",
                }
                for complaint in due
            ]
            send_mail(
                _("Complaints due: %(n)d") % {"n": len(due)},
                "\n".join(lines),
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
                fail_silently=True,
            )
        sent += 1
    return sent


# --- Open311 ------------------------------------------------------------------------------------


def open311_token_issue(*, complaint: Complaint, api_key: Open311Key | None) -> Open311Token:
    """Issue the token an Open311 POST returns for `complaint` (one per complaint).

    The token is random (128 bits) and reveals, through `GET tokens/{token}`, only what
    `GET requests/{id}` shows anyway.
    """
    with transaction.atomic():
        existing = Open311Token.objects.select_for_update().filter(complaint=complaint).first()
        if existing is not None:
            return existing
        return Open311Token.objects.create(
            token=secrets.token_hex(16), complaint=complaint, api_key=api_key
        )
