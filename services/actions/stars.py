"""Writes for window stars: record a component score, compute the measured components monthly.

`window_scores_compute` derives the ``ratings`` and ``on_time`` components of every window for
one month from the records with two grouped aggregate queries, and stores them (idempotent: a
second run rewrites the same rows). Other components (the centre's daily assessment, the
complaints app's supervisor inspections) are recorded with `window_score_record`.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, F, Q
from django.utils.translation import gettext as _

from disclosure.actions.workflow import require_perm
from services.models import Rating, ServiceCase, ServiceWindow, WindowMonthlyScore
from services.models.stars import rating_component_score
from services.selectors.statistics import rate_percent

User = AbstractBaseUser | AnonymousUser
RECORD = "services.record_windowmonthlyscore"


def month_start(day: datetime.date) -> datetime.date:
    """The first day of `day`'s month."""
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    """The last day of `day`'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def window_score_record(
    *,
    window: ServiceWindow,
    month: datetime.date,
    component: str,
    score: Decimal | int | str,
    basis: str = "",
    by: User,
) -> WindowMonthlyScore:
    """Record (or replace) one component's score of a window for a month; 0-100."""
    require_perm(by, RECORD)
    errors = {}
    if component not in WindowMonthlyScore.Component.values:
        errors["component"] = _("Unknown score component.")
    try:
        value = Decimal(str(score)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not Decimal(0) <= value <= Decimal(100):
        errors["score"] = _("A score is a number from 0 to 100.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row, _created = WindowMonthlyScore.objects.select_for_update().update_or_create(
            window=window,
            month=month_start(month),
            component=component,
            defaults={"score": value, "basis": basis[:200]},
        )
    return row


@dataclass(frozen=True)
class ComputeResult:
    month: datetime.date
    rows: int


def window_scores_compute(*, month: datetime.date, by: User) -> ComputeResult:
    """Compute the ratings and on-time components of every window for `month` from records.

    Ratings: the month's counted ratings (initial, not excluded on appeal), mean level × 20.
    On time: the window's cases completed in the month, the share finished by their due date
    without deemed approval. A window with no ratings (or no completed cases) gets no row for
    that component, so the star formula leaves it out.
    """
    require_perm(by, RECORD)
    first, last = month_start(month), month_end(month)
    ratings = (
        Rating.objects.counted()
        .filter(rated_on__range=(first, last), window__isnull=False)
        .values("window_id")
        .annotate(mean=Avg("level"), n=Count("id"))
        .order_by()
    )
    completed = (
        ServiceCase.objects.filter(completed_on__range=(first, last), window__isnull=False)
        .values("window_id")
        .annotate(
            done=Count("id"),
            on_time=Count(
                "id",
                filter=Q(completed_on__lte=F("due_date"), deemed_approved_on__isnull=True),
            ),
        )
        .order_by()
    )
    rows = 0
    with transaction.atomic():
        for row in ratings:
            mean = Decimal(str(row["mean"])).quantize(Decimal("0.01"))
            WindowMonthlyScore.objects.update_or_create(
                window_id=row["window_id"],
                month=first,
                component=WindowMonthlyScore.Component.RATINGS,
                defaults={
                    "score": rating_component_score(mean),
                    "basis": _("%(n)s ratings, mean level %(mean)s")
                    % {"n": row["n"], "mean": mean},
                },
            )
            rows += 1
        for row in completed:
            WindowMonthlyScore.objects.update_or_create(
                window_id=row["window_id"],
                month=first,
                component=WindowMonthlyScore.Component.ON_TIME,
                defaults={
                    "score": rate_percent(row["on_time"], row["done"]),
                    "basis": _("%(on_time)s of %(done)s cases completed on time")
                    % {"on_time": row["on_time"], "done": row["done"]},
                },
            )
            rows += 1
    return ComputeResult(month=first, rows=rows)
