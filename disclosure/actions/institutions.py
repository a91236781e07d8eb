"""Writes for public institutions' disclosures: one function per use case.

Who may write: a user with the model permission (`disclosure.change_…`, `disclosure.publish_…`)
AND the institution in their scope (`institution_ids_for_official`: the institution's own
account, or an official of its supervising department). Items and fees move
draft → published → withdrawn → draft (`PUBLISH_TRANSITIONS`) through `workflow_move`, with a
history row each; every field change is also in django-simple-history.

Basis: Regulation on Open Government Information, Art 55; the seed's 公用事业单位办事公开 and its
治理"三乱" review (no fee without a basis in law, regulation or rules).
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from disclosure.actions.workflow import require_perm, workflow_move
from disclosure.models.entities import AdministrativeEntity
from disclosure.models.institutions import (
    DisclosureItemKind,
    FeeItem,
    FeeItemEvent,
    InstitutionDisclosure,
    InstitutionDisclosureEvent,
    PublicInstitution,
    PublishStatus,
    Sector,
    SectorRequirement,
    fee_item_check,
)
from disclosure.sanitize import sanitize_html
from disclosure.selectors.institutions import institution_in_scope

User = AbstractBaseUser | AnonymousUser

DEFAULT_REVIEW_INTERVAL_DAYS = 365

# The fields an official may set, in the order forms and imports show them.
INSTITUTION_COLUMNS = (
    "name",
    "sector",
    "supervising_department",
    "address",
    "hours",
    "phone",
    "supervision_phone",
    "website",
    "latitude",
    "longitude",
    "is_active",
)
INSTITUTION_FIELDS = frozenset(INSTITUTION_COLUMNS)
FEE_COLUMNS = (
    "name",
    "category",
    "amount_min",
    "amount_max",
    "unit",
    "legal_basis",
    "approval_document",
    "valid_from",
    "valid_to",
)
FEE_FIELDS = frozenset(FEE_COLUMNS)


def _require_scope(*, by: User, institution: PublicInstitution) -> None:
    if not institution_in_scope(user=by, institution=institution):
        raise PermissionDenied(_("You do not keep this institution's records."))


# --- institutions -------------------------------------------------------------------------------


def _check_institution(institution: PublicInstitution) -> None:
    institution.full_clean(validate_unique=True, validate_constraints=True)


@transaction.atomic
def institution_create(
    *,
    by: User,
    name: str,
    sector: Sector,
    supervising_department: AdministrativeEntity,
    fields: Mapping[str, Any] | None = None,
) -> PublicInstitution:
    """Register a public institution under a sector and a supervising department.

    Only an official whose department scope includes `supervising_department` (or a district
    administrator) may register one there.
    """
    require_perm(by, "disclosure.add_publicinstitution")
    from disclosure.selectors.memberships import entity_ids_for_official

    entity_ids = entity_ids_for_official(by)
    if entity_ids is not None and supervising_department.pk not in entity_ids:
        raise PermissionDenied(_("You cannot register institutions for another department."))
    fields = dict(fields or {})
    unknown = set(fields) - INSTITUTION_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    institution = PublicInstitution(
        name=name, sector=sector, supervising_department=supervising_department, **fields
    )
    _check_institution(institution)
    institution.save()
    return institution


@transaction.atomic
def institution_update(
    *, by: User, institution: PublicInstitution, values: Mapping[str, Any]
) -> PublicInstitution:
    """Change an institution's particulars (contacts, hours, phones, coordinates …)."""
    require_perm(by, "disclosure.change_publicinstitution")
    _require_scope(by=by, institution=institution)
    unknown = set(values) - INSTITUTION_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    locked = PublicInstitution.objects.select_for_update().get(pk=institution.pk)
    for name, value in values.items():
        setattr(locked, name, value)
    _check_institution(locked)
    if "supervising_department" in values:
        from disclosure.selectors.memberships import entity_ids_for_official

        entity_ids = entity_ids_for_official(by)
        if entity_ids is not None and locked.supervising_department_id not in entity_ids:
            raise PermissionDenied(_("You cannot move an institution to another department."))
    locked.save(update_fields=[*sorted(values), "updated_at"])
    for name in values:
        setattr(institution, name, getattr(locked, name))
    return locked


