"""The steps every hand-written workflow in the disclosure app shares.

Each workflow's actions check their own rules, then call `workflow_move`, which locks the record,
checks its `TRANSITIONS` map, saves only what changed and writes the history row in one
transaction (style rule 7).

Stale pages: every workflow form in the admin posts the status the official saw
(`SEEN_STATUS_FIELD`). `workflow_guard` opens the transaction the action runs in, locks the
record's row and refuses (`StaleWorkflowPage`) unless the record still has that status, so a
move that is still legal from a status the official never saw is not made. A post without the
field, or with one that is not a status of the record, is refused the same way: a page from
before this check, or an altered one, cannot say what the official saw. The admin views
(disclosure's `WorkflowAdminMixin`, the services mixin, complaints) all go through it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from disclosure.exceptions import TransitionNotAllowed
from disclosure.models.events import WorkflowEvent

User = AbstractBaseUser | AnonymousUser
Record = TypeVar("Record", bound=models.Model)
SEEN_STATUS_FIELD = "seen_status"


class StaleWorkflowPage(Exception):
    """A workflow form sent from a page that showed another status than the record has now.

    `current` is the record's status now, `seen_status` what the form said the official saw
    (None or "" when it did not say, or said something that is not a status). Nothing was
    changed either way.
    """

    def __init__(
        self, *, obj: models.Model, current: str, seen_status: str | None, to_status: str = ""
    ) -> None:
        self.obj = obj
        self.current = current
        self.seen_status = seen_status
        self.to_status = to_status
        # Whether the form said which status its official saw (else: an old or altered page).
        self.said = _is_status(obj, seen_status)
        if not self.said:
            message = _(
                "This form did not say which status of %(object)s you saw (it may be from an "
                "old or altered page). Nothing was changed; check the page and try again."
            )
        elif to_status and str(to_status) == current:
            # The same move twice (a double submit, two officials at once): say so plainly.
            message = _(
                "%(object)s is already “%(to)s”: someone else made this move first. Nothing "
                "was changed."
            )
        else:
            message = _(
                "%(object)s is now “%(to)s”: someone else moved it since you opened the page. "
                "Nothing was changed; check the page and try again."
            )
        super().__init__(message % {"object": obj, "to": _status_label(obj, current)})


def _status_choices(obj: models.Model) -> dict[str, str]:
    choices = type(obj)._meta.get_field("status").choices or ()
    return {str(value): str(label) for value, label in choices}


def _status_label(obj: models.Model, status: str) -> str:
    return _status_choices(obj).get(str(status), str(status))


def _is_status(obj: models.Model, value: str | None) -> bool:
    """Whether `value` is one of the status values of `obj`'s model."""
    return bool(value) and str(value) in _status_choices(obj)


def workflow_seen_status_check(
    record: models.Model, current: str, seen_status: str | None, to_status: str = ""
) -> None:
    """Refuse (StaleWorkflowPage) unless `current` is the status the official saw."""
    if not _is_status(record, seen_status) or str(current) != seen_status:
        raise StaleWorkflowPage(
            obj=record, current=str(current), seen_status=seen_status, to_status=to_status
        )


@contextmanager
def workflow_guard(
    *, record: models.Model, seen_status: str | None, to_status: str = ""
) -> Iterator[str]:
    """Run the body in a transaction that holds `record`'s row lock from the status check on.

    Locks the row, refuses (StaleWorkflowPage, nothing changed) unless its status is
    `seen_status`, then runs the caller's action in the same transaction: the action's own
    `select_for_update` of the row does not wait, and nobody can move the record between the
    check and the move. Yields the record's status as locked.
    """
    with transaction.atomic():
        current = (
            type(record)
            ._default_manager.select_for_update()
            .values_list("status", flat=True)
            .get(pk=record.pk)
        )
        workflow_seen_status_check(record, current, seen_status, to_status)
        yield current


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
