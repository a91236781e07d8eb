"""Writes to the government-information catalogue: one function per use case.

Workflow (see `TRANSITIONS` in disclosure/models/catalogue.py):

    draft --submit--> in_review --publish--> published --withdraw--> withdrawn
                      in_review --return---> draft

Each transition checks the actor's permission (`Meta.permissions` codenames, via `has_perm`)
and the entry's state, locks the entry, saves only what changed, writes a `CatalogueEntryEvent`
and queues its side effects (search indexing) with `transaction.on_commit`. Publication and
withdrawal also move the catalogue page's facet counts (disclosure.actions.catalogue_facets),
in the same transaction.
"""

import datetime
from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from disclosure.actions.catalogue_facets import (
    catalogue_entry_facet_contribution,
    catalogue_facet_counts_apply,
)
from disclosure.exceptions import (
    CatalogueEntryNotDraft,
    CatalogueSelfReview,
    TransitionNotAllowed,
)
from disclosure.images import FORMATS as IMAGE_FORMATS
from disclosure.images import image_without_metadata
from disclosure.models.catalogue import (
    TRANSITIONS,
    CatalogueAttachment,
    CatalogueEntry,
    CatalogueEntryEvent,
    IndexNumberSerial,
    attachment_content_type,
    validate_attachment_file,
)
from disclosure.models.entities import AdministrativeEntity
from disclosure.personal_data import (
    CONFIRMED_NOTE,
    REDACTED_NOTE,
    PersonalDataUnreviewed,
    catalogue_entry_findings,
    personal_data_redact,
)
from disclosure.sanitize import sanitize_html
from workdays.calendar import add_workdays

# Regulation on Open Government Information, Art 26: proactive information is published within
# 20 working days of being formed or changed.
PROACTIVE_PUBLICATION_WORKDAYS = 20

# The fields an official may set on a draft, in the order forms and imports show them;
# everything else is the workflow's.
EDITABLE_COLUMNS = (
    "title",
    "summary",
    "body",
    "publisher",
    "document_no",
    "formed_date",
    "topic",
    "genre",
    "keywords",
    "audience",
    "disclosure_mode",
    "exemption_reason",
    "scope",
    "art20_item",
    "validity",
    "valid_until",
)
EDITABLE_FIELDS = frozenset(EDITABLE_COLUMNS)
M2M_FIELDS = frozenset({"co_publishers", "amends", "repeals"})

Status = CatalogueEntry.Status


# --- helpers: permissions, state, side effects --------------------------------------------------


def _require_perm(by: AbstractBaseUser, codename: str, message: str) -> None:
    if not by.has_perm(f"disclosure.{codename}"):
        raise PermissionDenied(message)


def _require_transition(entry: CatalogueEntry, to_status: str) -> None:
    if to_status not in TRANSITIONS.get(entry.status, frozenset()):
        raise TransitionNotAllowed(
            obj=entry,
            from_status=Status(entry.status).label,
            to_status=Status(to_status).label,
        )


def _lock(entry: CatalogueEntry) -> CatalogueEntry:
    """Re-read the entry with a row lock; the caller's copy may be stale."""
    return CatalogueEntry.objects.select_for_update().get(pk=entry.pk)


def _record(
    *, entry: CatalogueEntry, by: AbstractBaseUser | None, from_status: str, note: str = ""
) -> CatalogueEntryEvent:
    return CatalogueEntryEvent.objects.create(
        entry=entry, actor=by, from_status=from_status, to_status=entry.status, note=note
    )


def _search_index_update(entry_ids: list[int]) -> None:
    """Hand published entries to the search index (disclosure.search), after commit."""
    from disclosure.search import search_index_update

    search_index_update(entry_ids)


def _search_index_remove(entry_ids: list[int]) -> None:
    """Take withdrawn entries out of the search index (disclosure.search), after commit."""
    from disclosure.search import search_index_remove

    search_index_remove(entry_ids)


def publication_due_for(
    *, formed_date: datetime.date, disclosure_mode: str
) -> datetime.date | None:
    """The last day to publish proactive information: 20 working days after it was formed.

    Regulation on Open Government Information, Art 26. Information disclosed on request or not
    disclosed has no publication deadline.
    """
    if disclosure_mode != CatalogueEntry.DisclosureMode.PROACTIVE:
        return None
    return add_workdays(formed_date, PROACTIVE_PUBLICATION_WORKDAYS)


