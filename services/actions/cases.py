"""Writes to service cases (办件): receive, correct, accept, suspend, resume, decide, withdraw.

Every move goes through `disclosure.actions.workflow.workflow_move` (lock, TRANSITIONS check,
narrow save, history row). Dates are legal dates in the district's time zone; the clock comes
from `workdays.calendar.Deadline`.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from disclosure.actions.workflow import require_perm, workflow_event_record, workflow_move
from disclosure.exceptions import TransitionNotAllowed
from disclosure.tracking import (
    TrackingCredentials,
    tracking_issue,
    tracking_number_normalise,
    tracking_password_hash,
)
from services.actions.summaries import case_contribution, summary_apply
from services.models import (
    JointMeetingDecision,
    ServiceCase,
    ServiceCaseEvent,
    ServiceCasePause,
    ServiceItem,
    ServiceWindow,
)
from services.models.cases import CORRECTION_NOTICE_WORKDAYS
from workdays.calendar import Deadline, Pause, add_workdays

User = AbstractBaseUser | AnonymousUser
HANDLE = "services.handle_servicecase"
CASE_NO_PREFIX = "BJ"
# The statuses from which an application is accepted (受理): as received, or once corrected.
ACCEPTABLE = frozenset({ServiceCase.Status.RECEIVED, ServiceCase.Status.CORRECTION_REQUESTED})


def _record_note(message: str) -> str:
    """An official record's note is written in the district's language (Chinese)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(message)


def case_deadline(*, case: ServiceCase, on: datetime.date | None = None) -> Deadline | None:
    """The case's clock: its committed limit from acceptance (day 0), less its pauses.

    An open suspension counts as paused up to `on` (today by default). None before acceptance.
    """
    if case.accepted_on is None:
        return None
    today = on or timezone.localdate()
    pauses = []
    for pause in case.pauses.all():
        last = pause.last or max(today, pause.first)
        pauses.append(Pause(pause.first, last))
    return Deadline(start=case.accepted_on, workdays=case.committed_days, pauses=tuple(pauses))


def _due_values(case: ServiceCase) -> dict:
    deadline = case_deadline(case=case)
    if deadline is None:
        return {}
    return {"due_date": deadline.due_date, "due_provisional": deadline.provisional}


def _move(
    case: ServiceCase,
    *,
    to: str,
    by: User,
    note: str,
    values: dict | None = None,
    from_statuses: frozenset[str] | None = None,
) -> ServiceCase:
    """Move the case under lock; `from_statuses` narrows the TRANSITIONS map for this action.

    (Several arrows lead to the same status: acceptance and resumption both lead to
    "accepted", a decision and the joint meeting both to "completed"; each action takes
    only its own.)
    """
    with transaction.atomic():
        locked = ServiceCase.objects.select_for_update().get(pk=case.pk)
        if from_statuses is not None and locked.status not in from_statuses:
            raise TransitionNotAllowed(obj=case, from_status=locked.status, to_status=to)
        before = case_contribution(locked)
        moved = workflow_move(
            record=case,
            to=to,
            by=by,
            note=note,
            event_model=ServiceCaseEvent,
            record_field="case",
            values=values,
        )
        for field, value in (values or {}).items():
            setattr(locked, field, value)
        summary_apply(before=before, after=case_contribution(locked))
    return moved


@dataclass(frozen=True)
class ReceivedCase:
    case: ServiceCase
    credentials: TrackingCredentials | None


