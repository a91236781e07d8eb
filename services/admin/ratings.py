"""Admin for ratings, rectification tasks, appeals, rating settings and window scores.

Ratings, tasks and appeals change only through `services.actions.ratings` (history rows,
deadlines, the other-department rule), so here they are read-only lists scoped to the
official's departments; the settings row and recorded window scores are edited directly.
"""

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from disclosure.admin.scoping import EntityScopedAdminMixin
from services.models import (
    Rating,
    RatingAppeal,
    RatingSettings,
    RectificationTask,
    RectificationTaskEvent,
    WindowMonthlyScore,
)


class ReadOnlyAdminMixin:
    """Lists and detail views only: the actions are the one path for these records' writes."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdminMixin, EntityScopedAdminMixin, SimpleHistoryAdmin):
    scope_field = "case__entity"
    list_display = ["case", "kind", "level", "channel", "window", "rated_on", "status"]
    list_filter = ["level", "kind", "channel", "status", "rated_on"]
    list_select_related = ["case", "window"]
    search_fields = ["case__case_no"]
    date_hierarchy = "rated_on"


class RectificationTaskEventInline(admin.TabularInline):
    model = RectificationTaskEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "note", "at"]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(RectificationTask)
class RectificationTaskAdmin(ReadOnlyAdminMixin, EntityScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["rating", "entity", "status", "kind", "opened_on", "due_date"]
    list_filter = ["status", "kind", "entity"]
    list_select_related = ["rating", "entity"]
    inlines = [RectificationTaskEventInline]


@admin.register(RatingAppeal)
class RatingAppealAdmin(ReadOnlyAdminMixin, EntityScopedAdminMixin, SimpleHistoryAdmin):
    scope_field = "appellant_entity"
    list_display = ["rating", "appellant_entity", "status", "deciding_entity", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["rating", "appellant_entity", "deciding_entity"]


@admin.register(RatingSettings)
class RatingSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "rectification_workdays", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not RatingSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(WindowMonthlyScore)
class WindowMonthlyScoreAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["window", "month", "component", "score", "basis"]
    list_filter = ["component", "month"]
    list_select_related = ["window"]
