"""One error envelope with stable codes: {"error": {"code", "message", "fields"?, "records"?}}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = "error"
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "invalid"
    body: dict[str, Any] = {"code": code, "message": _message(exc)}
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        body["fields"] = exc.detail
    response.data = {"error": body}
    return response


def _message(exc: Exception) -> str:
    if isinstance(exc, exceptions.ValidationError):
        return "The request has invalid fields."
    if isinstance(exc, exceptions.APIException):
        detail = exc.detail
        return str(detail) if not isinstance(detail, dict | list) else "Invalid request."
    return str(exc)


def error_response(
    code: str, message: str, http_status: int = status.HTTP_400_BAD_REQUEST, **extra: Any
) -> Response:
    return Response({"error": {"code": code, "message": message, **extra}}, status=http_status)