def _check_fields(entry: CatalogueEntry) -> None:
    """Field rules that span fields; raised as field errors a form or serializer can show."""
    errors: dict[str, list[str]] = {}
    if not (entry.title or "").strip():
        errors.setdefault("title", []).append(_("A title is required."))
    if entry.disclosure_mode == CatalogueEntry.DisclosureMode.NOT_DISCLOSED:
        if not entry.exemption_reason:
            errors.setdefault("exemption_reason", []).append(
                _("Information that is not disclosed needs its legal reason (Art 14-16).")
            )
    elif entry.exemption_reason:
        errors.setdefault("exemption_reason", []).append(
            _("Only information that is not disclosed has a reason for not disclosing it.")
        )
    if entry.valid_until and entry.formed_date and entry.valid_until < entry.formed_date:
        errors.setdefault("valid_until", []).append(
            _("The end of validity cannot be before the date the document was formed.")
        )
    if entry.formed_date and entry.formed_date > timezone.localdate():
        errors.setdefault("formed_date", []).append(_("The date formed cannot be in the future."))
    if errors:
        raise ValidationError(errors)


def _set_m2m(entry: CatalogueEntry, values: Mapping[str, Any]) -> None:
    for name in M2M_FIELDS & set(values):
        related = list(values[name] or [])
        if name in ("amends", "repeals") and any(item.pk == entry.pk for item in related):
            raise ValidationError({name: [_("An entry cannot amend or repeal itself.")]})
        getattr(entry, name).set(related)


# --- drafts -------------------------------------------------------------------------------------


@transaction.atomic
def catalogue_entry_create(
    *,
    by: AbstractBaseUser,
    publisher: AdministrativeEntity,
    title: str,
    formed_date: datetime.date,
    fields: Mapping[str, Any] | None = None,
) -> CatalogueEntry:
    """Create a draft entry; `fields` holds any other editable field and the m2m relations.

    The body is sanitised (disclosure.sanitize); the publication deadline (Art 26: 20 working
    days after forming, for proactive information) is computed now and again whenever the
    formed date or disclosure mode changes.
    """
    _require_perm(
        by, "add_catalogueentry", _("You do not have permission to create catalogue entries.")
    )
    fields = dict(fields or {})
    unknown = set(fields) - EDITABLE_FIELDS - M2M_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    entry = CatalogueEntry(
        publisher=publisher,
        title=title,
        formed_date=formed_date,
        author=by,
        status=Status.DRAFT,
    )
    for name, value in fields.items():
        if name in EDITABLE_FIELDS:
            setattr(entry, name, value)
    entry.body = sanitize_html(entry.body or "")
    _check_fields(entry)
    entry.publication_due = publication_due_for(
        formed_date=entry.formed_date, disclosure_mode=entry.disclosure_mode
    )
    entry.save()
    _set_m2m(entry, fields)
    # The official record is kept in the portal's language, whatever the official's UI language.
    with translation.override(settings.LANGUAGE_CODE):
        note = _("Created")
    _record(entry=entry, by=by, from_status="", note=note)
    return entry


@transaction.atomic
def catalogue_entry_update(
    *, entry: CatalogueEntry, by: AbstractBaseUser, fields: Mapping[str, Any]
) -> CatalogueEntry:
    """Change a draft's fields. Only drafts change: an entry under review or published is fixed.

    To correct a published entry, withdraw it and publish a new one that amends it.
    """
    _require_perm(
        by, "change_catalogueentry", _("You do not have permission to edit catalogue entries.")
    )
    unknown = set(fields) - EDITABLE_FIELDS - M2M_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    entry = _lock(entry)
    if entry.status != Status.DRAFT:
        raise CatalogueEntryNotDraft(status_label=Status(entry.status).label)
    changed = [name for name in fields if name in EDITABLE_FIELDS]
    for name in changed:
        setattr(entry, name, fields[name])
    if "body" in changed:
        entry.body = sanitize_html(entry.body or "")
    _check_fields(entry)
    update_fields = list(changed)
    if {"formed_date", "disclosure_mode"} & set(changed):
        entry.publication_due = publication_due_for(
            formed_date=entry.formed_date, disclosure_mode=entry.disclosure_mode
        )
        update_fields.append("publication_due")
    if update_fields:
        entry.save(update_fields=[*update_fields, "updated_at"])
    _set_m2m(entry, fields)
    return entry


