"""The officials' admin site: the login with an optional second factor, and site-wide rules.

`admin.site` is an instance of GongkaiAdminSite (workspace.login_apps.GongkaiAdminConfig), so every
`@admin.register` in the apps goes through `register()` here, which adds the rules that hold for
every list: deletion for administrators only, history readable only within the admin's scope
(workspace.history) and CSV/XLSX export of the list (workspace.exports).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest

from workspace.exports import export_csv, export_xlsx
from workspace.history import SiteRulesMixin
from workspace.login import OfficialLoginForm


class GongkaiAdminSite(admin.AdminSite):
    """Django's admin site with the officials' login and the site-wide rules."""

    login_form = OfficialLoginForm
    login_template = "workspace/login_admin.html"

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)
        self.add_action(export_csv)
        self.add_action(export_xlsx)

    def get_urls(self) -> list:
        """The admin's URLs, and the import pages (workspace.imports) under `import/`."""
        from functools import partial

        from django.urls import path

        from workspace.imports import import_index_view, import_view

        extra = [
            path(
                "import/",
                self.admin_view(partial(import_index_view, site=self)),
                name="workspace_import_index",
            ),
            path(
                "import/<slug:kind>/",
                self.admin_view(partial(import_view, site=self)),
                name="workspace_import",
            ),
        ]
        return extra + super().get_urls()

    def has_permission(self, request: HttpRequest) -> bool:
        """Active staff; with GONGKAI_ADMIN_OTP_REQUIRED, only once a second factor was given."""
        if not super().has_permission(request):
            return False
        if settings.GONGKAI_ADMIN_OTP_REQUIRED:
            is_verified = getattr(request.user, "is_verified", None)
            return bool(is_verified and is_verified())
        return True

    def register(self, model_or_iterable, admin_class=None, **options) -> None:  # noqa: ANN001
        """Register as usual, with SiteRulesMixin in front of the model admin's own classes.

        A model that keeps history (simple-history) gets SimpleHistoryAdmin's History page with
        the field diffs even where its model admin is a plain ModelAdmin.
        """
        from django.db.models.base import ModelBase
        from simple_history.admin import SimpleHistoryAdmin

        models = (
            [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        )
        for model in models:
            base = admin_class or admin.ModelAdmin
            bases: tuple[type, ...] = (base,)
            keeps_history = getattr(model._meta, "simple_history_manager_attribute", None)
            if keeps_history and not issubclass(base, SimpleHistoryAdmin):
                bases = (base, SimpleHistoryAdmin)
            if not issubclass(base, SiteRulesMixin):
                bases = (SiteRulesMixin, *bases)
            if bases != (base,):
                wrapped = type(base.__name__, bases, {})
                wrapped.__module__ = base.__module__
                base = wrapped
            super().register(model, base, **options)
