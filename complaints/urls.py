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
