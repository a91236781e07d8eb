"""Public pages of the services app (mounted at the site root, inside the language prefix)."""

app_name = "services"
urlpatterns: list = []

# --- Guides, items, windows, centre, statistics, big screen (services B) ---
from django.urls import path  # noqa: E402

from services.views import big_screen as big_screen_views  # noqa: E402
from services.views import public as public_views  # noqa: E402
from services.views import statistics as statistics_views  # noqa: E402

urlpatterns += [
    path("services/", public_views.item_list, name="item-list"),
    path("services/items/<int:pk>/", public_views.item_detail, name="item-detail"),
    path(
        "services/items/<int:pk>/materials/<int:material_pk>/<slug:which>/",
        public_views.material_file,
        name="material-file",
    ),
    path("services/windows/", public_views.window_list, name="window-list"),
    path("services/windows/<int:pk>/", public_views.window_detail, name="window-detail"),
    path("services/centre/", public_views.centre, name="centre"),
    path(
        "services/annual-inspections/",
        public_views.annual_inspection_list,
        name="annual-inspection-list",
    ),
    path("services/big-screen/", big_screen_views.big_screen, name="big-screen"),
    path("statistics/", statistics_views.statistics_page, name="statistics"),
    path("statistics/export.csv", statistics_views.statistics_csv, name="statistics-csv"),
]

# --- Case-status lookup (services A) ---
from services.views import cases as case_views  # noqa: E402

urlpatterns += [
    path("services/cases/lookup/", case_views.case_lookup_page, name="case-lookup"),
]
