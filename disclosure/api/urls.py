"""API endpoints of the disclosure app, mounted at /api/v1/disclosure/."""

app_name = "disclosure-api"
urlpatterns: list = []
