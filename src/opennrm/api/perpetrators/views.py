"""API of the perpetrators register, shared-identifier alerts and mutual legal assistance: the
same gate (`access.perpetrators`) and services as the pages.

`GET/POST /perpetrators/`, `GET /perpetrators/{id}/`, `POST /perpetrators/search/` (the
identifier in the body, never in the URL), `GET /alerts/`, `GET/POST /mla-requests/`,
`POST /mla-requests/{id}/answer/`. 400 names the bad fields (an identifier by its position and
kind, never its value), 403 without the permission, 404 when hidden.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from opennrm.access import justice as justice_gate
from opennrm.access import perpetrators as gate
from opennrm.api.context import audit_api, request_actor
from opennrm.api.errors import invalid, invalid_fields
from opennrm.api.pagination import CasePagination
from opennrm.api.perpetrators import serializers as ps
from opennrm.justice import identifiers as idf
from opennrm.justice import perpetrator_services as services
from opennrm.justice.perpetrator_vault import PerpetratorIdentity
from opennrm.justice.perpetrators import Identifier, MlaRequest, Perpetrator
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency

PURPOSE = "CriminalProceedings"
ERRORS = {
    400: OpenApiResponse(
        ps.PerpetratorErrorSerializer, description="Invalid input: `fields` names them."
    ),
    403: OpenApiResponse(ps.PerpetratorErrorSerializer, description="Permission missing."),
    404: OpenApiResponse(ps.PerpetratorErrorSerializer, description="Not visible to the caller."),
}


def with_detail(queryset: QuerySet[Perpetrator]) -> QuerySet[Perpetrator]:
    return queryset.select_related("agency").prefetch_related(
        Prefetch("identifiers", queryset=Identifier.objects.order_by("kind", "recorded_at")),
        "proceedings",
        "cases",
    )


def serializer_context(actor: Actor) -> dict[str, Any]:
    """The proceedings and cases the caller sees, so a perpetrator names no other."""
    return {
        "proceeding_ids": set(justice_gate.visible_proceedings(actor).values_list("id", flat=True)),
        "case_ids": set(gate.cases_with_identifiers(actor).values_list("id", flat=True)),
    }


def _present(actor: Actor, perpetrator: Perpetrator) -> Any:
    fresh = with_detail(Perpetrator.objects.filter(pk=perpetrator.pk)).get()
    return ps.PerpetratorSerializer(fresh, context=serializer_context(actor)).data


class PerpetratorListView(APIView):
    @extend_schema(
        summary="Perpetrators the caller's unit recorded or sees through its proceedings "
        "(investigators, prosecutors, judges)",
        responses={200: ps.PerpetratorSerializer(many=True), 403: ps.PerpetratorErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
        gate.require_view(actor)
        rows = with_detail(gate.visible_perpetrators(actor)).order_by("-recorded_at", "id")
        paginator = CasePagination()
        page = paginator.paginate_queryset(rows, request, self) or []
        audit_api(
            actor,
            "perpetrator.listed",
            "perpetrator",
            purpose=PURPOSE,
            perpetrator_ids=sorted(str(p.id) for p in page),
        )
        data = ps.PerpetratorSerializer(
            page,  # type: ignore[arg-type]
            many=True,
            context=serializer_context(actor),
        )
        return paginator.get_paginated_response(data.data)

    @extend_schema(
        summary="Record a perpetrator with identifiers, linked to proceedings and cases",
        request=ps.PerpetratorInputSerializer,
        responses={201: ps.PerpetratorSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        actor = request_actor(request)
        gate.require_record(actor)
        body = ps.PerpetratorInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        proceedings = []
        for proceeding_id in d["proceeding_ids"]:
            proceeding = justice_gate.get_proceeding_for(actor, proceeding_id)
            justice_gate.authorize_write(actor, proceeding, "suspect")
            proceedings.append(proceeding)
        cases = [gate.get_case_to_name(actor, case_id) for case_id in d["case_ids"]]
        data = services.PerpetratorInput(
            identity=PerpetratorIdentity(**d["identity"]),
            gender=d["gender"],
            citizenship=d["citizenship"],
            roles=d["roles"],
            modus_operandi=d["modus_operandi"],
            organised_group=d["organised_group"],
            relation_to_victim=d["relation_to_victim"],
            identifiers=[services.IdentifierInput(i["kind"], i["value"]) for i in d["identifiers"]],
        )
        try:
            perpetrator = services.record_perpetrator(
                actor=actor, data=data, proceedings=proceedings, cases=cases
            )
        except ValidationError as exc:
            return invalid(exc)
        return Response(_present(actor, perpetrator), status=status.HTTP_201_CREATED)


class PerpetratorDetailView(APIView):
    @extend_schema(
        summary="A perpetrator with identity and identifiers",
        responses={200: ps.PerpetratorSerializer, 404: ps.PerpetratorErrorSerializer},
    )
    def get(self, request: Request, perpetrator_id: str) -> Response:
        actor = request_actor(request)
        perpetrator = gate.get_perpetrator_for(actor, perpetrator_id)
        audit_api(actor, "perpetrator.viewed", "perpetrator", perpetrator.id, purpose=PURPOSE)
        return Response(_present(actor, perpetrator))


class IdentifierSearchThrottle(UserRateThrottle):
    """The identifier search shares the case name search's rate (`OPENNRM_SEARCH_RATE`)."""

    scope = "search"


