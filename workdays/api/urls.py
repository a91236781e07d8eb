"""API endpoints of the workdays app, mounted at /api/v1/workdays/."""

from django.urls import path

from workdays.api import views

app_name = "workdays-api"
urlpatterns = [
    path("deadline/", views.DeadlineView.as_view(), name="deadline"),
    path("days/", views.CalendarDayListView.as_view(), name="day-list"),
]
