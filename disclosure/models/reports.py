"""The statutory annual report on open government information (条例 Art 49-50).

One report per entity (or the whole district, `entity` empty) and year, in the format of its year
(`template_version`; 国办公开办函〔2021〕30号 is "2021", the 2019 trial format of
国办公开办函〔2019〕60号 is "2019"). Tables 二-四 are computed from the data
when the report is generated; the figures the portal does not model yet (licensing, penalties,
enforcement decisions, fees collected, 规章) are entered by the office on the report. Sections
一, 五 and 六 are the office's free text. Publishing freezes the tables in `tables` so that a past
report keeps the figures it was published with.
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from disclosure.models.events import WorkflowEvent


class AnnualReport(models.Model):
    """One annual report: scope (entity or district), year, office inputs, frozen tables."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    entity = models.ForeignKey(
        "disclosure.AdministrativeEntity",
        verbose_name=_("entity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annual_reports",
        help_text=_("Leave empty for the whole district's report."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    template_version = models.CharField(_("format"), max_length=8, default="2021")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    section_overview = models.TextField(_("Part 1: general situation"), blank=True)
    section_problems = models.TextField(_("Part 5: main problems and improvements"), blank=True)
    section_other = models.TextField(_("Part 6: other matters to report"), blank=True)
    # Table 二 figures the portal does not model (yet): entered by the office.
    rules_issued = models.PositiveIntegerField(_("rules issued"), default=0)
    rules_repealed = models.PositiveIntegerField(_("rules repealed"), default=0)
    rules_in_force = models.PositiveIntegerField(_("rules in force"), default=0)
    licensing_decisions = models.PositiveIntegerField(_("licensing decisions"), default=0)
    penalty_decisions = models.PositiveIntegerField(
        _("administrative penalty decisions"), default=0
    )
    coercion_decisions = models.PositiveIntegerField(
        _("administrative coercion decisions"), default=0
    )
    fees_collected = models.DecimalField(
        _("administrative fees collected (10,000 yuan)"),
        max_digits=12,
        decimal_places=4,
        default=Decimal(0),
    )
    # Table 二 in the 2019 trial format (国办公开办函〔2019〕60号, reports for 2019 and 2020):
    # item counts (上一年项目数量, 本年增/减) per row, other management services and the
    # government procurement row of Art 20 (9). Entered by the office.
    licensing_items_last_year = models.PositiveIntegerField(
        _("licensing items last year"), default=0
    )
    licensing_items_change = models.IntegerField(_("licensing items: change this year"), default=0)
    other_services_items_last_year = models.PositiveIntegerField(
        _("other management service items last year"), default=0
    )
    other_services_items_change = models.IntegerField(
        _("other management service items: change this year"), default=0
    )
    other_services_decisions = models.PositiveIntegerField(
        _("other management service decisions"), default=0
    )
    penalty_items_last_year = models.PositiveIntegerField(_("penalty items last year"), default=0)
    penalty_items_change = models.IntegerField(_("penalty items: change this year"), default=0)
    coercion_items_last_year = models.PositiveIntegerField(_("coercion items last year"), default=0)
    coercion_items_change = models.IntegerField(_("coercion items: change this year"), default=0)
    fee_items_last_year = models.PositiveIntegerField(
        _("administrative fee items last year"), default=0
    )
    fee_items_change = models.IntegerField(
        _("administrative fee items: change this year"), default=0
    )
    procurement_projects = models.PositiveIntegerField(
        _("government procurement projects"), default=0
    )
    procurement_amount = models.DecimalField(
        _("government procurement total (10,000 yuan)"),
        max_digits=14,
        decimal_places=4,
        default=Decimal(0),
    )
    tables = models.JSONField(_("tables as published"), default=dict, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year", "entity__name", "id"]
        permissions = [("publish_annualreport", _("Can generate and publish annual reports"))]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "year"],
                condition=models.Q(entity__isnull=False),
                name="annual_report_one_per_entity_year",
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(entity__isnull=True),
                name="annual_report_one_district_per_year",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="annual_report_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        scope = self.entity.name if self.entity_id else _("District")
        return f"{scope} {self.year}"

    @property
    def scope_slug(self) -> str:
        """The URL part for the report's scope: "district" or the entity's id."""
        return str(self.entity_id) if self.entity_id else "district"

    def can_move_to(self, status: str) -> bool:
        """Draft → published; a published report is republished (tables refrozen) in place."""
        return status in REPORT_TRANSITIONS.get(self.status, frozenset())


REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    AnnualReport.Status.DRAFT: frozenset({AnnualReport.Status.PUBLISHED}),
    AnnualReport.Status.PUBLISHED: frozenset({AnnualReport.Status.DRAFT}),
}


class AnnualReportEvent(WorkflowEvent):
    """One step of a report's life: generated, published, withdrawn for correction."""

    report = models.ForeignKey(
        AnnualReport,
        verbose_name=_("annual report"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    from_status = models.CharField(
        _("from status"), max_length=12, choices=AnnualReport.Status.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=12, choices=AnnualReport.Status.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("annual report event")
        verbose_name_plural = _("annual report events")
