"""Reads of the service centre's windows and their monthly stars."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Prefetch, QuerySet

from services.models import ServiceItem, ServiceWindow, WindowMonthlyScore
from services.models.stars import stars_from_scores, weighted_score


@dataclass
class WindowMonth:
    """One window's month: its component scores, weighted score and stars."""

    month: datetime.date
    scores: dict[str, WindowMonthlyScore] = field(default_factory=dict)

    @property
    def values(self) -> dict[str, Decimal]:
        return {component: row.score for component, row in self.scores.items()}

    @property
    def weighted(self) -> Decimal | None:
        return weighted_score(self.values)

    @property
    def stars(self) -> int | None:
        return stars_from_scores(self.values)

    @property
    def glyphs(self) -> str:
        """The stars as ★ and ☆ (shown beside a text equivalent for screen readers)."""
        stars = self.stars or 0
        return "★" * stars + "☆" * (5 - stars)


def window_public_queryset() -> QuerySet[ServiceWindow]:
    """Open windows with their department and published items."""
    return (
        ServiceWindow.objects.filter(is_active=True)
        .select_related("entity")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=ServiceItem.objects.filter(is_published=True).order_by("basic_code"),
            )
        )
        .order_by("number")
    )


def window_latest_scored_month() -> datetime.date | None:
    """The most recent month any window has a score for."""
    return WindowMonthlyScore.objects.aggregate(latest=Max("month"))["latest"]


def window_stars_for_month(*, month: datetime.date | None) -> dict[int, WindowMonth]:
    """Every window's scores and stars for one month: {window id: WindowMonth} (one query)."""
    result: dict[int, WindowMonth] = {}
    if month is None:
        return result
    for row in WindowMonthlyScore.objects.filter(month=month):
        result.setdefault(row.window_id, WindowMonth(month=month)).scores[row.component] = row
    return result


def window_star_history(*, window: ServiceWindow, limit: int = 12) -> list[WindowMonth]:
    """A window's months with scores, latest first (one query)."""
    months: dict[datetime.date, WindowMonth] = {}
    for row in WindowMonthlyScore.objects.filter(window=window).order_by("-month"):
        months.setdefault(row.month, WindowMonth(month=row.month)).scores[row.component] = row
    return list(months.values())[:limit]


def windows_with_stars(*, month: datetime.date | None) -> list[ServiceWindow]:
    """Open windows, each with `.month_stars` (a WindowMonth or None) for `month` (3 queries)."""
    stars = window_stars_for_month(month=month)
    windows = list(window_public_queryset())
    for window in windows:
        window.month_stars = stars.get(window.pk)
    return windows
