"""API endpoints of the disclosure app, mounted at /api/v1/disclosure/."""

app_name = "disclosure-api"
urlpatterns: list = []

# --- Entities and guides (entities engineer) ---
from django.urls import path  # noqa: E402

from disclosure.api import entities as entity_api  # noqa: E402

urlpatterns += [
    path("entities/", entity_api.EntityListView.as_view(), name="entity-list"),
    path("entities/<int:pk>/", entity_api.EntityDetailView.as_view(), name="entity-detail"),
    path("guides/", entity_api.GuideListView.as_view(), name="guide-list"),
    path("guides/<int:pk>/", entity_api.GuideDetailView.as_view(), name="guide-detail"),
]

# --- Catalogue (catalogue engineer) ---
from disclosure.api import catalogue as catalogue_api  # noqa: E402

urlpatterns += [
    path("entries/", catalogue_api.CatalogueEntryListView.as_view(), name="entry-list"),
    path(
        "entries/<int:pk>/",
        catalogue_api.CatalogueEntryDetailView.as_view(),
        name="entry-detail",
    ),
    path("topics/", catalogue_api.TopicListView.as_view(), name="topic-list"),
]

# --- Public institutions (institutions engineer) ---
from disclosure.api import institutions as institution_api  # noqa: E402

urlpatterns += [
    path("institutions/", institution_api.InstitutionListView.as_view(), name="institution-list"),
    path(
        "institutions/<int:pk>/",
        institution_api.InstitutionDetailView.as_view(),
        name="institution-detail",
    ),
    path(
        "institution-items/",
        institution_api.InstitutionDisclosureListView.as_view(),
        name="institution-item-list",
    ),
    path("fees/", institution_api.FeeItemListView.as_view(), name="fee-list"),
]

# --- Information requests and annual reports (requests engineer) ---
from disclosure.api import reports as report_api  # noqa: E402
from disclosure.api import requests as request_api  # noqa: E402

urlpatterns += [
    path("requests/", request_api.RequestSubmitView.as_view(), name="request-submit"),
    path("requests/track/", request_api.RequestTrackView.as_view(), name="request-track"),
    path("reports/", report_api.AnnualReportListView.as_view(), name="report-list"),
    path("reports/<int:pk>/", report_api.AnnualReportDetailView.as_view(), name="report-detail"),
]