class PerpetratorSearchView(APIView):
    throttle_classes = [IdentifierSearchThrottle]

    @extend_schema(
        summary="Perpetrators carrying an identifier (exact, by blind index; POST so the value "
        "never enters a URL)",
        request=ps.SearchSerializer,
        responses={200: ps.PerpetratorSerializer(many=True), **ERRORS},
    )
    def post(self, request: Request) -> Response:
        actor = request_actor(request)
        gate.require_view(actor)
        body = ps.SearchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        kind, value = body.validated_data["kind"], body.validated_data["value"]
        try:
            found = services.find_identifiers(gate.visible_identifiers(actor), kind, value)
        except idf.BadIdentifier as exc:
            return invalid_fields({"value": [str(exc)]})
        perpetrator_ids = found.exclude(perpetrator=None).values("perpetrator_id")
        rows = list(
            with_detail(gate.visible_perpetrators(actor).filter(id__in=perpetrator_ids)).order_by(
                "-recorded_at", "id"
            )
        )
        audit_api(
            actor,
            "identifier.searched",
            "perpetrator",
            purpose=PURPOSE,
            kind=kind,
            perpetrator_ids=sorted(str(p.id) for p in rows),
        )
        data = ps.PerpetratorSerializer(
            rows,  # type: ignore[arg-type]
            many=True,
            context=serializer_context(actor),
        )
        return Response(data.data)


class AlertListView(APIView):
    @extend_schema(
        summary="The caller's shared-identifier alerts: the other record named only when the "
        "caller may see it",
        responses={200: ps.AlertSerializer(many=True), 403: ps.PerpetratorErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
        gate.require_view(actor)
        alerts = gate.visible_alerts(actor).select_related("known", "new")
        paginator = CasePagination()
        page = paginator.paginate_queryset(alerts, request, self) or []
        views = gate.describe_alerts(actor, page)
        audit_api(
            actor, "alert.listed", "alert", purpose=PURPOSE, alert_ids=[str(a.id) for a in page]
        )
        rows = [
            {
                "id": v.alert.id,
                "kind": v.alert.kind,
                "raised_at": v.alert.raised_at,
                "seen_at": v.alert.seen_at,
                "known": {"type": v.known[0], "id": v.known[1]} if v.known else None,
                "new": {"type": v.new[0], "id": v.new[1]} if v.new else None,
                "message": ps.OTHER_UNIT if v.other_unit else "",
            }
            for v in views
        ]
        return paginator.get_paginated_response(ps.AlertSerializer(rows, many=True).data)


class AlertsSeenView(APIView):
    @extend_schema(
        summary="Mark the caller's alerts as seen (the named ones, or all new ones), audited",
        operation_id="alerts_mark_seen",
        request=ps.AlertsSeenSerializer,
        responses={200: ps.AlertsSeenResultSerializer, 403: ps.PerpetratorErrorSerializer},
    )
    def post(self, request: Request) -> Response:
        actor = request_actor(request)
        gate.require_view(actor)
        body = ps.AlertsSeenSerializer(data=request.data)
        if not body.is_valid():
            return invalid_fields(body.errors)
        ids = body.validated_data.get("ids")
        marked = services.mark_alerts_seen(actor=actor, alerts=gate.alerts_to_mark(actor, ids))
        return Response({"marked": marked})


def _mla_input(actor: Actor, d: dict[str, Any]) -> services.MlaInput:
    proceeding = None
    if d["proceeding_id"] is not None:
        proceeding = justice_gate.get_proceeding_for(actor, d["proceeding_id"])
    partner = None
    if d["partner_agency_id"] is not None:
        partner = Agency.objects.filter(id=d["partner_agency_id"]).first()
        if partner is None:
            raise ValidationError({"partner_agency": ["No such agency."]})
    return services.MlaInput(
        direction=d["direction"],
        request_type=d["request_type"],
        country=d["country"],
        central_authority=d["central_authority"],
        proceeding=proceeding,
        partner_agency=partner,
        sent_on=d["sent_on"],
        received_on=d["received_on"],
        due_on=d["due_on"],
        answered_on=d["answered_on"],
    )


class MlaListView(APIView):
    @extend_schema(
        summary="Mutual legal assistance requests of the caller's unit and proceedings",
        responses={200: ps.MlaSerializer(many=True), 403: ps.PerpetratorErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
        gate.require_mla(actor)
        rows = gate.visible_mla_requests(actor).select_related("partner_agency")
        paginator = CasePagination()
        page = paginator.paginate_queryset(rows.order_by("-recorded_at", "id"), request, self)
        page = page or []
        audit_api(actor, "mla.listed", "mlarequest", purpose=PURPOSE, ids=[str(r.id) for r in page])
        rows_out = ps.MlaSerializer(page, many=True)  # type: ignore[arg-type]
        return paginator.get_paginated_response(rows_out.data)

    @extend_schema(
        summary="Record a mutual legal assistance request (outgoing or incoming)",
        request=ps.MlaInputSerializer,
        responses={201: ps.MlaSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        actor = request_actor(request)
        gate.require_mla(actor)
        body = ps.MlaInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            mla = services.record_mla_request(
                actor=actor, data=_mla_input(actor, dict(body.validated_data))
            )
        except ValidationError as exc:
            return invalid(exc)
        return Response(ps.MlaSerializer(mla).data, status=status.HTTP_201_CREATED)


class MlaAnswerView(APIView):
    @extend_schema(
        summary="Record the answer to a request",
        request=ps.MlaAnswerSerializer,
        responses={200: ps.MlaSerializer, **ERRORS},
    )
    def post(self, request: Request, mla_id: str) -> Response:
        actor = request_actor(request)
        mla: MlaRequest = gate.get_mla_request_for(actor, mla_id, change=True)
        body = ps.MlaAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.record_mla_answer(
                actor=actor, request=mla, answered_on=body.validated_data["answered_on"]
            )
        except ValidationError as exc:
            return invalid(exc)
        return Response(ps.MlaSerializer(mla).data)
