"""API tokens: list (one's own; an agency admin their agency's) and revoke."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opennrm.access import tokens as token_gate
from opennrm.accounts.services import revoke_api_token
from opennrm.api.context import request_actor
from opennrm.api.errors import ERROR
from opennrm.api.pagination import CasePagination
from opennrm.api.tokens.serializers import TokenOutSerializer


class TokenListView(APIView):
    @extend_schema(
        summary="API tokens one may revoke",
        description="One's own tokens; an agency admin also sees the tokens of their "
        "agency's users. The token secret is never shown after it is issued.",
        responses={200: TokenOutSerializer(many=True), 401: ERROR},
    )
    def get(self, request: Request) -> Response:
        tokens = token_gate.visible_tokens(request_actor(request)).order_by("-created_at", "id")
        paginator = CasePagination()
        page = paginator.paginate_queryset(tokens, request, self)
        rows = TokenOutSerializer(page or [], many=True)  # type: ignore[arg-type]
        return paginator.get_paginated_response(rows.data)


class TokenDetailView(APIView):
    @extend_schema(
        summary="An API token one may revoke",
        responses={200: TokenOutSerializer, 401: ERROR, 404: ERROR},
    )
    def get(self, request: Request, token_id: str) -> Response:
        api_token = token_gate.get_token_for(request_actor(request), token_id)
        return Response(TokenOutSerializer(api_token).data)

    @extend_schema(
        summary="Revoke an API token",
        description="Revoking is for good and recorded (`token.revoked`); revoking a revoked "
        "token changes nothing. A token one may not manage is 404.",
        responses={204: OpenApiResponse(description="Revoked."), 401: ERROR, 404: ERROR},
    )
    def delete(self, request: Request, token_id: str) -> Response:
        actor = request_actor(request)
        api_token = token_gate.get_token_for(actor, token_id)
        revoke_api_token(api_token=api_token, actor=actor.user, agency_id=actor.agency_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
