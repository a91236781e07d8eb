"""The accused-party firewall: identity only for the bureau's investigator and supervisors."""

import pytest
from django.test import Client

from complaints.actions.complaints import complaint_identity_reveal
from complaints.models import ComplaintIdentityReveal
from complaints.selectors.complaints import complainant_identity_visible, complaints_visible_to
from disclosure.models import EntityMembership
from tests.factories.complaints import (
    COMPLAINANT_MOBILE,
    COMPLAINANT_NAME,
    complaint_handler,
    complaint_supervisor,
    submit_complaint,
)
from tests.factories.disclosure import AdministrativeEntityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    accused = AdministrativeEntityFactory(name="西岗区被投诉局")
    complaint, _ = submit_complaint(entity=accused)
    investigator = complaint_handler()
    complaint.investigator = investigator
    complaint.save(update_fields=["investigator"])
    official = UserFactory(perms=["complaints.view_complaint", "complaints.reveal_complainant"])
    EntityMembership.objects.create(user=official, entity=accused)
    return {
        "complaint": complaint,
        "investigator": investigator,
        "supervisor": complaint_supervisor(),
        "other_handler": complaint_handler(),
        "accused_official": official,
    }


def test_who_may_see_the_identity(setting):
    complaint = setting["complaint"]
    assert complainant_identity_visible(setting["investigator"], complaint)
    assert complainant_identity_visible(setting["supervisor"], complaint)
    assert not complainant_identity_visible(setting["other_handler"], complaint)
    assert not complainant_identity_visible(setting["accused_official"], complaint)


def test_an_accused_official_who_supervises_is_still_refused(setting):
    accused_supervisor = complaint_supervisor()
    EntityMembership.objects.create(user=accused_supervisor, entity=setting["complaint"].entity)
    assert not complainant_identity_visible(accused_supervisor, setting["complaint"])


def test_every_reveal_is_logged(setting):
    identity = complaint_identity_reveal(
        complaint=setting["complaint"], by=setting["investigator"], surface="test"
    )
    assert identity["complainant_name"] == COMPLAINANT_NAME
    assert ComplaintIdentityReveal.objects.filter(user=setting["investigator"]).count() == 1
    with pytest.raises(PermissionError):
        complaint_identity_reveal(
            complaint=setting["complaint"], by=setting["accused_official"], surface="test"
        )


def test_the_accused_department_sees_its_complaints_redacted_in_the_admin(setting):
    official = setting["accused_official"]
    assert list(complaints_visible_to(official)) == [setting["complaint"]]
    client = Client()
    client.force_login(official)
    url = f"/admin/complaints/complaint/{setting['complaint'].pk}/change/"
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert COMPLAINANT_NAME not in page and COMPLAINANT_MOBILE not in page
    listing = client.get("/admin/complaints/complaint/").content.decode()
    assert COMPLAINANT_NAME not in listing
    assert ComplaintIdentityReveal.objects.count() == 0


def test_the_investigator_sees_the_identity_in_the_admin_and_it_is_logged(setting):
    investigator = setting["investigator"]
    investigator.user_permissions.add(
        *__import__(
            "django.contrib.auth.models", fromlist=["Permission"]
        ).Permission.objects.filter(codename="view_complaint")
    )
    client = Client()
    client.force_login(investigator)
    response = client.get(f"/admin/complaints/complaint/{setting['complaint'].pk}/change/")
    assert COMPLAINANT_NAME in response.content.decode()
    assert ComplaintIdentityReveal.objects.filter(user=investigator, surface="admin").exists()


def test_the_tracking_api_shows_no_identity(setting, client):
    complaint, credentials = submit_complaint()
    response = client.post(
        "/api/v1/complaints/track/",
        {"number": credentials.number, "password": credentials.password},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["tracking_no"] == complaint.tracking_no
    assert COMPLAINANT_NAME not in response.content.decode()
    wrong = client.post(
        "/api/v1/complaints/track/",
        {"number": credentials.number, "password": "nope"},
        content_type="application/json",
    )
    unknown = client.post(
        "/api/v1/complaints/track/",
        {"number": "TS-0-NOPE", "password": "nope"},
        content_type="application/json",
    )
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()


def test_attachments_open_for_the_bureau_not_for_the_accused(setting, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from complaints.models import ComplaintAttachment

    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    complaint, _ = submit_complaint(entity=setting["complaint"].entity, attachments=[pdf])
    attachment = ComplaintAttachment.objects.get(complaint=complaint)
    url = f"/admin/complaints/complaint/{complaint.pk}/attachments/{attachment.pk}/"
    handler = setting["investigator"]
    client = Client()
    client.force_login(handler)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    accused = Client()
    accused.force_login(setting["accused_official"])
    assert accused.get(url).status_code == 403


def test_admin_list_query_count_does_not_grow(setting):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories.complaints import ComplaintFactory

    supervisor = setting["supervisor"]
    supervisor.user_permissions.add(
        *__import__(
            "django.contrib.auth.models", fromlist=["Permission"]
        ).Permission.objects.filter(codename="view_complaint")
    )
    client = Client()
    client.force_login(supervisor)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/admin/complaints/complaint/").status_code == 200
    ComplaintFactory.create_batch(19)
    with CaptureQueriesContext(connection) as twenty:
        assert client.get("/admin/complaints/complaint/").status_code == 200
    assert len(twenty) == len(one)


def test_no_public_surface_carries_the_identity(setting, client):
    """Pages, the catalogue feed, the sitemap, the API and Open311: never the complainant."""
    from tests.factories.complaints import COMPLAINANT_EMAIL, InspectionVisitFactory

    complaint = setting["complaint"]
    InspectionVisitFactory(status="accepted", entity=complaint.entity)
    surfaces = [
        "/complaints/",
        "/complaints/visits/",
        "/complaints/supervisors/",
        "/complaints/rectification/",
        "/catalogue/feed/",
        "/sitemap.xml",
        "/api/v1/complaints/ledger/",
        "/api/v1/complaints/statistics/",
        "/api/v1/complaints/departments/",
        "/api/v1/complaints/visits/",
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        f"/open311/v2/requests/{complaint.tracking_no}.json",
    ]
    for url in surfaces:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        for secret in (COMPLAINANT_NAME, COMPLAINANT_MOBILE, COMPLAINANT_EMAIL):
            assert secret not in text, url
    # the ledger does show the complaint itself
    assert complaint.tracking_no in client.get("/complaints/").content.decode()
