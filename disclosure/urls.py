"""Public pages of the disclosure app (mounted at the site root, inside the language prefix)."""

app_name = "disclosure"
urlpatterns: list = []
