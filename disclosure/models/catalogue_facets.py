"""The catalogue's facet counts, kept by the actions (see disclosure.actions.catalogue_facets).

The unfiltered catalogue page shows, for six facets (publisher, topic, genre, year, validity,
disclosure mode), how many public entries have each value. Counting them with one GROUP BY
each over a million entries took 1.9 s a page (docs/performance.md); these rows hold the
counts instead, one per publisher, facet and value, changed in the same transaction as the
entry (publish, withdraw, repeal). The publisher is part of the key because visibility also
depends on it: only announced publishers' entries are public, and a publisher's status
changes without touching its entries, so the read sums the rows of announced publishers only.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CatalogueFacetCount(models.Model):
    """How many published entries of one publisher have one value of one facet."""

    class Facet(models.TextChoices):
        PUBLISHER = "publisher", _("Publisher")
        TOPIC = "topic", _("Topic")
        GENRE = "genre", _("Genre")
        YEAR = "year", _("Year")
        VALIDITY = "validity", _("Validity")
        DISCLOSURE_MODE = "disclosure_mode", _("Disclosure mode")

    publisher = models.ForeignKey(
        "disclosure.AdministrativeEntity",
        verbose_name=_("publisher"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    facet = models.CharField(_("facet"), max_length=16, choices=Facet.choices)
    # The value as text: a publisher's or topic's id, a genre, a year, a validity, a mode.
    value = models.CharField(_("value"), max_length=32)
    count = models.IntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("catalogue facet count")
        verbose_name_plural = _("catalogue facet counts")
        constraints = [
            models.UniqueConstraint(
                fields=["publisher", "facet", "value"], name="catalogue_facet_count_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publisher_id} {self.facet}={self.value}: {self.count}"


class CatalogueFacetTotal(models.Model):
    """How many published entries, of every publisher, have one value of one facet.

    The sum of `CatalogueFacetCount` over publishers, kept alongside it by the same actions,
    so that the catalogue page reads about a hundred rows instead of one per publisher and
    value (about 60,000 at 1,000 publishers); it subtracts the few rows of publishers that
    are not announced.
    """

    facet = models.CharField(_("facet"), max_length=16, choices=CatalogueFacetCount.Facet.choices)
    value = models.CharField(_("value"), max_length=32)
    count = models.IntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("catalogue facet total")
        verbose_name_plural = _("catalogue facet totals")
        constraints = [
            models.UniqueConstraint(fields=["facet", "value"], name="catalogue_facet_total_key"),
        ]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}: {self.count}"
