"""The directory of NRM partners: the ids a client needs to refer a case, name a consent's
recipient or a service's provider (gate: access/agencies.py)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opennrm.access import agencies as gate
from opennrm.api.agencies.serializers import AgencyOutSerializer
from opennrm.api.context import request_actor
from opennrm.api.errors import ERROR
from opennrm.api.pagination import CasePagination


class AgencyListView(APIView):
    @extend_schema(
        summary="The active agencies of the NRM (id, name, kind, oblast, country)",
        parameters=[
            OpenApiParameter("kind", str, description="only agencies of this kind"),
            OpenApiParameter("oblast", str, description="only agencies in this oblast"),
        ],
        responses={200: AgencyOutSerializer(many=True), 401: ERROR, 404: ERROR},
    )
    def get(self, request: Request) -> Response:
        agencies = gate.directory(request_actor(request))
        if kind := request.query_params.get("kind", "").strip():
            agencies = agencies.filter(kind=kind)
        if oblast := request.query_params.get("oblast", "").strip():
            agencies = agencies.filter(oblast=oblast)
        paginator = CasePagination()
        page = paginator.paginate_queryset(agencies, request, self)
        rows = AgencyOutSerializer(page or [], many=True)  # type: ignore[arg-type]
        return paginator.get_paginated_response(rows.data)