# --- workflow -----------------------------------------------------------------------------------


@transaction.atomic
def catalogue_entry_submit_for_review(
    *, entry: CatalogueEntry, by: AbstractBaseUser, note: str = ""
) -> CatalogueEntry:
    """Send a draft to confidentiality review (保密审查, Regulation Art 17)."""
    _require_perm(
        by, "change_catalogueentry", _("You do not have permission to submit catalogue entries.")
    )
    entry = _lock(entry)
    _require_transition(entry, Status.IN_REVIEW)
    from_status = entry.status
    entry.status = Status.IN_REVIEW
    entry.save(update_fields=["status", "updated_at"])
    _record(entry=entry, by=by, from_status=from_status, note=note)
    return entry


def _require_not_author(entry: CatalogueEntry, by: AbstractBaseUser) -> None:
    if entry.author_id is not None and entry.author_id == by.pk:
        raise CatalogueSelfReview


@transaction.atomic
def catalogue_entry_return(
    *, entry: CatalogueEntry, by: AbstractBaseUser, note: str
) -> CatalogueEntry:
    """Return an entry under review to its author as a draft, with a note saying why."""
    _require_perm(
        by, "review_catalogueentry", _("You do not have permission to review catalogue entries.")
    )
    if not (note or "").strip():
        raise ValidationError({"note": [_("Say why the entry is returned.")]})
    entry = _lock(entry)
    _require_transition(entry, Status.DRAFT)
    _require_not_author(entry, by)
    from_status = entry.status
    entry.status = Status.DRAFT
    entry.save(update_fields=["status", "updated_at"])
    _record(entry=entry, by=by, from_status=from_status, note=note)
    return entry


def _next_index_no(*, publisher: AdministrativeEntity, year: int) -> str:
    """Hand out the next index number (索引号) of a publisher and year: `PREFIX/YYYY-NNNNN`.

    The serial row is created race-free (insert, ignoring a conflict with a parallel insert)
    and then locked, so parallel publications wait for each other and get consecutive numbers.
    Numbers are never reused: the serial only grows.
    """
    IndexNumberSerial.objects.bulk_create(
        [IndexNumberSerial(publisher=publisher, year=year, last_value=0)],
        ignore_conflicts=True,
    )
    serial = IndexNumberSerial.objects.select_for_update().get(publisher=publisher, year=year)
    serial.last_value += 1
    serial.save(update_fields=["last_value"])
    return f"{publisher.index_prefix}/{year:04d}-{serial.last_value:05d}"


