"""Admin for service cases: a scoped list and detail whose fields are read-only (cases change
only through `services.actions.cases`), a button on the change page for every move legal now
(accept, request a correction, correction received, suspend, resume, decide, withdraw, the
joint approval meeting), the CSV import page, and bulk list actions."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from disclosure.admin.scoping import EntityScopedAdminMixin
from disclosure.exceptions import TransitionNotAllowed
from disclosure.selectors.memberships import entity_ids_for_official
from services.actions.cases import (
    case_accept,
    case_complete,
    case_joint_meeting_complete,
    case_receive,
    case_request_correction,
    case_resume,
    case_suspend,
    case_withdraw,
)
from services.actions.imports import COLUMNS, cases_import_csv, csv_text
from services.admin.workflow import (
    ServiceStep,
    ServiceWorkflowAdminMixin,
    StepForm,
    add_errors,
)
from services.models import (
    JointMeetingDecision,
    ServiceCase,
    ServiceCaseEvent,
    ServiceCasePause,
    ServiceItem,
    ServiceWindow,
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


class ReceiveForm(forms.Form):
    """An application received at a window or by post (收件): what `case_receive` needs."""

    item = forms.ModelChoiceField(
        label=gettext_lazy("Service item"), queryset=ServiceItem.objects.none()
    )
    applicant_type = forms.ChoiceField(
        label=gettext_lazy("Applicant type"), choices=ServiceCase.ApplicantType.choices
    )
    applicant_name = forms.CharField(label=gettext_lazy("Applicant"), max_length=200)
    applicant_contact = forms.CharField(
        label=gettext_lazy("Applicant contact"), max_length=200, required=False
    )
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), choices=ServiceCase.Channel.choices)
    window = forms.ModelChoiceField(
        label=gettext_lazy("Window"),
        queryset=ServiceWindow.objects.filter(is_active=True),
        required=False,
    )
    agent_name = forms.CharField(
        label=gettext_lazy("Agent (full agency service)"), max_length=60, required=False
    )
    green_channel = forms.BooleanField(label=gettext_lazy("Green channel"), required=False)
    received_on = forms.DateField(label=gettext_lazy("Received on"), initial=timezone.localdate)
    note = forms.CharField(
        label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, user: object, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        items = ServiceItem.objects.select_related("entity").order_by("entity_id", "basic_code")
        scope = entity_ids_for_official(user)
        if scope is not None:
            items = items.filter(entity_id__in=scope)
        self.fields["item"].queryset = items


class DatedStepForm(StepForm):
    """A move dated by the official (today by default)."""

    on = forms.DateField(label=gettext_lazy("Date"), initial=timezone.localdate)


class CorrectionForm(DatedStepForm):
    missing = forms.CharField(
        label=gettext_lazy("Everything missing (one list, in one notice)"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SuspendForm(DatedStepForm):
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason for the suspension"), choices=ServiceCasePause.Reason.choices
    )


class CompleteForm(DatedStepForm):
    result = forms.ChoiceField(label=gettext_lazy("Result"), choices=ServiceCase.Result.choices)
    reason = forms.CharField(
        label=gettext_lazy("Reasons (required for a refusal)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class JointMeetingForm(StepForm):
    meeting_date = forms.DateField(label=gettext_lazy("Meeting date"), initial=timezone.localdate)
    minutes_no = forms.CharField(
        label=gettext_lazy("Minutes number"), max_length=60, required=False
    )


S = ServiceCase.Status
HANDLE = "services.handle_servicecase"
OPEN_TO_WITHDRAWAL = frozenset({S.RECEIVED, S.CORRECTION_REQUESTED, S.ACCEPTED, S.SUSPENDED})

CASE_STEPS = (
    ServiceStep(
        "accept",
        gettext_lazy("Accept the application"),
        HANDLE,
        frozenset({S.RECEIVED}),
        DatedStepForm,
        lambda case, by, data: case_accept(case=case, by=by, on=data["on"], note=data["note"]),
    ),
    ServiceStep(
        "request_correction",
        gettext_lazy("Request a correction"),
        HANDLE,
        frozenset({S.RECEIVED}),
        CorrectionForm,
        lambda case, by, data: case_request_correction(
            case=case, by=by, missing=data["missing"], on=data["on"], note=data["note"]
        ),
        possible=lambda case: case.correction_requested_on is None,
    ),
    ServiceStep(
        "correction_received",
        gettext_lazy("Correction received: accept"),
        HANDLE,
        frozenset({S.CORRECTION_REQUESTED}),
        DatedStepForm,
        lambda case, by, data: case_accept(case=case, by=by, on=data["on"], note=data["note"]),
    ),
    ServiceStep(
        "suspend",
        gettext_lazy("Suspend the clock"),
        HANDLE,
        frozenset({S.ACCEPTED}),
        SuspendForm,
        lambda case, by, data: case_suspend(
            case=case, by=by, reason=data["reason"], on=data["on"], note=data["note"]
        ),
    ),
    ServiceStep(
        "resume",
        gettext_lazy("Resume the clock"),
        HANDLE,
        frozenset({S.SUSPENDED}),
        DatedStepForm,
        lambda case, by, data: case_resume(case=case, by=by, on=data["on"], note=data["note"]),
    ),
    ServiceStep(
        "complete",
        gettext_lazy("Decide: approve or refuse"),
        HANDLE,
        frozenset({S.ACCEPTED}),
        CompleteForm,
        lambda case, by, data: case_complete(
            case=case,
            by=by,
            result=data["result"],
            reason=data["reason"],
            on=data["on"],
            note=data["note"],
        ),
    ),
    ServiceStep(
        "withdraw",
        gettext_lazy("Record the withdrawal"),
        HANDLE,
        OPEN_TO_WITHDRAWAL,
        DatedStepForm,
        lambda case, by, data: case_withdraw(case=case, by=by, on=data["on"], note=data["note"]),
    ),
    ServiceStep(
        "joint_meeting",
        gettext_lazy("Complete by the joint approval meeting"),
        "services.decide_jointmeeting",
        frozenset({S.DEEMED_APPROVED}),
        JointMeetingForm,
        lambda case, by, data: case_joint_meeting_complete(
            case=case,
            by=by,
            meeting_date=data["meeting_date"],
            minutes_no=data["minutes_no"],
            note=data["note"],
        ),
    ),
)


@admin.register(ServiceCase)
class ServiceCaseAdmin(EntityScopedAdminMixin, ServiceWorkflowAdminMixin, SimpleHistoryAdmin):
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
    workflow_steps = CASE_STEPS
    change_list_template = "services/case_admin_change_list.html"

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
            path(
                "receive/",
                self.admin_site.admin_view(self.receive_view),
                name="services_servicecase_receive",
            ),
            *super().get_urls(),
        ]

    def receive_view(self, request: HttpRequest) -> HttpResponse:
        """Register an application (收件) and show its case number and query code once."""
        if not request.user.has_perm(HANDLE):
            raise PermissionDenied
        form = ReceiveForm(request.POST or None, user=request.user)
        received = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                received = case_receive(
                    item=data["item"],
                    applicant_type=data["applicant_type"],
                    applicant_name=data["applicant_name"],
                    applicant_contact=data["applicant_contact"],
                    channel=data["channel"],
                    window=data["window"],
                    agent_name=data["agent_name"],
                    green_channel=data["green_channel"],
                    received_on=data["received_on"],
                    note=data["note"],
                    by=request.user,
                )
            except ValidationError as error:
                add_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Receive an application"),
            "form": form,
            "received": received,
        }
        return render(request, "services/case_receive.html", context)

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
                text = " ".join(error.messages) if isinstance(error, ValidationError) else error
                self.message_user(request, f"{case.case_no}: {text}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, _("Done: %(n)d.") % {"n": done}, messages.SUCCESS)

    @admin.action(
        description=gettext_lazy("Accept the selected applications (today)"),
        permissions=["handle"],
    )
    def accept_today(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        """Accept received applications; one waiting for corrected materials is not taken.

        A list shows no status an official confirmed: a case asked for corrections after the
        list was loaded must not be accepted unseen. Checked under the case's row lock.
        """

        def accept(case: ServiceCase) -> None:
            with transaction.atomic():
                status = (
                    ServiceCase.objects.select_for_update()
                    .values_list("status", flat=True)
                    .get(pk=case.pk)
                )
                if status == ServiceCase.Status.CORRECTION_REQUESTED:
                    raise ValidationError(
                        _(
                            "It is “%(status)s”: only received applications are accepted from "
                            "the list; accept it from its own page. Nothing was changed."
                        )
                        % {"status": ServiceCase.Status(status).label}
                    )
                case_accept(case=case, by=request.user)

        self._each(request, queryset, accept)

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
