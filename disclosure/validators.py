"""Validators for identifiers the disclosure app stores."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015 统一社会信用代码: 18 characters from this alphabet (no I, O, Z, S, V).
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    """The 18th (check) character of a unified social credit code, from its first 17."""
    total = sum(
        CREDIT_CODE_ALPHABET.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """Reject a unified social credit code whose form or GB 32100 check character is wrong."""
    code = (value or "").strip().upper()
    if len(code) != 18 or any(char not in CREDIT_CODE_ALPHABET for char in code):
        raise ValidationError(
            _("A unified social credit code has 18 characters (digits and capital letters)."),
            code="credit_code_format",
        )
    if credit_code_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("This unified social credit code fails its check character (GB 32100)."),
            code="credit_code_checksum",
        )


# GB 11643-1999 公民身份号码: 17 digits and a check character (ISO 7064 MOD 11-2).
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"


def resident_id_check_character(first17: str) -> str:
    """The 18th (check) character of a resident identity number, from its first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK[total % 11]


def validate_resident_id(value: str) -> None:
    """Reject an 18-digit resident identity number whose form, birth date or check is wrong."""
    import datetime

    number = (value or "").strip().upper()
    # isascii(): "²" and full-width digits pass isdigit() (found by the hypothesis tests).
    if (
        len(number) != 18
        or not number.isascii()
        or not number[:17].isdigit()
        or number[17] not in "0123456789X"
    ):
        raise ValidationError(
            _("A resident identity number has 18 characters: 17 digits and a digit or X."),
            code="resident_id_format",
        )
    try:
        datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("This resident identity number does not contain a valid date of birth."),
            code="resident_id_birth_date",
        ) from None
    if resident_id_check_character(number[:17]) != number[17]:
        raise ValidationError(
            _("This resident identity number fails its check character (GB 11643)."),
            code="resident_id_checksum",
        )


# Characters nobody types into a form: C0 and C1 control characters other than tab and line
# breaks, Unicode direction overrides and isolates (they make text read differently from how it
# is stored), and U+FFFD, which stands for bytes that were not valid UTF-8.
_UNTYPED_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffd]")
_TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z!]")


def validate_typed_text(value: str) -> None:
    """Refuse control characters, direction overrides and undecodable bytes in typed text."""
    if value and _UNTYPED_RE.search(value):
        raise ValidationError(
            _(
                "This text contains control characters, direction overrides or characters that "
                "could not be read. Type or paste it again as plain text."
            ),
            code="untyped_characters",
        )


def validate_plain_text(value: str) -> None:
    """Plain typed text only: HTML tags are refused rather than silently stripped."""
    if _TAG_RE.search(value or ""):
        raise ValidationError(
            _("Write plain text: HTML tags such as <script> are not accepted."), code="tags"
        )
    validate_typed_text(value)
