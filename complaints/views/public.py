"""Public pages: the ledger, the complaint form, tracking and the complainant's follow-ups.

A complaint's page is opened with its number and password (`disclosure.tracking`); the session
then remembers it, so that the follow-up forms need not ask for the password again.
"""

from django.core.exceptions import RequestDataTooBig, ValidationError
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from complaints.actions.complaints import (
    ComplaintRuleError,
    complaint_add_information,
    complaint_rate,
    complaint_request_reconsideration,
    complaint_submit,
    complaint_withdraw,
)
from complaints.forms import (
    DESCRIPTION_MAX,
    AddInformationForm,
    ComplaintForm,
    RateForm,
    ReconsiderationForm,
    WithdrawForm,
)
from complaints.models import Complaint
from complaints.selectors.complaints import (
    complaint_for_tracking,
    complaint_timeline,
    complaints_ledger,
    ledger_page_tables,
)
from complaints.selectors.ledger_cache import LEDGER_CACHE_SECONDS, LedgerPaginator
from disclosure.exceptions import TransitionNotAllowed
from disclosure.honeypot import honeypot_filled
from disclosure.ratelimit import submission_rate_limit
from disclosure.tracking import (
    TrackingLookupForm,
    TrackingRateLimited,
    client_address,
    tracking_lookup,
    tracking_session_ids,
    tracking_session_remember,
)

TRACKING_SCOPE = "complaints"
SESSION_CREDENTIALS = "complaints_new_credentials"
PREFILL = {"entity": "entity", "window": "window", "item": "item", "case": "case_number"}
PAGE_SIZE = 30


def complaint_ledger(request: HttpRequest) -> HttpResponse:
    """The public ledger: every complaint with its state, and counts that reconcile."""
    status = request.GET.get("status") or None
    if status not in Complaint.Status.values:
        status = None
    category = request.GET.get("category") or None
    if category not in Complaint.Category.values:
        category = None
    page = LedgerPaginator(complaints_ledger(status=status, category=category), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "complaints/ledger_list.html",
        {
            "page_obj": page,
            "complaints": page.object_list,
            # counts, departments and the stamps their cached HTML fragments are kept under
            **ledger_page_tables(),
            "tables_seconds": LEDGER_CACHE_SECONDS,
            "statuses": Complaint.Status.choices,
            "categories": Complaint.Category.choices,
            "status": status,
            "category": category,
        },
    )


@require_http_methods(["GET", "POST"])
@submission_rate_limit("complaints")
def complaint_new(request: HttpRequest) -> HttpResponse:
    """The complaint form, pre-filled from ?entity=, ?window=, ?item=, ?case=, ?institution=."""
    if honeypot_filled(request):
        return redirect("complaints:complaint-new")
    if request.method == "POST":
        try:
            form = ComplaintForm(request.POST, request.FILES)
        except RequestDataTooBig:
            form = ComplaintForm()
            form.cleaned_data, form._errors = {}, ErrorDict()
            form.add_error(
                "description",
                _("The text is far too long: at most %(n)d characters.") % {"n": DESCRIPTION_MAX},
            )
            return render(request, "complaints/complaint_form.html", {"form": form}, status=400)
        if form.is_valid():
            try:
                complaint, credentials = complaint_submit(**form.action_kwargs())
            except ValidationError as error:
                form.add_error("attachments", error)
            else:
                request.session[SESSION_CREDENTIALS] = {
                    "number": credentials.number,
                    "password": credentials.password,
                }
                tracking_session_remember(request, complaint, scope=TRACKING_SCOPE)
                return redirect("complaints:complaint-done")
    else:
        initial = {}
        for parameter, field in {**PREFILL, "institution": "institution"}.items():
            value = request.GET.get(parameter, "").strip()
            if value:
                initial[field] = value
        form = ComplaintForm(initial=initial)
    return render(request, "complaints/complaint_form.html", {"form": form})