def case_receive(
    *,
    item: ServiceItem,
    applicant_type: str,
    applicant_name: str,
    channel: str,
    by: User,
    received_on: datetime.date | None = None,
    applicant_contact: str = "",
    window: ServiceWindow | None = None,
    parent: ServiceCase | None = None,
    agent_name: str = "",
    green_channel: bool = False,
    case_no: str = "",
    query_code: str = "",
    note: str = "",
) -> ReceivedCase:
    """Register an application (收件) and give the applicant a case number and a query code.

    The committed limit is copied from the item, so a later change of the guide does not move a
    running clock. A sub-case of a full agency service (全程代理) hangs under its parent, which
    must itself be a top-level agency case.
    """
    require_perm(by, HANDLE)
    errors: dict[str, str] = {}
    if parent is not None and (parent.parent_id is not None or parent.channel != "agency"):
        errors["parent"] = _("A sub-case must hang under a top-level full-agency case.")
    if channel == ServiceCase.Channel.AGENCY and parent is None and not agent_name.strip():
        errors["agent_name"] = _("A full-agency case names the agent who handles it.")
    if not applicant_name.strip():
        errors["applicant_name"] = _("Name the applicant.")
    if errors:
        raise ValidationError(errors)
    case = ServiceCase(
        item=item,
        entity_id=item.entity_id,
        window=window,
        parent=parent,
        agent_name=agent_name.strip(),
        applicant_type=applicant_type,
        applicant_name=applicant_name.strip(),
        applicant_contact=applicant_contact.strip(),
        channel=channel,
        green_channel=green_channel or (parent is not None and parent.green_channel),
        committed_days=item.committed_days,
        received_on=received_on or timezone.localdate(),
    )
    credentials = None
    if case_no:
        # A number given by another system (an import, the demo): its query code, if any,
        # is stored only as a hash.
        case.case_no = case.tracking_no = tracking_number_normalise(case_no)
        if query_code:
            case.tracking_password_hash = tracking_password_hash(query_code)
    else:
        credentials = tracking_issue(case, prefix=CASE_NO_PREFIX)
        case.case_no = case.tracking_no
    case.full_clean(exclude=["tracking_no"] if case_no else None)
    with transaction.atomic():
        case.save()
        workflow_event_record(
            event_model=ServiceCaseEvent,
            record_field="case",
            record=case,
            by=by,
            from_status="",
            note=note or _record_note("Application received."),
        )
    return ReceivedCase(case=case, credentials=credentials)


def case_correction_notice_last_day(*, case: ServiceCase) -> datetime.date:
    """The last day a correction notice may be given: 5 working days after receipt (§32)."""
    return add_workdays(case.received_on, CORRECTION_NOTICE_WORKDAYS)


def case_request_correction(
    *, case: ServiceCase, missing: str, by: User, on: datetime.date | None = None, note: str = ""
) -> ServiceCase:
    """Ask, once and within 5 working days of receipt, for everything missing (补正).

    The clock has not started: it starts when the corrected application is accepted. After the
    fifth working day the application counts as accepted from receipt, so no notice is possible.
    """
    require_perm(by, HANDLE)
    on = on or timezone.localdate()
    if not missing.strip():
        raise ValidationError({"missing": _("List everything that is missing, in one notice.")})
    if case.correction_requested_on is not None:
        raise ValidationError({"missing": _("A correction can be requested only once.")})
    if on < case.received_on:
        raise ValidationError({"on": _("The notice cannot be dated before receipt.")})
    if on > case_correction_notice_last_day(case=case):
        raise ValidationError(
            {
                "on": _(
                    "More than 5 working days have passed since receipt: the application "
                    "counts as accepted."
                )
            }
        )
    return _move(
        case,
        to=ServiceCase.Status.CORRECTION_REQUESTED,
        by=by,
        note=note or missing.strip(),
        values={"correction_requested_on": on, "correction_items": missing.strip()},
    )


def case_accept(
    *,
    case: ServiceCase,
    by: User,
    on: datetime.date | None = None,
    note: str = "",
    deemed: bool = False,
) -> ServiceCase:
    """Accept (受理) the application; the clock starts on that day (day 0).

    `deemed=True` is the §32 rule: no correction notice within 5 working days, so the
    application counts as accepted from the day it was received.
    """
    if not deemed:
        require_perm(by, HANDLE)
    on = case.received_on if deemed else (on or timezone.localdate())
    if on < case.received_on:
        raise ValidationError({"on": _("A case cannot be accepted before it was received.")})
    case.accepted_on = on
    values = {"accepted_on": on, "deemed_accepted": deemed, **_due_values(case)}
    if deemed and not note:
        note = _record_note(
            "No correction notice within 5 working days: the application counts as accepted "
            "from receipt."
        )
    return _move(
        case,
        to=ServiceCase.Status.ACCEPTED,
        by=by,
        note=note,
        values=values,
        from_statuses=ACCEPTABLE,
    )


