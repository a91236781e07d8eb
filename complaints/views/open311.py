"""Open311 GeoReport v2 at /open311/v2/: discovery, services, requests (GET and POST); JSON and XML.

Services are the complaint categories; a service definition offers the department, window,
service item, public institution and case number as attributes. POST needs an `api_key` issued
in the admin (Open311Key). GET output carries no personal data and no free text a citizen wrote:
only the number, category, department, state (Chinese in `status_notes`) and dates.

Tokens: a POST returns, beside the id, a token; `GET tokens/{token}` gives the request's
`service_request_id` (with the public request) for clients that store the token.
Jurisdiction: one district serves this endpoint. Its id (settings.OPEN311_JURISDICTION_ID) is
advertised in discovery; a request may name it as `jurisdiction_id`, and another id gets 404
(an empty one 400), in the spec's error format.
"""

import datetime
import functools
import xml.etree.ElementTree as ET  # noqa: S405 - we only write XML, never parse it
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from complaints.actions.complaints import complaint_submit, open311_token_issue
from complaints.forms import MOBILE_RE, TAG_RE, normalise_mobile
from complaints.models import Complaint, Open311Key
from complaints.selectors.complaints import (
    complaint_number_for_open311_token,
    complaint_public_get,
    complaints_open311,
)
from disclosure.models import AdministrativeEntity
from disclosure.ratelimit import RateLimited, submission_rate_limit
from services.models import ServiceCase, ServiceItem, ServiceWindow

CLOSED_STATES = {"replied", "closed", "declined", "withdrawn"}
DEFAULT_WINDOW_DAYS = 90
MAX_RESULTS = 1000  # the most one GET returns (`page_size` up to this)
DEFAULT_PAGE_SIZE = 50  # what a GET returns without `page_size` (the spec lets a server limit it)
SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
DEFAULT_JURISDICTION_ID = "xigang.dalian.gov.cn"


def jurisdiction_id() -> str:
    """The district's Open311 jurisdiction id (settings.OPEN311_JURISDICTION_ID)."""
    return getattr(settings, "OPEN311_JURISDICTION_ID", "") or DEFAULT_JURISDICTION_ID


# --- Output ------------------------------------------------------------------------------------


def _xml(root_tag: str, item_tag: str, items: list[dict]) -> bytes:
    root = ET.Element(root_tag)
    for item in items:
        _xml_fill(ET.SubElement(root, item_tag), item)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


_XML_LIST_ITEMS = {"attributes": "attribute", "values": "value", "endpoints": "endpoint"}


def _xml_fill(element: ET.Element, data: dict) -> None:
    for key, value in data.items():
        child = ET.SubElement(element, key)
        if isinstance(value, dict):
            _xml_fill(child, value)
        elif isinstance(value, list):
            for entry in value:
                if isinstance(entry, dict):
                    _xml_fill(ET.SubElement(child, _XML_LIST_ITEMS.get(key, "item")), entry)
                else:
                    ET.SubElement(child, "format").text = str(entry)
        elif value is None:
            continue
        elif isinstance(value, bool):
            child.text = "true" if value else "false"
        else:
            child.text = str(value)


