"""Uploaded images re-encoded from their pixels alone: no EXIF, GPS, comments or trailing data.

A photo taken by a phone carries where and when it was taken and with what device; a file that
merely starts like an image may carry anything after its header. Every image the portal keeps
is decoded and written again, so only the pixels survive.
"""

import io

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext_lazy as _

FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}


def image_without_metadata(file: File, content_type: str) -> bytes:
    """The image's pixels written anew as JPEG or PNG; ValidationError if it cannot be read."""
    from PIL import Image, UnidentifiedImageError

    file.seek(0)
    try:
        with Image.open(file) as image:
            image.load()
            if content_type == "image/jpeg" or image.mode not in ("RGB", "RGBA", "L", "LA"):
                pixels = image.convert("RGB" if content_type == "image/jpeg" else "RGBA")
            else:
                pixels = image.copy()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("This image could not be read. Upload a JPEG or PNG image."),
            code="image_unreadable",
        ) from error
    finally:
        file.seek(0)
    clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if content_type == "image/jpeg":
        clean.save(out, format="JPEG", quality=90)
    else:
        clean.save(out, format="PNG")
    return out.getvalue()
