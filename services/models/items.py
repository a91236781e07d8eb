"""Service items (办事指南) with their statutory and committed time limits, materials, windows."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from disclosure.models.catalogue import validate_attachment_file


class ServiceItem(models.Model):
    """A licensing or public-service item and its guide: what to bring, how long, what it costs.

    The committed limit (服务承诺, the seed's 2 working days) never exceeds the statutory one
    (行政许可法 §42); the database refuses it too (`serviceitem_committed_le_statutory`).
    """

    class Kind(models.TextChoices):
        LICENSING = "licensing", _("Administrative licensing")
        CONFIRMATION = "confirmation", _("Administrative confirmation")
        PAYMENT = "payment", _("Administrative payment")
        ADJUDICATION = "adjudication", _("Administrative adjudication")
        REWARD = "reward", _("Administrative reward")
        LEVY = "levy", _("Administrative levy")
        OTHER_POWER = "other_power", _("Other administrative power")
        PUBLIC_SERVICE = "public_service", _("Public service")

    basic_code = models.CharField(_("basic code"), max_length=40, db_index=True)
    implementation_code = models.CharField(_("implementation code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    entity = models.ForeignKey(
        "disclosure.AdministrativeEntity",
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="service_items",
    )
    responsible_person = models.CharField(_("responsible person"), max_length=60, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    steps = models.TextField(_("steps"), blank=True)
    statutory_days = models.PositiveSmallIntegerField(_("statutory time limit (working days)"))
    committed_days = models.PositiveSmallIntegerField(_("committed time limit (working days)"))
    is_free = models.BooleanField(_("free of charge"), default=True)
    fee_standard = models.TextField(_("fee standard"), blank=True)
    fee_basis = models.TextField(_("legal basis of the fee"), blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    hours = models.CharField(_("office hours"), max_length=200, blank=True)
    consultation_phone = models.CharField(_("consultation phone"), max_length=40, blank=True)
    complaint_phone = models.CharField(_("complaint phone"), max_length=40, blank=True)
    online_url = models.URLField(_("online service link"), blank=True)
    visits_required = models.PositiveSmallIntegerField(_("visits required"), default=1)
    joint_lead_entity = models.ForeignKey(
        "disclosure.AdministrativeEntity",
        verbose_name=_("joint-handling lead department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_service_items",
    )
    green_channel = models.BooleanField(_("green channel for SMEs"), default=False)
    full_agency = models.BooleanField(_("full agency service"), default=False)
    deemed_approval = models.BooleanField(
        _("deemed approved when the commitment is missed"),
        default=True,
        help_text=_(
            "Deemed approval (视为同意): a case not completed in time without a justified "
            "suspension."
        ),
    )
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["entity_id", "basic_code", "id"]
        permissions = [
            ("manage_serviceitem", _("Can create and change service items and their guides")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(committed_days__lte=F("statutory_days")),
                name="serviceitem_committed_le_statutory",
            ),
            models.CheckConstraint(
                condition=Q(is_free=True) | ~Q(fee_basis=""),
                name="serviceitem_fee_has_basis",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceMaterial(models.Model):
    """One material an applicant brings (申请材料): original or copy, copies, form and sample."""

    class Form(models.TextChoices):
        ORIGINAL = "original", _("Original")
        COPY = "copy", _("Copy")
        ORIGINAL_AND_COPY = "original_and_copy", _("Original and copy")

    item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("service item"),
        on_delete=models.CASCADE,
        related_name="materials",
    )
    name = models.CharField(_("name"), max_length=200)
    form = models.CharField(_("original or copy"), max_length=20, choices=Form.choices)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    required = models.BooleanField(_("required"), default=True)
    blank_form = models.FileField(
        _("blank form"),
        upload_to="services/forms/",
        blank=True,
        validators=[validate_attachment_file],
    )
    sample = models.FileField(
        _("filled-in sample"),
        upload_to="services/samples/",
        blank=True,
        validators=[validate_attachment_file],
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service material")
        verbose_name_plural = _("service materials")
        ordering = ["item_id", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(copies__gte=1), name="servicematerial_copies_ge_1"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceWindow(models.Model):
    """A counter of the administrative service centre (行政服务中心) and the items it handles.

    Its stars are computed monthly by services B's window-star model (kept beside this one).
    """

    number = models.CharField(_("window number"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    entity = models.ForeignKey(
        "disclosure.AdministrativeEntity",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_windows",
    )
    items = models.ManyToManyField(
        ServiceItem, verbose_name=_("items handled"), related_name="windows", blank=True
    )
    is_active = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[items])

    class Meta:
        verbose_name = _("service window")
        verbose_name_plural = _("service windows")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"
