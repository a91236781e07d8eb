"""Ten hostile inputs against every public form: a clear error or an escaped result, never a 500.

Each form gets an otherwise valid submission (or search) with one hostile value in its main
text field, its number field or its upload field. Submissions must refuse what is not text
(markup, a megabyte, NUL and control characters, undecodable bytes, executables, overlong
numbers, direction overrides) with a field error and store nothing; text that merely looks
dangerous (an SQL fragment, template syntax) is stored verbatim and shown escaped. Lookups and
searches answer 2xx/4xx with the value escaped wherever it is echoed.
"""

import dataclasses
from collections.abc import Callable
from urllib.parse import quote_from_bytes, urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.test import Client

from complaints.models import Complaint
from disclosure.models.requests import InformationRequest
from tests.factories.disclosure import AdministrativeEntityFactory, request_data

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
INVALID_UTF8 = b"\xff\xfe\xc3\x28\xa0\xa1"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00PE\x00\x00L\x01" + b"\x00" * 64


@dataclasses.dataclass(frozen=True)
class Hostile:
    """A hostile value; `kind` says how it is sent and `refused` whether a submission refuses it."""

    name: str
    value: str | bytes
    kind: str = "text"  # text | raw (bytes in the encoded body/query) | upload
    target: str = "text"  # which field it goes into: text | number
    refused: bool = True


HOSTILE = [
    Hostile("script-tag", SCRIPT),
    Hostile("sql-fragment", "' OR '1'='1'; DROP TABLE auth_user; --", refused=False),
    Hostile("one-megabyte", "A" * 1_000_000),
    Hostile("nul", "投诉\x00内容"),
    Hostile("control-characters", "text\x07\x08\x1b[31mred\x1b[0m\x7f"),
    Hostile("invalid-utf8", INVALID_UTF8, kind="raw"),
    Hostile("renamed-executable", EXECUTABLE, kind="upload"),
    Hostile("overlong-number", "9" * 400, target="number"),
    Hostile("direction-override", "文件\u202egpj.exe\u202c"),
    Hostile("template-syntax", "{{ 7|add:7 }}{% debug %}${7*7}", refused=False),
]


@dataclasses.dataclass(frozen=True)
class PublicForm:
    """A public form: where it posts, a valid submission, and its text/number/upload fields."""

    name: str
    method: str
    url: str
    valid: Callable[[], dict]
    text_field: str
    number_field: str
    upload_field: str | None = None
    stores: type[Model] | None = None


def _complaint() -> dict:
    return {
        "entity": AdministrativeEntityFactory().pk,
        "category": "delay",
        "description": "窗口工作人员拖延办理。",
        "complainant_name": "张三",
        "complainant_mobile": "13812345678",
    }


def _application() -> dict:
    data = request_data()
    data.pop("channel")
    return {"entity": AdministrativeEntityFactory().pk, **data}


