"""Admin for administrative entities, disclosure guides and normative-document filings.

Statuses are read-only here: every workflow move goes through a button on the change page that
opens a small form (note, and the announcement period or filing date where needed) and calls
the action in `disclosure.actions`, which checks permission and the TRANSITIONS map.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, override
from simple_history.admin import SimpleHistoryAdmin

from disclosure.actions import entities as entity_actions
from disclosure.actions import normative as normative_actions
from disclosure.actions.workflow import (
    SEEN_STATUS_FIELD,
    StaleWorkflowPage,
    workflow_guard,
    workflow_seen_status_check,
)
from disclosure.admin.scoping import EntityScopedAdminMixin
from disclosure.exceptions import TransitionNotAllowed
from disclosure.models.entities import (
    AdministrativeEntity,
    AdministrativeEntityEvent,
    DisclosureGuide,
    EnforcementOfficer,
    EnforcementPower,
    RandomInspectionItem,
)
from disclosure.models.normative import NormativeFiling, NormativeFilingEvent

ANNOUNCEMENT_DAYS = 15  # the default length of a 公示 period offered in the form


@dataclass(frozen=True)
class WorkflowStep:
    """A button on a change page: which status it leads to and which action it calls."""

    name: str
    label: str
    to_status: str
    permission: str
    fields: tuple[str, ...]
    call: Callable[..., object]
    note_required: bool = False


class WorkflowForm(forms.Form):
    """The note (and dates) an official gives with a workflow move."""

    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    start = forms.DateField(label=_("Announcement starts"), required=False)
    end = forms.DateField(label=_("Announcement ends"), required=False)
    filed_date = forms.DateField(label=_("Date filed"), required=False)

    def __init__(self, *args, step: WorkflowStep, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name != "note" and name not in step.fields:
                del self.fields[name]
            elif name != "note":
                self.fields[name].required = True
        self.fields["note"].required = step.note_required


def workflow_button_url(url: str, obj: models.Model) -> str:
    """A workflow button's link: it carries the status the change page shows (stale pages)."""
    return f"{url}?{urlencode({SEEN_STATUS_FIELD: obj.status})}"


def seen_status_posted(request: HttpRequest) -> str | None:
    """The status a workflow POST says its official saw: the form's hidden field, else the
    button link's query string (the form posts to the URL it was opened with)."""
    return request.POST.get(SEEN_STATUS_FIELD) or request.GET.get(SEEN_STATUS_FIELD)


class WorkflowSeenStatusMixin:
    """Stale pages: a workflow form posts the status its official saw; the move checks it.

    The button on the change page links with `?seen_status=` (the status that page showed); a
    button from a page older than the record's last move sends the official back to the record
    with a message. The step's form carries the status in a hidden field, and the action runs
    inside `workflow_guard`, which locks the row and refuses when the status is no longer the
    one seen (or the form does not say): nothing is changed and the form is shown again with the
    message, the record's current status and the hidden field set to it (409; 400 without it).
    """

    def workflow_change_url(self, obj: models.Model) -> str:
        info = self.model._meta.app_label, self.model._meta.model_name
        return reverse("admin:{}_{}_change".format(*info), args=[obj.pk])

    def workflow_stale_link(self, request: HttpRequest, obj: models.Model) -> HttpResponse | None:
        """A GET from a button whose change page showed another status: back to the record."""
        if request.method == "POST" or SEEN_STATUS_FIELD not in request.GET:
            return None
        try:
            workflow_seen_status_check(obj, obj.status, request.GET[SEEN_STATUS_FIELD])
        except StaleWorkflowPage as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(self.workflow_change_url(obj))
        return None

    def workflow_stale_post(
        self, request: HttpRequest, obj: models.Model, to_status: str = ""
    ) -> StaleWorkflowPage | None:
        """A POST whose form showed another status (read without lock: the early answer)."""
        if request.method != "POST":
            return None
        try:
            workflow_seen_status_check(obj, obj.status, seen_status_posted(request), to_status)
        except StaleWorkflowPage as error:
            return error
        return None

    @staticmethod
    def workflow_stale_status(error: StaleWorkflowPage) -> int:
        """409 when someone moved the record; 400 when the form did not say what it saw."""
        return 409 if error.said else 400

    def workflow_stale_redirect(
        self, request: HttpRequest, obj: models.Model, step: object, error: StaleWorkflowPage
    ) -> HttpResponseRedirect | None:
        """After a stale page's refusal: back to the record, with the message, when `step` no
        longer applies (the record's page shows what does); None to show the form again."""
        obj.refresh_from_db()
        if step in self.allowed_steps(request, obj):
            return None
        self.message_user(request, str(error), messages.ERROR)
        return HttpResponseRedirect(self.workflow_change_url(obj))

    def workflow_guarded_call(
        self, request: HttpRequest, obj: models.Model, to_status: str, call: Callable[[], object]
    ) -> object:
        """Call the step's action under the row lock, if the status is still the one seen."""
        with workflow_guard(
            record=obj, seen_status=seen_status_posted(request), to_status=to_status
        ):
            return call()


