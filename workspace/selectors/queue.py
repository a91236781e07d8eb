"""The work queue: everything waiting on an official across the apps, in due-date order.

Each kind of record is read through its owning app's scoping selector
(`entity_ids_for_official`, `case_list_for_official`, `request_open_list`,
`complaints_queue`, ...) and only when the official holds the permission to work it, so the
queue shows nothing the official could not open in the admin. Each source is one query whatever
its length, plus one count; the merged list is capped (`limit`) and the counts are exact.

Colour by working days left (workdays.calendar): overdue, due within 2, within 5, later.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from complaints.models import Complaint, RectificationProject
from complaints.selectors.complaints import complaints_queue
from disclosure.models import CatalogueEntry, InformationRequest
from disclosure.selectors.memberships import entity_ids_for_official
from disclosure.selectors.requests import request_open_list
from services.models import RectificationTask, ServiceCase
from services.models.cases import CORRECTION_NOTICE_WORKDAYS
from services.selectors.cases import case_list_for_official
from workdays.calendar import add_workdays, workdays_between

User = AbstractBaseUser | AnonymousUser

URGENT_WORKDAYS = 2
SOON_WORKDAYS = 5
DEFAULT_LIMIT = 100


@dataclass(frozen=True)
class QueueKind:
    key: str
    label: Promise


ENTRY = QueueKind("entry", gettext_lazy("Catalogue entries"))
CASE = QueueKind("case", gettext_lazy("Service cases"))
COMPLAINT = QueueKind("complaint", gettext_lazy("Complaints"))
REQUEST = QueueKind("request", gettext_lazy("Information requests"))
TASK = QueueKind("task", gettext_lazy("Rating rectifications"))
PROJECT = QueueKind("project", gettext_lazy("Rectification projects"))
KINDS: tuple[QueueKind, ...] = (ENTRY, CASE, COMPLAINT, REQUEST, TASK, PROJECT)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}


@dataclass(frozen=True)
class Urgency:
    """How pressing a deadline is: a CSS class and the words that say it (not colour alone)."""

    css: str
    label: str


def workdays_left(due: datetime.date, *, today: datetime.date) -> int:
    """Working days left after `today` up to `due`: 0 on the day, negative when overdue."""
    if due >= today:
        return workdays_between(today, due)
    return -workdays_between(due, today)


def urgency_for(left: int | None, *, past_due: bool = False) -> Urgency:
    """The urgency band of `left` working days: overdue, ≤2, ≤5, later (or no deadline).

    `past_due`: the due date is before today. A deadline that fell on Friday is overdue on
    Sunday although no working day has passed since.
    """
    if left is None:
        return Urgency("queue-none", _("No deadline"))
    if past_due and left >= 0:
        return Urgency("queue-overdue", _("Overdue"))
    if left < 0:
        return Urgency(
            "queue-overdue",
            ngettext(
                "Overdue by %(days)d working day",
                "Overdue by %(days)d working days",
                -left,
            )
            % {"days": -left},
        )
    if left == 0:
        return Urgency("queue-urgent", _("Due today"))
    words = ngettext("%(days)d working day left", "%(days)d working days left", left) % {
        "days": left
    }
    if left <= URGENT_WORKDAYS:
        return Urgency("queue-urgent", words)
    if left <= SOON_WORKDAYS:
        return Urgency("queue-soon", words)
    return Urgency("queue-later", words)


@dataclass(frozen=True)
class QueueItem:
    """One record waiting on the official: what, whose, where it stands, when it is due."""

    kind: QueueKind
    pk: int
    number: str
    title: str
    entity: str
    step: str
    due: datetime.date | None
    workdays_left: int | None
    urgency: Urgency
    admin_url: str

    @property
    def sort_key(self) -> tuple:
        return (self.due is None, self.due or datetime.date.max, KINDS.index(self.kind), self.pk)


@dataclass(frozen=True)
class Source:
    """One query feeding the queue: the scoped queryset in due order and how to read a row."""

    kind: QueueKind
    queryset: QuerySet
    due: Callable[[object], datetime.date | None]
    row: Callable[[object], tuple[str, str, str, str]]  # number, title, entity, step
    admin: str


# --- the sources, each through its app's scoping selector --------------------------------------


def _scoped(queryset: QuerySet, field: str, entity_ids: set[int] | None) -> QuerySet:
    return queryset if entity_ids is None else queryset.filter(**{f"{field}__in": entity_ids})


def _entry_sources(user: User, entity_ids: set[int] | None) -> list[Source]:
    """Entries in review for reviewers; drafts with a publication deadline for their authors."""
    base = _scoped(CatalogueEntry.objects.select_related("publisher"), "publisher", entity_ids)
    due_order = (F("publication_due").asc(nulls_last=True), "id")
    if user.has_perm("disclosure.review_catalogueentry") or user.has_perm(
        "disclosure.publish_catalogueentry"
    ):
        queryset = base.filter(status=CatalogueEntry.Status.IN_REVIEW)
    elif user.has_perm("disclosure.change_catalogueentry"):
        queryset = base.filter(status=CatalogueEntry.Status.DRAFT, publication_due__isnull=False)
    else:
        return []

    def row(entry: CatalogueEntry) -> tuple[str, str, str, str]:
        return (
            entry.index_no or entry.document_no,
            entry.title,
            entry.publisher.name,
            entry.get_status_display(),
        )

    return [
        Source(
            ENTRY,
            queryset.order_by(*due_order),
            lambda entry: entry.publication_due,
            row,
            "admin:disclosure_catalogueentry_change",
        )
    ]


def _case_row(case: ServiceCase) -> tuple[str, str, str, str]:
    return case.case_no, case.item.name, case.entity.name, case.get_status_display()


def _case_sources(user: User) -> list[Source]:
    """Received cases (accept or ask for a correction within 5 working days) and accepted ones."""
    if not user.has_perm("services.handle_servicecase"):
        return []
    cases = case_list_for_official(user)
    return [
        Source(
            CASE,
            cases.filter(status=ServiceCase.Status.RECEIVED).order_by("received_on", "id"),
            lambda case: add_workdays(case.received_on, CORRECTION_NOTICE_WORKDAYS),
            _case_row,
            "admin:services_servicecase_change",
        ),
        Source(
            CASE,
            cases.filter(status=ServiceCase.Status.ACCEPTED).order_by(
                F("due_date").asc(nulls_last=True), "id"
            ),
            lambda case: case.due_date,
            _case_row,
            "admin:services_servicecase_change",
        ),
    ]


def _complaint_sources(user: User) -> list[Source]:
    """Complaints at a stage with a time limit, for the bureau's handlers."""
    if not (
        user.has_perm("complaints.handle_complaint")
        or user.has_perm("complaints.supervise_complaints")
    ):
        return []

    def row(complaint: Complaint) -> tuple[str, str, str, str]:
        target = complaint.entity or next(
            (
                t.entity
                for t in (complaint.window, complaint.item, complaint.case)
                if t is not None and t.entity_id
            ),
            None,
        )
        return (
            complaint.tracking_no or "",
            complaint.get_category_display(),
            target.name if target is not None else "",
            complaint.get_status_display(),
        )

    queryset = complaints_queue(user).order_by(F("stage_due_on").asc(nulls_last=True), "id")
    return [
        Source(
            COMPLAINT,
            queryset,
            lambda complaint: complaint.stage_due_on,
            row,
            "admin:complaints_complaint_change",
        )
    ]


