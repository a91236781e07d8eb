"""Admin for efficiency complaints: scoped lists, the firewall, and workflow steps via actions.

The list and the change view go through `complaints_visible_to` (the bureau sees every
complaint, a department only those about it). The complainant's identity is shown only when
`complainant_identity_visible` allows it, and every such display is logged
(`complaint_identity_reveal`). Every change goes through complaints.actions.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from complaints.actions import complaints as actions
from complaints.models import Complaint, ComplaintEvent, Open311Key
from complaints.models.complaints import IDENTITY_FIELDS, TRANSITIONS
from complaints.selectors.complaints import (
    complainant_identity_visible,
    complaints_visible_to,
    official_is_accused,
)
from disclosure.actions.workflow import (
    SEEN_STATUS_FIELD,
    StaleWorkflowPage,
    workflow_guard,
    workflow_seen_status_check,
)
from disclosure.admin.entities import seen_status_posted
from disclosure.exceptions import TransitionNotAllowed
from disclosure.models import AdministrativeEntity

S = Complaint.Status
PUBLIC_FIELDS = (
    "tracking_no",
    "status",
    "category",
    "entity",
    "window",
    "item",
    "case",
    "institution",
    "description",
    "occurred_on",
    "place",
    "anonymous",
    "received_on",
    "investigator",
    "stage_started_on",
    "stage_workdays",
    "stage_due_on",
    "overdue_on",
    "registered_on",
    "decline_reason",
    "finding",
    "measures",
    "conclusion",
    "reply",
    "replied_on",
    "rating",
    "reconsideration_requested_on",
    "closed_on",
    "withdrawn_on",
    "withdraw_reason",
)


class ComplaintEventInline(admin.TabularInline):
    model = ComplaintEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "from_status", "to_status", "actor", "note", "public"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class WorkflowForm(forms.Form):
    """One step of the workflow; which fields matter depends on the step."""

    STEPS = [
        ("register", _("Register (立案)")),
        ("decline", _("Decline (不予受理)")),
        ("assign", _("Assign an investigator")),
        ("investigate", _("Start or resume the investigation")),
        ("transfer", _("Transfer to another department")),
        ("request_information", _("Ask the complainant for information")),
        ("conclude", _("Conclude")),
        ("reply", _("Reply")),
        ("close", _("Close")),
    ]
    step = forms.ChoiceField(label=_("Step"), choices=STEPS)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    decline_reason = forms.ChoiceField(
        label=_("Reason for declining"),
        choices=[("", "—"), *Complaint.DeclineReason.choices],
        required=False,
    )
    investigator = forms.ModelChoiceField(label=_("Investigator"), queryset=None, required=False)
    entity = forms.ModelChoiceField(
        label=_("Department"), queryset=AdministrativeEntity.objects.all(), required=False
    )
    finding = forms.ChoiceField(
        label=_("Finding"), choices=[("", "—"), *Complaint.Finding.choices], required=False
    )
    measures = forms.MultipleChoiceField(
        label=_("Measures"),
        choices=Complaint.Measure.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    conclusion = forms.CharField(
        label=_("Conclusion (public summary)"), widget=forms.Textarea, required=False
    )
    reply = forms.CharField(label=_("Reply"), widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model
        from django.db.models import Q

        self.fields["investigator"].queryset = (
            get_user_model()
            .objects.filter(
                Q(user_permissions__codename="handle_complaint")
                | Q(groups__permissions__codename="handle_complaint")
                | Q(is_superuser=True)
            )
            .distinct()
        )


# The status each step leads to (transfer keeps the status): a second identical move is told
# "already … someone else made this move first".
STEP_TO_STATUS = {
    "register": S.REGISTERED,
    "decline": S.DECLINED,
    "assign": S.ASSIGNED,
    "investigate": S.INVESTIGATING,
    "request_information": S.AWAITING_INFORMATION,
    "conclude": S.CONCLUDED,
    "reply": S.REPLIED,
    "close": S.CLOSED,
}


def workflow_run(complaint: Complaint, by, data: dict) -> None:
    step, note = data["step"], data.get("note") or ""
    if step == "register":
        actions.complaint_register(complaint=complaint, by=by, note=note)
    elif step == "decline":
        actions.complaint_decline(
            complaint=complaint, by=by, reason=data.get("decline_reason") or "", note=note
        )
    elif step == "assign":
        if data.get("investigator") is None:
            raise ValidationError({"investigator": _("Choose the investigator.")})
        actions.complaint_assign(
            complaint=complaint, by=by, investigator=data["investigator"], note=note
        )
    elif step == "investigate":
        actions.complaint_investigate(complaint=complaint, by=by, note=note)
    elif step == "transfer":
        if data.get("entity") is None:
            raise ValidationError({"entity": _("Choose the department.")})
        actions.complaint_transfer(complaint=complaint, by=by, entity=data["entity"], note=note)
    elif step == "request_information":
        actions.complaint_request_information(complaint=complaint, by=by, note=note)
    elif step == "conclude":
        actions.complaint_conclude(
            complaint=complaint,
            by=by,
            finding=data.get("finding") or "",
            measures=data.get("measures") or [],
            conclusion=data.get("conclusion") or "",
            note=note,
        )
    elif step == "reply":
        actions.complaint_reply(
            complaint=complaint, by=by, reply=data.get("reply") or "", note=note
        )
    elif step == "close":
        actions.complaint_close(complaint=complaint, by=by, note=note)


def _may_open_attachments(user, complaint: Complaint) -> bool:
    """The bureau's handlers, never the department complained about."""
    return user.has_perm(actions.PERM_HANDLE) and not official_is_accused(user, complaint)


