"""Public pages of the disclosure app (mounted at the site root, inside the language prefix)."""

app_name = "disclosure"
urlpatterns: list = []

# --- Entities, guides and announcements (entities engineer) ---
from django.urls import path  # noqa: E402

from disclosure.views import entities as entity_views  # noqa: E402

urlpatterns += [
    path("entities/", entity_views.entity_directory, name="entity-directory"),
    path("entities/<int:pk>/", entity_views.entity_detail, name="entity-detail"),
    path("entities/<int:pk>/guide/", entity_views.guide_detail, name="guide-current"),
    path(
        "entities/<int:pk>/guide/v<int:version>/",
        entity_views.guide_detail,
        name="guide-version",
    ),
    path("announcements/", entity_views.announcement_list, name="announcement-list"),
]

# --- Catalogue (catalogue engineer) ---
from disclosure import feeds as catalogue_feeds  # noqa: E402
from disclosure.views import catalogue as catalogue_views  # noqa: E402
from disclosure.views import files as file_views  # noqa: E402

urlpatterns += [
    path("catalogue/", catalogue_views.catalogue_list, name="catalogue-list"),
    path(
        "catalogue/entries/<int:pk>/attachments/<int:attachment_pk>/",
        file_views.catalogue_attachment_download,
        name="catalogue-attachment",
    ),
    path(
        "catalogue/entries/<int:pk>/",
        catalogue_views.catalogue_entry_detail,
        name="catalogue-entry",
    ),
    path(
        "catalogue/index/<path:index_no>/",
        catalogue_views.catalogue_entry_by_index_no,
        name="catalogue-index-no",
    ),
    path("catalogue/feed/", catalogue_feeds.CatalogueFeed(), name="catalogue-feed"),
    path(
        "catalogue/feed/entities/<int:pk>/",
        catalogue_feeds.EntityCatalogueFeed(),
        name="catalogue-feed-entity",
    ),
    path(
        "catalogue/feed/topics/<slug:code>/",
        catalogue_feeds.TopicCatalogueFeed(),
        name="catalogue-feed-topic",
    ),
]

# --- Public institutions (institutions engineer) ---
from disclosure.views import institutions as institution_views  # noqa: E402

urlpatterns += [
    path("institutions/", institution_views.institution_index, name="institution-index"),
    path("institutions/<int:pk>/", institution_views.institution_detail, name="institution-detail"),
    path("institutions/fees/", institution_views.fee_search_page, name="fee-search"),
    path(
        "institutions/completeness/",
        institution_views.completeness_page,
        name="institution-completeness",
    ),
    path(
        "institutions/sectors/<slug:code>/",
        institution_views.sector_detail,
        name="sector-detail",
    ),
    path(
        "institutions/sectors/<slug:code>/fees/",
        institution_views.sector_fees,
        name="sector-fees",
    ),
    path(
        "institutions/departments/<int:pk>/",
        institution_views.department_institutions,
        name="institution-department",
    ),
    path("institutions/review/", institution_views.institution_review, name="institution-review"),
    path(
        "institutions/fees/self-inspection/",
        institution_views.fee_self_inspection_page,
        name="fee-self-inspection",
    ),
]

# --- Information requests and annual reports (requests engineer) ---
from disclosure.views import reports as report_views  # noqa: E402
from disclosure.views import requests as request_views  # noqa: E402

urlpatterns += [
    path("requests/", request_views.requests_index, name="request-index"),
    path("requests/new/", request_views.request_new, name="request-new"),
    path("requests/track/", request_views.request_track, name="request-track"),
    path(
        "requests/track/<str:number>/letter/",
        request_views.request_reply_letter_download,
        name="request-letter",
    ),
    path(
        "requests/track/<str:number>/documents/<int:document_id>/",
        request_views.request_document_download,
        name="request-document",
    ),
    path("reports/", report_views.report_list, name="report-list"),
    path("reports/<str:scope>/<int:year>/", report_views.report_detail, name="report-detail"),
    path("reports/<str:scope>/<int:year>/csv/", report_views.report_csv, name="report-csv"),
    path("reports/<str:scope>/<int:year>/xlsx/", report_views.report_xlsx, name="report-xlsx"),
]