def _respond(fmt: str, data: Any, *, root: str, item: str, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        items = data if isinstance(data, list) else [data]
        if root == item:  # a single object (discovery, service definition)
            body = ET.Element(root)
            _xml_fill(body, items[0])
            payload = ET.tostring(body, encoding="utf-8", xml_declaration=True)
        else:
            payload = _xml(root, item, items)
        return HttpResponse(payload, content_type="text/xml; charset=utf-8", status=status)
    return JsonResponse(data, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return _respond(
        fmt,
        [{"code": status, "description": description}],
        root="errors",
        item="error",
        status=status,
    )


XML_TYPES = ("text/xml", "application/xml")


def open311_error_format(request: HttpRequest) -> str:
    """The format an Open311 client asked for: the URL's extension, else its Accept header.

    GeoReport v2 names the format in the URL (`requests.xml`); a path without one (an unknown
    URL, the service root) follows Accept, and JSON is the default.
    """
    path = request.path_info
    if path.endswith(".xml"):
        return "xml"
    if path.endswith(".json"):
        return "json"
    preferred = request.get_preferred_type(["application/json", *XML_TYPES])
    return "xml" if preferred in XML_TYPES else "json"


def open311_error(request: HttpRequest, status: int, description: str) -> HttpResponse:
    """An error in the spec's format (`errors` → `error` with `code`, `description`), as asked.

    Used by the site's 500/503 handler too: it builds the body without the database.
    """
    return _error(open311_error_format(request), status, description)


def _bad_format(fmt: str) -> bool:
    return fmt not in ("json", "xml")


def jurisdiction_checked(view):  # noqa: ANN001, ANN201 - a view decorator
    """Refuse a `jurisdiction_id` (query or form) that is not the district's: 404, blank 400."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        given = request.GET.get("jurisdiction_id")
        if given is None and request.method == "POST":
            given = request.POST.get("jurisdiction_id")
        if given is not None:
            fmt = kwargs.get("fmt", "json")
            fmt = fmt if not _bad_format(fmt) else "json"
            if not given.strip():
                return _error(fmt, 400, "jurisdiction_id must not be empty.")
            if given.strip() != jurisdiction_id():
                return _error(fmt, 404, f"Unknown jurisdiction_id: {given.strip()[:100]}")
        return view(request, *args, **kwargs)

    return wrapper


# --- Services ----------------------------------------------------------------------------------


def _service(code: str, label: str) -> dict:
    return {
        "service_code": code,
        "service_name": str(label),
        "description": str(label),
        "metadata": True,
        "type": "batch",
        "keywords": "效能投诉",
        "group": "效能投诉",
    }


def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    if _bad_format(fmt):
        return _error("json", 404, "Unknown format.")
    base = request.build_absolute_uri(reverse("open311:discovery", args=["json"]))
    data = {
        "changeset": "2026-11-28T00:00:00+08:00",
        "contact": getattr(settings, "GONGKAI_CONTACT_EMAIL", ""),
        "key_service": "api_key issued by the district supervision bureau (监察局)",
        "jurisdiction_id": jurisdiction_id(),
        "endpoints": [
            {
                "specification": SPEC_URL,
                "url": base.rsplit("/", 1)[0],
                "changeset": "2026-11-28T00:00:00+08:00",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return _respond(fmt, data, root="discovery", item="discovery")


@jurisdiction_checked
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    if _bad_format(fmt):
        return _error("json", 404, "Unknown format.")
    with translation.override(settings.LANGUAGE_CODE):
        data = [_service(code, label) for code, label in Complaint.Category.choices]
    return _respond(fmt, data, root="services", item="service")


@jurisdiction_checked
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if _bad_format(fmt):
        return _error("json", 404, "Unknown format.")
    if code not in Complaint.Category.values:
        return _error(fmt, 404, f"Unknown service_code: {code}")
    entities = list(AdministrativeEntity.objects.order_by("name").values_list("pk", "name"))
    windows = list(ServiceWindow.objects.filter(is_active=True).values_list("pk", "number", "name"))
    items = list(ServiceItem.objects.order_by("name").values_list("pk", "name"))
    attributes = [
        _attribute("entity", "被投诉部门", 1, [(pk, name) for pk, name in entities]),
        _attribute("window", "窗口", 2, [(pk, f"{number} {name}") for pk, number, name in windows]),
        _attribute("item", "服务事项", 3, items),
    ]
    institution_model = _institution_model()
    if institution_model is not None:
        institutions = list(institution_model.objects.order_by("name").values_list("pk", "name"))
        attributes.append(_attribute("institution", "公共企事业单位", 4, institutions))
    attributes.append(
        {
            "variable": True,
            "code": "case_number",
            "datatype": "string",
            "required": False,
            "datatype_description": "办件编号",
            "order": 5,
            "description": "被投诉的办件编号（至少填写一个投诉对象）",
        }
    )
    data = {"service_code": code, "attributes": attributes}
    return _respond(fmt, data, root="service_definition", item="service_definition")


def _attribute(code: str, description: str, order: int, values: list) -> dict:
    return {
        "variable": True,
        "code": code,
        "datatype": "singlevaluelist",
        "required": False,
        "datatype_description": None,
        "order": order,
        "description": f"{description}（至少填写一个投诉对象）",
        "values": [{"key": str(key), "name": str(name)} for key, name in values],
    }


def _institution_model():
    try:
        return Complaint._meta.get_field("institution").related_model
    except Exception:  # noqa: BLE001 - the field exists once institutions are built
        return None


# --- Requests ----------------------------------------------------------------------------------


def _iso(moment: datetime.datetime | None) -> str | None:
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat()


def _end_of_day(day: datetime.date | None) -> str | None:
    if day is None:
        return None
    moment = datetime.datetime.combine(day, datetime.time(17, 0))
    return timezone.make_aware(moment).isoformat()


def request_public(complaint: Complaint) -> dict:
    """One request as GET shows it: no identity, no citizen's text."""
    department = complaint.department
    with translation.override(settings.LANGUAGE_CODE):
        return _request_row(
            (
                complaint.tracking_no,
                complaint.status,
                complaint.category,
                complaint.received_on,
                complaint.updated_at,
                complaint.stage_due_on,
                department.name if department is not None else None,
            ),
            statuses=dict(Complaint.Status.choices),
            categories=dict(Complaint.Category.choices),
        )


def _request_row(row: tuple, *, statuses: dict, categories: dict) -> dict:
    """A request from a `complaints_open311()` row (OPEN311_COLUMNS), in the active language."""
    number, status, category, received_on, updated_at, stage_due_on, department = row
    received = timezone.make_aware(datetime.datetime.combine(received_on, datetime.time(9, 0)))
    return {
        "service_request_id": number,
        "status": "closed" if status in CLOSED_STATES else "open",
        "status_notes": str(statuses.get(status, status)),
        "service_name": str(categories.get(category, category)),
        "service_code": category,
        "description": None,
        "agency_responsible": department,
        "service_notice": "事事有回音，件件有着落",
        "requested_datetime": received.isoformat(),
        "updated_datetime": _iso(updated_at),
        "expected_datetime": _end_of_day(stage_due_on),
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def _positive(raw: str | None, *, default: int, maximum: int | None = None) -> int | None:
    """A positive whole number from a query parameter (None if malformed), capped at `maximum`."""
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or int(raw) < 1:
        return None
    return min(int(raw), maximum) if maximum else int(raw)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@jurisdiction_checked
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if _bad_format(fmt):
        return _error("json", 404, "Unknown format.")
    if request.method == "POST":
        return _post_request(request, fmt)
    queryset = complaints_open311()
    params = request.GET
    # Extensions of the spec, as other Open311 servers offer them: a page of `page_size`
    # requests (DEFAULT_PAGE_SIZE, at most MAX_RESULTS), newest first, and its `page` number.
    page_size = _positive(params.get("page_size"), default=DEFAULT_PAGE_SIZE, maximum=MAX_RESULTS)
    page = _positive(params.get("page"), default=1)
    if page_size is None or page is None:
        return _error(fmt, 400, "page and page_size must be whole numbers from 1.")
    if params.get("service_request_id"):
        # (NUL dropped: PostgreSQL refuses it in a string)
        raw = params["service_request_id"].replace("\x00", "")
        numbers = [n.strip() for n in raw.split(",") if n.strip()]
        queryset = queryset.filter(tracking_no__in=numbers)
    else:
        if params.get("service_code"):
            raw = params["service_code"].replace("\x00", "")
            codes = [c.strip() for c in raw.split(",") if c.strip()]
            queryset = queryset.filter(category__in=codes)
        start, end = params.get("start_date"), params.get("end_date")
        start_at = parse_datetime(start) if start else None
        end_at = parse_datetime(end) if end else None
        if (start and start_at is None) or (end and end_at is None):
            return _error(fmt, 400, "start_date and end_date must be W3C datetimes.")
        if start_at is None and end_at is None:
            end_at = timezone.now()
            start_at = end_at - datetime.timedelta(days=DEFAULT_WINDOW_DAYS)
        if start_at is not None:
            queryset = queryset.filter(received_on__gte=timezone.localtime(start_at).date())
        if end_at is not None:
            queryset = queryset.filter(received_on__lte=timezone.localtime(end_at).date())
        status = params.get("status")
        if status:
            wanted = {s.strip() for s in status.split(",")}
            if not wanted <= {"open", "closed"}:
                return _error(fmt, 400, "status must be open or closed.")
            if wanted == {"open"}:
                queryset = queryset.exclude(status__in=CLOSED_STATES)
            elif wanted == {"closed"}:
                queryset = queryset.filter(status__in=CLOSED_STATES)
    offset = (page - 1) * page_size
    with translation.override(settings.LANGUAGE_CODE):
        statuses, categories = dict(Complaint.Status.choices), dict(Complaint.Category.choices)
        data = [
            _request_row(row, statuses=statuses, categories=categories)
            for row in queryset[offset : offset + page_size]
        ]
    return _respond(fmt, data, root="service_requests", item="request")


@jurisdiction_checked
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    if _bad_format(fmt):
        return _error("json", 404, "Unknown format.")
    complaint = complaint_public_get(request_id)
    if complaint is None:
        return _error(fmt, 404, f"Unknown service_request_id: {request_id}")
    return _respond(fmt, [request_public(complaint)], root="service_requests", item="request")


def _pk_attribute(data, name: str, model) -> tuple[Any, str | None]:
    raw = (data.get(f"attribute[{name}]") or "").strip()
    if not raw:
        return None, None
    found = model.objects.filter(pk=raw).first() if raw.isdigit() else None
    if found is None:
        return None, f"Unknown attribute[{name}]: {raw}"
    return found, None


def _rate_limited(request: HttpRequest, limited: RateLimited) -> HttpResponse:
    return _error("xml" if request.path.endswith(".xml") else "json", 429, str(limited))


@submission_rate_limit("complaints", respond=_rate_limited)
def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    key = (data.get("api_key") or "").strip()
    api_key = Open311Key.objects.filter(key=key, is_active=True).first() if key else None
    if api_key is None:
        return _error(fmt, 403, "A valid api_key is required.")
    code = (data.get("service_code") or "").strip()
    if not code:
        return _error(fmt, 400, "service_code is required.")
    if code not in Complaint.Category.values:
        return _error(fmt, 404, f"Unknown service_code: {code}")
    description = data.get("description") or ""
    if not description.strip():
        return _error(fmt, 400, "description is required.")
    if len(description) > 4000 or TAG_RE.search(description):
        return _error(fmt, 400, "description must be plain text of at most 4000 characters.")
    targets: dict[str, Any] = {}
    for name, model in (
        ("entity", AdministrativeEntity),
        ("window", ServiceWindow),
        ("item", ServiceItem),
    ):
        targets[name], problem = _pk_attribute(data, name, model)
        if problem:
            return _error(fmt, 400, problem)
    institution_model = _institution_model()
    if institution_model is not None:
        targets["institution"], problem = _pk_attribute(data, "institution", institution_model)
        if problem:
            return _error(fmt, 400, problem)
    case_number = (data.get("attribute[case_number]") or "").strip()
    if case_number:
        targets["case"] = ServiceCase.objects.filter(case_no=case_number).first()
        if targets["case"] is None:
            return _error(fmt, 400, f"Unknown attribute[case_number]: {case_number}")
    if not any(targets.values()):
        return _error(
            fmt,
            400,
            "Say what the complaint is about: attribute[entity], [window], [item], "
            "[institution] or [case_number].",
        )
    name = f"{data.get('last_name', '')}{data.get('first_name', '')}".strip()
    phone = normalise_mobile(data.get("phone", ""))
    anonymous = not (name and phone)
    if phone and not MOBILE_RE.match(phone):
        return _error(fmt, 400, "phone must be a mainland China mobile number.")
    try:
        with transaction.atomic():
            complaint, credentials = complaint_submit(
                **targets,
                category=code,
                description=description,
                place=(data.get("address_string") or "")[:200],
                anonymous=anonymous,
                complainant_name="" if anonymous else name[:60],
                complainant_mobile="" if anonymous else phone,
                complainant_email="" if anonymous else (data.get("email") or "")[:254],
                channel="open311",
            )
            token = open311_token_issue(complaint=complaint, api_key=api_key)
    except ValidationError as error:
        return _error(fmt, 400, " ".join(error.messages))
    result = [
        {
            "service_request_id": complaint.tracking_no,
            "token": token.token,
            "service_notice": f"查询密码（仅显示一次）：{credentials.password}",
            "account_id": None,
        }
    ]
    return _respond(fmt, result, root="service_requests", item="request")


@jurisdiction_checked
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """GET tokens/{token}: the service_request_id a POST's token stands for (and the public
    request, as requests/{id} shows it)."""
    if _bad_format(fmt):
        return _error("json", 404, "Unknown format.")
    number = complaint_number_for_open311_token(token.strip())
    complaint = complaint_public_get(number) if number else None
    if complaint is None:
        return _error(fmt, 404, f"Unknown token: {token[:64]}")
    data = [{**request_public(complaint), "token": token.strip()}]
    return _respond(fmt, data, root="service_requests", item="request")


app_name = "open311"
urlpatterns = [
    path("discovery.<str:fmt>", discovery, name="discovery"),
    path("services.<str:fmt>", services, name="services"),
    path("services/<str:code>.<str:fmt>", service_definition, name="service-definition"),
    path("requests.<str:fmt>", requests, name="requests"),
    path("requests/<str:request_id>.<str:fmt>", request_detail, name="request-detail"),
    path("tokens/<str:token>.<str:fmt>", token_detail, name="token-detail"),
]