def _request_sources(user: User, entity_ids: set[int] | None) -> list[Source]:
    """Open information requests whose reply is the official's department's to give."""
    if not user.has_perm("disclosure.handle_informationrequest"):
        return []
    if entity_ids is not None and not entity_ids:
        return []

    def row(request: InformationRequest) -> tuple[str, str, str, str]:
        return (
            request.tracking_no or "",
            request.info_title or request.info_document_no,
            request.entity.name,
            request.get_status_display(),
        )

    queryset = (
        request_open_list(entity_ids=entity_ids)
        .prefetch_related(None)
        .only(
            "id",
            "tracking_no",
            "info_title",
            "info_document_no",
            "status",
            "due_date",
            "entity__name",
        )
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )
    return [
        Source(
            REQUEST,
            queryset,
            lambda request: request.due_date,
            row,
            "admin:disclosure_informationrequest_change",
        )
    ]


def _task_sources(user: User, entity_ids: set[int] | None) -> list[Source]:
    """Bad ratings to call back and rectify (open or called back)."""
    if not user.has_perm("services.handle_rectificationtask"):
        return []
    queryset = _scoped(
        RectificationTask.objects.select_related("entity", "rating"), "entity", entity_ids
    ).filter(status__in=[RectificationTask.Status.OPEN, RectificationTask.Status.CALLED_BACK])

    def row(task: RectificationTask) -> tuple[str, str, str, str]:
        return (
            str(task.pk),
            _("Bad rating of case %(case)s") % {"case": task.rating.case_id},
            task.entity.name,
            task.get_status_display(),
        )

    return [
        Source(
            TASK,
            queryset.order_by("due_date", "id"),
            lambda task: task.due_date,
            row,
            "admin:services_rectificationtask_change",
        )
    ]


