"""API for information requests: submission and tracking (no listing: applications are private).

The output never carries the applicant's identity document or contact.
"""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from disclosure.actions.requests import request_submit
from disclosure.api.errors import ErrorDetailSerializer
from disclosure.models.requests import OUTCOME_CITATIONS, ApplicantType, InformationRequest
from disclosure.ratelimit import submission_rate_limit
from disclosure.selectors.entities import entity_public_queryset
from disclosure.selectors.requests import request_clocks, request_tracking_queryset
from disclosure.tracking import TrackingRateLimited, client_address, tracking_lookup
from disclosure.views.requests import TRACKING_SCOPE


class RequestSubmitSerializer(serializers.Serializer):
    """An application, as a machine submits it (checked again by the action)."""

    entity = serializers.PrimaryKeyRelatedField(queryset=entity_public_queryset())
    applicant_type = serializers.ChoiceField(choices=ApplicantType.choices)
    applicant_name = serializers.CharField(max_length=200)
    id_type = serializers.ChoiceField(choices=InformationRequest.IdType.choices)
    id_number = serializers.CharField(max_length=40)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    info_title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    info_document_no = serializers.CharField(max_length=100, required=False, allow_blank=True)
    info_description = serializers.CharField(required=False, allow_blank=True)
    delivery_form = serializers.ChoiceField(choices=InformationRequest.DeliveryForm.choices)


class TrackingInputSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=32)
    password = serializers.CharField(max_length=64)


class ClockSerializer(serializers.Serializer):
    code = serializers.CharField()
    due_date = serializers.DateField(source="deadline.due_date")
    provisional = serializers.BooleanField(source="deadline.provisional")
    derivation = serializers.CharField(source="deadline.derivation.text")


class TimelineSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    status = serializers.CharField(source="to_status")


class RequestTrackingSerializer(serializers.ModelSerializer):
    """What the applicant sees: state, timeline, due dates with derivation, outcome."""

    entity = serializers.CharField(source="entity.name")
    information = serializers.CharField(source="information_summary")
    clocks = serializers.SerializerMethodField()
    timeline = TimelineSerializer(source="events", many=True)
    legal_basis = serializers.SerializerMethodField()
    status = serializers.CharField(help_text="InformationRequest.Status value")
    outcome = serializers.CharField(help_text="Table 3 outcome code (empty until concluded)")

    class Meta:
        model = InformationRequest
        fields = [
            "tracking_no",
            "entity",
            "information",
            "status",
            "submitted_at",
            "received_date",
            "outcome",
            "legal_basis",
            "reply_date",
            "fee_amount",
            "fee_paid_date",
            "clocks",
            "timeline",
        ]

    @extend_schema_field(ClockSerializer(many=True))
    def get_clocks(self, obj: InformationRequest) -> list[dict]:
        return ClockSerializer(request_clocks(obj), many=True).data

    def get_legal_basis(self, obj: InformationRequest) -> str:
        return OUTCOME_CITATIONS.get(obj.outcome, "")


class RequestSubmitView(APIView):
    """Submit an application; the answer holds the tracking number and password (shown once)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=RequestSubmitSerializer,
        responses={
            201: inline_serializer(
                "RequestSubmitted",
                {"tracking_no": serializers.CharField(), "password": serializers.CharField()},
            )
        },
        summary="Submit an information request",
    )
    @submission_rate_limit(TRACKING_SCOPE)
    def post(self, request: Request) -> Response:
        serializer = RequestSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        entity = data.pop("entity")
        data["channel"] = InformationRequest.Channel.ONLINE
        try:
            _record, credentials = request_submit(entity=entity, data=data)
        except ValidationError as error:
            return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            {"tracking_no": credentials.number, "password": credentials.password},
            status=status.HTTP_201_CREATED,
        )


class RequestTrackView(APIView):
    """Track an application by number and password (rate-limited: 429 with Retry-After)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=TrackingInputSerializer,
        responses={
            200: RequestTrackingSerializer,
            404: ErrorDetailSerializer,
            429: ErrorDetailSerializer,
        },
        summary="Track an information request",
    )
    def post(self, request: Request) -> Response:
        serializer = TrackingInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            record = tracking_lookup(
                request_tracking_queryset(),
                number=serializer.validated_data["number"],
                password=serializer.validated_data["password"],
                client=client_address(request),
                scope=TRACKING_SCOPE,
            )
        except TrackingRateLimited as limited:
            return Response(
                {"detail": str(limited)},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(limited.retry_after)},
            )
        if record is None:
            return Response({"detail": "not found"}, status=status.HTTP_404_NOT_FOUND)
        return Response(RequestTrackingSerializer(record).data)
