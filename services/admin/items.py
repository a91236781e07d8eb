"""Admin for service items (guides), their materials, windows and consultation counts."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from disclosure.admin.scoping import EntityScopedAdminMixin
from services.actions.items import service_item_validate
from services.models import ConsultationCount, ServiceItem, ServiceMaterial, ServiceWindow


class ServiceMaterialInline(admin.TabularInline):
    model = ServiceMaterial
    extra = 0
    fields = ["sort_order", "name", "form", "copies", "required", "blank_form", "sample"]


class ServiceItemForm(forms.ModelForm):
    class Meta:
        model = ServiceItem
        fields = [  # noqa: RUF012
            "basic_code",
            "implementation_code",
            "name",
            "kind",
            "entity",
            "responsible_person",
            "legal_basis",
            "conditions",
            "steps",
            "statutory_days",
            "committed_days",
            "is_free",
            "fee_standard",
            "fee_basis",
            "place",
            "hours",
            "consultation_phone",
            "complaint_phone",
            "online_url",
            "visits_required",
            "joint_lead_entity",
            "green_channel",
            "full_agency",
            "deemed_approval",
            "is_published",
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        candidate = ServiceItem(**cleaned)
        try:
            service_item_validate(candidate)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field in ("committed_days", "fee_basis"):
                    for message in messages:
                        self.add_error(field, message)
        return cleaned


@admin.register(ServiceItem)
class ServiceItemAdmin(EntityScopedAdminMixin, SimpleHistoryAdmin):
    form = ServiceItemForm
    list_display = [
        "name",
        "basic_code",
        "entity",
        "kind",
        "statutory_days",
        "committed_days",
        "green_channel",
        "full_agency",
        "deemed_approval",
        "is_published",
    ]
    list_select_related = ["entity"]
    list_filter = ["kind", "green_channel", "full_agency", "deemed_approval", "is_published"]
    search_fields = ["name", "basic_code", "implementation_code"]
    autocomplete_fields = ["entity", "joint_lead_entity"]
    inlines = [ServiceMaterialInline]


@admin.register(ServiceWindow)
class ServiceWindowAdmin(EntityScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "name", "entity", "is_active"]
    list_select_related = ["entity"]
    filter_horizontal = ["items"]
    search_fields = ["number", "name"]


@admin.register(ConsultationCount)
class ConsultationCountAdmin(EntityScopedAdminMixin, admin.ModelAdmin):
    scope_field = "item__entity"
    list_display = ["date", "item", "count"]
    list_select_related = ["item"]
    list_filter = ["date"]
    date_hierarchy = "date"
    autocomplete_fields = ["item"]
