"""Officials' login: lockout per account and address, second factor, sessions, admin path."""

import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories.disclosure import UserFactory
from workspace.login import login_client_address

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-enough-password-2026"  # noqa: S105 - test credential
LOGIN = "admin:login"


@pytest.fixture
def official(db):
    user = UserFactory(username="wang.li")
    user.set_password(PASSWORD)
    user.save()
    return user


def attempt(client, username, password, *, address="10.0.0.1", token=""):
    return client.post(
        reverse(LOGIN),
        {"username": username, "password": password, "otp_token": token, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@override_settings(AXES_FAILURE_LIMIT=3)
def test_after_repeated_failures_the_account_is_locked_even_with_the_right_password(
    client, official
):
    for _ in range(2):
        response = attempt(client, "wang.li", "wrong password")
        assert response.status_code == 200  # the form again, with an error
        assert not logged_in(client)

    response = attempt(client, "wang.li", "wrong password")
    assert response.status_code == 429

    # from another address, with the right password: the account itself is locked
    response = attempt(client, "wang.li", PASSWORD, address="10.0.0.2")
    assert response.status_code == 429
    assert not logged_in(client)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_an_address_that_guesses_many_accounts_is_locked_for_all_of_them(client, official):
    for name in ("zhang", "li", "zhao"):
        attempt(client, name, "guess", address="203.0.113.9")

    response = attempt(client, "wang.li", PASSWORD, address="203.0.113.9")

    assert response.status_code == 429
    assert not logged_in(client)
    # the official, from their own desk, is not affected by someone else's address
    response = attempt(client, "wang.li", PASSWORD, address="10.0.0.7")
    assert response.status_code == 302
    assert logged_in(client)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_an_administrator_lifts_the_lock_in_the_admin(client, official):
    for _ in range(3):
        attempt(client, "wang.li", "wrong password")
    assert attempt(client, "wang.li", PASSWORD).status_code == 429

    # the district administrator deletes the access attempts (admin → Axes → access attempts)
    boss = UserFactory(username="boss", is_superuser=True)
    boss_client = type(client)()
    boss_client.force_login(boss)
    attempt_ids = list(
        AccessAttempt.objects.filter(username="wang.li").values_list("pk", flat=True)
    )
    assert attempt_ids
    response = boss_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": attempt_ids, "post": "yes"},
    )
    assert response.status_code == 302

    response = attempt(client, "wang.li", PASSWORD, address="10.0.0.3")
    assert response.status_code == 302
    assert logged_in(client)


@override_settings(AXES_FAILURE_LIMIT=2)
def test_the_lock_lifts_by_itself_after_the_cool_off(client, official):
    from datetime import timedelta

    from django.utils import timezone

    for _ in range(2):
        attempt(client, "wang.li", "wrong password")
    assert attempt(client, "wang.li", PASSWORD).status_code == 429

    # the failures were more than the cool-off ago
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))

    response = attempt(client, "wang.li", PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_a_successful_login_clears_earlier_failures(client, official):
    for _ in range(2):
        attempt(client, "wang.li", "wrong password")

    assert attempt(client, "wang.li", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="wang.li", failures_since_start__gt=0).exists()


def test_the_lockout_page_is_translated_and_says_what_to_do(client, official, settings):
    settings.AXES_FAILURE_LIMIT = 1
    response = attempt(client, "wang.li", "wrong password")

    assert response.status_code == 429
    assert "30" in response.text  # minutes until it lifts
    assert "<style" not in response.text


@override_settings(GONGKAI_TRUSTED_PROXIES=1)
def test_behind_one_proxy_the_address_is_the_one_the_proxy_saw(rf):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7", REMOTE_ADDR="10.0.0.1")

    # the left entry was written by the client and may be forged; the proxy appended the right one
    assert login_client_address(request) == "198.51.100.7"


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(rf):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="10.0.0.1")

    assert login_client_address(request) == "10.0.0.1"


