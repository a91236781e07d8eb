"""Department scoping in the admin: officials see and change only their entities' records.

Also here, because every scoped admin shares it: optimistic concurrency on the change form. Two
officials who open the same record and both save: the first wins, the second is told that
someone else changed it meanwhile, and nothing of theirs is saved.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from disclosure.models import AdministrativeEntity, EntityMembership
from disclosure.selectors.memberships import entity_ids_for_official

RECORD_VERSION_FIELD = "record_version"
CONFLICT_MESSAGE = _(
    "Someone else changed this record while you were editing it, so your changes were not "
    "saved. Open the record again to see its current state, then make your changes again."
)


def record_version(obj: Model) -> str:
    """What changes whenever the record is saved: its `updated_at`, else its last history row."""
    updated_at = getattr(obj, "updated_at", None)
    if updated_at is not None:
        return updated_at.isoformat()
    history = getattr(obj, "history", None)
    if history is not None:
        latest = history.order_by("-history_id").values_list("history_id", flat=True).first()
        return str(latest or "")
    return ""


def record_version_current(obj: Model) -> str:
    """The record's version as stored now, read under a row lock (held until the save commits)."""
    fresh = type(obj)._default_manager.select_for_update().filter(pk=obj.pk).first()
    return record_version(fresh) if fresh is not None else ""


class OptimisticLockAdminMixin:
    """Mix into a ModelAdmin: the change form carries the version the official opened.

    On save the version is compared with the stored one under a row lock (the admin saves in a
    transaction); when they differ the form is refused with CONFLICT_MESSAGE. A POST without
    the field (an old page) is not checked.
    """

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None):  # noqa: ANN201
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        if obj is None or obj.pk is None:
            return fieldsets
        return [*fieldsets, (None, {"fields": [RECORD_VERSION_FIELD], "classes": ["hidden"]})]

    def get_form(
        self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs
    ):  # noqa: ANN201, E501
        if obj is None or obj.pk is None:
            return super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]
        base = kwargs.get("form") or self.form  # type: ignore[attr-defined]

        class VersionedForm(base):  # type: ignore[misc, valid-type]
            record_version = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=record_version(obj)
            )

            def clean(self) -> dict:
                data = super().clean()
                seen = self.data.get(self.add_prefix(RECORD_VERSION_FIELD), "")
                if seen and self.instance.pk and seen != record_version_current(self.instance):
                    raise ValidationError(CONFLICT_MESSAGE, code="conflict")
                return data

        VersionedForm.__name__ = base.__name__
        kwargs["form"] = VersionedForm
        return super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]


class EntityScopedAdminMixin(OptimisticLockAdminMixin):
    """Mix into a ModelAdmin; `scope_field` is the lookup to the record's AdministrativeEntity.

    The list, the change form, the choice of the record's own entity and each object permission
    go through `entity_ids_for_official`, the one scoping selector.
    """

    scope_field: str = "entity"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        entity_ids = entity_ids_for_official(request.user)
        if entity_ids is None:
            return queryset
        return queryset.filter(**{f"{self.scope_field}__in": entity_ids})

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        # Only the field that places the record in an entity is limited: a reviewing body or a
        # parent may be another department's.
        if db_field.name == self.scope_field.split("__")[0]:
            entity_ids = entity_ids_for_official(request.user)
            if entity_ids is not None and db_field.related_model is AdministrativeEntity:
                kwargs["queryset"] = AdministrativeEntity.objects.filter(pk__in=entity_ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def _in_scope(self, request: HttpRequest, obj: Model | None) -> bool:
        entity_ids = entity_ids_for_official(request.user)
        if obj is None or entity_ids is None:
            return True
        *path, last = self.scope_field.split("__")
        target = obj
        for part in path:
            target = getattr(target, part)
        entity_id = target.pk if last == "pk" else getattr(target, f"{last}_id")
        return entity_id in entity_ids

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)  # type: ignore[misc]
        return allowed and self._in_scope(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)  # type: ignore[misc]
        return allowed and self._in_scope(request, obj)


@admin.register(EntityMembership)
class EntityMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "entity", "created_at"]
    list_select_related = ["user", "entity"]
    list_filter = ["entity"]
    search_fields = ["user__username", "entity__name"]
    autocomplete_fields = ["user"]
