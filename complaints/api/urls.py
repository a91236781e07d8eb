"""API endpoints of the complaints app, mounted at /api/v1/complaints/."""

app_name = "complaints-api"
urlpatterns: list = []

# --- Complaints (part A) ---
from django.urls import path  # noqa: E402

from complaints.api import complaints as complaint_api  # noqa: E402

urlpatterns += [
    path("", complaint_api.ComplaintSubmitView.as_view(), name="complaint-submit"),
    path("track/", complaint_api.ComplaintTrackView.as_view(), name="complaint-track"),
    path("ledger/", complaint_api.LedgerListView.as_view(), name="ledger-list"),
    path("statistics/", complaint_api.StatisticsView.as_view(), name="statistics"),
]

# --- Supervision (part B) ---
from complaints.api import supervision as supervision_api  # noqa: E402

urlpatterns += [
    path("supervisors/", supervision_api.SupervisorListView.as_view(), name="supervisor-list"),
    path(
        "rectification/",
        supervision_api.RectificationListView.as_view(),
        name="rectification-list",
    ),
    path(
        "rectification/<int:pk>/",
        supervision_api.RectificationDetailView.as_view(),
        name="rectification-detail",
    ),
    path("visits/", supervision_api.VisitSummaryListView.as_view(), name="visit-list"),
]

# --- Department statistics ---
from complaints.api import statistics as statistics_api  # noqa: E402

urlpatterns += [
    path(
        "departments/",
        statistics_api.DepartmentStatisticsView.as_view(),
        name="department-statistics",
    ),
]
