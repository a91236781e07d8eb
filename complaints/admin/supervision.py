"""Admin for supervision: the supervision bureau sees everything; an invited supervisor sees and
edits only their own visits (through `visits_visible_to`, the one scoping selector).

Writes go through `complaints.actions.supervision`: creating or changing a visit, adding its
findings, creating or correcting a project. A project's change page has one button per step
possible now (start, add a progress update, report completion with evidence, verify, reopen),
each opening a small form that calls the action; a finding of an accepted visit has buttons
that open a rectification project or a complaint for investigation from it. Projects are scoped
by `rectification_projects_visible_to` (a department's official sees their department's). The
actions check permissions and TRANSITIONS again, under lock.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from complaints.actions import supervision as actions
from complaints.models import Complaint
from complaints.models.supervision import (
    InspectionVisit,
    RectificationProgress,
    RectificationProject,
    RectificationProjectEvent,
    Supervisor,
    VisitFinding,
)
from complaints.selectors.supervision import (
    VIEW_PROJECTS,
    rectification_projects_visible_to,
    visits_visible_to,
)
from disclosure.actions.workflow import SEEN_STATUS_FIELD, StaleWorkflowPage
from disclosure.admin.entities import WorkflowSeenStatusMixin, workflow_button_url
from disclosure.exceptions import TransitionNotAllowed

MANAGE = "complaints.manage_supervision"
RECORD_OWN = "complaints.record_own_visits"
REPORT_PROGRESS = "complaints.report_rectification_progress"
ProjectStatus = RectificationProject.Status


def _run(request: HttpRequest, call, *args, **kwargs) -> bool:  # noqa: ANN001
    try:
        call(*args, **kwargs)
    except (TransitionNotAllowed, PermissionDenied, ValidationError) as error:
        messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
        return False
    return True


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    """Put an action's field errors beside the form's fields (others above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _call_into_form(form: forms.Form, call: Callable[[], object]) -> object | None:
    """Run an action; on refusal put its message on the form and return None."""
    try:
        return call()
    except ValidationError as error:
        _add_errors(form, error)
    except (TransitionNotAllowed, PermissionDenied) as error:
        form.add_error(None, str(error))
    return None


@admin.register(Supervisor)
class SupervisorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "role", "kind", "affiliation", "term_start", "term_end", "is_active"]
    list_filter = ["role", "kind", "is_active"]
    search_fields = ["name", "affiliation"]
    raw_id_fields = ["user"]

    def save_model(self, request: HttpRequest, obj: Supervisor, form, change: bool) -> None:  # noqa: ANN001
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            actions.supervisor_update(supervisor=obj, by=request.user, **fields)
        else:
            values = {name: getattr(obj, name) for name in actions.SUPERVISOR_FIELDS}
            saved = actions.supervisor_create(by=request.user, **values)
            obj.pk = saved.pk


