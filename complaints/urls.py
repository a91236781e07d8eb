"""Public pages of the complaints app (mounted at the site root, inside the language prefix)."""

app_name = "complaints"
urlpatterns: list = []
