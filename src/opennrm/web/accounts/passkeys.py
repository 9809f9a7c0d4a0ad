"""Passkeys (WebAuthn, django-otp-webauthn) as a second factor, never instead of the password.

The relying party is the host the request came to (it passed ALLOWED_HOSTS) and the origin
checked is the request's own, over HTTPS (or http://localhost for the demo and the tests): a
passkey made for this site cannot be used through another. Passkeys need JavaScript (the
browser's WebAuthn API, the package's own script served from here, no CDN); TOTP does not.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog
from django_otp import login as otp_login
from django_otp_webauthn import exceptions
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from opennrm.access import second_factor as gate
from opennrm.accounts.models import User
from opennrm.accounts.services import passkeys, record_passkey_registered
from opennrm.web.accounts.second_factor import complete_factor, next_url, passkey_config
from opennrm.web.middleware import LOGIN_COMPLETE, login_step


def relying_party_id(request: HttpRequest) -> str:
    """The host name of this request (without the port)."""
    host = request.get_host()
    return host.rsplit(":", 1)[0] if not host.endswith("]") else host


def request_origin(request: HttpRequest) -> str | None:
    origin = f"{request.scheme}://{request.get_host()}"
    host = relying_party_id(request)
    if request.is_secure() or host == "localhost":
        return origin
    return None


class Helper(WebAuthnHelper):
    def get_allowed_origins(self) -> list[str]:
        origin = request_origin(self.request)
        return [origin] if origin else []


class NotAllowedNow(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "not_allowed_now"
    default_detail = _("Finish the current login step first.")


# The steps in which registering a passkey is allowed: a finished login, or the passkey step
# (the session is verified by TOTP then).
_REGISTER_STEPS = (None, gate.ENROL_PASSKEY, gate.VERIFY_PASSKEY)


class BeginRegistration(BeginCredentialRegistrationView):
    def check_can_register(self) -> None:
        if login_step(self.request) not in _REGISTER_STEPS:
            raise NotAllowedNow()


class CompleteRegistration(CompleteCredentialRegistrationView):
    def check_can_register(self) -> None:
        if login_step(self.request) not in _REGISTER_STEPS:
            raise NotAllowedNow()

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().post(*args, **kwargs)
        user = self.request.user
        assert isinstance(user, User)
        credential = WebAuthnCredential.objects.get(
            user=user, pk=json.loads(response.content)["id"]
        )
        # The registration proved the new authenticator with a fresh challenge: the session
        # counts as verified by it (a passkey role needs exactly that).
        otp_login(self.request, credential)
        self.request.session.pop(LOGIN_COMPLETE, None)
        record_passkey_registered(user=user, credential=credential)
        return response


class BeginAuthentication(BeginCredentialAuthenticationView):
    def check_can_authenticate(self) -> None:
        # Second factor only: the password came first.
        if not self.request.user.is_authenticated:
            raise exceptions.PasswordlessLoginDisabled()


class CompleteAuthentication(CompleteCredentialAuthenticationView):
    def check_can_authenticate(self) -> None:
        if not self.request.user.is_authenticated:
            raise exceptions.PasswordlessLoginDisabled()

    def complete_auth(self, device: Any) -> Any:
        user = self.request.user
        if not isinstance(user, User) or device.user_id != user.pk:
            raise exceptions.CredentialUserMismatch()
        complete_factor(self.request, user, device)
        return user


# Second factor only: after the password (anonymous requests are sent to the login page).
urlpatterns = [
    path(
        "registration/begin/",
        login_required(BeginRegistration.as_view()),
        name="passkey_register_begin",
    ),
    path(
        "registration/complete/",
        login_required(CompleteRegistration.as_view()),
        name="passkey_register_complete",
    ),
    path(
        "authentication/begin/",
        login_required(BeginAuthentication.as_view()),
        name="passkey_auth_begin",
    ),
    path(
        "authentication/complete/",
        login_required(CompleteAuthentication.as_view()),
        name="passkey_auth_complete",
    ),
    path(
        "jsi18n/",
        login_required(JavaScriptCatalog.as_view(packages=["django_otp_webauthn"])),
        name="passkey_jsi18n",
    ),
]


@login_required
def passkey_setup(request: HttpRequest) -> HttpResponse:
    """Register a passkey: required for the roles of gate.PASSKEY_ROLES, offered to all."""
    user = request.user
    assert isinstance(user, User)
    step = login_step(request)
    if step not in (None, gate.ENROL_PASSKEY):
        return redirect(next_url(request))
    return render(
        request,
        "web/passkey_setup.html",
        {
            "required": step == gate.ENROL_PASSKEY,
            "passkeys": passkeys(user),
            "passkey_config": passkey_config(request),
            "next": next_url(request),
        },
    )
