"""Request hardening: unencodable input, absolute session lifetime, no caching of private pages."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _

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
