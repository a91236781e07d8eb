"""Attachments: the type comes from the content, the size is limited, a refusal stores nothing."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from disclosure.actions.catalogue import catalogue_attachment_add, catalogue_attachment_remove
from disclosure.exceptions import CatalogueEntryNotDraft
from disclosure.models import CatalogueAttachment
from disclosure.models.catalogue import ATTACHMENT_MAX_BYTES
from tests.factories.disclosure import CatalogueEntryFactory, catalogue_reviewer, publish_entry

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _image(kind: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(out, format=kind)
    return out.getvalue()


# Real images: an image is decoded and re-encoded without metadata (disclosure.images).
PNG = _image("PNG")
JPEG = _image("JPEG")
OLE = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 64


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        for name in names:
            package.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("通知.pdf", PDF, "application/pdf"),
        ("图.png", PNG, "image/png"),
        ("照片.jpg", JPEG, "image/jpeg"),
        ("表.doc", OLE, "application/msword"),
        (
            "办法.docx",
            _zip("word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "统计.xlsx",
            _zip("xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("公文.ofd", _zip("OFD.xml"), "application/ofd"),
    ],
)
def test_accepted_types_are_stored_under_media_root(name, content, content_type, _media):
    entry = CatalogueEntryFactory()
    attachment = catalogue_attachment_add(
        entry=entry, by=entry.author, file=SimpleUploadedFile(name, content), title="附件"
    )
    assert attachment.content_type == content_type
    assert attachment.file.path.startswith(str(_media))
    stored = (_media / attachment.file.name).read_bytes()
    assert attachment.size == len(stored)
    if content_type.startswith("image/"):  # re-encoded from its pixels: tests/security
        assert stored[:3] == content[:3]
    else:
        assert stored == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("伪装.pdf", b"MZ\x90\x00 this is an executable"),
        ("脚本.pdf", b"<script>alert(1)</script>"),
        ("压缩包.docx", _zip("payload.exe")),
        ("文本.txt", "纯文本".encode()),
        ("empty.pdf", b""),
    ],
)
def test_wrong_type_is_a_field_error_and_stores_nothing(name, content, _media):
    entry = CatalogueEntryFactory()
    with pytest.raises(ValidationError) as error:
        catalogue_attachment_add(
            entry=entry, by=entry.author, file=SimpleUploadedFile(name, content)
        )
    assert "file" in error.value.message_dict
    assert [refusal.code for refusal in error.value.error_dict["file"]] == ["attachment_type"]
    with translation.override("en"):
        assert "not accepted" in error.value.message_dict["file"][0]
    assert not CatalogueAttachment.objects.exists()
    assert _stored_files(_media) == []


def test_oversized_file_is_a_field_error_and_stores_nothing(_media):
    entry = CatalogueEntryFactory()
    big = SimpleUploadedFile("大文件.pdf", b"%PDF-1.4\n" + b"0" * ATTACHMENT_MAX_BYTES)
    with pytest.raises(ValidationError) as error:
        catalogue_attachment_add(entry=entry, by=entry.author, file=big)
    assert "20 MB" in error.value.message_dict["file"][0]
    assert not CatalogueAttachment.objects.exists()
    assert _stored_files(_media) == []


def test_only_drafts_take_attachments(_media):
    entry = publish_entry(CatalogueEntryFactory(), reviewer=catalogue_reviewer())
    with pytest.raises(CatalogueEntryNotDraft):
        catalogue_attachment_add(
            entry=entry, by=entry.author, file=SimpleUploadedFile("a.pdf", PDF)
        )
    assert _stored_files(_media) == []


def test_remove_deletes_the_file_after_commit(_media, django_capture_on_commit_callbacks):
    entry = CatalogueEntryFactory()
    attachment = catalogue_attachment_add(
        entry=entry, by=entry.author, file=SimpleUploadedFile("a.pdf", PDF)
    )
    with django_capture_on_commit_callbacks(execute=True):
        catalogue_attachment_remove(attachment=attachment, by=entry.author)
    assert not CatalogueAttachment.objects.exists()
    assert _stored_files(_media) == []


def test_published_entry_page_lists_attachments(client, _media):
    entry = CatalogueEntryFactory()
    catalogue_attachment_add(
        entry=entry, by=entry.author, file=SimpleUploadedFile("a.pdf", PDF), title="实施方案全文"
    )
    publish_entry(entry, reviewer=catalogue_reviewer())
    text = client.get(entry.get_absolute_url()).content.decode()
    assert "实施方案全文" in text and "PDF" in text
