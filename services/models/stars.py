"""Window stars (星级服务窗口): computed each month from recorded component scores.

Each month a window gets a score from 0 to 100 per component, kept as a row with how it was
measured, so the inputs of a star rating stay on record and another app can add a component
without this one importing it:

- ``ratings``: the month's counted ratings of the window's cases, their mean level × 20;
- ``on_time``: the share of the window's cases completed that month within their due date;
- ``inspections``: the service centre's daily assessment (日常考核), recorded by its staff;
- ``supervisor_inspection``: the invited supervisors' inspections (特邀监督员检查), recorded by the
  complaints app through ``services.actions.stars.window_score_record``.

The star formula (`stars_from_scores`, shown on every window's page): the weighted mean of the
components present that month (weights below), then 95+ = 5 stars, 85+ = 4, 75+ = 3, 60+ = 2,
below 60 = 1. A month without any component has no stars.
"""

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class WindowMonthlyScore(models.Model):
    """One component's score (0-100) for one window in one month, and how it was measured."""

    class Component(models.TextChoices):
        RATINGS = "ratings", _("Ratings by applicants")
        ON_TIME = "on_time", _("Cases completed on time")
        INSPECTIONS = "inspections", _("Daily assessment by the service centre")
        SUPERVISOR_INSPECTION = "supervisor_inspection", _("Inspections by invited supervisors")

    window = models.ForeignKey(
        "services.ServiceWindow",
        verbose_name=_("window"),
        on_delete=models.CASCADE,
        related_name="monthly_scores",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    component = models.CharField(_("component"), max_length=24, choices=Component.choices)
    score = models.DecimalField(_("score (0-100)"), max_digits=5, decimal_places=2)
    basis = models.CharField(
        _("basis"), max_length=200, blank=True, help_text=_("How the score was measured.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("window monthly score")
        verbose_name_plural = _("window monthly scores")
        ordering = ["window_id", "-month", "component"]
        permissions = [
            ("record_windowmonthlyscore", _("Can record and compute window scores")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["window", "month", "component"], name="windowmonthlyscore_one_per_month"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="windowmonthlyscore_score_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.window_id} {self.month:%Y-%m} {self.component}: {self.score}"


C = WindowMonthlyScore.Component
# Weight of each component in the star formula; absent components are left out and the others
# re-weighted, so a month without supervisor inspections is not penalised.
STAR_WEIGHTS: dict[str, int] = {
    C.RATINGS: 40,
    C.ON_TIME: 30,
    C.INSPECTIONS: 30,
    C.SUPERVISOR_INSPECTION: 20,
}
# (minimum weighted score, stars), checked top-down.
STAR_THRESHOLDS: tuple[tuple[Decimal, int], ...] = (
    (Decimal(95), 5),
    (Decimal(85), 4),
    (Decimal(75), 3),
    (Decimal(60), 2),
    (Decimal(0), 1),
)


def weighted_score(scores: Mapping[str, Decimal]) -> Decimal | None:
    """The weighted mean (two decimals) of the components present; None without any."""
    present = {component: Decimal(score) for component, score in scores.items()}
    total_weight = sum(STAR_WEIGHTS.get(component, 0) for component in present)
    if total_weight == 0:
        return None
    weighted = sum(STAR_WEIGHTS.get(c, 0) * score for c, score in present.items())
    return (weighted / total_weight).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def stars_from_scores(scores: Mapping[str, Decimal]) -> int | None:
    """Stars (1-5) for one window-month from its component scores; None without any."""
    score = weighted_score(scores)
    if score is None:
        return None
    return next(stars for minimum, stars in STAR_THRESHOLDS if score >= minimum)


def rating_component_score(mean_level: Decimal) -> Decimal:
    """The ratings component: the mean level (1-5) × 20, i.e. 5.00 → 100."""
    return (Decimal(mean_level) * 20).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
