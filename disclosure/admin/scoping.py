"""Department scoping in the admin: officials see and change only their entities' records."""

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from disclosure.models import AdministrativeEntity, EntityMembership
from disclosure.selectors.memberships import entity_ids_for_official


class EntityScopedAdminMixin:
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
