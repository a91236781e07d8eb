"""Atom feeds of the catalogue: the whole catalogue, one publisher's entries, one topic's.

Only published entries of announced publishers appear (the selectors' visibility rule).
"""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from disclosure.models.catalogue import CatalogueEntry, Topic
from disclosure.models.entities import AdministrativeEntity
from disclosure.selectors.catalogue import SORTS, catalogue_public_queryset, topic_get_by_code

FEED_SIZE = 30
_TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)


class CatalogueFeed(Feed):
    """The latest published government information of the whole district."""

    feed_type = Atom1Feed
    title = _("Latest government information")
    subtitle = _("Government information published in the catalogue, newest first.")

    def link(self) -> str:
        return reverse("disclosure:catalogue-list")

    def entries(self, obj: object) -> QuerySet[CatalogueEntry]:
        return catalogue_public_queryset()

    def items(self, obj: object = None) -> list[CatalogueEntry]:
        return list(
            self.entries(obj)
            .select_related("publisher", "topic", "topic__parent")
            .order_by(*SORTS["date"])[:FEED_SIZE]
        )

    def item_title(self, item: CatalogueEntry) -> str:
        return item.title

    def item_description(self, item: CatalogueEntry) -> str:
        return item.summary

    def item_link(self, item: CatalogueEntry) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: CatalogueEntry) -> str:
        # The index number is the entry's permanent identity (索引号, never reused).
        return f"urn:gongkai:catalogue:{item.index_no}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: CatalogueEntry) -> datetime.datetime | None:
        if item.published_date is None:
            return None
        return datetime.datetime.combine(item.published_date, datetime.time(), tzinfo=_TZ)

    def item_updateddate(self, item: CatalogueEntry) -> datetime.datetime:
        return item.updated_at

    def item_author_name(self, item: CatalogueEntry) -> str:
        return item.publisher.name

    def item_categories(self, item: CatalogueEntry) -> list[str]:
        return [str(item.topic)] if item.topic_id else []


class EntityCatalogueFeed(CatalogueFeed):
    """The latest published information of one announced publisher."""

    def get_object(self, request: HttpRequest, pk: int) -> AdministrativeEntity:
        try:
            return AdministrativeEntity.objects.announced().get(pk=pk)
        except AdministrativeEntity.DoesNotExist as error:
            raise Http404(_("No such entity.")) from error

    def title(self, obj: AdministrativeEntity) -> str:
        return str(_("Latest government information of %(name)s")) % {"name": obj.name}

    def link(self, obj: AdministrativeEntity) -> str:
        return reverse("disclosure:catalogue-list") + f"?publisher={obj.pk}"

    def entries(self, obj: AdministrativeEntity) -> QuerySet[CatalogueEntry]:
        return catalogue_public_queryset().filter(publisher=obj)


class TopicCatalogueFeed(CatalogueFeed):
    """The latest published information on one topic (a top-level topic includes its children)."""

    def get_object(self, request: HttpRequest, code: str) -> Topic:
        try:
            return topic_get_by_code(code=code)
        except Topic.DoesNotExist as error:
            raise Http404(_("No such topic.")) from error

    def title(self, obj: Topic) -> str:
        return str(_("Latest government information on %(topic)s")) % {"topic": obj}

    def link(self, obj: Topic) -> str:
        return reverse("disclosure:catalogue-list") + f"?topic={obj.pk}"

    def entries(self, obj: Topic) -> QuerySet[CatalogueEntry]:
        return catalogue_public_queryset().filter(Q(topic=obj) | Q(topic__parent=obj))
