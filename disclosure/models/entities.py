"""Administrative entities (行政主体): the bodies that act externally in their own name.

Also their enforcement qualification (行政执法主体: powers, officers, random-inspection list,
国办发〔2018〕118号 "三项制度"), the review workflow that ends in a public announcement (公示),
and each entity's versioned disclosure guide (政府信息公开指南, Regulation Art 12).
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from disclosure.models.events import WorkflowEvent
from disclosure.validators import validate_credit_code


class AdministrativeEntityQuerySet(models.QuerySet):
    """Reusable filters for entities; the public sees only `announced()`."""

    def announced(self) -> "AdministrativeEntityQuerySet":
        """Entities the public may see: confirmed and announced (公示), not revoked."""
        return self.filter(status=AdministrativeEntity.Status.ANNOUNCED)

    def in_announcement_period(self, day: datetime.date) -> "AdministrativeEntityQuerySet":
        """Announced entities whose 公示 period includes `day`."""
        return self.announced().filter(announcement_start__lte=day, announcement_end__gte=day)

    def enforcement_bodies(self) -> "AdministrativeEntityQuerySet":
        """Entities that hold an enforcement qualification (行政执法主体)."""
        return self.filter(is_enforcement_body=True)


class AdministrativeEntity(models.Model):
    """A body that acts externally in its own name, audited, confirmed and announced."""

    class Kind(models.TextChoices):
        ADMINISTRATIVE_ORGAN = "administrative_organ", _("Administrative organ")
        AUTHORISED_ORGANISATION = (
            "authorised_organisation",
            _("Organisation authorised by law or regulation"),
        )
        ENTRUSTED_ORGANISATION = "entrusted_organisation", _("Entrusted organisation")
        DISPATCHED_AGENCY = "dispatched_agency", _("Dispatched agency")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        REVIEWED = "reviewed", _("Reviewed")
        CONFIRMED = "confirmed", _("Confirmed")
        ANNOUNCED = "announced", _("Announced")
        REVOKED = "revoked", _("Revoked")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(
        pgettext_lazy("administrative entity", "kind"), max_length=32, choices=Kind.choices
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
    )
    functions = models.TextField(_("functions"), blank=True)
    head = models.CharField(_("head"), max_length=60, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    fax = models.CharField(_("fax"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    disclosure_office = models.CharField(_("disclosure office"), max_length=200, blank=True)
    disclosure_office_address = models.CharField(
        _("disclosure office address"), max_length=200, blank=True
    )
    disclosure_office_hours = models.CharField(
        _("disclosure office hours"), max_length=200, blank=True
    )
    disclosure_office_phone = models.CharField(
        _("disclosure office phone"), max_length=40, blank=True
    )
    disclosure_office_fax = models.CharField(_("disclosure office fax"), max_length=40, blank=True)
    disclosure_office_email = models.EmailField(_("disclosure office e-mail"), blank=True)
    is_enforcement_body = models.BooleanField(
        _("enforcement body"),
        default=False,
        help_text=_("Holds an administrative enforcement qualification (行政执法主体)."),
    )
    enforcement_area = models.CharField(
        _("enforcement area"),
        max_length=100,
        blank=True,
        help_text=_("The field the entity enforces in, e.g. 卫生 or 教育."),
    )
    legal_basis = models.TextField(
        _("legal basis of the entity"),
        blank=True,
        help_text=_("The law, regulation or decision that establishes or authorises the entity."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    announcement_start = models.DateField(_("announcement starts"), null=True, blank=True)
    announcement_end = models.DateField(_("announcement ends"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = AdministrativeEntityQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative entity")
        verbose_name_plural = _("administrative entities")
        ordering = ["sort_order", "name"]
        permissions = [
            ("review_administrativeentity", _("Can review administrative entities")),
            ("confirm_administrativeentity", _("Can confirm administrative entities")),
            ("announce_administrativeentity", _("Can announce administrative entities")),
            ("revoke_administrativeentity", _("Can revoke administrative entities")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(announcement_start__isnull=True)
                | models.Q(announcement_end__isnull=True)
                | models.Q(announcement_end__gte=models.F("announcement_start")),
                name="entity_announcement_end_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="announced")
                | (
                    models.Q(announcement_start__isnull=False)
                    & models.Q(announcement_end__isnull=False)
                ),
                name="entity_announced_has_period",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def index_prefix(self) -> str:
        """The front part of this publisher's index numbers (索引号): its credit code."""
        return self.credit_code

    def can_move_to(self, status: str) -> bool:
        """Whether the review workflow allows a move from the current status to `status`."""
        return status in ENTITY_TRANSITIONS.get(self.status, frozenset())


_S = AdministrativeEntity.Status

# The review workflow (审核 → 确认 → 公示). Revocation ends an entity's public life; a reviewer
# may return a submission or a reviewed entity to its drafter for correction.
ENTITY_TRANSITIONS: dict[str, frozenset[str]] = {
    _S.DRAFT: frozenset({_S.SUBMITTED}),
    _S.SUBMITTED: frozenset({_S.REVIEWED, _S.DRAFT}),
    _S.REVIEWED: frozenset({_S.CONFIRMED, _S.DRAFT}),
    _S.CONFIRMED: frozenset({_S.ANNOUNCED, _S.REVOKED}),
    _S.ANNOUNCED: frozenset({_S.REVOKED}),
    _S.REVOKED: frozenset(),
}
TRANSITIONS = ENTITY_TRANSITIONS


