"""Admin for the annual-inspection review (年检项目): kept, cancelled and added items per year."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from services.models import AnnualInspectionItem


@admin.register(AnnualInspectionItem)
class AnnualInspectionItemAdmin(SimpleHistoryAdmin):
    list_display = ["year", "unit", "name", "status", "is_free"]
    list_filter = ["year", "status", "unit"]
    list_select_related = ["entity"]
    search_fields = ["unit", "name", "legal_basis"]
    autocomplete_fields = ["entity"]
