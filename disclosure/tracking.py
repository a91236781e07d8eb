"""Tracking a citizen's submission by number and password: one mechanism for every app.

Complaints, information requests and service-case query codes all use it. A tracking number is
readable and unguessable; the password is shown once and stored only as a hash; a wrong password
and an unknown number give the same answer (and cost the same time); lookups are rate-limited
per client address.

The password is hashed with HMAC-SHA256 under a server-side key derived from SECRET_KEY (a
pepper) and a per-record salt, not with the officials' slow password hashers: it is random
(about 40 bits), so key stretching buys little, while the pepper means a copy of the database
alone allows no offline guessing at all. Hashes made under a key in SECRET_KEY_FALLBACKS still
verify, and so do hashes made earlier with Django's hashers (PBKDF2); both are rewritten with
the current key at their first successful lookup. See docs/deployment.md, "Tracking passwords".
"""

import datetime
import secrets
from dataclasses import dataclass
from functools import lru_cache

from django import forms
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

# No 0/O, 1/I/L: read aloud over the phone or copied from paper without mistakes.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
NUMBER_RANDOM_LENGTH = 6
PASSWORD_LENGTH = 8
LOOKUP_LIMIT = 20  # lookups per client address and window
LOOKUP_WINDOW_SECONDS = 600
HASH_ALGORITHM = "hmac_sha256"  # the stored form: hmac_sha256$<salt>$<hex digest>
HASH_KEY_SALT = "gongkai.tracking.password"  # separates this key from SECRET_KEY's other uses


class Trackable(models.Model):
    """Abstract: a record a citizen follows with a tracking number and a password."""

    tracking_no = models.CharField(
        _("tracking number"), max_length=32, unique=True, null=True, blank=True, editable=False
    )
    tracking_password_hash = models.CharField(max_length=128, blank=True, editable=False)

    class Meta:
        abstract = True

    def tracking_password_check(self, raw: str) -> bool:
        """True when `raw` is this record's tracking password."""
        return tracking_password_verify(raw, self.tracking_password_hash)[0]


@dataclass(frozen=True)
class TrackingCredentials:
    """What the citizen is shown once, on acknowledgement: the number and the password."""

    number: str
    password: str