def case_suspend(
    *, case: ServiceCase, reason: str, by: User, on: datetime.date | None = None, note: str = ""
) -> ServiceCase:
    """Suspend the clock for a hearing, inspection or expert review (行政许可法 §45)."""
    require_perm(by, HANDLE)
    on = on or timezone.localdate()
    if reason not in ServiceCasePause.Reason.values:
        raise ValidationError({"reason": _("Choose a justified reason for the suspension.")})
    if case.accepted_on is not None and on < case.accepted_on:
        raise ValidationError({"on": _("A suspension cannot start before acceptance.")})
    with transaction.atomic():
        case = _move(case, to=ServiceCase.Status.SUSPENDED, by=by, note=note)
        ServiceCasePause.objects.create(case=case, reason=reason, note=note, first=on)
    return case


def case_resume(
    *, case: ServiceCase, by: User, on: datetime.date | None = None, note: str = ""
) -> ServiceCase:
    """End the suspension: the clock runs again from `on`, the due date moves by the pause."""
    require_perm(by, HANDLE)
    on = on or timezone.localdate()
    with transaction.atomic():
        pause = ServiceCasePause.objects.select_for_update().filter(case=case, last__isnull=True)
        pause = pause.first()
        if pause is None:
            raise TransitionNotAllowed(
                obj=case, from_status=case.status, to_status=ServiceCase.Status.ACCEPTED
            )
        if on < pause.first:
            raise ValidationError({"on": _("The clock cannot resume before it was suspended.")})
        pause.last = max(pause.first, on - datetime.timedelta(days=1))
        pause.save(update_fields=["last"])
        if hasattr(case, "_prefetched_objects_cache"):
            case._prefetched_objects_cache.pop("pauses", None)
        values = _due_values(case)
        case = _move(
            case,
            to=ServiceCase.Status.ACCEPTED,
            by=by,
            note=note,
            values=values,
            from_statuses=frozenset({ServiceCase.Status.SUSPENDED}),
        )
    return case


def case_complete(
    *,
    case: ServiceCase,
    result: str,
    by: User,
    reason: str = "",
    on: datetime.date | None = None,
    note: str = "",
) -> ServiceCase:
    """Decide the case (办结): approved, or refused with its reasons."""
    require_perm(by, HANDLE)
    on = on or timezone.localdate()
    if result not in ServiceCase.Result.values:
        raise ValidationError({"result": _("Choose approved or refused.")})
    if result == ServiceCase.Result.REFUSED and not reason.strip():
        raise ValidationError({"reason": _("A refusal states its reasons.")})
    if case.accepted_on is not None and on < case.accepted_on:
        raise ValidationError({"on": _("A case cannot be completed before it was accepted.")})
    return _move(
        case,
        to=ServiceCase.Status.COMPLETED,
        by=by,
        note=note or reason.strip(),
        values={"completed_on": on, "result": result, "result_reason": reason.strip()},
        from_statuses=frozenset({ServiceCase.Status.ACCEPTED}),
    )


def case_withdraw(
    *, case: ServiceCase, by: User, on: datetime.date | None = None, note: str = ""
) -> ServiceCase:
    """Record the applicant's withdrawal (撤回); an open suspension ends with it."""
    require_perm(by, HANDLE)
    on = on or timezone.localdate()
    with transaction.atomic():
        ServiceCasePause.objects.filter(case=case, last__isnull=True).update(
            last=max(on, case.received_on)
        )
        return _move(
            case,
            to=ServiceCase.Status.WITHDRAWN,
            by=by,
            note=note or _record_note("Withdrawn by the applicant."),
            values={"withdrawn_on": on},
        )


