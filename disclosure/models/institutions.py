"""Public institutions' disclosures (公用事业单位办事公开): schools, hospitals, clinics.

Regulation on Open Government Information, Art 55 (教育、卫生健康、供水、供电…): public
enterprises and institutions publish under their sector's rules, and people may complain to the
competent (supervising) department. The seed's district required 办事制度、办理程序、工作纪律、
完成时限、服务承诺、监督电话、收费项目标准 from every school, kindergarten, private education
institution, hospital and community health centre, plus each sector's own items.

- `Sector` and `DisclosureItemKind` are data, edited in the admin; `SectorRequirement` is the
  sector's checklist: which items it must publish and how often each must be reviewed.
- `PublicInstitution` belongs to a sector and is supervised by an administrative entity;
  `InstitutionMembership` gives an institution's own account its scope.
- `InstitutionDisclosure` is one published item; `FeeItem` one fee of the fee table. Both have
  a draft → published → withdrawn workflow (see the TRANSITIONS maps) with history rows.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from disclosure.models.events import WorkflowEvent


class Sector(models.Model):
    """A kind of public institution (小学, 幼儿园, 医院 …); more are added in the admin."""

    class Field(models.TextChoices):
        EDUCATION = "education", _("Education")
        HEALTH = "health", _("Health")
        UTILITIES = "utilities", _("Utilities and other public services")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    field = models.CharField(_("field"), max_length=16, choices=Field.choices)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class DisclosureItemKind(models.Model):
    """An item an institution may have to publish (办事制度, 收费项目标准, 药品价格 …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disclosure item kind")
        verbose_name_plural = _("disclosure item kinds")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class SectorRequirement(models.Model):
    """One line of a sector's checklist: an item its institutions must publish, and how often
    it must be reviewed (the next review falls due this many days after the last update)."""

    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.CASCADE, related_name="requirements"
    )
    kind = models.ForeignKey(
        DisclosureItemKind,
        verbose_name=_("disclosure item"),
        on_delete=models.PROTECT,
        related_name="requirements",
    )
    review_interval_days = models.PositiveIntegerField(
        _("review every (days)"), default=365, validators=[MinValueValidator(1)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sector checklist item")
        verbose_name_plural = _("sector checklist items")
        ordering = ["sector", "kind__sort_order", "kind__code"]
        constraints = [
            models.UniqueConstraint(fields=["sector", "kind"], name="sector_requirement_unique"),
            models.CheckConstraint(
                condition=Q(review_interval_days__gte=1),
                name="sector_requirement_interval_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sector} / {self.kind}"


class PublicInstitutionQuerySet(models.QuerySet):
    def public(self) -> "PublicInstitutionQuerySet":
        """Institutions the public sees: active ones."""
        return self.filter(is_active=True)


class PublicInstitution(models.Model):
    """A school, kindergarten, hospital, clinic … that must publish its rules and fees."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="institutions"
    )
    supervising_department = models.ForeignKey(
        "disclosure.AdministrativeEntity",
        verbose_name=_("supervising department"),
        on_delete=models.PROTECT,
        related_name="supervised_institutions",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    supervision_phone = models.CharField(_("supervision phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PublicInstitutionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("public institution")
        verbose_name_plural = _("public institutions")
        ordering = ["sector__sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="institution_coordinates_both_or_neither",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})


class InstitutionMembership(models.Model):
    """An institution's own account: the user keeps that institution's items and fees."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="institution_memberships",
    )
    institution = models.ForeignKey(
        PublicInstitution,
        verbose_name=_("public institution"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("institution membership")
        verbose_name_plural = _("institution memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution"], name="institution_membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.institution}"


class PublishStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Shared by disclosure items and fees: publish a draft, withdraw a published one, and take a
# withdrawn one back to draft to correct it.
PUBLISH_TRANSITIONS: dict[str, frozenset[str]] = {
    PublishStatus.DRAFT: frozenset({PublishStatus.PUBLISHED}),
    PublishStatus.PUBLISHED: frozenset({PublishStatus.WITHDRAWN}),
    PublishStatus.WITHDRAWN: frozenset({PublishStatus.DRAFT}),
}


class InstitutionDisclosureQuerySet(models.QuerySet):
    def published(self) -> "InstitutionDisclosureQuerySet":
        """Items the public sees: published, of an active institution."""
        return self.filter(status=PublishStatus.PUBLISHED, institution__is_active=True)


class InstitutionDisclosure(models.Model):
    """One disclosure item of an institution: its content, last update and next review."""

    Status = PublishStatus
    TRANSITIONS = PUBLISH_TRANSITIONS

    institution = models.ForeignKey(
        PublicInstitution,
        verbose_name=_("public institution"),
        on_delete=models.CASCADE,
        related_name="disclosures",
    )
    kind = models.ForeignKey(
        DisclosureItemKind,
        verbose_name=_("disclosure item"),
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    content = models.TextField(_("content"), help_text=_("Rich text; sanitised when saved."))
    last_updated = models.DateField(_("last updated"))
    next_review_due = models.DateField(_("next review due"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PublishStatus.choices,
        default=PublishStatus.DRAFT,
        db_index=True,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = InstitutionDisclosureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("institution disclosure item")
        verbose_name_plural = _("institution disclosure items")
        ordering = ["institution", "kind__sort_order", "kind__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "kind"], name="institution_disclosure_one_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(next_review_due__gte=models.F("last_updated")),
                name="institution_disclosure_review_after_update",
            ),
        ]
        permissions = [
            ("publish_institutiondisclosure", _("Can publish and withdraw institution items")),
        ]

    def __str__(self) -> str:
        return f"{self.institution} / {self.kind}"

    def can_move_to(self, to: str) -> bool:
        return to in self.TRANSITIONS.get(self.status, frozenset())

    def is_stale_on(self, day: datetime.date) -> bool:
        """Overdue for review: the next review was due before `day`."""
        return self.next_review_due < day


class InstitutionDisclosureEvent(WorkflowEvent):
    disclosure = models.ForeignKey(
        InstitutionDisclosure,
        verbose_name=_("disclosure item"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    from_status = models.CharField(_("from"), max_length=16, choices=PublishStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=PublishStatus.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("institution disclosure event")
        verbose_name_plural = _("institution disclosure events")


class FeeItemQuerySet(models.QuerySet):
    def published(self) -> "FeeItemQuerySet":
        """Fees the public sees: published fees of active institutions."""
        return self.filter(status=PublishStatus.PUBLISHED, institution__is_active=True)

    def in_force_on(self, day: datetime.date) -> "FeeItemQuerySet":
        """Fees valid on `day` (valid from on or before it; no end, or an end on or after it)."""
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class FeeItem(models.Model):
    """One line of an institution's fee table (收费项目及标准), with its legal basis.

    The amount is fixed (`amount_min` only) or a range (`amount_min`–`amount_max`). A fee with
    neither a legal basis nor an approval document cannot be published (治理"三乱": every fee
    without a basis in law, regulation or rules is cancelled).
    """

    Status = PublishStatus
    TRANSITIONS = PUBLISH_TRANSITIONS

    class Category(models.TextChoices):
        TUITION = "tuition", _("Tuition and childcare")
        BOARDING = "boarding", _("Boarding")
        MEALS = "meals", _("Meals")
        BOOKS = "books", _("Textbooks and materials")
        REGISTRATION = "registration", _("Registration and consultation")
        EXAMINATION = "examination", _("Examinations and tests")
        TREATMENT = "treatment", _("Treatment")
        BED = "bed", _("Beds and nursing")
        DRUGS = "drugs", _("Drugs")
        VACCINATION = "vaccination", _("Vaccination and prevention")
        ADMINISTRATIVE = "administrative", _("Administrative fees")
        OTHER = "other", _("Other")

    class Unit(models.TextChoices):
        PER_TERM = "per_term", _("per term")
        PER_YEAR = "per_year", _("per year")
        PER_MONTH = "per_month", _("per month")
        PER_DAY = "per_day", _("per day")
        PER_VISIT = "per_visit", _("per visit")
        PER_ITEM = "per_item", _("per item")
        PER_DOSE = "per_dose", _("per dose")

    institution = models.ForeignKey(
        PublicInstitution,
        verbose_name=_("public institution"),
        on_delete=models.CASCADE,
        related_name="fees",
    )
    name = models.CharField(_("fee"), max_length=200)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    amount_min = models.DecimalField(
        _("amount (or lowest amount)"), max_digits=10, decimal_places=2
    )
    amount_max = models.DecimalField(
        _("highest amount"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Only for a range; leave empty for a fixed amount."),
    )
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    approval_document = models.CharField(_("approval document"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PublishStatus.choices,
        default=PublishStatus.DRAFT,
        db_index=True,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = FeeItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fee item")
        verbose_name_plural = _("fee items")
        ordering = ["institution", "category", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_min__gte=0), name="fee_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(amount_max__isnull=True) | Q(amount_max__gte=models.F("amount_min")),
                name="fee_amount_max_not_below_min",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="fee_valid_to_not_before_valid_from",
            ),
            models.CheckConstraint(
                condition=~Q(status=PublishStatus.PUBLISHED)
                | ~Q(legal_basis="")
                | ~Q(approval_document=""),
                name="fee_published_has_basis",
            ),
        ]
        permissions = [
            ("publish_feeitem", _("Can publish and withdraw fee items")),
        ]

    def __str__(self) -> str:
        return f"{self.institution} / {self.name}"

    @property
    def has_basis(self) -> bool:
        return bool(self.legal_basis.strip() or self.approval_document.strip())

    @property
    def is_range(self) -> bool:
        return self.amount_max is not None and self.amount_max != self.amount_min

    def can_move_to(self, to: str) -> bool:
        return to in self.TRANSITIONS.get(self.status, frozenset())

    def clean(self) -> None:
        fee_item_check(self)


def fee_item_check(fee: FeeItem) -> None:
    """The fee's field rules as field errors (the same rules the constraints enforce)."""
    errors: dict[str, list] = {}
    if fee.amount_min is not None and fee.amount_min < 0:
        errors.setdefault("amount_min", []).append(_("An amount cannot be negative."))
    if fee.amount_max is not None and fee.amount_min is not None and fee.amount_max < 0:
        errors.setdefault("amount_max", []).append(_("An amount cannot be negative."))
    elif (
        fee.amount_max is not None
        and fee.amount_min is not None
        and fee.amount_max < fee.amount_min
    ):
        errors.setdefault("amount_max", []).append(
            _("The highest amount cannot be below the lowest amount.")
        )
    if fee.valid_to and fee.valid_from and fee.valid_to < fee.valid_from:
        errors.setdefault("valid_to", []).append(
            _("The end of validity cannot be before its start.")
        )
    if fee.status == PublishStatus.PUBLISHED and not fee.has_basis:
        errors.setdefault("legal_basis", []).append(
            _("A fee without a legal basis or approval document cannot be published.")
        )
    if errors:
        raise ValidationError(errors)


class FeeItemEvent(WorkflowEvent):
    fee = models.ForeignKey(
        FeeItem, verbose_name=_("fee item"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=PublishStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=PublishStatus.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("fee item event")
        verbose_name_plural = _("fee item events")
