"""Public pages of supervision: the invited supervisors and the rectification projects.

Public accountability: every rectification project is public with its department, leader, plan,
progress and completion. Supervisors are listed without their contacts (the selector does not
even load them). Visits are summarised in the API; private notes never reach a page.
"""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from complaints.models.supervision import RectificationProject, Supervisor
from complaints.selectors.supervision import (
    rectification_project_detail_queryset,
    rectification_project_list,
    supervisor_public_list,
)

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
