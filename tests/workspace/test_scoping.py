"""Department scoping on every surface: an education-bureau officer cannot read or change the
health bureau's non-public records through the admin list, the admin change URL reached by hand,
the officials' pages or the API.

Each kind is built twice, once for each bureau; the officer's own record is the positive control
(visible in the admin list), the other bureau's must be absent everywhere. Export (the admin's
CSV/XLSX actions) is tested with the exports (tests/workspace/test_export*).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosure.models import AdministrativeEntity, CatalogueEntry, InformationRequest
from disclosure.models.institutions import InstitutionDisclosure
from services.models import ServiceCase
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    CatalogueEntryFactory,
    InstitutionDisclosureFactory,
    PublicInstitutionFactory,
)
from tests.factories.services import ServiceCaseFactory, ServiceItemFactory
from tests.workspace.officials import complaint_due, official, request_due
from workdays.calendar import add_workdays

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Kind:
    """How to make one non-public record of a bureau, find it, and try to change it."""

    admin: str  # admin URL name prefix, e.g. "disclosure_catalogueentry"
    make: Callable[[AdministrativeEntity, str], object]  # (bureau, marker) -> record
    change: dict[str, str]  # POST data that would change the record
    changed: Callable[[object], bool]  # has the record (re-read) been changed?


def _entry(bureau: AdministrativeEntity, marker: str) -> CatalogueEntry:
    soon = add_workdays(timezone.localdate(), 3)
    return CatalogueEntryFactory(publisher=bureau, title=f"{marker}内部草稿", publication_due=soon)


def _entity(bureau: AdministrativeEntity, marker: str) -> AdministrativeEntity:
    return AdministrativeEntityFactory(draft=True, parent=bureau, name=f"{marker}新设科室")


def _institution_item(bureau: AdministrativeEntity, marker: str) -> InstitutionDisclosure:
    institution = PublicInstitutionFactory(supervising_department=bureau, name=f"{marker}附属单位")
    return InstitutionDisclosureFactory(
        institution=institution,
        content=f"<p>{marker}未发布的公开事项</p>",
        status=InstitutionDisclosure.Status.DRAFT,
    )


def _case(bureau: AdministrativeEntity, marker: str) -> ServiceCase:
    return ServiceCaseFactory(
        item=ServiceItemFactory(entity=bureau, name=f"{marker}许可事项"),
        received_on=timezone.localdate(),
        applicant_name=f"{marker}申请人",
    )


def _request(bureau: AdministrativeEntity, marker: str) -> InformationRequest:
    request = request_due(bureau, add_workdays(timezone.localdate(), 3))
    InformationRequest.objects.filter(pk=request.pk).update(info_title=f"{marker}申请的信息")
    request.refresh_from_db()
    return request


def _complaint(bureau: AdministrativeEntity, marker: str) -> object:
    return complaint_due(
        bureau, add_workdays(timezone.localdate(), 3), description=f"{marker}被投诉的情况"
    )


def _title(model: type) -> Callable[[object], bool]:
    return lambda obj: model.objects.get(pk=obj.pk).title == "改过的标题"


KINDS = {
    "catalogue entry": Kind(
        "disclosure_catalogueentry",
        _entry,
        {"title": "改过的标题"},
        _title(CatalogueEntry),
    ),
    "entity draft": Kind(
        "disclosure_administrativeentity",
        _entity,
        {"name": "改过的名称"},
        lambda obj: AdministrativeEntity.objects.get(pk=obj.pk).name == "改过的名称",
    ),
    "institution item": Kind(
        "disclosure_institutiondisclosure",
        _institution_item,
        {"content": "改过的内容"},
        lambda obj: InstitutionDisclosure.objects.get(pk=obj.pk).content == "改过的内容",
    ),
    "service case": Kind(
        "services_servicecase",
        _case,
        {"applicant_name": "改过的申请人"},
        lambda obj: ServiceCase.objects.get(pk=obj.pk).applicant_name == "改过的申请人",
    ),
    "information request": Kind(
        "disclosure_informationrequest",
        _request,
        {"info_title": "改过的标题"},
        lambda obj: InformationRequest.objects.get(pk=obj.pk).info_title == "改过的标题",
    ),
    "complaint": Kind(
        "complaints_complaint",
        _complaint,
        {"finding": "substantiated"},
        lambda obj: type(obj).objects.get(pk=obj.pk).finding == "substantiated",
    ),
}


@pytest.fixture
def bureaus() -> tuple[AdministrativeEntity, AdministrativeEntity]:
    return (
        AdministrativeEntityFactory(name="西岗区教育局", short_name="教育局"),
        AdministrativeEntityFactory(name="西岗区卫生局", short_name="卫生局"),
    )


@pytest.fixture
def officer(bureaus) -> object:
    return official("department_officer", bureaus[0])


@pytest.fixture(params=list(KINDS), ids=lambda name: name.replace(" ", "-"))
def kind(request) -> Kind:
    return KINDS[request.param]


@pytest.fixture
def records(kind, bureaus) -> tuple[object, object]:
    education, health = bureaus
    return kind.make(education, "教育局"), kind.make(health, "卫生局")


def test_admin_list_shows_own_records_only(client, officer, kind, records) -> None:
    own, other = records
    client.force_login(officer)
    response = client.get(reverse(f"admin:{kind.admin}_changelist"))
    assert response.status_code == 200
    listed = {obj.pk for obj in response.context["cl"].queryset}
    assert own.pk in listed
    assert other.pk not in listed


def test_admin_change_url_of_another_bureaus_record_reveals_nothing(
    client, officer, kind, records
) -> None:
    own, other = records
    client.force_login(officer)
    response = client.get(reverse(f"admin:{kind.admin}_change", args=[other.pk]))
    # Django's admin answers an object outside the queryset like a missing one
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response["Location"] == reverse("admin:index")
    assert "卫生局" not in response.content.decode()
    # the history page neither
    response = client.get(reverse(f"admin:{kind.admin}_history", args=[other.pk]))
    assert response.status_code in (302, 403, 404)
    assert "卫生局" not in response.content.decode()


def test_admin_change_url_of_another_bureaus_record_changes_nothing(
    client, officer, kind, records
) -> None:
    own, other = records
    client.force_login(officer)
    response = client.post(reverse(f"admin:{kind.admin}_change", args=[other.pk]), kind.change)
    assert response.status_code in (302, 403, 404)
    assert not kind.changed(other)


def test_officials_pages_show_nothing_of_another_bureau(client, officer, kind, records) -> None:
    client.force_login(officer)
    for url in (reverse("workspace:queue"), reverse("workspace:dashboard")):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "卫生局" not in html, url


def test_queue_shows_own_records_it_lists(client, officer, bureaus) -> None:
    # the positive control of the officials' pages: the officer's own work is there
    education, _health = bureaus
    own = [_entry(education, "教育局"), _case(education, "教育局"), _request(education, "教育局")]
    client.force_login(officer)
    listed = {(item.kind.key, item.pk) for item in client.get("/officials/queue/").context["items"]}
    assert listed == {("entry", own[0].pk), ("case", own[1].pk), ("request", own[2].pk)}


def test_api_gives_no_non_public_record_to_a_signed_in_officer(
    client, officer, kind, records
) -> None:
    own, other = records
    client.force_login(officer)
    pages = [
        f"/api/v1/disclosure/entries/{other.pk}/",
        "/api/v1/disclosure/entries/",
        f"/api/v1/disclosure/entities/{other.pk}/",
        "/api/v1/disclosure/entities/",
        "/api/v1/disclosure/institution-items/",
        "/api/v1/complaints/ledger/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code in (200, 404), page
        assert "卫生局内部草稿" not in response.content.decode(), page
        assert "卫生局新设科室" not in response.content.decode(), page
        assert "卫生局未发布的公开事项" not in response.content.decode(), page
        assert "卫生局被投诉的情况" not in response.content.decode(), page
    if isinstance(other, ServiceCase):
        response = client.get(
            "/api/v1/services/cases/status/", {"case_no": other.case_no, "code": "WRONG"}
        )
        assert response.status_code in (400, 404)
        assert "卫生局申请人" not in response.content.decode()
    if isinstance(other, InformationRequest):
        response = client.post(
            "/api/v1/disclosure/requests/track/",
            json.dumps({"number": other.tracking_no, "password": "WRONG-PASSWORD"}),
            content_type="application/json",
        )
        assert response.status_code in (400, 404)
        assert "卫生局申请的信息" not in response.content.decode()


def test_an_officer_of_both_bureaus_sees_both(client, bureaus, kind) -> None:
    # a membership, not the role, decides the scope
    education, health = bureaus
    both = official("department_officer", education, health)
    own, other = kind.make(education, "教育局"), kind.make(health, "卫生局")
    client.force_login(both)
    response = client.get(reverse(f"admin:{kind.admin}_changelist"))
    listed = {obj.pk for obj in response.context["cl"].queryset}
    assert {own.pk, other.pk} <= listed


def test_the_supervision_bureau_sees_every_complaint(client, bureaus) -> None:
    education, health = bureaus
    complaints = [_complaint(education, "教育局"), _complaint(health, "卫生局")]
    client.force_login(official("supervision_bureau"))
    response = client.get(reverse("admin:complaints_complaint_changelist"))
    listed = {obj.pk for obj in response.context["cl"].queryset}
    assert {c.pk for c in complaints} <= listed
    queue = client.get("/officials/queue/").context["items"]
    assert {item.pk for item in queue if item.kind.key == "complaint"} == {c.pk for c in complaints}


def test_an_officer_without_membership_sees_no_departments_records(client, bureaus) -> None:
    education, _health = bureaus
    _entry(education, "教育局")
    _case(education, "教育局")
    loner = official("department_officer")
    client.force_login(loner)
    assert client.get("/officials/queue/").context["items"] == []
    response = client.get(reverse("admin:disclosure_catalogueentry_changelist"))
    assert list(response.context["cl"].queryset) == []
