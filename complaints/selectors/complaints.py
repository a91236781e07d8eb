"""Reads for efficiency complaints: the public ledger, the citizen's timeline, officials' queues.

The firewall: the complainant's identity is visible only to officials who may reveal it
(`complaints.reveal_complainant`) and are the complaint's investigator or supervise every
complaint, and never to an official of the department complained about. Public surfaces read
`LEDGER_FIELDS` only.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connections, router
from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from complaints.models import Complaint, ComplaintEvent, Open311Token
from complaints.models.complaints import IDENTITY_FIELDS, IN_PROGRESS
from complaints.models.supervision import InspectionVisit, RectificationProject, VisitFinding
from complaints.selectors.ledger_cache import PRIMARY, ledger_cached, ledger_cached_entry
from disclosure.models import AdministrativeEntity
from disclosure.selectors.memberships import entity_ids_for_official

User = AbstractBaseUser | AnonymousUser
S = Complaint.Status

# The only fields a public surface (page, ledger, API, Open311) ever loads.
LEDGER_FIELDS = (
    "id",
    "tracking_no",
    "received_on",
    "category",
    "status",
    "decline_reason",
    "finding",
    "measures",
    "concluded_on",
    "replied_on",
    "closed_on",
    "withdrawn_on",
    "updated_at",
    "stage_due_on",
    "entity__id",
    "entity__name",
    "window__id",
    "window__number",
    "window__name",
    "window__entity__id",
    "window__entity__name",
    "item__id",
    "item__name",
    "item__entity__id",
    "item__entity__name",
    "case__id",
    "case__entity__id",
    "case__entity__name",
)
_RELATED = ("entity", "window__entity", "item__entity", "case__entity")

CONCLUDED = (S.CONCLUDED, S.REPLIED, S.CLOSED)


def _public_queryset() -> QuerySet:
    queryset = Complaint.objects.select_related(*_RELATED)
    if hasattr(Complaint, "institution"):
        queryset = queryset.select_related("institution__supervising_department")
        return queryset.only(
            *LEDGER_FIELDS,
            "institution__id",
            "institution__name",
            "institution__supervising_department__id",
            "institution__supervising_department__name",
        )
    return queryset.only(*LEDGER_FIELDS)


def complaints_ledger(
    *,
    status: str | None = None,
    category: str | None = None,
    entity_id: int | None = None,
    year: int | None = None,
) -> QuerySet:
    """Every complaint ever received, newest first, without any personal data."""
    queryset = _public_queryset().order_by("-received_on", "-id")
    if status:
        queryset = queryset.filter(status=status)
    if category:
        queryset = queryset.filter(category=category)
    if entity_id:
        queryset = queryset.filter(
            Q(entity_id=entity_id)
            | Q(entity__isnull=True, window__entity_id=entity_id)
            | Q(entity__isnull=True, item__entity_id=entity_id)
            | Q(entity__isnull=True, case__entity_id=entity_id)
        )
    if year:
        queryset = queryset.filter(received_on__year=year)
    return queryset


OPEN311_COLUMNS = (
    "tracking_no",
    "status",
    "category",
    "received_on",
    "updated_at",
    "stage_due_on",
    "department_name",
)


def complaints_open311() -> QuerySet:
    """The ledger as Open311 lists it: `OPEN311_COLUMNS` only, as tuples (no model instances),
    the department's name picked in SQL as Complaint.department picks the department."""
    department_name = Coalesce(
        "entity__name",
        "case__entity__name",
        "window__entity__name",
        "item__entity__name",
        "institution__supervising_department__name",
    )
    return (
        Complaint.objects.annotate(department_name=department_name)
        .order_by("-received_on", "-id")
        .values_list(*OPEN311_COLUMNS)
    )


def complaint_public_get(number: str) -> Complaint | None:
    """One complaint by its tracking number, public fields only (Open311 requests/{id})."""
    return _public_queryset().filter(tracking_no=number).first()


