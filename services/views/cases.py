"""The public case-status lookup (/services/cases/lookup/): case number and query code.

It shows the state, the clock with its derivation, the timeline and, for a full-agency case,
every sub-case with its own clock. Never the applicant's name or contact.
"""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from disclosure.tracking import TrackingRateLimited, client_address
from services.selectors.cases import case_clock, case_lookup


class CaseLookupForm(forms.Form):
    case_no = forms.CharField(label=_("Case number"), max_length=40, strip=True)
    code = forms.CharField(
        label=_("Query code"), max_length=64, strip=True, widget=forms.PasswordInput
    )


@never_cache
@require_http_methods(["GET", "POST"])
def case_lookup_page(request: HttpRequest) -> HttpResponse:
    """Look a case up: one answer for every failure; rate-limited per client address."""
    form = CaseLookupForm(request.POST or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            case = case_lookup(
                case_no=form.cleaned_data["case_no"],
                code=form.cleaned_data["code"],
                client=client_address(request),
            )
        except TrackingRateLimited as limited:
            response = render(
                request, "services/case_lookup.html", {**context, "rate_limited": True}, status=429
            )
            response["Retry-After"] = str(limited.retry_after)
            return response
        if case is not None:
            today = timezone.localdate()
            sub_cases = [(sub, case_clock(sub, on=today)) for sub in case.sub_cases.all()]
            return render(
                request,
                "services/case_status.html",
                {
                    "case": case,
                    "clock": case_clock(case, on=today),
                    "sub_cases": sub_cases,
                    "today": today,
                },
            )
        context["not_found"] = True
    status = 404 if context.get("not_found") else (400 if form.errors else 200)
    return render(request, "services/case_lookup.html", context, status=status)