class WorkflowAdminMixin(WorkflowSeenStatusMixin):
    """Adds /<id>/workflow/<step>/ views and the buttons for the steps allowed now."""

    workflow_steps: tuple[WorkflowStep, ...] = ()
    workflow_template = "disclosure/entity_admin_workflow.html"

    def get_urls(self):  # noqa: ANN201 - Django hook
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "<path:object_id>/workflow/<str:step>/",
                self.admin_site.admin_view(self.workflow_view),
                name="{}_{}_workflow".format(*info),
            ),
            *super().get_urls(),
        ]

    def allowed_steps(self, request: HttpRequest, obj: models.Model) -> list[WorkflowStep]:
        return [
            step
            for step in self.workflow_steps
            if obj.can_move_to(step.to_status) and request.user.has_perm(step.permission)
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):  # noqa: ANN001, ANN201
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None:
            info = self.model._meta.app_label, self.model._meta.model_name
            extra_context["workflow_buttons"] = [
                {
                    "label": step.label,
                    "url": workflow_button_url(
                        reverse("admin:{}_{}_workflow".format(*info), args=[obj.pk, step.name]),
                        obj,
                    ),
                }
                for step in self.allowed_steps(request, obj)
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def workflow_view(self, request: HttpRequest, object_id: str, step: str) -> HttpResponse:
        obj = self.get_object(request, object_id)
        chosen = next((s for s in self.workflow_steps if s.name == step), None)
        if obj is None or chosen is None:
            raise Http404
        stale_link = self.workflow_stale_link(request, obj)
        if stale_link is not None:
            return stale_link
        initial = {"start": timezone.localdate()}
        initial["end"] = initial["start"] + datetime.timedelta(days=ANNOUNCEMENT_DAYS)
        initial["filed_date"] = timezone.localdate()
        status = 200
        if request.method == "POST":
            form = WorkflowForm(request.POST, step=chosen)
            stale = self.workflow_stale_post(request, obj, chosen.to_status)
            if stale is None and form.is_valid():
                try:
                    self.workflow_guarded_call(
                        request,
                        obj,
                        chosen.to_status,
                        lambda: chosen.call(obj, request.user, form.cleaned_data),
                    )
                except StaleWorkflowPage as error:
                    stale = error
                except (TransitionNotAllowed, PermissionDenied, ValueError) as error:
                    form.add_error(None, str(error))
                else:
                    self.message_user(
                        request,
                        _("%(object)s: %(step)s done.") % {"object": obj, "step": chosen.label},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(self.workflow_change_url(obj))
            if stale is not None:
                if redirect := self.workflow_stale_redirect(request, obj, chosen, stale):
                    return redirect
                form.add_error(None, str(stale))
                status = self.workflow_stale_status(stale)
        else:
            form = WorkflowForm(initial=initial, step=chosen)
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


class EnforcementPowerInline(admin.StackedInline):
    model = EnforcementPower
    extra = 0


class EnforcementOfficerInline(admin.TabularInline):
    model = EnforcementOfficer
    extra = 0


class RandomInspectionItemInline(admin.StackedInline):
    model = RandomInspectionItem
    extra = 0


class AdministrativeEntityEventInline(admin.TabularInline):
    model = AdministrativeEntityEvent
    extra = 0
    can_delete = False
    fields = ["at", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


E = AdministrativeEntity.Status

ENTITY_STEPS = (
    WorkflowStep(
        "submit",
        _("Submit for review"),
        E.SUBMITTED,
        "disclosure.change_administrativeentity",
        (),
        lambda obj, by, data: entity_actions.entity_submit(entity=obj, by=by, note=data["note"]),
    ),
    WorkflowStep(
        "return",
        _("Return for correction"),
        E.DRAFT,
        "disclosure.review_administrativeentity",
        (),
        lambda obj, by, data: entity_actions.entity_return(entity=obj, by=by, note=data["note"]),
        note_required=True,
    ),
    WorkflowStep(
        "review",
        _("Mark reviewed"),
        E.REVIEWED,
        "disclosure.review_administrativeentity",
        (),
        lambda obj, by, data: entity_actions.entity_review(entity=obj, by=by, note=data["note"]),
    ),
    WorkflowStep(
        "confirm",
        _("Confirm"),
        E.CONFIRMED,
        "disclosure.confirm_administrativeentity",
        (),
        lambda obj, by, data: entity_actions.entity_confirm(entity=obj, by=by, note=data["note"]),
    ),
    WorkflowStep(
        "announce",
        _("Announce"),
        E.ANNOUNCED,
        "disclosure.announce_administrativeentity",
        ("start", "end"),
        lambda obj, by, data: entity_actions.entity_announce(
            entity=obj, by=by, note=data["note"], start=data["start"], end=data["end"]
        ),
    ),
    WorkflowStep(
        "revoke",
        _("Revoke"),
        E.REVOKED,
        "disclosure.revoke_administrativeentity",
        (),
        lambda obj, by, data: entity_actions.entity_revoke(entity=obj, by=by, note=data["note"]),
        note_required=True,
    ),
)


@admin.register(AdministrativeEntity)
class AdministrativeEntityAdmin(EntityScopedAdminMixin, WorkflowAdminMixin, SimpleHistoryAdmin):
    scope_field = "pk"
    workflow_steps = ENTITY_STEPS
    change_form_template = "disclosure/entity_admin_change_form.html"
    list_display = [
        "name",
        "kind",
        "parent",
        "credit_code",
        "status",
        "announcement_start",
        "announcement_end",
    ]
    list_filter = [
        "status",
        "kind",
        "is_enforcement_body",
        ("parent", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "short_name", "credit_code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["status", "announcement_start", "announcement_end"]
    inlines = [
        EnforcementPowerInline,
        EnforcementOfficerInline,
        RandomInspectionItemInline,
        AdministrativeEntityEventInline,
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "short_name",
                    "kind",
                    "parent",
                    "credit_code",
                    "legal_basis",
                    "functions",
                    "sort_order",
                ]
            },
        ),
        (
            _("Contacts"),
            {"fields": ["head", "address", "office_hours", "phone", "fax", "email", "website"]},
        ),
        (
            _("Open government information office"),
            {
                "fields": [
                    "disclosure_office",
                    "disclosure_office_address",
                    "disclosure_office_hours",
                    "disclosure_office_phone",
                    "disclosure_office_fax",
                    "disclosure_office_email",
                ]
            },
        ),
        (_("Enforcement"), {"fields": ["is_enforcement_body", "enforcement_area"]}),
        (
            _("Review and announcement"),
            {"fields": ["status", "announcement_start", "announcement_end"]},
        ),
    ]
    actions = ["submit_selected", "review_selected", "confirm_selected"]

    def _bulk(self, request: HttpRequest, queryset, call: Callable, label: str) -> None:  # noqa: ANN001
        done = 0
        # The note goes into the official record, which is kept in the portal's language.
        with override(settings.LANGUAGE_CODE):
            note = str(_("Bulk action in the admin"))
        for entity in queryset:
            try:
                call(entity=entity, by=request.user, note=note)
            except (TransitionNotAllowed, PermissionDenied) as error:
                self.message_user(request, f"{entity}: {error}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(step)s: %(count)d done.", "%(step)s: %(count)d done.", done)
                % {"step": label, "count": done},
            )

    @admin.action(description=_("Submit selected entities for review"))
    def submit_selected(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        self._bulk(request, queryset, entity_actions.entity_submit, _("Submit for review"))

    @admin.action(description=_("Mark selected entities reviewed"))
    def review_selected(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        self._bulk(request, queryset, entity_actions.entity_review, _("Mark reviewed"))

    @admin.action(description=_("Confirm selected entities"))
    def confirm_selected(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        self._bulk(request, queryset, entity_actions.entity_confirm, _("Confirm"))


class DisclosureGuideForm(forms.ModelForm):
    class Meta:
        model = DisclosureGuide
        fields = ["entity", "body"]


@admin.register(DisclosureGuide)
class DisclosureGuideAdmin(EntityScopedAdminMixin, SimpleHistoryAdmin):
    scope_field = "entity"
    form = DisclosureGuideForm
    list_display = ["entity", "version", "status", "published_at", "published_by"]
    list_filter = ["status"]
    search_fields = ["entity__name", "body"]
    list_select_related = ["entity", "published_by"]
    autocomplete_fields = ["entity"]
    actions = ["publish_selected"]

    def get_readonly_fields(self, request, obj=None):  # noqa: ANN001, ANN201
        readonly = ["version", "status", "published_at", "published_by"]
        if obj is not None:
            readonly.append("entity")
            if obj.status != DisclosureGuide.Status.DRAFT:
                readonly.append("body")
        return readonly

    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001
        # Writes go through the actions: they number versions and sanitise the body.
        if change:
            entity_actions.guide_draft_update(guide=obj, by=request.user, body=obj.body)
        else:
            created = entity_actions.guide_draft_create(
                entity=obj.entity, by=request.user, body=obj.body
            )
            obj.pk, obj.version, obj.body = created.pk, created.version, created.body
            obj._state.adding = False

    @admin.action(description=_("Publish selected draft guides"))
    def publish_selected(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        for guide in queryset.select_related("entity"):
            try:
                entity_actions.guide_publish(guide=guide, by=request.user)
            except (TransitionNotAllowed, PermissionDenied) as error:
                self.message_user(request, f"{guide}: {error}", messages.ERROR)
            else:
                self.message_user(request, _("%(guide)s published.") % {"guide": guide})


class NormativeFilingEventInline(admin.TabularInline):
    model = NormativeFilingEvent
    extra = 0
    can_delete = False
    fields = ["at", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


N = NormativeFiling.Status

FILING_STEPS = (
    WorkflowStep(
        "start_review",
        _("Start legality review"),
        N.IN_REVIEW,
        "disclosure.review_normativefiling",
        (),
        lambda obj, by, data: normative_actions.normative_filing_start_review(
            filing=obj, by=by, note=data["note"]
        ),
    ),
    WorkflowStep(
        "file",
        _("File"),
        N.FILED,
        "disclosure.review_normativefiling",
        ("filed_date",),
        lambda obj, by, data: normative_actions.normative_filing_file(
            filing=obj, by=by, note=data["note"], filed_date=data["filed_date"]
        ),
    ),
    WorkflowStep(
        "return",
        _("Return for correction"),
        N.RETURNED,
        "disclosure.review_normativefiling",
        (),
        lambda obj, by, data: normative_actions.normative_filing_return(
            filing=obj, by=by, note=data["note"]
        ),
        note_required=True,
    ),
    WorkflowStep(
        "resubmit",
        _("Resubmit"),
        N.SUBMITTED,
        "disclosure.add_normativefiling",
        (),
        lambda obj, by, data: normative_actions.normative_filing_submit(
            entry=obj.entry, by=by, submitted_date=timezone.localdate(), note=data["note"]
        ),
    ),
)


@admin.register(NormativeFiling)
class NormativeFilingAdmin(EntityScopedAdminMixin, WorkflowAdminMixin, SimpleHistoryAdmin):
    scope_field = "entry__publisher"
    workflow_steps = FILING_STEPS
    change_form_template = "disclosure/entity_admin_change_form.html"
    list_display = [
        "filing_no",
        "entry",
        "status",
        "submitted_date",
        "issue_date",
        "repeal_date",
        "reviewing_body",
    ]
    list_filter = ["status", ("reviewing_body", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["filing_no", "entry__title", "entry__document_no"]
    list_select_related = ["entry", "reviewing_body"]
    raw_id_fields = ["entry"]
    inlines = [NormativeFilingEventInline]

    def get_readonly_fields(self, request, obj=None):  # noqa: ANN001, ANN201
        readonly = ["status", "filed_date"]
        if obj is not None:
            readonly += ["entry", "filing_no", "submitted_date"]
        return readonly

    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001
        if change:
            # Dates and the reviewing body are record-keeping fields, not workflow moves.
            super().save_model(request, obj, form, change)
            return
        created = normative_actions.normative_filing_submit(
            entry=obj.entry,
            by=request.user,
            filing_no=obj.filing_no,
            submitted_date=obj.submitted_date,
            issue_date=obj.issue_date,
        )
        obj.pk, obj.status = created.pk, created.status
        obj._state.adding = False
