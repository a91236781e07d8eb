"""Read-only API for public institutions, their published items and their fees.

Only active institutions, published items and published fees in force today are served;
anything else is a 404, as on the public pages. A filter value that is not valid (an unknown
sector code, a negative amount, a unit that is not one) is a 400 naming the parameter.
"""

from decimal import Decimal

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers

from disclosure.api.filters import IdFilter
from disclosure.models.institutions import (
    FeeItem,
    InstitutionDisclosure,
    PublicInstitution,
    Sector,
)
from disclosure.sanitize import sanitize_html
from disclosure.selectors.institutions import (
    fee_search,
    institution_disclosures_for_api,
    institution_public_queryset,
)


class InstitutionFilter(django_filters.FilterSet):
    """Filters for the institution list: sector (code) and supervising department (id)."""

    sector = django_filters.ModelChoiceFilter(
        queryset=Sector.objects.all(), to_field_name="code", label=_("Sector code")
    )
    department = IdFilter(
        field_name="supervising_department_id", label=_("Supervising department (entity id)")
    )
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))

    class Meta:
        model = PublicInstitution
        fields = ["sector", "department", "q"]


class InstitutionDisclosureFilter(django_filters.FilterSet):
    institution = IdFilter(field_name="institution_id", label=_("Institution"))
    sector = django_filters.ModelChoiceFilter(
        queryset=Sector.objects.all(),
        to_field_name="code",
        field_name="institution__sector",
        label=_("Sector code"),
    )
    kind = django_filters.CharFilter(field_name="kind__code", label=_("Item kind code"))

    class Meta:
        model = InstitutionDisclosure
        fields = ["institution", "sector", "kind"]


class FeeItemFilter(django_filters.FilterSet):
    """The fee search: name or institution (substring), sector, category, unit, amount."""

    q = django_filters.CharFilter(
        method="filter_q", label=_("Fee or institution name (substring, e.g. 学费)")
    )
    institution = IdFilter(field_name="institution_id", label=_("Institution"))
    sector = django_filters.ModelChoiceFilter(
        queryset=Sector.objects.all(),
        to_field_name="code",
        field_name="institution__sector",
        label=_("Sector code"),
    )
    category = django_filters.ChoiceFilter(choices=FeeItem.Category.choices, label=_("Category"))
    unit = django_filters.ChoiceFilter(choices=FeeItem.Unit.choices, label=_("Unit"))
    max_amount = django_filters.NumberFilter(
        field_name="amount_min",
        lookup_expr="lte",
        min_value=Decimal("0"),
        label=_("At most this amount (fees whose lowest amount is not above it)"),
    )

    class Meta:
        model = FeeItem
        fields = ["q", "institution", "sector", "category", "unit", "max_amount"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for term in value.split():
            queryset = queryset.filter(
                Q(name__icontains=term) | Q(institution__name__icontains=term)
            )
        return queryset


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["code", "name", "field"]


class InstitutionSerializer(serializers.ModelSerializer):
    sector = SectorSerializer(read_only=True)
    supervising_department_name = serializers.CharField(
        source="supervising_department.name", read_only=True
    )

    class Meta:
        model = PublicInstitution
        fields = [
            "id",
            "name",
            "sector",
            "supervising_department",
            "supervising_department_name",
            "address",
            "hours",
            "phone",
            "supervision_phone",
            "website",
            "latitude",
            "longitude",
        ]


class InstitutionDisclosureSerializer(serializers.ModelSerializer):
    kind_code = serializers.CharField(source="kind.code", read_only=True)
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    content = serializers.SerializerMethodField()

    class Meta:
        model = InstitutionDisclosure
        fields = [
            "id",
            "institution",
            "institution_name",
            "kind_code",
            "kind_name",
            "content",
            "last_updated",
            "next_review_due",
        ]

    def get_content(self, item: InstitutionDisclosure) -> str:
        """The item's HTML, through the allow-list sanitiser whatever wrote the row."""
        return sanitize_html(item.content)


class FeeItemSerializer(serializers.ModelSerializer):
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    sector = serializers.CharField(source="institution.sector.code", read_only=True)

    class Meta:
        model = FeeItem
        fields = [
            "id",
            "institution",
            "institution_name",
            "sector",
            "name",
            "category",
            "amount_min",
            "amount_max",
            "unit",
            "legal_basis",
            "approval_document",
            "valid_from",
            "valid_to",
        ]


@extend_schema_view(get=extend_schema(summary="List public institutions"))
class InstitutionListView(generics.ListAPIView):
    serializer_class = InstitutionSerializer
    filterset_class = InstitutionFilter

    def get_queryset(self):  # noqa: ANN201 - DRF hook
        return institution_public_queryset().order_by("sector__sort_order", "name")


@extend_schema_view(get=extend_schema(summary="A public institution"))
class InstitutionDetailView(generics.RetrieveAPIView):
    serializer_class = InstitutionSerializer

    def get_queryset(self):  # noqa: ANN201 - DRF hook
        return institution_public_queryset()


@extend_schema_view(get=extend_schema(summary="List institutions' published disclosure items"))
class InstitutionDisclosureListView(generics.ListAPIView):
    serializer_class = InstitutionDisclosureSerializer
    filterset_class = InstitutionDisclosureFilter

    def get_queryset(self):  # noqa: ANN201 - DRF hook
        return institution_disclosures_for_api().order_by("institution__name", "kind__sort_order")


@extend_schema_view(get=extend_schema(summary="Search institutions' published fees in force"))
class FeeItemListView(generics.ListAPIView):
    serializer_class = FeeItemSerializer
    filterset_class = FeeItemFilter

    def get_queryset(self):  # noqa: ANN201 - DRF hook
        return fee_search()
