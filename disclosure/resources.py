"""Import and export columns for disclosure's records (django-import-export resources).

Used by the officials' workspace: every admin list exports through a resource (personal data
never among the columns), and entities, institutions, fee items and catalogue entries import
through one, each row written by this app's actions (`ActionResource`) so that permission,
department scope, validation and history apply to an import as to a form. References use
natural keys (an entity's credit code, a sector's or topic's code, an institution's name) so
that a file moves between databases.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from import_export import fields, widgets
from import_export.resources import ModelResource

from disclosure.actions import catalogue as catalogue_actions
from disclosure.actions import institutions as institution_actions
from disclosure.models import (
    AdministrativeEntity,
    CatalogueEntry,
    FeeItem,
    InformationRequest,
    PublicInstitution,
    Sector,
    Topic,
)
from disclosure.selectors.memberships import entity_ids_for_official


def _entity_field(attribute: str, column: str | None = None) -> fields.Field:
    return fields.Field(
        attribute=attribute,
        column_name=column or attribute,
        widget=widgets.ForeignKeyWidget(AdministrativeEntity, field="credit_code"),
    )


class ActionResource(ModelResource):
    """A ModelResource whose rows are written by an app's actions, on behalf of `user`.

    Subclasses implement `create(instance)` and `update(instance)` with the app's actions and
    `scope_entity_id(instance)`, the entity whose officers may import the row. A refusal (no
    permission, another department's row, a rule broken) is a row-level error in the preview.
    """

    #: The fields an import writes; the other columns are exported for reference only.
    importable: tuple[str, ...] = ()

    def __init__(self, user: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user

    def scope_entity_id(self, instance: models.Model) -> int | None:
        raise NotImplementedError

    def create(self, instance: models.Model) -> models.Model:
        raise NotImplementedError

    def update(self, instance: models.Model) -> models.Model:
        raise NotImplementedError

    def values(self, instance: models.Model, names: tuple[str, ...] | None = None) -> dict:
        """The importable field values of `instance`, as the row set them."""
        return {name: getattr(instance, name) for name in (names or self.importable)}

    def check_scope(self, instance: models.Model) -> None:
        """Refuse a row for an entity outside the importing official's departments."""
        entity_ids = entity_ids_for_official(self.user)
        if entity_ids is not None and self.scope_entity_id(instance) not in entity_ids:
            raise PermissionDenied(
                _("This row belongs to a unit outside your departments: it cannot be imported.")
            )

    def get_import_fields(self) -> list:
        return [f for f in super().get_import_fields() if f.attribute in self.importable]

    def do_instance_save(self, instance: models.Model, is_create: bool) -> None:
        if self.user is None:
            raise ValidationError(_("Only a signed-in official may import."))
        try:
            self.check_scope(instance)
            if is_create:
                instance.pk = self.create(instance).pk
            else:
                self.update(instance)
        except ValidationError:
            raise
        except (PermissionDenied, ValueError) as error:
            raise ValidationError(str(error)) from error


ENTITY_COLUMNS = (
    "name",
    "short_name",
    "kind",
    "parent",
    "credit_code",
    "functions",
    "head",
    "address",
    "office_hours",
    "phone",
    "fax",
    "email",
    "website",
    "disclosure_office",
    "disclosure_office_address",
    "disclosure_office_hours",
    "disclosure_office_phone",
    "disclosure_office_fax",
    "disclosure_office_email",
    "is_enforcement_body",
    "enforcement_area",
    "legal_basis",
    "sort_order",
)


class AdministrativeEntityResource(ActionResource):
    """Entities by credit code; a new one starts as a draft for the review workflow."""

    parent = _entity_field("parent")
    importable = ENTITY_COLUMNS

    class Meta:
        model = AdministrativeEntity
        import_id_fields = ("credit_code",)
        fields = (*ENTITY_COLUMNS, "status")
        skip_unchanged = True
        report_skipped = True

    def scope_entity_id(self, instance: AdministrativeEntity) -> int | None:
        return instance.pk or instance.parent_id

    def create(self, instance: AdministrativeEntity) -> AdministrativeEntity:
        # Entities have no create action: a new one is a draft that goes through the review
        # workflow (entity_submit …); creating one is the admin's add permission.
        if not self.user.has_perm("disclosure.add_administrativeentity"):
            raise PermissionDenied(_("You may not add administrative entities."))
        instance.status = AdministrativeEntity.Status.DRAFT
        instance.full_clean()
        instance.save()
        return instance

    def update(self, instance: AdministrativeEntity) -> AdministrativeEntity:
        if not self.user.has_perm("disclosure.change_administrativeentity"):
            raise PermissionDenied(_("You may not change administrative entities."))
        instance.full_clean()
        instance.save()
        return instance


INSTITUTION_COLUMNS = institution_actions.INSTITUTION_COLUMNS  # what an official may set


class PublicInstitutionResource(ActionResource):
    """Institutions by name, with their sector's code and supervising department's credit code."""

    sector = fields.Field(
        attribute="sector", column_name="sector", widget=widgets.ForeignKeyWidget(Sector, "code")
    )
    supervising_department = _entity_field("supervising_department")
    importable = INSTITUTION_COLUMNS

    class Meta:
        model = PublicInstitution
        import_id_fields = ("name",)
        fields = INSTITUTION_COLUMNS
        skip_unchanged = True
        report_skipped = True

    def scope_entity_id(self, instance: PublicInstitution) -> int | None:
        return instance.supervising_department_id

    def create(self, instance: PublicInstitution) -> PublicInstitution:
        from disclosure.actions.institutions import institution_create

        others = tuple(
            n for n in self.importable if n not in ("name", "sector", "supervising_department")
        )
        return institution_create(
            by=self.user,
            name=instance.name,
            sector=instance.sector,
            supervising_department=instance.supervising_department,
            fields=self.values(instance, others),
        )

    def update(self, instance: PublicInstitution) -> PublicInstitution:
        from disclosure.actions.institutions import institution_update

        return institution_update(by=self.user, institution=instance, values=self.values(instance))


FEE_COLUMNS = ("institution", *institution_actions.FEE_COLUMNS)


class FeeItemResource(ActionResource):
    """An institution's fees, by the institution's name and the fee's name; new ones are drafts."""

    institution = fields.Field(
        attribute="institution",
        column_name="institution",
        widget=widgets.ForeignKeyWidget(PublicInstitution, "name"),
    )
    importable = FEE_COLUMNS

    class Meta:
        model = FeeItem
        import_id_fields = ("institution", "name")
        fields = (*FEE_COLUMNS, "status")
        skip_unchanged = True
        report_skipped = True

    def scope_entity_id(self, instance: FeeItem) -> int | None:
        return instance.institution.supervising_department_id

    def create(self, instance: FeeItem) -> FeeItem:
        from disclosure.actions.institutions import fee_item_create

        values = self.values(instance, self.importable[1:])
        return fee_item_create(by=self.user, institution=instance.institution, values=values)

    def update(self, instance: FeeItem) -> FeeItem:
        from disclosure.actions.institutions import fee_item_update

        values = self.values(instance, self.importable[1:])
        return fee_item_update(by=self.user, fee=instance, values=values)


ENTRY_COLUMNS = catalogue_actions.EDITABLE_COLUMNS  # what an official may set on a draft


class CatalogueEntryResource(ActionResource):
    """Catalogue entries: new rows become drafts of the importing official; drafts are updated."""

    publisher = _entity_field("publisher")
    topic = fields.Field(
        attribute="topic", column_name="topic", widget=widgets.ForeignKeyWidget(Topic, "code")
    )
    importable = ENTRY_COLUMNS

    class Meta:
        model = CatalogueEntry
        import_id_fields = ("id",)
        fields = ("id", "index_no", *ENTRY_COLUMNS, "status", "published_date")
        skip_unchanged = True
        report_skipped = True

    def get_import_fields(self) -> list:
        return [f for f in super().get_import_fields() if f.attribute in (*self.importable, "id")]

    def scope_entity_id(self, instance: CatalogueEntry) -> int | None:
        return instance.publisher_id

    def create(self, instance: CatalogueEntry) -> CatalogueEntry:
        from disclosure.actions.catalogue import catalogue_entry_create

        others = tuple(n for n in self.importable if n not in ("publisher", "title", "formed_date"))
        return catalogue_entry_create(
            by=self.user,
            publisher=instance.publisher,
            title=instance.title,
            formed_date=instance.formed_date,
            fields=self.values(instance, others),
        )

    def update(self, instance: CatalogueEntry) -> CatalogueEntry:
        from disclosure.actions.catalogue import catalogue_entry_update

        return catalogue_entry_update(entry=instance, by=self.user, fields=self.values(instance))


class InformationRequestResource(ModelResource):
    """Requests for export: the handling record, never the applicant's identity or contacts."""

    class Meta:
        model = InformationRequest
        exclude = (
            "applicant_name",
            "id_type",
            "id_number",
            "contact_phone",
            "contact_email",
            "contact_address",
            "tracking_password_hash",
        )
