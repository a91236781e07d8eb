"""Writes for ratings (好差评): record a rating, handle a bad one, appeal against a malicious one.

Rules (国办发〔2019〕51号, domain-rules §4): one rating per completed case; five levels; each
channel rates its own indicators (online: 整体满意度, 办事效率, 办事指南精确度, 办事便捷度,
平台操作性; offline: 整体满意度, 服务效率, 服务水平, 服务态度). A rating of 2 or below opens a
rectification task due in `RatingSettings.rectification_workdays` working days ("谁办理谁负责":
the case's department); the task records the call-back and its classification, the fix or
explanation, and closes with one follow-up rating. An appeal against a malicious rating is
decided by an official of another department; upheld, the rating leaves the statistics.
"""

import datetime
from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from disclosure.actions.workflow import require_perm, workflow_event_record, workflow_move
from disclosure.models import AdministrativeEntity
from disclosure.selectors.memberships import entity_ids_for_official
from services.actions.summaries import rating_contribution, summary_apply
from services.models import (
    Rating,
    RatingAppeal,
    RatingSettings,
    RectificationTask,
    RectificationTaskEvent,
    ServiceCase,
)
from workdays.calendar import Deadline

User = AbstractBaseUser | AnonymousUser
RECORD = "services.record_rating"
HANDLE = "services.handle_rectificationtask"
DECIDE = "services.decide_ratingappeal"


def _validate_rating_input(*, level: Any, channel: str, indicators: dict | None) -> dict:
    """The rating's level, channel and indicators checked; a field → message dict on error."""
    errors: dict[str, str] = {}
    if level not in Rating.Level.values:
        errors["level"] = _("Choose a level from 1 (very dissatisfied) to 5 (very satisfied).")
    if channel not in Rating.Channel.values:
        errors["channel"] = _("Choose a rating channel.")
    cleaned: dict[str, int] = {}
    if not errors:
        allowed = Rating.indicators_for(channel)
        for code, value in (indicators or {}).items():
            if code not in allowed:
                errors["indicators"] = _("“%(code)s” is not an indicator of this channel.") % {
                    "code": code
                }
                break
            if value not in Rating.Level.values:
                errors["indicators"] = _("Each indicator takes a level from 1 to 5.")
                break
            cleaned[code] = int(value)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _in_scope(user: User, entity_id: int) -> bool:
    scope = entity_ids_for_official(user)
    return scope is None or entity_id in scope


def rating_submit(
    *,
    case: ServiceCase,
    by: User,
    level: int,
    channel: str,
    indicators: dict | None = None,
    comment: str = "",
    is_real_name: bool = False,
    rater_name: str = "",
    rater_phone: str = "",
    on: datetime.date | None = None,
) -> Rating:
    """Record the one rating of a completed case; a bad one (≤ 2) opens a rectification task.

    Refuses (ValidationError, nothing stored) a case not completed, a second rating, a level or
    indicator outside 1-5, an indicator of the other channel, and a real-name rating without a
    phone to call back.
    """
    require_perm(by, RECORD)
    cleaned = _validate_rating_input(level=level, channel=channel, indicators=indicators)
    if is_real_name and not rater_phone.strip():
        raise ValidationError(
            {"rater_phone": _("A real-name rating needs a phone number for the call-back.")}
        )
    rated_on = on or timezone.localdate()
    with transaction.atomic():
        locked = ServiceCase.objects.select_for_update().get(pk=case.pk)
        if locked.status != ServiceCase.Status.COMPLETED:
            raise ValidationError({"case": _("Only a completed case can be rated.")})
        if Rating.objects.filter(case=locked, kind=Rating.Kind.INITIAL).exists():
            raise ValidationError({"case": _("This case has already been rated.")})
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    case=locked,
                    kind=Rating.Kind.INITIAL,
                    level=level,
                    channel=channel,
                    indicators=cleaned,
                    comment=comment.strip(),
                    is_real_name=is_real_name,
                    rater_name=rater_name.strip() if is_real_name else "",
                    rater_phone=rater_phone.strip() if is_real_name else "",
                    window_id=locked.window_id,
                    rated_on=rated_on,
                )
        except IntegrityError as error:
            raise ValidationError({"case": _("This case has already been rated.")}) from error
        summary_apply(
            before=Counter(),
            after=rating_contribution(
                rating=rating, entity_id=locked.entity_id, item_id=locked.item_id
            ),
        )
        if rating.is_bad:
            rectification_task_open(rating=rating, entity_id=locked.entity_id, by=by)
    return rating


