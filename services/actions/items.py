"""Writes to service items (办事指南), their materials, windows and consultation counts."""

import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from disclosure.actions.workflow import require_perm
from services.actions.summaries import statistics_cache_bump
from services.models import ConsultationCount, ServiceItem, ServiceMaterial, ServiceWindow

User = AbstractBaseUser | AnonymousUser
MANAGE = "services.manage_serviceitem"


def service_item_validate(item: ServiceItem) -> None:
    """Field errors for an item: the committed limit may not exceed the statutory one.

    The database refuses it as well (`serviceitem_committed_le_statutory`); this gives the
    official a clear message on the field first.
    """
    errors: dict[str, str] = {}
    if (
        item.committed_days is not None
        and item.statutory_days is not None
        and item.committed_days > item.statutory_days
    ):
        errors["committed_days"] = _(
            "The committed time limit (%(committed)s working days) cannot exceed the statutory "
            "one (%(statutory)s working days)."
        ) % {"committed": item.committed_days, "statutory": item.statutory_days}
    if not item.is_free and not (item.fee_basis or "").strip():
        errors["fee_basis"] = _("A fee needs its legal basis (行政许可法 §58), or mark it free.")
    if errors:
        raise ValidationError(errors)
    item.full_clean()


def service_item_create(
    *, by: User, materials: list[dict[str, Any]] | None = None, **fields: Any
) -> ServiceItem:
    """Create an item and its materials; refuses a commitment beyond the statutory limit."""
    require_perm(by, MANAGE)
    item = ServiceItem(**fields)
    service_item_validate(item)
    with transaction.atomic():
        item.save()
        for position, material in enumerate(materials or []):
            ServiceMaterial.objects.create(item=item, sort_order=position, **material)
    return item


def service_item_update(*, item: ServiceItem, by: User, **fields: Any) -> ServiceItem:
    """Change an item's guide; running cases keep the commitment they were received under."""
    require_perm(by, MANAGE)
    with transaction.atomic():
        locked = ServiceItem.objects.select_for_update().get(pk=item.pk)
        for name, value in fields.items():
            setattr(locked, name, value)
        service_item_validate(locked)
        locked.save(update_fields=[*fields, "updated_at"])
    for name in [*fields, "updated_at"]:
        setattr(item, name, getattr(locked, name))
    return item


def service_window_set_items(
    *, window: ServiceWindow, items: list[ServiceItem], by: User
) -> ServiceWindow:
    """Set the items a window handles."""
    require_perm(by, MANAGE)
    window.items.set(items)
    return window


def consultation_count_add(
    *, item: ServiceItem, on: datetime.date, count: int = 1, by: User
) -> ConsultationCount:
    """Add `count` consultations (咨询) about `item` on day `on` (one row per item and day)."""
    require_perm(by, "services.handle_servicecase")
    if count < 1:
        raise ValidationError({"count": _("Count at least one consultation.")})
    with transaction.atomic():
        row, created = ConsultationCount.objects.select_for_update().get_or_create(
            item=item, date=on, defaults={"count": count}
        )
        if not created:
            # Locked above: saved through the model, so the history has the change too.
            row.count += count
            row.save(update_fields=["count"])
        statistics_cache_bump()  # the statistics count consultations straight from these rows
    return row
