"""Admin for service cases: a scoped read-only list and detail (cases change only through
`services.actions.cases`), the CSV import page, and the joint approval meeting's action that
completes deemed-approved cases."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from disclosure.admin.scoping import EntityScopedAdminMixin
from disclosure.exceptions import TransitionNotAllowed
from services.actions.cases import case_accept, case_complete, case_joint_meeting_complete
from services.actions.imports import COLUMNS, cases_import_csv, csv_text
from services.models import (
    JointMeetingDecision,
    ServiceCase,
    ServiceCaseEvent,
    ServiceCasePause,
)


class ServiceCaseEventInline(admin.TabularInline):
    model = ServiceCaseEvent
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False


class ServiceCasePauseInline(admin.TabularInline):
    model = ServiceCasePause
    extra = 0
    can_delete = False
    fields = ["reason", "first", "last", "note"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False


class CaseImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file"))


@admin.register(ServiceCase)
class ServiceCaseAdmin(EntityScopedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "case_no",
        "item",
        "entity",
        "status",
        "received_on",
        "accepted_on",
        "due_date",
        "overdue_on",
        "completed_on",
        "result",
    ]
    list_select_related = ["item", "entity"]
    list_filter = ["status", "channel", "green_channel", "result", "entity"]
    search_fields = ["case_no"]
    date_hierarchy = "received_on"
    ordering = ["due_date", "id"]
    inlines = [ServiceCasePauseInline, ServiceCaseEventInline]
    actions = ["accept_today", "approve_today", "complete_by_joint_meeting"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False

    def get_urls(self):  # noqa: ANN201 - Django hook
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="services_servicecase_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a CSV export; show what was created, skipped and rejected (with lines)."""
        if not request.user.has_perm("services.import_servicecase"):
            raise PermissionDenied
        form = CaseImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            try:
                text = csv_text(form.cleaned_data["file"].read())
            except UnicodeDecodeError:
                form.add_error("file", _("The file is neither UTF-8 nor GB18030 text."))
            else:
                report = cases_import_csv(text=text, by=request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import cases from CSV"),
            "form": form,
            "report": report,
            "columns": COLUMNS,
        }
        return render(request, "services/case_import.html", context)

    def _each(self, request: HttpRequest, queryset, step) -> None:  # noqa: ANN001
        done = 0
        for case in queryset.select_related(None):
            try:
                step(case)
            except (TransitionNotAllowed, ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{case.case_no}: {error}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, _("Done: %(n)d.") % {"n": done}, messages.SUCCESS)

    @admin.action(
        description=gettext_lazy("Accept the selected applications (today)"),
        permissions=["handle"],
    )
    def accept_today(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        self._each(request, queryset, lambda case: case_accept(case=case, by=request.user))

    @admin.action(
        description=gettext_lazy("Complete the selected cases as approved (today)"),
        permissions=["handle"],
    )
    def approve_today(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        self._each(
            request,
            queryset,
            lambda case: case_complete(
                case=case, result=ServiceCase.Result.APPROVED, by=request.user
            ),
        )

    def has_handle_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("services.handle_servicecase")

    @admin.action(
        description=gettext_lazy("Complete by the joint approval meeting (today)"),
        permissions=["decide_jointmeeting"],
    )
    def complete_by_joint_meeting(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        done = 0
        for case in queryset.filter(status=ServiceCase.Status.DEEMED_APPROVED):
            try:
                case_joint_meeting_complete(
                    case=case, meeting_date=timezone.localdate(), by=request.user
                )
            except (TransitionNotAllowed, ValidationError) as error:
                self.message_user(request, f"{case.case_no}: {error}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, _("Completed: %(n)d.") % {"n": done}, messages.SUCCESS)

    def has_decide_jointmeeting_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("services.decide_jointmeeting")


@admin.register(JointMeetingDecision)
class JointMeetingDecisionAdmin(EntityScopedAdminMixin, admin.ModelAdmin):
    scope_field = "case__entity"
    list_display = ["case", "meeting_date", "minutes_no", "decided_by"]
    list_select_related = ["case", "decided_by"]
    date_hierarchy = "meeting_date"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False
