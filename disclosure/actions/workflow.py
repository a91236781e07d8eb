"""The steps every hand-written workflow in the disclosure app shares.

Each workflow's actions check their own rules, then call `workflow_move`, which locks the record,
checks its `TRANSITIONS` map, saves only what changed and writes the history row in one
transaction (style rule 7).
"""

from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from disclosure.exceptions import TransitionNotAllowed
from disclosure.models.events import WorkflowEvent

User = AbstractBaseUser | AnonymousUser
Record = TypeVar("Record", bound=models.Model)


def require_perm(by: User, permission: str) -> None:
    """Refuse (PermissionDenied) unless `by` holds `permission` (an app_label.codename)."""
    if not by.has_perm(permission):
        raise PermissionDenied(
            _("You are not allowed to do this (%(permission)s).") % {"permission": permission}
        )


def workflow_event_record(
    *,
    event_model: type[WorkflowEvent],
    record_field: str,
    record: models.Model,
    by: User,
    from_status: str,
    note: str,
) -> WorkflowEvent:
    """Write one history row: who moved `record`, from what to its current status, and why."""
    return event_model.objects.create(
        **{record_field: record},
        actor=by if by.is_authenticated else None,
        from_status=from_status,
        to_status=record.status,
        note=note,
    )


def workflow_move(
    *,
    record: Record,
    to: str,
    by: User,
    note: str,
    event_model: type[WorkflowEvent],
    record_field: str,
    values: dict[str, Any] | None = None,
) -> Record:
    """Move `record` to status `to` under lock, set `values`, and record the event.

    Refuses a move its model's `can_move_to` does not allow (TransitionNotAllowed). The caller's
    object is refreshed with the saved fields.
    """
    values = values or {}
    changed = ["status", *values, "updated_at"]
    with transaction.atomic():
        locked = type(record).objects.select_for_update().get(pk=record.pk)
        if not locked.can_move_to(to):
            raise TransitionNotAllowed(obj=locked, from_status=locked.status, to_status=to)
        from_status = locked.status
        locked.status = to
        for field, value in values.items():
            setattr(locked, field, value)
        locked.save(update_fields=changed)
        workflow_event_record(
            event_model=event_model,
            record_field=record_field,
            record=locked,
            by=by,
            from_status=from_status,
            note=note,
        )
    for field in changed:
        setattr(record, field, getattr(locked, field))
    return record
