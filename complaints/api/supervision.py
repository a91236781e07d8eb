"""Read-only API for supervision: supervisors' public data, rectification projects, visit
summaries. Contacts of supervisors and private visit notes are never serialised (the selectors
do not even load them); only accepted visits are summarised.
"""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers

from complaints.models.supervision import (
    InspectionVisit,
    RectificationProgress,
    RectificationProject,
    Supervisor,
    VisitFinding,
)
from complaints.selectors.supervision import (
    rectification_project_detail_queryset,
    rectification_project_list,
    supervisor_public_list,
    visit_public_summaries,
)
from disclosure.api.filters import IdFilter


class SupervisorFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Supervisor.Kind.choices)
    role = django_filters.ChoiceFilter(choices=Supervisor.Role.choices)

    class Meta:
        model = Supervisor
        fields = ["kind", "role"]


class RectificationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=RectificationProject.Status.choices)
    responsible_entity = IdFilter(field_name="responsible_entity_id")
    overdue = django_filters.BooleanFilter(
        field_name="overdue_since", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = RectificationProject
        fields = ["status", "responsible_entity", "overdue"]


class VisitFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=InspectionVisit.Kind.choices)
    window = IdFilter(field_name="window_id")
    entity = IdFilter(field_name="entity_id")
    visited_after = django_filters.DateFilter(field_name="visited_on", lookup_expr="gte")
    visited_before = django_filters.DateFilter(field_name="visited_on", lookup_expr="lte")

    class Meta:
        model = InspectionVisit
        fields = ["kind", "window", "entity", "visited_after", "visited_before"]


class SupervisorSerializer(serializers.ModelSerializer):
    """A supervisor's public data: no phone, e-mail, address or account."""

    role_display = serializers.CharField(source="get_role_display", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Supervisor
        fields = [
            "id",
            "name",
            "role",
            "role_display",
            "kind",
            "kind_display",
            "affiliation",
            "term_start",
            "term_end",
        ]


class FindingSerializer(serializers.ModelSerializer):
    responsible_entity_name = serializers.CharField(
        source="responsible_entity.name", read_only=True
    )

    class Meta:
        model = VisitFinding
        fields = [
            "id",
            "description",
            "severity",
            "responsible_entity",
            "responsible_entity_name",
            "rectification_project",
        ]


class VisitSummarySerializer(serializers.ModelSerializer):
    """An accepted visit as the public sees it: no private notes, no inspector's identity."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    window_name = serializers.SerializerMethodField()
    entity_name = serializers.SerializerMethodField()
    findings = FindingSerializer(many=True, read_only=True)

    class Meta:
        model = InspectionVisit
        fields = [
            "id",
            "kind",
            "kind_display",
            "visited_on",
            "window",
            "window_name",
            "entity",
            "entity_name",
            "place",
            "topic",
            "summary",
            "score",
            "findings",
        ]

    def get_window_name(self, visit: InspectionVisit) -> str | None:
        return str(visit.window) if visit.window_id else None

    def get_entity_name(self, visit: InspectionVisit) -> str | None:
        return visit.entity.name if visit.entity_id else None


class ProgressSerializer(serializers.ModelSerializer):
    class Meta:
        model = RectificationProgress
        fields = ["reported_on", "text"]


class RectificationSummarySerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    responsible_entity_name = serializers.CharField(
        source="responsible_entity.name", read_only=True
    )
    coordinating_entities = serializers.SerializerMethodField()
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = RectificationProject
        fields = [
            "id",
            "number",
            "title",
            "source",
            "source_display",
            "responsible_entity",
            "responsible_entity_name",
            "coordinating_entities",
            "responsible_leader",
            "start_date",
            "workdays",
            "due_date",
            "status",
            "status_display",
            "is_overdue",
            "overdue_since",
            "completed_on",
            "verified_on",
        ]

    def get_coordinating_entities(self, project: RectificationProject) -> list[str]:
        return [entity.name for entity in project.coordinating_entities.all()]

    def get_is_overdue(self, project: RectificationProject) -> bool:
        return project.overdue_since is not None


class RectificationDetailSerializer(RectificationSummarySerializer):
    progress_updates = ProgressSerializer(many=True, read_only=True)
    findings = FindingSerializer(many=True, read_only=True)

    class Meta(RectificationSummarySerializer.Meta):
        fields = [
            *RectificationSummarySerializer.Meta.fields,
            "problem",
            "plan",
            "measures",
            "completion_summary",
            "progress_updates",
            "findings",
        ]


@extend_schema_view(get=extend_schema(summary="List invited supervisors (public data only)"))
class SupervisorListView(generics.ListAPIView):
    serializer_class = SupervisorSerializer
    filterset_class = SupervisorFilter

    def get_queryset(self):  # noqa: ANN201 - DRF hook
        return supervisor_public_list()


@extend_schema_view(get=extend_schema(summary="List rectification projects"))
class RectificationListView(generics.ListAPIView):
    serializer_class = RectificationSummarySerializer
    filterset_class = RectificationFilter

    def get_queryset(self):  # noqa: ANN201 - DRF hook
        return rectification_project_list()


@extend_schema_view(get=extend_schema(summary="A rectification project with its progress"))
class RectificationDetailView(generics.RetrieveAPIView):
    serializer_class = RectificationDetailSerializer

    def get_queryset(self):  # noqa: ANN201 - DRF hook
        return rectification_project_detail_queryset()


@extend_schema_view(get=extend_schema(summary="List summaries of accepted inspection visits"))
class VisitSummaryListView(generics.ListAPIView):
    serializer_class = VisitSummarySerializer
    filterset_class = VisitFilter

    def get_queryset(self):  # noqa: ANN201 - DRF hook
        return visit_public_summaries()
