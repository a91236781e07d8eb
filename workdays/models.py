"""The statutory working-day calendar: the days that differ from the Monday-to-Friday rule.

A date that has no `CalendarDay` row follows the weekly rule (Monday to Friday work, Saturday and
Sunday rest). A row says the date is a statutory holiday (放假, including weekend days inside a
holiday break) or a make-up working day (调休上班, a weekend day worked). Which years are known is
recorded in `CalendarYear`: the schedule is fixed each year by the State Council's notice and
cannot be computed, so a year without a complete `CalendarYear` row is "not loaded" and every
deadline that reaches into it is provisional.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Source(models.TextChoices):
    """Where a calendar row came from; rows an official wrote are never overwritten by a load."""

    PACKAGE = "package", _("chinesecalendar package")
    ADMIN = "admin", _("entered by an official")


class CalendarDayQuerySet(models.QuerySet["CalendarDay"]):
    """Reusable filters for calendar days."""

    def in_year(self, year: int) -> "CalendarDayQuerySet":
        return self.filter(date__year=year)

    def holidays(self) -> "CalendarDayQuerySet":
        return self.filter(kind=CalendarDay.Kind.HOLIDAY)

    def makeup_workdays(self) -> "CalendarDayQuerySet":
        return self.filter(kind=CalendarDay.Kind.MAKEUP_WORKDAY)

    def from_package(self) -> "CalendarDayQuerySet":
        return self.filter(source=Source.PACKAGE)


class CalendarDay(models.Model):
    """A date that departs from the weekly rule: a statutory holiday or a make-up working day."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("holiday")
        MAKEUP_WORKDAY = "makeup_workday", _("make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(
        pgettext_lazy("calendar day", "kind"), max_length=20, choices=Kind.choices
    )
    name = models.CharField(
        _("holiday name"),
        max_length=100,
        blank=True,
        help_text=_("The holiday's Chinese name, e.g. 春节 or 国庆节."),
    )
    source_notice_url = models.URLField(
        _("source notice URL"),
        max_length=500,
        blank=True,
        help_text=_("The State Council notice that fixed this day, on www.gov.cn."),
    )
    source = models.CharField(
        _("source"),
        max_length=20,
        choices=Source.choices,
        default=Source.ADMIN,
        help_text=_(
            "Rows entered or edited by an official are kept when the calendar is reloaded."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = CalendarDayQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "makeup_workday"]),
                name="workdays_calendarday_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=["package", "admin"]),
                name="workdays_calendarday_source_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".strip()


class CalendarYear(models.Model):
    """A year whose schedule is known; `complete` means every holiday and make-up day is in."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    loaded_at = models.DateTimeField(_("loaded at"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    notice_url = models.URLField(
        _("notice URL"),
        max_length=500,
        blank=True,
        help_text=_("The State Council notice on that year's holidays (部分节假日安排的通知)."),
    )
    complete = models.BooleanField(
        _("complete"),
        default=False,
        help_text=_(
            "Tick only when every holiday and make-up working day of the year is entered. "
            "Deadlines reaching into a year that is not complete are marked provisional."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=1949) & models.Q(year__lte=2200),
                name="workdays_calendaryear_year_range",
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=["package", "admin"]),
                name="workdays_calendaryear_source_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)
