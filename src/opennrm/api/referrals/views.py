"""Referral API: explicit action endpoints over the same services as the web UI."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opennrm.access import policy, roles
from opennrm.api.context import audit_api_list, request_actor
from opennrm.api.errors import invalid_fields, service_error
from opennrm.api.pagination import CasePagination
from opennrm.api.params import choice
from opennrm.core.workflow import IllegalTransition
from opennrm.nrm.referrals import services
from opennrm.nrm.referrals.models import Referral
from opennrm.nrm.referrals.queries import ReferralFilters, age_in_days, referral_list
from opennrm.tenancy.models import Agency


class ReferralInSerializer(serializers.Serializer[Any]):
    to_agency = serializers.UUIDField()
    purpose = serializers.CharField()
    data_categories = serializers.ListField(child=serializers.CharField())
    transfer = serializers.BooleanField(default=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    override_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=300, default=""
    )


class ReferralOutSerializer(serializers.Serializer[Referral]):
    id = serializers.UUIDField()
    case_id = serializers.UUIDField()
    from_agency = serializers.CharField(source="from_agency.name")
    to_agency = serializers.CharField(source="to_agency.name")
    kind = serializers.CharField()
    purpose = serializers.CharField()
    data_categories = serializers.ListField(child=serializers.CharField())
    state = serializers.CharField()
    sent_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    end_reason = serializers.CharField()
    has_legal_basis = serializers.SerializerMethodField()
    age_days = serializers.SerializerMethodField()

    def get_has_legal_basis(self, referral: Referral) -> bool:
        return referral.basis_id is not None

    def get_age_days(self, referral: Referral) -> int:
        return age_in_days(referral)


class DeclineSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=300)


class CaseReferralsView(APIView):
    @extend_schema(
        summary="Refer a case to another agency (needs a covering legal basis)",
        request=ReferralInSerializer,
        responses={201: ReferralOutSerializer},
    )
    def post(self, request: Request, case_id: str) -> Response:
        actor = request_actor(request)
        case = policy.get_case_for(actor, case_id, roles.REFERRAL_CREATE)
        data = ReferralInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        to_agency = Agency.objects.filter(id=d["to_agency"], is_active=True).first()
        if to_agency is None:
            return invalid_fields({"to_agency": ["No active agency with this id."]})
        try:
            referral = services.refer_case(
                actor=actor,
                case=case,
                to_agency=to_agency,
                purpose=d["purpose"],
                data_categories=d["data_categories"],
                transfer=d["transfer"],
                note=d["note"],
                override_reason=d["override_reason"],
                allow_override=policy.can(actor, roles.REFERRAL_OVERRIDE),
            )
        except ValidationError as exc:
            return service_error(exc)
        return Response(ReferralOutSerializer(referral).data, status=status.HTTP_201_CREATED)


class ReferralListView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("direction", str, enum=["incoming", "outgoing"]),
            OpenApiParameter("state", str),
        ],
        responses=ReferralOutSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
        policy.require(actor, roles.CASE_VIEW)
        filters = ReferralFilters(
            direction=choice(
                request.query_params, "direction", ("incoming", "outgoing"), "incoming"
            ),
            state=request.query_params.get("state", ""),
        )
        referrals = referral_list(policy.visible_referrals(actor), actor.agency_id, filters)
        paginator = CasePagination()
        page = paginator.paginate_queryset(referrals, request, self)
        audit_api_list(actor, "referral", page or [])
        rows = ReferralOutSerializer(page or [], many=True)  # type: ignore[arg-type]
        return paginator.get_paginated_response(rows.data)


class ReferralDetailView(APIView):
    @extend_schema(responses=ReferralOutSerializer)
    def get(self, request: Request, referral_id: str) -> Response:
        referral = policy.get_referral_for(request_actor(request), referral_id, roles.CASE_VIEW)
        return Response(ReferralOutSerializer(referral).data)


class ReferralActionView(APIView):
    """POST /referrals/{id}/{action}/ for accept, decline, cancel and revoke."""

    action_name = ""
    permission = ""

    @extend_schema(request=DeclineSerializer, responses={200: ReferralOutSerializer})
    def post(self, request: Request, referral_id: str) -> Response:
        actor = request_actor(request)
        referral = policy.get_referral_for(actor, referral_id, self.permission)
        try:
            if self.action_name == "accept":
                referral = services.accept_referral(actor=actor, referral=referral)
            elif self.action_name == "decline":
                reason = DeclineSerializer(data=request.data)
                reason.is_valid(raise_exception=True)
                referral = services.decline_referral(
                    actor=actor, referral=referral, reason=reason.validated_data["reason"]
                )
            elif self.action_name == "cancel":
                referral = services.cancel_referral(actor=actor, referral=referral)
            else:
                referral = services.revoke_referral(actor=actor, referral=referral)
        except (IllegalTransition, ValidationError) as exc:
            return service_error(exc)
        return Response(ReferralOutSerializer(referral).data)


class AcceptReferralView(ReferralActionView):
    action_name, permission = "accept", roles.REFERRAL_RESPOND


class DeclineReferralView(ReferralActionView):
    action_name, permission = "decline", roles.REFERRAL_RESPOND


class CancelReferralView(ReferralActionView):
    action_name, permission = "cancel", roles.REFERRAL_CREATE


class RevokeReferralView(ReferralActionView):
    action_name, permission = "revoke", roles.REFERRAL_CREATE