def rectification_task_open(*, rating: Rating, entity_id: int, by: User) -> RectificationTask:
    """Open the rectification task of a bad rating, due in the configured working days."""
    workdays = RatingSettings.current().rectification_workdays
    deadline = Deadline(start=rating.rated_on, workdays=workdays)
    task = RectificationTask.objects.create(
        rating=rating,
        entity_id=entity_id,
        opened_on=rating.rated_on,
        workdays=workdays,
        due_date=deadline.due_date,
    )
    with translation.override(settings.LANGUAGE_CODE):
        note = _("Bad rating (level %(level)s): rectification due %(due)s.") % {
            "level": rating.level,
            "due": deadline.due_date.isoformat(),
        }
    workflow_event_record(
        event_model=RectificationTaskEvent,
        record_field="task",
        record=task,
        by=by,
        from_status="",
        note=note,
    )
    return task


def _task_move(
    task: RectificationTask, *, to: str, by: User, note: str, values: dict | None = None
) -> RectificationTask:
    return workflow_move(
        record=task,
        to=to,
        by=by,
        note=note,
        event_model=RectificationTaskEvent,
        record_field="task",
        values=values,
    )


def _require_task_scope(task: RectificationTask, by: User) -> None:
    require_perm(by, HANDLE)
    if not _in_scope(by, task.entity_id):
        raise PermissionDenied(_("This task belongs to another department."))


def rectification_call_back(
    *,
    task: RectificationTask,
    by: User,
    kind: str,
    note: str,
    on: datetime.date | None = None,
) -> RectificationTask:
    """Record the call-back (回访核实) and classify the problem: fix now, by a deadline, explain."""
    _require_task_scope(task, by)
    errors = {}
    if kind not in RectificationTask.Kind.values:
        errors["kind"] = _("Choose how the problem is handled.")
    if not note.strip():
        errors["call_back_note"] = _("Record what the rater said on the call-back.")
    if errors:
        raise ValidationError(errors)
    return _task_move(
        task,
        to=RectificationTask.Status.CALLED_BACK,
        by=by,
        note=note.strip(),
        values={
            "kind": kind,
            "call_back_note": note.strip(),
            "called_back_on": on or timezone.localdate(),
        },
    )


def rectification_complete(
    *, task: RectificationTask, by: User, note: str, on: datetime.date | None = None
) -> RectificationTask:
    """Record what was fixed or explained (整改/解释说明) and fed back to the rater."""
    _require_task_scope(task, by)
    if not note.strip():
        raise ValidationError({"rectification_note": _("Record what was done.")})
    return _task_move(
        task,
        to=RectificationTask.Status.RECTIFIED,
        by=by,
        note=note.strip(),
        values={"rectification_note": note.strip(), "rectified_on": on or timezone.localdate()},
    )


def rectification_follow_up(
    *,
    task: RectificationTask,
    by: User,
    level: int,
    channel: str,
    indicators: dict | None = None,
    comment: str = "",
    on: datetime.date | None = None,
) -> RectificationTask:
    """Record the rater's one follow-up rating (复评) and close the task."""
    _require_task_scope(task, by)
    cleaned = _validate_rating_input(level=level, channel=channel, indicators=indicators)
    with transaction.atomic():
        locked = (
            RectificationTask.objects.select_for_update().select_related("rating").get(pk=task.pk)
        )
        if not locked.can_move_to(RectificationTask.Status.CLOSED):
            raise ValidationError(
                {"status": _("The follow-up rating comes after the rectification.")}
            )
        original = locked.rating
        follow_up = Rating.objects.create(
            case_id=original.case_id,
            kind=Rating.Kind.FOLLOW_UP,
            level=level,
            channel=channel,
            indicators=cleaned,
            comment=comment.strip(),
            is_real_name=original.is_real_name,
            rater_name=original.rater_name,
            rater_phone=original.rater_phone,
            window_id=original.window_id,
            rated_on=on or timezone.localdate(),
        )
        with translation.override(settings.LANGUAGE_CODE):
            note = _("Follow-up rating: level %(level)s.") % {"level": level}
        return _task_move(
            task,
            to=RectificationTask.Status.CLOSED,
            by=by,
            note=note,
            values={"follow_up_rating": follow_up},
        )