@transaction.atomic
def catalogue_entry_publish(
    *,
    entry: CatalogueEntry,
    by: AbstractBaseUser,
    note: str = "",
    published_date: datetime.date | None = None,
) -> CatalogueEntry:
    """Pass the confidentiality review and publish: assign the index number, flag lateness.

    The reviewer must not be the entry's author. Text that looks like personal data (resident
    ID, mobile or bank-card numbers: `disclosure.personal_data`) blocks publication until a
    reviewer redacts it or confirms it is none (PersonalDataUnreviewed).

    `published_date` defaults to today; an earlier date is only for recording publications
    made before the portal existed, and may not precede the date formed. Proactive
    information published after its deadline (Art 26) is flagged `published_late`. Entries
    this one repeals become "repealed".
    """
    _require_perm(
        by,
        "publish_catalogueentry",
        _("You do not have permission to publish catalogue entries."),
    )
    entry = _lock(entry)
    _require_transition(entry, Status.PUBLISHED)
    _require_not_author(entry, by)
    findings = catalogue_entry_findings(entry)
    if findings and not catalogue_entry_personal_data_cleared(entry):
        raise PersonalDataUnreviewed(findings)
    today = timezone.localdate()
    published_date = published_date or today
    if published_date > today or published_date < entry.formed_date:
        raise ValidationError(
            {
                "published_date": [
                    _("The publication date must lie between the date formed and today.")
                ]
            }
        )
    publisher = AdministrativeEntity.objects.get(pk=entry.publisher_id)
    from_status = entry.status
    entry.index_no = entry.index_no or _next_index_no(publisher=publisher, year=published_date.year)
    entry.status = Status.PUBLISHED
    entry.published_date = published_date
    entry.reviewed_by = by
    entry.reviewed_at = timezone.now()
    entry.published_late = bool(entry.publication_due and published_date > entry.publication_due)
    entry.save(
        update_fields=[
            "index_no",
            "status",
            "published_date",
            "reviewed_by",
            "reviewed_at",
            "published_late",
            "updated_at",
        ]
    )
    _record(entry=entry, by=by, from_status=from_status, note=note)
    before = Counter()
    after = catalogue_entry_facet_contribution(entry)
    repealed = list(
        entry.repeals.select_for_update()
        .filter(status=Status.PUBLISHED)
        .exclude(validity=CatalogueEntry.Validity.REPEALED)
    )
    for old in repealed:
        before += catalogue_entry_facet_contribution(old)
        old.validity = CatalogueEntry.Validity.REPEALED
        old.save(update_fields=["validity", "updated_at"])
        after += catalogue_entry_facet_contribution(old)
    # The catalogue page's facet counts (disclosure.actions.catalogue_facets), same transaction.
    catalogue_facet_counts_apply(before=before, after=after)
    entry_ids = [entry.pk, *(old.pk for old in repealed)]
    transaction.on_commit(lambda: _search_index_update(entry_ids))
    return entry


@transaction.atomic
def catalogue_entry_withdraw(
    *, entry: CatalogueEntry, by: AbstractBaseUser, reason: str
) -> CatalogueEntry:
    """Withdraw a published entry, with the reason the public will read on its page.

    The entry keeps its URL and index number (never reused); its page shows the withdrawal
    notice instead of the body, and it leaves the list, search, feeds, sitemap and API.
    """
    _require_perm(
        by,
        "withdraw_catalogueentry",
        _("You do not have permission to withdraw catalogue entries."),
    )
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the entry is withdrawn.")]})
    entry = _lock(entry)
    _require_transition(entry, Status.WITHDRAWN)
    before = catalogue_entry_facet_contribution(entry)
    from_status = entry.status
    entry.status = Status.WITHDRAWN
    entry.withdrawn_reason = reason.strip()
    entry.withdrawn_at = timezone.now()
    entry.save(update_fields=["status", "withdrawn_reason", "withdrawn_at", "updated_at"])
    _record(entry=entry, by=by, from_status=from_status, note=reason.strip())
    catalogue_facet_counts_apply(before=before, after=catalogue_entry_facet_contribution(entry))
    entry_ids = [entry.pk]
    transaction.on_commit(lambda: _search_index_remove(entry_ids))
    return entry


# --- the personal-data gate ---------------------------------------------------------------------


