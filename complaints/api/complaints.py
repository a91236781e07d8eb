"""API of efficiency complaints: submission and tracking (the same actions as the form), the
public ledger and its statistics. No response ever carries the complainant's identity.
"""

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints.actions.complaints import complaint_submit
from complaints.forms import ComplaintForm
from complaints.models import Complaint
from complaints.selectors.complaints import (
    complaint_for_tracking,
    complaint_timeline,
    complaints_ledger,
    ledger_department_counts,
    ledger_monthly_counts,
    ledger_state,
)
from complaints.selectors.ledger_cache import LedgerPaginator
from disclosure.api.errors import ErrorDetailSerializer
from disclosure.ratelimit import submission_rate_limit
from disclosure.tracking import (
    TrackingLookupForm,
    TrackingRateLimited,
    client_address,
    tracking_lookup,
)

NOT_AN_OBJECT = _("Send the fields as a JSON object or as form data.")


class LedgerSerializer(serializers.ModelSerializer):
    """A ledger row: number, date, category, department (never a person), state, outcome."""

    department = serializers.SerializerMethodField()
    ledger_state = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "tracking_no",
            "received_on",
            "category",
            "status",
            "ledger_state",
            "department",
            "decline_reason",
            "finding",
            "measures",
            "concluded_on",
            "replied_on",
            "closed_on",
            "withdrawn_on",
        ]

    def get_department(self, complaint: Complaint) -> str | None:
        department = complaint.department
        return department.name if department is not None else None

    def get_ledger_state(self, complaint: Complaint) -> str:
        return ledger_state(complaint)


class TimelineSerializer(serializers.Serializer):
    kind = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    at = serializers.DateTimeField()


class TrackedSerializer(LedgerSerializer):
    """What the complainant sees with number and password (still no identity)."""

    timeline = serializers.SerializerMethodField()
    due_date = serializers.SerializerMethodField()
    due_derivation = serializers.SerializerMethodField()

    class Meta(LedgerSerializer.Meta):
        fields = [
            *LedgerSerializer.Meta.fields,
            "conclusion",
            "reply",
            "rating",
            "reconsideration_requested_on",
            "due_date",
            "due_derivation",
            "timeline",
        ]

    def get_timeline(self, complaint: Complaint) -> list[dict]:
        return TimelineSerializer(complaint_timeline(complaint), many=True).data

    def get_due_date(self, complaint: Complaint) -> str | None:
        deadline = complaint.deadline()
        return deadline.due_date.isoformat() if deadline is not None else None

    def get_due_derivation(self, complaint: Complaint) -> list[str]:
        deadline = complaint.deadline()
        return [step.text() for step in deadline.derivation.steps] if deadline else []


class SubmitSerializer(serializers.Serializer):
    """The complaint form's fields (see ComplaintForm); attachments as multipart files."""

    entity = serializers.IntegerField(required=False)
    window = serializers.IntegerField(required=False)
    item = serializers.IntegerField(required=False)
    institution = serializers.IntegerField(required=False)
    case_number = serializers.CharField(required=False)
    category = serializers.ChoiceField(choices=Complaint.Category.choices)
    description = serializers.CharField()
    occurred_on = serializers.DateField(required=False)
    place = serializers.CharField(required=False)
    anonymous = serializers.BooleanField(required=False)
    complainant_name = serializers.CharField(required=False)
    complainant_mobile = serializers.CharField(required=False)
    complainant_email = serializers.EmailField(required=False)
    attachments = serializers.ListField(child=serializers.FileField(), required=False)


