"""Screening API: the same gate and services as the web UI, errors in the project envelope."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opennrm.access import policy, roles
from opennrm.access.screening import get_screening_for, subject_scope, visible_screenings
from opennrm.api.context import audit_api_list, request_actor
from opennrm.api.errors import ERROR, service_error
from opennrm.api.pagination import CasePagination
from opennrm.api.params import choice
from opennrm.api.screening.serializers import (
    ScreeningAnswersSerializer,
    ScreeningAttachSerializer,
    ScreeningCreateSerializer,
    ScreeningDetailSerializer,
    ScreeningListItemSerializer,
)
from opennrm.audit.services import record
from opennrm.cases.models import Case
from opennrm.nrm.screening import indicators, queries
from opennrm.nrm.screening.models import Screening
from opennrm.nrm.screening.services import attach_to_case, record_screening, update_answers
from opennrm.tenancy.actor import Actor

# Service field names the API spells otherwise.
RENAME = {"list_key": "list"}


def _case(actor: Actor, case_id: object) -> Case | None:
    """The case named in a request body, through the gate; hidden and missing answer alike."""
    if case_id is None:
        return None
    try:
        return policy.get_case_for(actor, case_id, roles.SCREENING_RECORD)
    except Http404:
        raise ValidationError({"case": _("No case with this id.")}) from None


def _context(actor: Actor) -> dict[str, Any]:
    return {"subject_scope": subject_scope(actor)}


def _detail(screening: Screening) -> Screening:
    return queries.with_detail_data(Screening.objects.filter(pk=screening.pk)).get()


class ScreeningListView(APIView):
    @extend_schema(
        summary="Screenings the caller may see (their agency's and those of visible cases)",
        parameters=[
            OpenApiParameter("list", str, enum=sorted(indicators.current_set().lists)),
            OpenApiParameter("outcome", str, enum=list(indicators.OUTCOMES)),
            OpenApiParameter("attached", str, enum=[queries.ATTACHED, queries.UNATTACHED]),
        ],
        responses={200: ScreeningListItemSerializer(many=True), 403: ERROR},
    )
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
        policy.require(actor, roles.SCREENING_VIEW)
        params = request.query_params
        filters = queries.ScreeningFilters(
            list_key=choice(params, "list", indicators.current_set().lists),
            outcome=choice(params, "outcome", indicators.OUTCOMES),
            attached=choice(params, "attached", (queries.ATTACHED, queries.UNATTACHED)),
        )
        found = queries.with_list_data(
            queries.filter_screenings(visible_screenings(actor), filters)
        )
        paginator = CasePagination()
        page = paginator.paginate_queryset(found, request, self)
        audit_api_list(actor, "screening", page or [])
        rows = ScreeningListItemSerializer(
            page or [],  # type: ignore[arg-type]
            many=True,
            context=_context(actor),
        )
        return paginator.get_paginated_response(rows.data)

    @extend_schema(
        summary="Record a screening with the ILO/EC indicators (optionally for a case)",
        request=ScreeningCreateSerializer,
        responses={201: ScreeningDetailSerializer, 400: ERROR, 403: ERROR},
    )
    def post(self, request: Request) -> Response:
        actor = request_actor(request)
        policy.require(actor, roles.SCREENING_RECORD)
        data = ScreeningCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d: dict[str, Any] = data.validated_data
        try:
            screening = record_screening(
                actor=actor,
                list_keys=d["list_keys"],
                answers=d.get("answers", {}),
                subject=d.get("subject", ""),
                gender=d.get("gender", "NonSpecifiedUnknown"),
                case=_case(actor, d.get("case")),
            )
        except ValidationError as exc:
            return service_error(exc, RENAME)
        body = ScreeningDetailSerializer(_detail(screening), context=_context(actor)).data
        return Response(body, status=status.HTTP_201_CREATED)


class ScreeningDetailView(APIView):
    @extend_schema(
        summary="One screening with its answers and result",
        responses={200: ScreeningDetailSerializer, 404: ERROR},
    )
    def get(self, request: Request, screening_id: str) -> Response:
        actor = request_actor(request)
        screening = get_screening_for(
            actor,
            screening_id,
            roles.SCREENING_VIEW,
            queryset=queries.with_detail_data(Screening.objects.all()),
        )
        record(
            action="screening.viewed",
            actor_id=actor.user.id,
            agency_id=actor.agency_id,
            object_type="screening",
            object_id=screening.id,
            detail={"via": "api"},
        )
        return Response(ScreeningDetailSerializer(screening, context=_context(actor)).data)

    @extend_schema(
        summary="Change answers (only those given, or all with replace) and re-assess",
        request=ScreeningAnswersSerializer,
        responses={200: ScreeningDetailSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    )
    def patch(self, request: Request, screening_id: str) -> Response:
        actor = request_actor(request)
        screening = get_screening_for(actor, screening_id, roles.SCREENING_RECORD)
        data = ScreeningAnswersSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d: dict[str, Any] = data.validated_data
        try:
            screening = update_answers(
                actor=actor,
                screening=screening,
                answers=d["answers"],
                replace=d["replace"],
                subject=d.get("subject"),
            )
        except ValidationError as exc:
            return service_error(exc, RENAME)
        return Response(ScreeningDetailSerializer(_detail(screening), context=_context(actor)).data)


class ScreeningAttachView(APIView):
    @extend_schema(
        summary="Attach a screening to a case the caller may see",
        request=ScreeningAttachSerializer,
        responses={200: ScreeningDetailSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    )
    def post(self, request: Request, screening_id: str) -> Response:
        actor = request_actor(request)
        screening = get_screening_for(actor, screening_id, roles.SCREENING_RECORD)
        data = ScreeningAttachSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            case = _case(actor, data.validated_data["case"])
            assert case is not None
            screening = attach_to_case(actor=actor, screening=screening, case=case)
        except ValidationError as exc:
            return service_error(exc, RENAME)
        return Response(ScreeningDetailSerializer(_detail(screening), context=_context(actor)).data)
