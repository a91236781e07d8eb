"""Reads for supervision: the public lists, the officials' and supervisors' scoped lists.

Visibility is decided here once for every surface (pages, API, admin):

- the public sees active supervisors (never their contacts), every rectification project with
  its progress, and summaries of accepted visits (never private notes);
- the supervision bureau sees every visit; an invited supervisor only their own
  (`visits_visible_to`).
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet

from complaints.models.supervision import (
    InspectionVisit,
    RectificationProgress,
    RectificationProject,
    Supervisor,
    VisitFinding,
)
from disclosure.models import AdministrativeEntity
from disclosure.selectors.memberships import entity_ids_for_official

User = AbstractBaseUser | AnonymousUser
MANAGE = "complaints.manage_supervision"
VIEW_PROJECTS = "complaints.view_rectificationproject"
REPORT_PROGRESS = "complaints.report_rectification_progress"

# The fields a public surface may load: a supervisor's contacts are never among them.
SUPERVISOR_PUBLIC_FIELDS = (
    "id",
    "name",
    "role",
    "kind",
    "affiliation",
    "term_start",
    "term_end",
    "is_active",
)


def supervisor_public_list() -> QuerySet[Supervisor]:
    """Active supervisors as the public sees them: name, role, kind, affiliation, term."""
    return Supervisor.objects.filter(is_active=True).only(*SUPERVISOR_PUBLIC_FIELDS)


def visits_visible_to(user: User) -> QuerySet[InspectionVisit]:
    """The visits `user` may see and keep: all for the bureau, one's own for a supervisor.

    An official who reads every department's records (the auditor: view permission and
    `act_for_all_entities`) sees them all too; changing them still needs `manage_supervision`.
    Anyone else (another official, the public) gets none here; the public reads
    `visit_public_summaries`.
    """
    queryset = InspectionVisit.objects.select_related(
        "supervisor", "window", "entity", "recorded_by"
    )
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.has_perm(MANAGE) or (
        user.has_perm("complaints.view_inspectionvisit")
        and user.has_perm("disclosure.act_for_all_entities")
    ):
        return queryset
    return queryset.filter(supervisor__user=user, supervisor__user__isnull=False)


# What a public surface loads of a finding's follow-up: the project's number and the
# complaint's tracking number and state (never the complainant: none is loaded).
_FINDING_PUBLIC_FIELDS = (
    "id",
    "visit_id",
    "description",
    "severity",
    "responsible_entity__id",
    "responsible_entity__name",
    "rectification_project__id",
    "rectification_project__number",
    "rectification_project__title",
    "rectification_project__status",
    "complaint__id",
    "complaint__tracking_no",
    "complaint__status",
)


def visit_public_summaries() -> QuerySet[InspectionVisit]:
    """Accepted visits for the public: kind, date, target, summary, score, findings, follow-up.

    Private notes and the supervisor's identity are not loaded (an unannounced visit's
    inspector stays unnamed; the same rule for announced ones). Each finding carries what it
    became: a rectification project (number) or a complaint (tracking number, state).
    """
    return (
        InspectionVisit.objects.accepted()
        .select_related("window", "entity", "institution")
        .defer("private_notes", "supervisor", "recorded_by")
        .annotate(findings_count=Count("findings", distinct=True))
        .order_by("-visited_on", "-id")
        .prefetch_related(
            Prefetch(
                "findings",
                queryset=VisitFinding.objects.select_related(
                    "responsible_entity", "rectification_project", "complaint"
                )
                .only(*_FINDING_PUBLIC_FIELDS)
                .order_by("id"),
            )
        )
    )


def visit_public_list(
    *, kind: str | None = None, entity_id: int | None = None, year: int | None = None
) -> QuerySet[InspectionVisit]:
    """The public list of accepted visits, newest first; filters: kind, department, year.

    A visit belongs to a department when it visited the department, one of its windows or an
    institution it supervises.
    """
    queryset = visit_public_summaries()
    if kind:
        queryset = queryset.filter(kind=kind)
    if entity_id:
        queryset = queryset.filter(
            Q(entity_id=entity_id)
            | Q(window__entity_id=entity_id)
            | Q(institution__supervising_department_id=entity_id)
        )
    if year:
        queryset = queryset.filter(visited_on__year=year)
    return queryset


def visit_public_departments() -> list[AdministrativeEntity]:
    """The departments accepted visits went to (directly, a window, a supervised institution)."""
    ids: set[int] = set()
    for row in InspectionVisit.objects.accepted().values_list(
        "entity_id", "window__entity_id", "institution__supervising_department_id"
    ):
        ids.update(pk for pk in row if pk)
    return list(AdministrativeEntity.objects.filter(pk__in=ids).only("id", "name").order_by("name"))


def visit_public_years() -> list[int]:
    """The years with accepted visits, newest first (for the list's filter)."""
    return sorted(
        {day.year for day in InspectionVisit.objects.accepted().dates("visited_on", "year")},
        reverse=True,
    )


def rectification_project_list() -> QuerySet[RectificationProject]:
    """Every rectification project, public for accountability, with its department."""
    return (
        RectificationProject.objects.select_related("responsible_entity", "source_visit")
        .prefetch_related("coordinating_entities")
        .annotate(progress_count=Count("progress_updates", distinct=True))
        .order_by("number")
    )


def rectification_project_detail_queryset() -> QuerySet[RectificationProject]:
    """Projects with their progress updates, findings and public history."""
    return RectificationProject.objects.select_related(
        "responsible_entity", "source_visit", "source_visit__window", "source_visit__entity"
    ).prefetch_related(
        "coordinating_entities",
        Prefetch(
            "progress_updates",
            queryset=RectificationProgress.objects.order_by("reported_on", "id"),
        ),
        Prefetch(
            "findings",
            # only findings of accepted visits are public
            queryset=VisitFinding.objects.filter(
                visit__status=InspectionVisit.Status.ACCEPTED
            ).select_related("responsible_entity", "visit"),
        ),
        "events",
    )


def rectification_projects_visible_to(user: User) -> QuerySet[RectificationProject]:
    """The projects `user` may keep in the admin: all for the bureau, one's department's for an
    official who reports progress or may view projects (`entity_ids_for_official`: every
    department for the auditor), none for anyone else."""
    queryset = RectificationProject.objects.select_related("responsible_entity", "source_visit")
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.has_perm(MANAGE):
        return queryset
    if not (user.has_perm(REPORT_PROGRESS) or user.has_perm(VIEW_PROJECTS)):
        return queryset.none()
    scope = entity_ids_for_official(user)
    if scope is None:
        return queryset
    return queryset.filter(responsible_entity_id__in=scope)
