"""Officials' pages under /officials/ (not translated URLs: officials' tools, behind login)."""

from django.urls import path

from workspace import views

app_name = "workspace"

urlpatterns: list = [
    path("queue/", views.queue, name="queue"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
