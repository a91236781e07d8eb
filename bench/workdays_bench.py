"""Benchmark: workdays.calendar.add_workdays against chinesecalendar's find_workday.

Run: .venv/bin/python bench/workdays_bench.py
Sets up Django on an in-memory SQLite database, migrates the workdays app (whose data migration
loads the calendar), then times add_workdays(d, 20) over varied start dates against
chinese_calendar.find_workday(20, d). Prints per-call figures and the ratio; the figures are
recorded by hand in docs/performance.md ("Working-day calendar").
"""

import datetime as dt
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = "sqlite://:memory:"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

import chinese_calendar  # noqa: E402
from django.core.management import call_command  # noqa: E402

from workdays.calendar import Deadline, add_workdays  # noqa: E402

FAST_CALLS = 100_000
SLOW_CALLS = 2_000
DAYS = 20


def _starts(count: int, seed: int) -> list[dt.date]:
    """Varied start dates from 2005 to mid-2025 (find_workday must stay in the package's range)."""
    rng = random.Random(seed)
    first = dt.date(2005, 1, 1).toordinal()
    last = dt.date(2025, 6, 30).toordinal()
    return [dt.date.fromordinal(rng.randint(first, last)) for _ in range(count)]


def _time(label: str, function, starts: list[dt.date]) -> float:
    began = time.perf_counter()
    for start in starts:
        function(start)
    elapsed = time.perf_counter() - began
    per_call = elapsed / len(starts) * 1e6
    print(f"{label:<44} {len(starts):>7} calls  {elapsed:8.3f} s  {per_call:9.3f} µs/call")
    return per_call


def main() -> None:
    call_command("migrate", "workdays", verbosity=0)
    add_workdays(dt.date(2025, 1, 1), 1)  # load the calendar once, as a process does

    starts = _starts(FAST_CALLS, seed=1)
    for start in starts[:SLOW_CALLS]:  # both must agree on working-day starts
        if chinese_calendar.is_workday(start):
            assert add_workdays(start, DAYS) == chinese_calendar.find_workday(DAYS, start)

    print(f"Python {platform.python_version()} on {platform.machine()}, nproc={os.cpu_count()}")
    fast = _time("workdays.add_workdays(d, 20)", lambda d: add_workdays(d, DAYS), starts)
    slow = _time(
        "chinese_calendar.find_workday(20, d)",
        lambda d: chinese_calendar.find_workday(DAYS, d),
        starts[:SLOW_CALLS],
    )
    _time(
        "workdays.Deadline(d, 20) with derivation",
        lambda d: Deadline(start=d, workdays=DAYS),
        starts[:20_000],
    )
    print(f"ratio: add_workdays is {slow / fast:,.0f}x faster than find_workday")


if __name__ == "__main__":
    main()
