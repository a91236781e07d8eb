"""Read-only API for administrative entities and their disclosure guides.

Only announced entities and once-published guide versions of announced entities are served;
anything else is a 404, as on the public pages.
"""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers

from disclosure.api.filters import IdFilter
from disclosure.models.entities import (
    AdministrativeEntity,
    DisclosureGuide,
    EnforcementOfficer,
    EnforcementPower,
    RandomInspectionItem,
)
from disclosure.sanitize import sanitize_html
from disclosure.selectors.entities import (
    entity_detail_queryset,
    entity_list,
    guide_public_queryset,
)


class EntityFilter(django_filters.FilterSet):
    """Filters for the entity list: kind and parent entity."""

    kind = django_filters.ChoiceFilter(choices=AdministrativeEntity.Kind.choices)
    parent = IdFilter(field_name="parent_id")

    class Meta:
        model = AdministrativeEntity
        fields = ["kind", "parent"]


class GuideFilter(django_filters.FilterSet):
    """Filters for the guide list: entity and status (published or superseded)."""

    entity = IdFilter(field_name="entity_id")
    status = django_filters.ChoiceFilter(
        choices=[
            (DisclosureGuide.Status.PUBLISHED, DisclosureGuide.Status.PUBLISHED.label),
            (DisclosureGuide.Status.SUPERSEDED, DisclosureGuide.Status.SUPERSEDED.label),
        ]
    )

    class Meta:
        model = DisclosureGuide
        fields = ["entity", "status"]


class EntitySummarySerializer(serializers.ModelSerializer):
    """An entity as lists show it."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = AdministrativeEntity
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "kind_display",
            "parent",
            "credit_code",
            "is_enforcement_body",
            "announcement_start",
            "announcement_end",
        ]


class DisclosureOfficeSerializer(serializers.Serializer):
    """The entity's open-government-information office and how to reach it."""

    name = serializers.CharField(source="disclosure_office")
    address = serializers.CharField(source="disclosure_office_address")
    hours = serializers.CharField(source="disclosure_office_hours")
    phone = serializers.CharField(source="disclosure_office_phone")
    fax = serializers.CharField(source="disclosure_office_fax")
    email = serializers.CharField(source="disclosure_office_email")


class EnforcementPowerSerializer(serializers.ModelSerializer):
    class Meta:
        model = EnforcementPower
        fields = [
            "name",
            "category",
            "duties",
            "authority",
            "legal_basis",
            "procedure",
            "remedies",
        ]


class EnforcementOfficerSerializer(serializers.ModelSerializer):
    class Meta:
        model = EnforcementOfficer
        fields = ["name", "certificate_no", "category"]


class RandomInspectionItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = RandomInspectionItem
        fields = [
            "sequence",
            "item",
            "sub_item",
            "inspecting_body",
            "basis",
            "method",
            "content",
            "remarks",
        ]


class EntityDetailSerializer(EntitySummarySerializer):
    """An entity with its contacts, functions and enforcement lists."""

    disclosure_office = DisclosureOfficeSerializer(source="*", read_only=True)
    enforcement_powers = EnforcementPowerSerializer(many=True, read_only=True)
    enforcement_officers = EnforcementOfficerSerializer(
        source="active_officers", many=True, read_only=True
    )
    random_inspection_items = RandomInspectionItemSerializer(many=True, read_only=True)
    current_guide = serializers.SerializerMethodField()

    class Meta(EntitySummarySerializer.Meta):
        fields = [
            *EntitySummarySerializer.Meta.fields,
            "functions",
            "head",
            "address",
            "office_hours",
            "phone",
            "fax",
            "email",
            "website",
            "enforcement_area",
            "disclosure_office",
            "enforcement_powers",
            "enforcement_officers",
            "random_inspection_items",
            "current_guide",
        ]

    def get_current_guide(self, entity: AdministrativeEntity) -> int | None:
        """The id of the entity's current guide version, if it has published one."""
        guides = getattr(entity, "current_guides", [])
        return guides[0].pk if guides else None


class GuideSerializer(serializers.ModelSerializer):
    """A published (or superseded) version of a disclosure guide; the body is sanitised HTML."""

    entity_name = serializers.CharField(source="entity.name", read_only=True)
    body = serializers.SerializerMethodField()

    class Meta:
        model = DisclosureGuide
        fields = ["id", "entity", "entity_name", "version", "status", "published_at", "body"]

    def get_body(self, guide: DisclosureGuide) -> str:
        """The guide's HTML, through the allow-list sanitiser whatever wrote the row."""
        return sanitize_html(guide.body)


@extend_schema_view(get=extend_schema(summary="List announced administrative entities"))
class EntityListView(generics.ListAPIView):
    serializer_class = EntitySummarySerializer
    filterset_class = EntityFilter

    def get_queryset(self):  # noqa: ANN201 - DRF hook
        return entity_list()


@extend_schema_view(get=extend_schema(summary="An announced administrative entity"))
class EntityDetailView(generics.RetrieveAPIView):
    serializer_class = EntityDetailSerializer

    def get_queryset(self):  # noqa: ANN201 - DRF hook
        return entity_detail_queryset()


@extend_schema_view(get=extend_schema(summary="List published disclosure-guide versions"))
class GuideListView(generics.ListAPIView):
    serializer_class = GuideSerializer
    filterset_class = GuideFilter

    def get_queryset(self):  # noqa: ANN201 - DRF hook
        return guide_public_queryset()


@extend_schema_view(get=extend_schema(summary="A published disclosure-guide version"))
class GuideDetailView(generics.RetrieveAPIView):
    serializer_class = GuideSerializer

    def get_queryset(self):  # noqa: ANN201 - DRF hook
        return guide_public_queryset()
