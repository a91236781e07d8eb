"""The working-day calendar's public API: is a day a working day, add N working days, deadlines.

Every statutory deadline in the portal (20 working days to reply to an information request,
7 to ask for a correction, 15 for a third-party consultation, ...) is computed here.

Counting convention: the start date is day 0. `add_workdays(start, 1)` is the first working day
*after* `start`, whatever `start` itself is; `add_workdays(start, 0) == start`.
`workdays_between(a, b)` counts the working days after `a` up to and including `b`, so
`add_workdays(a, workdays_between(a, b)) == b` whenever `b` is a working day after `a`.

A day is a working day when it is a make-up working day (调休上班), or a Monday to Friday that is
not a statutory holiday. Years whose schedule is not loaded (`CalendarYear.complete` unset or no
row) follow the weekly rule alone; a `Deadline` that reaches into such a year is `provisional`
(fail closed: a caller shows it as provisional, never as certain).

Performance and invalidation: the calendar is read from the database once per process (two
queries) into a snapshot that holds the special days and, for every day from 1950 to 2150, the
cumulative count of working days. `add_workdays` and `workdays_between` are then a list look-up
each. The snapshot is dropped when an action edits the calendar (`calendar_invalidate`, called at
once and again on commit). Other processes learn of the edit through a version token in Django's
cache, checked at most every `CHECK_SECONDS`; the snapshot is also rebuilt after
`MAX_AGE_SECONDS` in case the cache is not shared between processes (locmem). With a shared cache
(Redis, `CACHE_URL`) an edit reaches every process within `CHECK_SECONDS`.
"""

import datetime
import logging
import threading
import time
import uuid
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

logger = logging.getLogger(__name__)

SPAN_FIRST = datetime.date(1950, 1, 1)
SPAN_LAST = datetime.date(2150, 12, 31)
CHECK_SECONDS = 2.0
MAX_AGE_SECONDS = 300.0
VERSION_CACHE_KEY = "workdays:calendar-version"

HOLIDAY = "holiday"
MAKEUP_WORKDAY = "makeup_workday"


class CalendarRangeError(ValueError):
    """A date, or a result, falls outside the range the calendar can count in (1950-2150)."""


@dataclass(frozen=True, eq=False)
class _Snapshot:
    """The calendar in memory: special days, loaded years and the cumulative working-day index."""

    version: object
    built_at: float
    holidays: dict[datetime.date, str]
    makeup_workdays: dict[datetime.date, str]
    loaded_years: frozenset[int]
    special_dates: list[datetime.date]
    first_ordinal: int
    # cumulative[i]: working days in [SPAN_FIRST, SPAN_FIRST + i], both included.
    cumulative: list[int]
    # workday_ordinals[k]: the ordinal of the (k+1)th working day of the span.
    workday_ordinals: list[int]


_snapshot: _Snapshot | None = None
_checked_at = 0.0
_lock = threading.Lock()


def _cache_version() -> object:
    try:
        return cache.get(VERSION_CACHE_KEY)
    except Exception:  # a cache outage must not stop deadlines; MAX_AGE_SECONDS still applies
        logger.warning("workdays: cannot read the calendar version from the cache", exc_info=True)
        return None


def _build(version: object) -> _Snapshot:
    """Read the calendar from the database (two queries) and index it."""
    from workdays.selectors import calendar_day_rows, calendar_loaded_years

    holidays: dict[datetime.date, str] = {}
    makeup: dict[datetime.date, str] = {}
    for day, kind, name in calendar_day_rows():
        (holidays if kind == HOLIDAY else makeup)[day] = name
    loaded = frozenset(calendar_loaded_years())

    first = SPAN_FIRST.toordinal()
    last = SPAN_LAST.toordinal()
    off = {d.toordinal() for d in holidays}
    on = {d.toordinal() for d in makeup}
    cumulative: list[int] = []
    workday_ordinals: list[int] = []
    count = 0
    append_cumulative, append_workday = cumulative.append, workday_ordinals.append
    for ordinal in range(first, last + 1):
        # date.fromordinal(1) is a Monday, so (ordinal - 1) % 7 is the weekday (Monday = 0).
        if ordinal in on or ((ordinal - 1) % 7 < 5 and ordinal not in off):
            count += 1
            append_workday(ordinal)
        append_cumulative(count)
    return _Snapshot(
        version=version,
        built_at=time.monotonic(),
        holidays=holidays,
        makeup_workdays=makeup,
        loaded_years=loaded,
        special_dates=sorted([*holidays, *makeup]),
        first_ordinal=first,
        cumulative=cumulative,
        workday_ordinals=workday_ordinals,
    )