class VisitFindingInline(admin.TabularInline):
    model = VisitFinding
    extra = 1
    fields = ["description", "severity", "responsible_entity", "follow_up"]
    readonly_fields = ["follow_up"]
    autocomplete_fields = ["responsible_entity"]
    may_follow_up = False  # set per request by InspectionVisitAdmin.get_inline_instances

    @admin.display(description=_("Follow-up"))
    def follow_up(self, finding: VisitFinding) -> str:
        """The project or complaint the finding became, else the buttons to open one."""
        if finding is None or finding.pk is None:
            return "—"
        return finding_follow_up_html(finding, may_follow_up=self.may_follow_up)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related("visit", "rectification_project", "complaint", "responsible_entity")
        )

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _may_edit_visit(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _may_edit_visit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _may_edit_visit(request, obj)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _may_use_visits(request)


def finding_follow_up_html(finding: VisitFinding, *, may_follow_up: bool) -> str:
    """Links to what a finding became (project, complaint), or to the forms that open one."""
    links = []
    if finding.rectification_project_id:
        project = finding.rectification_project
        links.append(
            format_html(
                '<a href="{}">{} {}</a>',
                reverse("admin:complaints_rectificationproject_change", args=[project.pk]),
                _("Rectification project"),
                project.number,
            )
        )
    if finding.complaint_id:
        links.append(
            format_html(
                '<a href="{}">{} {}</a>',
                reverse("admin:complaints_complaint_change", args=[finding.complaint_id]),
                _("Complaint"),
                finding.complaint.tracking_no,
            )
        )
    if links:
        return format_html_join(mark_safe("<br>"), "{}", ((link,) for link in links))
    if not may_follow_up or finding.visit.status != InspectionVisit.Status.ACCEPTED:
        return "—"
    return format_html(
        '<a class="button" href="{}">{}</a> <a class="button" href="{}">{}</a>',
        reverse(
            "admin:complaints_inspectionvisit_follow_up",
            args=[finding.visit_id, finding.pk, "project"],
        ),
        _("Open a rectification project"),
        reverse(
            "admin:complaints_inspectionvisit_follow_up",
            args=[finding.visit_id, finding.pk, "complaint"],
        ),
        _("Open a complaint for investigation"),
    )


def _may_use_visits(request: HttpRequest) -> bool:
    return request.user.has_perm(MANAGE) or request.user.has_perm(RECORD_OWN)


def _may_edit_visit(request: HttpRequest, obj: InspectionVisit | None) -> bool:
    if not _may_use_visits(request):
        return False
    if obj is None:
        return True
    if request.user.has_perm(MANAGE):
        return obj.status != InspectionVisit.Status.ACCEPTED
    return obj.status == InspectionVisit.Status.DRAFT and bool(
        obj.supervisor_id and obj.supervisor.user_id == request.user.pk
    )


@admin.register(InspectionVisit)
class InspectionVisitAdmin(SimpleHistoryAdmin):
    list_display = ["visited_on", "kind", "target_label", "supervisor", "score", "status"]
    list_filter = ["status", "kind"]
    list_select_related = ["supervisor", "window", "entity"]
    search_fields = ["topic", "summary", "place"]
    date_hierarchy = "visited_on"
    inlines = [VisitFindingInline]
    readonly_fields = ["status", "recorded_by"]
    autocomplete_fields = ["entity"]
    actions = ["submit_visits", "accept_visits"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return visits_visible_to(request.user)

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        fields = ["supervisor", *actions.VISIT_FIELDS, "status", "recorded_by"]
        if not request.user.has_perm(MANAGE):
            fields.remove("supervisor")
        return fields

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # the auditor reads every visit (visits_visible_to decides which) and changes none
        return _may_use_visits(request) or request.user.has_perm("complaints.view_inspectionvisit")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _may_use_visits(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _may_edit_visit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: InspectionVisit, form, change: bool) -> None:  # noqa: ANN001
        if change:
            fields = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in actions.VISIT_FIELDS
            }
            actions.visit_update(visit=obj, by=request.user, **fields)
        else:
            values = {name: getattr(obj, name) for name in actions.VISIT_FIELDS}
            saved = actions.visit_record(
                by=request.user, supervisor=form.cleaned_data.get("supervisor"), **values
            )
            obj.pk = saved.pk
            obj.status = saved.status

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:  # noqa: ANN001
        if formset.model is not VisitFinding:
            super().save_formset(request, form, formset, change)
            return
        for inline_form in formset.forms:
            if not inline_form.has_changed() or inline_form in formset.deleted_forms:
                continue
            data = inline_form.cleaned_data
            if inline_form.instance.pk:
                inline_form.save()
            else:
                actions.visit_finding_add(
                    visit=form.instance,
                    by=request.user,
                    description=data["description"],
                    severity=data["severity"],
                    responsible_entity=data["responsible_entity"],
                )
        for obj in formset.deleted_objects:
            obj.delete()

    @admin.action(description=_("Submit the selected visits to the supervision bureau"))
    def submit_visits(self, request: HttpRequest, queryset: QuerySet) -> None:
        done = sum(_run(request, actions.visit_submit, visit=v, by=request.user) for v in queryset)
        if done:
            messages.success(request, _("Visits submitted: %(count)d") % {"count": done})

    @admin.action(description=_("Accept the selected visits"), permissions=["accept"])
    def accept_visits(self, request: HttpRequest, queryset: QuerySet) -> None:
        done = sum(_run(request, actions.visit_accept, visit=v, by=request.user) for v in queryset)
        if done:
            messages.success(request, _("Visits accepted: %(count)d") % {"count": done})

    def has_accept_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(MANAGE)

    def get_inline_instances(self, request: HttpRequest, obj: Model | None = None) -> list:
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            if isinstance(inline, VisitFindingInline):
                inline.may_follow_up = request.user.has_perm(MANAGE)
        return inlines

    def get_urls(self) -> list:
        return [
            path(
                "<int:visit_pk>/findings/<int:finding_pk>/follow-up/<str:kind>/",
                self.admin_site.admin_view(self.follow_up_view),
                name="complaints_inspectionvisit_follow_up",
            ),
            *super().get_urls(),
        ]

    def follow_up_view(
        self, request: HttpRequest, visit_pk: int, finding_pk: int, kind: str
    ) -> HttpResponse:
        """From a finding, open a rectification project or a complaint for investigation."""
        form_class = FOLLOW_UP_FORMS.get(kind)
        if form_class is None:
            raise Http404
        visit = get_object_or_404(visits_visible_to(request.user), pk=visit_pk)
        finding = get_object_or_404(
            VisitFinding.objects.select_related("responsible_entity"), pk=finding_pk, visit=visit
        )
        finding.visit = visit
        if not request.user.has_perm(MANAGE):
            raise PermissionDenied
        form = form_class(request.POST or None, initial=form_class.initial_for(finding))
        if request.method == "POST" and form.is_valid():
            created = _call_into_form(
                form, lambda: form.follow_up(finding=finding, by=request.user)
            )
            if created is not None:
                self.message_user(
                    request,
                    _("%(finding)s: %(record)s opened.") % {"finding": finding, "record": created},
                    messages.SUCCESS,
                )
                info = created._meta.app_label, created._meta.model_name
                return HttpResponseRedirect(
                    reverse("admin:{}_{}_change".format(*info), args=[created.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": visit,
            "finding": finding,
            "form": form,
            "title": f"{visit}: {form_class.heading}",
            "submit_label": form_class.heading,
        }
        return render(request, "complaints/admin_step.html", context)


class FindingProjectForm(forms.Form):
    """A finding taken on as a rectification project: what the bureau must add to it."""

    heading = _("Open a rectification project")

    title = forms.CharField(label=_("Title"), max_length=200)
    problem = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible_leader = forms.CharField(label=_("Responsible leader"), max_length=100)
    plan = forms.CharField(label=_("Rectification plan"), widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(label=_("Measures"), widget=forms.Textarea(attrs={"rows": 3}))
    start_date = forms.DateField(label=_("Start date"))
    workdays = forms.IntegerField(label=_("Time allowed (working days)"), min_value=1)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    @staticmethod
    def initial_for(finding: VisitFinding) -> dict:
        return {
            "title": finding.description[:60],
            "problem": finding.description,
            "start_date": timezone.localdate(),
            "workdays": 20,
        }

    def follow_up(self, *, finding: VisitFinding, by) -> RectificationProject:  # noqa: ANN001
        data = self.cleaned_data
        return actions.visit_finding_open_project(
            finding=finding,
            by=by,
            title=data["title"],
            problem=data["problem"],
            responsible_leader=data["responsible_leader"],
            plan=data["plan"],
            measures=data["measures"],
            start_date=data["start_date"],
            workdays=data["workdays"],
            note=data["note"],
        )


class FindingComplaintForm(forms.Form):
    """A finding opened as a complaint for investigation (registered at once)."""

    heading = _("Open a complaint for investigation")

    category = forms.ChoiceField(label=_("Category"), choices=Complaint.Category.choices)
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    @staticmethod
    def initial_for(finding: VisitFinding) -> dict:
        return {"description": finding.description}

    def follow_up(self, *, finding: VisitFinding, by) -> Complaint:  # noqa: ANN001
        data = self.cleaned_data
        return actions.visit_finding_open_complaint(
            finding=finding,
            by=by,
            category=data["category"],
            description=data["description"],
            note=data["note"],
        )


FOLLOW_UP_FORMS: dict[str, type[forms.Form]] = {
    "project": FindingProjectForm,
    "complaint": FindingComplaintForm,
}


class ProgressInline(admin.TabularInline):
    model = RectificationProgress
    extra = 0
    fields = ["reported_on", "text", "reported_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ProjectEventInline(admin.TabularInline):
    model = RectificationProjectEvent
    extra = 0
    fields = ["at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


# --- Rectification projects: one button per step, each with its own small form ------------------


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ProgressForm(forms.Form):
    reported_on = forms.DateField(label=_("Date"))
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 4}))


class CompleteForm(NoteForm):
    completed_on = forms.DateField(label=_("Completed on"))
    summary = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_("PDF, office document, PNG or JPEG; checked by its content."),
    )
    field_order = ["completed_on", "summary", "evidence", "note"]


class VerifyForm(NoteForm):
    verified_on = forms.DateField(label=_("Verified on"))
    field_order = ["verified_on", "note"]


class ReopenForm(forms.Form):
    note = forms.CharField(
        label=_("What is still to be done"), widget=forms.Textarea(attrs={"rows": 3})
    )


@dataclass(frozen=True)
class ProjectStep:
    """A button on a project's change page: its form, its action, when it is possible."""

    name: str
    label: str
    from_statuses: frozenset[str]
    bureau_only: bool
    form: type[forms.Form]
    call: Callable[[RectificationProject, object, dict], object]


def _today_initial() -> dict[str, datetime.date]:
    today = timezone.localdate()
    return {"reported_on": today, "completed_on": today, "verified_on": today}


PROJECT_STEPS: tuple[ProjectStep, ...] = (
    ProjectStep(
        "start",
        _("Start the work"),
        frozenset({ProjectStatus.PLANNED}),
        False,
        NoteForm,
        lambda project, by, data: actions.rectification_project_start(
            project=project, by=by, note=data["note"]
        ),
    ),
    ProjectStep(
        "progress",
        _("Add a progress update"),
        frozenset({ProjectStatus.PLANNED, ProjectStatus.IN_PROGRESS}),
        False,
        ProgressForm,
        lambda project, by, data: actions.rectification_progress_add(
            project=project, by=by, reported_on=data["reported_on"], text=data["text"]
        ),
    ),
    ProjectStep(
        "complete",
        _("Report as completed"),
        frozenset({ProjectStatus.IN_PROGRESS}),
        False,
        CompleteForm,
        lambda project, by, data: actions.rectification_project_complete(
            project=project,
            by=by,
            completed_on=data["completed_on"],
            summary=data["summary"],
            evidence=data.get("evidence"),
            note=data["note"],
        ),
    ),
    ProjectStep(
        "verify",
        _("Verify (验收)"),
        frozenset({ProjectStatus.COMPLETED}),
        True,
        VerifyForm,
        lambda project, by, data: actions.rectification_project_verify(
            project=project, by=by, verified_on=data["verified_on"], note=data["note"]
        ),
    ),
    ProjectStep(
        "reopen",
        _("Reopen: not done"),
        frozenset({ProjectStatus.COMPLETED}),
        True,
        ReopenForm,
        lambda project, by, data: actions.rectification_project_reopen(
            project=project, by=by, note=data["note"]
        ),
    ),
)


def _may_take(request: HttpRequest, step: ProjectStep) -> bool:
    """The user's side of a step (the project is already in the user's scope)."""
    if request.user.has_perm(MANAGE):
        return True
    return not step.bureau_only and request.user.has_perm(REPORT_PROGRESS)


@admin.register(RectificationProject)
class RectificationProjectAdmin(WorkflowSeenStatusMixin, SimpleHistoryAdmin):
    """Projects: the bureau creates and corrects them; steps are buttons calling the actions.

    A responsible department's official (with `report_rectification_progress`) sees only their
    department's projects and may start them, add progress and report completion; verifying and
    reopening are the bureau's.
    """

    change_form_template = "complaints/admin_change_form.html"
    list_display = [
        "number",
        "title",
        "responsible_entity",
        "responsible_leader",
        "due_date",
        "status",
        "overdue_since",
    ]
    list_filter = ["status", "source"]
    list_select_related = ["responsible_entity"]
    search_fields = ["number", "title", "problem"]
    autocomplete_fields = ["responsible_entity", "coordinating_entities"]
    inlines = [ProgressInline, ProjectEventInline]
    actions = ["start_projects", "verify_projects"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return rectification_projects_visible_to(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return any(user.has_perm(p) for p in (MANAGE, REPORT_PROGRESS, VIEW_PROJECTS))

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(MANAGE)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.has_perm(MANAGE)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # projects are public for accountability: nothing vanishes

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        always = [
            "due_date",
            "status",
            "overdue_since",
            "completed_on",
            "completion_summary",
            "evidence",
            "verified_on",
            "source_findings",
        ]
        if obj is not None:
            return [
                *always,
                "number",
                "start_date",
                "workdays",
                "source",
                "source_visit",
                "source_complaint",
            ]
        return always

    @admin.display(description=_("Inspection findings behind this project"))
    def source_findings(self, project: RectificationProject) -> str:
        if project is None or project.pk is None:
            return "—"
        findings = project.findings.select_related("visit")
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

    def save_model(
        self, request: HttpRequest, obj: RectificationProject, form, change: bool
    ) -> None:  # noqa: ANN001
        data = form.cleaned_data
        if change:
            fields = {
                name: data[name]
                for name in form.changed_data
                if name in actions.PROJECT_EDITABLE_FIELDS
            }
            actions.rectification_project_update(project=obj, by=request.user, **fields)
            return
        saved = actions.rectification_project_create(
            by=request.user,
            number=data.get("number", ""),
            title=data["title"],
            problem=data["problem"],
            source=data["source"],
            source_visit=data.get("source_visit"),
            responsible_entity=data["responsible_entity"],
            responsible_leader=data["responsible_leader"],
            plan=data["plan"],
            measures=data["measures"],
            start_date=data["start_date"],
            workdays=data["workdays"],
        )
        obj.pk = saved.pk
        obj.due_date = saved.due_date
        obj.status = saved.status

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:  # noqa: ANN001
        form.instance = RectificationProject.objects.get(pk=form.instance.pk)
        super().save_related(request, form, formsets, change)

    # --- the step buttons and their views ---

    def allowed_steps(self, request: HttpRequest, project: RectificationProject) -> list:
        return [
            step
            for step in PROJECT_STEPS
            if project.status in step.from_statuses and _may_take(request, step)
        ]

    def get_urls(self) -> list:
        return [
            path(
                "<int:pk>/step/<str:step>/",
                self.admin_site.admin_view(self.step_view),
                name="complaints_rectificationproject_step",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):  # noqa: ANN001, ANN201
        extra_context = extra_context or {}
        project = self.get_object(request, object_id)
        if project is not None:
            extra_context["workflow_buttons"] = [
                {
                    "label": step.label,
                    "url": workflow_button_url(
                        reverse(
                            "admin:complaints_rectificationproject_step",
                            args=[project.pk, step.name],
                        ),
                        project,
                    ),
                }
                for step in self.allowed_steps(request, project)
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def step_view(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        """Show a step's form; on a valid POST call its action and go back to the project.

        A step that is not possible now (status) or not the user's is refused with a message
        and changes nothing; the action re-checks everything under lock.
        """
        project = get_object_or_404(self.get_queryset(request), pk=pk)  # scoped: else 404
        chosen = next((s for s in PROJECT_STEPS if s.name == step), None)
        if chosen is None:
            raise Http404
        change_url = reverse("admin:complaints_rectificationproject_change", args=[project.pk])
        stale_link = self.workflow_stale_link(request, project)
        if stale_link is not None:
            return stale_link
        if not _may_take(request, chosen):
            self.message_user(request, _("You are not allowed to do this."), messages.ERROR)
            return HttpResponseRedirect(change_url)
        # The form posts the status its official saw (stale pages: WorkflowSeenStatusMixin).
        stale = self.workflow_stale_post(request, project)
        if stale is None and project.status not in chosen.from_statuses:
            self.message_user(
                request,
                _("“%(step)s” is not possible now (status: %(status)s).")
                % {"step": chosen.label, "status": project.get_status_display()},
                messages.ERROR,
            )
            return HttpResponseRedirect(change_url)
        if request.method == "POST":
            form = chosen.form(request.POST, request.FILES)
        else:
            form = chosen.form(initial=_today_initial())
        status = 200
        if request.method == "POST" and stale is None and form.is_valid():
            try:
                done = self.workflow_guarded_call(
                    request,
                    project,
                    "",
                    lambda: _call_into_form(
                        form, lambda: chosen.call(project, request.user, form.cleaned_data) or True
                    ),
                )
            except StaleWorkflowPage as error:
                stale, done = error, None
            if done is not None:
                self.message_user(
                    request,
                    _("%(object)s: %(step)s done.") % {"object": project, "step": chosen.label},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
        if stale is not None:
            project.refresh_from_db()
            if project.status not in chosen.from_statuses:
                self.message_user(request, str(stale), messages.ERROR)
                return HttpResponseRedirect(change_url)
            form.add_error(None, str(stale))
            status = self.workflow_stale_status(stale)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": project,
            "form": form,
            "title": f"{project}: {chosen.label}",
            "submit_label": chosen.label,
            "seen_status_field": SEEN_STATUS_FIELD,
        }
        return render(request, "complaints/admin_step.html", context, status=status)

    @admin.action(description=_("Start the selected projects"))
    def start_projects(self, request: HttpRequest, queryset: QuerySet) -> None:
        for project in queryset:
            _run(request, actions.rectification_project_start, project=project, by=request.user)

    @admin.action(description=_("Verify the selected completed projects (today)"))
    def verify_projects(self, request: HttpRequest, queryset: QuerySet) -> None:
        for project in queryset:
            _run(
                request,
                actions.rectification_project_verify,
                project=project,
                by=request.user,
                verified_on=timezone.localdate(),
            )
