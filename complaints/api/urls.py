"""API endpoints of the complaints app, mounted at /api/v1/complaints/."""

app_name = "complaints-api"
urlpatterns: list = []
