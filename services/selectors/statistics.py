"""Service statistics: the figures that prove (or disprove) the centre's promises.

For any period and per department and item: consultations, accepted, completed, completion rate
(completed / accepted), on-time rate, deemed approvals, median and P90 working days against the
commitment, and the rating distribution.

Definitions (the seed's half-year report counts this way):
- *consultations*: the sum of the recorded per-item, per-day consultation counts in the period;
- *accepted*: cases accepted (受理) in the period;
- *completed*: cases completed (办结, including deemed approvals finished by the joint approval
  meeting) in the period;
- *completion rate*: completed / accepted, a percentage to one decimal (59,388 / 60,351 = 98.4%);
- *on-time rate*: the share of the period's completed cases finished on or before their due date;
- *working days*: working days from acceptance to completion (statutory calendar, `workdays`);
  median and P90 by the nearest-rank method (the value at rank ⌈q·n⌉), so they are whole days,
  comparable with a commitment in whole working days.

Every figure comes from aggregate queries (COUNT/SUM grouped by a few columns); percentiles are
read from a histogram of working days, never from a loop over the cases.
"""

import math
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")


def rate_percent(numerator: int, denominator: int) -> Decimal | None:
    """`numerator / denominator` as a percentage rounded half-up to one decimal; None for 0/0."""
    if denominator <= 0:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        ONE_DECIMAL, rounding=ROUND_HALF_UP
    )


def completion_rate(*, completed: int, accepted: int) -> Decimal | None:
    """Completion rate 办结率 = completed / accepted, in percent (one decimal)."""
    return rate_percent(completed, accepted)


def on_time_rate(*, on_time: int, completed: int) -> Decimal | None:
    """On-time rate = completed on or before the due date / completed, in percent."""
    return rate_percent(on_time, completed)


def percentile_from_histogram(histogram: Mapping[int, int], q: float) -> int | None:
    """The nearest-rank q-quantile (0 < q ≤ 1) of values given as {value: how many}.

    The value at rank ⌈q·n⌉ in ascending order; None when the histogram is empty.
    """
    if not 0 < q <= 1:
        raise ValueError("q must be in (0, 1]")
    total = sum(count for count in histogram.values() if count > 0)
    if total == 0:
        return None
    rank = max(1, math.ceil(q * total - 1e-9))
    seen = 0
    for value in sorted(histogram):
        seen += max(histogram[value], 0)
        if seen >= rank:
            return value
    return max(histogram)  # pragma: no cover - unreachable: seen reaches total


def median_from_histogram(histogram: Mapping[int, int]) -> int | None:
    """The nearest-rank median (rank ⌈n/2⌉) of a {value: count} histogram."""
    return percentile_from_histogram(histogram, 0.5)


def p90_from_histogram(histogram: Mapping[int, int]) -> int | None:
    """The nearest-rank 90th percentile of a {value: count} histogram."""
    return percentile_from_histogram(histogram, 0.9)


def histogram_merge(pairs: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Add up (value, count) pairs that may repeat a value into one {value: count} histogram."""
    merged: dict[int, int] = {}
    for value, count in pairs:
        merged[value] = merged.get(value, 0) + count
    return merged


RATING_LEVELS = (5, 4, 3, 2, 1)


def rating_distribution(counts: Mapping[int, int]) -> list[dict]:
    """Every level 5..1 with its count and share (percent, one decimal), zeros included."""
    total = sum(counts.get(level, 0) for level in RATING_LEVELS)
    return [
        {
            "level": level,
            "count": counts.get(level, 0),
            "percent": rate_percent(counts.get(level, 0), total),
        }
        for level in RATING_LEVELS
    ]


def rating_mean(counts: Mapping[int, int]) -> Decimal | None:
    """The mean rating level (1-5) to two decimals; None when nothing was rated."""
    total = sum(counts.get(level, 0) for level in RATING_LEVELS)
    if total == 0:
        return None
    weighted = sum(level * counts.get(level, 0) for level in RATING_LEVELS)
    return (Decimal(weighted) / Decimal(total)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def satisfaction_percent(counts: Mapping[int, int]) -> Decimal | None:
    """满意率: ratings of 3 (基本满意) or better / all ratings, in percent."""
    total = sum(counts.get(level, 0) for level in RATING_LEVELS)
    return rate_percent(sum(counts.get(level, 0) for level in (5, 4, 3)), total)
