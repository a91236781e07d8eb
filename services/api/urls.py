"""API endpoints of the services app, mounted at /api/v1/services/."""

app_name = "services-api"
urlpatterns: list = []
