"""Assistance API: the provider directory, a case's support plans and services, over the web
UI's services.

The gate is `access.assistance` (404 hidden, 403 not allowed); errors use the project envelope.
A plan's objectives are psycho-social notes: null where the caller's access to the case does not
show them (`sees_objectives`), and only who sees them may write them.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opennrm.access import assistance as gate
from opennrm.access import policy, roles
from opennrm.api.context import audit_api, request_actor
from opennrm.api.errors import ERROR, invalid_fields, service_error
from opennrm.api.pagination import CasePagination
from opennrm.api.params import flag
from opennrm.core.workflow import IllegalTransition
from opennrm.nrm.assistance import queries, services
from opennrm.nrm.assistance.models import ServiceDelivery, ServiceProvider, SupportPlan
from opennrm.nrm.assistance.objectives import MAX_OBJECTIVES, open_objectives
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency

# --- serializers -------------------------------------------------------------------------------


class ProviderOutSerializer(serializers.Serializer[ServiceProvider]):
    id = serializers.UUIDField()
    agency_id = serializers.UUIDField()
    agency = serializers.CharField(source="agency.name")
    name = serializers.CharField()
    services = serializers.ListField(child=serializers.CharField())
    oblast = serializers.CharField()
    sexes = serializers.ListField(child=serializers.CharField())
    min_age = serializers.IntegerField(allow_null=True)
    max_age = serializers.IntegerField(allow_null=True)
    citizenship = serializers.CharField()
    beds_total = serializers.IntegerField(allow_null=True)
    beds_free = serializers.IntegerField(allow_null=True)
    is_active = serializers.BooleanField()
    updated_at = serializers.DateTimeField()


class ServiceOutSerializer(serializers.Serializer[ServiceDelivery]):
    id = serializers.UUIDField()
    case_id = serializers.UUIDField()
    plan_id = serializers.UUIDField(allow_null=True)
    type = serializers.CharField()
    provider_id = serializers.UUIDField(allow_null=True)
    provider_agency_id = serializers.UUIDField(allow_null=True)
    planned_on = serializers.DateField()
    planned_end_on = serializers.DateField(allow_null=True)
    delivered_from = serializers.DateField(allow_null=True)
    delivered_until = serializers.DateField(allow_null=True)
    state = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class CaseServicesOutSerializer(serializers.Serializer[Any]):
    identified_on = serializers.DateField()
    first_assistance_on = serializers.DateField(allow_null=True)
    days_to_first_assistance = serializers.IntegerField(allow_null=True)
    services = ServiceOutSerializer(many=True)


class _ProviderRefSerializer(serializers.Serializer[Any]):
    provider = serializers.UUIDField(required=False, allow_null=True, default=None)
    provider_agency = serializers.UUIDField(required=False, allow_null=True, default=None)


class ServicePlanInSerializer(_ProviderRefSerializer):
    type = serializers.CharField(max_length=40)
    plan = serializers.UUIDField(required=False, allow_null=True, default=None)
    planned_on = serializers.DateField()
    planned_end_on = serializers.DateField(required=False, allow_null=True, default=None)


class DeliveryInSerializer(_ProviderRefSerializer):
    delivered_from = serializers.DateField()
    delivered_until = serializers.DateField(required=False, allow_null=True, default=None)


class PlanOutSerializer(serializers.Serializer[SupportPlan]):
    id = serializers.UUIDField()
    case_id = serializers.UUIDField()
    agency_id = serializers.UUIDField()
    agency = serializers.CharField(source="agency.name")
    objectives = serializers.SerializerMethodField(
        help_text="null where the psycho-social notes of the case do not show to the caller"
    )
    planned_end_date = serializers.DateField(allow_null=True)
    actual_end_date = serializers.DateField(allow_null=True)
    is_open = serializers.BooleanField()
    created_at = serializers.DateTimeField()

    def get_objectives(self, plan: SupportPlan) -> str | None:
        return open_objectives(plan) if self.context.get("sees_objectives") else None


class PlanInSerializer(serializers.Serializer[Any]):
    objectives = serializers.CharField(allow_blank=True, max_length=MAX_OBJECTIVES)
    planned_end_date = serializers.DateField(required=False, allow_null=True, default=None)


class PlanChangeSerializer(serializers.Serializer[Any]):
    """A partial change: the fields not sent keep their values; an actual end date ends it."""

    objectives = serializers.CharField(required=False, allow_blank=True, max_length=MAX_OBJECTIVES)
    planned_end_date = serializers.DateField(required=False, allow_null=True)
    actual_end_date = serializers.DateField(required=False, allow_null=True)


def _references(
    actor: Actor, data: dict[str, Any]
) -> tuple[ServiceProvider | None, Agency | None, dict[str, list[str]]]:
    """The provider and agency named by id, through the gate; unknown ids are field errors."""
    errors: dict[str, list[str]] = {}
    provider = agency = None
    if data.get("provider") is not None:
        provider = gate.visible_providers(actor).filter(id=data["provider"]).first()
        if provider is None:
            errors["provider"] = ["No provider with this id."]
    if data.get("provider_agency") is not None:
        agency = Agency.objects.filter(id=data["provider_agency"], is_active=True).first()
        if agency is None:
            errors["provider_agency"] = ["No active agency with this id."]
    return provider, agency, errors


# --- views -------------------------------------------------------------------------------------


class ProviderListView(APIView):
    @extend_schema(
        summary="The directory of service providers (filters: type, oblast, case eligibility)",
        parameters=[
            OpenApiParameter("type", str, description="an assistance type code"),
            OpenApiParameter("oblast", str, description="an ISO 3166-2:UA code"),
            OpenApiParameter("case", uuid.UUID, description="a case the search is made for"),
            OpenApiParameter("eligible", bool, description="with `case`: only who takes them"),
            OpenApiParameter("free_beds", bool, description="only shelters with free beds"),
        ],
        responses={200: ProviderOutSerializer(many=True), 403: ERROR, 404: ERROR},
    )
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
        gate.require_directory(actor)
        params = request.query_params
        case = None
        if "case" in params:  # a malformed or hidden case is a 404, never ignored
            case = gate.get_case_for_search(actor, params["case"])
        eligible = flag(params, "eligible") and case is not None
        filters = queries.ProviderFilters(
            type=params.get("type", ""),
            oblast=params.get("oblast", ""),
            free_beds=flag(params, "free_beds"),
            eligible_for=queries.eligibility_of(case) if case is not None and eligible else None,
        )
        rows = queries.provider_directory(gate.visible_providers(actor), filters)
        paginator = CasePagination()
        page = paginator.paginate_queryset(rows, request, self)
        data = ProviderOutSerializer(page or [], many=True)  # type: ignore[arg-type]
        return paginator.get_paginated_response(data.data)


class CaseServicesView(APIView):
    @extend_schema(
        summary="A case's services, with the process measure time to first assistance",
        responses={200: CaseServicesOutSerializer, 403: ERROR, 404: ERROR},
    )
    def get(self, request: Request, case_id: str) -> Response:
        actor = request_actor(request)
        case = policy.get_case_for(actor, case_id, roles.CASE_VIEW)
        rows = queries.services_of(gate.visible_services(actor), case)
        first = queries.first_assistance_on(case)
        body = {
            "identified_on": case.identified_on,
            "first_assistance_on": first,
            "days_to_first_assistance": None
            if first is None
            else (first - case.identified_on).days,
            "services": rows,
        }
        return Response(CaseServicesOutSerializer(body).data)

    @extend_schema(
        summary="Plan a service for a case (needs assistance.manage on the case)",
        request=ServicePlanInSerializer,
        responses={201: ServiceOutSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    )
    def post(self, request: Request, case_id: str) -> Response:
        actor = request_actor(request)
        case = policy.get_case_for(actor, case_id, roles.ASSISTANCE_MANAGE)
        body = ServicePlanInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        provider, agency, errors = _references(actor, d)
        plan: SupportPlan | None = None
        if d["plan"] is not None:
            plan = gate.visible_plans(actor).filter(id=d["plan"], case=case).first()
            if plan is None:
                errors["plan"] = ["No support plan of this case with this id."]
        if errors:
            return invalid_fields(errors)
        try:
            service = services.plan_service(
                actor=actor,
                case=case,
                type=d["type"],
                plan=plan,
                provider=provider,
                provider_agency=agency,
                planned_on=d["planned_on"],
                planned_end_on=d["planned_end_on"],
            )
        except ValidationError as exc:
            return service_error(exc)
        return Response(ServiceOutSerializer(service).data, status=status.HTTP_201_CREATED)


class CasePlansView(APIView):
    @extend_schema(
        summary="A case's support plans (needs assistance.manage on the case)",
        responses={200: PlanOutSerializer(many=True), 403: ERROR, 404: ERROR},
    )
    def get(self, request: Request, case_id: str) -> Response:
        actor = request_actor(request)
        # As the web page: only those who provide assistance see the plans.
        case = policy.get_case_for(actor, case_id, roles.ASSISTANCE_MANAGE)
        sees = gate.sees_objectives(actor, case)
        plans = queries.plans_of(gate.visible_plans(actor), case).select_related("agency")
        paginator = CasePagination()
        ordered = plans.order_by("-created_at", "id")
        page = list(paginator.paginate_queryset(ordered, request, self) or [])
        if sees and page:
            audit_api(actor, "assistance.viewed", "case", case.id, plans=len(page))
        rows = PlanOutSerializer(page, many=True, context={"sees_objectives": sees})  # type: ignore[arg-type]
        return paginator.get_paginated_response(rows.data)

    @extend_schema(
        summary="Record a support plan for a case (its objectives are encrypted)",
        request=PlanInSerializer,
        responses={201: PlanOutSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    )
    def post(self, request: Request, case_id: str) -> Response:
        actor = request_actor(request)
        case = gate.get_case_for_plans(actor, case_id)
        body = PlanInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        try:
            plan = services.record_plan(
                actor=actor,
                case=case,
                objectives=d["objectives"],
                planned_end_date=d["planned_end_date"],
            )
        except ValidationError as exc:
            return service_error(exc)
        data = PlanOutSerializer(plan, context={"sees_objectives": True}).data
        return Response(data, status=status.HTTP_201_CREATED)


class PlanDetailView(APIView):
    @extend_schema(
        summary="A support plan (needs assistance.manage on the case)",
        responses={200: PlanOutSerializer, 403: ERROR, 404: ERROR},
    )
    def get(self, request: Request, plan_id: str) -> Response:
        actor = request_actor(request)
        plan = gate.get_plan_to_view(actor, plan_id)
        sees = gate.sees_objectives(actor, plan.case)
        if sees:
            audit_api(actor, "assistance.viewed", "case", plan.case_id, plans=1)
        return Response(PlanOutSerializer(plan, context={"sees_objectives": sees}).data)

    @extend_schema(
        summary="Change a support plan: objectives, planned or actual end date",
        request=PlanChangeSerializer,
        responses={200: PlanOutSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    )
    def patch(self, request: Request, plan_id: str) -> Response:
        actor = request_actor(request)
        plan = gate.get_plan_for(actor, plan_id, roles.ASSISTANCE_MANAGE)
        body = PlanChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        try:
            plan = services.update_plan(
                actor=actor,
                plan=plan,
                objectives=d["objectives"] if "objectives" in d else open_objectives(plan),
                planned_end_date=d.get("planned_end_date", plan.planned_end_date),
                actual_end_date=d.get("actual_end_date", plan.actual_end_date),
            )
        except ValidationError as exc:
            return service_error(exc)
        return Response(PlanOutSerializer(plan, context={"sees_objectives": True}).data)


class ServiceDeliverView(APIView):
    @extend_schema(
        summary="Record (or update) the delivery of a service: dates and provider",
        request=DeliveryInSerializer,
        responses={200: ServiceOutSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
    )
    def post(self, request: Request, service_id: str) -> Response:
        actor = request_actor(request)
        service = gate.get_service_for(actor, service_id, roles.ASSISTANCE_MANAGE)
        body = DeliveryInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        provider, agency, errors = _references(actor, d)
        if errors:
            return invalid_fields(errors)
        try:
            service = services.record_delivery(
                actor=actor,
                service=service,
                delivered_from=d["delivered_from"],
                delivered_until=d["delivered_until"],
                provider=provider,
                provider_agency=agency,
            )
        except (IllegalTransition, ValidationError) as exc:
            return service_error(exc)
        return Response(ServiceOutSerializer(service).data)


class ServiceCancelView(APIView):
    @extend_schema(
        summary="Cancel a planned service",
        request=None,
        responses={200: ServiceOutSerializer, 403: ERROR, 404: ERROR, 409: ERROR},
    )
    def post(self, request: Request, service_id: str) -> Response:
        actor = request_actor(request)
        service = gate.get_service_for(actor, service_id, roles.ASSISTANCE_MANAGE)
        try:
            service = services.cancel_service(actor=actor, service=service)
        except IllegalTransition as exc:
            return service_error(exc)
        return Response(ServiceOutSerializer(service).data)
