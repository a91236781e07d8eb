"""The public ledger's counts, cached under a version that every complaint action bumps.

At 200,000 complaints the ledger's tallies (per month and state, per department, the number of
rows a filter matches) are full scans of the table: 0.1-1 s each. They change only when a
complaint is filed or changes state, target or finding, and every such change goes through an
action in `complaints.actions.complaints`, which calls `ledger_cache_bump()` once the transaction
commits. The bump moves the version, so a cached tally is recomputed at its next read, but not
more often than every `COMPLAINTS_LEDGER_REFRESH_SECONDS` (setting, default 10): while
complaints pour in (a hundred a second at peak) every request would otherwise find a new
version and recount 200,000 rows (1.4 s); in between, the last tally is served and one request
(holding a lock in the cache) recounts while the others keep serving it. So the ledger shows a
change within that many seconds. A tally is also recounted once it is LEDGER_CACHE_SECONDS
old whatever happens (again by one request, the others serving the old one), which bounds the
staleness a write outside the actions (a bulk load, the generator, a manual SQL fix) or a
per-process cache (LocMemCache without CACHE_URL: one per worker) causes.

The tallies are computed on the primary (`PRIMARY`), never on a read replica: a replica that
has not yet replayed the commit that bumped the version would otherwise have its old figures
kept under the new version. They are recounted every 10 s at most, so the primary hardly
notices.
"""

import hashlib
import secrets
import time
from collections.abc import Callable
from functools import cached_property
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import DEFAULT_DB_ALIAS

from config import page_cache

PRIMARY = DEFAULT_DB_ALIAS  # where cached tallies are counted (see above)
VERSION_KEY = "complaints:ledger:version"
LEDGER_CACHE_SECONDS = 300  # a tally's lifetime, whatever the version says
KEEP_SECONDS = 24 * 3600
DEFAULT_REFRESH_SECONDS = 10

T = TypeVar("T")


def ledger_cache_version() -> int:
    """The current version of the ledger's cached tallies (created at random when missing, so a
    restarted cache never hands back tallies stored under an old version)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.randbelow(2**31), timeout=None)
        version = cache.get(VERSION_KEY, 0)
    return version


def ledger_cache_bump() -> None:
    """Invalidate every cached ledger tally: call after a complaint is filed or changes state,
    target or finding (the actions do, on commit)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or it was evicted): any new one invalidates
        cache.set(VERSION_KEY, secrets.randbelow(2**31), timeout=None)


def _refresh_seconds() -> float:
    return float(getattr(settings, "COMPLAINTS_LEDGER_REFRESH_SECONDS", DEFAULT_REFRESH_SECONDS))


def ledger_cached_entry(name: str, compute: Callable[[], T]) -> tuple[str, T]:
    """(a stamp naming the computation served, `compute()`'s value), cached under `name`.

    Served as cached while the version has not moved, or moved less than the refresh interval
    after the value was computed; otherwise recomputed by the one request that takes the lock,
    the others serving the previous value meanwhile.
    """
    key = f"complaints:ledger:{name}"
    version = ledger_cache_version()
    entry = cache.get(key)  # (version, computed at, value)
    if entry is not None:
        stored_version, computed_at, value = entry
        age = time.time() - computed_at
        current = stored_version == version and age < LEDGER_CACHE_SECONDS
        if current or age < _refresh_seconds() or not cache.add(f"{key}:lock", 1, timeout=60):
            if not current:
                # An out-of-date tally: the page showing it must not be kept in the page cache
                # under the new content version, or it would outlive the refresh interval.
                page_cache.dont_store()
            return f"{stored_version}-{computed_at}", value
    try:
        computed_at, value = time.time(), compute()
        # Kept well past its lifetime, so that an outdated tally is still there to be served
        # while one request recounts (no stampede of recounts when it falls due).
        cache.set(key, (version, computed_at, value), timeout=KEEP_SECONDS)
    finally:
        if entry is not None:
            cache.delete(f"{key}:lock")
    return f"{version}-{computed_at}", value


def ledger_cached(name: str, compute: Callable[[], T]) -> T:
    """`compute()`'s value, cached under `name` (see ledger_cached_entry)."""
    return ledger_cached_entry(name, compute)[1]


class LedgerPaginator(Paginator):
    """A paginator whose row count (a `COUNT(*)` over the filtered ledger) is cached like the
    other tallies, keyed by the count query's SQL."""

    @cached_property
    def count(self) -> int:
        try:
            sql = str(self.object_list.query)
        except Exception:  # noqa: BLE001 - not a queryset, or one that can match nothing
            return Paginator.count.func(self)
        digest = hashlib.sha256(sql.encode()).hexdigest()[:32]
        return ledger_cached(f"count:{digest}", lambda: self.object_list.using(PRIMARY).count())
