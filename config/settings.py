"""Gongkai's settings: one file, driven by environment variables (see README, "Configuration").

A bad value stops start-up with one line that names the variable, not a traceback.
"""

import os
import re
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import dj_database_url
from csp.constants import NONE, SELF

from config.api_enums import ENUM_NAME_OVERRIDES

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GONGKAI_VAR_DIR", BASE_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _stop(variable: str, problem: str) -> None:
    """Stop start-up with one line naming the variable at fault."""
    sys.stderr.write(f"Configuration error: {variable}: {problem}\n")
    raise SystemExit(2)


def _env_bool(variable: str, default: bool) -> bool:
    raw = os.environ.get(variable)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    _stop(variable, f"expected 1/0, true/false, yes/no or on/off, got {raw!r}")
    return default  # unreachable


def _env_int(variable: str, default: int) -> int:
    raw = os.environ.get(variable)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        _stop(variable, f"expected a whole number, got {raw!r}")
    return default  # unreachable


def _env_list(variable: str, default: list[str]) -> list[str]:
    raw = os.environ.get(variable)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# --- Core --------------------------------------------------------------------------------------

DEBUG = _env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        _stop("DJANGO_SECRET_KEY", "required when DJANGO_DEBUG is off")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
elif not DEBUG and len(SECRET_KEY) < 50:
    _stop("DJANGO_SECRET_KEY", "must be at least 50 characters when DJANGO_DEBUG is off")
# Earlier keys, still accepted for signatures and tracking passwords after a rotation
# (docs/deployment.md, "Tracking passwords").
SECRET_KEY_FALLBACKS = _env_list("DJANGO_SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = _env_list(
    "DJANGO_ALLOWED_HOSTS",
    ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else [],
)
if not DEBUG and not ALLOWED_HOSTS:
    _stop("DJANGO_ALLOWED_HOSTS", "required when DJANGO_DEBUG is off (comma-separated host names)")
CSRF_TRUSTED_ORIGINS = _env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# Demo mode creates the demo official account that the README prints. Never in production.
DEMO_MODE = _env_bool("GONGKAI_DEMO", DEBUG)

# The district the portal serves; shown in the header, footer, feeds and titles.
GONGKAI_DISTRICT_NAME = os.environ.get("GONGKAI_DISTRICT_NAME", "西岗区人民政府")
GONGKAI_DISTRICT_NAME_EN = os.environ.get(
    "GONGKAI_DISTRICT_NAME_EN", "Xigang District People's Government"
)
GONGKAI_CONTACT_PHONE = os.environ.get("GONGKAI_CONTACT_PHONE", "0411-83630000")
GONGKAI_CONTACT_ADDRESS = os.environ.get("GONGKAI_CONTACT_ADDRESS", "辽宁省大连市西岗区长春路")
GONGKAI_CONTACT_EMAIL = os.environ.get("GONGKAI_CONTACT_EMAIL", "zwgk@xigang.example.gov.cn")
GONGKAI_SECURITY_CONTACT = os.environ.get("GONGKAI_SECURITY_CONTACT", GONGKAI_CONTACT_EMAIL)
# Open311 GeoReport v2: the one jurisdiction this endpoint serves (advertised in discovery).
OPEN311_JURISDICTION_ID = os.environ.get("OPEN311_JURISDICTION_ID", "xigang.dalian.gov.cn")

INSTALLED_APPS = [
    # The admin's default site is the officials' site (login with an optional second factor,
    # deletion for administrators only, export actions on every list): workspace.login_site.
    "workspace.login_apps.GongkaiAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "import_export",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "workdays",
    "disclosure",
    "services",
    "complaints",
    "workspace",
    "scale",
    # Installs the anonymous page cache's write watch on every database connection.
    "config.page_cache.PageCacheConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Anonymous readers' pages from the cache (config.page_cache): after LocaleMiddleware, which
    # sets the language in the key; before everything a cached page can skip.
    "config.page_cache.AnonymousPageCacheMiddleware",
    # Before anything reads the body (CSRF included): a body over the limits gets 413.
    "config.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.portal",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------------------------

_DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'gongkai.sqlite3'}"
_database_url = os.environ.get("DATABASE_URL", "").strip() or _DEFAULT_DATABASE_URL
try:
    _database = dj_database_url.parse(
        _database_url, conn_max_age=_env_int("DJANGO_CONN_MAX_AGE", 0)
    )
except Exception as error:  # dj-database-url raises several kinds for a malformed URL
    _stop("DATABASE_URL", f"cannot be parsed ({error})")
if _database["ENGINE"] not in (
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
):
    _stop("DATABASE_URL", "only postgres:// and sqlite:// URLs are supported")
