"""Reads of service cases: the public status lookup and its clock, officials' queues.

The public never sees an applicant's name or contact: the lookup's answer is built from the
fields listed in `PUBLIC_CASE_FIELDS` only.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from disclosure.selectors.memberships import entity_ids_for_official
from disclosure.tracking import tracking_lookup
from services.models import ServiceCase, ServiceCaseEvent, ServiceCasePause
from services.models.cases import CORRECTION_NOTICE_WORKDAYS
from workdays.calendar import Deadline, Pause, add_workdays

LOOKUP_SCOPE = "service-cases"


@dataclass(frozen=True)
class CaseClock:
    """A case's clock as the applicant sees it."""

    deadline: Deadline | None
    correction_notice_last_day: datetime.date | None
    workdays_left: int | None
    running: bool
    paused: bool

    @property
    def overdue(self) -> bool:
        return self.workdays_left is not None and self.workdays_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.workdays_left if self.overdue else 0


def case_deadline_from_loaded(case: ServiceCase, *, on: datetime.date) -> Deadline | None:
    """The case's deadline from its preloaded pauses (no query when `pauses` is prefetched)."""
    if case.accepted_on is None:
        return None
    pauses = tuple(Pause(p.first, p.last or max(on, p.first)) for p in case.pauses.all())
    return Deadline(start=case.accepted_on, workdays=case.committed_days, pauses=pauses)


def case_clock(case: ServiceCase, *, on: datetime.date | None = None) -> CaseClock:
    """The clock: due date with its derivation, working days left, the 补正 notice window."""
    today = on or timezone.localdate()
    deadline = case_deadline_from_loaded(case, on=today)
    running = case.status == ServiceCase.Status.ACCEPTED
    left = None
    if deadline is not None and case.status in (
        ServiceCase.Status.ACCEPTED,
        ServiceCase.Status.SUSPENDED,
    ):
        left = deadline.workdays_left(today)
    notice = None
    if case.status == ServiceCase.Status.RECEIVED:
        notice = add_workdays(case.received_on, CORRECTION_NOTICE_WORKDAYS)
    return CaseClock(
        deadline=deadline,
        correction_notice_last_day=notice,
        workdays_left=left,
        running=running,
        paused=case.status == ServiceCase.Status.SUSPENDED,
    )


def case_public_queryset() -> QuerySet[ServiceCase]:
    """Cases as the public lookup loads them: item, department, pauses, timeline, sub-cases."""
    events = Prefetch("events", queryset=ServiceCaseEvent.objects.order_by("at", "id"))
    pauses = Prefetch("pauses", queryset=ServiceCasePause.objects.order_by("first", "id"))
    sub_cases = Prefetch(
        "sub_cases",
        queryset=ServiceCase.objects.select_related("item", "entity")
        .prefetch_related(Prefetch("pauses", queryset=ServiceCasePause.objects.order_by("first")))
        .order_by("received_on", "id"),
    )
    return ServiceCase.objects.select_related("item", "entity", "parent").prefetch_related(
        events, pauses, sub_cases
    )


def case_lookup(*, case_no: str, code: str, client: str) -> ServiceCase | None:
    """The case with this number and query code, else None (one answer for both failures).

    Rate-limited per client address (raises `disclosure.tracking.TrackingRateLimited`).
    """
    return tracking_lookup(
        case_public_queryset(), number=case_no, password=code, client=client, scope=LOOKUP_SCOPE
    )


def case_list_for_official(user, *, status: str | None = None) -> QuerySet[ServiceCase]:  # noqa: ANN001
    """The cases an official may see (their departments'; all for the district), due first."""
    queryset = ServiceCase.objects.select_related("item", "entity", "window")
    entity_ids = entity_ids_for_official(user)
    if entity_ids is not None:
        queryset = queryset.filter(entity_id__in=entity_ids)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("due_date", "id")


def joint_meeting_queue(user) -> QuerySet[ServiceCase]:  # noqa: ANN001
    """Deemed-approved cases waiting for the joint approval meeting, oldest first."""
    return case_list_for_official(user, status=ServiceCase.Status.DEEMED_APPROVED).order_by(
        "deemed_approved_on", "id"
    )
