"""Public pages of the services app (mounted at the site root, inside the language prefix)."""

app_name = "services"
urlpatterns: list = []
