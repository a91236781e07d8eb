"""Reads of the working-day calendar tables."""

import datetime

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from workdays.models import CalendarDay, CalendarYear


def calendar_day_rows() -> list[tuple[datetime.date, str, str]]:
    """Every calendar day as (date, kind, name), in date order, in one query."""
    return list(CalendarDay.objects.order_by("date").values_list("date", "kind", "name"))


def calendar_loaded_years() -> list[int]:
    """The years whose schedule is loaded completely, in one query."""
    return list(CalendarYear.objects.filter(complete=True).values_list("year", flat=True))


def calendar_day_list(*, year: int | None = None, kind: str | None = None) -> QuerySet[CalendarDay]:
    """Calendar days in date order, optionally of one year and one kind."""
    days = CalendarDay.objects.order_by("date")
    if year is not None:
        days = days.in_year(year)
    if kind is not None:
        days = days.filter(kind=kind)
    return days


def _count_in_year(kind: str) -> Coalesce:
    counts = (
        CalendarDay.objects.filter(date__year=OuterRef("year"), kind=kind)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def calendar_year_list() -> QuerySet[CalendarYear]:
    """Calendar years, newest first, with `holiday_count` and `makeup_workday_count`."""
    return CalendarYear.objects.order_by("-year").annotate(
        holiday_count=_count_in_year(CalendarDay.Kind.HOLIDAY),
        makeup_workday_count=_count_in_year(CalendarDay.Kind.MAKEUP_WORKDAY),
    )
