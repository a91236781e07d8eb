"""Officials' pages under /officials/ (not translated URLs: officials' tools, behind login)."""

app_name = "workspace"

urlpatterns: list = []
