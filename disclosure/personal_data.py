"""Finding personal data in text that is about to be published: the personal-data gate.

Before a catalogue entry is published its title, summary, body, keywords and attachments are
scanned for three kinds of number that identify a person:

- resident identity numbers (居民身份证号码) whose GB 11643 check character is right;
- mainland mobile numbers (11 digits from 13…19, with or without +86 and separators);
- bank-card numbers (16 to 19 digits) that pass the Luhn check.

A finding blocks publication until a reviewer either redacts the text (the numbers are masked,
and the masking is an event in the entry's history) or explicitly confirms that the findings
are no personal data (also an event, with the reviewer's name). The scanner only looks: the
decisions live in `disclosure.actions.catalogue`.
"""

import html
import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from disclosure.validators import validate_credit_code, validate_resident_id

KIND_LABELS = {
    "resident_id": _("resident identity number"),
    "mobile": _("mobile number"),
    "bank_card": _("bank-card number"),
}

_RESIDENT_ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
_MOBILE_RE = re.compile(
    r"(?<![0-9A-Za-z+])(?:\+?86[\s\-]?)?(1[3-9]\d)[\s\-]?(\d{4})[\s\-]?(\d{4})(?![0-9A-Za-z])"
)
_CARD_RE = re.compile(r"(?<![0-9A-Za-z])\d{4}(?:[ \-]?\d{1,4}){3,4}(?![0-9A-Za-z])")
_TAG_RE = re.compile(r"<[^>]*>")
# Zip-based documents (DOCX, XLSX, OFD): the XML parts whose text is scanned, and how much.
_XML_PART_RE = re.compile(r"\.xml$", re.IGNORECASE)
_MAX_PART_BYTES = 5 * 1024 * 1024
_MAX_PARTS = 200
UNREADABLE_TYPES = ("image/", "application/pdf")


@dataclass(frozen=True)
class Finding:
    """One number that looks like personal data: what kind, where, and how it reads masked."""

    kind: str
    where: str
    masked: str

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


def mask(value: str) -> str:
    """The number with all but its first three and last two digits starred: 110***********12."""
    digits = re.sub(r"[\s\-+]", "", value)
    if len(digits) <= 5:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 5) + digits[-2:]


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        number = int(char)
        if position % 2 == 1:
            number *= 2
            if number > 9:
                number -= 9
        total += number
    return total % 10 == 0


def _is_resident_id(value: str) -> bool:
    try:
        validate_resident_id(value)
    except ValidationError:
        return False
    return True


def _is_credit_code(value: str) -> bool:
    try:
        validate_credit_code(value)
    except ValidationError:
        return False
    return True


def _spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every number that looks like personal data, without overlaps."""
    found: list[tuple[int, int, str]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e, _kind in found)

    for match in _RESIDENT_ID_RE.finditer(text):
        value = match.group()
        if _is_resident_id(value) and not _is_credit_code(value.upper()):
            found.append((match.start(), match.end(), "resident_id"))
    for match in _MOBILE_RE.finditer(text):
        if free(match.start(), match.end()):
            found.append((match.start(), match.end(), "mobile"))
    for match in _CARD_RE.finditer(text):
        digits = re.sub(r"[ \-]", "", match.group())
        if 16 <= len(digits) <= 19 and _luhn_valid(digits) and free(match.start(), match.end()):
            if len(digits) == 18 and _is_credit_code(digits):
                continue  # an organisation's credit code, public by law
            found.append((match.start(), match.end(), "bank_card"))
    return sorted(found)


def personal_data_scan(text: str, *, where: str = "") -> list[Finding]:
    """The personal-data findings in `text` (HTML tags are ignored, entities decoded)."""
    plain = html.unescape(_TAG_RE.sub(" ", text or ""))
    return [
        Finding(kind=kind, where=where, masked=mask(plain[start:end]))
        for start, end, kind in _spans(plain)
    ]


def personal_data_redact(text: str) -> str:
    """`text` with every finding masked (digits starred), everything else unchanged.

    Works on HTML as well: a number is only ever inside a text node, never split by a tag that
    the scanner would have looked through, so masking in place keeps the markup intact.
    """
    text = text or ""
    pieces, last = [], 0
    for start, end, _kind in _spans(text):
        pieces.append(text[last:start])
        original = text[start:end]
        pieces.append(re.sub(r"\d", "*", original[:-2]) + original[-2:])
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def document_text(file) -> str | None:  # noqa: ANN001 - a Django File or file-like object
    """The text of a zip-based document (DOCX, XLSX, OFD), or None when it cannot be read.

    PDF and images are not read (None): the reviewer checks them by eye.
    """
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as package:
            parts = [
                info
                for info in package.infolist()
                if _XML_PART_RE.search(info.filename) and info.file_size <= _MAX_PART_BYTES
            ][:_MAX_PARTS]
            texts = [package.read(info).decode("utf-8", errors="replace") for info in parts]
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return None
    finally:
        try:
            file.seek(0)
        except (OSError, ValueError):
            pass
    # Word splits a paragraph into runs; joining runs without a space keeps a number whole.
    return "\n".join(html.unescape(_TAG_RE.sub("", part)) for part in texts)


# --- The gate on catalogue entries ------------------------------------------------------------

# The history notes that record a reviewer's decision (notes in data are Chinese). The gate
# recognises a confirmation by this prefix on an in_review → in_review event.
CONFIRMED_NOTE = "个人信息检查：审核人确认以上内容不是个人信息，可以公开"
REDACTED_NOTE = "个人信息检查：已遮盖"


class PersonalDataUnreviewed(ValueError):
    """Publication refused: the entry shows personal data no reviewer has redacted or cleared."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        listed = "; ".join(f"{f.where}: {f.kind_label} {f.masked}" for f in findings)
        super().__init__(
            _(
                "Possible personal data found (%(findings)s). Redact it, or confirm that it is "
                "no personal data, before publishing."
            )
            % {"findings": listed}
        )


def catalogue_entry_findings(entry) -> list[Finding]:  # noqa: ANN001 - a CatalogueEntry
    """Every personal-data finding in an entry's public text and its attachments' text."""
    from disclosure.models.catalogue import CatalogueEntry

    findings: list[Finding] = []
    for name in ("title", "summary", "body", "keywords", "document_no"):
        label = str(CatalogueEntry._meta.get_field(name).verbose_name)
        findings += personal_data_scan(getattr(entry, name) or "", where=label)
    for attachment in entry.attachments.all():
        findings += personal_data_scan(attachment.title, where=attachment.title)
        text = attachment_text(attachment)
        if text:
            findings += personal_data_scan(text, where=attachment.title)
    return findings


def attachment_text(attachment) -> str | None:  # noqa: ANN001 - a CatalogueAttachment
    """The attachment's text when it is a document the scanner reads (DOCX, XLSX, OFD)."""
    content_type = attachment.content_type or ""
    if not content_type or content_type.startswith(UNREADABLE_TYPES):
        return None
    try:
        with attachment.file.open("rb") as handle:
            return document_text(handle)
    except (OSError, ValueError):
        return None


def attachments_not_scanned(entry) -> list[str]:  # noqa: ANN001 - a CatalogueEntry
    """Titles of the attachments the scanner cannot read (PDF, images): check them by eye."""
    return [
        attachment.title
        for attachment in entry.attachments.all()
        if (attachment.content_type or "").startswith(UNREADABLE_TYPES)
    ]
