"""Public pages of the services section: guides, an item's promise and proof, windows, centre.

Only published items and open windows are shown; anything else is a 404. No applicant's or
rater's personal data reaches these pages: figures are counts.
"""

import datetime

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from disclosure.views.files import stored_file_response
from services.models import AnnualInspectionItem, ServiceItem
from services.models.stars import STAR_THRESHOLDS, STAR_WEIGHTS, WindowMonthlyScore
from services.selectors.items_public import (
    service_item_departments,
    service_item_public_detail_queryset,
    service_item_public_list,
    service_item_public_page,
    service_item_record,
)
from services.selectors.statistics import (
    Period,
    latest_completion_day,
    period_half,
    service_figures,
)
from services.selectors.windows import (
    window_latest_scored_month,
    window_public_queryset,
    window_star_history,
    windows_with_stars,
)

PAGE_SIZE = 20


def _int_or_none(value: str | None) -> int | None:
    """A whole number from the query, or None (also past the database's 64-bit range)."""
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    return number if number is None or abs(number) < 2**63 else None


def item_list(request: HttpRequest) -> HttpResponse:
    """Service guides by department and type, with a search in names and codes."""
    # NUL cannot reach PostgreSQL (it refuses it in a string): dropped with the rest of the noise.
    q = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    entity_id = _int_or_none(request.GET.get("department"))
    kind = request.GET.get("type", "")
    if kind not in ServiceItem.Kind.values:
        kind = ""
    items = service_item_public_list(q=q, entity_id=entity_id, kind=kind)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "services/item_list.html",
        {
            "page": page,
            "q": q,
            "department": entity_id,
            "kind": kind,
            "departments": service_item_departments(),
            "kinds": ServiceItem.Kind.choices,
        },
    )


def record_period(*, on: datetime.date | None = None) -> Period:
    """The period an item's measured record covers: the last twelve months with cases.

    Anchored on the latest completion on record (the demo's cases are in 2006), so the record
    is never empty just because the data are old. The item page finds it in the same query as
    the record (`service_item_record`, tested equal to this).
    """
    latest = latest_completion_day()
    last = latest or on or timezone.localdate()
    first = (last.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)
    return Period(first, last)


def material_file(request: HttpRequest, pk: int, material_pk: int, which: str) -> HttpResponse:
    """A material's blank form or filled-in sample, of a public item only, as a download."""
    item = get_object_or_404(service_item_public_detail_queryset(), pk=pk)
    material = get_object_or_404(item.materials.all(), pk=material_pk)
    field = {"blank-form": material.blank_form, "sample": material.sample}.get(which)
    if not field:
        raise Http404
    return stored_file_response(field, name=f"{material.name}-{which}")


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An item's guide, and its commitment beside its measured record: the promise and the proof.

    Two queries whatever the item's number of materials, windows and cases: the item with its
    lists (`service_item_public_page`), and its record with the period (`record_period`) it
    covers (`service_item_record`).
    """
    page = service_item_public_page(pk=pk)
    if page is None:
        raise Http404
    period, record = service_item_record(item_id=pk)
    record.committed_days = page.item.committed_days
    context = {
        "item": page.item,
        "materials": page.materials,
        "windows": page.windows,
        "record": record,
        "period": period,
    }
    # The lists' links as prefix + pk: one reverse per list instead of one or two per row.
    if page.windows:
        window_url = reverse("services:window-detail", kwargs={"pk": 0})
        context["window_url_prefix"] = window_url.removesuffix("0/")
    if page.materials:
        file_url = reverse("services:material-file", args=[pk, 0, "sample"])
        context["material_url_prefix"] = file_url.removesuffix("0/sample/")
    return render(request, "services/item_detail.html", context)


def window_list(request: HttpRequest) -> HttpResponse:
    """The centre's windows, the items each handles and last month's stars."""
    month = window_latest_scored_month()
    return render(
        request,
        "services/window_list.html",
        {
            "windows": windows_with_stars(month=month),
            "month": month,
        },
    )


def _formula() -> dict:
    return {
        "weights": [
            (label, STAR_WEIGHTS[value]) for value, label in WindowMonthlyScore.Component.choices
        ],
        "thresholds": STAR_THRESHOLDS,
    }


def window_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A window's page: its items, its stars month by month and the formula behind them."""
    window = get_object_or_404(window_public_queryset(), pk=pk)
    return render(
        request,
        "services/window_detail.html",
        {
            "window": window,
            "history": window_star_history(window=window),
            "components": WindowMonthlyScore.Component.choices,
            "formula": _formula(),
        },
    )


def centre(request: HttpRequest) -> HttpResponse:
    """The administrative service centre: how it serves, its assisted services, its figures."""
    latest = latest_completion_day()
    period = period_half(latest.year, 1 if latest.month <= 6 else 2) if latest else None
    figures = service_figures(period=period) if period else None
    month = window_latest_scored_month()
    return render(
        request,
        "services/centre.html",
        {
            "period": period,
            "figures": figures,
            "windows": windows_with_stars(month=month),
            "month": month,
        },
    )


def annual_inspection_list(request: HttpRequest) -> HttpResponse:
    """The annual-inspection items of a year's review (年检项目), by unit."""
    years = list(
        AnnualInspectionItem.objects.order_by("-year").values_list("year", flat=True).distinct()
    )
    year = _int_or_none(request.GET.get("year"))
    if year not in years:
        year = years[0] if years else None
    items = (
        AnnualInspectionItem.objects.of_year(year).select_related("entity")
        if year
        else AnnualInspectionItem.objects.none()
    )
    rows = list(items)
    counts = dict.fromkeys(AnnualInspectionItem.Status.values, 0)
    for row in rows:
        counts[row.status] += 1
    return render(
        request,
        "services/annual_inspection_list.html",
        {
            "year": year,
            "years": years,
            "items": rows,
            "units": len({row.unit for row in rows}),
            "counts": counts,
        },
    )
