"""Read-only API: service items (with guides), windows (with stars), annual inspections.

Only published items and open windows are served, as on the public pages; no applicant's or
rater's personal data.
"""

import django_filters
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers

from disclosure.api.filters import IdFilter
from services.models import AnnualInspectionItem, ServiceItem, ServiceMaterial, ServiceWindow
from services.selectors.items_public import (
    service_item_public_detail_queryset,
    service_item_public_list,
)
from services.selectors.windows import (
    window_latest_scored_month,
    window_public_queryset,
    window_star_history,
    window_stars_for_month,
)


class ServiceItemFilter(django_filters.FilterSet):
    """Filters of the item list: department, type and a search in names and codes."""

    department = IdFilter(field_name="entity_id")
    kind = django_filters.ChoiceFilter(choices=ServiceItem.Kind.choices)
    q = django_filters.CharFilter(method="filter_q", max_length=100)

    class Meta:
        model = ServiceItem
        fields = ["department", "kind", "green_channel", "full_agency"]

    def filter_q(self, queryset, name: str, value: str):  # noqa: ANN001, ANN201
        ids = service_item_public_list(q=value).values("pk")
        return queryset.filter(pk__in=ids)


class ServiceItemSummarySerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="entity.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = ServiceItem
        fields = [
            "id",
            "basic_code",
            "implementation_code",
            "name",
            "kind",
            "kind_display",
            "entity",
            "department",
            "statutory_days",
            "committed_days",
            "is_free",
            "green_channel",
            "full_agency",
            "deemed_approval",
        ]


class ServiceMaterialSerializer(serializers.ModelSerializer):
    # Links to the download view (the item must be public), never the storage path.
    blank_form = serializers.SerializerMethodField()
    sample = serializers.SerializerMethodField()

    class Meta:
        model = ServiceMaterial
        fields = ["name", "form", "copies", "required", "blank_form", "sample"]

    def _file_url(self, material: ServiceMaterial, which: str) -> str | None:
        path = reverse("services:material-file", args=[material.item_id, material.pk, which])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_blank_form(self, material: ServiceMaterial) -> str | None:
        return self._file_url(material, "blank-form") if material.blank_form else None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_sample(self, material: ServiceMaterial) -> str | None:
        return self._file_url(material, "sample") if material.sample else None


class ServiceItemDetailSerializer(ServiceItemSummarySerializer):
    materials = ServiceMaterialSerializer(many=True, read_only=True)
    windows = serializers.SerializerMethodField()

    class Meta(ServiceItemSummarySerializer.Meta):
        fields = [
            *ServiceItemSummarySerializer.Meta.fields,
            "responsible_person",
            "legal_basis",
            "conditions",
            "steps",
            "fee_standard",
            "fee_basis",
            "place",
            "hours",
            "consultation_phone",
            "complaint_phone",
            "online_url",
            "visits_required",
            "joint_lead_entity",
            "materials",
            "windows",
        ]

    def get_windows(self, item: ServiceItem) -> list[str]:
        return [window.number for window in item.windows.all()]


class WindowSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="entity.name", read_only=True, default="")
    items = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    stars = serializers.SerializerMethodField()
    stars_month = serializers.SerializerMethodField()

    class Meta:
        model = ServiceWindow
        fields = ["id", "number", "name", "entity", "department", "items", "stars", "stars_month"]

    def _month(self, window: ServiceWindow):  # noqa: ANN202
        return (self.context.get("stars") or {}).get(window.pk)

    def get_stars(self, window: ServiceWindow) -> int | None:
        month = self._month(window)
        return month.stars if month else None

    def get_stars_month(self, window: ServiceWindow) -> str | None:
        month = self._month(window)
        return f"{month.month:%Y-%m}" if month else None


class WindowDetailSerializer(WindowSerializer):
    history = serializers.SerializerMethodField()

    class Meta(WindowSerializer.Meta):
        fields = [*WindowSerializer.Meta.fields, "history"]

    def get_history(self, window: ServiceWindow) -> list[dict]:
        return [
            {
                "month": f"{month.month:%Y-%m}",
                "scores": {code: str(row.score) for code, row in month.scores.items()},
                "weighted_score": str(month.weighted) if month.weighted is not None else None,
                "stars": month.stars,
            }
            for month in window_star_history(window=window)
        ]


class AnnualInspectionItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnnualInspectionItem
        fields = [
            "id",
            "year",
            "unit",
            "name",
            "legal_basis",
            "is_free",
            "fee",
            "fee_basis",
            "status",
        ]


@extend_schema_view(get=extend_schema(summary="List published service items"))
class ServiceItemListView(generics.ListAPIView):
    serializer_class = ServiceItemSummarySerializer
    filterset_class = ServiceItemFilter

    def get_queryset(self):  # noqa: ANN201 - DRF hook
        return service_item_public_list()


@extend_schema_view(get=extend_schema(summary="A published service item and its guide"))
class ServiceItemDetailView(generics.RetrieveAPIView):
    serializer_class = ServiceItemDetailSerializer

    def get_queryset(self):  # noqa: ANN201 - DRF hook
        return service_item_public_detail_queryset()


class _WindowStarsMixin:
    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()  # type: ignore[misc]
        context["stars"] = window_stars_for_month(month=window_latest_scored_month())
        return context

    def get_queryset(self):  # noqa: ANN201 - DRF hook
        return window_public_queryset()


@extend_schema_view(get=extend_schema(summary="List the service centre's windows and stars"))
class WindowListView(_WindowStarsMixin, generics.ListAPIView):
    serializer_class = WindowSerializer


@extend_schema_view(get=extend_schema(summary="A window with its monthly scores and stars"))
class WindowDetailView(_WindowStarsMixin, generics.RetrieveAPIView):
    serializer_class = WindowDetailSerializer


class AnnualInspectionFilter(django_filters.FilterSet):
    class Meta:
        model = AnnualInspectionItem
        fields = ["year", "status"]


@extend_schema_view(get=extend_schema(summary="List annual-inspection items by year"))
class AnnualInspectionItemListView(generics.ListAPIView):
    serializer_class = AnnualInspectionItemSerializer
    filterset_class = AnnualInspectionFilter
    queryset = AnnualInspectionItem.objects.all()