FORMS = [
    PublicForm(
        "complaint",
        "POST",
        "/complaints/new/",
        _complaint,
        "description",
        "entity",
        upload_field="attachments",
        stores=Complaint,
    ),
    PublicForm(
        "information-request",
        "POST",
        "/requests/new/",
        _application,
        "info_description",
        "entity",
        stores=InformationRequest,
    ),
    PublicForm(
        "case-lookup",
        "POST",
        "/services/cases/lookup/",
        lambda: {"case_no": "BJ-20260105-T00001", "code": "ABCD2345"},
        "case_no",
        "case_no",
    ),
    PublicForm(
        "complaint-tracking",
        "POST",
        "/complaints/track/",
        lambda: {"number": "TS-20260101-ABCDEF", "password": "ABCD2345"},
        "number",
        "number",
    ),
    PublicForm(
        "request-tracking",
        "POST",
        "/requests/track/",
        lambda: {"number": "YSQ-20260101-ABCDEF", "password": "ABCD2345"},
        "number",
        "password",
    ),
    PublicForm("catalogue-search", "GET", "/catalogue/", lambda: {"q": "收费"}, "q", "publisher"),
    PublicForm(
        "fee-search", "GET", "/institutions/fees/", lambda: {"q": "学费"}, "q", "max_amount"
    ),
    PublicForm(
        "service-item-search", "GET", "/services/", lambda: {"q": "营业"}, "q", "department"
    ),
    PublicForm(
        "complaint-ledger-filter",
        "GET",
        "/complaints/",
        lambda: {"status": "received"},
        "category",
        "page",
    ),
    PublicForm(
        "statistics-filter",
        "GET",
        "/statistics/",
        lambda: {"period": "year", "year": "2026"},
        "period",
        "department",
    ),
    PublicForm(
        "open311-requests",
        "GET",
        "/open311/v2/requests.json",
        lambda: {"service_code": "delay"},
        "service_request_id",
        "start_date",
    ),
    PublicForm(
        "open311-requests-by-code",
        "GET",
        "/open311/v2/requests.xml",
        lambda: {"status": "open"},
        "service_code",
        "end_date",
    ),
    PublicForm(
        "inspection-visit-filter", "GET", "/complaints/visits/", lambda: {}, "kind", "entity"
    ),
    PublicForm("complaint-form-prefill", "GET", "/complaints/new/", lambda: {}, "case", "entity"),
]


def _send(client: Client, form: PublicForm, hostile: Hostile):  # noqa: ANN202
    data = form.valid()
    field = form.number_field if hostile.target == "number" else form.text_field
    if hostile.kind == "upload" and form.upload_field and form.method == "POST":
        upload = SimpleUploadedFile("photo.jpg", hostile.value, content_type="image/jpeg")
        return client.post(form.url, {**data, form.upload_field: upload})
    if hostile.kind in ("raw", "upload"):
        # Bytes that are not UTF-8 (or an executable's bytes) straight into the encoded body
        # or query string: nothing decodes them before Django does.
        data.pop(field, None)
        encoded = urlencode(data) + f"&{field}=" + quote_from_bytes(hostile.value)
        if form.method == "GET":
            return client.get(form.url, QUERY_STRING=encoded)
        return client.generic(
            "POST", form.url, encoded, content_type="application/x-www-form-urlencoded"
        )
    data[field] = hostile.value
    if form.method == "GET":
        return client.get(form.url, data)
    return client.post(form.url, data)


def _assert_escaped(response, hostile: Hostile) -> None:  # noqa: ANN001
    content = response.content.decode("utf-8", errors="replace")
    assert SCRIPT not in content, "a script tag came back unescaped"
    if hostile.name == "script-tag" and "&lt;script&gt;" not in content:
        assert "<script>alert" not in content
    form = response.context.get("form") if response.context else None
    if hostile.name == "nul" and form is not None and form.is_bound:
        # Echoed back in the form it is inert (an attribute or textarea), beside its error.
        assert form.errors, "a NUL character was accepted"


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.name for h in HOSTILE])
@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
def test_hostile_input_gives_a_clear_answer_never_a_server_error(client, form, hostile) -> None:
    before = form.stores.objects.count() if form.stores else 0
    response = _send(client, form, hostile)
    assert response.status_code < 500, f"{form.name} answered {response.status_code}"
    assert response.status_code != 413 or hostile.name == "one-megabyte"
    _assert_escaped(response, hostile)
    if form.stores is None:
        return
    after = form.stores.objects.count()
    if hostile.refused:
        assert after == before, f"{form.name} stored a {hostile.name}"
        assert response.status_code in (200, 400, 413), response.status_code
        if response.status_code != 413:
            assert response.context["form"].errors, "refused without saying why"
    else:
        # Text that only looks dangerous is stored exactly as written (and never executed).
        assert after == before + 1
        record = form.stores.objects.latest("pk")
        stored = getattr(record, form.text_field)
        assert stored == hostile.value
