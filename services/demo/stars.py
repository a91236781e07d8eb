"""Demo: window stars for January-June 2006, through the actions.

The ratings and on-time components are computed from the demo's records; the centre's daily
assessment (日常考核) is recorded per window and month.
"""

import datetime
import random
from typing import TextIO

from services.actions.stars import window_score_record, window_scores_compute
from services.demo.ratings import _clerk
from services.models import ServiceWindow, WindowMonthlyScore

MONTHS = [datetime.date(2006, month, 1) for month in range(1, 7)]


def load(*, out: TextIO) -> None:
    """Compute and record each window's monthly scores; a second run adds nothing."""
    if WindowMonthlyScore.objects.filter(month__in=MONTHS).exists():
        out.write("services: demo window scores exist; nothing added\n")
        return
    clerk = _clerk()
    rng = random.Random(16)  # noqa: S311 - demo data, reproducible
    windows = list(ServiceWindow.objects.order_by("number"))
    for month in MONTHS:
        window_scores_compute(month=month, by=clerk)
        for window in windows:
            window_score_record(
                window=window,
                month=month,
                component=WindowMonthlyScore.Component.INSPECTIONS,
                score=rng.randint(84, 99),
                basis="服务中心日常考核（考勤、着装、一次性告知、首问负责）",
                by=clerk,
            )
    out.write(f"services: window scores for {len(windows)} windows, {len(MONTHS)} months\n")
