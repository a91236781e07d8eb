"""Site-wide request guards that belong to no app: request-size limits (413).

A body over the limits is refused with 413 before any view, form or the CSRF check reads it,
as a page for people and as JSON for machines, instead of Django's bare 400:

- any request whose Content-Length exceeds `GONGKAI_MAX_REQUEST_BYTES` (files included);
- a body that is not multipart (a form post, JSON, XML) over `DATA_UPLOAD_MAX_MEMORY_SIZE`;
- form fields over `DATA_UPLOAD_MAX_MEMORY_SIZE`, or too many fields or files (Django's own
  limits, raised while the form is parsed, here or later in a view).
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from disclosure.ratelimit import wants_json

DEFAULT_MAX_REQUEST_BYTES = 60 * 1024 * 1024
TOO_BIG = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def request_too_large(request: HttpRequest) -> HttpResponse:
    """The 413 answer: a page, or JSON for the API and Open311. Nothing was received."""
    message = _("The submission is too large. Nothing was received.")
    if wants_json(request):
        return JsonResponse(
            {"detail": message}, status=413, json_dumps_params={"ensure_ascii": False}
        )
    response = render(request, "413.html", {"message": message}, status=413)
    response["Connection"] = "close"
    return response


class RequestSizeLimitMiddleware:
    """Answer 413 to a request body over the limits (place it before CsrfViewMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = getattr(settings, "GONGKAI_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES)
        if length > limit:
            return request_too_large(request)
        content_type = request.content_type or ""
        data_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if data_limit is not None and content_type != "multipart/form-data" and length > data_limit:
            return request_too_large(request)
        if request.method in ("POST", "PUT", "PATCH") and content_type in FORM_TYPES:
            try:
                request.POST  # noqa: B018 - parse now, so that the limits answer 413 here
            except TOO_BIG:
                return request_too_large(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A view that hit the limits while reading the body: 413 as well."""
        if isinstance(exception, TOO_BIG):
            return request_too_large(request)
        return None
