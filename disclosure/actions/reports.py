"""Writes for the annual report: create a draft, update the office's inputs, publish, withdraw."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from disclosure.actions.workflow import User, require_perm, workflow_move
from disclosure.models.entities import AdministrativeEntity
from disclosure.models.reports import AnnualReport, AnnualReportEvent
from disclosure.selectors.reports import (
    report_checks,
    report_format_for_year,
    report_previous_tables,
    report_tables,
)

PUBLISH = "disclosure.publish_annualreport"

# Table 二 inputs only the 2019 trial format has (reports on 2019 and 2020).
FORMAT_2019_FIELDS = (
    "licensing_items_last_year",
    "licensing_items_change",
    "other_services_items_last_year",
    "other_services_items_change",
    "other_services_decisions",
    "penalty_items_last_year",
    "penalty_items_change",
    "coercion_items_last_year",
    "coercion_items_change",
    "fee_items_last_year",
    "fee_items_change",
    "procurement_projects",
    "procurement_amount",
)
DECIMAL_FIELDS = ("fees_collected", "procurement_amount")

INPUT_FIELDS = (
    "section_overview",
    "section_problems",
    "section_other",
    "rules_issued",
    "rules_repealed",
    "rules_in_force",
    "licensing_decisions",
    "penalty_decisions",
    "coercion_decisions",
    "fees_collected",
    *FORMAT_2019_FIELDS,
)


def report_generate(*, entity: AdministrativeEntity | None, year: int, by: User) -> AnnualReport:
    """The year's draft report for an entity (None = the district), created if missing.

    The format follows the year (`report_format_for_year`); an unsupported year is a
    ValidationError, never a 500.
    """
    require_perm(by, PUBLISH)
    try:
        version = report_format_for_year(year)
    except ValueError as error:
        raise ValidationError({"year": str(error)}) from None
    with transaction.atomic():
        report, created = AnnualReport.objects.get_or_create(
            entity=entity, year=year, defaults={"template_version": version}
        )
        if created:
            with translation.override(settings.LANGUAGE_CODE):
                note = _("Report drafted in the %(version)s format.") % {"version": version}
            AnnualReportEvent.objects.create(
                report=report, actor=by, from_status="", to_status=report.status, note=note
            )
    return report


def report_inputs_update(*, report: AnnualReport, by: User, values: dict[str, Any]) -> AnnualReport:
    """Set the office's inputs: free-text sections 一/五/六 and the figures not modelled here."""
    require_perm(by, PUBLISH)
    unknown = set(values) - set(INPUT_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown report fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != AnnualReport.Status.DRAFT:
            raise ValidationError(_("Withdraw the published report before changing it."))
        for field, value in values.items():
            if field.startswith("section_"):
                value = value or ""  # plain text, escaped when shown
            if field in DECIMAL_FIELDS:
                try:
                    value = Decimal(value)
                except (ArithmeticError, TypeError, ValueError):
                    raise ValidationError({field: _("Enter a number.")}) from None
            setattr(locked, field, value)
        locked.full_clean(exclude=["entity"])
        locked.save(update_fields=[*values, "updated_at"])
    return locked


def report_publish(*, report: AnnualReport, by: User) -> AnnualReport:
    """Compute and freeze the tables, and publish; refused while the form's checks fail."""
    require_perm(by, PUBLISH)
    current = AnnualReport.objects.get(pk=report.pk)  # the inputs as stored, not as passed in
    tables = report_tables(year=current.year, entity_id=current.entity_id, report=current)
    errors = report_checks(
        tables, report_previous_tables(year=report.year, entity_id=report.entity_id)
    )
    if errors:
        raise ValidationError([e.message for e in errors], code="report_checks")
    with translation.override(settings.LANGUAGE_CODE):
        note = _("Published.")
    return workflow_move(
        record=report,
        to=AnnualReport.Status.PUBLISHED,
        by=by,
        note=note,
        event_model=AnnualReportEvent,
        record_field="report",
        values={"tables": tables, "published_at": timezone.now()},
    )


def report_withdraw(*, report: AnnualReport, by: User, note: str) -> AnnualReport:
    """Take a published report back to draft for correction (the reason is recorded)."""
    require_perm(by, PUBLISH)
    if not note.strip():
        raise ValidationError({"note": _("Give the reason for withdrawing the report.")})
    return workflow_move(
        record=report,
        to=AnnualReport.Status.DRAFT,
        by=by,
        note=note,
        event_model=AnnualReportEvent,
        record_field="report",
        values={"published_at": None},
    )
