"""Anonymous full-page cache: public pages, feeds, sitemaps and API/Open311 GETs from the cache.

A request is served from the cache only when it carries no session, no messages cookie and no
`Authorization` header (a citizen reading the portal), asks with GET or HEAD, and is not for the
officials' admin, /officials/ or a form, tracking or look-up page. A page is stored only when
the response was a plain 200 that set no cookie, used no CSRF token, touched no session data,
varies on nothing but the language, is not `Cache-Control: private/no-store/no-cache`, and was
not rendered inside a transaction that has written and not yet committed.

The key is the content versions of the page's areas, the language, scheme, host, full path with
query, today's date in Asia/Shanghai (working-day counters change at midnight), the large-text
setting, and for the API and Open311 the `Accept` header (DRF and the schema negotiate on it).
The versions live in the cache (`CACHE_URL`, Redis when there are several processes): no page
is ever deleted, old ones are simply no longer asked for and expire after
`GONGKAI_PAGE_CACHE_SECONDS`.

Areas follow the apps and their dependency direction, `workdays` <- `disclosure` <- `services`
<- `complaints` (a lower app never reads a higher one's tables). A page depends on the area of
the app whose module holds its view and on every area below it: a catalogue page on workdays and
disclosure, a service guide also on services, the complaint ledger and Open311 on all four. A
page whose view is anywhere else (the home page and the other `config` views, the API root and
schema, a path that resolves to nothing) depends on every area. A write changes the area of the
app whose table it writes (Django names tables `<app label>_<model>`, their history tables
too); a write to any other table, DDL, or a statement whose table cannot be read changes every
area. So a complaint submitted gives up the complaint pages and the all-area pages only, while
a catalogue entry published gives up every page that reads the catalogue. `bump()` with no
area gives up every page.

Invalidation is by database write, not by signals (which miss `queryset.update()`, bulk writes
and raw SQL): an execute wrapper on every connection notices INSERT/UPDATE/DELETE (and DDL)
outside the tables of sessions, login lockouts and one-time-password devices, and bumps the
areas' versions at once and again when the transaction commits, so that no process stores a
page rendered from pre-commit data under the new versions. Writes that bypass Django's cursor
(`COPY` in the scale generator) call `bump()` themselves.

Public interface: `bump()`, `dont_store()` (for a page showing figures known to be out of
date), the `X-Page-Cache: hit|miss` response header on every request the cache considered
(absent on the others), and the settings `GONGKAI_PAGE_CACHE` and `GONGKAI_PAGE_CACHE_SECONDS`.
"""

import hashlib
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import cc_delim_re
from django.utils.translation import get_language

from config.context_processors import LARGE_TEXT_COOKIE, neutral_path

logger = logging.getLogger(__name__)

HEADER = "X-Page-Cache"
# The portal's areas, lowest first: the apps in their dependency direction (docs/architecture).
# A page of one area reads only its own and lower areas' tables.
AREAS: tuple[str, ...] = ("workdays", "disclosure", "services", "complaints")
VERSION_KEY_PREFIX = "pagecache:version:"  # + an area
PAGE_KEY_PREFIX = "pagecache:page:"
# A page bigger than this (a whole sitemap at a million entries, an export) is not stored.
MAX_BYTES = 4 * 1024 * 1024

# Paths (language prefix removed) that are never served from or stored in the cache: forms,
# confirmations, tracking and look-ups, the officials' tools, and endpoints that must be live.
NEVER_PREFIXES: tuple[str, ...] = (
    "/officials/",
    "/complaints/new/",
    "/complaints/track/",
    "/requests/new/",
    "/requests/track/",
    "/services/cases/lookup/",
    "/i18n/",
    "/large-text/",
    "/healthz",
    "/static/",
    "/media/",
)
# Paths whose answer depends on the Accept header (DRF's renderers, the schema's yaml/json).
NEGOTIATED_PREFIXES: tuple[str, ...] = ("/api/", "/open311/")
# Vary values a stored page may carry: the key covers them (Cookie only as SessionMiddleware
# adds it outside this middleware; a page that varies on Cookie inside is not stored).
KEYED_VARY = {"accept-language", "accept-encoding"}
BAD_CACHE_CONTROL = {"private", "no-store", "no-cache"}

