"""Public pages of the workdays app (mounted at the site root, inside the language prefix)."""

app_name = "workdays"
urlpatterns: list = []
