"""Public pages of supervision: the invited supervisors, their inspection visits and the
rectification projects.

Public accountability: every rectification project is public with its department, leader, plan,
progress and completion. Supervisors are listed without their contacts (the selector does not
even load them). Accepted visits are public with their findings and follow-up, but never their
private notes nor who inspected (an unannounced visit's inspector stays unnamed).
"""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from complaints.models.supervision import InspectionVisit, RectificationProject, Supervisor
from complaints.selectors.supervision import (
    rectification_project_detail_queryset,
    rectification_project_list,
    supervisor_public_list,
    visit_public_departments,
    visit_public_list,
    visit_public_summaries,
    visit_public_years,
)
from disclosure.views.files import stored_file_response

PAGE_SIZE = 50


def supervisor_list(request: HttpRequest) -> HttpResponse:
    """The invited supervisors (特邀监督员/监察员): name, role, kind, affiliation, term."""
    kind = request.GET.get("kind", "")
    supervisors = supervisor_public_list()
    if kind in Supervisor.Kind.values:
        supervisors = supervisors.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(supervisors, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "complaints/supervisor_list.html",
        {"page": page, "kinds": Supervisor.Kind.choices, "kind": kind},
    )


def rectification_list(request: HttpRequest) -> HttpResponse:
    """Every rectification project (整改立项) with its department, due date and status."""
    status = request.GET.get("status", "")
    projects = rectification_project_list()
    if status in RectificationProject.Status.values:
        projects = projects.filter(status=status)
    else:
        status = ""
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "complaints/rectification_list.html",
        {
            "page": page,
            "statuses": RectificationProject.Status.choices,
            "status": status,
            "today": timezone.localdate(),
        },
    )


def rectification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One project: problem, plan, measures, leader, due date, progress, completion, history."""
    project = get_object_or_404(rectification_project_detail_queryset(), pk=pk)
    return render(
        request,
        "complaints/rectification_detail.html",
        {"project": project, "today": timezone.localdate()},
    )


def rectification_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's evidence of completion (public with the project), served as a download."""
    project = get_object_or_404(rectification_project_detail_queryset(), pk=pk)
    return stored_file_response(project.evidence, name=f"rectification-{project.pk}-evidence")


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def visit_list(request: HttpRequest) -> HttpResponse:
    """Accepted inspection visits (明查/暗访): date, target, score, findings, follow-up."""
    kind = request.GET.get("kind", "")
    if kind not in InspectionVisit.Kind.values:
        kind = ""
    entity_id = _int_param(request, "entity")
    years = visit_public_years()
    year = _int_param(request, "year")
    if year not in years:
        year = None
    departments = visit_public_departments()
    if entity_id not in {entity.pk for entity in departments}:
        entity_id = None
    visits = visit_public_list(kind=kind or None, entity_id=entity_id, year=year)
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    query = "&".join(
        f"{name}={value}"
        for name, value in (("kind", kind), ("entity", entity_id), ("year", year))
        if value
    )
    return render(
        request,
        "complaints/visit_list.html",
        {
            "page": page,
            "kinds": InspectionVisit.Kind.choices,
            "kind": kind,
            "departments": departments,
            "entity_id": entity_id,
            "years": years,
            "year": year,
            "query": query,
        },
    )


def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One accepted visit: what was visited, when, the score, summary, findings and follow-up."""
    visit = get_object_or_404(visit_public_summaries(), pk=pk)
    return render(request, "complaints/visit_detail.html", {"visit": visit})