# Tables whose writes change no public page (sessions, login lockouts, second-factor devices).
IGNORED_TABLE_PREFIXES: tuple[str, ...] = ("django_session", "axes_", "otp_", "django_cache")
_WRITE_TABLE = re.compile(
    r"""^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM
        |TRUNCATE(?:\s+TABLE)?)\s+["`]?([A-Za-z0-9_.]+)""",
    re.IGNORECASE | re.VERBOSE,
)
_WRITE_WORDS = ("INSERT", "UPDATE", "DELETE", "REPLAC", "TRUNCA", "CREATE", "ALTER ", "DROP ")
_WRITE_IN_WITH = re.compile(r"\b(?:INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
# A second statement in the same string (psycopg runs them all): its table is not read.
_MORE_STATEMENTS = re.compile(r";\s*\S")


# --- The version ---------------------------------------------------------------------------------


def _new_version() -> str:
    # Never equal to an earlier one, in any process: no read-modify-write race as with incr.
    # It opens with the time it was made (settle window: see version_age).
    return f"{time.time_ns():x}.{secrets.token_hex(4)}"


def version_age(version: str) -> float:
    """Seconds since this version was made (by this machine's clock; large if unreadable)."""
    try:
        made = int(version.split(".", 1)[0], 16)
    except ValueError:
        return float("inf")
    return (time.time_ns() - made) / 1e9


def _version_key(area: str) -> str:
    return VERSION_KEY_PREFIX + area


def bump(*areas: str) -> None:
    """Give up cached pages in every process at once (new content versions): with no area,
    every page; with areas, every page that depends on one of them.

    Called for each database write that may change a public page, with the area of the table
    it wrote; call it yourself after writes that bypass Django's cursor (COPY) or after
    changing what pages show otherwise. A cache that cannot be reached is logged, not raised:
    the write must not fail for it.
    """
    unknown = set(areas) - set(AREAS)
    if unknown:
        raise ValueError(f"page cache: no such area: {', '.join(sorted(unknown))}")
    version = _new_version()
    try:
        cache.set_many({_version_key(area): version for area in areas or AREAS}, timeout=None)
    except Exception:  # the cache backend's own errors (Redis down) vary by backend
        logger.warning("page cache: cannot bump the content version", exc_info=True)


def area_versions(areas: Iterable[str] = AREAS) -> dict[str, str]:
    """The content version of each area, as pages are stored under now (one read from the
    cache; an area whose version the cache lost gets a new one)."""
    keys = {area: _version_key(area) for area in areas}
    found = cache.get_many(list(keys.values()))
    missing = [key for key in keys.values() if key not in found]
    if missing:
        for key in missing:
            cache.add(key, _new_version(), timeout=None)
        found.update(cache.get_many(missing))
    # Evicted again at once: a version nobody else has, so the page is stored for no one.
    return {area: str(found.get(key) or _new_version()) for area, key in keys.items()}


def current_version(areas: Iterable[str] = AREAS) -> str:
    """The content versions of these areas (default: all) as one string."""
    return _joined(area_versions(areas))


def _joined(versions: dict[str, str]) -> str:
    return " ".join(f"{area}={version}" for area, version in versions.items())


_dont_store: ContextVar[bool] = ContextVar("page_cache_dont_store", default=False)


def dont_store() -> None:
    """Keep the page being rendered out of the cache: it shows figures known to be out of date
    (a tally served while it is being recounted), which must not outlive their own refresh."""
    _dont_store.set(True)


# --- Noticing writes -----------------------------------------------------------------------------


def written_areas(sql: Any) -> tuple[str, ...]:
    """The areas whose pages a statement may change: none for a read or a write to an ignored
    table, the table's app for one of the areas' tables, and when unsure every area."""
    if not isinstance(sql, str):
        return AREAS  # psycopg's composed SQL and the like: assume a write anywhere
    head = sql.lstrip()[:6].upper()
    if head == "SELECT":
        return ()
    if head.startswith("WITH"):
        return AREAS if _WRITE_IN_WITH.search(sql) else ()
    if not head.startswith(_WRITE_WORDS):
        return ()
    match = _WRITE_TABLE.match(sql)
    if match is None:
        return AREAS  # DDL, or a write whose table we cannot read
    table = match.group(1).strip('"`').rsplit(".", 1)[-1].lower()
    if table.startswith(IGNORED_TABLE_PREFIXES):
        return ()
    if _MORE_STATEMENTS.search(sql.rstrip()):
        return AREAS
    return table_areas(table)


def table_areas(table: str) -> tuple[str, ...]:
    """The areas whose pages a write to this table may change (every area unless it is one of
    the areas' apps' tables, `<app label>_...`, history tables included)."""
    app, underscore, _rest = table.partition("_")
    if underscore and app in AREAS:
        return (app,)
    return AREAS


def _real_blocks(connection: Any) -> list:
    """The open atomic blocks that are real transactions or savepoints (not a test's wrapper)."""
    return [block for block in connection.atomic_blocks if not getattr(block, "_from_testcase", 0)]


def _watch_writes(execute: Callable, sql: Any, params: Any, many: bool, context: dict) -> Any:
    """Execute wrapper: bump the version after a write, and again when its transaction commits."""
    result = execute(sql, params, many, context)
    areas = written_areas(sql)
    if areas:
        _written(context["connection"], areas)
    return result


def _written(connection: Any, areas: tuple[str, ...]) -> None:
    if not settings.GONGKAI_PAGE_CACHE:
        return
    bump(*areas)  # after the statement: a reader that saw the old version cannot have seen it
    blocks = _real_blocks(connection)
    if not blocks:
        return  # autocommit (or only a test's wrapping transaction): already visible to all
    outermost = blocks[0]
    connection.page_cache_dirty = (connection.atomic_blocks.index(outermost), outermost)
    pending = getattr(connection, "page_cache_on_commit", None)
    if pending is not None and any(entry[1] is pending for entry in connection.run_on_commit):
        pending.areas.update(areas)
        return
    callback = _OnCommitBump(areas)
    connection.page_cache_on_commit = callback
    transaction.on_commit(callback, using=connection.alias)


class _OnCommitBump:
    """The bump on commit of the areas a transaction wrote (one per transaction, so that
    "already registered" can be checked by identity; later writes add their areas)."""

    def __init__(self, areas: Iterable[str]) -> None:
        self.areas = set(areas)

    def __call__(self) -> None:
        bump(*(area for area in AREAS if area in self.areas))


def _uncommitted_writes() -> bool:
    """Whether this thread is inside a transaction that has written and not yet committed."""
    for connection in connections.all(initialized_only=True):
        dirty = getattr(connection, "page_cache_dirty", None)
        if dirty is None:
            continue
        index, block = dirty
        blocks = connection.atomic_blocks
        if index < len(blocks) and blocks[index] is block:
            return True
    return False


def install_write_watch(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created receiver: watch this connection's writes (once per connection)."""
    if not any(wrapper is _watch_writes for wrapper in connection.execute_wrappers):
        connection.execute_wrappers.append(_watch_writes)


def _setting_changed(*, setting: str, **kwargs: Any) -> None:
    # Tests change settings that pages show (override_settings): pages rendered before are stale.
    bump()


class PageCacheConfig(AppConfig):
    """Installs the write watch on every database connection (web processes and commands)."""

    name = "config"
    label = "gongkai_config"
    verbose_name = "Gongkai configuration"

    def ready(self) -> None:
        # Always installed (it does nothing while GONGKAI_PAGE_CACHE is off): tests turn the
        # cache on after start-up.
        connection_created.connect(install_write_watch, dispatch_uid="gongkai-page-cache")
        for connection in connections.all(initialized_only=True):
            install_write_watch(None, connection)
        from django.test.signals import setting_changed

        setting_changed.connect(_setting_changed, dispatch_uid="gongkai-page-cache-settings")


# --- The middleware ------------------------------------------------------------------------------


def _never_prefixes() -> tuple[str, ...]:
    return ("/" + settings.GONGKAI_ADMIN_PATH, *NEVER_PREFIXES)


def eligible(request: HttpRequest) -> bool:
    """Whether the cache may answer this request: an anonymous GET/HEAD for a public page."""
    if request.method not in ("GET", "HEAD"):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return False
    return not neutral_path(request.path_info).startswith(_never_prefixes())


def page_areas(request: HttpRequest) -> tuple[str, ...]:
    """The areas whose writes may change this request's page: the area of the app whose module
    holds its view and every area below it; every area for a view elsewhere or no view."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return AREAS
    return view_areas(match.func)


def view_areas(view: Callable) -> tuple[str, ...]:
    """The areas a view's pages depend on, from the top package of the module that holds it
    (a class-based view's class, a feed's class, a decorated function's own module)."""
    owner = getattr(view, "view_class", None) or getattr(view, "cls", None) or view
    module = getattr(owner, "__module__", None) or ""
    app = module.split(".", 1)[0]
    if app not in AREAS:
        return AREAS
    return AREAS[: AREAS.index(app) + 1]


def page_key(request: HttpRequest, version: str) -> str:
    """The cache key of this request's page under its areas' content versions (one string)."""
    path = request.path_info
    negotiated = neutral_path(path).startswith(NEGOTIATED_PREFIXES)
    parts = (
        version,
        get_language() or "",
        request.scheme or "",
        request.get_host(),
        request.get_full_path(),
        timezone.localdate().isoformat(),
        "large" if request.COOKIES.get(LARGE_TEXT_COOKIE) == "1" else "",
        request.META.get("HTTP_ACCEPT", "") if negotiated else "",
    )
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return PAGE_KEY_PREFIX + digest


def storable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether this response may be served to every anonymous reader of the same key."""
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or "CSRF_COOKIE_NEEDS_UPDATE" in request.META:
        return False  # get_token() sets the flag; CsrfViewMiddleware resets it, not removes it
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    cache_control = {
        part.split("=", 1)[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
        if part.strip()
    }
    if cache_control & BAD_CACHE_CONTROL:
        return False
    allowed_vary = KEYED_VARY | (
        {"accept"} if neutral_path(request.path_info).startswith(NEGOTIATED_PREFIXES) else set()
    )
    vary = {
        part.strip().lower() for part in cc_delim_re.split(response.get("Vary", "")) if part.strip()
    }
    if vary - allowed_vary:
        return False
    if len(response.content) > MAX_BYTES:
        return False
    return not _uncommitted_writes()


class AnonymousPageCacheMiddleware:
    """Serve anonymous readers' pages from the cache (place it after LocaleMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.GONGKAI_PAGE_CACHE or not eligible(request):
            return self.get_response(request)
        try:
            # The versions are read before the page is rendered: a page stored under them was
            # rendered from data at least as new as each of them (see _written).
            versions = area_versions(page_areas(request))
        except Exception:  # Redis down: serve uncached rather than fail
            logger.warning("page cache: cache unreachable, page served uncached", exc_info=True)
            return self.get_response(request)
        key = page_key(request, _joined(versions))  # a disallowed host raises here: 400
        try:
            stored = cache.get(key)
        except Exception:  # Redis down: serve uncached rather than fail
            logger.warning("page cache: cache unreachable, page served uncached", exc_info=True)
            return self.get_response(request)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response[HEADER] = "hit"
            return response
        marker = _dont_store.set(False)
        try:
            response = self.get_response(request)
            kept_out = _dont_store.get()
        finally:
            _dont_store.reset(marker)
        # With a read replica, a page rendered just after a write may come from a replica that
        # has not replayed it yet: nothing is stored until the newest of the page's versions is
        # older than the lag.
        age = min(version_age(version) for version in versions.values())
        settled = age >= settings.GONGKAI_PAGE_CACHE_SETTLE_SECONDS
        if settled and not kept_out and storable(request, response):
            headers = list(response.items())
            if getattr(getattr(request, "session", None), "accessed", False):
                # SessionMiddleware (outside) adds this to the miss; a hit must say it too.
                headers = [(n, v) for n, v in headers if n.lower() != "vary"]
                vary = response.get("Vary", "")
                headers.append(("Vary", f"{vary}, Cookie" if vary else "Cookie"))
            try:
                cache.set(key, (response.content, headers), settings.GONGKAI_PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("page cache: cannot store a page", exc_info=True)
        response[HEADER] = "miss"
        return response
