"""Annual inspections (年检): the items each unit inspects every year, reviewed each year.

The seed's 2006 review: 14 units, 24 items, 24 kept, none added. Each row is one item in one
year's review, with its legal basis and fee, so the list can be published and compared.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AnnualInspectionItemQuerySet(models.QuerySet):
    def of_year(self, year: int) -> "AnnualInspectionItemQuerySet":
        return self.filter(year=year)


class AnnualInspectionItem(models.Model):
    """One annual-inspection item of one unit in one year's review, and what became of it."""

    class Status(models.TextChoices):
        KEPT = "kept", _("Kept")
        CANCELLED = "cancelled", _("Cancelled")
        ADDED = "added", _("Added")

    year = models.PositiveSmallIntegerField(_("year of the review"), db_index=True)
    unit = models.CharField(_("inspecting unit"), max_length=200)
    entity = models.ForeignKey(
        "disclosure.AdministrativeEntity",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annual_inspection_items",
        help_text=_("The unit's entity, where the portal lists it."),
    )
    name = models.CharField(_("item"), max_length=200)
    legal_basis = models.TextField(_("legal basis"))
    is_free = models.BooleanField(_("free of charge"), default=True)
    fee = models.CharField(_("fee"), max_length=200, blank=True)
    fee_basis = models.TextField(_("legal basis of the fee"), blank=True)
    status = models.CharField(_("status this year"), max_length=10, choices=Status.choices)
    note = models.TextField(_("note"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = AnnualInspectionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual-inspection item")
        verbose_name_plural = _("annual-inspection items")
        ordering = ["-year", "sort_order", "unit", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit", "name"], name="annualinspectionitem_unique_per_year"
            ),
            models.CheckConstraint(
                condition=Q(is_free=True) | (~Q(fee="") & ~Q(fee_basis="")),
                name="annualinspectionitem_fee_has_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit}: {self.name}"
