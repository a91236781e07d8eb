"""The officials' dashboard figures: on-time rate, overdue work, complaints, completeness.

Every figure is read through the owning app's scoping selector, so an officer sees their own
departments' figures and a district-wide role sees the district's.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, F, Max, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from complaints.models import Complaint
from complaints.models.complaints import IN_PROGRESS
from complaints.selectors.complaints import complaints_visible_to
from disclosure.selectors.institutions import Completeness, completeness_for_official
from services.selectors.cases import case_list_for_official
from services.selectors.statistics import on_time_rate
from workspace.selectors.queue import KindCount, queue_counts

User = AbstractBaseUser | AnonymousUser
MONTHS = 12
# On time: completed by the due date, and not by deemed approval (as the statistics count it).
ON_TIME = Q(completed_on__lte=F("due_date"), deemed_approved_on__isnull=True)


@dataclass(frozen=True)
class MonthOnTime:
    month: datetime.date
    completed: int
    on_time: int

    @property
    def rate(self) -> Decimal | None:
        return on_time_rate(on_time=self.on_time, completed=self.completed)


@dataclass(frozen=True)
class OnTime:
    """Cases completed in the 12 months up to the latest completion in scope, by month."""

    months: list[MonthOnTime]
    completed: int
    on_time: int

    @property
    def rate(self) -> Decimal | None:
        return on_time_rate(on_time=self.on_time, completed=self.completed)


def _month_start(day: datetime.date, back: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def dashboard_on_time(user: User) -> OnTime:
    """The on-time rate of the official's departments' service cases, month by month (2 queries).

    On time: completed on or before the due date, and not by deemed approval (as the
    statistics pages count it).
    """
    cases = case_list_for_official(user).order_by()
    latest = cases.aggregate(last=Max("completed_on"))["last"]
    if latest is None:
        return OnTime(months=[], completed=0, on_time=0)
    first = _month_start(latest, MONTHS - 1)
    rows = (
        cases.filter(completed_on__gte=first, completed_on__lte=latest)
        .annotate(month=TruncMonth("completed_on"))
        .values("month")
        .annotate(completed=Count("id"), on_time=Count("id", filter=ON_TIME))
        .order_by("month")
    )
    by_month = {
        (row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]): row
        for row in rows
    }
    months = []
    for back in range(MONTHS - 1, -1, -1):
        month = _month_start(latest, back)
        row = by_month.get(month, {"completed": 0, "on_time": 0})
        months.append(MonthOnTime(month, row["completed"], row["on_time"]))
    return OnTime(
        months=months,
        completed=sum(m.completed for m in months),
        on_time=sum(m.on_time for m in months),
    )


@dataclass(frozen=True)
class ComplaintFigures:
    in_progress: int
    overdue: int
    concluded: int
    substantiated: int
    declined: int
    total: int


def dashboard_complaints(user: User, *, today: datetime.date | None = None) -> ComplaintFigures:
    """Complaints the official may see (a department: those about it; the bureau: all), counted
    by where they stand (one query)."""
    today = today or timezone.localdate()
    S = Complaint.Status
    figures = (
        complaints_visible_to(user)
        .order_by()
        .aggregate(
            in_progress=Count("id", filter=Q(status__in=IN_PROGRESS)),
            overdue=Count("id", filter=Q(status__in=IN_PROGRESS, stage_due_on__lt=today)),
            concluded=Count("id", filter=Q(status__in=[S.CONCLUDED, S.REPLIED, S.CLOSED])),
            substantiated=Count(
                "id",
                filter=Q(
                    status__in=[S.CONCLUDED, S.REPLIED, S.CLOSED],
                    finding__in=[Complaint.Finding.SUBSTANTIATED, Complaint.Finding.PARTLY],
                ),
            ),
            declined=Count("id", filter=Q(status=S.DECLINED)),
            total=Count("id"),
        )
    )
    return ComplaintFigures(**figures)


@dataclass(frozen=True)
class CompletenessFigures:
    institutions: list[Completeness]
    average: Decimal | None
    complete: int


def dashboard_completeness(
    user: User, *, today: datetime.date | None = None
) -> CompletenessFigures:
    """The disclosure completeness of the institutions the official keeps, least complete first."""
    rows = completeness_for_official(user=user, today=today)
    rows.sort(key=lambda row: (row.percentage, row.institution.name))
    average = None
    if rows:
        average = (sum(row.percentage for row in rows) / len(rows)).quantize(Decimal("0.1"))
    return CompletenessFigures(
        institutions=rows, average=average, complete=sum(1 for row in rows if row.complete)
    )


@dataclass(frozen=True)
class Dashboard:
    on_time: OnTime
    overdue: list[KindCount]
    complaints: ComplaintFigures
    completeness: CompletenessFigures


def dashboard_for(user: User, *, today: datetime.date | None = None) -> Dashboard:
    """Every figure of the official's dashboard."""
    return Dashboard(
        on_time=dashboard_on_time(user),
        overdue=queue_counts(user, today=today),
        complaints=dashboard_complaints(user, today=today),
        completeness=dashboard_completeness(user, today=today),
    )
