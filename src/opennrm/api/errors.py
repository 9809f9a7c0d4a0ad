"""One error envelope with stable codes: {"error": {"code", "message", "fields"?, "records"?}}."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from opennrm.access.refusals import record_refusal
from opennrm.accounts.models import User
from opennrm.api.context import request_actor
from opennrm.core.workflow import IllegalTransition

INVALID = "The request has invalid fields."
# The schema of every error answer, for `extend_schema(responses=...)`.
ERROR = OpenApiResponse(description='Error envelope {"error": {"code", "message", "fields"?}}')


def _record_refusal(exc: Exception, context: dict[str, Any]) -> None:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not isinstance(user, User) or not user.is_authenticated:
        return
    if isinstance(exc, Http404 | exceptions.NotFound):
        answer = 404
    elif isinstance(exc, PermissionDenied | exceptions.PermissionDenied):
        answer = 403
    else:
        return
    permission = str(exc.args[0]) if isinstance(exc, PermissionDenied) and exc.args else ""
    record_refusal(
        request_actor(request),
        answer=answer,
        kwargs=context.get("kwargs") or {},
        permission=permission,
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    _record_refusal(exc, context)
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
        return INVALID
    if isinstance(exc, exceptions.APIException):
        detail = exc.detail
        return str(detail) if not isinstance(detail, dict | list) else "Invalid request."
    return str(exc)


def error_response(
    code: str, message: str, http_status: int = status.HTTP_400_BAD_REQUEST, **extra: Any
) -> Response:
    return Response({"error": {"code": code, "message": message, **extra}}, status=http_status)


def invalid_fields(fields: Mapping[str, list[str]]) -> Response:
    """400 `invalid` naming the refused fields."""
    return error_response("invalid", INVALID, fields=dict(fields))


def invalid(exc: ValidationError, rename: Mapping[str, str] | None = None) -> Response:
    """400 for a service's ValidationError: its fields (after ``rename``, service name -> API
    name), or `non_field` when it names none."""
    if not hasattr(exc, "error_dict"):
        return invalid_fields({"non_field": exc.messages})
    names = rename or {}
    return invalid_fields({names.get(k, k): v for k, v in exc.message_dict.items()})


def illegal_transition(exc: IllegalTransition) -> Response:
    """409 `illegal_transition`: the action is not possible in the object's current state."""
    return error_response(
        "illegal_transition",
        str(exc),
        status.HTTP_409_CONFLICT,
        state=exc.state,
        action=exc.action,
    )


def service_error(
    exc: IllegalTransition | ValidationError, rename: Mapping[str, str] | None = None
) -> Response:
    """The answer to a service's refusal: 409 for an illegal transition, else 400 by field."""
    if isinstance(exc, IllegalTransition):
        return illegal_transition(exc)
    return invalid(exc, rename)
