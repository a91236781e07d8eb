"""Read replicas: the public's reads from a replica, writes and everything else from the primary.

Installed when `DATABASE_REPLICA_URL` is set: settings add the `replica` alias and this router
(docs/deployment.md, "PostgreSQL: primary and read replicas"). Without it there is one database
and no router.

A request reads the replica only while it is a *public read*: a GET, HEAD or OPTIONS, outside the
officials' admin and workspace, from a client that carries no session cookie, no messages
cookie and no `Authorization` header (an anonymous visitor or a machine reading the API): the
requests the anonymous page cache (config.page_cache) answers. Everything else
reads the primary:

- any other request for its whole length: a POST, the admin, a signed-in official, a citizen
  whose session holds a proved tracking number (they just submitted or looked something up and
  must see it at once), an API client with credentials;
- the rest of a request once it has written anything (it reads its own writes);
- every read inside a transaction on the primary (it must see what the transaction wrote, and
  `select_for_update` locks rows there);
- everything outside a request: management commands (the sweep), the shell, the tests' own
  code, migrations;
- the service statistics' sources (`PRIMARY_MODELS`), whose cached report must not be
  computed from a replica that lags.

Writes always go to the primary, and migrations run there only. A replica lags the primary by
the time it takes to replay the stream (normally well under a second): what that means for the
page cache and the statistics is in docs/deployment.md.
"""

from contextvars import ContextVar

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections
from django.http.cookie import parse_cookie

REPLICA_DB_ALIAS = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Read from the primary even in a public read: the sources of the service statistics. Their
# report is cached under a version bumped when a change commits (services.selectors.statistics),
# so a report computed from a replica that has not replayed that commit yet would be kept under
# the new version for the cache's 10 minutes. A few grouped sums over small summary tables.
PRIMARY_MODELS = frozenset(
    {"services.servicedailysummary", "services.servicedurationcount", "services.consultationcount"}
)

# The alias this request (or this piece of code outside any request) reads from.
_read_alias: ContextVar[str] = ContextVar("gongkai_read_alias", default=DEFAULT_DB_ALIAS)


def reads_from_replica(environ: dict) -> bool:
    """Whether a request (its WSGI environ) is a public read that the replica may serve."""
    if environ.get("REQUEST_METHOD", "GET").upper() not in SAFE_METHODS:
        return False
    if environ.get("HTTP_AUTHORIZATION"):
        return False
    path = environ.get("PATH_INFO", "/")
    officials = ("/" + settings.GONGKAI_ADMIN_PATH, "/officials/")
    if path.startswith(officials):
        return False
    cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
    # A session, or a message left by the POST that redirected here: the client has just acted.
    return not (cookies.get(settings.SESSION_COOKIE_NAME) or cookies.get(CookieStorage.cookie_name))


def read_alias() -> str:
    """The alias reads go to now (for tests and diagnostics)."""
    return _read_alias.get()


def pin_to_primary() -> None:
    """Read the primary for the rest of this request (called on every write)."""
    _read_alias.set(DEFAULT_DB_ALIAS)


def request_started_handler(sender: object, environ: dict | None = None, **kwargs: object) -> None:
    # ASGI sends the scope instead of an environ: such requests read the primary.
    alias = REPLICA_DB_ALIAS if environ is not None and reads_from_replica(environ) else None
    _read_alias.set(alias or DEFAULT_DB_ALIAS)


def request_finished_handler(sender: object, **kwargs: object) -> None:
    _read_alias.set(DEFAULT_DB_ALIAS)


request_started.connect(request_started_handler, dispatch_uid="gongkai-db-router-started")
request_finished.connect(request_finished_handler, dispatch_uid="gongkai-db-router-finished")


class PrimaryReplicaRouter:
    """Public reads to `replica`, writes and every other read to `default` (see the module)."""

    def db_for_read(self, model: type, **hints: object) -> str:
        alias = _read_alias.get()
        if alias == DEFAULT_DB_ALIAS or model._meta.label_lower in PRIMARY_MODELS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model: type, **hints: object) -> str:
        pin_to_primary()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: object, obj2: object, **hints: object) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: object) -> bool:
        return db == DEFAULT_DB_ALIAS