def case_joint_meeting_complete(
    *,
    case: ServiceCase,
    meeting_date: datetime.date,
    by: User,
    minutes_no: str = "",
    note: str = "",
) -> ServiceCase:
    """The joint approval meeting (审批联席会议) completes a deemed-approved case as approved."""
    require_perm(by, "services.decide_jointmeeting")
    if case.deemed_approved_on is not None and meeting_date < case.deemed_approved_on:
        raise ValidationError(
            {"meeting_date": _("The meeting cannot precede the deemed approval.")}
        )
    with transaction.atomic():
        case = _move(
            case,
            to=ServiceCase.Status.COMPLETED,
            by=by,
            note=note or _record_note("Completed by the joint approval meeting."),
            values={
                "completed_on": meeting_date,
                "result": ServiceCase.Result.APPROVED,
                "result_reason": "",
            },
            from_statuses=frozenset({ServiceCase.Status.DEEMED_APPROVED}),
        )
        JointMeetingDecision.objects.create(
            case=case,
            meeting_date=meeting_date,
            minutes_no=minutes_no,
            note=note,
            decided_by=by if by.is_authenticated else None,
        )
    return case


@dataclass(frozen=True)
class SweepResult:
    accepted_by_default: int
    overdue: int
    deemed_approved: int

    @property
    def changed(self) -> int:
        return self.accepted_by_default + self.overdue + self.deemed_approved


def _first_day_after(day: datetime.date) -> datetime.date:
    return add_workdays(day, 1)


# Cases changed per transaction by the sweep: one lock query, one bulk update, one bulk insert
# of events and of history rows, and one summary change per batch instead of a dozen queries a
# case (a catch-up after a pause in the cron can find tens of thousands).
SWEEP_BATCH = 500


def _batches(pks: list[int], size: int = SWEEP_BATCH):
    for start in range(0, len(pks), size):
        yield pks[start : start + size]


def _sweep_save(
    *,
    cases: list[ServiceCase],
    moves: list[tuple[ServiceCase, str, str]],
    fields: list[str],
    before: Counter,
    by: User,
) -> None:
    """Save a batch the sweep changed: rows, history rows, events and the summary's change.

    `moves` holds (case, from status, note) for each changed case; the caller holds the locks.
    """
    now = timezone.now()
    # One UPDATE per distinct set of new values (cases due the same day share them): Django's
    # bulk_update builds a CASE per field and row, which cost more CPU than the rest of the sweep.
    groups: dict[tuple, list[int]] = defaultdict(list)
    for case in cases:
        case.updated_at = now
        groups[tuple(getattr(case, field) for field in fields)].append(case.pk)
    for values, pks in groups.items():
        ServiceCase.objects.filter(pk__in=pks).update(
            **dict(zip(fields, values, strict=True)), updated_at=now
        )
    ServiceCase.history.bulk_history_create(
        cases, update=True, default_change_reason=None, default_date=now
    )
    actor = by if by.is_authenticated else None
    ServiceCaseEvent.objects.bulk_create(
        ServiceCaseEvent(
            case=case,
            actor=actor,
            from_status=from_status,
            to_status=case.status,
            note=note,
            at=now,
        )
        for case, from_status, note in moves
    )
    after: Counter = Counter()
    for case in cases:
        after.update(case_contribution(case))
    summary_apply(before=before, after=after)


def _sweep_accept_by_default(*, pks: list[int], by: User) -> int:
    """Accept the received cases `pks` from receipt (§32), locking each batch (SKIP LOCKED)."""
    note = _record_note(
        "No correction notice within 5 working days: the application counts as accepted "
        "from receipt."
    )
    accepted = 0
    for batch in _batches(pks):
        with transaction.atomic():
            cases = list(
                ServiceCase.objects.select_for_update(skip_locked=True)
                .filter(pk__in=batch, status=ServiceCase.Status.RECEIVED)
                .prefetch_related("pauses")
                .order_by("pk")
            )
            if not cases:
                continue
            before: Counter = Counter()
            for case in cases:
                before.update(case_contribution(case))
                case.accepted_on = case.received_on
                case.deemed_accepted = True
                for field, value in _due_values(case).items():
                    setattr(case, field, value)
                case.status = ServiceCase.Status.ACCEPTED
            _sweep_save(
                cases=cases,
                moves=[(case, ServiceCase.Status.RECEIVED, note) for case in cases],
                fields=["status", "accepted_on", "deemed_accepted", "due_date", "due_provisional"],
                before=before,
                by=by,
            )
            accepted += len(cases)
    return accepted