# --- second factor ------------------------------------------------------------------------------


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_an_official_with_an_authenticator_must_give_its_code(client, official):
    device = TOTPDevice.objects.create(user=official, name="手机", confirmed=True)

    response = attempt(client, "wang.li", PASSWORD)
    assert response.status_code == 200
    assert not logged_in(client)

    wrong = "000000" if current_code(device) != "000000" else "111111"
    response = attempt(client, "wang.li", PASSWORD, token=wrong)
    assert response.status_code == 200
    assert not logged_in(client)

    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the device wait a moment before the next one
    response = attempt(client, "wang.li", PASSWORD, token=current_code(device))
    assert response.status_code == 302
    assert logged_in(client)
    assert client.get(reverse("admin:index")).status_code == 200


def test_an_official_without_an_authenticator_logs_in_with_the_password_when_not_required(
    client, official
):
    response = attempt(client, "wang.li", PASSWORD)

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


@override_settings(GONGKAI_ADMIN_OTP_REQUIRED=True)
def test_when_required_an_official_without_an_authenticator_cannot_log_in(client, official):
    response = attempt(client, "wang.li", PASSWORD)

    assert response.status_code == 200
    assert not logged_in(client)
    assert "authenticator" in response.text or "验证" in response.text


@override_settings(GONGKAI_ADMIN_OTP_REQUIRED=True)
def test_when_required_a_session_without_the_second_factor_does_not_open_the_admin(
    client, official
):
    client.force_login(official)  # a password-only session

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert reverse(LOGIN) in response["Location"]


@override_settings(GONGKAI_ADMIN_OTP_REQUIRED=True)
def test_when_required_the_code_opens_the_admin(client, official):
    device = TOTPDevice.objects.create(user=official, name="手机", confirmed=True)

    response = attempt(client, "wang.li", PASSWORD, token=current_code(device))

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_authenticator_devices_are_managed_in_the_admin(client, official):
    boss = UserFactory(username="boss", is_superuser=True)
    client.force_login(boss)

    response = client.get(reverse("admin:otp_totp_totpdevice_add"))

    assert response.status_code == 200
    assert TOTPDevice in admin.site._registry


# --- sessions and the admin path ------------------------------------------------------------------


def test_sessions_end_after_a_working_day_and_when_the_browser_closes(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_passwords_must_be_long_and_not_common(settings):
    names = [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS]

    assert "MinimumLengthValidator" in names
    assert "CommonPasswordValidator" in names
    assert "UserAttributeSimilarityValidator" in names


def run_shell(code: str, **env: str) -> subprocess.CompletedProcess:
    import os

    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GONGKAI_"))}
    environment.pop("DATABASE_URL", None)
    environment.update(env)
    return subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_admin_path_comes_from_the_environment():
    code = "from django.urls import reverse; print(reverse('admin:index'), reverse('admin:login'))"

    moved = run_shell(code, GONGKAI_ADMIN_PATH="/back-office-7/")
    default = run_shell(code)

    assert moved.returncode == 0, moved.stderr
    assert moved.stdout.split() == ["/back-office-7/", "/back-office-7/login/"]
    assert default.stdout.split() == ["/admin/", "/admin/login/"]


def test_a_bad_admin_path_stops_start_up_naming_the_variable():
    result = run_shell("print(1)", GONGKAI_ADMIN_PATH="../etc")

    assert result.returncode == 2
    assert "GONGKAI_ADMIN_PATH" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_login_without_any_address_is_stored_without_one(rf):
    request = rf.get("/")
    del request.META["REMOTE_ADDR"]

    # axes stores the address in an IP-address column: no made-up placeholder (PostgreSQL refuses)
    assert login_client_address(request) is None


def test_the_login_page_asks_for_the_authentication_code_as_an_optional_field(client):
    page = client.get(reverse(LOGIN)).text

    assert 'name="username"' in page
    assert 'name="password"' in page
    assert 'name="otp_token"' in page
    assert 'autocomplete="one-time-code"' in page
    assert "<script>" not in page
