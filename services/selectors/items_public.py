"""Reads of service items for the public: the guide list with search, an item with its record."""

from django.db.models import Prefetch, Q, QuerySet

from services.models import ServiceItem, ServiceMaterial, ServiceWindow


def service_item_public_queryset() -> QuerySet[ServiceItem]:
    """Published items, the only ones the public (pages and API) may see."""
    return ServiceItem.objects.filter(is_published=True)


def service_item_public_list(
    *, q: str = "", entity_id: int | None = None, kind: str = ""
) -> QuerySet[ServiceItem]:
    """Published items filtered by department, type and a search in name and codes."""
    items = service_item_public_queryset().select_related("entity", "joint_lead_entity")
    if entity_id is not None:
        items = items.filter(entity_id=entity_id)
    if kind:
        items = items.filter(kind=kind)
    if q:
        items = items.filter(
            Q(name__icontains=q) | Q(basic_code__icontains=q) | Q(implementation_code__icontains=q)
        )
    return items.order_by("entity__sort_order", "entity__name", "basic_code", "id")


def service_item_public_detail_queryset() -> QuerySet[ServiceItem]:
    """Published items with what their guide page shows: materials and windows."""
    return (
        service_item_public_queryset()
        .select_related("entity", "joint_lead_entity")
        .prefetch_related(
            Prefetch("materials", queryset=ServiceMaterial.objects.order_by("sort_order", "id")),
            Prefetch("windows", queryset=ServiceWindow.objects.filter(is_active=True)),
        )
    )


def service_item_departments() -> QuerySet:
    """The departments that have published items (for the filter), in directory order."""
    from disclosure.models import AdministrativeEntity

    return (
        AdministrativeEntity.objects.filter(service_items__is_published=True)
        .distinct()
        .order_by("sort_order", "name")
    )