def _sweep_missed(*, pks: list[int], today: datetime.date, by: User) -> tuple[int, int]:
    """Deem approved, or mark overdue, the accepted cases `pks` past their due date."""
    deems_note = _record_note(
        "Not completed within the committed time limit without a justified "
        "suspension: deemed approved and handed to the joint approval meeting."
    )
    overdue_note = _record_note("Overdue: the committed time limit has passed.")
    overdue = deemed = 0
    for batch in _batches(pks):
        with transaction.atomic():
            locked = list(
                ServiceCase.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk__in=batch, status=ServiceCase.Status.ACCEPTED, due_date__lt=today)
                .select_related("item")
                .order_by("pk")
            )
            changed: list[ServiceCase] = []
            moves: list[tuple[ServiceCase, str, str]] = []
            before: Counter = Counter()
            for case in locked:
                missed_on = _first_day_after(case.due_date)
                if case.item.deemed_approval:
                    before.update(case_contribution(case))
                    case.status = ServiceCase.Status.DEEMED_APPROVED
                    case.deemed_approved_on = case.overdue_on = missed_on
                    moves.append((case, ServiceCase.Status.ACCEPTED, deems_note))
                    deemed += 1
                elif case.overdue_on is None:
                    before.update(case_contribution(case))
                    case.overdue_on = missed_on
                    moves.append((case, case.status, overdue_note))
                    overdue += 1
                else:
                    continue
                changed.append(case)
            if changed:
                _sweep_save(
                    cases=changed,
                    moves=moves,
                    fields=["status", "deemed_approved_on", "overdue_on"],
                    before=before,
                    by=by,
                )
    return overdue, deemed


def cases_sweep(*, today: datetime.date | None = None, by: User | None = None) -> SweepResult:
    """Apply the clocks' consequences up to `today`; idempotent and safe to run concurrently.

    1. A received case with no correction notice within 5 working days counts as accepted from
       receipt (行政许可法 §32).
    2. An accepted case past its due date without a justified suspension is deemed approved
       (视为同意) when its item says so, and goes to the joint approval meeting's queue;
       otherwise it is marked overdue. The recorded date is the first working day after the
       due date, whenever the sweep runs.
    Only open cases are read (partial indexes `servicecase_received_open` and
    `servicecase_accepted_due`), and changes are saved in batches: each batch is locked with
    SKIP LOCKED and re-checked under the lock, so two sweeps running at once change each case
    once (on PostgreSQL; SQLite serialises writers). Every change has its event, its history
    row and its share of the statistics' summary, as the one-case actions write them.
    """
    today = today or timezone.localdate()
    actor = by or AnonymousUser()

    received = ServiceCase.objects.filter(status=ServiceCase.Status.RECEIVED).order_by()
    due = [
        pk
        for pk, received_on in received.values_list("pk", "received_on")
        if add_workdays(received_on, CORRECTION_NOTICE_WORKDAYS) < today
    ]
    accepted = _sweep_accept_by_default(pks=sorted(due), by=actor)

    candidates = (
        ServiceCase.objects.filter(status=ServiceCase.Status.ACCEPTED, due_date__lt=today)
        .filter(models.Q(item__deemed_approval=True) | models.Q(overdue_on__isnull=True))
        .order_by("pk")
    )
    overdue, deemed = _sweep_missed(
        pks=list(candidates.values_list("pk", flat=True)), today=today, by=actor
    )
    return SweepResult(accepted_by_default=accepted, overdue=overdue, deemed_approved=deemed)
