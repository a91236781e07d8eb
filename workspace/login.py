"""Officials' login: lockout per account and address, the client address, the second factor.

django-axes counts failed logins (settings AXES_*); django-otp checks a TOTP code for officials who
have an authenticator device, or for everyone when GONGKAI_ADMIN_OTP_REQUIRED is on.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, match_token

from disclosure.tracking import client_address


class LockoutBackend(AxesStandaloneBackend):
    """Refuse a login from a locked-out account or address before the password is checked.

    A login over HTTP always has a request. Code that authenticates without one (Django's test
    client `login()`, a shell) is not a guess from the network, so it is not counted or refused.
    """

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def login_client_address(request: HttpRequest) -> str | None:
    """The address a login came from, as submissions count it (disclosure.tracking).

    None when there is no address at all (a login made in code); axes stores it as empty.
    """
    address = client_address(request)
    return None if address == "unknown" else address


class OfficialLoginForm(AdminAuthenticationForm):
    """The admin login: user name, password and, for officials with an authenticator, its code."""

    otp_token = forms.CharField(
        label=_("Authentication code"),
        required=False,
        max_length=16,
        help_text=_("The 6-digit code from your authenticator app, if you have set one up."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": "16"}
        ),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "otp_required": _("Enter the code from your authenticator app."),
        "otp_invalid": _("The authentication code is wrong or has expired. Try the next one."),
        "otp_no_device": _(
            "A second factor is required and you have no authenticator device yet. "
            "Ask a district administrator to set one up for you."
        ),
    }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        if user is None:
            return cleaned
        has_device = any(True for _device in devices_for_user(user, confirmed=True))
        if not has_device:
            if settings.GONGKAI_ADMIN_OTP_REQUIRED:
                raise forms.ValidationError(
                    self.error_messages["otp_no_device"], code="otp_no_device"
                )
            return cleaned
        token = (cleaned.get("otp_token") or "").strip()
        if not token:
            raise forms.ValidationError(self.error_messages["otp_required"], code="otp_required")
        device = match_token(user, token)
        if device is None:
            raise forms.ValidationError(self.error_messages["otp_invalid"], code="otp_invalid")
        # django-otp stores the device in the session when the login completes (user_logged_in).
        user.otp_device = device
        return cleaned


def login_locked_response(
    request: HttpRequest, original_response: Any = None, credentials: dict | None = None
) -> HttpResponse:
    """The page shown instead of the login while a lock holds (HTTP 429), in the portal's style."""
    cool_off = settings.AXES_COOLOFF_TIME
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "workspace/login_locked.html", context, status=429)
