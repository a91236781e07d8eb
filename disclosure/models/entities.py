"""Administrative entities (行政主体): the bodies that act externally in their own name."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from disclosure.validators import validate_credit_code


class AdministrativeEntityQuerySet(models.QuerySet):
    def announced(self) -> "AdministrativeEntityQuerySet":
        """Entities the public may see: confirmed and announced (公示), not revoked."""
        return self.filter(status=AdministrativeEntity.Status.ANNOUNCED)


class AdministrativeEntity(models.Model):
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
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
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
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = AdministrativeEntityQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative entity")
        verbose_name_plural = _("administrative entities")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def index_prefix(self) -> str:
        """The front part of this publisher's index numbers (索引号): its credit code."""
        return self.credit_code