def complaint_done(request: HttpRequest) -> HttpResponse:
    """The acknowledgement: the number and password, shown once."""
    credentials = request.session.pop(SESSION_CREDENTIALS, None)
    if credentials is None:
        return redirect("complaints:complaint-track")
    response = render(request, "complaints/complaint_done.html", {"credentials": credentials})
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def complaint_track(request: HttpRequest) -> HttpResponse:
    """Number and password: one answer for an unknown number and a wrong password."""
    form = TrackingLookupForm(request.POST or None)
    not_found = False
    if request.method == "POST" and form.is_valid():
        try:
            complaint = tracking_lookup(
                Complaint.objects.all(),
                number=form.cleaned_data["number"],
                password=form.cleaned_data["password"],
                client=client_address(request),
                scope=TRACKING_SCOPE,
            )
        except TrackingRateLimited as limited:
            response = render(
                request,
                "complaints/complaint_track.html",
                {"form": form, "rate_limited": True},
                status=429,
            )
            response["Retry-After"] = str(limited.retry_after)
            return response
        if complaint is not None:
            tracking_session_remember(request, complaint, scope=TRACKING_SCOPE)
            return redirect("complaints:complaint-detail", number=complaint.tracking_no)
        not_found = True
    return render(
        request,
        "complaints/complaint_track.html",
        {"form": form, "not_found": not_found},
        status=404 if not_found else 200,
    )


def _tracked(request: HttpRequest, number: str) -> Complaint:
    pk = (
        Complaint.objects.filter(
            tracking_no=number, pk__in=tracking_session_ids(request, scope=TRACKING_SCOPE)
        )
        .values_list("pk", flat=True)
        .first()
    )
    if pk is None:
        raise Http404
    return complaint_for_tracking(pk)


def complaint_detail(request: HttpRequest, number: str, forms: dict | None = None) -> HttpResponse:
    """The complainant's page: state, public timeline, due date with its derivation, reply."""
    complaint = _tracked(request, number)
    forms = forms or {}
    today = timezone.localdate()
    open_until = complaint.reconsideration_open_until()
    context = {
        "complaint": complaint,
        "timeline": complaint_timeline(complaint),
        "deadline": complaint.deadline(),
        "today": today,
        "can_add": complaint.is_open,
        "can_withdraw": complaint.is_open,
        "can_rate": complaint.status == Complaint.Status.REPLIED and complaint.rating is None,
        "can_reconsider": (
            complaint.status in (Complaint.Status.REPLIED, Complaint.Status.CLOSED)
            and open_until is not None
            and today <= open_until
        ),
        "reconsider_until": open_until,
        "add_form": forms.get("add") or AddInformationForm(),
        "withdraw_form": forms.get("withdraw") or WithdrawForm(),
        "rate_form": forms.get("rate") or RateForm(),
        "reconsider_form": forms.get("reconsider") or ReconsiderationForm(),
        "error": forms.get("error"),
    }
    response = render(request, "complaints/complaint_detail.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def complaint_follow_up(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """The complainant's follow-ups: add information, withdraw, rate, ask for reconsideration."""
    complaint = _tracked(request, number)
    form_classes = {
        "add": AddInformationForm,
        "withdraw": WithdrawForm,
        "rate": RateForm,
        "reconsider": ReconsiderationForm,
    }
    if action not in form_classes:
        raise Http404
    form = form_classes[action](request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "add":
                complaint_add_information(
                    complaint=complaint, text=data["text"], attachments=data["attachments"] or []
                )
            elif action == "withdraw":
                complaint_withdraw(complaint=complaint, reason=data["reason"])
            elif action == "rate":
                complaint_rate(complaint=complaint, rating=data["rating"])
            else:
                complaint_request_reconsideration(complaint=complaint, reason=data["reason"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        except (ComplaintRuleError, TransitionNotAllowed):
            form.add_error(None, _("This step is not possible in the complaint's current state."))
        else:
            return redirect(reverse("complaints:complaint-detail", args=[number]))
    response = complaint_detail(request, number, forms={action: form})
    response.status_code = 400
    return response