def catalogue_entry_personal_data_cleared(entry: CatalogueEntry) -> bool:
    """Whether a reviewer confirmed "no personal data" since the entry was last submitted.

    Only drafts change, so a confirmation made during the current review covers the text that
    is about to be published; returning the entry to its author and resubmitting it asks again.
    """
    events = CatalogueEntryEvent.objects.filter(entry=entry)
    submitted = (
        events.filter(to_status=Status.IN_REVIEW)
        .exclude(from_status=Status.IN_REVIEW)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return events.filter(
        from_status=Status.IN_REVIEW,
        to_status=Status.IN_REVIEW,
        note__startswith=CONFIRMED_NOTE,
        id__gt=submitted or 0,
    ).exists()


def _findings_note(prefix: str, findings: list, note: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        listed = "；".join(f"{f.where} {f.kind_label} {f.masked}" for f in findings)
    return "。".join(part for part in (prefix, listed, (note or "").strip()) if part)


def _require_personal_data_reviewer(entry: CatalogueEntry, by: AbstractBaseUser) -> None:
    _require_perm(
        by,
        "publish_catalogueentry",
        _("You do not have permission to review personal data in catalogue entries."),
    )
    if entry.status != Status.IN_REVIEW:
        raise TransitionNotAllowed(
            obj=entry, from_status=Status(entry.status).label, to_status=Status.IN_REVIEW.label
        )
    _require_not_author(entry, by)


@transaction.atomic
def catalogue_entry_confirm_no_personal_data(
    *, entry: CatalogueEntry, by: AbstractBaseUser, note: str = ""
) -> CatalogueEntry:
    """A reviewer confirms that what the scanner found is no personal data: publication may go on.

    The decision, the reviewer and the masked findings are an event in the entry's history.
    """
    entry = _lock(entry)
    _require_personal_data_reviewer(entry, by)
    findings = catalogue_entry_findings(entry)
    _record(
        entry=entry,
        by=by,
        from_status=entry.status,
        note=_findings_note(CONFIRMED_NOTE, findings, note),
    )
    return entry


@transaction.atomic
def catalogue_entry_redact_personal_data(
    *, entry: CatalogueEntry, by: AbstractBaseUser, note: str = ""
) -> CatalogueEntry:
    """A reviewer masks every number found in the entry's text (all but 2 digits starred).

    Title, summary, body and keywords are masked in place and the masking is an event in the
    entry's history. Attachments are files and are not changed: if they still show personal
    data, the reviewer returns the entry to its author or confirms.
    """
    entry = _lock(entry)
    _require_personal_data_reviewer(entry, by)
    findings = catalogue_entry_findings(entry)
    changed = []
    for name in ("title", "summary", "body", "keywords", "document_no"):
        before = getattr(entry, name) or ""
        after = personal_data_redact(before)
        if after != before:
            setattr(entry, name, after)
            changed.append(name)
    if changed:
        entry.save(update_fields=[*changed, "updated_at"])
    _record(
        entry=entry,
        by=by,
        from_status=entry.status,
        note=_findings_note(REDACTED_NOTE, findings, note),
    )
    return entry


# --- attachments --------------------------------------------------------------------------------


@transaction.atomic
def catalogue_attachment_add(
    *, entry: CatalogueEntry, by: AbstractBaseUser, file: File, title: str = ""
) -> CatalogueAttachment:
    """Attach a file to a draft, after checking its size and what its content really is.

    The type comes from the file's first bytes (PDF, DOC/XLS, DOCX/XLSX, OFD, PNG, JPEG); a
    file whose name claims one type and whose content is another is refused, and nothing is
    stored.
    """
    _require_perm(
        by, "change_catalogueentry", _("You do not have permission to edit catalogue entries.")
    )
    entry = _lock(entry)
    if entry.status != Status.DRAFT:
        raise CatalogueEntryNotDraft(status_label=Status(entry.status).label)
    try:
        validate_attachment_file(file)
        content_type = attachment_content_type(file) or ""
        if content_type in IMAGE_FORMATS:  # images keep their pixels only (no EXIF, no GPS)
            file = ContentFile(
                image_without_metadata(file, content_type), name=getattr(file, "name", "")
            )
    except ValidationError as error:
        raise ValidationError({"file": error.error_list}) from error
    name = getattr(file, "name", "") or "attachment"
    attachment = CatalogueAttachment(
        entry=entry,
        title=(title or "").strip() or name.rsplit("/", 1)[-1],
        content_type=content_type,
        size=file.size or 0,
        sort_order=entry.attachments.count(),
    )
    attachment.file.save(name.rsplit("/", 1)[-1], file, save=False)
    # Should the row fail to save, the stored file goes too.
    saved_name = attachment.file.name
    try:
        attachment.save()
    except Exception:
        attachment.file.storage.delete(saved_name)
        raise
    return attachment


@transaction.atomic
def catalogue_attachment_remove(*, attachment: CatalogueAttachment, by: AbstractBaseUser) -> None:
    """Remove an attachment from a draft and delete its file once the removal is committed."""
    _require_perm(
        by, "change_catalogueentry", _("You do not have permission to edit catalogue entries.")
    )
    entry = _lock(attachment.entry)
    if entry.status != Status.DRAFT:
        raise CatalogueEntryNotDraft(status_label=Status(entry.status).label)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
