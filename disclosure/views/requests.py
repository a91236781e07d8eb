"""Public pages for disclosure on request: how to apply, the form, tracking (/requests/…).

The applicant's identity document and contact never appear on these pages after submission:
the acknowledgement shows the tracking number and password once; the tracking page shows the
state, the timeline, the due dates with their derivation and the reply's outcome.

Once the number and password have matched, the session remembers the request, and after the
reply the applicant downloads the reply letter and its documents through private views that
check that session: there is no public URL for them, and anyone else gets a 404.
"""

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from disclosure.actions.requests import APPLICANT_FIELDS, request_submit
from disclosure.forms_requests import InformationRequestForm
from disclosure.honeypot import honeypot_filled
from disclosure.models.requests import OUTCOME_CITATIONS, InformationRequest
from disclosure.ratelimit import submission_rate_limit
from disclosure.selectors.entities import entity_public_queryset
from disclosure.selectors.reports import report_published_list
from disclosure.selectors.requests import (
    request_clocks,
    request_documents_for_applicant,
    request_tracking_queryset,
)
from disclosure.tracking import (
    TrackingLookupForm,
    TrackingRateLimited,
    client_address,
    tracking_lookup,
    tracking_session_ids,
    tracking_session_remember,
)

TRACKING_SCOPE = "information-requests"


def requests_index(request: HttpRequest) -> HttpResponse:
    """The section page: how to apply, the form's link, tracking and the annual reports."""
    return render(
        request,
        "disclosure/request_index.html",
        {"tracking_form": TrackingLookupForm(), "reports": report_published_list()[:20]},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@submission_rate_limit(TRACKING_SCOPE)
def request_new(request: HttpRequest) -> HttpResponse:
    """The application form; on success the tracking number and password, shown once."""
    if honeypot_filled(request):
        return redirect("disclosure:request-new")
    if request.method == "POST":
        form = InformationRequestForm(request.POST)
        if form.is_valid():
            data = {f: form.cleaned_data.get(f, "") for f in APPLICANT_FIELDS}
            data["channel"] = InformationRequest.Channel.ONLINE
            try:
                record, credentials = request_submit(entity=form.cleaned_data["entity"], data=data)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    target = field if field in form.fields else None
                    for message in messages:
                        form.add_error(target, message)
            else:
                return render(
                    request,
                    "disclosure/request_submitted.html",
                    {"record": record, "credentials": credentials},
                )
        return render(request, "disclosure/request_form.html", {"form": form}, status=400)
    initial = {}
    entity_id = request.GET.get("entity", "")
    if entity_id.isdigit() and entity_public_queryset().filter(pk=int(entity_id)).exists():
        initial["entity"] = int(entity_id)
    return render(
        request, "disclosure/request_form.html", {"form": InformationRequestForm(initial=initial)}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def request_track(request: HttpRequest) -> HttpResponse:
    """Look a request up by number and password: one answer for every failure; rate-limited."""
    form = TrackingLookupForm(request.POST or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            record = tracking_lookup(
                request_tracking_queryset(),
                number=form.cleaned_data["number"],
                password=form.cleaned_data["password"],
                client=client_address(request),
                scope=TRACKING_SCOPE,
            )
        except TrackingRateLimited as limited:
            response = render(
                request,
                "disclosure/request_track.html",
                {**context, "rate_limited": True},
                status=429,
            )
            response["Retry-After"] = str(limited.retry_after)
            return response
        if record is None:
            context["not_found"] = True
        else:
            tracking_session_remember(request, record, scope=TRACKING_SCOPE)
            return render(
                request,
                "disclosure/request_track_result.html",
                {
                    "record": record,
                    "clocks": request_clocks(record),
                    "today": timezone.localdate(),
                    "citation": OUTCOME_CITATIONS.get(record.outcome, ""),
                    "documents": request_documents_for_applicant(record),
                },
            )
    status = 404 if context.get("not_found") else 200
    return render(request, "disclosure/request_track.html", context, status=status)


def _tracked_replied(request: HttpRequest, number: str) -> InformationRequest:
    """The replied request with this number that this session tracked, else 404."""
    record = (
        InformationRequest.objects.filter(
            tracking_no=number,
            pk__in=tracking_session_ids(request, scope=TRACKING_SCOPE),
            reply_date__isnull=False,
        )
        .select_related("entity")
        .first()
    )
    if record is None:
        raise Http404
    return record


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@require_http_methods(["GET"])
def request_reply_letter_download(request: HttpRequest, number: str) -> HttpResponse:
    """The reply letter as a text file, for the applicant whose session tracked the request."""
    record = _tracked_replied(request, number)
    response = HttpResponse(record.reply_letter, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{record.tracking_no}-reply.txt"'
    return _private(response)


@never_cache
@require_http_methods(["GET"])
def request_document_download(request: HttpRequest, number: str, document_id: int) -> HttpResponse:
    """A reply document, for the applicant whose session tracked the request; else 404."""
    record = _tracked_replied(request, number)
    document = request_documents_for_applicant(record).filter(pk=document_id).first()
    if document is None or not document.file.storage.exists(document.file.name):
        raise Http404
    extension = document.file.name.rsplit(".", 1)[-1] if "." in document.file.name else "bin"
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{record.tracking_no}-{document.pk}.{extension}",
        content_type=document.content_type or "application/octet-stream",
    )
    return _private(response)