class TrackingRateLimited(Exception):
    """Too many lookups from one client address; `retry_after` seconds until the next window."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(_("Too many lookups. Please try again later."))
        self.retry_after = retry_after


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def tracking_number_new(prefix: str, *, on: datetime.date | None = None) -> str:
    """A new tracking number such as `TS-20261128-7KQ3M9` (prefix, date, random part)."""
    day = on or timezone.localdate()
    return f"{prefix}-{day:%Y%m%d}-{_random(NUMBER_RANDOM_LENGTH)}"


def _digest(raw: str, salt: str, secret: str) -> str:
    return salted_hmac(
        HASH_KEY_SALT, f"{salt}${raw}", secret=secret, algorithm="sha256"
    ).hexdigest()


def tracking_password_hash(raw: str) -> str:
    """The stored form of a tracking password: HMAC-SHA256 keyed by SECRET_KEY, salted per record.

    Microseconds to compute (a PBKDF2 hash took 0.3-0.5 s of CPU per submission and lookup).
    """
    salt = secrets.token_hex(8)
    return f"{HASH_ALGORITHM}${salt}${_digest(raw, salt, settings.SECRET_KEY)}"


def tracking_password_verify(raw: str, stored: str) -> tuple[bool, bool]:
    """(whether `raw` matches `stored`, whether `stored` should be rewritten with the current key).

    Digests are compared in constant time, under SECRET_KEY and then each SECRET_KEY_FALLBACKS
    key; a hash that is not ours (PBKDF2 and the like from Django's hashers, made before) is
    checked by Django. A match under a fallback key or an old hasher asks for a rewrite.
    """
    if not stored:
        return False, False
    algorithm, _sep, rest = stored.partition("$")
    if algorithm != HASH_ALGORITHM:
        matches = check_password(raw, stored)
        return matches, matches
    salt, _sep, digest = rest.partition("$")
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    for index, secret in enumerate(keys):
        if constant_time_compare(_digest(raw, salt, secret), digest):
            return True, index > 0
    return False, False


def tracking_issue(record: Trackable, *, prefix: str) -> TrackingCredentials:
    """Give `record` a new number and password (hashed on the record); the caller saves it.

    Returns the credentials to show the citizen once; the raw password is not kept anywhere.
    """
    credentials = TrackingCredentials(
        number=tracking_number_new(prefix), password=_random(PASSWORD_LENGTH)
    )
    record.tracking_no = credentials.number
    record.tracking_password_hash = tracking_password_hash(credentials.password)
    return credentials


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A real hash to check against when the number is unknown, so both failures cost the same."""
    return tracking_password_hash(_random(PASSWORD_LENGTH))


def _rehash(record: Trackable, raw: str) -> None:
    """Store `raw` under the current scheme and key (after a match under an older one)."""
    record.tracking_password_hash = tracking_password_hash(raw)
    if isinstance(record, models.Model) and record.pk is not None:
        # A narrow UPDATE: no history row, no updated_at bump; the hash is not a change of state.
        type(record)._default_manager.filter(pk=record.pk).update(
            tracking_password_hash=record.tracking_password_hash
        )


def client_address(request: HttpRequest) -> str:
    """The address lookups and submissions are counted against.

    Behind GONGKAI_TRUSTED_PROXIES proxies (each appending to X-Forwarded-For) it is the entry
    that many places from the right, the address the outermost trusted proxy saw; entries
    further left were written by the client and are ignored. Otherwise REMOTE_ADDR.
    """
    proxies = getattr(settings, "GONGKAI_TRUSTED_PROXIES", 0)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or "unknown"


def tracking_lookup_allowed(client: str, *, scope: str) -> None:
    """Count one lookup for `client` in `scope`; raise TrackingRateLimited past the limit.

    The counter is `disclosure.ratelimit`'s, the one that limits submissions.
    """
    from disclosure.ratelimit import RateLimited, rate_limit_count

    try:
        rate_limit_count(
            client,
            scope=f"tracking-lookups:{scope}",
            limit=LOOKUP_LIMIT,
            window=LOOKUP_WINDOW_SECONDS,
        )
    except RateLimited as limited:
        raise TrackingRateLimited(retry_after=limited.retry_after) from limited


def tracking_number_normalise(number: str) -> str:
    """Upper-case, trimmed, full-width dashes and spaces removed: what people type or paste."""
    return (number or "").strip().upper().replace("－", "-").replace(" ", "")


def tracking_lookup(
    queryset: models.QuerySet, *, number: str, password: str, client: str, scope: str
) -> Trackable | None:
    """The record whose number and password both match, else None: one answer for both failures.

    Rate-limited per client address and scope (raises TrackingRateLimited).
    """
    tracking_lookup_allowed(client, scope=scope)
    record = queryset.filter(tracking_no=tracking_number_normalise(number)).first()
    if record is None:
        tracking_password_verify(password or "", _dummy_hash())
        return None
    matches, outdated = tracking_password_verify(password or "", record.tracking_password_hash)
    if not matches:
        return None
    if outdated:
        _rehash(record, password or "")
    return record


def tracking_session_remember(request: HttpRequest, record: Trackable, *, scope: str) -> None:
    """Remember in the session that this browser proved `record`'s number and password.

    What only the submitter may fetch afterwards (a reply document, an attachment) is looked up
    among `tracking_session_ids`, never by a public URL.
    """
    key = f"tracked_{scope}"
    request.session[key] = sorted({*request.session.get(key, []), record.pk})


def tracking_session_ids(request: HttpRequest, *, scope: str) -> list[int]:
    """The primary keys of the `scope` records this session has proved by number and password."""
    return request.session.get(f"tracked_{scope}", [])


class TrackingLookupForm(forms.Form):
    """Number and password, as a citizen types them from their acknowledgement."""

    number = forms.CharField(label=_("Tracking number"), max_length=32, strip=True)
    password = forms.CharField(
        label=_("Query password"), max_length=64, strip=True, widget=forms.PasswordInput
    )