@admin.register(Complaint)
class ComplaintAdmin(SimpleHistoryAdmin):
    list_display = [
        "tracking_no",
        "received_on",
        "category",
        "status",
        "stage_due_on",
        "overdue_on",
        "entity",
    ]
    list_filter = ["status", "category", ("overdue_on", admin.EmptyFieldListFilter)]
    search_fields = ["tracking_no"]
    ordering = ["stage_due_on", "id"]
    inlines = [ComplaintEventInline]
    change_form_template = "complaints/admin_change_form.html"

    def get_queryset(self, request: HttpRequest):
        return complaints_visible_to(request.user).defer(*IDENTITY_FIELDS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # complaints come from citizens: the form, the API or Open311

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # nothing vanishes from the ledger

    def get_fields(self, request: HttpRequest, obj: Complaint | None = None):
        fields = list(PUBLIC_FIELDS)
        if obj is not None and _may_open_attachments(request.user, obj):
            fields.append("attachment_links")
        if obj is not None:
            fields.append("inspection_findings")
        if obj is not None and complainant_identity_visible(request.user, obj):
            fields += list(IDENTITY_FIELDS)
        return fields

    @admin.display(description=_("Attachments"))
    def attachment_links(self, obj: Complaint) -> str:
        links = [
            format_html(
                '<a href="{}">{} {}</a>',
                reverse("admin:complaints_complaint_attachment", args=[obj.pk, attachment.pk]),
                attachment,
                attachment.pk,
            )
            for attachment in obj.attachments.all()
        ]
        return format_html_join(mark_safe("<br>"), "{}", ((link,) for link in links)) or "—"

    @admin.display(description=_("Inspection findings behind this complaint"))
    def inspection_findings(self, obj: Complaint) -> str:
        """The visit findings this complaint was opened from, linked to their visits."""
        findings = obj.visit_findings.select_related("visit")
        return (
            format_html_join(
                mark_safe("<br>"),
                '<a href="{}">{}</a>: {}',
                (
                    (
                        reverse("admin:complaints_inspectionvisit_change", args=[f.visit_id]),
                        f.visit,
                        f.description,
                    )
                    for f in findings
                ),
            )
            or "—"
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Complaint | None = None):
        return self.get_fields(request, obj)

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and complainant_identity_visible(request.user, obj):
            obj = Complaint.objects.get(pk=obj.pk)
            actions.complaint_identity_reveal(complaint=obj, by=request.user, surface="admin")
        return obj

    def get_urls(self):
        return [
            path(
                "<int:pk>/attachments/<int:attachment_pk>/",
                self.admin_site.admin_view(self.attachment_view),
                name="complaints_complaint_attachment",
            ),
            path(
                "<int:pk>/workflow/",
                self.admin_site.admin_view(self.workflow_view),
                name="complaints_complaint_workflow",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and request.user.has_perm(actions.PERM_HANDLE):
            # The button carries the status this page shows (stale pages: see workflow_view).
            url = reverse("admin:complaints_complaint_workflow", args=[obj.pk])
            context["workflow_buttons"] = [
                {
                    "label": _("Take a workflow step"),
                    "url": f"{url}?{urlencode({SEEN_STATUS_FIELD: obj.status})}",
                }
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def attachment_view(self, request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
        complaint = get_object_or_404(complaints_visible_to(request.user), pk=pk)
        if not _may_open_attachments(request.user, complaint):
            raise PermissionDenied
        attachment = get_object_or_404(complaint.attachments, pk=attachment_pk)
        response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Disposition"] = "inline"
        return response

    def workflow_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The step form; it posts the status the official saw (`SEEN_STATUS_FIELD`).

        The step runs inside `workflow_guard`: under the row lock, a complaint whose status is
        no longer the one seen (someone moved it meanwhile), or a form that does not say, is
        refused, nothing is changed and the form is shown again with the current status
        (409; 400 when the form did not say). A link from a change page that showed another
        status leads back to the complaint with the message.
        """
        complaint = get_object_or_404(
            complaints_visible_to(request.user).defer(*IDENTITY_FIELDS), pk=pk
        )
        if not request.user.has_perm(actions.PERM_HANDLE):
            raise PermissionDenied
        change_url = reverse("admin:complaints_complaint_change", args=[complaint.pk])
        if request.method != "POST" and SEEN_STATUS_FIELD in request.GET:
            try:
                workflow_seen_status_check(
                    complaint, complaint.status, request.GET[SEEN_STATUS_FIELD]
                )
            except StaleWorkflowPage as error:
                messages.error(request, str(error))
                return HttpResponseRedirect(change_url)
        form = WorkflowForm(request.POST or None)
        status = 200
        stale = None
        if request.method == "POST":
            seen = seen_status_posted(request)
            to_status = STEP_TO_STATUS.get(request.POST.get("step", ""), "")
            try:
                workflow_seen_status_check(complaint, complaint.status, seen, to_status)
            except StaleWorkflowPage as error:
                stale = error
        if request.method == "POST" and stale is None and form.is_valid():
            try:
                with workflow_guard(record=complaint, seen_status=seen, to_status=to_status):
                    workflow_run(complaint, request.user, form.cleaned_data)
            except StaleWorkflowPage as error:
                stale = error
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            except (TransitionNotAllowed, actions.ComplaintRuleError) as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Done."))
                return HttpResponseRedirect(change_url)
        if stale is not None:
            complaint.refresh_from_db(fields=["status"])
            form.add_error(None, str(stale))
            status = 409 if stale.said else 400
        context = {
            **self.admin_site.each_context(request),
            "title": _("Workflow step for %(number)s") % {"number": complaint.tracking_no},
            "complaint": complaint,
            "form": form,
            "next_statuses": sorted(TRANSITIONS.get(complaint.status, ())),
            "opts": self.model._meta,
            "seen_status_field": SEEN_STATUS_FIELD,
        }
        return TemplateResponse(
            request, "complaints/complaint_admin_workflow.html", context, status=status
        )


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "created_at"]
    readonly_fields = ["key", "created_at"]