def _current() -> _Snapshot:
    """The process's snapshot, rebuilt when invalidated, when the cache version moved, or old."""
    global _snapshot, _checked_at
    snapshot = _snapshot
    now = time.monotonic()
    if snapshot is not None and now - _checked_at < CHECK_SECONDS:
        return snapshot
    with _lock:
        snapshot = _snapshot
        version = _cache_version()
        if (
            snapshot is None
            or snapshot.version != version
            or now - snapshot.built_at > MAX_AGE_SECONDS
        ):
            snapshot = _build(version)
            _snapshot = snapshot
        _checked_at = now
        return snapshot


def calendar_invalidate() -> None:
    """Drop this process's calendar and tell the others (through the cache) to reload theirs.

    Called by every action that writes a calendar row, once at once and once on commit, so that
    neither this process nor another keeps a calendar read before the change was committed.
    """
    global _snapshot
    _snapshot = None
    try:
        cache.set(VERSION_CACHE_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.warning("workdays: cannot bump the calendar version in the cache", exc_info=True)


def _index(snapshot: _Snapshot, day: datetime.date) -> int:
    index = day.toordinal() - snapshot.first_ordinal
    if not 0 <= index < len(snapshot.cumulative):
        raise CalendarRangeError(
            _("%(date)s is outside the working-day calendar's range (%(first)s to %(last)s).")
            % {"date": day.isoformat(), "first": SPAN_FIRST, "last": SPAN_LAST}
        )
    return index


def is_workday(day: datetime.date) -> bool:
    """Say whether `day` is a working day (a make-up day, or a weekday that is no holiday)."""
    snapshot = _current()
    if day in snapshot.makeup_workdays:
        return True
    if day in snapshot.holidays:
        return False
    return day.weekday() < 5


def add_workdays(start: datetime.date, n: int) -> datetime.date:
    """Return the nth working day after `start` (day 0); a negative n counts backwards.

    `add_workdays(start, 0)` is `start` itself, working day or not; `add_workdays(start, 1)` is
    the first working day after `start`; `add_workdays(start, -1)` the last one before it.
    """
    snapshot = _current()
    if n == 0:
        return start
    index = _index(snapshot, start)
    # Working days up to and including start, or strictly before it when counting backwards.
    if n > 0:
        position = snapshot.cumulative[index] + n - 1
    else:
        before = snapshot.cumulative[index - 1] if index else 0
        position = before + n
    if not 0 <= position < len(snapshot.workday_ordinals):
        raise CalendarRangeError(
            _("Adding %(n)s working days to %(date)s leaves the calendar's range.")
            % {"n": n, "date": start.isoformat()}
        )
    return datetime.date.fromordinal(snapshot.workday_ordinals[position])


def workdays_between(a: datetime.date, b: datetime.date) -> int:
    """Count the working days after `a` up to and including `b` (negative when b is before a)."""
    snapshot = _current()
    cumulative = snapshot.cumulative
    return cumulative[_index(snapshot, b)] - cumulative[_index(snapshot, a)]


def is_year_loaded(year: int) -> bool:
    """Say whether the statutory schedule of `year` is loaded (its `CalendarYear` is complete)."""
    return year in _current().loaded_years


def years_not_loaded(first: datetime.date, last: datetime.date) -> tuple[int, ...]:
    """The years from `first` to `last` whose schedule is not loaded, in order."""
    loaded = _current().loaded_years
    low, high = sorted((first.year, last.year))
    return tuple(year for year in range(low, high + 1) if year not in loaded)


def special_days(
    after: datetime.date, through: datetime.date
) -> list[tuple[datetime.date, str, str]]:
    """The holidays and make-up working days after `after` up to `through`: (date, kind, name)."""
    snapshot = _current()
    dates = snapshot.special_dates
    found = []
    for day in dates[bisect_right(dates, after) : bisect_right(dates, through)]:
        if day in snapshot.holidays:
            found.append((day, HOLIDAY, snapshot.holidays[day]))
        else:
            found.append((day, MAKEUP_WORKDAY, snapshot.makeup_workdays[day]))
    return found


# --- Deadlines ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pause:
    """A stretch of days, both ends included, during which a deadline's clock stops."""

    first: datetime.date
    last: datetime.date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(_("A pause cannot end before it begins."))


@dataclass(frozen=True)
class DerivationStep:
    """One step of a deadline's derivation, for display and for machines.

    `kind` is one of "start", "holiday", "makeup_workday", "pause", "not_loaded" and "due".
    `days` is the calendar days the step spans; `workdays` its effect in working days: for a
    holiday the weekdays it took out of the count, for a pause the working days it added, for
    "start" and "due" the working days counted.
    """

    kind: str
    first: datetime.date | None = None
    last: datetime.date | None = None
    name: str = ""
    days: int = 0
    workdays: int = 0
    year: int | None = None

    def text(self) -> str:
        """The step as one translated sentence."""
        first = self.first.isoformat() if self.first else ""
        last = self.last.isoformat() if self.last else ""
        if self.kind == "start":
            return ngettext(
                "Start: %(date)s is day 0; %(n)s working day is counted from the next day.",
                "Start: %(date)s is day 0; %(n)s working days are counted from the next day.",
                self.workdays,
            ) % {"date": first, "n": self.workdays}
        if self.kind == "holiday":
            if self.first == self.last:
                return ngettext(
                    "Holiday %(name)s on %(date)s: not a working day (%(weekdays)s weekday "
                    "not counted).",
                    "Holiday %(name)s on %(date)s: not a working day (%(weekdays)s weekdays "
                    "not counted).",
                    self.workdays,
                ) % {"name": self.name, "date": first, "weekdays": self.workdays}
            # A holiday over a range of dates has at least two days off.
            return ngettext(
                "Holiday %(name)s from %(first)s to %(last)s: %(days)s days off, "
                "%(weekdays)s of them a weekday not counted.",
                "Holiday %(name)s from %(first)s to %(last)s: %(days)s days off, "
                "%(weekdays)s of them weekdays not counted.",
                self.workdays,
            ) % {
                "name": self.name,
                "first": first,
                "last": last,
                "days": self.days,
                "weekdays": self.workdays,
            }
        if self.kind == "makeup_workday":
            assert self.first is not None  # noqa: S101 - a make-up step always has its date
            return _(
                "Make-up working day for %(name)s on %(date)s (%(weekday)s): counted as a "
                "working day."
            ) % {"name": self.name, "date": first, "weekday": WEEKDAYS[self.first.weekday()]}
        if self.kind == "pause":
            return ngettext(
                "Clock paused from %(first)s to %(last)s: %(n)s working day added.",
                "Clock paused from %(first)s to %(last)s: %(n)s working days added.",
                self.workdays,
            ) % {"first": first, "last": last, "n": self.workdays}
        if self.kind == "not_loaded":
            return _(
                "The %(year)s holiday schedule is not loaded: weekends are taken as rest days "
                "and weekdays as working days, so this deadline is provisional."
            ) % {"year": self.year}
        # Two counts in one sentence: each is a phrase with its own plural.
        working = ngettext("%(n)s working day", "%(n)s working days", self.workdays) % {
            "n": self.workdays
        }
        calendar = ngettext("%(days)s calendar day", "%(days)s calendar days", self.days) % {
            "days": self.days
        }
        return _("Due date: %(date)s, %(working)s and %(calendar)s after the start.") % {
            "date": first,
            "working": working,
            "calendar": calendar,
        }


@dataclass(frozen=True)
class Derivation:
    """How a due date was reached: structured `steps` and their translated `text`."""

    steps: tuple[DerivationStep, ...]

    @property
    def text(self) -> str:
        """The derivation as translated sentences, one a line, in the active language."""
        return "\n".join(step.text() for step in self.steps)

    @property
    def holiday_names(self) -> tuple[str, ...]:
        """The names of the holidays met, in order, without repeats."""
        names = [s.name for s in self.steps if s.kind == "holiday" and s.name]
        return tuple(dict.fromkeys(names))


def _merge_pauses(start: datetime.date, pauses: Iterable[Pause]) -> tuple[Pause, ...]:
    """Sort pauses, drop the parts on or before `start`, and join the ones that touch."""
    after_start = start + datetime.timedelta(days=1)
    merged: list[Pause] = []
    for pause in sorted(pauses, key=lambda p: p.first):
        if pause.last < after_start:
            continue
        first = max(pause.first, after_start)
        if merged and first <= merged[-1].last + datetime.timedelta(days=1):
            if pause.last > merged[-1].last:
                merged[-1] = Pause(merged[-1].first, pause.last)
            continue
        merged.append(Pause(first, pause.last))
    return tuple(merged)


def _holiday_runs(
    found: list[tuple[datetime.date, str, str]],
) -> list[DerivationStep]:
    """Group consecutive special days of the same kind and name into one step each."""
    steps: list[DerivationStep] = []
    run: list[tuple[datetime.date, str, str]] = []

    def close() -> None:
        if not run:
            return
        first, kind, name = run[0]
        last = run[-1][0]
        if kind == HOLIDAY:
            weekdays = sum(1 for day, _kind, _name in run if day.weekday() < 5)
            steps.append(DerivationStep(HOLIDAY, first, last, name, len(run), weekdays))
        else:
            steps.extend(DerivationStep(MAKEUP_WORKDAY, d, d, n, 1, 1) for d, _k, n in run)
        run.clear()

    for item in found:
        if run and (
            item[1] != run[-1][1]
            or item[2] != run[-1][2]
            or item[0] - run[-1][0] != datetime.timedelta(days=1)
        ):
            close()
        run.append(item)
    close()
    return steps


@dataclass(frozen=True)
class Deadline:
    """A deadline of `workdays` working days from `start` (day 0), with its clock's pauses.

    Working days inside a pause do not count; a pause of k working days that begins before the
    due date moves it by exactly k working days. `provisional` is true when the computation
    reaches into a year whose schedule is not loaded; `not_loaded_years` names those years.
    """

    start: datetime.date
    workdays: int
    pauses: tuple[Pause, ...] = ()
    due_date: datetime.date = field(init=False)
    provisional: bool = field(init=False)
    not_loaded_years: tuple[int, ...] = field(init=False)
    derivation: Derivation = field(init=False, repr=False, compare=False)
    _effective_pauses: tuple[Pause, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.workdays < 0:
            raise ValueError(_("A deadline needs a number of working days of 0 or more."))
        pauses = tuple(p if isinstance(p, Pause) else Pause(*p) for p in self.pauses)
        object.__setattr__(self, "pauses", pauses)
        effective = _merge_pauses(self.start, pauses)

        remaining, cursor = self.workdays, self.start
        applied: list[tuple[Pause, int]] = []
        for pause in effective:
            if remaining == 0:
                break
            before = workdays_between(cursor, pause.first - datetime.timedelta(days=1))
            if before >= remaining:
                break
            remaining -= before
            inside = workdays_between(pause.first - datetime.timedelta(days=1), pause.last)
            applied.append((pause, inside))
            cursor = pause.last
        due = add_workdays(cursor, remaining)

        missing = years_not_loaded(self.start, due)
        steps = [DerivationStep("start", self.start, self.start, workdays=self.workdays)]
        middle = _holiday_runs(special_days(self.start, due))
        middle += [
            DerivationStep("pause", p.first, p.last, days=(p.last - p.first).days + 1, workdays=k)
            for p, k in applied
        ]
        middle.sort(key=lambda step: (step.first, step.kind))
        steps += middle
        steps += [DerivationStep("not_loaded", year=year) for year in missing]
        steps.append(
            DerivationStep("due", due, due, days=(due - self.start).days, workdays=self.workdays)
        )

        object.__setattr__(self, "due_date", due)
        object.__setattr__(self, "not_loaded_years", missing)
        object.__setattr__(self, "provisional", bool(missing))
        object.__setattr__(self, "derivation", Derivation(tuple(steps)))
        object.__setattr__(self, "_effective_pauses", tuple(p for p, _k in applied))

    def workdays_left(self, on: datetime.date) -> int:
        """Working days left after `on` up to the due date; 0 on it, negative when overdue.

        Paused working days after `on` do not count as left; overdue days count every working
        day after the due date up to `on`.
        """
        if on > self.due_date:
            return -workdays_between(self.due_date, on)
        left = workdays_between(on, self.due_date)
        for pause in self._effective_pauses:
            low = max(pause.first - datetime.timedelta(days=1), on)
            if low < pause.last:
                left -= workdays_between(low, pause.last)
        return left


def deadline_for(
    start: datetime.date, workdays: int, pauses: Iterable[Pause | tuple] = ()
) -> Deadline:
    """Build a `Deadline`; a convenience for callers holding pauses as (first, last) pairs."""
    return Deadline(start=start, workdays=workdays, pauses=tuple(pauses))


__all__ = [
    "CalendarRangeError",
    "Deadline",
    "Derivation",
    "DerivationStep",
    "Pause",
    "add_workdays",
    "calendar_invalidate",
    "deadline_for",
    "is_workday",
    "is_year_loaded",
    "special_days",
    "workdays_between",
    "years_not_loaded",
]