def complaint_number_for_open311_token(token: str) -> str | None:
    """The tracking number an Open311 POST's token stands for, or None."""
    if not token or len(token) > 64:
        return None
    return (
        Open311Token.objects.filter(token=token)
        .values_list("complaint__tracking_no", flat=True)
        .first()
    )


def ledger_state(complaint: Complaint) -> str:
    """The ledger's state group: in_progress, concluded, declined or withdrawn."""
    return _ledger_group(complaint.status)


@dataclass
class MonthCounts:
    month: datetime.date
    received: int = 0
    concluded: int = 0
    in_progress: int = 0
    declined: int = 0
    withdrawn: int = 0

    @property
    def reconciles(self) -> bool:
        """received = concluded + in progress + declined + withdrawn."""
        return self.received == self.concluded + self.in_progress + self.declined + self.withdrawn


@dataclass
class LedgerCounts:
    months: list[MonthCounts] = field(default_factory=list)
    total: MonthCounts | None = None

    @property
    def reconciles(self) -> bool:
        return all(month.reconciles for month in self.months) and (
            self.total is None or self.total.reconciles
        )


def _ledger_group(status: str) -> str:
    """ledger_state() of a status (without building a Complaint per grouped row)."""
    if status in CONCLUDED:
        return "concluded"
    if status in (S.DECLINED, S.WITHDRAWN):
        return str(status)
    return "in_progress"


def ledger_monthly_counts(*, year: int | None = None) -> LedgerCounts:
    """Counts per month of receipt, by ledger state: one grouped query, cached until a complaint
    action bumps the ledger's version (complaints.selectors.ledger_cache)."""
    return ledger_cached(f"months:{year or 'all'}", lambda: _ledger_monthly_counts(year=year))


def ledger_page_tables() -> dict:
    """The ledger page's monthly and department tables, each with a stamp naming the cached
    computation it comes from (the page caches each table's HTML under its stamp)."""
    months_stamp, months = ledger_cached_entry(
        "months:all", lambda: _ledger_monthly_counts(year=None)
    )
    today = timezone.localdate()
    key = ledger_departments_key(today=today)
    departments_stamp, departments = ledger_cached_entry(
        f"departments:{key}", lambda: _department_counts(today=today)
    )
    return {
        "counts": months,
        "counts_stamp": months_stamp,
        "departments": departments,
        "departments_stamp": f"{key}-{departments_stamp}",
    }


