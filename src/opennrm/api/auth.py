"""Bearer-token authentication against hashed API tokens, through the token gate."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from opennrm.access import rls as rls_gate
from opennrm.access import tokens as token_gate
from opennrm.accounts.models import User
from opennrm.accounts.services import (
    find_api_token,
    mark_api_token_used,
    record_api_token_refused,
)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, None] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid Authorization header."))
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        api_token = find_api_token(token)
        if api_token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        reason = token_gate.refusal(api_token, request._request)
        if reason is not None:
            # One answer for every refusal: the caller learns nothing about the account.
            record_api_token_refused(api_token, reason=reason)
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        mark_api_token_used(api_token)
        rls_gate.set_for_user(api_token.user)  # the middleware clears it when the request ends
        return api_token.user, None

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "opennrm.api.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}
