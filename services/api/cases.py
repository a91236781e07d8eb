"""API: a case's status by case number and query code (GET /api/v1/services/cases/status/).

One 404 answer for an unknown number and a wrong code; 429 with Retry-After past the rate
limit. The answer never holds the applicant's name or contact.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from disclosure.api.errors import ErrorDetailSerializer
from disclosure.tracking import TrackingRateLimited, client_address
from services.models import ServiceCase
from services.selectors.cases import case_clock, case_lookup


class CaseStatusQuerySerializer(serializers.Serializer):
    case_no = serializers.CharField(max_length=40)
    code = serializers.CharField(max_length=64)


class CaseClockSerializer(serializers.Serializer):
    due_date = serializers.DateField(source="deadline.due_date", allow_null=True)
    provisional = serializers.BooleanField(source="deadline.provisional", allow_null=True)
    workdays_left = serializers.IntegerField(allow_null=True)
    paused = serializers.BooleanField()
    correction_notice_last_day = serializers.DateField(allow_null=True)
    derivation = serializers.SerializerMethodField()

    def get_derivation(self, clock) -> list[dict]:  # noqa: ANN001
        """The due date's derivation: one step a row (kind, dates, working days, sentence)."""
        if clock.deadline is None:
            return []
        return [
            {
                "kind": step.kind,
                "first": step.first,
                "last": step.last,
                "workdays": step.workdays,
                "text": step.text(),
            }
            for step in clock.deadline.derivation.steps
        ]


class TimelineEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    from_status = serializers.CharField()
    status = serializers.CharField(source="to_status")


PUBLIC_CASE_FIELDS = [
    "case_no",
    "item",
    "item_name",
    "department",
    "status",
    "result",
    "result_reason",
    "channel",
    "green_channel",
    "parent_case_no",
    "agent_name",
    "received_on",
    "accepted_on",
    "deemed_accepted",
    "committed_days",
    "deemed_approved_on",
    "completed_on",
    "withdrawn_on",
    "clock",
]


class SubCaseSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name")
    department = serializers.CharField(source="entity.name")
    clock = serializers.SerializerMethodField()

    class Meta:
        model = ServiceCase
        fields = [
            "case_no",
            "item",
            "item_name",
            "department",
            "status",
            "result",
            "received_on",
            "accepted_on",
            "committed_days",
            "deemed_approved_on",
            "completed_on",
            "clock",
        ]

    def get_clock(self, case: ServiceCase) -> dict:
        return CaseClockSerializer(case_clock(case, on=self.context["today"])).data


class CaseStatusSerializer(serializers.ModelSerializer):
    """What the applicant sees; no applicant fields."""

    item_name = serializers.CharField(source="item.name")
    department = serializers.CharField(source="entity.name")
    parent_case_no = serializers.CharField(source="parent.case_no", allow_null=True, default=None)
    clock = serializers.SerializerMethodField()
    sub_cases = SubCaseSerializer(many=True)
    timeline = TimelineEventSerializer(source="events", many=True)

    class Meta:
        model = ServiceCase
        fields = [*PUBLIC_CASE_FIELDS, "sub_cases", "timeline"]

    def get_clock(self, case: ServiceCase) -> dict:
        return CaseClockSerializer(case_clock(case, on=self.context["today"])).data


class CaseStatusView(APIView):
    """A case's status, clock (with its derivation), timeline and sub-cases."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("case_no", str, required=True),
            OpenApiParameter("code", str, required=True, description="The query code."),
        ],
        responses={
            200: CaseStatusSerializer,
            404: ErrorDetailSerializer,
            429: ErrorDetailSerializer,
        },
        summary="Look up a service case's status",
    )
    def get(self, request: Request) -> Response:
        query = CaseStatusQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            case = case_lookup(
                case_no=query.validated_data["case_no"],
                code=query.validated_data["code"],
                client=client_address(request),
            )
        except TrackingRateLimited as limited:
            return Response(
                {"detail": str(limited)},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(limited.retry_after)},
            )
        if case is None:
            return Response(
                {"detail": _("No case matches this case number and query code.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        context = {"today": timezone.localdate()}
        return Response(
            CaseStatusSerializer(case, context=context).data, headers={"Cache-Control": "no-store"}
        )