def _project_sources(user: User, entity_ids: set[int] | None) -> list[Source]:
    """Rectification projects: the bureau sees every open one (and those to verify); a
    department reports progress on its own."""
    status = RectificationProject.Status
    if user.has_perm("complaints.manage_supervision"):
        queryset = RectificationProject.objects.filter(
            status__in=[status.PLANNED, status.IN_PROGRESS, status.COMPLETED]
        )
    elif user.has_perm("complaints.report_rectification_progress"):
        queryset = _scoped(
            RectificationProject.objects.filter(status__in=[status.PLANNED, status.IN_PROGRESS]),
            "responsible_entity",
            entity_ids,
        )
    else:
        return []

    def row(project: RectificationProject) -> tuple[str, str, str, str]:
        return (
            project.number,
            project.title,
            project.responsible_entity.name,
            project.get_status_display(),
        )

    return [
        Source(
            PROJECT,
            queryset.select_related("responsible_entity").order_by("due_date", "id"),
            lambda project: project.due_date,
            row,
            "admin:complaints_rectificationproject_change",
        )
    ]


def queue_sources(user: User) -> list[Source]:
    """Every source of `user`'s queue (none for an anonymous or inactive user)."""
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return []
    entity_ids = entity_ids_for_official(user)
    return [
        *_entry_sources(user, entity_ids),
        *_case_sources(user),
        *_complaint_sources(user),
        *_request_sources(user, entity_ids),
        *_task_sources(user, entity_ids),
        *_project_sources(user, entity_ids),
    ]


# --- the queue ----------------------------------------------------------------------------------


def _items(source: Source, limit: int, today: datetime.date) -> Iterable[QueueItem]:
    for record in source.queryset[:limit]:
        due = source.due(record)
        left = workdays_left(due, today=today) if due is not None else None
        number, title, entity, step = source.row(record)
        yield QueueItem(
            kind=source.kind,
            pk=record.pk,
            number=number,
            title=title,
            entity=entity,
            step=step,
            due=due,
            workdays_left=left,
            urgency=urgency_for(left, past_due=due is not None and due < today),
            admin_url=reverse(source.admin, args=[record.pk]),
        )


def work_queue(
    user: User,
    *,
    kind: str | None = None,
    limit: int = DEFAULT_LIMIT,
    today: datetime.date | None = None,
) -> list[QueueItem]:
    """What waits on `user`, earliest due first (no deadline last), at most `limit` items.

    Each source is cut at `limit` in its own due order before the merge, so the first `limit`
    of the merged list are the true first `limit`.
    """
    today = today or timezone.localdate()
    items: list[QueueItem] = []
    for source in queue_sources(user):
        if kind is None or source.kind.key == kind:
            items.extend(_items(source, limit, today))
    items.sort(key=lambda item: item.sort_key)
    return items[:limit]


@dataclass(frozen=True)
class KindCount:
    kind: QueueKind
    count: int
    overdue: int


def queue_counts(user: User, *, today: datetime.date | None = None) -> list[KindCount]:
    """How many records of each kind wait on `user` and how many of them are overdue.

    Only the kinds the official works appear. One query per source: both counts in one
    aggregate (`COUNT(*)` and a filtered `COUNT`), where there were two.
    """
    today = today or timezone.localdate()
    totals: dict[str, list[int]] = {}
    for source in queue_sources(user):
        counts = totals.setdefault(source.kind.key, [0, 0])
        row = source.queryset.order_by().aggregate(
            count=Count("pk"), overdue=Count("pk", filter=_overdue_condition(source, today))
        )
        counts[0] += row["count"]
        counts[1] += row["overdue"]
    return [
        KindCount(kind=kind, count=totals[kind.key][0], overdue=totals[kind.key][1])
        for kind in KINDS
        if kind.key in totals
    ]


def _overdue_condition(source: Source, today: datetime.date) -> Q:
    """The database condition for 'past its due date on `today`' for one source."""
    model = source.queryset.model
    if model is CatalogueEntry:
        return Q(publication_due__lt=today)
    if model is ServiceCase:
        # A received case is late once its correction-notice window has closed.
        return Q(status=ServiceCase.Status.ACCEPTED, due_date__lt=today) | Q(
            status=ServiceCase.Status.RECEIVED,
            received_on__lt=add_workdays(today, -CORRECTION_NOTICE_WORKDAYS),
        )
    if model is Complaint:
        return Q(stage_due_on__lt=today)
    return Q(due_date__lt=today)
