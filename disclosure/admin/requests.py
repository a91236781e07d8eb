"""Admin for information requests: the officials' register, work queue and workflow buttons.

Applicant data and statuses are read-only; each step (receipt, correction, consultation and its
answer, extension, fee, reply, reply documents, close, appeal and its result) is a button that
opens a small form and calls the action in `disclosure.actions.requests`, which checks the rules;
a refused step shows the action's error on the form (400). The list orders by due date and
filters overdue requests.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from disclosure.actions import requests as request_actions
from disclosure.actions.workflow import SEEN_STATUS_FIELD, StaleWorkflowPage
from disclosure.admin.entities import WorkflowAdminMixin, WorkflowStep
from disclosure.admin.scoping import EntityScopedAdminMixin
from disclosure.exceptions import TransitionNotAllowed
from disclosure.models.requests import (
    InformationRequest,
    Outcome,
    RequestAppeal,
    RequestConsultation,
    RequestDocument,
    RequestEvent,
)
from workdays.calendar import add_workdays

S = InformationRequest.Status
HANDLE = "disclosure.handle_informationrequest"


class RequestStepForm(forms.Form):
    """The inputs a step may need; each step keeps only its own fields."""

    on = forms.DateField(label=_("Date"), required=False)
    items = forms.CharField(label=_("Items to correct"), widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label=_("Consultation"), choices=RequestConsultation.Kind.choices)
    party = forms.CharField(label=_("Consulted party"), max_length=200)
    consultation = forms.ModelChoiceField(
        label=_("Consultation answered"), queryset=RequestConsultation.objects.none()
    )
    answer = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    objects_to_disclosure = forms.BooleanField(
        label=_("The consulted party objects to disclosure"), required=False
    )
    workdays = forms.IntegerField(label=_("Working days"), min_value=1, max_value=20)
    approved_by = forms.CharField(label=_("Approved by (office head)"), max_length=60)
    method = forms.ChoiceField(label=_("Fee method"), choices=InformationRequest.FeeMethod.choices)
    pages = forms.IntegerField(label=_("Pages"), min_value=0, required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(v, label) for v, label in Outcome.choices if v in request_actions.REPLY_OUTCOMES],
    )
    appeal_kind = forms.ChoiceField(label=_("Appeal"), choices=RequestAppeal.Kind.choices)
    body = forms.CharField(label=_("Reconsideration body or court"), max_length=200, required=False)
    appeal = forms.ModelChoiceField(
        label=_("Appeal decided"), queryset=RequestAppeal.objects.none()
    )
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[
            (v, label)
            for v, label in RequestAppeal.Result.choices
            if v != RequestAppeal.Result.PENDING
        ],
    )
    title = forms.CharField(label=_("Document title"), max_length=200)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, step: WorkflowStep, obj: InformationRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name != "on" and name not in step.fields:
                del self.fields[name]
        if "consultation" in self.fields:
            self.fields["consultation"].queryset = obj.consultations.filter(
                answered_date__isnull=True
            )
        if "appeal" in self.fields:
            self.fields["appeal"].queryset = obj.appeals.filter(result=RequestAppeal.Result.PENDING)


def _step(name, label, to, fields, call, permission=HANDLE) -> WorkflowStep:  # noqa: ANN001
    return WorkflowStep(name, label, to, permission, fields, call)


REQUEST_STEPS = (
    _step(
        "receive",
        _("Confirm receipt"),
        S.RECEIVED,
        (),
        lambda o, by, d: request_actions.request_receive(request=o, by=by, on=d["on"]),
    ),
    _step(
        "review",
        _("Start review"),
        S.IN_REVIEW,
        (),
        lambda o, by, d: request_actions.request_review_start(request=o, by=by),
    ),
    _step(
        "correction",
        _("Ask for a correction"),
        S.CORRECTION_REQUESTED,
        ("items",),
        lambda o, by, d: request_actions.request_correction_ask(
            request=o, by=by, items=d["items"], on=d["on"]
        ),
    ),
    _step(
        "corrected",
        _("Corrected application received"),
        S.IN_REVIEW,
        (),
        lambda o, by, d: request_actions.request_correction_receive(request=o, by=by, on=d["on"]),
    ),
    _step(
        "consult",
        _("Consult a third party or agency"),
        S.CONSULTING,
        ("kind", "party"),
        lambda o, by, d: request_actions.request_consultation_open(
            request=o, by=by, kind=d["kind"], party=d["party"], on=d["on"]
        ),
    ),
    _step(
        "extend",
        _("Extend (office head's approval)"),
        S.EXTENDED,
        ("workdays", "approved_by"),
        lambda o, by, d: request_actions.request_extend(
            request=o, by=by, workdays=d["workdays"], approved_by_name=d["approved_by"], on=d["on"]
        ),
        permission="disclosure.approve_extension_informationrequest",
    ),
    _step(
        "fee",
        _("Notify a fee"),
        S.FEE_NOTIFIED,
        ("method", "pages"),
        lambda o, by, d: request_actions.request_fee_notify(
            request=o, by=by, method=d["method"], pages=d.get("pages") or 0, on=d["on"]
        ),
    ),
    _step(
        "paid",
        _("Record payment"),
        S.PAID,
        (),
        lambda o, by, d: request_actions.request_fee_pay(request=o, by=by, on=d["on"]),
    ),
    _step(
        "reply",
        _("Reply"),
        S.REPLIED,
        ("outcome",),
        lambda o, by, d: request_actions.request_reply(
            request=o, by=by, outcome=d["outcome"], on=d["on"]
        ),
    ),
    _step(
        "close",
        _("Close and archive"),
        S.CLOSED,
        (),
        lambda o, by, d: request_actions.request_close(request=o, by=by, on=d["on"]),
    ),
)

# Steps that record something without moving the request on (to_status empty): shown when
# `RECORD_STEP_AVAILABLE` says so; the action still checks everything itself.
RECORD_STEPS = (
    _step(
        "consult_more",
        _("Consult another party"),
        "",
        ("kind", "party"),
        lambda o, by, d: request_actions.request_consultation_open(
            request=o, by=by, kind=d["kind"], party=d["party"], on=d["on"]
        ),
    ),
    _step(
        "answer",
        _("Record a consultation's answer"),
        "",
        ("consultation", "answer", "objects_to_disclosure"),
        lambda o, by, d: request_actions.request_consultation_answer(
            consultation=d["consultation"],
            by=by,
            answer=d["answer"],
            objects_to_disclosure=d["objects_to_disclosure"],
            on=d["on"],
        ),
    ),
    _step(
        "document",
        _("Attach a reply document"),
        "",
        ("title", "file"),
        lambda o, by, d: request_actions.request_document_attach(
            request=o, by=by, title=d["title"], file=d["file"]
        ),
    ),
    _step(
        "appeal",
        _("Record an appeal"),
        "",
        ("appeal_kind", "body"),
        lambda o, by, d: request_actions.request_appeal_record(
            request=o, by=by, kind=d["appeal_kind"], filed_date=d["on"], body=d["body"]
        ),
    ),
    _step(
        "appeal_result",
        _("Record an appeal's result"),
        "",
        ("appeal", "result"),
        lambda o, by, d: request_actions.request_appeal_decide(
            appeal=d["appeal"], by=by, result=d["result"], on=d["on"]
        ),
    ),
)

RECORD_STEP_AVAILABLE = {
    "consult_more": lambda o: o.status == S.CONSULTING,
    "answer": lambda o: o.consultations.filter(answered_date__isnull=True).exists(),
    "document": lambda o: o.status == S.REPLIED,
    "appeal": lambda o: o.concluded_date is not None,
    "appeal_result": lambda o: o.appeals.filter(result=RequestAppeal.Result.PENDING).exists(),
}


class DueFilter(admin.SimpleListFilter):
    """Overdue requests, and those due within the reminder window."""

    title = _("due")
    parameter_name = "due"

    def lookups(self, request, model_admin):  # noqa: ANN001, ANN201
        return [("overdue", _("Overdue")), ("soon", _("Due within 3 working days"))]

    def queryset(self, request, queryset):  # noqa: ANN001, ANN201
        today = timezone.localdate()
        open_requests = queryset.filter(received_date__isnull=False, concluded_date__isnull=True)
        if self.value() == "overdue":
            return open_requests.filter(due_date__lt=today)
        if self.value() == "soon":
            horizon = add_workdays(today, request_actions.REMINDER_WORKDAYS)
            return open_requests.filter(due_date__gte=today, due_date__lte=horizon)
        return queryset


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    fields = ["at", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


class RequestConsultationInline(admin.TabularInline):
    model = RequestConsultation
    extra = 0
    can_delete = False
    fields = ["kind", "party", "sent_date", "due_date", "answered_date", "objects_to_disclosure"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


class RequestAppealInline(admin.TabularInline):
    model = RequestAppeal
    extra = 0
    can_delete = False
    fields = ["kind", "filed_date", "result", "decided_date", "body"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


class RequestDocumentInline(admin.TabularInline):
    model = RequestDocument
    extra = 0
    can_delete = False
    fields = ["title", "content_type", "size", "added_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(InformationRequest)
class InformationRequestAdmin(EntityScopedAdminMixin, WorkflowAdminMixin, SimpleHistoryAdmin):
    scope_field = "entity"
    workflow_steps = REQUEST_STEPS + RECORD_STEPS
    workflow_template = "disclosure/request_admin_step.html"
    change_form_template = "disclosure/entity_admin_change_form.html"
    list_display = [
        "tracking_no",
        "entity",
        "applicant_type",
        "status",
        "received_date",
        "due_date",
        "outcome",
    ]
    list_filter = [
        DueFilter,
        "status",
        "applicant_type",
        "outcome",
        ("entity", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["entity"]
    search_fields = ["tracking_no", "applicant_name", "info_title"]
    ordering = ["due_date", "id"]
    inlines = [
        RequestConsultationInline,
        RequestAppealInline,
        RequestDocumentInline,
        RequestEventInline,
    ]

    def get_readonly_fields(self, request, obj=None):  # noqa: ANN001, ANN201
        return [f.name for f in self.model._meta.fields if f.name != "id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # applications come through the form, the API or `request_submit`

    def allowed_steps(self, request: HttpRequest, obj: InformationRequest) -> list[WorkflowStep]:
        """The transition steps the TRANSITIONS map allows, and the record steps that apply."""
        return [
            step
            for step in self.workflow_steps
            if request.user.has_perm(step.permission)
            and (
                RECORD_STEP_AVAILABLE[step.name](obj)
                if not step.to_status
                else obj.can_move_to(step.to_status)
            )
        ]

    def workflow_view(self, request: HttpRequest, object_id: str, step: str) -> HttpResponse:
        obj = self.get_object(request, object_id)
        chosen = next((s for s in self.workflow_steps if s.name == step), None)
        if obj is None or chosen is None:
            raise Http404
        stale_link = self.workflow_stale_link(request, obj)
        if stale_link is not None:
            return stale_link
        status = 200
        if request.method == "POST":
            form = RequestStepForm(request.POST, request.FILES, step=chosen, obj=obj)
            # Record steps (no status of their own) are checked too: the official chose them
            # seeing the request in one status.
            stale = self.workflow_stale_post(request, obj, chosen.to_status)
            if stale is None and form.is_valid():
                data = dict(form.cleaned_data)
                data["on"] = data.get("on") or timezone.localdate()
                try:
                    self.workflow_guarded_call(
                        request, obj, chosen.to_status, lambda: chosen.call(obj, request.user, data)
                    )
                except StaleWorkflowPage as error:
                    stale = error
                except ValidationError as error:
                    self._add_errors(form, error)
                except (TransitionNotAllowed, PermissionDenied, ValueError) as error:
                    form.add_error(None, str(error))
                else:
                    self.message_user(request, f"{obj}: {chosen.label}", messages.SUCCESS)
                    return HttpResponseRedirect(
                        reverse("admin:disclosure_informationrequest_change", args=[obj.pk])
                    )
            status = 400
            if stale is not None:
                if redirect := self.workflow_stale_redirect(request, obj, chosen, stale):
                    return redirect
                form.add_error(None, str(stale))
                status = self.workflow_stale_status(stale)
        else:
            form = RequestStepForm(initial={"on": timezone.localdate()}, step=chosen, obj=obj)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "form": form,
            "step": chosen,
            "title": f"{obj}: {chosen.label}",
            "seen_status_field": SEEN_STATUS_FIELD,
        }
        return render(request, self.workflow_template, context, status=status)

    @staticmethod
    def _add_errors(form: forms.Form, error: ValidationError) -> None:
        """Put an action's errors on the form: on their field when the form has it."""
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                form.add_error(None, message)
            return
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
