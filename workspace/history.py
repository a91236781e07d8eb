"""Change history and deletion rules that hold on every admin list (see workspace.login_site).

Every record officials change keeps its history (django-simple-history): who, when, and the field
by field difference from the version before, shown on the admin's History page. Officials
withdraw or deactivate records through their apps' actions; only district administrators
delete, and a deletion is itself a history row ('-') that names who deleted.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.utils import unquote
from django.http import Http404, HttpRequest, HttpResponse


def user_may_delete_records(user: Any) -> bool:
    """True for superusers and members of the district administrators' group (workspace.roles).

    Holding a model's delete permission is not enough: deletion is the administrators' alone.
    """
    if not (user and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_workspace_may_delete", None)
    if cached is None:
        from workspace.roles import DISTRICT_ADMINISTRATOR

        cached = user.groups.filter(name=DISTRICT_ADMINISTRATOR.group_name).exists()
        user._workspace_may_delete = cached
    return cached


class SiteRulesMixin:
    """Put in front of every registered ModelAdmin by GongkaiAdminSite.register().

    - deletion (the delete page, the bulk action) for district administrators only, on top of the
      model admin's own rule;
    - the History pages only for records the official may see in the list (a deleted record's
      history for those who may delete): simple-history would otherwise fall back to the
      history rows of a record outside the official's scope.
    """

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not user_may_delete_records(request.user):
            return False
        return super().has_delete_permission(request, obj)

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        """The list, with a link to the bulk import where its kind has one (workspace.imports)."""
        from workspace.imports import import_url_for

        extra_context = {
            **(extra_context or {}),
            "workspace_import_url": import_url_for(self.model, request.user, site=self.admin_site),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def _history_in_scope_or_404(self, request: HttpRequest, object_id: str) -> None:
        pk = unquote(object_id)
        try:
            if self.get_queryset(request).filter(pk=pk).exists():
                return
            exists = self.model._default_manager.filter(pk=pk).exists()
        except (ValueError, TypeError) as error:  # a malformed key in the URL
            raise Http404 from error
        if exists or not user_may_delete_records(request.user):
            raise Http404

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        self._history_in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict | None = None,
    ) -> HttpResponse:
        self._history_in_scope_or_404(request, object_id)
        return super().history_form_view(
            request, object_id, version_id, extra_context=extra_context
        )
