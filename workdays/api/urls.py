"""API endpoints of the workdays app, mounted at /api/v1/workdays/."""

app_name = "workdays-api"
urlpatterns: list = []
