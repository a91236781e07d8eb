"""Workflow buttons on the services app's admin change pages: one small form per move.

Builds on `disclosure.admin.entities.WorkflowAdminMixin` (its /<id>/workflow/<step>/ URL and the
buttons on the change page) and adds what the services records need: each step brings its own
form, the statuses it starts from (several arrows lead to the same status) and a test of
whether it is possible now. The button appears only when the move is legal now and the user
holds its permission; a move asked for through a crafted URL that is not is refused with a
message and changes nothing. The action called re-checks everything under lock.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.actions.workflow import SEEN_STATUS_FIELD, StaleWorkflowPage
from disclosure.admin.entities import WorkflowAdminMixin
from disclosure.exceptions import TransitionNotAllowed


def _always(obj: models.Model) -> bool:  # noqa: ARG001 - the default test
    return True


@dataclass(frozen=True)
class ServiceStep:
    """A button: the form it opens, the action it calls and when it is possible."""

    name: str
    label: str
    permission: str
    from_statuses: frozenset[str]
    form: type[forms.Form]
    call: Callable[[models.Model, object, dict], object]
    possible: Callable[[models.Model], bool] = _always


class ServiceWorkflowAdminMixin(WorkflowAdminMixin):
    """Per-step forms on top of disclosure's workflow URL and buttons."""

    change_form_template = "disclosure/entity_admin_change_form.html"
    workflow_template = "disclosure/entity_admin_workflow.html"
    workflow_steps: tuple[ServiceStep, ...] = ()

    def step_possible(self, request: HttpRequest, obj: models.Model, step: ServiceStep) -> bool:
        """Whether `step` is a legal move for `obj` now (the user's permission aside)."""
        return obj.status in step.from_statuses and step.possible(obj)

    def step_refusal(self, request: HttpRequest, obj: models.Model, step: ServiceStep) -> str:
        """Why the user may not take `step` on `obj` ("" when they may)."""
        if not request.user.has_perm(step.permission):
            return _("You are not allowed to do this.")
        return ""

    def allowed_steps(self, request: HttpRequest, obj: models.Model) -> list[ServiceStep]:
        return [
            step
            for step in self.workflow_steps
            if self.step_possible(request, obj, step) and not self.step_refusal(request, obj, step)
        ]

    def _change_url(self, obj: models.Model) -> str:
        info = self.model._meta.app_label, self.model._meta.model_name
        return reverse("admin:{}_{}_change".format(*info), args=[obj.pk])

    def _refuse(self, request: HttpRequest, obj: models.Model, message: str) -> HttpResponse:
        self.message_user(request, f"{obj}: {message}", messages.ERROR)
        return HttpResponseRedirect(self._change_url(obj))

    def workflow_view(self, request: HttpRequest, object_id: str, step: str) -> HttpResponse:
        """Show the step's form; on a valid POST call its action and go back to the record.

        The form carries the status the official saw; a record moved since is refused under
        the row lock and the form is shown again (`WorkflowSeenStatusMixin`).
        """
        obj = self.get_object(request, object_id)  # scoped: another department's → 404
        chosen = next((s for s in self.workflow_steps if s.name == step), None)
        if obj is None or chosen is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise Http404
        stale_link = self.workflow_stale_link(request, obj)
        if stale_link is not None:
            return stale_link
        refusal = self.step_refusal(request, obj, chosen)
        if refusal:
            return self._refuse(request, obj, refusal)
        stale = self.workflow_stale_post(request, obj)
        if stale is None and not self.step_possible(request, obj, chosen):
            return self._refuse(
                request,
                obj,
                _("“%(step)s” is not possible now (status: %(status)s).")
                % {"step": chosen.label, "status": obj.get_status_display()},
            )
        form = chosen.form(request.POST or None, record=obj, user=request.user)
        status = 200
        if request.method == "POST" and stale is None and form.is_valid():
            try:
                self.workflow_guarded_call(
                    request, obj, "", lambda: chosen.call(obj, request.user, form.cleaned_data)
                )
            except StaleWorkflowPage as error:
                stale = error
            except ValidationError as error:
                add_errors(form, error)
            except (TransitionNotAllowed, PermissionDenied, ValueError) as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request,
                    _("%(object)s: %(step)s done.") % {"object": obj, "step": chosen.label},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(self._change_url(obj))
        if stale is not None:
            obj.refresh_from_db()
            if not self.step_possible(request, obj, chosen):
                # The step no longer applies: back to the record, which shows what does.
                self.message_user(request, str(stale), messages.ERROR)
                return HttpResponseRedirect(self._change_url(obj))
            form.add_error(None, str(stale))
            status = self.workflow_stale_status(stale)
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


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Put an action's field errors beside the form's fields (others above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class StepForm(forms.Form):
    """A step's form: knows its record and user (for choices); every step takes a note."""

    note = forms.CharField(
        label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, record: models.Model, user: object, **kwargs) -> None:
        self.record = record
        self.user = user
        super().__init__(*args, **kwargs)
        self.order_fields([name for name in self.fields if name != "note"] + ["note"])
