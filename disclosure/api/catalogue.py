"""Read-only API of the catalogue: entries (filtered like the catalogue page) and topics.

Only published entries of announced publishers are visible (drafts, entries in review and
withdrawn ones are 404 here). Lists are paginated with a capped count (see
disclosure.selectors.catalogue.CappedPaginator): `count` stops at 10,001.
"""

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny

from disclosure.api.filters import CatalogueEntryFilter
from disclosure.models.catalogue import CatalogueAttachment, CatalogueEntry, Topic
from disclosure.models.entities import AdministrativeEntity
from disclosure.selectors.catalogue import (
    SORTS,
    CappedPaginator,
    catalogue_public_queryset,
    topic_list,
)


class CappedPagination(PageNumberPagination):
    """Page-number pagination that counts at most 10,001 rows."""

    django_paginator_class = CappedPaginator
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "code", "name", "parent", "sort_order"]


class PublisherRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdministrativeEntity
        fields = ["id", "name", "credit_code"]


class TopicRefSerializer(serializers.ModelSerializer):
    parent_name = serializers.CharField(source="parent.name", default=None, read_only=True)

    class Meta:
        model = Topic
        fields = ["id", "code", "name", "parent_name"]


class AttachmentSerializer(serializers.ModelSerializer):
    # The download view (visibility checked, served as a download), never the storage path.
    url = serializers.SerializerMethodField()

    class Meta:
        model = CatalogueAttachment
        fields = ["id", "title", "content_type", "size", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, attachment: CatalogueAttachment) -> str:
        path = reverse("disclosure:catalogue-attachment", args=[attachment.entry_id, attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class EntryRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = CatalogueEntry
        fields = ["id", "index_no", "title"]


class CatalogueEntryListSerializer(serializers.ModelSerializer):
    """An entry in a list: its identity and catalogue metadata."""

    publisher = PublisherRefSerializer(read_only=True)
    topic = TopicRefSerializer(read_only=True)
    html_url = serializers.SerializerMethodField()

    class Meta:
        model = CatalogueEntry
        fields = [
            "id",
            "index_no",
            "title",
            "summary",
            "publisher",
            "document_no",
            "formed_date",
            "published_date",
            "topic",
            "genre",
            "validity",
            "valid_until",
            "disclosure_mode",
            "html_url",
        ]

    def get_html_url(self, entry: CatalogueEntry) -> str:
        request = self.context.get("request")
        url = entry.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class CatalogueEntryDetailSerializer(CatalogueEntryListSerializer):
    """One entry with its body, attachments and the published entries it relates to."""

    co_publishers = PublisherRefSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    amends = EntryRefSerializer(many=True, read_only=True)
    amended_by = EntryRefSerializer(many=True, read_only=True)
    repeals = EntryRefSerializer(many=True, read_only=True)
    repealed_by = EntryRefSerializer(many=True, read_only=True)

    class Meta(CatalogueEntryListSerializer.Meta):
        fields = [
            *CatalogueEntryListSerializer.Meta.fields,
            "body",
            "keywords",
            "audience",
            "scope",
            "exemption_reason",
            "art20_item",
            "co_publishers",
            "attachments",
            "amends",
            "amended_by",
            "repeals",
            "repealed_by",
            "publication_due",
            "published_late",
        ]


def _list_queryset() -> QuerySet[CatalogueEntry]:
    return (
        catalogue_public_queryset()
        .select_related("publisher", "topic", "topic__parent")
        .order_by(*SORTS["date"])
    )


@extend_schema_view(
    get=extend_schema(
        summary="List published government information",
        description="Published catalogue entries, newest first (by relevance when `q` is "
        "given without `ordering`), filtered by the catalogue's facets, dates and search.",
        tags=["catalogue"],
    )
)
class CatalogueEntryListView(generics.ListAPIView):
    serializer_class = CatalogueEntryListSerializer
    filterset_class = CatalogueEntryFilter
    pagination_class = CappedPagination
    permission_classes = [AllowAny]

    def get_queryset(self) -> QuerySet[CatalogueEntry]:
        return _list_queryset()


@extend_schema_view(
    get=extend_schema(
        summary="One published catalogue entry",
        description="Withdrawn entries, drafts and entries in review are 404.",
        tags=["catalogue"],
    )
)
class CatalogueEntryDetailView(generics.RetrieveAPIView):
    serializer_class = CatalogueEntryDetailSerializer
    permission_classes = [AllowAny]

    def get_queryset(self) -> QuerySet[CatalogueEntry]:
        visible = catalogue_public_queryset().only("id", "index_no", "title")
        return (
            catalogue_public_queryset()
            .select_related("publisher", "topic", "topic__parent")
            .prefetch_related(
                Prefetch("co_publishers", queryset=AdministrativeEntity.objects.announced()),
                "attachments",
                Prefetch("amends", queryset=visible),
                Prefetch("amended_by", queryset=visible),
                Prefetch("repeals", queryset=visible),
                Prefetch("repealed_by", queryset=visible),
            )
        )


@extend_schema_view(
    get=extend_schema(
        summary="List catalogue topics",
        description="The two-level topic tree (主题分类); `parent` is null for a top-level topic.",
        tags=["catalogue"],
    )
)
class TopicListView(generics.ListAPIView):
    serializer_class = TopicSerializer
    pagination_class = CappedPagination
    permission_classes = [AllowAny]
    filterset_class = None

    def get_queryset(self) -> QuerySet[Topic]:
        return topic_list()