# --- sector checklists (data) ----------------------------------------------------------------


@transaction.atomic
def sector_requirement_set(
    *, by: User, sector: Sector, kind: DisclosureItemKind, review_interval_days: int
) -> SectorRequirement:
    """Require `kind` of every institution of `sector`, reviewed every `review_interval_days`."""
    require_perm(by, "disclosure.change_sector")
    if review_interval_days < 1:
        raise ValidationError(
            {"review_interval_days": [_("The review interval must be at least one day.")]}
        )
    requirement, _created = SectorRequirement.objects.update_or_create(
        sector=sector, kind=kind, defaults={"review_interval_days": review_interval_days}
    )
    return requirement


# --- disclosure items -----------------------------------------------------------------------


def review_interval_for(*, institution: PublicInstitution, kind: DisclosureItemKind) -> int:
    """The sector checklist's review interval for `kind`, or a year if the sector has none."""
    interval = (
        SectorRequirement.objects.filter(sector_id=institution.sector_id, kind=kind)
        .values_list("review_interval_days", flat=True)
        .first()
    )
    return interval or DEFAULT_REVIEW_INTERVAL_DAYS


@transaction.atomic
def institution_disclosure_save(
    *,
    by: User,
    institution: PublicInstitution,
    kind: DisclosureItemKind,
    content: str,
    last_updated: datetime.date | None = None,
    next_review_due: datetime.date | None = None,
) -> InstitutionDisclosure:
    """Write (create or update) the institution's item of `kind`; content is sanitised.

    `last_updated` defaults to today (Asia/Shanghai); `next_review_due` to `last_updated` plus the
    sector checklist's review interval. A published item stays published: its update is live.
    """
    require_perm(by, "disclosure.change_institutiondisclosure")
    _require_scope(by=by, institution=institution)
    last_updated = last_updated or timezone.localdate()
    if next_review_due is None:
        next_review_due = last_updated + datetime.timedelta(
            days=review_interval_for(institution=institution, kind=kind)
        )
    errors: dict[str, list[str]] = {}
    clean = sanitize_html(content or "").strip()
    if not clean:
        errors["content"] = [_("The item needs some content.")]
    if next_review_due < last_updated:
        errors["next_review_due"] = [_("The next review cannot be before the last update.")]
    if errors:
        raise ValidationError(errors)
    item = (
        InstitutionDisclosure.objects.select_for_update()
        .filter(institution=institution, kind=kind)
        .first()
    )
    if item is None:
        return InstitutionDisclosure.objects.create(
            institution=institution,
            kind=kind,
            content=clean,
            last_updated=last_updated,
            next_review_due=next_review_due,
        )
    item.content = clean
    item.last_updated = last_updated
    item.next_review_due = next_review_due
    item.save(update_fields=["content", "last_updated", "next_review_due", "updated_at"])
    return item


def _move_item(
    *, by: User, item: InstitutionDisclosure, to: str, note: str
) -> InstitutionDisclosure:
    require_perm(by, "disclosure.publish_institutiondisclosure")
    _require_scope(by=by, institution=item.institution)
    return workflow_move(
        record=item,
        to=to,
        by=by,
        note=note,
        event_model=InstitutionDisclosureEvent,
        record_field="disclosure",
    )


def institution_disclosure_publish(
    *, by: User, item: InstitutionDisclosure, note: str = ""
) -> InstitutionDisclosure:
    """Publish a draft item on the institution's public page."""
    with translation.override(settings.LANGUAGE_CODE):
        note = note or _("Published.")
    return _move_item(by=by, item=item, to=PublishStatus.PUBLISHED, note=note)


