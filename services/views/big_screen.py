"""The service hall's big screen (大屏幕公示): commitments, today's figures and window stars.

Full screen, readable from across the room and needing no interaction: the panels rotate by
CSS animation (no script). `?refresh=N` (60-3600 seconds) adds a page reload for the hall's
display so its figures stay current; the public page itself never reloads on its own.
"""

from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from services.models import ConsultationCount, ServiceCase
from services.selectors.items_public import service_item_public_queryset
from services.selectors.windows import (
    window_latest_scored_month,
    windows_with_stars,
)

COMMITMENTS_SHOWN = 12


def big_screen(request: HttpRequest) -> HttpResponse:
    """The big-screen page: three panels in rotation."""
    today = timezone.localdate()
    counts = ServiceCase.objects.aggregate(
        received=Count("id", filter=Q(received_on=today)),
        accepted=Count("id", filter=Q(accepted_on=today)),
        completed=Count("id", filter=Q(completed_on=today)),
    )
    consultations = ConsultationCount.objects.filter(date=today).aggregate(n=Sum("count"))["n"] or 0
    items = (
        service_item_public_queryset()
        .select_related("entity")
        .order_by("committed_days", "entity__sort_order", "basic_code")[:COMMITMENTS_SHOWN]
    )
    month = window_latest_scored_month()
    try:
        refresh = int(request.GET.get("refresh", ""))
    except ValueError:
        refresh = None
    if refresh is not None and not 60 <= refresh <= 3600:
        refresh = None
    return render(
        request,
        "services/big_screen.html",
        {
            "today": today,
            "counts": counts,
            "consultations": consultations,
            "items": items,
            "windows": windows_with_stars(month=month),
            "month": month,
            "refresh": refresh,
        },
    )
