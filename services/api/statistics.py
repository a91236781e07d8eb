"""Statistics API: the figures of the /statistics/ page as JSON, for the same query string."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from services.selectors.statistics import statistics_report
from services.views.statistics import _department, period_from_query


def _row(figures, **extra) -> dict:  # noqa: ANN001
    data = {**extra, **figures.as_dict()}
    return {
        key: (str(value) if hasattr(value, "quantize") else value) for key, value in data.items()
    }


@extend_schema(
    summary="Service statistics for a period",
    parameters=[
        OpenApiParameter("period", str, enum=["half", "year", "month"]),
        OpenApiParameter("year", int),
        OpenApiParameter("half", int, enum=[1, 2]),
        OpenApiParameter("month", int),
        OpenApiParameter("department", int),
    ],
    responses=OpenApiTypes.OBJECT,
)
@api_view(["GET"])
@permission_classes([AllowAny])
def statistics(request: Request) -> Response:
    """Totals, per department, per item and per month; rates are strings with one decimal."""
    period = period_from_query(request.query_params)
    department = _department(request.query_params)
    report = statistics_report(period=period, entity_id=department)
    return Response(
        {
            "period": {
                "first": period.first.isoformat(),
                "last": period.last.isoformat(),
                "kind": period.kind,
            },
            "department": department,
            "totals": _row(report["totals"]),
            "by_department": [_row(row, id=row.key, name=row.name) for row in report["by_entity"]],
            "by_item": [_row(row, id=row.key, name=row.name) for row in report["by_item"]],
            "by_month": [{**row, "month": f"{row['month']:%Y-%m}"} for row in report["by_month"]],
        }
    )
