"""Normative-document filing (规范性文件审核备案): legality review and filing of a catalogue entry.

A normative document (行政规范性文件) is a catalogue entry of genre `normative_document`; its
filing record follows it through the legal-affairs office's (法制办) legality review. Its issue
and repeal dates feed the annual report's Table 二 row "行政规范性文件".
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from disclosure.models.events import WorkflowEvent


class NormativeFilingQuerySet(models.QuerySet):
    """Reusable filters for normative filings."""

    def issued(self) -> "NormativeFilingQuerySet":
        """Filings of documents that have been issued (they count in the annual report)."""
        return self.filter(issue_date__isnull=False)


class NormativeFiling(models.Model):
    """The filing record (备案) of one normative document."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for filing")
        IN_REVIEW = "in_review", _("Under legality review")
        FILED = "filed", _("Filed")
        RETURNED = "returned", _("Returned for correction")

    entry = models.OneToOneField(
        "disclosure.CatalogueEntry",
        verbose_name=_("catalogue entry"),
        on_delete=models.PROTECT,
        related_name="normative_filing",
    )
    filing_no = models.CharField(_("filing number"), max_length=60, unique=True)
    submitted_date = models.DateField(_("date submitted"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    reviewing_body = models.ForeignKey(
        "disclosure.AdministrativeEntity",
        verbose_name=_("reviewing body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_filings",
    )
    filed_date = models.DateField(_("date filed"), null=True, blank=True)
    issue_date = models.DateField(_("date issued"), null=True, blank=True)
    repeal_date = models.DateField(_("date repealed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = NormativeFilingQuerySet.as_manager()

    class Meta:
        verbose_name = _("normative-document filing")
        verbose_name_plural = _("normative-document filings")
        ordering = ["-submitted_date", "-id"]
        permissions = [("review_normativefiling", _("Can review normative-document filings"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(repeal_date__isnull=True)
                | (
                    models.Q(issue_date__isnull=False)
                    & models.Q(repeal_date__gte=models.F("issue_date"))
                ),
                name="normative_repeal_after_issue",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="filed") | models.Q(filed_date__isnull=False),
                name="normative_filed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.filing_no

    def can_move_to(self, status: str) -> bool:
        """Whether the filing workflow allows a move from the current status to `status`."""
        return status in NORMATIVE_FILING_TRANSITIONS.get(self.status, frozenset())


_S = NormativeFiling.Status

# submitted → legality review → filed; a review may return the document for correction, and a
# corrected document is resubmitted.
NORMATIVE_FILING_TRANSITIONS: dict[str, frozenset[str]] = {
    _S.SUBMITTED: frozenset({_S.IN_REVIEW}),
    _S.IN_REVIEW: frozenset({_S.FILED, _S.RETURNED}),
    _S.RETURNED: frozenset({_S.SUBMITTED}),
    _S.FILED: frozenset(),
}
TRANSITIONS = NORMATIVE_FILING_TRANSITIONS


class NormativeFilingEvent(WorkflowEvent):
    """One step of a filing's workflow: who moved it, from what, to what, and why."""

    filing = models.ForeignKey(
        NormativeFiling,
        verbose_name=_("filing"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    from_status = models.CharField(
        _("from status"), max_length=16, choices=NormativeFiling.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to status"), max_length=16, choices=NormativeFiling.Status.choices
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("filing event")
        verbose_name_plural = _("filing events")

    def __str__(self) -> str:
        return f"{self.filing}: {self.from_status or '—'} → {self.to_status}"
