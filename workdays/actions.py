"""Writes to the working-day calendar: one function per use case, each atomic and audited.

Every write records history (django-simple-history: who, when, what changed, why) and drops the
in-memory calendar at once and again on commit (`calendar_invalidate`), so no deadline is
computed from a calendar read before the change.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from workdays.calendar import calendar_invalidate
from workdays.models import CalendarDay, CalendarYear, Source
from workdays.package_loader import LOAD_CHANGE_REASON, LoadResult, calendar_rows_load

User = AbstractBaseUser | AnonymousUser


def _require(by: User, permission: str) -> None:
    if not by.has_perm(permission):
        raise PermissionDenied(_("You may not change the working-day calendar."))


def _invalidate_now_and_on_commit() -> None:
    calendar_invalidate()
    transaction.on_commit(calendar_invalidate)


def _check_kind(kind: str) -> None:
    if kind not in CalendarDay.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of calendar day.")})


@transaction.atomic
def calendar_load_from_package(*, now: datetime.datetime | None = None) -> LoadResult:
    """Load every year the installed chinesecalendar package covers; safe to rerun.

    Days an official entered, edited or deleted in the admin are kept as they are (rows with
    `source="admin"`, or an admin deletion in the history); package rows the package no longer
    lists are removed. The data migration runs the same loader, so a new database has the
    calendar without this step; rerun it (`manage.py load_calendar`) after a package update.
    """
    result = calendar_rows_load(
        day_model=CalendarDay,
        year_model=CalendarYear,
        historical_day_model=CalendarDay.history.model,
        now=now or timezone.now(),
        bulk_create=lambda rows: bulk_create_with_history(
            rows, CalendarDay, batch_size=500, default_change_reason=LOAD_CHANGE_REASON
        ),
        bulk_update=lambda rows, fields: bulk_update_with_history(
            rows, CalendarDay, fields, batch_size=500, default_change_reason=LOAD_CHANGE_REASON
        ),
    )
    if result.created or result.updated or result.deleted:
        _invalidate_now_and_on_commit()
    return result


@transaction.atomic
def calendar_day_create(
    *,
    by: User,
    date: datetime.date,
    kind: str,
    name: str = "",
    source_notice_url: str = "",
    reason: str = "",
) -> CalendarDay:
    """Enter a holiday or make-up working day by hand (e.g. a year the package does not cover).

    The row is marked `source="admin"`, so a later `load_calendar` keeps it.
    """
    _require(by, "workdays.add_calendarday")
    _check_kind(kind)
    if CalendarDay.objects.filter(date=date).exists():
        raise ValidationError({"date": _("This date is already in the calendar.")})
    day = CalendarDay(
        date=date, kind=kind, name=name, source_notice_url=source_notice_url, source=Source.ADMIN
    )
    day.full_clean()
    day._history_user = by if by.is_authenticated else None
    day._change_reason = reason
    day.save()
    _invalidate_now_and_on_commit()
    return day


@transaction.atomic
def calendar_day_update(
    *,
    day: CalendarDay,
    by: User,
    kind: str,
    name: str,
    source_notice_url: str,
    date: datetime.date | None = None,
    reason: str = "",
) -> CalendarDay:
    """Correct a calendar day; it becomes `source="admin"` so reloads never overwrite it."""
    _require(by, "workdays.change_calendarday")
    _check_kind(kind)
    locked = CalendarDay.objects.select_for_update().get(pk=day.pk)
    locked.kind, locked.name, locked.source_notice_url = kind, name, source_notice_url
    locked.source = Source.ADMIN
    fields = ["kind", "name", "source_notice_url", "source", "updated_at"]
    if date is not None and date != locked.date:
        if CalendarDay.objects.filter(date=date).exclude(pk=locked.pk).exists():
            raise ValidationError({"date": _("This date is already in the calendar.")})
        locked.date = date
        fields.append("date")
    locked.full_clean()
    locked._history_user = by if by.is_authenticated else None
    locked._change_reason = reason
    locked.save(update_fields=fields)
    _invalidate_now_and_on_commit()
    return locked


@transaction.atomic
def calendar_day_delete(*, day: CalendarDay, by: User, reason: str = "") -> None:
    """Remove a calendar day, so the date follows the weekly rule; reloads do not restore it.

    The row is first marked `source="admin"`, so its deletion in the history is an official's
    and `load_calendar` leaves the date alone.
    """
    _require(by, "workdays.delete_calendarday")
    locked = CalendarDay.objects.select_for_update().get(pk=day.pk)
    history_user = by if by.is_authenticated else None
    if locked.source != Source.ADMIN:
        locked.source = Source.ADMIN
        locked._history_user = history_user
        locked._change_reason = reason
        locked.save(update_fields=["source", "updated_at"])
    locked._history_user = history_user
    locked._change_reason = reason
    locked.delete()
    _invalidate_now_and_on_commit()


@transaction.atomic
def calendar_year_save(
    *, by: User, year: int, complete: bool, notice_url: str = "", reason: str = ""
) -> CalendarYear:
    """Record that a year's schedule is (or is not) completely entered, by an official.

    Mark a year complete only once every holiday and make-up working day of its State Council
    notice is in; until then deadlines reaching into it stay provisional.
    """
    _require(by, "workdays.change_calendaryear")
    row = CalendarYear.objects.select_for_update().filter(year=year).first()
    if row is None:
        row = CalendarYear(year=year)
    row.complete, row.notice_url = complete, notice_url
    row.source, row.loaded_at = Source.ADMIN, timezone.now()
    row.full_clean()
    row._history_user = by if by.is_authenticated else None
    row._change_reason = reason
    row.save()
    _invalidate_now_and_on_commit()
    return row
