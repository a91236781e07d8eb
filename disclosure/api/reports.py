"""Read-only API for published annual reports (tables as published)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from disclosure.models.reports import AnnualReport
from disclosure.selectors.reports import report_display_tables, report_published_list


class AnnualReportListSerializer(serializers.ModelSerializer):
    entity_name = serializers.CharField(source="entity.name", default=None)
    scope = serializers.CharField(source="scope_slug")

    class Meta:
        model = AnnualReport
        fields = [
            "id",
            "year",
            "scope",
            "entity",
            "entity_name",
            "template_version",
            "published_at",
        ]


class AnnualReportDetailSerializer(AnnualReportListSerializer):
    tables = serializers.SerializerMethodField()

    class Meta(AnnualReportListSerializer.Meta):
        fields = [
            *AnnualReportListSerializer.Meta.fields,
            "section_overview",
            "section_problems",
            "section_other",
            "tables",
        ]

    def get_tables(self, obj: AnnualReport) -> dict:
        return report_display_tables(obj)


@extend_schema_view(get=extend_schema(summary="List published annual reports"))
class AnnualReportListView(generics.ListAPIView):
    serializer_class = AnnualReportListSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return report_published_list()


@extend_schema_view(get=extend_schema(summary="An annual report with Tables 2-4"))
class AnnualReportDetailView(generics.RetrieveAPIView):
    serializer_class = AnnualReportDetailSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return report_published_list()
