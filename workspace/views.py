"""The officials' pages: the work queue and the dashboard (behind the admin's login)."""

from collections.abc import Callable
from functools import wraps

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from services.views.charts import bar_chart
from workspace.roles import roles_of
from workspace.selectors.dashboard import dashboard_for
from workspace.selectors.queue import KINDS_BY_KEY, queue_counts, work_queue


def official_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let in whoever the admin site lets in (active staff, second factor when required)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not admin.site.has_permission(request):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@official_required
def queue(request: HttpRequest) -> HttpResponse:
    """Everything waiting on the official, earliest due first; ?kind= narrows to one kind."""
    kind = request.GET.get("kind") or None
    if kind not in KINDS_BY_KEY:
        kind = None
    counts = queue_counts(request.user)
    items = work_queue(request.user, kind=kind)
    total = sum(count.count for count in counts)
    shown_total = next((c.count for c in counts if c.kind.key == kind), total) if kind else total
    return render(
        request,
        "workspace/queue.html",
        {
            "items": items,
            "counts": counts,
            "total": total,
            "kind": KINDS_BY_KEY.get(kind) if kind else None,
            "more": shown_total > len(items),
            "roles": roles_of(request.user),
        },
    )


@require_GET
@official_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The official's departments at a glance: on time, overdue, complaints, completeness."""
    figures = dashboard_for(request.user)
    on_time_chart = bar_chart(
        title=_("On-time rate of completed service cases by month (%)"),
        groups=[
            (month.month.strftime("%Y-%m"), [float(month.rate) if month.rate is not None else None])
            for month in figures.on_time.months
        ],
        series=[_("On time (%)")],
        value_format="{:.1f}",
    )
    overdue_chart = bar_chart(
        title=_("Overdue items by kind"),
        groups=[(str(count.kind.label), [count.overdue]) for count in figures.overdue],
        series=[_("Overdue")],
    )
    completeness_rows = figures.completeness.institutions[:15]
    completeness_chart = bar_chart(
        title=_("Disclosure completeness of the least complete institutions (%)"),
        groups=[(row.institution.name, [float(row.percentage)]) for row in completeness_rows],
        series=[_("Complete (%)")],
        label_width=220,
        value_format="{:.1f}",
    )
    complaints_chart = bar_chart(
        title=_("Complaints by where they stand"),
        groups=[
            (_("In progress"), [figures.complaints.in_progress]),
            (_("Overdue"), [figures.complaints.overdue]),
            (_("Concluded"), [figures.complaints.concluded]),
            (_("Substantiated"), [figures.complaints.substantiated]),
            (_("Declined"), [figures.complaints.declined]),
        ],
        series=[_("Complaints")],
    )
    return render(
        request,
        "workspace/dashboard.html",
        {
            "figures": figures,
            "on_time_chart": on_time_chart,
            "overdue_chart": overdue_chart,
            "complaints_chart": complaints_chart,
            "completeness_chart": completeness_chart,
            "completeness_rows": completeness_rows,
            "roles": roles_of(request.user),
        },
    )
