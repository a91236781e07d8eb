"""Tracking passwords: HMAC-SHA256 under a key from SECRET_KEY (a pepper), salted per record.

The tracking password is random (8 characters from 31), so it is hashed fast, not stretched;
a copy of the database alone does not allow guessing it offline. Hashes made before (Django's
PBKDF2) and hashes made under a key since moved to SECRET_KEY_FALLBACKS still verify, and are
rewritten with the current key at the first successful lookup. Complaints and information
requests share the mechanism (disclosure.tracking).
"""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse

from complaints.models import Complaint
from disclosure.actions.requests import request_submit
from disclosure.models import InformationRequest
from disclosure.tracking import (
    Trackable,
    tracking_lookup,
    tracking_password_hash,
    tracking_password_verify,
)
from tests.factories.complaints import submit_complaint
from tests.factories.disclosure import AdministrativeEntityFactory, make_request, request_data


def make_password(raw: str) -> str:
    """A PBKDF2 hash as the portal stored before (few iterations: the check reads them from it)."""
    return PBKDF2PasswordHasher().encode(raw, "oldsalt1234", iterations=1000)


OLD_KEY = "an-old-secret-key-that-was-rotated-out-" + "x" * 20
NEW_KEY = "the-new-secret-key-after-rotation-" + "y" * 20


def _lookup(model: type[Trackable], number: str, password: str) -> Trackable | None:
    return tracking_lookup(
        model.objects.all(), number=number, password=password, client="10.9.9.9", scope="test"
    )


def test_a_tracking_password_is_stored_as_a_salted_hmac():
    first, second = tracking_password_hash("7KQ3M9AB"), tracking_password_hash("7KQ3M9AB")

    assert first.startswith("hmac_sha256$") and "7KQ3M9AB" not in first
    assert first != second  # a salt per record: equal passwords do not show as equal hashes
    assert tracking_password_verify("7KQ3M9AB", first) == (True, False)
    assert tracking_password_verify("7KQ3M9AC", first) == (False, False)
    assert tracking_password_verify("7KQ3M9AB", "") == (False, False)


def test_the_hash_is_useless_without_the_server_key(settings):
    """A stolen database alone: with another SECRET_KEY no guess can be confirmed."""
    settings.SECRET_KEY = OLD_KEY
    stored = tracking_password_hash("7KQ3M9AB")

    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = []

    assert tracking_password_verify("7KQ3M9AB", stored) == (False, False)


def test_a_rotated_key_kept_in_the_fallbacks_still_verifies_and_asks_for_a_rewrite(settings):
    settings.SECRET_KEY = OLD_KEY
    stored = tracking_password_hash("7KQ3M9AB")

    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = [OLD_KEY]

    assert tracking_password_verify("7KQ3M9AB", stored) == (True, True)
    assert tracking_password_verify("WRONG123", stored) == (False, False)


def test_an_old_pbkdf2_hash_still_verifies():
    stored = make_password("7KQ3M9AB")  # what the portal stored before

    assert tracking_password_verify("7KQ3M9AB", stored) == (True, True)
    assert tracking_password_verify("WRONG123", stored) == (False, False)


@pytest.mark.django_db
def test_a_new_complaint_and_a_new_request_store_the_fast_hash():
    complaint, complaint_credentials = submit_complaint()
    request = make_request()

    complaint.refresh_from_db()
    request.refresh_from_db()
    assert complaint.tracking_password_hash.startswith("hmac_sha256$")
    assert request.tracking_password_hash.startswith("hmac_sha256$")
    found = _lookup(Complaint, complaint.tracking_no, complaint_credentials.password)
    assert found is not None and found.pk == complaint.pk


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Complaint, InformationRequest])
def test_an_old_hash_is_upgraded_at_the_first_successful_lookup(model):
    record = submit_complaint()[0] if model is Complaint else make_request()
    model.objects.filter(pk=record.pk).update(tracking_password_hash=make_password("OLDPW234"))

    # a wrong password leaves the old hash alone
    assert _lookup(model, record.tracking_no, "WRONG234") is None
    assert not model.objects.get(pk=record.pk).tracking_password_hash.startswith("hmac_sha256$")

    found = _lookup(model, record.tracking_no, "OLDPW234")

    assert found is not None and found.pk == record.pk
    upgraded = model.objects.get(pk=record.pk).tracking_password_hash
    assert upgraded.startswith("hmac_sha256$")
    assert _lookup(model, record.tracking_no, "OLDPW234").pk == record.pk  # still the password


@pytest.mark.django_db
def test_a_hash_under_a_fallback_key_is_rewritten_under_the_current_key(settings):
    settings.SECRET_KEY = OLD_KEY
    complaint, credentials = submit_complaint()
    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = [OLD_KEY]

    assert _lookup(Complaint, complaint.tracking_no, credentials.password) is not None

    settings.SECRET_KEY_FALLBACKS = []  # the old key can now be dropped
    assert _lookup(Complaint, complaint.tracking_no, credentials.password) is not None


@pytest.mark.django_db
def test_citizens_track_a_complaint_and_a_request_on_their_pages(client):
    complaint, complaint_credentials = submit_complaint()
    request, request_credentials = request_submit(
        entity=AdministrativeEntityFactory(), data=request_data()
    )

    complaint_page = client.post(
        reverse("complaints:complaint-track"),
        {"number": complaint.tracking_no, "password": complaint_credentials.password},
    )
    request_page = client.post(
        reverse("disclosure:request-track"),
        {"number": request.tracking_no, "password": request_credentials.password},
    )
    wrong = client.post(
        reverse("complaints:complaint-track"),
        {"number": complaint.tracking_no, "password": "WRONG234"},
    )

    assert complaint_page.status_code == 302
    assert complaint_page["Location"].endswith(f"/complaints/track/{complaint.tracking_no}/")
    assert request_page.status_code == 200
    assert request.tracking_no in request_page.content.decode()
    assert wrong.status_code == 404
