"""Read-only API: per-department figures from complaints, inspection visits and rectification
projects (the same selector as the ledger page). Never a person: departments only."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints.selectors.complaints import ledger_department_counts


class DepartmentStatisticsSerializer(serializers.Serializer):
    """One department's figures (department_id is null for complaints naming no department)."""

    department_id = serializers.IntegerField(allow_null=True)
    department = serializers.CharField()
    received = serializers.IntegerField(help_text="Complaints received")
    concluded = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    declined = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    substantiated = serializers.IntegerField(help_text="Concluded as fully or partly substantiated")
    visits = serializers.IntegerField(help_text="Accepted inspection visits")
    average_score = serializers.FloatField(
        allow_null=True, help_text="Mean score (0-100) of the scored accepted visits"
    )
    findings = serializers.IntegerField(help_text="Findings of accepted visits")
    serious_findings = serializers.IntegerField(help_text="Findings rated serious or grave")
    projects = serializers.IntegerField(help_text="Rectification projects")
    projects_open = serializers.IntegerField(help_text="Projects planned or in progress")
    projects_overdue = serializers.IntegerField(help_text="Open projects past their due date")


class DepartmentStatisticsView(APIView):
    """Per-department complaints, inspection visits, findings and rectification projects."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary="Per-department figures of complaints, inspection visits and rectification",
        responses={200: DepartmentStatisticsSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        rows = ledger_department_counts()
        return Response(DepartmentStatisticsSerializer(rows, many=True).data)
