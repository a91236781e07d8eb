"""Per-address rate limits on citizens' submissions: one mechanism for forms, API and Open311.

A fixed window per client address and scope, counted in Django's cache (shared by every app
server when `CACHE_URL` points at Redis). Tracking lookups use the same counter
(`disclosure.tracking.tracking_lookup_allowed`); submissions use `submission_rate_limit`, a
decorator for the view that counts every POST and answers 429 with `Retry-After` past the limit,
as a page, as JSON or in the caller's own error format.

The limits come from settings (`GONGKAI_SUBMISSION_LIMIT` submissions per
`GONGKAI_SUBMISSION_WINDOW_SECONDS`); a limit of 0 switches the check off (a soak run on
loopback needs that).
"""

import functools
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.tracking import client_address

DEFAULT_SUBMISSION_LIMIT = 20  # submissions per client address, scope and window
DEFAULT_SUBMISSION_WINDOW_SECONDS = 3600


class RateLimited(Exception):
    """Too many attempts from one client address; `retry_after` seconds until the next window."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(_("Too many submissions from your address. Please try again later."))
        self.retry_after = retry_after


def rate_limit_count(client: str, *, scope: str, limit: int, window: int) -> None:
    """Count one attempt of `client` in `scope`; raise RateLimited once past `limit` per window.

    A limit (or window) of 0 or less counts nothing and never refuses.
    """
    if limit <= 0 or window <= 0:
        return
    now = int(timezone.now().timestamp())
    key = f"rate:{scope}:{client}:{now // window}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    if count > limit:
        raise RateLimited(retry_after=max(window - now % window, 1))


def submission_limits() -> tuple[int, int]:
    """(submissions allowed, window in seconds) from settings."""
    return (
        int(getattr(settings, "GONGKAI_SUBMISSION_LIMIT", DEFAULT_SUBMISSION_LIMIT)),
        int(
            getattr(
                settings, "GONGKAI_SUBMISSION_WINDOW_SECONDS", DEFAULT_SUBMISSION_WINDOW_SECONDS
            )
        ),
    )


def submission_allowed(request: HttpRequest, *, scope: str) -> None:
    """Count one submission from the request's client address; raise RateLimited past the limit."""
    limit, window = submission_limits()
    rate_limit_count(client_address(request), scope=scope, limit=limit, window=window)


def wants_json(request: HttpRequest) -> bool:
    """Whether the client is a machine (API, Open311 or an Accept header asking for JSON)."""
    path = request.path_info
    return path.startswith(("/api/", "/open311/")) or "json" in request.headers.get("Accept", "")


def too_many_requests(request: HttpRequest, limited: RateLimited) -> HttpResponse:
    """The 429 answer: a page for people, JSON for machines; both carry Retry-After."""
    message = str(limited)
    if wants_json(request):
        response: HttpResponse = JsonResponse(
            {"detail": message, "retry_after": limited.retry_after},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        minutes = max(1, -(-limited.retry_after // 60))
        response = render(request, "429.html", {"message": message, "minutes": minutes}, status=429)
    response["Retry-After"] = str(limited.retry_after)
    return response


def submission_rate_limit(
    scope: str,
    *,
    respond: Callable[[HttpRequest, RateLimited], HttpResponse] | None = None,
) -> Callable:
    """Decorate a view (a function, or an APIView's `post`): count each POST per address.

    Past the limit the view is not called and the answer is 429 with Retry-After, made by
    `respond` (request, RateLimited) or by `too_many_requests`.
    """

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args, **kwargs):  # noqa: ANN202 - a view or a method
            request = next(arg for arg in args if hasattr(arg, "META"))
            if request.method == "POST":
                try:
                    submission_allowed(request, scope=scope)
                except RateLimited as limited:
                    answer = respond or too_many_requests
                    response = answer(getattr(request, "_request", request), limited)
                    response["Retry-After"] = str(limited.retry_after)
                    return response
            return view(*args, **kwargs)

        return wrapped

    return decorator
