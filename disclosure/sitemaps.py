"""/sitemap.xml: every published catalogue entry (drafts, reviews and withdrawn ones never)."""

import datetime

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from disclosure.models.catalogue import CatalogueEntry
from disclosure.selectors.catalogue import catalogue_public_queryset


class CatalogueEntrySitemap(Sitemap):
    """Published entries, by their stable URLs, with the time they last changed."""

    changefreq = "monthly"

    def items(self) -> QuerySet[CatalogueEntry]:
        return catalogue_public_queryset().only("pk", "updated_at").order_by("pk")

    def lastmod(self, item: CatalogueEntry) -> datetime.datetime:
        return item.updated_at

    def location(self, item: CatalogueEntry) -> str:
        return item.get_absolute_url()


SITEMAPS = {"catalogue": CatalogueEntrySitemap}


def sitemap_view(request: HttpRequest) -> HttpResponse:
    """The site's sitemap (wired at /sitemap.xml in config/urls.py)."""
    return sitemap(request, sitemaps=SITEMAPS)
