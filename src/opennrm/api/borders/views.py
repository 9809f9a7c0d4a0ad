"""API of group identification operations, stops at the border and incidents: the same gate
(`access.borders`) and services as the pages.

`GET/POST /operations/` (the persons in the body; `POST /operations/import/` takes a CSV or XLSX
list, all or nothing, each bad row named), `GET /operations/{id}/`, `GET/POST /border-stops/`,
`GET/POST /incidents/`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opennrm.access import borders as gate
from opennrm.access import justice as justice_gate
from opennrm.access import perpetrators as perpetrator_gate
from opennrm.access import policy
from opennrm.api.context import audit_api, request_actor
from opennrm.api.errors import invalid
from opennrm.api.fields import JsonBoolean
from opennrm.api.pagination import CasePagination
from opennrm.borders import services
from opennrm.borders.models import Incident, Operation, Stop
from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.tenancy.actor import Actor

MAX_UPLOAD = 2 * 1024 * 1024


def _choices(name: str) -> list[str]:
    return list(code_list(name).values)


# One name each for these choice sets in the OpenAPI schema (SPECTACULAR_SETTINGS).
OPERATION_KINDS = _choices(codes.OPERATION_KIND)
STOP_KINDS = _choices(codes.STOP_KIND)
INCIDENT_KINDS = _choices(codes.INCIDENT_KIND)


class BordersError(serializers.Serializer[Any]):
    error = serializers.DictField()


ERRORS = {
    400: OpenApiResponse(BordersError, description="Invalid input: `fields` names them."),
    403: OpenApiResponse(BordersError, description="Permission missing."),
    404: OpenApiResponse(BordersError, description="Not visible to the caller."),
}


class MinimalPersonSerializer(serializers.Serializer[Any]):
    family_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    given_names = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    name = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        help_text="The name as written when family and given names are not told apart: kept as "
        "it is (an alias), never split.",
    )
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    sex = serializers.CharField(required=False, default="NonSpecifiedUnknown", max_length=32)
    age = serializers.IntegerField(required=False, allow_null=True, default=None)
    citizenship = serializers.CharField(required=False, allow_blank=True, default="")
    language = serializers.CharField(required=False, allow_blank=True, default="")


class OperationInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=OPERATION_KINDS)
    held_on = serializers.DateField()
    crossing_point = serializers.CharField(required=False, allow_blank=True, default="")
    oblast = serializers.CharField(required=False, allow_blank=True, default="")
    persons = MinimalPersonSerializer(many=True)
    proceeding_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    perpetrator_ids = serializers.ListField(
        child=serializers.UUIDField(), required=False, default=list, max_length=50
    )


class OperationImportSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=OPERATION_KINDS)
    held_on = serializers.DateField()
    crossing_point = serializers.CharField(required=False, allow_blank=True, default="")
    file = serializers.FileField(
        help_text="CSV (UTF-8) or XLSX: name, description, sex, age, citizenship, language"
    )


class OperationSerializer(serializers.Serializer[Operation]):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    held_on = serializers.DateField()
    crossing_point = serializers.CharField()
    oblast = serializers.CharField()
    case_ids = serializers.SerializerMethodField()
    proceeding_id = serializers.SerializerMethodField()
    perpetrator_ids = serializers.SerializerMethodField()

    def get_case_ids(self, operation: Operation) -> list[str]:
        return sorted(str(c.id) for c in operation.cases.all())

    def get_proceeding_id(self, operation: Operation) -> str | None:
        visible = self.context["proceeding_ids"]
        return str(operation.proceeding_id) if operation.proceeding_id in visible else None

    def get_perpetrator_ids(self, operation: Operation) -> list[str]:
        visible = self.context["perpetrator_ids"]
        return sorted(str(p.id) for p in operation.perpetrators.all() if p.id in visible)


def _context(actor: Actor) -> dict[str, Any]:
    return {
        "proceeding_ids": set(justice_gate.visible_proceedings(actor).values_list("id", flat=True)),
        "perpetrator_ids": set(
            perpetrator_gate.visible_perpetrators(actor).values_list("id", flat=True)
        ),
    }


def _links(actor: Actor, d: dict[str, Any]) -> tuple[Any, list[Any]]:
    proceeding = None
    if d.get("proceeding_id"):
        proceeding = justice_gate.get_proceeding_for(actor, d["proceeding_id"])
    perpetrators = [
        perpetrator_gate.get_perpetrator_for(actor, p) for p in d.get("perpetrator_ids") or []
    ]
    return proceeding, perpetrators


def _present(actor: Actor, operation: Operation) -> Any:
    return OperationSerializer(operation, context=_context(actor)).data


class OperationListView(APIView):
    @extend_schema(
        summary="Group identification operations of the caller's agency",
        responses={200: OperationSerializer(many=True), 403: BordersError},
    )
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
        gate.require_operations(actor)
        rows = gate.visible_operations(actor).prefetch_related("cases", "perpetrators")
        paginator = CasePagination()
        page = paginator.paginate_queryset(rows.order_by("-held_on", "id"), request, self) or []
        audit_api(actor, "operation.listed", "operation", ids=[str(o.id) for o in page])
        data = OperationSerializer(page, many=True, context=_context(actor))  # type: ignore[arg-type]
        return paginator.get_paginated_response(data.data)

    @extend_schema(
        summary="Record an operation: one minimal case per person found, all or nothing",
        request=OperationInputSerializer,
        responses={201: OperationSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        actor = request_actor(request)
        gate.require_operations(actor)
        policy.require(actor, "case.create")
        body = OperationInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = dict(body.validated_data)
        proceeding, perpetrators = _links(actor, d)
        data = services.OperationInput(
            kind=d["kind"],
            held_on=d["held_on"],
            crossing_point=d["crossing_point"],
            oblast=d["oblast"],
            persons=[services.MinimalPerson(**p) for p in d["persons"]],
            proceeding=proceeding,
            perpetrators=perpetrators,
        )
        try:
            operation = services.record_operation(actor=actor, data=data)
        except ValidationError as exc:
            return invalid(exc)
        return Response(_present(actor, operation), status=status.HTTP_201_CREATED)


class OperationImportView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Record an operation from a CSV or XLSX list of persons (all or nothing)",
        request={"multipart/form-data": OperationImportSerializer},
        responses={201: OperationSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        actor = request_actor(request)
        gate.require_operations(actor)
        policy.require(actor, "case.create")
        body = OperationImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        if upload.size > MAX_UPLOAD:
            return invalid(ValidationError({"file": ["The file is too large."]}))
        try:
            persons = services.read_person_list(upload.read(), upload.name or "")
            operation = services.record_operation(
                actor=actor,
                data=services.OperationInput(
                    kind=body.validated_data["kind"],
                    held_on=body.validated_data["held_on"],
                    crossing_point=body.validated_data["crossing_point"],
                    persons=persons,
                ),
            )
        except ValidationError as exc:
            return invalid(exc)
        return Response(_present(actor, operation), status=status.HTTP_201_CREATED)


class OperationDetailView(APIView):
    @extend_schema(
        summary="An operation with its cases, proceeding and perpetrators (those visible)",
        responses={200: OperationSerializer, 404: BordersError},
    )
    def get(self, request: Request, operation_id: str) -> Response:
        actor = request_actor(request)
        operation = gate.get_operation_for(actor, operation_id)
        audit_api(actor, "operation.viewed", "operation", operation.id)
        return Response(_present(actor, operation))


class StopSerializer(serializers.Serializer[Stop]):
    id = serializers.UUIDField(read_only=True)
    kind = serializers.ChoiceField(choices=STOP_KINDS)
    crossing_point = serializers.ChoiceField(choices=_choices(codes.CROSSING_POINT))
    stopped_on = serializers.DateField()
    persons = serializers.IntegerField(min_value=1)
    children = serializers.IntegerField(min_value=0, required=False, default=0)
    destination = serializers.CharField(required=False, allow_blank=True, default="")


class StopListView(APIView):
    @extend_schema(
        summary="Persons stopped at the border before exploitation (not victims)",
        responses={200: StopSerializer(many=True), 403: BordersError},
    )
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
        gate.require_operations(actor)
        paginator = CasePagination()
        rows = gate.visible_stops(actor).order_by("-stopped_on", "id")
        page = paginator.paginate_queryset(rows, request, self) or []
        audit_api(actor, "stop.listed", "stop", ids=[str(s.id) for s in page])
        return paginator.get_paginated_response(StopSerializer(page, many=True).data)  # type: ignore[arg-type]

    @extend_schema(
        summary="Record persons stopped at a crossing point",
        request=StopSerializer,
        responses={201: StopSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        actor = request_actor(request)
        gate.require_operations(actor)
        body = StopSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            stop = services.record_stop(actor=actor, data=services.StopInput(**body.validated_data))
        except ValidationError as exc:
            return invalid(exc)
        return Response(StopSerializer(stop).data, status=status.HTTP_201_CREATED)


class IncidentSerializer(serializers.Serializer[Incident]):
    id = serializers.UUIDField(read_only=True)
    kind = serializers.ChoiceField(choices=INCIDENT_KINDS)
    occurred_on = serializers.DateField()
    oblast = serializers.CharField(required=False, allow_blank=True, default="")
    victims = serializers.IntegerField(min_value=1, help_text="Persons involved.")
    involves_idp = JsonBoolean(required=False, default=False)
    idp_origin = serializers.CharField(required=False, allow_blank=True, default="")
    case_ids = serializers.ListField(
        child=serializers.UUIDField(), required=False, default=list, max_length=100
    )


class IncidentListView(APIView):
    @extend_schema(
        summary="Incidents recorded by the caller's agency",
        responses={200: IncidentSerializer(many=True), 403: BordersError},
    )
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
        gate.require_incidents(actor)
        paginator = CasePagination()
        rows = (
            gate.visible_incidents(actor).prefetch_related("cases").order_by("-occurred_on", "id")
        )
        page = paginator.paginate_queryset(rows, request, self) or []
        audit_api(actor, "incident.listed", "incident", ids=[str(i.id) for i in page])
        data = [
            {**IncidentSerializer(i).data, "case_ids": sorted(str(c.id) for c in i.cases.all())}
            for i in page
        ]
        return paginator.get_paginated_response(data)

    @extend_schema(
        summary="Record an incident (victims and cases; IDP status with the region of origin)",
        request=IncidentSerializer,
        responses={201: IncidentSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        actor = request_actor(request)
        gate.require_incidents(actor)
        body = IncidentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = dict(body.validated_data)
        cases = [
            policy.get_case_for(actor, case_id, "case.change") for case_id in d.pop("case_ids")
        ]
        try:
            incident = services.record_incident(
                actor=actor, data=services.IncidentInput(**d, cases=cases)
            )
        except ValidationError as exc:
            return invalid(exc)
        out = {**IncidentSerializer(incident).data, "case_ids": sorted(str(c.id) for c in cases)}
        return Response(out, status=status.HTTP_201_CREATED)
