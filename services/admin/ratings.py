"""Admin for ratings, rectification tasks, appeals, rating settings and window scores.

Ratings, tasks and appeals change only through `services.actions.ratings` (history rows,
deadlines, the other-department rule): their fields are read-only here, and each move is a
button on the change page opening a small form (appeal against a rating; call-back,
rectification and follow-up rating of a task; the decision on an appeal). Ratings and tasks are
scoped to the official's departments; an appeal is seen by its department and by those who
decide appeals, and only an official of another department may decide it. The settings row is
edited directly; recorded window scores are read-only.
"""

from django import forms
from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from disclosure.admin.scoping import EntityScopedAdminMixin
from disclosure.models import AdministrativeEntity
from disclosure.selectors.memberships import entity_ids_for_official
from services.actions.ratings import (
    DECIDE,
    HANDLE,
    rating_appeal_decide,
    rating_appeal_submit,
    rectification_call_back,
    rectification_complete,
    rectification_follow_up,
)
from services.admin.workflow import ServiceStep, ServiceWorkflowAdminMixin, StepForm
from services.models import (
    Rating,
    RatingAppeal,
    RatingSettings,
    RectificationTask,
    RectificationTaskEvent,
    WindowMonthlyScore,
)


class ReadOnlyAdminMixin:
    """Lists and detail views only: the actions are the one path for these records' writes."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False


class AppealForm(StepForm):
    note = None
    reason = forms.CharField(
        label=gettext_lazy("Why the rating is malicious"), widget=forms.Textarea(attrs={"rows": 4})
    )


RATING_STEPS = (
    ServiceStep(
        "appeal",
        gettext_lazy("Appeal against this rating"),
        HANDLE,
        frozenset({Rating.Status.VALID}),
        AppealForm,
        lambda rating, by, data: rating_appeal_submit(rating=rating, by=by, reason=data["reason"]),
        possible=lambda rating: (
            rating.kind == Rating.Kind.INITIAL
            and not RatingAppeal.objects.filter(rating=rating).exists()
        ),
    ),
)


@admin.register(Rating)
class RatingAdmin(
    ReadOnlyAdminMixin, EntityScopedAdminMixin, ServiceWorkflowAdminMixin, SimpleHistoryAdmin
):
    scope_field = "case__entity"
    workflow_steps = RATING_STEPS
    list_display = ["case", "kind", "level", "channel", "window", "rated_on", "status"]
    list_filter = ["level", "kind", "channel", "status", "rated_on"]
    list_select_related = ["case", "window"]
    search_fields = ["case__case_no"]
    date_hierarchy = "rated_on"


class RectificationTaskEventInline(admin.TabularInline):
    model = RectificationTaskEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "note", "at"]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False


class CallBackForm(StepForm):
    note = None
    kind = forms.ChoiceField(
        label=gettext_lazy("How the problem is handled"), choices=RectificationTask.Kind.choices
    )
    call_back_note = forms.CharField(
        label=gettext_lazy("What the rater said on the call-back"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    on = forms.DateField(label=gettext_lazy("Called back on"), initial=timezone.localdate)


class RectifiedForm(StepForm):
    note = None
    rectification_note = forms.CharField(
        label=gettext_lazy("What was fixed or explained"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    on = forms.DateField(label=gettext_lazy("Rectified on"), initial=timezone.localdate)


class FollowUpForm(StepForm):
    note = None
    level = forms.TypedChoiceField(
        label=gettext_lazy("Follow-up rating"), choices=Rating.Level.choices, coerce=int
    )
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), choices=Rating.Channel.choices)
    comment = forms.CharField(
        label=gettext_lazy("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    on = forms.DateField(label=gettext_lazy("Rated on"), initial=timezone.localdate)


T = RectificationTask.Status
TASK_STEPS = (
    ServiceStep(
        "call_back",
        gettext_lazy("Record the call-back"),
        HANDLE,
        frozenset({T.OPEN}),
        CallBackForm,
        lambda task, by, data: rectification_call_back(
            task=task, by=by, kind=data["kind"], note=data["call_back_note"], on=data["on"]
        ),
    ),
    ServiceStep(
        "rectified",
        gettext_lazy("Record the rectification"),
        HANDLE,
        frozenset({T.CALLED_BACK}),
        RectifiedForm,
        lambda task, by, data: rectification_complete(
            task=task, by=by, note=data["rectification_note"], on=data["on"]
        ),
    ),
    ServiceStep(
        "follow_up",
        gettext_lazy("Record the follow-up rating"),
        HANDLE,
        frozenset({T.RECTIFIED}),
        FollowUpForm,
        lambda task, by, data: rectification_follow_up(
            task=task,
            by=by,
            level=data["level"],
            channel=data["channel"],
            comment=data["comment"],
            on=data["on"],
        ),
    ),
)


@admin.register(RectificationTask)
class RectificationTaskAdmin(
    ReadOnlyAdminMixin, EntityScopedAdminMixin, ServiceWorkflowAdminMixin, SimpleHistoryAdmin
):
    list_display = ["rating", "entity", "status", "kind", "opened_on", "due_date"]
    list_filter = ["status", "kind", "entity"]
    list_select_related = ["rating", "entity"]
    inlines = [RectificationTaskEventInline]
    workflow_steps = TASK_STEPS


class DecideForm(StepForm):
    note = None
    deciding_entity = forms.ModelChoiceField(
        label=gettext_lazy("Deciding department"), queryset=AdministrativeEntity.objects.none()
    )
    uphold = forms.TypedChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("1", RatingAppeal.Status.UPHELD.label),
            ("0", RatingAppeal.Status.REJECTED.label),
        ],
        coerce=lambda value: value == "1",
    )
    decision_note = forms.CharField(
        label=gettext_lazy("Reasons for the decision"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        entities = AdministrativeEntity.objects.exclude(pk=self.record.appellant_entity_id)
        scope = entity_ids_for_official(self.user)
        if scope is not None:
            entities = entities.filter(pk__in=scope)
        self.fields["deciding_entity"].queryset = entities.order_by("sort_order", "name")


APPEAL_STEPS = (
    ServiceStep(
        "decide",
        gettext_lazy("Decide the appeal"),
        DECIDE,
        frozenset({RatingAppeal.Status.SUBMITTED}),
        DecideForm,
        lambda appeal, by, data: rating_appeal_decide(
            appeal=appeal,
            by=by,
            deciding_entity=data["deciding_entity"],
            uphold=data["uphold"],
            note=data["decision_note"],
        ),
    ),
)


@admin.register(RatingAppeal)
class RatingAppealAdmin(ReadOnlyAdminMixin, ServiceWorkflowAdminMixin, SimpleHistoryAdmin):
    list_display = ["rating", "appellant_entity", "status", "deciding_entity", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["rating", "appellant_entity", "deciding_entity"]
    workflow_steps = APPEAL_STEPS

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        """The appealing department's own appeals, and every appeal for those who decide them."""
        queryset = super().get_queryset(request)
        scope = entity_ids_for_official(request.user)
        if scope is None:
            return queryset
        visible = Q(appellant_entity__in=scope)
        if request.user.has_perm(DECIDE):
            visible |= Q(status=RatingAppeal.Status.SUBMITTED) | Q(deciding_entity__in=scope)
        return queryset.filter(visible)

    def step_refusal(self, request: HttpRequest, obj: RatingAppeal, step: ServiceStep) -> str:
        refusal = super().step_refusal(request, obj, step)
        scope = entity_ids_for_official(request.user)
        if not refusal and scope is not None and obj.appellant_entity_id in scope:
            refusal = _("Only an official of another department can decide this appeal.")
        return refusal


@admin.register(RatingSettings)
class RatingSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "rectification_workdays", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not RatingSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(WindowMonthlyScore)
class WindowMonthlyScoreAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["window", "month", "component", "score", "basis"]
    list_filter = ["component", "month"]
    list_select_related = ["window"]
