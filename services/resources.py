"""Import and export columns for services' records (django-import-export resources).

Service items import through `service_item_create`/`service_item_update`, scoped to the
importing official's departments (disclosure.resources.ActionResource); cases export without the
applicant's name or contact.
"""

from __future__ import annotations

from import_export import fields, widgets
from import_export.resources import ModelResource

from disclosure.models import AdministrativeEntity
from disclosure.resources import ActionResource
from services.models import ServiceCase, ServiceItem

ITEM_FIELDS = (
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
)


class ServiceItemResource(ActionResource):
    """Service items by implementation code, their departments by credit code."""

    entity = fields.Field(
        attribute="entity",
        column_name="entity",
        widget=widgets.ForeignKeyWidget(AdministrativeEntity, "credit_code"),
    )
    joint_lead_entity = fields.Field(
        attribute="joint_lead_entity",
        column_name="joint_lead_entity",
        widget=widgets.ForeignKeyWidget(AdministrativeEntity, "credit_code"),
    )
    importable = ITEM_FIELDS

    class Meta:
        model = ServiceItem
        import_id_fields = ("implementation_code",)
        fields = ITEM_FIELDS
        skip_unchanged = True
        report_skipped = True

    def scope_entity_id(self, instance: ServiceItem) -> int | None:
        return instance.entity_id

    def create(self, instance: ServiceItem) -> ServiceItem:
        from services.actions.items import service_item_create

        return service_item_create(by=self.user, **self.values(instance))

    def update(self, instance: ServiceItem) -> ServiceItem:
        from services.actions.items import service_item_update

        return service_item_update(item=instance, by=self.user, **self.values(instance))


class ServiceCaseResource(ModelResource):
    """Cases for export: the clock and the result, never the applicant's name or contact."""

    class Meta:
        model = ServiceCase
        exclude = ("applicant_name", "applicant_contact", "tracking_password_hash")
