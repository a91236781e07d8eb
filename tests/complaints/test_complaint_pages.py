"""The complaint form, tracking and follow-ups: bad input, one answer for failures, rate limit."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from complaints.actions.complaints import (
    complaint_conclude,
    complaint_reply,
)
from complaints.models import Complaint, ComplaintAttachment
from disclosure.tracking import LOOKUP_LIMIT
from tests.factories.complaints import (
    COMPLAINANT_MOBILE,
    COMPLAINANT_NAME,
    complaint_handler,
    complaint_to_investigating,
    submit_complaint,
)
from tests.factories.disclosure import AdministrativeEntityFactory
from tests.factories.services import ServiceWindowFactory

pytestmark = pytest.mark.django_db
NEW = "/complaints/new/"
TRACK = "/complaints/track/"


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"  # Make
    exif[0x0131] = "SecretSoftware"  # Software
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def _form(**overrides) -> dict:
    data = {
        "entity": AdministrativeEntityFactory().pk,
        "category": "delay",
        "description": "窗口工作人员拖延办理。",
        "complainant_name": COMPLAINANT_NAME,
        "complainant_mobile": COMPLAINANT_MOBILE,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_form_prefills_from_the_query_string(client):
    window = ServiceWindowFactory()
    response = client.get(f"{NEW}?window={window.pk}")
    assert response.status_code == 200
    assert response.context["form"].initial == {"window": str(window.pk)}
    field = response.context["form"]["window"]
    assert str(field.value()) == str(window.pk)


def test_filing_shows_the_number_and_password_once_and_they_track_it(client):
    response = client.post(NEW, _form(), follow=True)
    credentials = response.context["credentials"]
    complaint = Complaint.objects.get()
    assert credentials["number"] == complaint.tracking_no
    assert complaint.tracking_password_check(credentials["password"])
    assert client.get(reverse("complaints:complaint-done")).status_code == 302  # shown once

    other = client.__class__()
    found = other.post(
        TRACK, {"number": credentials["number"], "password": credentials["password"]}
    )
    assert found.status_code == 302
    page = other.get(found["Location"])
    assert page.status_code == 200
    assert page.context["complaint"].pk == complaint.pk
    assert COMPLAINANT_NAME not in page.content.decode()
    assert COMPLAINANT_MOBILE not in page.content.decode()


def test_wrong_password_and_unknown_number_give_the_same_answer(client):
    complaint, _ = submit_complaint()
    wrong = client.post(TRACK, {"number": complaint.tracking_no, "password": "WRONGPW1"})
    unknown = client.post(TRACK, {"number": "TS-20260101-XXXXXX", "password": "WRONGPW1"})
    assert wrong.status_code == unknown.status_code == 404

    def strip(response) -> str:
        text = response.content.decode().replace(complaint.tracking_no, "")
        text = text.replace("TS-20260101-XXXXXX", "")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)

    assert strip(wrong).split("<main")[1] == strip(unknown).split("<main")[1]
    # and the page is not reachable without the password
    detail = reverse("complaints:complaint-detail", args=[complaint.tracking_no])
    assert client.get(detail).status_code == 404


def test_lookups_are_rate_limited_with_retry_after(client):
    for _ in range(LOOKUP_LIMIT):
        client.post(TRACK, {"number": "TS-20260101-XXXXXX", "password": "x"})
    response = client.post(TRACK, {"number": "TS-20260101-XXXXXX", "password": "x"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"entity": ""}, "__all__"),
        ({"complainant_mobile": "12345"}, "complainant_mobile"),
        ({"complainant_mobile": "23812345678"}, "complainant_mobile"),
        # (a body over DATA_UPLOAD_MAX_MEMORY_SIZE is answered 413: tests/security/test_abuse.py)
        ({"description": "x" * 5000}, "description"),
        ({"description": "<script>alert(1)</script>"}, "description"),
        ({"complainant_name": ""}, "complainant_name"),
        ({"case_number": "BJ-NOPE"}, "case_number"),
    ],
)
def test_bad_input_gives_a_field_error_and_stores_nothing(client, overrides, field):
    response = client.post(NEW, _form(**overrides))
    assert response.status_code in (200, 400)
    assert field in response.context["form"].errors
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),  # an executable
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 10),  # a JPEG header only
        ("big.pdf", b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024)),  # over the size limit
    ],
)
def test_disguised_or_oversized_attachments_are_refused(client, name, content):
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    response = client.post(NEW, {**_form(), "attachments": upload})
    assert "attachments" in response.context["form"].errors
    assert Complaint.objects.count() == ComplaintAttachment.objects.count() == 0


def test_images_are_reencoded_without_metadata(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("p.jpg", _jpeg_with_exif(), content_type="image/jpeg")
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(NEW, {**_form(), "attachments": [upload, pdf]})
    assert response.status_code == 302
    attachments = list(ComplaintAttachment.objects.order_by("id"))
    assert [a.content_type for a in attachments] == ["image/jpeg", "application/pdf"]
    stored = attachments[0].file.read()
    assert b"SecretCameraMaker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
    assert attachments[0].file.name.startswith("complaints/")
    assert "p.jpg" not in attachments[0].file.name


def test_anonymous_complaint_needs_no_name(client):
    response = client.post(NEW, _form(anonymous="on", complainant_name="", complainant_mobile=""))
    assert response.status_code == 302
    assert Complaint.objects.get().anonymous


def _tracked_client(client, complaint, password):
    client.post(TRACK, {"number": complaint.tracking_no, "password": password})
    return reverse("complaints:complaint-detail", args=[complaint.tracking_no])


def test_the_complainant_reads_the_reply_rates_it_and_it_closes(client):
    handler = complaint_handler()
    complaint, credentials = submit_complaint()
    complaint_to_investigating(complaint, handler)
    complaint_conclude(
        complaint=complaint,
        by=handler,
        finding="substantiated",
        measures=["admonishment"],
        conclusion="属实，已训诫。",
    )
    complaint_reply(complaint=complaint, by=handler, reply="经调查属实，已对当事人训诫。")
    url = _tracked_client(client, complaint, credentials.password)
    page = client.get(url)
    assert "经调查属实" in page.content.decode()
    assert page.context["can_rate"]
    client.post(f"{url}rate/", {"rating": "5"})
    complaint.refresh_from_db()
    assert (complaint.status, complaint.rating) == ("closed", 5)
    assert client.post(f"{url}rate/", {"rating": "1"}).status_code == 400


def test_the_complainant_adds_information_and_withdraws(client):
    complaint, credentials = submit_complaint()
    url = _tracked_client(client, complaint, credentials.password)
    assert client.post(f"{url}add/", {"text": "补充：当天上午十点"}).status_code == 302
    assert client.post(f"{url}withdraw/", {"reason": ""}).status_code == 400
    assert client.post(f"{url}withdraw/", {"reason": "已解决"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "withdrawn"
    assert client.post(f"{url}withdraw/", {"reason": "again"}).status_code == 400


def test_an_image_is_decoded_and_reencoded_once_per_submission(client, settings, tmp_path):
    """The form, the action and the store each check the file; the image is re-encoded once."""
    from unittest import mock

    from complaints.actions import complaints as actions

    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("p.jpg", _jpeg_with_exif(), content_type="image/jpeg")
    with mock.patch.object(
        actions, "image_without_metadata", wraps=actions.image_without_metadata
    ) as reencode:
        response = client.post(NEW, {**_form(), "attachments": [upload]})

    assert response.status_code == 302
    assert reencode.call_count == 1
    stored = ComplaintAttachment.objects.get().file.read()
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
