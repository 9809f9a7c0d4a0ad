"""Request hardening: unencodable input, absolute session lifetime, the second factor before
anything opens, no caching of private pages, the Permissions-Policy header."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from opennrm.access import second_factor as gate
from opennrm.accounts.models import User

Handler = Callable[[HttpRequest], HttpResponse]
LOGIN_AT = "opennrm_login_at"


def _valid_utf8(raw: bytes) -> bool:
    try:
        unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def reject_unencodable_input(get_response: Handler) -> Handler:
    """Answer 400 to query strings or form bodies that are not valid UTF-8 (lone surrogates).

    Django would otherwise replace such bytes silently; JSON bodies are checked by the API parser.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "").encode("latin-1", errors="replace")
        form_body = request.method == "POST" and request.content_type == (
            "application/x-www-form-urlencoded"
        )
        if not _valid_utf8(query) or (form_body and not _valid_utf8(request.body)):
            return HttpResponseBadRequest(
                _("The request contains characters that are not valid."),
                content_type="text/plain; charset=utf-8",
            )
        return get_response(request)

    return middleware


def absolute_session_lifetime(get_response: Handler) -> Handler:
    """End a session a fixed time after login, however active it was."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            login_at = request.session.get(LOGIN_AT)
            now = time.time()
            if login_at is None:
                request.session[LOGIN_AT] = now
            elif now - float(login_at) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(settings.LOGIN_URL)
        return get_response(request)

    return middleware


def no_store_when_authenticated(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response

    return middleware


LOGIN_COMPLETE = "opennrm_login_complete"
# Where each step of the login is done (access.second_factor.next_step).
STEP_URLS = {
    gate.VERIFY: "web:second_factor_verify",
    gate.VERIFY_PASSKEY: "web:second_factor_verify",
    gate.CHANGE_PASSWORD: "web:password_change",
    gate.ENROL_TOTP: "web:totp_setup",
    gate.ENROL_PASSKEY: "web:passkey_setup",
}
# Reachable at every step: leaving, the language, the passkey ceremonies (their views check
# the step themselves).
_ALWAYS = ("web:logout", "web:set_language")
_ALWAYS_PREFIXES = ("/accounts/passkeys/", "/static/")


def login_step(request: HttpRequest) -> str | None:
    """The step this session's user still has to do (None: logged in completely)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    device = getattr(user, "otp_device", None)
    if request.session.get(LOGIN_COMPLETE) and (device is not None or gate.demo_skip()):
        return None
    step = gate.next_step(user, device)
    if step is None:
        request.session[LOGIN_COMPLETE] = True
    return step


def second_factor_required(get_response: Handler) -> Handler:
    """A signed-in user who has not finished logging in (second factor, initial password,
    enrolment) reaches only the page of their next step; the API answers 403 in JSON."""

    def middleware(request: HttpRequest) -> HttpResponse:
        step = login_step(request)
        if step is None:
            return get_response(request)
        path = request.path_info
        allowed = {reverse(name) for name in _ALWAYS} | {reverse(STEP_URLS[step])}
        if path in allowed or path.startswith(_ALWAYS_PREFIXES):
            return get_response(request)
        if path.startswith("/api/"):
            return JsonResponse(
                {
                    "error": {
                        "code": "second_factor_required",
                        "message": _("Finish logging in with your second factor first."),
                    }
                },
                status=403,
            )
        target = reverse(STEP_URLS[step])
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)

    return middleware


def permissions_policy(get_response: Handler) -> Handler:
    """Switch off browser features no page uses (settings.PERMISSIONS_POLICY)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware
