"""Admin for public institutions: sectors and their checklists, institutions, items and fees.

Scoping: an institution's own account (InstitutionMembership) and the officials of its
supervising department keep its items and fees; everything goes through the one selector
`institution_ids_for_official`. Saving goes through `disclosure.actions.institutions`;
publishing and withdrawing are admin actions calling the same functions. Every model keeps its
history (django-simple-history) and the workflows their event rows.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from disclosure.actions import institutions as actions
from disclosure.exceptions import TransitionNotAllowed
from disclosure.models.entities import AdministrativeEntity
from disclosure.models.institutions import (
    DisclosureItemKind,
    FeeItem,
    FeeItemEvent,
    InstitutionDisclosure,
    InstitutionDisclosureEvent,
    InstitutionMembership,
    PublicInstitution,
    Sector,
    SectorRequirement,
)
from disclosure.selectors.institutions import institution_ids_for_official
from disclosure.selectors.memberships import entity_ids_for_official

REFUSALS = (TransitionNotAllowed, PermissionDenied, ValidationError, ValueError)


class SectorRequirementInline(admin.TabularInline):
    model = SectorRequirement
    extra = 0
    autocomplete_fields = ["kind"]


@admin.register(Sector)
class SectorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "field", "sort_order"]
    list_filter = ["field"]
    search_fields = ["name", "code"]
    inlines = [SectorRequirementInline]


@admin.register(DisclosureItemKind)
class DisclosureItemKindAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "sort_order"]
    search_fields = ["name", "code"]


class InstitutionScopedAdminMixin:
    """Limit a ModelAdmin to the institutions `institution_ids_for_official` gives the user.

    `institution_field` is the lookup from the record to its institution ("pk" for the
    institution itself).
    """

    institution_field: str = "institution"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        ids = institution_ids_for_official(request.user)
        if ids is None:
            return queryset
        lookup = "pk__in" if self.institution_field == "pk" else f"{self.institution_field}__in"
        return queryset.filter(**{lookup: ids})

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "institution":
            ids = institution_ids_for_official(request.user)
            if ids is not None:
                kwargs["queryset"] = PublicInstitution.objects.filter(pk__in=ids)
        if db_field.name == "supervising_department":
            entity_ids = entity_ids_for_official(request.user)
            if entity_ids is not None:
                kwargs["queryset"] = AdministrativeEntity.objects.filter(pk__in=entity_ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def _in_scope(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None:  # the list and the index: get_queryset scopes them
            return True
        ids = institution_ids_for_official(request.user)
        if ids is None:
            return True
        pk = obj.pk if self.institution_field == "pk" else obj.institution_id
        return pk in ids

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_view_permission(request, obj)  # type: ignore[misc]
        return allowed and self._in_scope(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)  # type: ignore[misc]
        return allowed and self._in_scope(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)  # type: ignore[misc]
        return allowed and self._in_scope(request, obj)


class InstitutionMembershipInline(admin.TabularInline):
    model = InstitutionMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(PublicInstitution)
class PublicInstitutionAdmin(InstitutionScopedAdminMixin, SimpleHistoryAdmin):
    institution_field = "pk"
    list_display = ["name", "sector", "supervising_department", "supervision_phone", "is_active"]
    list_select_related = ["sector", "supervising_department"]
    list_filter = ["sector", ("supervising_department", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "address"]
    inlines = [InstitutionMembershipInline]

    def save_model(self, request: HttpRequest, obj: PublicInstitution, form, change: bool) -> None:
        values = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in actions.INSTITUTION_FIELDS
        }
        if change:
            actions.institution_update(by=request.user, institution=obj, values=values)
            return
        values.pop("name", None)
        values.pop("sector", None)
        values.pop("supervising_department", None)
        created = actions.institution_create(
            by=request.user,
            name=form.cleaned_data["name"],
            sector=form.cleaned_data["sector"],
            supervising_department=form.cleaned_data["supervising_department"],
            fields=values,
        )
        obj.pk = created.pk


class InstitutionDisclosureEventInline(admin.TabularInline):
    model = InstitutionDisclosureEvent
    extra = 0
    can_delete = False
    fields = ["at", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _bulk(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    move,  # noqa: ANN001 - an action function
    record_kw: str,
    note: str,
) -> None:
    done = 0
    for record in queryset.select_related("institution"):
        try:
            with translation.override("zh-hans"):
                move(by=request.user, **{record_kw: record}, note=str(note))
            done += 1
        except REFUSALS as error:
            modeladmin.message_user(request, f"{record}: {error}", messages.ERROR)
    if done:
        modeladmin.message_user(
            request,
            ngettext("%(count)d record moved.", "%(count)d records moved.", done) % {"count": done},
            messages.SUCCESS,
        )


@admin.register(InstitutionDisclosure)
class InstitutionDisclosureAdmin(InstitutionScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["institution", "kind", "status", "last_updated", "next_review_due"]
    list_select_related = ["institution", "kind"]
    list_filter = ["status", "kind", "institution__sector"]
    search_fields = ["institution__name", "kind__name"]
    readonly_fields = ["status"]
    fields = ["institution", "kind", "content", "last_updated", "next_review_due", "status"]
    inlines = [InstitutionDisclosureEventInline]
    actions = ["publish_selected", "withdraw_selected"]

    def save_model(
        self, request: HttpRequest, obj: InstitutionDisclosure, form, change: bool
    ) -> None:
        data = form.cleaned_data
        saved = actions.institution_disclosure_save(
            by=request.user,
            institution=data["institution"],
            kind=data["kind"],
            content=data["content"],
            last_updated=data["last_updated"],
            next_review_due=data["next_review_due"],
        )
        obj.pk = saved.pk

    @admin.action(description=_("Publish the selected items"))
    def publish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        _bulk(self, request, queryset, actions.institution_disclosure_publish, "item", "")

    @admin.action(description=_("Withdraw the selected items"))
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        _bulk(
            self,
            request,
            queryset,
            actions.institution_disclosure_withdraw,
            "item",
            "在管理后台撤回。",
        )


class FeeItemForm(forms.ModelForm):
    """The fee form: the model's rules (amount ≥ 0, valid_to ≥ valid_from, a published fee has
    a basis) come back as field errors through `FeeItem.clean`."""

    class Meta:
        model = FeeItem
        fields = ["institution", *actions.FEE_COLUMNS]  # what an official may set


class PublicInstitutionForm(forms.ModelForm):
    """The institution form: an unknown sector is a field error ("Select a valid choice")."""

    class Meta:
        model = PublicInstitution
        fields = list(actions.INSTITUTION_COLUMNS)  # what an official may set


PublicInstitutionAdmin.form = PublicInstitutionForm


class FeeItemEventInline(InstitutionDisclosureEventInline):
    model = FeeItemEvent


@admin.register(FeeItem)
class FeeItemAdmin(InstitutionScopedAdminMixin, SimpleHistoryAdmin):
    form = FeeItemForm
    list_display = [
        "name",
        "institution",
        "category",
        "amount_min",
        "amount_max",
        "unit",
        "status",
        "has_basis",
    ]
    list_select_related = ["institution"]
    list_filter = ["status", "category", "unit", "institution__sector"]
    search_fields = ["name", "institution__name", "legal_basis", "approval_document"]
    readonly_fields = ["status"]
    inlines = [FeeItemEventInline]
    actions = ["publish_selected", "withdraw_selected"]

    @admin.display(boolean=True, description=_("basis given"))
    def has_basis(self, obj: FeeItem) -> bool:
        return obj.has_basis

    def save_model(self, request: HttpRequest, obj: FeeItem, form, change: bool) -> None:
        data = form.cleaned_data
        if change:
            values = {name: data[name] for name in form.changed_data if name in actions.FEE_FIELDS}
            actions.fee_item_update(by=request.user, fee=obj, values=values)
            return
        values = {name: data[name] for name in actions.FEE_FIELDS if name in data}
        created = actions.fee_item_create(
            by=request.user, institution=data["institution"], values=values
        )
        obj.pk = created.pk

    @admin.action(description=_("Publish the selected fees"))
    def publish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        _bulk(self, request, queryset, actions.fee_item_publish, "fee", "")

    @admin.action(description=_("Withdraw the selected fees"))
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        _bulk(self, request, queryset, actions.fee_item_withdraw, "fee", "在管理后台撤回。")


@admin.register(InstitutionMembership)
class InstitutionMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "institution", "created_at"]
    list_select_related = ["user", "institution"]
    search_fields = ["user__username", "institution__name"]
    autocomplete_fields = ["user", "institution"]