class ComplaintSubmitView(APIView):
    """File a complaint; the answer is the tracking number and the password, shown once."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        request=SubmitSerializer,
        responses={
            201: inline_serializer(
                "ComplaintCredentials",
                {"tracking_no": serializers.CharField(), "password": serializers.CharField()},
            )
        },
    )
    @submission_rate_limit("complaints")
    def post(self, request: Request) -> Response:
        data = request.data
        if not isinstance(data, QueryDict | dict):  # a JSON list or scalar: was a 500 (fuzzing)
            return Response(
                {"__all__": [{"message": str(NOT_AN_OBJECT), "code": "invalid"}]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if not isinstance(data, QueryDict):
            plain = QueryDict(mutable=True)
            for key, value in data.items():
                if isinstance(value, bool):
                    value = "on" if value else ""
                plain[key] = "" if value is None else str(value)
            data = plain
        form = ComplaintForm(data, request.FILES)
        if not form.is_valid():
            return Response(form.errors.get_json_data(), status=status.HTTP_400_BAD_REQUEST)
        complaint, credentials = complaint_submit(**form.action_kwargs(), channel="api")
        return Response(
            {"tracking_no": credentials.number, "password": credentials.password},
            status=status.HTTP_201_CREATED,
        )


class ComplaintTrackView(APIView):
    """Number and password → the complaint's state, timeline, due date and reply."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=inline_serializer(
            "ComplaintTrackRequest",
            {"number": serializers.CharField(), "password": serializers.CharField()},
        ),
        responses={200: TrackedSerializer, 404: ErrorDetailSerializer, 429: ErrorDetailSerializer},
    )
    def post(self, request: Request) -> Response:
        if not isinstance(request.data, QueryDict | dict):  # was a 500 (fuzzing)
            return Response(
                {"__all__": [{"message": str(NOT_AN_OBJECT), "code": "invalid"}]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        form = TrackingLookupForm(request.data)
        if not form.is_valid():
            return Response(form.errors.get_json_data(), status=status.HTTP_400_BAD_REQUEST)
        try:
            complaint = tracking_lookup(
                Complaint.objects.all(),
                number=form.cleaned_data["number"],
                password=form.cleaned_data["password"],
                client=client_address(request._request),
                scope="complaints",
            )
        except TrackingRateLimited as limited:
            return Response(
                {"detail": str(limited)},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(limited.retry_after)},
            )
        if complaint is None:
            return Response({"detail": "not found"}, status=status.HTTP_404_NOT_FOUND)
        return Response(TrackedSerializer(complaint_for_tracking(complaint.pk)).data)


def _year_parameter(request: Request) -> int | None:
    """The `year` query parameter, None when absent; a 400 unless it is a year from 1949 to 2100.

    `int()` of a huge or non-ASCII digit string (`²`) used to reach the database or raise: a 500.
    """
    raw = request.query_params.get("year")
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and 1949 <= int(raw) <= 2100):
        raise ValidationError({"year": [_("Give a year between 1949 and 2100.")]})
    return int(raw)


YEAR_PARAMETER = OpenApiParameter("year", int, description="A year from 1949 to 2100.")


class LedgerPagination(PageNumberPagination):
    """The site's page-number pagination with the ledger's cached row count."""

    django_paginator_class = LedgerPaginator


@extend_schema(
    parameters=[
        OpenApiParameter("status", str, enum=Complaint.Status.values),
        OpenApiParameter("category", str, enum=Complaint.Category.values),
        YEAR_PARAMETER,
    ]
)
class LedgerListView(generics.ListAPIView):
    """The public ledger: every complaint ever received (filters: status, category, year)."""

    serializer_class = LedgerSerializer
    permission_classes = [AllowAny]
    pagination_class = LedgerPagination

    def get_queryset(self):
        params = self.request.query_params
        return complaints_ledger(
            status=params.get("status") or None,
            category=params.get("category") or None,
            year=_year_parameter(self.request),
        )


class StatisticsView(APIView):
    """Monthly counts that reconcile and per-department counts."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[YEAR_PARAMETER],
        responses={
            200: inline_serializer(
                "ComplaintStatistics",
                {
                    "reconciles": serializers.BooleanField(),
                    "months": serializers.ListField(child=serializers.DictField()),
                    "departments": serializers.ListField(child=serializers.DictField()),
                },
            )
        },
    )
    def get(self, request: Request) -> Response:
        counts = ledger_monthly_counts(year=_year_parameter(request))
        fields = ("received", "concluded", "in_progress", "declined", "withdrawn")
        return Response(
            {
                "reconciles": counts.reconciles,
                "months": [
                    {"month": m.month.strftime("%Y-%m"), **{f: getattr(m, f) for f in fields}}
                    for m in counts.months
                ],
                "departments": ledger_department_counts(),
            }
        )
