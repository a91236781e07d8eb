"""Writes for administrative entities: the review workflow (审核 → 确认 → 公示) and guides.

Every action checks the official's permission, locks the row it changes, checks the move
against `ENTITY_TRANSITIONS`, saves only the fields it changes and writes an
`AdministrativeEntityEvent` in the same transaction. Views, the admin and the demo call these.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.actions.workflow import require_perm, workflow_move
from disclosure.exceptions import InvalidAnnouncementPeriod, TransitionNotAllowed
from disclosure.models.entities import (
    AdministrativeEntity,
    AdministrativeEntityEvent,
    DisclosureGuide,
)
from disclosure.sanitize import sanitize_html

User = AbstractBaseUser | AnonymousUser
Status = AdministrativeEntity.Status


def _entity_move(
    *,
    entity: AdministrativeEntity,
    by: User,
    to: str,
    note: str,
    permission: str,
    values: dict | None = None,
) -> AdministrativeEntity:
    """Check `permission`, then move `entity` to status `to` and record the event."""
    require_perm(by, permission)
    return workflow_move(
        record=entity,
        to=to,
        by=by,
        note=note,
        event_model=AdministrativeEntityEvent,
        record_field="entity",
        values=values,
    )


def entity_submit(
    *, entity: AdministrativeEntity, by: User, note: str = ""
) -> AdministrativeEntity:
    """Submit a draft entity for review (报送审核) by the organisation and legal offices."""
    return _entity_move(
        entity=entity,
        by=by,
        to=Status.SUBMITTED,
        note=note,
        permission="disclosure.change_administrativeentity",
    )


def entity_return(*, entity: AdministrativeEntity, by: User, note: str) -> AdministrativeEntity:
    """Return a submitted or reviewed entity to its drafter for correction; a reason is required."""
    if not note.strip():
        raise ValueError(_("Say why the entity is returned for correction."))
    return _entity_move(
        entity=entity,
        by=by,
        to=Status.DRAFT,
        note=note,
        permission="disclosure.review_administrativeentity",
    )


def entity_review(
    *, entity: AdministrativeEntity, by: User, note: str = ""
) -> AdministrativeEntity:
    """Record that the entity's status as an administrative entity has been reviewed (审核)."""
    return _entity_move(
        entity=entity,
        by=by,
        to=Status.REVIEWED,
        note=note,
        permission="disclosure.review_administrativeentity",
    )


def entity_confirm(
    *, entity: AdministrativeEntity, by: User, note: str = ""
) -> AdministrativeEntity:
    """Confirm (确认) a reviewed entity's qualification as an administrative entity."""
    return _entity_move(
        entity=entity,
        by=by,
        to=Status.CONFIRMED,
        note=note,
        permission="disclosure.confirm_administrativeentity",
    )


def entity_announce(
    *,
    entity: AdministrativeEntity,
    by: User,
    note: str = "",
    start: datetime.date,
    end: datetime.date,
) -> AdministrativeEntity:
    """Announce (公示) a confirmed entity to the public for the period `start`..`end`.

    From then on the entity is public: its page, guide and enforcement lists are shown, and the
    公示 page lists it while the period runs.
    """
    if end < start:
        raise InvalidAnnouncementPeriod()
    return _entity_move(
        entity=entity,
        by=by,
        to=Status.ANNOUNCED,
        note=note,
        permission="disclosure.announce_administrativeentity",
        values={"announcement_start": start, "announcement_end": end},
    )


def entity_revoke(*, entity: AdministrativeEntity, by: User, note: str) -> AdministrativeEntity:
    """Revoke a confirmed or announced entity's qualification; it leaves every public page."""
    if not note.strip():
        raise ValueError(_("Say why the entity's qualification is revoked."))
    return _entity_move(
        entity=entity,
        by=by,
        to=Status.REVOKED,
        note=note,
        permission="disclosure.revoke_administrativeentity",
    )


def guide_draft_create(*, entity: AdministrativeEntity, by: User, body: str) -> DisclosureGuide:
    """Start a new draft version of an entity's disclosure guide, numbered after the last one."""
    require_perm(by, "disclosure.add_disclosureguide")
    with transaction.atomic():
        # Locking the entity serialises version numbering for its guides.
        AdministrativeEntity.objects.select_for_update().only("pk").get(pk=entity.pk)
        last = DisclosureGuide.objects.filter(entity=entity).aggregate(last=Max("version"))["last"]
        return DisclosureGuide.objects.create(
            entity=entity, version=(last or 0) + 1, body=sanitize_html(body)
        )


def guide_draft_update(*, guide: DisclosureGuide, by: User, body: str) -> DisclosureGuide:
    """Change a draft guide's text; a published or superseded version is never changed."""
    require_perm(by, "disclosure.change_disclosureguide")
    with transaction.atomic():
        locked = DisclosureGuide.objects.select_for_update().get(pk=guide.pk)
        if locked.status != DisclosureGuide.Status.DRAFT:
            raise TransitionNotAllowed(
                obj=locked, from_status=locked.status, to_status=DisclosureGuide.Status.DRAFT
            )
        locked.body = sanitize_html(body)
        locked.save(update_fields=["body"])
    guide.body = locked.body
    return guide


def guide_publish(*, guide: DisclosureGuide, by: User) -> DisclosureGuide:
    """Publish a draft guide version; the entity's previously published version is superseded.

    Regulation Art 12: the guide must be kept current. Every published version is kept, so a
    citizen can see which guide applied on a given day; one version per entity is current (a
    database constraint says so).
    """
    require_perm(by, "disclosure.publish_disclosureguide")
    with transaction.atomic():
        AdministrativeEntity.objects.select_for_update().only("pk").get(pk=guide.entity_id)
        locked = DisclosureGuide.objects.select_for_update().get(pk=guide.pk)
        if locked.status != DisclosureGuide.Status.DRAFT:
            raise TransitionNotAllowed(
                obj=locked, from_status=locked.status, to_status=DisclosureGuide.Status.PUBLISHED
            )
        for previous in DisclosureGuide.objects.select_for_update().filter(
            entity_id=locked.entity_id, status=DisclosureGuide.Status.PUBLISHED
        ):
            previous.status = DisclosureGuide.Status.SUPERSEDED
            previous.save(update_fields=["status"])
        locked.status = DisclosureGuide.Status.PUBLISHED
        locked.body = sanitize_html(locked.body)
        locked.published_at = timezone.now()
        locked.published_by = by if by.is_authenticated else None
        locked.save(update_fields=["status", "body", "published_at", "published_by"])
    for field in ("status", "body", "published_at", "published_by"):
        setattr(guide, field, getattr(locked, field))
    return guide
