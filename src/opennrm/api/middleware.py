"""Under /api/ every error is JSON in the one envelope, whatever produced it.

URL resolution (a malformed UUID falls through to a 404), Django's error handlers (400, 403,
404, 500), the request-hardening middleware and body-size limits answer HTML or plain text
by themselves; this middleware turns those answers into `{"error": {"code", "message"}}`.
A body over `DATA_UPLOAD_MAX_MEMORY_SIZE` is refused with 413 before anything reads it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Handler = Callable[[HttpRequest], HttpResponse]
API_PREFIX = "/api/"

_ERRORS: dict[int, tuple[str, Promise]] = {
    400: ("bad_request", _("The request is not valid.")),
    401: ("not_authenticated", _("Authentication credentials were not provided.")),
    403: ("permission_denied", _("You do not have permission to perform this action.")),
    404: ("not_found", _("Not found.")),
    405: ("method_not_allowed", _("This method is not allowed here.")),
    413: ("request_too_large", _("The request body is too large.")),
    500: ("server_error", _("The server could not answer the request.")),
}


def envelope(status: int) -> JsonResponse:
    code, message = _ERRORS.get(status, ("error", _("The request failed.")))
    return JsonResponse({"error": {"code": code, "message": str(message)}}, status=status)


def _is_json(response: HttpResponse) -> bool:
    return str(response.get("Content-Type", "")).startswith("application/json")


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def json_errors_under_api(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return get_response(request)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and _declared_length(request) > limit:
            return envelope(413)
        response = get_response(request)
        if response.status_code >= 400 and not _is_json(response):
            replaced = envelope(response.status_code)
            for header in ("WWW-Authenticate", "Allow", "Retry-After"):
                if header in response:
                    replaced[header] = response[header]
            return replaced
        return response

    return middleware
