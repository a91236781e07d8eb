"""The statistics' summary: per department, item and day, the counts the figures add up.

Kept by the actions in the same transaction as the change they count (`services.actions.
summaries`), rebuilt from the records by `manage.py rebuild_service_summaries` (also run by
the demo loader). The statistics read only these tables, so a period's figures cost a few
grouped sums over at most items × days rows instead of a pass over every case.

What each day's row counts (the statistics' definitions, `services.selectors.statistics`):
- `accepted`: cases accepted (受理) that day; `completed`: cases completed (办结) that day, of
  which `on_time` on or before their due date and not deemed approved; `deemed`: cases deemed
  approved (视为同意) that day;
- `rated_1` … `rated_5`: counted ratings (initial, not excluded on appeal) given that day;
- `ServiceDurationCount`: of the cases completed that day, how many took n working days from
  acceptance (paused days excluded) — a histogram from which median and P90 are exact.
The department is the case's own (`ServiceCase.entity`), as the statistics group it.
"""

import datetime
from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _

from workdays.calendar import workdays_between

RATING_FIELDS = {level: f"rated_{level}" for level in (1, 2, 3, 4, 5)}
COUNT_FIELDS = ("accepted", "completed", "on_time", "deemed", *RATING_FIELDS.values())


def case_working_days(
    accepted_on: datetime.date,
    completed_on: datetime.date,
    pauses: Iterable[tuple[datetime.date, datetime.date]] = (),
) -> int:
    """Working days from acceptance (day 0) to completion, less the closed pauses' working days.

    A pause (first, last) takes out the working days from `first` to `last` inclusive that fall
    inside the case's span; never below 0.
    """
    raw = max(workdays_between(accepted_on, completed_on), 0) if completed_on > accepted_on else 0
    paused = 0
    for first, last in pauses:
        low = max(first - datetime.timedelta(days=1), accepted_on)
        high = min(last, completed_on)
        if high > low:
            paused += workdays_between(low, high)
    return max(raw - paused, 0)


class ServiceDailySummary(models.Model):
    """One department's, item's and day's counts (kept by the actions; see the module)."""

    entity = models.ForeignKey(
        "disclosure.AdministrativeEntity",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    item = models.ForeignKey(
        "services.ServiceItem",
        verbose_name=_("service item"),
        on_delete=models.CASCADE,
        related_name="daily_summaries",
    )
    day = models.DateField(_("day"))
    accepted = models.IntegerField(_("accepted"), default=0)
    completed = models.IntegerField(_("completed"), default=0)
    on_time = models.IntegerField(_("completed on time"), default=0)
    deemed = models.IntegerField(_("deemed approved"), default=0)
    rated_1 = models.IntegerField(_("rated 1"), default=0)
    rated_2 = models.IntegerField(_("rated 2"), default=0)
    rated_3 = models.IntegerField(_("rated 3"), default=0)
    rated_4 = models.IntegerField(_("rated 4"), default=0)
    rated_5 = models.IntegerField(_("rated 5"), default=0)

    class Meta:
        verbose_name = _("daily service summary")
        verbose_name_plural = _("daily service summaries")
        ordering = ["day", "item_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "item", "day"], name="servicedailysummary_entity_item_day"
            ),
        ]
        indexes = [
            models.Index(fields=["day"], name="servicedailysummary_day"),
            # An item's page reads its own period's rows (a range of days of one item).
            models.Index(fields=["item", "day"], name="servicedailysummary_item_day"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.day}"


class ServiceDurationCount(models.Model):
    """Of one department's and item's cases completed on a day, how many took `workdays`."""

    entity = models.ForeignKey(
        "disclosure.AdministrativeEntity",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    item = models.ForeignKey(
        "services.ServiceItem",
        verbose_name=_("service item"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    day = models.DateField(_("day"))
    workdays = models.PositiveSmallIntegerField(_("working days"))
    count = models.IntegerField(_("cases"), default=0)

    class Meta:
        verbose_name = _("service duration count")
        verbose_name_plural = _("service duration counts")
        ordering = ["day", "item_id", "workdays"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "item", "day", "workdays"],
                name="servicedurationcount_entity_item_day_workdays",
            ),
        ]
        indexes = [
            models.Index(fields=["day"], name="servicedurationcount_day"),
            models.Index(fields=["item", "day"], name="servicedurationcount_item_day"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.day}: {self.workdays} → {self.count}"
