"""Consent API: record a legal basis on a case and withdraw it, over the web pages' services.

The gate is `access.policy` (`get_case_for`, `get_consent_for` with `consent.manage`): only the
owner agency records and withdraws; a share never may (403), another agency's case is 404.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opennrm.access import agencies as agency_gate
from opennrm.access import policy, roles
from opennrm.api.consents.serializers import (
    ConsentInSerializer,
    ConsentOutSerializer,
    WithdrawalOutSerializer,
)
from opennrm.api.context import audit_api, request_actor
from opennrm.api.errors import ERROR, invalid_fields, service_error
from opennrm.api.pagination import CasePagination
from opennrm.cases.services import record_consent
from opennrm.nrm.referrals import services as referral_services


class CaseConsentsView(APIView):
    @extend_schema(
        summary="The consents (legal bases) recorded on a case (needs consent.manage)",
        responses={200: ConsentOutSerializer(many=True), 403: ERROR, 404: ERROR},
    )
    def get(self, request: Request, case_id: str) -> Response:
        actor = request_actor(request)
        case = policy.get_case_for(actor, case_id, roles.CONSENT_MANAGE)
        consents = case.consents.order_by("-recorded_at", "id")
        paginator = CasePagination()
        page = paginator.paginate_queryset(consents, request, self)
        audit_api(
            actor, "consent.listed", "case", case.id, consent_ids=[str(c.id) for c in page or []]
        )
        rows = ConsentOutSerializer(page or [], many=True)  # type: ignore[arg-type]
        return paginator.get_paginated_response(rows.data)

    @extend_schema(
        summary="Record a legal basis (consent, vital interest...) for sharing a case",
        description="A referral needs a recorded legal basis that covers the recipient, the "
        "purpose and every data category shared.",
        request=ConsentInSerializer,
        responses={201: ConsentOutSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    )
    def post(self, request: Request, case_id: str) -> Response:
        actor = request_actor(request)
        case = policy.get_case_for(actor, case_id, roles.CONSENT_MANAGE)
        body = ConsentInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        recipient = None
        if d["recipient"] is not None:
            recipient = agency_gate.directory(actor).filter(id=d["recipient"]).first()
            if recipient is None:
                return invalid_fields({"recipient": [_("No active agency with this id.")]})
        try:
            consent = record_consent(
                actor=actor,
                case=case,
                legal_basis=d["legal_basis"],
                purposes=d["purposes"],
                data_categories=d["data_categories"],
                recipient=recipient,
                given_on=d["given_on"],
                given_by=d["given_by"],
                representative_role=d["representative_role"],
            )
        except ValidationError as exc:
            return service_error(exc)
        return Response(ConsentOutSerializer(consent).data, status=status.HTTP_201_CREATED)


class ConsentWithdrawView(APIView):
    @extend_schema(
        summary="Withdraw a consent: every referral and share it covered ends at once",
        request=None,
        responses={200: WithdrawalOutSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    )
    def post(self, request: Request, consent_id: str) -> Response:
        actor = request_actor(request)
        consent = policy.get_consent_for(actor, consent_id, roles.CONSENT_MANAGE)
        try:
            ended = referral_services.withdraw_consent(actor=actor, consent=consent)
        except ValidationError as exc:
            return service_error(exc)
        consent.refresh_from_db()
        body = {"consent": consent, "ended_referrals": [r.id for r in ended]}
        return Response(WithdrawalOutSerializer(body).data)
