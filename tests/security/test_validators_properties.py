"""Property tests (hypothesis) of the validators behind the public forms.

For any input, a validator either accepts or raises Django's ValidationError with a message,
never another exception (which would be a 500); what it accepts has the exact form the rule
describes (ASCII digits, the right length, a real date); every well-formed identifier is
accepted, and a single mistyped character is refused by the check character.
"""

import datetime
import string

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from complaints.forms import ComplaintForm, normalise_mobile, validate_mobile
from disclosure.validators import (
    CREDIT_CODE_ALPHABET,
    RESIDENT_ID_CHECK,
    credit_code_check_character,
    resident_id_check_character,
    validate_credit_code,
    validate_resident_id,
)

# Text a citizen (or a bot) might send: any Unicode, with the look-alikes that matter here.
LOOKALIKES = "０１２３４５６７８９٠١٢٣٤٥٦٧٨٩²³¹ｘＸ\n\t -－+"
# A resident ID typed with full-width digits, its check character right for the same digits.
_FIRST17 = "21020319800101123"
FULL_WIDTH_ID = _FIRST17.translate(
    str.maketrans(string.digits, "０１２３４５６７８９")
) + resident_id_check_character(_FIRST17)
hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=string.digits + "X" + LOOKALIKES, max_size=24),
)


def _rejects_cleanly(validator, value: str) -> bool:
    """True when rejected with a ValidationError carrying a message; False when accepted."""
    try:
        validator(value)
    except ValidationError as error:
        assert error.messages and all(str(message) for message in error.messages)
        return True
    return False


# --- Resident identity numbers (GB 11643) -----------------------------------------------------

birth_dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2025, 12, 31))


@st.composite
def resident_ids(draw) -> str:
    area = draw(st.text(alphabet=string.digits, min_size=6, max_size=6))
    serial = draw(st.text(alphabet=string.digits, min_size=3, max_size=3))
    first17 = f"{area}{draw(birth_dates):%Y%m%d}{serial}"
    return first17 + resident_id_check_character(first17)


@given(resident_ids())
def test_every_well_formed_resident_id_is_accepted(number):
    validate_resident_id(number)
    validate_resident_id(number.lower())  # a lower-case x is the same number


@given(resident_ids(), st.integers(min_value=0, max_value=17), st.sampled_from(RESIDENT_ID_CHECK))
def test_one_mistyped_character_in_a_resident_id_is_refused(number, position, replacement):
    assume(number[position] != replacement)
    assume(position == 17 or replacement != "X")
    mistyped = number[:position] + replacement + number[position + 1 :]

    assert _rejects_cleanly(validate_resident_id, mistyped)


@given(hostile_text)
@example("²" * 17 + "1")  # isdigit() is true, int() refuses it
@example("²²²²²²19800101123X")  # the same in the area code: reached the check and raised
@example(FULL_WIDTH_ID)  # full-width digits with a correct check character: was accepted
def test_a_resident_id_validator_never_crashes_and_accepts_only_ascii(value):
    if not _rejects_cleanly(validate_resident_id, value):
        number = value.strip().upper()
        assert len(number) == 18 and number.isascii()
        assert number[:17].isdigit() and number[17] in "0123456789X"
        datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


# --- Unified social credit codes (GB 32100) ---------------------------------------------------


@st.composite
def credit_codes(draw) -> str:
    first17 = draw(st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=17, max_size=17))
    return first17 + credit_code_check_character(first17)


@given(credit_codes())
def test_every_well_formed_credit_code_is_accepted(code):
    validate_credit_code(code)


@given(
    credit_codes(),
    st.integers(min_value=0, max_value=17),
    st.sampled_from(CREDIT_CODE_ALPHABET),
)
def test_one_mistyped_character_in_a_credit_code_is_refused(code, position, replacement):
    assume(code[position] != replacement)
    mistyped = code[:position] + replacement + code[position + 1 :]

    assert _rejects_cleanly(validate_credit_code, mistyped)


@given(
    st.one_of(st.text(max_size=24), st.text(alphabet=CREDIT_CODE_ALPHABET + "IOZSV", max_size=20))
)
def test_a_credit_code_validator_never_crashes_and_accepts_only_its_alphabet(value):
    if not _rejects_cleanly(validate_credit_code, value):
        code = value.strip().upper()
        assert len(code) == 18 and all(char in CREDIT_CODE_ALPHABET for char in code)


# --- Mobile numbers ------------------------------------------------------------------------------

mobiles = st.builds(
    lambda second, rest: f"1{second}{rest}",
    st.sampled_from("3456789"),
    st.text(alphabet=string.digits, min_size=9, max_size=9),
)


@given(mobiles, st.sampled_from(["", "+86", "+86 "]), st.sampled_from(["", " ", "-", "－"]))
def test_every_mainland_mobile_number_is_accepted_as_people_write_it(mobile, prefix, separator):
    written = prefix + mobile[:3] + separator + mobile[3:7] + separator + mobile[7:]

    assert normalise_mobile(written) == mobile
    validate_mobile(normalise_mobile(written))


@given(hostile_text)
@example("13٨١٢٣٤٥٦٧٨")  # Arabic-Indic digits: \d matched them
@example("13812345678\n")  # $ matched before a final newline
def test_a_mobile_number_accepted_is_eleven_ascii_digits(value):
    if not _rejects_cleanly(validate_mobile, value):
        assert len(value) == 11 and value.isascii() and value.isdigit()
        assert value[0] == "1" and value[1] in "3456789"


# --- The complaint form's date ---------------------------------------------------------------


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(hostile_text, st.dates().map(str)))
def test_the_complaint_date_is_a_real_past_date_or_a_field_error(value):
    form = ComplaintForm(
        data={"category": "delay", "description": "窗口拖延。", "occurred_on": value}
    )

    form.is_valid()

    if "occurred_on" in form.errors:
        assert all(str(message) for message in form.errors["occurred_on"])
    else:
        occurred = form.cleaned_data.get("occurred_on")
        assert occurred is None or occurred <= timezone.localdate()
