"""The current user: who the token acts for, in which agency, with which roles and permissions."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opennrm.access import policy
from opennrm.api.accounts.serializers import MeOutSerializer
from opennrm.api.context import request_actor
from opennrm.api.errors import ERROR


class MeView(APIView):
    @extend_schema(
        summary="The current user: agency, roles and the permissions they grant",
        description="On a case shared with the agency, the permissions are narrowed by the "
        "share (docs/permissions.md); a user with no single active agency has none.",
        responses={200: MeOutSerializer, 401: ERROR},
    )
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
        body = {
            "id": actor.user.id,
            "username": actor.user.username,
            "agency": actor.agency,
            "roles": sorted(actor.roles),
            "permissions": sorted(policy.permissions(actor)),
        }
        return Response(MeOutSerializer(body).data)