def _ledger_monthly_counts(*, year: int | None) -> LedgerCounts:
    queryset = Complaint.objects.using(PRIMARY)
    if year:
        queryset = queryset.filter(received_on__year=year)
    rows = (
        queryset.annotate(month=TruncMonth("received_on"))
        .values_list("month", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    months: dict[datetime.date, MonthCounts] = {}
    total = MonthCounts(month=datetime.date(year or 1, 1, 1))
    for month, status, n in rows:
        if isinstance(month, datetime.datetime):
            month = month.date()
        counts = months.setdefault(month, MonthCounts(month=month))
        group = _ledger_group(status)
        for target in (counts, total):
            target.received += n
            setattr(target, group, getattr(target, group) + n)
    return LedgerCounts(months=[months[m] for m in sorted(months)], total=total)


def _department_row(department_id: int | None, name: str) -> dict:
    return {
        "department_id": department_id,
        "department": name,
        "received": 0,
        "concluded": 0,
        "in_progress": 0,
        "declined": 0,
        "withdrawn": 0,
        "substantiated": 0,
        "visits": 0,
        "average_score": None,
        "findings": 0,
        "serious_findings": 0,
        "projects": 0,
        "projects_open": 0,
        "projects_overdue": 0,
    }


def _department_complaint_counts() -> list[tuple[int | None, str, int, int]]:
    """(department, status, complaints, substantiated) over every complaint: the one tally of
    the department table that grows with the complaints, so the one cached."""
    # The department as Complaint.department picks it: the most specific target naming one.
    return list(
        Complaint.objects.using(PRIMARY)
        .annotate(
            department=Coalesce(
                "entity_id",
                "case__entity_id",
                "window__entity_id",
                "item__entity_id",
                "institution__supervising_department_id",
            )
        )
        .values_list("department", "status")
        .annotate(
            n=Count("id"),
            substantiated=Count(
                "id",
                filter=Q(finding__in=[Complaint.Finding.SUBSTANTIATED, Complaint.Finding.PARTLY]),
            ),
        )
        .order_by()
    )


def ledger_departments_key(*, today: datetime.date | None = None) -> str:
    """What the per-department table depends on besides the complaints (whose changes bump the
    ledger's version): the day (projects fall overdue at midnight) and a fingerprint of the
    supervision records (how many visits, findings and projects, and their latest change), read
    in one query over those small tables."""
    today = today or timezone.localdate()
    tables = {
        "v": InspectionVisit._meta.db_table,
        "f": VisitFinding._meta.db_table,
        "p": RectificationProject._meta.db_table,
    }
    sql = (  # noqa: S608 - the models' own table names, no input
        "SELECT (SELECT COUNT(*) FROM {v}), (SELECT MAX(updated_at) FROM {v}), "
        "(SELECT COUNT(*) FROM {f}), (SELECT MAX(id) FROM {f}), "
        "(SELECT COUNT(*) FROM {p}), (SELECT MAX(updated_at) FROM {p})"
    ).format(**tables)
    with connections[router.db_for_read(InspectionVisit)].cursor() as cursor:
        cursor.execute(sql)
        fingerprint = ":".join(str(value) for value in cursor.fetchone())
    digest = hashlib.sha256(fingerprint.encode()).hexdigest()[:16]
    return f"{today:%Y%m%d}:{digest}"


def ledger_department_counts(
    *, today: datetime.date | None = None, key: str | None = None
) -> list[dict]:
    """Per department (never a person), from the records: complaints received, concluded, in
    progress, declined, withdrawn and substantiated (fully or partly); accepted inspection visits
    and their mean score; findings (serious or grave among them); rectification projects, open
    and overdue (open past the due date, or marked by the sweep).

    Cached under the ledger's version (bumped by every complaint action) and
    `ledger_departments_key()` (pass it as `key` when already read): one query when cached, six
    when not, whatever the size.
    """
    today = today or timezone.localdate()
    key = key or ledger_departments_key(today=today)
    return ledger_cached(f"departments:{key}", lambda: _department_counts(today=today))


def _department_counts(*, today: datetime.date) -> list[dict]:
    """ledger_department_counts() computed (the complaints' tally on the primary).

    A visit counts for the department it visited, the department of the window it visited, or
    the supervising department of the institution it visited; a finding and a project for their
    responsible department.
    """
    rows: dict[int | None, dict] = {}
    for key, status, n, substantiated in _department_complaint_counts():
        row = rows.setdefault(key, _department_row(key, ""))
        row["received"] += n
        row[_ledger_group(status)] += n
        row["substantiated"] += substantiated

    visits = (
        InspectionVisit.objects.accepted()
        .annotate(
            department=Coalesce(
                "entity_id", "window__entity_id", "institution__supervising_department_id"
            )
        )
        .values("department")
        .annotate(visits=Count("id"), mean=Avg("score"))
        .order_by()
    )
    findings = (
        VisitFinding.objects.filter(visit__status=InspectionVisit.Status.ACCEPTED)
        .values("responsible_entity_id")
        .annotate(
            findings=Count("id"),
            serious=Count(
                "id",
                filter=Q(severity__in=[VisitFinding.Severity.SERIOUS, VisitFinding.Severity.GRAVE]),
            ),
        )
        .order_by()
    )
    project_status = RectificationProject.Status
    is_open = Q(status__in=[project_status.PLANNED, project_status.IN_PROGRESS])
    projects = (
        RectificationProject.objects.values("responsible_entity_id")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=is_open),
            overdue=Count(
                "id", filter=is_open & (Q(due_date__lt=today) | Q(overdue_since__isnull=False))
            ),
        )
        .order_by()
    )
    supervision: list[tuple[int | None, dict]] = []
    for row in visits:
        mean = row["mean"]
        supervision.append(
            (
                row["department"],
                {
                    "visits": row["visits"],
                    "average_score": round(float(mean), 1) if mean is not None else None,
                },
            )
        )
    for row in findings:
        supervision.append(
            (
                row["responsible_entity_id"],
                {"findings": row["findings"], "serious_findings": row["serious"]},
            )
        )
    for row in projects:
        supervision.append(
            (
                row["responsible_entity_id"],
                {
                    "projects": row["total"],
                    "projects_open": row["open"],
                    "projects_overdue": row["overdue"],
                },
            )
        )
    for key, values in supervision:
        if key not in rows:
            rows[key] = _department_row(key, "")
        rows[key].update(values)
    names = dict(
        AdministrativeEntity.objects.filter(pk__in=[k for k in rows if k is not None]).values_list(
            "id", "name"
        )
    )
    for key, row in rows.items():
        row["department"] = names.get(key, "") if key is not None else ""
    return sorted(
        rows.values(), key=lambda row: (-row["received"], -row["visits"], row["department"])
    )


