"""Public pages of the complaints app (mounted at the site root, inside the language prefix)."""

from django.urls import path

from complaints.views import public

app_name = "complaints"
urlpatterns: list = [
    path("complaints/", public.complaint_ledger, name="complaint-ledger"),
    path("complaints/new/", public.complaint_new, name="complaint-new"),
    path("complaints/new/done/", public.complaint_done, name="complaint-done"),
    path("complaints/track/", public.complaint_track, name="complaint-track"),
    path("complaints/track/<str:number>/", public.complaint_detail, name="complaint-detail"),
    path(
        "complaints/track/<str:number>/<slug:action>/",
        public.complaint_follow_up,
        name="complaint-follow-up",
    ),
]

# --- Supervision (part B) ---
from complaints.views import supervision as supervision_views  # noqa: E402

urlpatterns += [
    path("complaints/supervisors/", supervision_views.supervisor_list, name="supervisor-list"),
    path("complaints/visits/", supervision_views.visit_list, name="visit-list"),
    path("complaints/visits/<int:pk>/", supervision_views.visit_detail, name="visit-detail"),
    path(
        "complaints/rectification/",
        supervision_views.rectification_list,
        name="rectification-list",
    ),
    path(
        "complaints/rectification/<int:pk>/",
        supervision_views.rectification_detail,
        name="rectification-detail",
    ),
    path(
        "complaints/rectification/<int:pk>/evidence/",
        supervision_views.rectification_evidence,
        name="rectification-evidence",
    ),
]
