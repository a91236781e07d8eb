"""Site-wide views: the home page, health check, API root and error pages. No domain logic."""

import logging
import sys
from datetime import UTC, timedelta

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, requires_csrf_token
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from complaints.views.open311 import open311_error
from config.context_processors import LARGE_TEXT_COOKIE, SECTIONS
from disclosure.selectors.catalogue import catalogue_entries_latest
from services.selectors.statistics import service_figures_headline

logger = logging.getLogger(__name__)


LARGE_TEXT_MAX_AGE = timedelta(days=365)
DATABASE_DOWN_RETRY_AFTER = 60  # seconds
DATABASE_DOWN_DETAIL = "Service temporarily unavailable: nothing was stored. Retry later."


def home(request: HttpRequest) -> HttpResponse:
    """The portal's front page: welcome, search, the six sections, latest items and figures."""
    context = {
        "sections": SECTIONS,
        "latest_entries": catalogue_entries_latest(),
        "service_figures": service_figures_headline(),
    }
    return render(request, "home.html", context)


def _safe_next(request: HttpRequest) -> str:
    """The `next` (or Referer) URL if it stays on this site, else the home page."""
    for candidate in (request.POST.get("next"), request.META.get("HTTP_REFERER")):
        if candidate and url_has_allowed_host_and_scheme(
            url=candidate,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        ):
            return candidate
    return "/"


@csrf_exempt  # a display preference: no token, so that pages can be cached (config.page_cache)
@require_POST
def large_text(request: HttpRequest) -> HttpResponseRedirect:
    """Switch the large-text mode for elderly readers (长辈模式) on or off, then go back.

    A plain form post, so it works without JavaScript. `large_text=on` sets a year-long cookie
    that base.html turns into a class on <body>; anything else clears it. An off-site `next`
    is refused and replaced by the home page.
    """
    response = HttpResponseRedirect(_safe_next(request))
    if request.POST.get("large_text") == "on":
        response.set_cookie(
            LARGE_TEXT_COOKIE,
            "1",
            max_age=int(LARGE_TEXT_MAX_AGE.total_seconds()),
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(LARGE_TEXT_COOKIE, samesite="Lax")
    return response


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health check: database unreachable")
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request: Request) -> Response:
    """Where the API's parts are."""
    return Response(
        {
            "schema": reverse("api-schema", request=request),
            "docs": reverse("api-docs", request=request),
        }
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The styled 404 page, with a search box and a way home; JSON under /api/ (as documented)."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The standalone 500 page, or 503 when the database cannot be reached; JSON for the APIs.

    No base template, no context processors, no database: the failure may lie in any of them.
    """
    api = request.path_info.startswith("/api/")
    open311 = request.path_info.startswith("/open311/")
    if isinstance(sys.exception(), (OperationalError, InterfaceError)):
        if open311:  # the Open311 error format, in XML when the client asked for XML
            response = open311_error(request, 503, DATABASE_DOWN_DETAIL)
        elif api:  # a machine gets JSON, and the same promise: nothing was stored
            response = JsonResponse({"detail": DATABASE_DOWN_DETAIL}, status=503)
        else:
            response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(DATABASE_DOWN_RETRY_AFTER)
        return response
    if open311:
        return open311_error(request, 500, "Server error.")
    if api:
        return JsonResponse({"detail": "Server error."}, status=500)
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def security_txt(request: HttpRequest) -> HttpResponse:
    """/.well-known/security.txt (RFC 9116): where to report a vulnerability."""
    expires = timezone.now().replace(microsecond=0) + timedelta(days=365)
    lines = [
        f"Contact: mailto:{settings.GONGKAI_SECURITY_CONTACT}",
        f"Expires: {expires.astimezone(UTC).isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: zh, en",
        f"Canonical: {request.build_absolute_uri('/.well-known/security.txt')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
