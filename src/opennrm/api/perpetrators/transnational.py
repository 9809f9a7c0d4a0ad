"""API of transnational referrals and assisted returns: list and send on a case, the packet's
download (audited), the partner's acknowledgement. The gate is `access/transnational.py`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opennrm.access import transnational as gate
from opennrm.api.context import audit_api, request_actor
from opennrm.api.errors import invalid, invalid_fields
from opennrm.api.perpetrators.serializers import PerpetratorErrorSerializer, TextUUIDField
from opennrm.justice import transnational_services as services
from opennrm.justice.transnational import TransnationalReferral

ERRORS = {
    400: OpenApiResponse(PerpetratorErrorSerializer, description="Refused: `fields` say why."),
    403: OpenApiResponse(PerpetratorErrorSerializer, description="Permission missing."),
    404: OpenApiResponse(PerpetratorErrorSerializer, description="Not visible to the caller."),
}


class TransnationalSerializer(serializers.Serializer[TransnationalReferral]):
    id = serializers.UUIDField()
    case_id = serializers.UUIDField()
    kind = serializers.CharField(help_text="TransnationalReferral or AssistedReturn")
    purpose = serializers.CharField(help_text="purpose code")
    partner_id = serializers.UUIDField()
    partner_country = serializers.CharField(source="partner.country")
    data_categories = serializers.ListField(child=serializers.CharField())
    consent_id = serializers.UUIDField()
    packet_sha256 = serializers.CharField()
    sent_at = serializers.DateTimeField()
    acknowledged_on = serializers.DateField(allow_null=True)
    acknowledgement_reference = serializers.CharField(allow_blank=True)


class TransnationalInputSerializer(serializers.Serializer[Any]):
    partner_id = TextUUIDField(help_text="An active agency in another country.")
    kind = serializers.CharField(max_length=32, help_text="TransnationalReferral or AssistedReturn")
    purpose = serializers.CharField(max_length=32, help_text="purpose code")
    data_categories = serializers.ListField(
        child=serializers.CharField(max_length=32), max_length=20, help_text="data_category codes"
    )


class AcknowledgementSerializer(serializers.Serializer[Any]):
    acknowledged_on = serializers.DateField()
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class CaseTransnationalView(APIView):
    @extend_schema(
        operation_id="case_transnational_list",
        summary="The case's referrals abroad and assisted returns (the owner agency's)",
        responses={200: TransnationalSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request, case_id: str) -> Response:
        actor = request_actor(request)
        case = gate.get_case_to_send(actor, case_id)
        items = list(gate.visible_transnational(actor).filter(case=case))
        audit_api(
            actor,
            "transnational.listed",
            "case",
            case.id,
            transnational_ids=[str(i.id) for i in items],
        )
        return Response(TransnationalSerializer(items, many=True).data)  # type: ignore[arg-type]

    @extend_schema(
        operation_id="case_transnational_send",
        summary="Send a minimal HTCDS packet to a partner agency abroad: only with the person's "
        "explicit consent naming the partner, the purpose and the categories",
        request=TransnationalInputSerializer,
        responses={201: TransnationalSerializer, **ERRORS},
    )
    def post(self, request: Request, case_id: str) -> Response:
        actor = request_actor(request)
        case = gate.get_case_to_send(actor, case_id)
        body = TransnationalInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        partner = gate.get_partner(d["partner_id"])
        if partner is None:
            return invalid_fields(
                {"partner_id": [_("Choose an active partner agency in another country.")]}
            )
        try:
            item = services.send(
                actor=actor,
                case=case,
                partner=partner,
                kind=d["kind"],
                purpose=d["purpose"],
                data_categories=d["data_categories"],
                build_packet=gate.packet_builder(actor, case, partner, d["kind"], d["purpose"]),
            )
        except ValidationError as exc:
            return invalid(exc)
        return Response(TransnationalSerializer(item).data, status=status.HTTP_201_CREATED)


class TransnationalPacketView(APIView):
    @extend_schema(
        operation_id="transnational_packet",
        summary="The packet exactly as sent (JSON; its SHA-256 is `packet_sha256`), audited",
        responses={200: OpenApiTypes.OBJECT, 403: ERRORS[403], 404: ERRORS[404]},
    )
    def get(self, request: Request, transnational_id: str) -> HttpResponse:
        actor = request_actor(request)
        item = gate.get_transnational_for(actor, transnational_id)
        if services.is_erased(item):
            raise Http404  # the person was erased: nothing is left to send
        return HttpResponse(
            services.record_download(actor=actor, item=item), content_type="application/json"
        )


class TransnationalAcknowledgementView(APIView):
    @extend_schema(
        operation_id="transnational_acknowledge",
        summary="Record the partner's acknowledgement (date and the partner's reference)",
        request=AcknowledgementSerializer,
        responses={200: TransnationalSerializer, **ERRORS},
    )
    def post(self, request: Request, transnational_id: str) -> Response:
        actor = request_actor(request)
        item = gate.get_transnational_for(actor, transnational_id)
        body = AcknowledgementSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.acknowledge(
                actor=actor,
                item=item,
                acknowledged_on=body.validated_data["acknowledged_on"],
                reference=body.validated_data["reference"],
            )
        except ValidationError as exc:
            return invalid(exc)
        return Response(TransnationalSerializer(item).data)
