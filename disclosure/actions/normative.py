"""Writes for normative-document filing (规范性文件审核备案).

submitted → legality review (合法性审查, by the legal-affairs office 法制办) → filed, or returned
for correction and then resubmitted. Each move checks permission, locks the filing, checks
`NORMATIVE_FILING_TRANSITIONS` and writes a `NormativeFilingEvent` in the same transaction.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from disclosure.actions.workflow import require_perm, workflow_event_record, workflow_move
from disclosure.exceptions import NotANormativeDocument
from disclosure.models.catalogue import CatalogueEntry
from disclosure.models.entities import AdministrativeEntity
from disclosure.models.normative import NormativeFiling, NormativeFilingEvent

User = AbstractBaseUser | AnonymousUser
Status = NormativeFiling.Status


def _record(*, filing: NormativeFiling, by: User, from_status: str, note: str) -> None:
    workflow_event_record(
        event_model=NormativeFilingEvent,
        record_field="filing",
        record=filing,
        by=by,
        from_status=from_status,
        note=note,
    )


def _filing_move(
    *, filing: NormativeFiling, by: User, to: str, note: str, values: dict | None = None
) -> NormativeFiling:
    """Move `filing` to `to` under lock, set `values`, and record the event."""
    return workflow_move(
        record=filing,
        to=to,
        by=by,
        note=note,
        event_model=NormativeFilingEvent,
        record_field="filing",
        values=values,
    )


def normative_filing_submit(
    *,
    entry: CatalogueEntry,
    by: User,
    filing_no: str = "",
    submitted_date: datetime.date,
    issue_date: datetime.date | None = None,
    note: str = "",
) -> NormativeFiling:
    """Submit a normative document for filing, or resubmit one that was returned for correction.

    The entry must be of genre `normative_document`. A first submission needs a filing number;
    a resubmission keeps it and records the new submission date.
    """
    require_perm(by, "disclosure.add_normativefiling")
    if entry.genre != CatalogueEntry.Genre.NORMATIVE_DOCUMENT:
        raise NotANormativeDocument()
    existing = NormativeFiling.objects.filter(entry=entry).first()
    if existing is not None:
        values: dict = {"submitted_date": submitted_date}
        if issue_date is not None:
            values["issue_date"] = issue_date
        return _filing_move(filing=existing, by=by, to=Status.SUBMITTED, note=note, values=values)
    if not filing_no.strip():
        raise ValueError(_("A filing number is required."))
    with transaction.atomic():
        filing = NormativeFiling.objects.create(
            entry=entry,
            filing_no=filing_no.strip(),
            submitted_date=submitted_date,
            issue_date=issue_date,
            status=Status.SUBMITTED,
        )
        _record(filing=filing, by=by, from_status="", note=note)
    return filing


def normative_filing_start_review(
    *,
    filing: NormativeFiling,
    by: User,
    reviewing_body: AdministrativeEntity | None = None,
    note: str = "",
) -> NormativeFiling:
    """Start the legality review (合法性审查) of a submitted filing, by the reviewing body."""
    require_perm(by, "disclosure.review_normativefiling")
    values = {"reviewing_body": reviewing_body} if reviewing_body is not None else {}
    return _filing_move(filing=filing, by=by, to=Status.IN_REVIEW, note=note, values=values)


def normative_filing_file(
    *, filing: NormativeFiling, by: User, filed_date: datetime.date, note: str = ""
) -> NormativeFiling:
    """Record that the reviewed document passed its legality review and is filed (准予备案)."""
    require_perm(by, "disclosure.review_normativefiling")
    return _filing_move(
        filing=filing, by=by, to=Status.FILED, note=note, values={"filed_date": filed_date}
    )


def normative_filing_return(*, filing: NormativeFiling, by: User, note: str) -> NormativeFiling:
    """Return a document under review for correction (责令改正); the reason is required."""
    require_perm(by, "disclosure.review_normativefiling")
    if not note.strip():
        raise ValueError(_("Say what must be corrected."))
    return _filing_move(filing=filing, by=by, to=Status.RETURNED, note=note)


def normative_filing_record_repeal(
    *, filing: NormativeFiling, by: User, repeal_date: datetime.date, note: str = ""
) -> NormativeFiling:
    """Record the date a filed document was repealed (废止); it then leaves the in-force count."""
    require_perm(by, "disclosure.change_normativefiling")
    with transaction.atomic():
        locked = NormativeFiling.objects.select_for_update().get(pk=filing.pk)
        if locked.issue_date is None or repeal_date < locked.issue_date:
            raise ValueError(_("A document is repealed on or after the day it was issued."))
        locked.repeal_date = repeal_date
        locked.save(update_fields=["repeal_date", "updated_at"])
        if not note:
            # The official record is kept in the portal's language, whatever the UI language.
            with translation.override(settings.LANGUAGE_CODE):
                note = _("Repealed on %(date)s.") % {"date": repeal_date.isoformat()}
        _record(filing=locked, by=by, from_status=locked.status, note=note)
    filing.repeal_date = locked.repeal_date
    return filing
