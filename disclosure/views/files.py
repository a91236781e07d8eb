"""Uploaded files, served only through views that check their record's visibility.

Uploads live in MEDIA_ROOT (var/media by default), outside the static tree: WhiteNoise never
serves them and no URL maps /media/. A download view looks the record up through the public
selector (not visible = 404) and answers with `stored_file_response`: always a download
(Content-Disposition: attachment, never rendered inline on the portal's origin), the type its
content showed when it was uploaded, nosniff, and a file name of the portal's choosing.
"""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404

from disclosure.models.catalogue import (
    CatalogueAttachment,
    CatalogueEntry,
    attachment_content_type,
)

EXTENSIONS = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/ofd": "ofd",
    "image/png": "png",
    "image/jpeg": "jpg",
}


def stored_file_response(
    field_file: FieldFile, *, name: str, content_type: str | None = None
) -> FileResponse:
    """A download of an uploaded file: attachment disposition, its content's type, nosniff.

    `name` is the file name without extension; the extension comes from the content type. A
    file missing from storage is a 404, not a server error.
    """
    if not field_file or not field_file.storage.exists(field_file.name):
        raise Http404
    handle = field_file.open("rb")
    content_type = content_type or attachment_content_type(handle) or "application/octet-stream"
    extension = EXTENSIONS.get(content_type, "bin")
    safe_name = "".join(ch for ch in name if ch.isprintable() and ch not in '\\/:*?"<>|')
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{safe_name.strip() or 'file'}.{extension}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def catalogue_attachment_download(
    request: HttpRequest, pk: int, attachment_pk: int
) -> FileResponse:
    """An attachment of a published entry (drafts, entries in review and withdrawn ones: 404)."""
    entry = get_object_or_404(CatalogueEntry.objects.published(), pk=pk)
    attachment = get_object_or_404(CatalogueAttachment, entry=entry, pk=attachment_pk)
    return stored_file_response(
        attachment.file, name=attachment.title, content_type=attachment.content_type or None
    )
