"""Admin for supervision: the supervision bureau sees everything; an invited supervisor sees and
edits only their own visits (through `visits_visible_to`, the one scoping selector).

Writes go through `complaints.actions.supervision`: creating or changing a visit, adding its
findings, creating a project; workflow moves are admin actions calling the same functions, so
permissions and TRANSITIONS are checked once.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from complaints.actions import supervision as actions
from complaints.models.supervision import (
    InspectionVisit,
    RectificationProgress,
    RectificationProject,
    RectificationProjectEvent,
    Supervisor,
    VisitFinding,
)
from complaints.selectors.supervision import visits_visible_to
from disclosure.exceptions import TransitionNotAllowed

MANAGE = "complaints.manage_supervision"
RECORD_OWN = "complaints.record_own_visits"


def _run(request: HttpRequest, call, *args, **kwargs) -> bool:  # noqa: ANN001
    try:
        call(*args, **kwargs)
    except (TransitionNotAllowed, PermissionDenied, ValidationError) as error:
        messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
        return False
    return True


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
    fields = ["description", "severity", "responsible_entity", "rectification_project"]
    readonly_fields = ["rectification_project"]
    autocomplete_fields = ["responsible_entity"]

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _may_edit_visit(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _may_edit_visit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _may_edit_visit(request, obj)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _may_use_visits(request)


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
        return _may_use_visits(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _may_use_visits(request)

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


class ProgressInline(admin.TabularInline):
    model = RectificationProgress
    extra = 0
    fields = ["reported_on", "text", "reported_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ProjectEventInline(admin.TabularInline):
    model = RectificationProjectEvent
    extra = 0
    fields = ["at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(RectificationProject)
class RectificationProjectAdmin(SimpleHistoryAdmin):
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

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        always = [
            "due_date",
            "status",
            "overdue_since",
            "completed_on",
            "completion_summary",
            "evidence",
            "verified_on",
        ]
        if obj is not None:
            return [*always, "number", "start_date", "workdays", "source", "source_visit"]
        return always

    def save_model(
        self, request: HttpRequest, obj: RectificationProject, form, change: bool
    ) -> None:  # noqa: ANN001
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
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
