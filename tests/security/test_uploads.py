"""Uploads: checked by content on every upload field, images without metadata, stored outside
the static tree and served only through views that check visibility, as downloads."""

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from complaints.models import Complaint
from disclosure.actions.catalogue import catalogue_attachment_add, catalogue_entry_withdraw
from disclosure.actions.requests import request_reply
from disclosure.models.catalogue import CatalogueEntry
from services.models import ServiceMaterial
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    CatalogueEntryFactory,
    catalogue_reviewer,
    make_request,
    publish_entry,
    request_handler,
)
from tests.factories.services import ServiceItemFactory

pytestmark = pytest.mark.django_db

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00PE\x00\x00L\x01" + b"\x00" * 200
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (32, 24), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"
    exif[0x8825] = {2: (39.0, 54.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def _published_with_attachment(content: bytes = PDF, name: str = "通知.pdf"):  # noqa: ANN202
    entry = CatalogueEntryFactory()
    attachment = catalogue_attachment_add(
        entry=entry, by=entry.author, file=SimpleUploadedFile(name, content), title="附件一"
    )
    return publish_entry(entry, reviewer=catalogue_reviewer()), attachment


# --- where uploads live ------------------------------------------------------------------------


def test_uploads_are_stored_outside_the_static_tree() -> None:
    media = Path(django_settings.MEDIA_ROOT).resolve()
    static_dirs = [Path(django_settings.STATIC_ROOT), *map(Path, django_settings.STATICFILES_DIRS)]
    for static in static_dirs:
        static = static.resolve()
        assert not media.is_relative_to(static) and not static.is_relative_to(media)


def test_no_url_serves_the_media_directory(client) -> None:
    entry, attachment = _published_with_attachment()
    assert Path(attachment.file.path).exists()
    assert client.get(f"/media/{attachment.file.name}").status_code == 404
    assert client.get(f"/static/../media/{attachment.file.name}").status_code == 404


# --- catalogue attachments ---------------------------------------------------------------------


def test_a_published_entrys_attachment_downloads_with_disposition_and_nosniff(client) -> None:
    entry, attachment = _published_with_attachment()
    page = client.get(entry.get_absolute_url()).content.decode()
    url = f"/catalogue/entries/{entry.pk}/attachments/{attachment.pk}/"
    assert url in page and "/media/" not in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_attachments_of_drafts_entries_in_review_and_withdrawn_entries_are_404(client) -> None:
    draft = CatalogueEntryFactory()
    hidden = catalogue_attachment_add(
        entry=draft, by=draft.author, file=SimpleUploadedFile("a.pdf", PDF), title="草稿附件"
    )
    assert client.get(f"/catalogue/entries/{draft.pk}/attachments/{hidden.pk}/").status_code == 404

    entry, attachment = _published_with_attachment()
    catalogue_entry_withdraw(entry=entry, by=catalogue_reviewer(), reason="已废止")
    url = f"/catalogue/entries/{entry.pk}/attachments/{attachment.pk}/"
    assert client.get(url).status_code == 404
    # nor through another entry's URL
    other, _attachment = _published_with_attachment()
    assert client.get(f"/catalogue/entries/{other.pk}/attachments/{hidden.pk}/").status_code == 404


def test_the_api_links_attachments_to_the_download_view(client) -> None:
    entry, attachment = _published_with_attachment()
    data = client.get(f"/api/v1/disclosure/entries/{entry.pk}/").json()
    urls = [item["url"] for item in data["attachments"]]
    assert urls and urls[0].endswith(f"/catalogue/entries/{entry.pk}/attachments/{attachment.pk}/")


def test_a_catalogue_image_is_stored_without_its_metadata(client) -> None:
    entry, attachment = _published_with_attachment(_jpeg_with_exif(), "现场照片.jpg")
    attachment.file.open("rb")
    with Image.open(attachment.file) as stored:
        assert dict(stored.getexif()) == {}
    attachment.file.close()
    body = b"".join(client.get(f"/catalogue/entries/{entry.pk}/attachments/{attachment.pk}/"))
    assert b"SecretCameraMaker" not in body


# --- every upload field refuses a renamed executable --------------------------------------------


def test_a_catalogue_image_that_only_starts_like_one_is_refused() -> None:
    entry = CatalogueEntryFactory()
    with pytest.raises(ValidationError) as refused:
        catalogue_attachment_add(
            entry=entry,
            by=entry.author,
            file=SimpleUploadedFile("图.png", b"\x89PNG\r\n\x1a\n" + EXECUTABLE),
        )
    assert "file" in refused.value.message_dict
    assert not entry.attachments.exists()


def test_the_complaint_form_refuses_a_renamed_executable(client) -> None:
    upload = SimpleUploadedFile("photo.jpg", EXECUTABLE, content_type="image/jpeg")
    response = client.post(
        "/complaints/new/",
        {
            "entity": AdministrativeEntityFactory().pk,
            "category": "delay",
            "description": "拖延办理",
            "anonymous": "on",
            "attachments": [upload],
        },
    )
    assert "attachments" in response.context["form"].errors
    assert Complaint.objects.count() == 0


def test_a_catalogue_attachment_refuses_a_renamed_executable() -> None:
    entry = CatalogueEntryFactory()
    with pytest.raises(ValidationError):
        catalogue_attachment_add(
            entry=entry, by=entry.author, file=SimpleUploadedFile("通知.pdf", EXECUTABLE)
        )
    assert not CatalogueEntry.objects.get(pk=entry.pk).attachments.exists()


def test_a_reply_document_refuses_a_renamed_executable() -> None:
    record = make_request()
    with pytest.raises(ValidationError) as refused:
        request_reply(
            request=record,
            by=request_handler(),
            outcome="disclosed",
            documents=[("答复书", SimpleUploadedFile("答复书.pdf", EXECUTABLE))],
        )
    assert "documents" in refused.value.message_dict
    assert not record.documents.exists()


def test_a_service_material_form_refuses_a_renamed_executable() -> None:
    material = ServiceMaterial(
        item=ServiceItemFactory(),
        name="申请表",
        form="original",
        blank_form=SimpleUploadedFile("申请表.docx", EXECUTABLE),
    )
    with pytest.raises(ValidationError) as refused:
        material.full_clean()
    assert "blank_form" in refused.value.message_dict


# --- service materials and rectification evidence ------------------------------------------------


def test_a_service_materials_blank_form_downloads_through_its_item(client) -> None:
    from django.core.files.base import ContentFile

    from tests.factories.services import ServiceMaterialFactory

    material = ServiceMaterialFactory()
    material.blank_form.save("申请表.pdf", ContentFile(PDF))
    page = client.get(f"/services/items/{material.item_id}/").content.decode()
    url = f"/services/items/{material.item_id}/materials/{material.pk}/blank-form/"
    assert url in page and "/media/" not in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    # no sample uploaded, an unknown kind, another item's material: 404
    assert client.get(url.replace("blank-form", "sample")).status_code == 404
    assert client.get(url.replace("blank-form", "other")).status_code == 404
    other = ServiceMaterialFactory()
    assert (
        client.get(f"/services/items/{other.item_id}/materials/{material.pk}/blank-form/")
    ).status_code == 404


def test_rectification_evidence_downloads_from_the_public_project(client) -> None:
    from django.core.files.base import ContentFile

    from tests.factories.complaints import RectificationProjectFactory

    project = RectificationProjectFactory()
    assert client.get(f"/complaints/rectification/{project.pk}/evidence/").status_code == 404
    project.completion_summary = "已完成培训"
    project.evidence.save("证明.pdf", ContentFile(PDF))
    page = client.get(f"/complaints/rectification/{project.pk}/").content.decode()
    assert f"/complaints/rectification/{project.pk}/evidence/" in page
    response = client.get(f"/complaints/rectification/{project.pk}/evidence/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_services_api_links_materials_to_the_download_view(client) -> None:
    from django.core.files.base import ContentFile

    from tests.factories.services import ServiceMaterialFactory

    material = ServiceMaterialFactory()
    material.sample.save("样表.pdf", ContentFile(PDF))
    data = client.get(f"/api/v1/services/items/{material.item_id}/").json()
    (listed,) = data["materials"]
    assert listed["blank_form"] is None
    assert listed["sample"].endswith(
        f"/services/items/{material.item_id}/materials/{material.pk}/sample/"
    )
    assert client.get(listed["sample"]).status_code == 200
