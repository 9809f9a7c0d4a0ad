"""The steps after the password (access.second_factor): verify, change the initial password,
enrol TOTP with backup codes; and one's own security page. No JavaScript needed (passkeys
need it: web/accounts/passkeys.py)."""

from __future__ import annotations

import base64
from typing import Any

import segno
from axes.utils import reset as reset_lockout
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.middleware import csrf
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.models import Device

from opennrm.access import second_factor as gate
from opennrm.accounts.models import User
from opennrm.accounts.services import (
    backup_device,
    change_password,
    confirm_totp,
    passkeys,
    pending_totp_device,
    record_second_factor,
    record_second_factor_failed,
    renew_backup_codes,
    totp_device,
)
from opennrm.web.accounts.forms import CodeForm, EnrolForm, NewPasswordForm
from opennrm.web.middleware import login_step


def next_url(request: HttpRequest) -> str:
    """The page asked for before the login steps (same host only), else the start page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url("web:home")


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def complete_factor(request: HttpRequest, user: User, device: Device) -> None:
    """The second factor was proven: mark the session, audit, forget earlier failures."""
    otp_login(request, device)
    record_second_factor(user=user, device=gate.device_kind(device))
    reset_lockout(username=user.get_username())


def _match_code(user: User, code: str) -> Device | None:
    """The TOTP device or the backup codes that accept the code (each tried once, throttled
    by django-otp; a backup code is used up)."""
    for device in (totp_device(user), backup_device(user)):
        if device is not None and verify_token(user, device.persistent_id, code):
            return device
    return None


def passkey_config(request: HttpRequest) -> dict[str, Any]:
    """What the package's script reads (the `otp_webauthn_config` JSON element)."""
    return {
        "autocompleteLoginFieldSelector": None,
        "nextFieldSelector": "input[name='next']",
        "csrfToken": csrf.get_token(request),
        "beginAuthenticationUrl": reverse("web:passkey_auth_begin"),
        "completeAuthenticationUrl": reverse("web:passkey_auth_complete"),
        "beginRegistrationUrl": reverse("web:passkey_register_begin"),
        "completeRegistrationUrl": reverse("web:passkey_register_complete"),
    }


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    step = login_step(request)
    if step not in (gate.VERIFY, gate.VERIFY_PASSKEY):
        return redirect(next_url(request))
    user_passkeys = passkeys(user)
    # A role that needs a passkey proves it with the passkey (codes are not enough).
    passkey_only = gate.needs_passkey(gate.user_roles(user)) and bool(user_passkeys)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and not passkey_only:
        if form.is_valid():
            device = _match_code(user, form.cleaned_data["code"])
            if device is not None:
                complete_factor(request, user, device)
                if gate.device_kind(device) == "backup":
                    left = device.token_set.count()
                    messages.warning(
                        request,
                        _(
                            "You used a backup code; %(count)d left. Make new ones on the page "
                            "Security when they run low."
                        )
                        % {"count": left},
                    )
                return redirect(next_url(request))
            record_second_factor_failed(user=user)
            # Counted like a wrong password: five failures lock the account (django-axes).
            user_login_failed.send(
                sender=__name__, credentials={"username": user.get_username()}, request=request
            )
            if getattr(request, "axes_locked_out", False):
                logout(request)
                return render(request, "web/locked_out.html", status=429)
            form.add_error(
                "code",
                _("This code is not right, or it came too soon after a wrong one. Try again."),
            )
        status = 422
    return render(
        request,
        "web/second_factor_verify.html",
        {
            "form": form,
            "passkey_only": passkey_only,
            "has_passkey": bool(user_passkeys),
            "passkey_config": passkey_config(request),
            "next": next_url(request),
        },
        status=status,
    )


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def totp_setup(request: HttpRequest) -> HttpResponse:
    """First login: the secret as text and as a QR code (SVG made here, no CDN, no script)."""
    user = _user(request)
    if login_step(request) != gate.ENROL_TOTP:
        return redirect(next_url(request))
    device = pending_totp_device(user)
    form = EnrolForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and device.verify_token(form.cleaned_data["code"]):
            codes = confirm_totp(user=user, device=device)
            complete_factor(request, user, device)
            return render(
                request,
                "web/backup_codes.html",
                {"codes": codes, "next": next_url(request), "enrolled": True},
            )
        if form.is_valid():
            form.add_error("code", _("This code is not right. Type the code the app shows now."))
        status = 422
    secret = base64.b32encode(device.bin_key).decode("ascii")
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=2, title=_("QR code of the secret")
    )
    return render(
        request,
        "web/totp_setup.html",
        {
            "form": form,
            "secret": _grouped(secret),
            # segno's own SVG markup of the otpauth:// address (no user input in it but the
            # username, which segno encodes into the modules, never into markup).
            "qr_svg": mark_safe(qr),  # noqa: S308  # nosec B308 B703
            "issuer": settings.OTP_TOTP_ISSUER,
            "next": next_url(request),
        },
        status=status,
    )


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's password; forced at the first login after an initial password."""
    user = _user(request)
    step = login_step(request)
    if step not in (None, gate.CHANGE_PASSWORD):
        return redirect(next_url(request))
    form = NewPasswordForm(user, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            change_password(user=user, password=form.cleaned_data["new_password1"])
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password was changed."))
            return redirect(next_url(request))
        status = 422
    return render(
        request,
        "web/password_change.html",
        {"form": form, "forced": step == gate.CHANGE_PASSWORD, "next": next_url(request)},
        status=status,
    )


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """One's own second factor: TOTP, backup codes left, passkeys; the password."""
    user = _user(request)
    backup = backup_device(user)
    return render(
        request,
        "web/security.html",
        {
            "totp": totp_device(user),
            "backup_left": backup.token_set.count() if backup else 0,
            "passkeys": passkeys(user),
            "passkey_required": gate.needs_passkey(gate.user_roles(user)),
            "demo_skip": gate.demo_skip(),
        },
    )


@login_required
@require_POST
def backup_codes_renew(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if totp_device(user) is None:
        return redirect("web:security")
    codes = renew_backup_codes(user=user)
    return render(
        request,
        "web/backup_codes.html",
        {"codes": codes, "next": resolve_url("web:security"), "enrolled": False},
    )