if _database["ENGINE"] == "django.db.backends.postgresql" and not _database.get("NAME"):
    _stop("DATABASE_URL", "names no database (postgres://user@host:port/NAME)")
if _database["ENGINE"] == "django.db.backends.sqlite3":
    _database.setdefault("OPTIONS", {})
    # WAL and a busy timeout let the development server and a management command share the file.
    _database["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    _database["OPTIONS"].setdefault("timeout", 20)
    if _database["NAME"] != ":memory:":
        Path(_database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
_database["TEST"] = {"NAME": os.environ.get("DJANGO_TEST_DATABASE_NAME") or None}
DATABASES = {"default": _database}

# A read replica (docs/deployment.md): the public's reads go to it, writes, officials and
# everything outside a request to the primary (config.db_router). Unset: one database, no router.
_replica_url = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if _replica_url:
    try:
        _replica = dj_database_url.parse(
            _replica_url, conn_max_age=_env_int("DJANGO_CONN_MAX_AGE", 0)
        )
    except Exception as error:  # dj-database-url raises several kinds for a malformed URL
        _stop("DATABASE_REPLICA_URL", f"cannot be parsed ({error})")
    if _replica["ENGINE"] != "django.db.backends.postgresql" or not _replica.get("NAME"):
        _stop("DATABASE_REPLICA_URL", "expected postgres://user@host:port/NAME")
    if _database["ENGINE"] != "django.db.backends.postgresql":
        _stop("DATABASE_REPLICA_URL", "needs DATABASE_URL on PostgreSQL (the primary)")
    # Tests run against the primary's test database through this alias.
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["config.db_router.PrimaryReplicaRouter"]

# Server-side parameter binding with automatic prepared statements on PostgreSQL (psycopg 3):
# DJANGO_DB_PREPARED_STATEMENTS=1 sets OPTIONS server_side_binding and prepare_threshold
# (DJANGO_DB_PREPARE_THRESHOLD, default 2: psycopg prepares a statement on a connection once
# it has run that many times), so with persistent connections (DJANGO_CONN_MAX_AGE) hot pages
# skip parsing and planning. Off by default. Caveats (Django docs): not behind pgbouncer in
# transaction mode (prepared statements live on one server connection); parameters whose type
# PostgreSQL cannot infer need a cast in raw SQL; psycopg types a Python int by its size
# (smallint/integer/bigint/numeric), which can change a plan, so raw SQL should cast (CAST(%(pk)s
# AS bigint)); a prepared statement may switch to a generic plan after five runs
# (plan_cache_mode): a skewed filter (a publisher with 166k entries) then needs an index that
# serves every value (disclosure 0016). SQLite aliases are left alone.
if _env_bool("DJANGO_DB_PREPARED_STATEMENTS", False):
    _prepare_threshold = _env_int("DJANGO_DB_PREPARE_THRESHOLD", 2)
    if _prepare_threshold < 0:
        _stop("DJANGO_DB_PREPARE_THRESHOLD", f"expected 0 or more, got {_prepare_threshold}")
    for _alias in DATABASES.values():
        if _alias["ENGINE"] == "django.db.backends.postgresql":
            _alias.setdefault("OPTIONS", {})
            _alias["OPTIONS"]["server_side_binding"] = True
            _alias["OPTIONS"]["prepare_threshold"] = _prepare_threshold
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The catalogue's walking indexes carry the facet columns as PostgreSQL INCLUDE columns; SQLite
# builds them without (models.W040 says so on every migrate there).
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Cache -------------------------------------------------------------------------------------


def _cache_from_url(url: str) -> dict:
    """Turn CACHE_URL (redis://host:port/db, locmem://, dummy://) into a CACHES entry."""
    parts = urlsplit(url)
    if parts.scheme in ("redis", "rediss"):
        options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url.split("?", 1)[0],
            "KEY_PREFIX": options.get("prefix", "gongkai"),
            "TIMEOUT": int(options.get("timeout", 300)),
        }
    if parts.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if parts.scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    _stop("CACHE_URL", f"unsupported scheme {parts.scheme!r} (use redis://, locmem:// or dummy://)")
    return {}  # unreachable


_cache_url = os.environ.get("CACHE_URL", "").strip()
CACHES = {
    "default": _cache_from_url(_cache_url)
    if _cache_url
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Anonymous full-page cache (config.page_cache): public pages, feeds, sitemaps and API/Open311
# GETs for readers without a session, invalidated across processes by database writes (a
# version per part of the portal). On by default with a shared cache (CACHE_URL=redis://…); a
# per-process cache cannot see another process's writes, so it is refused outside DEBUG.
_shared_cache = CACHES["default"]["BACKEND"].endswith("RedisCache")
GONGKAI_PAGE_CACHE = _env_bool("GONGKAI_PAGE_CACHE", _shared_cache)
if GONGKAI_PAGE_CACHE and not _shared_cache and not DEBUG:
    _stop("GONGKAI_PAGE_CACHE", "needs a shared cache: set CACHE_URL=redis://… (or turn it off)")
# The safety net: a stored page is dropped after this many seconds even if nothing was written.
GONGKAI_PAGE_CACHE_SECONDS = _env_int("GONGKAI_PAGE_CACHE_SECONDS", 300)
if GONGKAI_PAGE_CACHE_SECONDS <= 0:
    _stop("GONGKAI_PAGE_CACHE_SECONDS", "must be a positive number of seconds")
# Pages are stored only once the last write is this old: with an asynchronous read replica, its
# lag (a page rendered from a replica that has not replayed a write must not be kept).
GONGKAI_PAGE_CACHE_SETTLE_SECONDS = _env_int("GONGKAI_PAGE_CACHE_SETTLE_SECONDS", 0)

# --- Auth --------------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# Where the officials' admin lives: a less guessable path cuts the noise of password guessing.
GONGKAI_ADMIN_PATH = os.environ.get("GONGKAI_ADMIN_PATH", "admin/").strip().strip("/") + "/"
if GONGKAI_ADMIN_PATH == "/" or not re.fullmatch(r"[A-Za-z0-9_\-/]+/", GONGKAI_ADMIN_PATH):
    _stop("GONGKAI_ADMIN_PATH", "expected a path such as back-office/ (letters, digits, -_/)")

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failures an account is locked, and so is
# an address, each on its own, until the cool-off passes or an administrator removes the lock
# (admin → Axes → access attempts). The lockout check is the first authentication backend.
AUTHENTICATION_BACKENDS = [
    "workspace.login.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = _env_bool("GONGKAI_LOGIN_LOCKOUT", True)
AXES_FAILURE_LIMIT = _env_int("GONGKAI_LOGIN_FAILURE_LIMIT", 5)
if AXES_FAILURE_LIMIT < 1:
    _stop("GONGKAI_LOGIN_FAILURE_LIMIT", "must be at least 1")
AXES_COOLOFF_TIME = timedelta(minutes=_env_int("GONGKAI_LOGIN_COOLOFF_MINUTES", 30)) or None
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "workspace.login.login_locked_response"
AXES_VERBOSE = False
# Behind a reverse proxy, REMOTE_ADDR is the proxy: set GONGKAI_TRUSTED_PROXIES to the number of
# proxies in front of the portal that append to X-Forwarded-For (0 = use REMOTE_ADDR).
GONGKAI_TRUSTED_PROXIES = _env_int("GONGKAI_TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "workspace.login.login_client_address"

# Second factor (django-otp, TOTP): an official who has a confirmed authenticator device must give
# its code at login; with GONGKAI_ADMIN_OTP_REQUIRED every official must (devices: admin → TOTP).
GONGKAI_ADMIN_OTP_REQUIRED = _env_bool("GONGKAI_ADMIN_OTP_REQUIRED", False)
OTP_TOTP_ISSUER = os.environ.get("GONGKAI_OTP_ISSUER", "Gongkai")

# Officials' sessions end after a working day, and when the browser closes.
SESSION_COOKIE_AGE = _env_int("GONGKAI_SESSION_SECONDS", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = _env_bool("GONGKAI_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
# History is read in the admin, never reverted from it: every write goes through an action.
SIMPLE_HISTORY_REVERT_DISABLED = True

if SESSION_COOKIE_AGE <= 0:
    _stop("GONGKAI_SESSION_SECONDS", "must be a positive number of seconds")

# --- Internationalisation ----------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media --------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("GONGKAI_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A whole request (files included) over this size is refused with 413 (config.middleware).
GONGKAI_MAX_REQUEST_BYTES = _env_int("GONGKAI_MAX_REQUEST_MB", 60) * 1024 * 1024
# Complaints and information requests per client address and window (0 = no limit; 429 past it).
GONGKAI_SUBMISSION_LIMIT = _env_int("GONGKAI_SUBMISSION_LIMIT", 20)
GONGKAI_SUBMISSION_WINDOW_SECONDS = _env_int("GONGKAI_SUBMISSION_WINDOW_SECONDS", 3600)

# --- Security (production: DJANGO_DEBUG=0) -----------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = _env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_SSL_REDIRECT = _env_bool("DJANGO_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    if _env_bool("DJANGO_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: everything from this site, no inline scripts, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- API ---------------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "config.api_schema.GongkaiAutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Gongkai API",
    "DESCRIPTION": "Read the district's open-government data: entities, the government-information "
    "catalogue, disclosure guides, service commitments and the complaint ledger.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": ENUM_NAME_OVERRIDES,
}

# --- Logging -----------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"jieba": {"level": "WARNING"}},
}
