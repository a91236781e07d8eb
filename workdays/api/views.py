"""API views of the workdays app: compute a deadline, list a year's special days."""

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from workdays.api.filters import CalendarDayFilter
from workdays.api.serializers import (
    CalendarDaySerializer,
    DeadlineQuerySerializer,
    DeadlineSerializer,
)
from workdays.calendar import Deadline
from workdays.models import CalendarDay
from workdays.selectors import calendar_day_list


class DeadlineView(APIView):
    """Compute a statutory deadline: N working days after a start date, minus pauses."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, required=True, description="YYYY-MM-DD, day 0"),
            OpenApiParameter("days", int, required=True, description="working days, 0-1000"),
            OpenApiParameter(
                "pause",
                str,
                many=True,
                required=False,
                description="repeatable FIRST/LAST, e.g. 2025-10-20/2025-10-24",
            ),
        ],
        responses=DeadlineSerializer,
    )
    def get(self, request: Request) -> Response:
        query = DeadlineQuerySerializer(
            data={
                "start": request.query_params.get("start"),
                "days": request.query_params.get("days"),
                "pause": request.query_params.getlist("pause"),
            }
        )
        query.is_valid(raise_exception=True)
        deadline = Deadline(
            start=query.validated_data["start"],
            workdays=query.validated_data["days"],
            pauses=tuple(query.validated_data["pause"]),
        )
        return Response(DeadlineSerializer(deadline).data)


class CalendarDayListView(generics.ListAPIView):
    """List holidays and make-up working days, filtered by year and kind."""

    permission_classes = [AllowAny]
    serializer_class = CalendarDaySerializer
    filterset_class = CalendarDayFilter

    def get_queryset(self) -> QuerySet[CalendarDay]:
        return calendar_day_list()
