"""Admin for the working-day calendar: edit days (with history) and see which years are loaded.

Every save and delete goes through `workdays.actions`, so the history, the `source="admin"` mark
that protects an edit from `load_calendar`, and the calendar's invalidation are never skipped.
"""

import datetime
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override, pgettext
from simple_history.admin import SimpleHistoryAdmin

from workdays.actions import (
    calendar_day_create,
    calendar_day_delete,
    calendar_day_update,
    calendar_year_save,
)
from workdays.models import CalendarDay, CalendarYear
from workdays.selectors import calendar_year_list


def _official(message: Any) -> str:
    """A reason for the official record: in the portal's language, whatever the UI language."""
    with override(settings.LANGUAGE_CODE):
        return str(message)


class YearListFilter(admin.SimpleListFilter):
    """Filter calendar days by year, offering the years that have days."""

    title = _("year")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() and self.value().isdigit():
            return queryset.filter(date__year=int(self.value()))
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "weekday", "kind", "name", "source", "notice_link"]
    list_filter = ["kind", YearListFilter, "source"]
    search_fields = ["name", "source_notice_url"]
    date_hierarchy = "date"
    ordering = ["-date"]
    readonly_fields = ["source", "updated_at"]
    fields = ["date", "kind", "name", "source_notice_url", "source", "updated_at"]
    list_per_page = 100
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description=_("weekday"))
    def weekday(self, day: CalendarDay) -> str:
        from django.utils.dates import WEEKDAYS

        return str(WEEKDAYS[day.date.weekday()])

    @admin.display(description=_("notice"))
    def notice_link(self, day: CalendarDay) -> str:
        if not day.source_notice_url:
            return "-"
        return format_html(
            '<a href="{}" rel="noopener noreferrer">{}</a>', day.source_notice_url, _("notice")
        )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        """Search by name, and also by an ISO date (2025-10-01) or a year (2025)."""
        term = search_term.strip()
        try:
            return queryset.filter(date=datetime.date.fromisoformat(term)), False
        except ValueError:
            pass
        if term.isdigit() and len(term) == 4:
            return queryset.filter(date__year=int(term)), False
        return super().get_search_results(request, queryset, search_term)

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: ModelForm, change: bool):
        data = form.cleaned_data
        if change:
            saved = calendar_day_update(
                day=obj,
                by=request.user,
                date=data["date"],
                kind=data["kind"],
                name=data.get("name", ""),
                source_notice_url=data.get("source_notice_url", ""),
                reason=_official(_("Edited in the admin")),
            )
        else:
            saved = calendar_day_create(
                by=request.user,
                date=data["date"],
                kind=data["kind"],
                name=data.get("name", ""),
                source_notice_url=data.get("source_notice_url", ""),
                reason=_official(_("Entered in the admin")),
            )
        obj.pk, obj.source, obj.updated_at = saved.pk, saved.source, saved.updated_at

    def delete_model(self, request: HttpRequest, obj: CalendarDay) -> None:
        calendar_day_delete(day=obj, by=request.user, reason=_official(_("Deleted in the admin")))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for day in queryset:
            calendar_day_delete(
                day=day, by=request.user, reason=_official(_("Deleted in the admin"))
            )


@admin.register(CalendarYear)
class CalendarYearAdmin(SimpleHistoryAdmin):
    """The years page: which years are loaded, with their holiday and make-up day counts."""

    list_display = [
        "year",
        "complete",
        "holiday_count",
        "makeup_workday_count",
        "source",
        "loaded_at",
        "notice_link",
    ]
    list_filter = ["complete", "source"]
    readonly_fields = ["source", "loaded_at"]
    fields = ["year", "complete", "notice_url", "source", "loaded_at"]
    list_per_page = 100
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return calendar_year_list()

    def get_readonly_fields(self, request: HttpRequest, obj: CalendarYear | None = None):
        if obj is not None:
            return ["year", *self.readonly_fields]
        return self.readonly_fields

    @admin.display(description=_("holidays"), ordering="holiday_count")
    def holiday_count(self, year: CalendarYear) -> int:
        return year.holiday_count

    @admin.display(description=_("make-up working days"), ordering="makeup_workday_count")
    def makeup_workday_count(self, year: CalendarYear) -> int:
        return year.makeup_workday_count

    @admin.display(description=_("notice"))
    def notice_link(self, year: CalendarYear) -> str:
        if not year.notice_url:
            return "-"
        return format_html(
            '<a href="{}" rel="noopener noreferrer">{}</a>', year.notice_url, _("notice")
        )

    def has_delete_permission(self, request: HttpRequest, obj: CalendarYear | None = None):
        # Untick "complete" instead: deleting would lose the record of where the year came from.
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        this_year = timezone.localdate().year
        loaded = set(CalendarYear.objects.filter(complete=True).values_list("year", flat=True))
        missing = [y for y in range(this_year - 1, this_year + 2) if y not in loaded]
        if missing:
            self.message_user(
                request,
                _("Not loaded: %(years)s. Deadlines reaching into these years are provisional.")
                % {"years": pgettext("list separator", ", ").join(str(y) for y in missing)},
                level=messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    def save_model(self, request: HttpRequest, obj: CalendarYear, form: ModelForm, change: bool):
        data = form.cleaned_data
        saved = calendar_year_save(
            by=request.user,
            year=data.get("year", obj.year),
            complete=data["complete"],
            notice_url=data.get("notice_url", ""),
            reason=_official(_("Edited in the admin")),
        )
        obj.pk, obj.source, obj.loaded_at = saved.pk, saved.source, saved.loaded_at
