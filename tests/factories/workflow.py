"""Workflow forms in the admin post the status their official saw (stale pages).

`seen_url` is a workflow step's URL as the record's change page links it now: with
`?seen_status=` set to the status stored in the database, which the step's form posts back.
"""

from django.db.models import Model
from django.http import HttpResponse
from django.utils import translation
from django.utils.http import urlencode

from disclosure.actions.workflow import SEEN_STATUS_FIELD, StaleWorkflowPage


def stored_status(obj: Model) -> str:
    """The status `obj` has in the database now (the object in memory may be older)."""
    return type(obj)._default_manager.values_list("status", flat=True).get(pk=obj.pk)


def seen_url(url: str, obj: Model) -> str:
    """`url` carrying the status `obj` has now, as a fresh change page's button does."""
    return f"{url}?{urlencode({SEEN_STATUS_FIELD: stored_status(obj)})}"


def step_name(url: str) -> str:
    """The step a workflow button's URL leads to (…/workflow/<step>/?seen_status=…)."""
    return url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


def stale_refusals(obj: Model, current: str, seen: str | None, to: str = "") -> list[str]:
    """A stale page's refusal as the admin shows it, in either language (pages follow the
    official's): the message shown must be one of these."""
    shown = []
    for language in ("en", "zh-hans"):
        with translation.override(language):
            error = StaleWorkflowPage(obj=obj, current=current, seen_status=seen, to_status=to)
            shown.append(str(error))
    return shown


def form_errors(response: HttpResponse) -> str:
    """The errors a workflow form shows above its fields, when it is shown again."""
    return " ".join(response.context["form"].non_field_errors())
