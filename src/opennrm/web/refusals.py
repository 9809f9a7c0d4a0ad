"""Refused access from a web view (404 on an existing object, 403) becomes an audit event."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from opennrm.access.refusals import record_refusal
from opennrm.accounts.models import User
from opennrm.web.context import request_actor


class RecordRefusedAccess:
    """Records, then lets Django answer as usual (the 404 and 403 pages are unchanged)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if not isinstance(exception, Http404 | PermissionDenied):
            return None
        user = getattr(request, "user", None)
        match = request.resolver_match
        if not isinstance(user, User) or not user.is_authenticated or match is None:
            return None
        record_refusal(
            request_actor(request),
            answer=404 if isinstance(exception, Http404) else 403,
            kwargs=match.kwargs,
            permission=str(exception.args[0]) if exception.args else "",
        )
        return None