class AdministrativeEntityEvent(WorkflowEvent):
    """One step of an entity's review workflow: who moved it, from what, to what, and why."""

    entity = models.ForeignKey(
        AdministrativeEntity,
        verbose_name=_("entity"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    from_status = models.CharField(
        _("from status"), max_length=16, choices=AdministrativeEntity.Status.choices
    )
    to_status = models.CharField(
        _("to status"), max_length=16, choices=AdministrativeEntity.Status.choices
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("entity workflow event")
        verbose_name_plural = _("entity workflow events")

    def __str__(self) -> str:
        return f"{self.entity}: {self.from_status} → {self.to_status}"


class EnforcementPower(models.Model):
    """An enforcement power (职权): its duty, authority, legal basis, procedure and remedies."""

    class Category(models.TextChoices):
        PENALTY = "penalty", _("Administrative penalty")
        COMPULSION = "compulsion", _("Administrative compulsion")
        INSPECTION = "inspection", _("Administrative inspection")
        LICENSING = "licensing", _("Administrative licensing")
        OTHER = "other", _("Other administrative power")

    entity = models.ForeignKey(
        AdministrativeEntity,
        verbose_name=_("entity"),
        on_delete=models.CASCADE,
        related_name="enforcement_powers",
    )
    name = models.CharField(_("power"), max_length=200)
    category = models.CharField(
        _("category"), max_length=16, choices=Category.choices, default=Category.PENALTY
    )
    duties = models.TextField(_("duties"), blank=True)
    authority = models.TextField(_("authority"), blank=True)
    legal_basis = models.TextField(_("legal basis"))
    procedure = models.TextField(_("procedure"), blank=True)
    remedies = models.TextField(_("remedies"), blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enforcement power")
        verbose_name_plural = _("enforcement powers")
        ordering = ["entity", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class EnforcementOfficer(models.Model):
    """An enforcement officer (执法人员): name, certificate number (执法证号) and category."""

    entity = models.ForeignKey(
        AdministrativeEntity,
        verbose_name=_("entity"),
        on_delete=models.CASCADE,
        related_name="enforcement_officers",
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=60)
    certificate_no = models.CharField(_("certificate number"), max_length=40, unique=True)
    category = models.CharField(_("enforcement category"), max_length=60)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enforcement officer")
        verbose_name_plural = _("enforcement officers")
        ordering = ["entity", "certificate_no"]

    def __str__(self) -> str:
        return f"{self.name} ({self.certificate_no})"


class RandomInspectionItem(models.Model):
    """A row of the random-inspection list (随机抽查事项清单), with the official columns."""

    entity = models.ForeignKey(
        AdministrativeEntity,
        verbose_name=_("entity"),
        on_delete=models.CASCADE,
        related_name="random_inspection_items",
    )
    sequence = models.PositiveIntegerField(_("no."))
    item = models.CharField(_("inspection item"), max_length=200)
    sub_item = models.CharField(_("inspection sub-item"), max_length=200, blank=True)
    inspecting_body = models.CharField(_("inspecting body"), max_length=200)
    basis = models.TextField(_("basis"))
    method = models.CharField(_("method"), max_length=200)
    content = models.TextField(_("content"))
    remarks = models.CharField(_("remarks"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("random-inspection item")
        verbose_name_plural = _("random-inspection list")
        ordering = ["entity", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "sequence"], name="inspection_item_unique_sequence"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sequence}. {self.item}"


class DisclosureGuideQuerySet(models.QuerySet):
    """Reusable filters for guides; the public sees only `public()`."""

    def ever_published(self) -> "DisclosureGuideQuerySet":
        """Published and superseded versions: everything that was once public."""
        return self.filter(
            status__in=[DisclosureGuide.Status.PUBLISHED, DisclosureGuide.Status.SUPERSEDED]
        )

    def public(self) -> "DisclosureGuideQuerySet":
        """Once-published versions of announced entities' guides."""
        return self.ever_published().filter(entity__status=AdministrativeEntity.Status.ANNOUNCED)

    def current(self) -> "DisclosureGuideQuerySet":
        return self.filter(status=DisclosureGuide.Status.PUBLISHED)


class DisclosureGuide(models.Model):
    """政府信息公开指南: one version of an entity's guide; every published version is kept."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")

    entity = models.ForeignKey(
        AdministrativeEntity,
        verbose_name=_("entity"),
        on_delete=models.PROTECT,
        related_name="guides",
    )
    version = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = DisclosureGuideQuerySet.as_manager()

    class Meta:
        verbose_name = _("disclosure guide")
        verbose_name_plural = _("disclosure guides")
        ordering = ["entity", "-version"]
        permissions = [("publish_disclosureguide", _("Can publish disclosure guides"))]
        constraints = [
            models.UniqueConstraint(fields=["entity", "version"], name="guide_unique_version"),
            models.UniqueConstraint(
                fields=["entity"],
                condition=models.Q(status="published"),
                name="guide_one_published_per_entity",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="guide_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity} v{self.version}"