def complaint_timeline(complaint: Complaint) -> list[ComplaintEvent]:
    """The public steps of a complaint's history (no actor names, no private notes)."""
    return list(complaint.events.filter(public=True).only("kind", "from_status", "to_status", "at"))


def complaint_for_tracking(pk: int) -> Complaint:
    """The complaint the citizen is tracking, with what its page shows."""
    return (
        Complaint.objects.select_related(*_RELATED)
        .prefetch_related("pauses", "attachments")
        .get(pk=pk)
    )


# --- Officials ----------------------------------------------------------------------------------


def complaint_accused_entity_ids(complaint: Complaint) -> set[int]:
    """The departments a complaint is about (its targets' departments)."""
    ids = {complaint.entity_id} if complaint.entity_id else set()
    for target in (complaint.window, complaint.item, complaint.case):
        if target is not None and target.entity_id:
            ids.add(target.entity_id)
    institution = getattr(complaint, "institution", None)
    if institution is not None and institution.supervising_department_id:
        ids.add(institution.supervising_department_id)
    return ids


def official_is_accused(user: User, complaint: Complaint) -> bool:
    """True when `user` works for a department the complaint is about."""
    scope = entity_ids_for_official(user)
    if scope is None:
        return False
    return bool(scope & complaint_accused_entity_ids(complaint))


def complainant_identity_visible(user: User, complaint: Complaint) -> bool:
    """The firewall: the bureau's assigned investigator or supervisors, never the accused."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not user.has_perm("complaints.reveal_complainant"):
        return False
    if complaint.investigator_id != user.pk and not user.has_perm(
        "complaints.supervise_complaints"
    ):
        return False
    return not official_is_accused(user, complaint)


def complaints_visible_to(user: User) -> QuerySet:
    """The complaints an official may open: the bureau all, a department those about it."""
    queryset = Complaint.objects.select_related(*_RELATED, "investigator")
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.has_perm("complaints.handle_complaint") or user.has_perm(
        "complaints.supervise_complaints"
    ):
        return queryset
    scope = entity_ids_for_official(user)
    if scope is None:
        return queryset
    return queryset.filter(
        Q(entity_id__in=scope)
        | Q(window__entity_id__in=scope)
        | Q(item__entity_id__in=scope)
        | Q(case__entity_id__in=scope)
        | Q(institution__supervising_department_id__in=scope)
    )


def complaints_redacted_for(user: User) -> QuerySet:
    """`complaints_visible_to` with identity fields deferred (never loaded) for the list."""
    return complaints_visible_to(user).defer(*IDENTITY_FIELDS)


def complaints_queue(user: User, *, today: datetime.date | None = None) -> QuerySet:
    """Open complaints in due-date order; overdue ones first."""
    return (
        complaints_redacted_for(user)
        .filter(status__in=IN_PROGRESS + [S.CONCLUDED])
        .order_by("stage_due_on", "id")
    )