def institution_disclosure_withdraw(
    *, by: User, item: InstitutionDisclosure, note: str
) -> InstitutionDisclosure:
    """Withdraw a published item (it counts as missing again); a reason is required."""
    if not note.strip():
        raise ValidationError({"note": [_("Give the reason for withdrawing the item.")]})
    return _move_item(by=by, item=item, to=PublishStatus.WITHDRAWN, note=note)


def institution_disclosure_redraft(
    *, by: User, item: InstitutionDisclosure, note: str = ""
) -> InstitutionDisclosure:
    """Take a withdrawn item back to draft to correct it."""
    with translation.override(settings.LANGUAGE_CODE):
        note = note or _("Returned to draft.")
    return _move_item(by=by, item=item, to=PublishStatus.DRAFT, note=note)


# --- fees -----------------------------------------------------------------------------------------


def _as_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


@transaction.atomic
def fee_item_create(
    *, by: User, institution: PublicInstitution, values: Mapping[str, Any]
) -> FeeItem:
    """Add a draft fee to the institution's fee table; amounts ≥ 0, valid_to ≥ valid_from."""
    require_perm(by, "disclosure.add_feeitem")
    _require_scope(by=by, institution=institution)
    unknown = set(values) - FEE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    fee = FeeItem(institution=institution, status=PublishStatus.DRAFT, **values)
    fee.amount_min = _as_decimal(fee.amount_min)
    fee.amount_max = _as_decimal(fee.amount_max)
    fee.full_clean()
    fee.save()
    return fee


@transaction.atomic
def fee_item_update(*, by: User, fee: FeeItem, values: Mapping[str, Any]) -> FeeItem:
    """Change a fee; a published fee must keep its basis (the constraint says so too)."""
    require_perm(by, "disclosure.change_feeitem")
    _require_scope(by=by, institution=fee.institution)
    unknown = set(values) - FEE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    locked = FeeItem.objects.select_for_update().get(pk=fee.pk)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.amount_min = _as_decimal(locked.amount_min)
    locked.amount_max = _as_decimal(locked.amount_max)
    locked.full_clean()
    locked.save(update_fields=[*sorted(values), "updated_at"])
    return locked


def _move_fee(*, by: User, fee: FeeItem, to: str, note: str) -> FeeItem:
    require_perm(by, "disclosure.publish_feeitem")
    _require_scope(by=by, institution=fee.institution)
    return workflow_move(
        record=fee, to=to, by=by, note=note, event_model=FeeItemEvent, record_field="fee"
    )


def fee_item_publish(*, by: User, fee: FeeItem, note: str = "") -> FeeItem:
    """Publish a draft fee. A fee without a legal basis or approval document is refused
    (治理"三乱": a fee without a basis in law, regulation or rules is cancelled)."""
    fee.refresh_from_db()
    if not fee.has_basis:
        raise ValidationError(
            {
                "legal_basis": [
                    _("A fee without a legal basis or approval document cannot be published.")
                ]
            }
        )
    fee_item_check(fee)
    with translation.override(settings.LANGUAGE_CODE):
        note = note or _("Published.")
    return _move_fee(by=by, fee=fee, to=PublishStatus.PUBLISHED, note=note)


def fee_item_withdraw(*, by: User, fee: FeeItem, note: str) -> FeeItem:
    """Withdraw a published fee (e.g. cancelled in the self-inspection); a reason is required."""
    if not note.strip():
        raise ValidationError({"note": [_("Give the reason for withdrawing the fee.")]})
    return _move_fee(by=by, fee=fee, to=PublishStatus.WITHDRAWN, note=note)


def fee_item_redraft(*, by: User, fee: FeeItem, note: str = "") -> FeeItem:
    """Take a withdrawn fee back to draft to correct it."""
    with translation.override(settings.LANGUAGE_CODE):
        note = note or _("Returned to draft.")
    return _move_fee(by=by, fee=fee, to=PublishStatus.DRAFT, note=note)