def rating_appeal_submit(*, rating: Rating, by: User, reason: str) -> RatingAppeal:
    """The rated department appeals against a rating it holds malicious (申诉)."""
    require_perm(by, HANDLE)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the appeal.")})
    with transaction.atomic():
        locked = Rating.objects.select_for_update().select_related("case").get(pk=rating.pk)
        if not _in_scope(by, locked.case.entity_id):
            raise PermissionDenied(_("Only the rated department can appeal."))
        if locked.kind != Rating.Kind.INITIAL or locked.status != Rating.Status.VALID:
            raise ValidationError({"rating": _("This rating cannot be appealed.")})
        if RatingAppeal.objects.filter(rating=locked).exists():
            raise ValidationError({"rating": _("This rating has already been appealed.")})
        appeal = RatingAppeal.objects.create(
            rating=locked,
            appellant_entity_id=locked.case.entity_id,
            reason=reason.strip(),
            submitted_by=by,
        )
        locked.status = Rating.Status.UNDER_APPEAL
        locked.save(update_fields=["status", "updated_at"])
    rating.status = locked.status
    return appeal


def rating_appeal_decide(
    *,
    appeal: RatingAppeal,
    by: User,
    deciding_entity: AdministrativeEntity,
    uphold: bool,
    note: str,
) -> RatingAppeal:
    """Another department decides the appeal (复核): upheld excludes the rating, else it stands.

    The deciding department must differ from the appellant, and the official must act for it
    but not for the appellant. An upheld appeal cancels the rating's open rectification task.
    """
    require_perm(by, DECIDE)
    if not note.strip():
        raise ValidationError({"decision_note": _("Give the reasons for the decision.")})
    with transaction.atomic():
        locked = RatingAppeal.objects.select_for_update().get(pk=appeal.pk)
        if locked.status != RatingAppeal.Status.SUBMITTED:
            raise ValidationError({"status": _("This appeal has already been decided.")})
        if deciding_entity.pk == locked.appellant_entity_id:
            raise ValidationError(
                {"deciding_entity": _("The appeal must be decided by another department.")}
            )
        scope = entity_ids_for_official(by)
        if scope is not None and (
            deciding_entity.pk not in scope or locked.appellant_entity_id in scope
        ):
            raise PermissionDenied(
                _("Only an official of another department can decide this appeal.")
            )
        locked.status = RatingAppeal.Status.UPHELD if uphold else RatingAppeal.Status.REJECTED
        locked.deciding_entity = deciding_entity
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.decision_note = note.strip()
        locked.save(
            update_fields=[
                "status",
                "deciding_entity",
                "decided_by",
                "decided_at",
                "decision_note",
            ]
        )
        rating = Rating.objects.select_for_update().get(pk=locked.rating_id)
        entity_id, item_id = ServiceCase.objects.values_list("entity_id", "item_id").get(
            pk=rating.case_id
        )
        before = rating_contribution(rating=rating, entity_id=entity_id, item_id=item_id)
        rating.status = Rating.Status.EXCLUDED if uphold else Rating.Status.VALID
        rating.save(update_fields=["status", "updated_at"])
        summary_apply(
            before=before,
            after=rating_contribution(rating=rating, entity_id=entity_id, item_id=item_id),
        )
        task = RectificationTask.objects.filter(rating=rating).first()
        if uphold and task is not None and task.can_move_to(RectificationTask.Status.CANCELLED):
            with translation.override(settings.LANGUAGE_CODE):
                cancel_note = _("Rating excluded on appeal.")
            _task_move(task, to=RectificationTask.Status.CANCELLED, by=by, note=cancel_note)
    for field in ("status", "deciding_entity", "decided_by", "decided_at", "decision_note"):
        setattr(appeal, field, getattr(locked, field))
    return appeal
