"""API endpoints of the services app, mounted at /api/v1/services/."""

app_name = "services-api"
urlpatterns: list = []

# --- Items, windows, annual inspections, statistics (services B) ---
from django.urls import path  # noqa: E402

from services.api import public as public_api  # noqa: E402
from services.api import statistics as statistics_api  # noqa: E402

urlpatterns += [
    path("items/", public_api.ServiceItemListView.as_view(), name="item-list"),
    path("items/<int:pk>/", public_api.ServiceItemDetailView.as_view(), name="item-detail"),
    path("windows/", public_api.WindowListView.as_view(), name="window-list"),
    path("windows/<int:pk>/", public_api.WindowDetailView.as_view(), name="window-detail"),
    path(
        "annual-inspections/",
        public_api.AnnualInspectionItemListView.as_view(),
        name="annual-inspection-list",
    ),
    path("statistics/", statistics_api.statistics, name="statistics"),
]

# --- Case status (services A) ---
from services.api import cases as cases_api  # noqa: E402

urlpatterns += [
    path("cases/status/", cases_api.CaseStatusView.as_view(), name="case-status"),
]
