"""API of the status procedure: explicit action endpoints calling the same services as the web.

`POST /status-applications/{id}/{action}/`, one endpoint per transition of the table: 200 with
the application, 400 with `fields` for bad input, 403 without the permission or when another
agency holds the file, 404 when hidden, 409 `illegal_transition` when the state does not allow
the action.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opennrm.access import policy, roles
from opennrm.access import status as gate
from opennrm.api.context import audit_api_list, request_actor
from opennrm.api.errors import error_response, illegal_transition, service_error
from opennrm.api.pagination import CasePagination
from opennrm.api.status.serializers import (
    INPUTS,
    ApplicationSerializer,
    ClaimSerializer,
    DocumentsSerializer,
    ErrorSerializer,
    PaymentSerializer,
    PaySerializer,
    ReflectionEndSerializer,
    ReflectionPeriodSerializer,
    ReflectionStartSerializer,
    RegisterSerializer,
)
from opennrm.audit.services import record
from opennrm.core.workflow import IllegalTransition
from opennrm.nrm.status import payment_services, queries, services
from opennrm.nrm.status import reflection_services as reflection
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.actions import ACTIONS
from opennrm.nrm.status.models import ReflectionPeriod, StatusApplication
from opennrm.nrm.status.validation import PURPOSE
from opennrm.tenancy.actor import Actor

ACTION_RESPONSES = {
    200: ApplicationSerializer,
    400: OpenApiResponse(ErrorSerializer, description="Invalid input: `fields` names them."),
    403: OpenApiResponse(
        ErrorSerializer, description="Permission missing, or another agency holds the file."
    ),
    404: OpenApiResponse(ErrorSerializer, description="Not visible to the caller."),
    409: OpenApiResponse(
        ErrorSerializer, description="`illegal_transition`: not possible in the current state."
    ),
}


def perform(
    request: Request,
    input_class: type[serializers.Serializer[Any]],
    call: Callable[[dict[str, Any]], Any],
    present: Callable[[Any], Any],
    *,
    created: bool = False,
) -> Response:
    """An action endpoint's common path: validate the input (400), call the service, answer
    409 for an illegal transition, 400 with the fields for a refused input, else the result."""
    data = input_class(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        result = call(data.validated_data)
    except (IllegalTransition, ValidationError) as exc:
        return service_error(exc)
    return Response(
        present(result), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
    )


def _application(actor: Actor, app: StatusApplication) -> dict[str, Any]:
    fresh = queries.with_detail_data(StatusApplication.objects.filter(pk=app.pk)).get()
    return ApplicationSerializer(fresh, context={"actor": actor}).data


def _fetch(actor: Actor, application_id: object) -> StatusApplication:
    return gate.get_application_for(
        actor,
        application_id,
        None,
        queryset=queries.with_detail_data(StatusApplication.objects.all()),
    )


def _audit_view(actor: Actor, app: StatusApplication) -> None:
    record(
        action="status.viewed",
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type="case",
        object_id=app.case_id,
        purpose=PURPOSE,
        detail={"application": str(app.id), "via": "api"},
    )


# --- endpoints -------------------------------------------------------------------------------


class CaseApplicationsView(APIView):
    @extend_schema(
        summary="Status applications of a case", responses=ApplicationSerializer(many=True)
    )
    def get(self, request: Request, case_id: str) -> Response:
        actor = request_actor(request)
        case = policy.get_case_for(actor, case_id, roles.CASE_VIEW)
        apps = queries.with_detail_data(gate.visible_applications(actor).filter(case=case))
        rows = ApplicationSerializer(apps, many=True, context={"actor": actor})  # type: ignore[arg-type]
        return Response(rows.data)

    @extend_schema(
        summary="Register a status application in the caller's agency journal",
        request=RegisterSerializer,
        responses={**ACTION_RESPONSES, 201: ApplicationSerializer},
    )
    def post(self, request: Request, case_id: str) -> Response:
        actor = request_actor(request)
        case = policy.get_case_for(actor, case_id, roles.STATUS_REGISTER)
        return perform(
            request,
            RegisterSerializer,
            lambda d: services.register_application(actor=actor, case=case, **d),
            lambda app: _application(actor, app),
            created=True,
        )


class ApplicationListView(APIView):
    @extend_schema(
        summary="Applications visible to the caller; `due` lists those held by its agency",
        parameters=[
            OpenApiParameter("due", str, enum=["overdue", "nearing"], required=False),
        ],
        responses=ApplicationSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
        if not gate.has_status_role(actor) and not policy.can(actor, roles.CASE_VIEW):
            return error_response("permission_denied", "Permission denied.", 403)
        apps = gate.visible_applications(actor)
        due = request.query_params.get("due", "")
        today = timezone.localdate()
        if due:
            held = apps.filter(queries.handled_by(actor.agency_id))
            if due == "overdue":
                apps = queries.overdue(held, today)
            elif due == "nearing":
                apps = queries.nearing(held, today)
            else:
                return error_response("invalid", "due is overdue or nearing.", fields={"due": []})
        paginator = CasePagination()
        ordered = queries.with_detail_data(apps).order_by("due_on", "-applied_on", "id")
        page = paginator.paginate_queryset(ordered, request, self)
        audit_api_list(actor, "status_application", page or [])
        rows = ApplicationSerializer(page or [], many=True, context={"actor": actor})  # type: ignore[arg-type]
        return paginator.get_paginated_response(rows.data)


class ApplicationDetailView(APIView):
    @extend_schema(
        summary="A status application with its steps and deadlines", responses=ApplicationSerializer
    )
    def get(self, request: Request, application_id: str) -> Response:
        actor = request_actor(request)
        app = _fetch(actor, application_id)
        _audit_view(actor, app)
        return Response(ApplicationSerializer(app, context={"actor": actor}).data)


def _transition_endpoint(action: str) -> type[APIView]:
    input_class, service = INPUTS[action], ACTIONS[action].service

    class TransitionView(APIView):
        @extend_schema(
            operation_id=f"status_application_{action}",
            summary=str(wf.ACTION_LABELS[action]),
            request=input_class,
            responses=ACTION_RESPONSES,
        )
        def post(self, request: Request, application_id: str) -> Response:
            actor = request_actor(request)
            app = _fetch(actor, application_id)
            try:
                gate.authorize_transition(actor, app, action)
            except IllegalTransition as exc:
                return illegal_transition(exc)
            return perform(
                request,
                input_class,
                lambda d: service(actor=actor, application=app, **d),
                lambda updated: _application(actor, updated),
            )

    TransitionView.__name__ = TransitionView.__qualname__ = (
        "Status" + "".join(p.title() for p in action.split("_")) + "View"
    )
    return TransitionView


TRANSITION_VIEWS = {action: _transition_endpoint(action) for action in ACTIONS}


class DocumentsView(APIView):
    @extend_schema(
        summary="Update the documents checklist (while the file is at the receiving office)",
        request=DocumentsSerializer,
        responses=ACTION_RESPONSES,
    )
    def post(self, request: Request, application_id: str) -> Response:
        actor = request_actor(request)
        app = _fetch(actor, application_id)
        gate.authorize_documents_update(actor, app)
        return perform(
            request,
            DocumentsSerializer,
            lambda d: services.update_documents(actor=actor, application=app, **d),
            lambda updated: _application(actor, updated),
        )


class PaymentClaimView(APIView):
    @extend_schema(
        summary="Claim the one-time financial assistance (Resolution No. 660)",
        request=ClaimSerializer,
        responses={**ACTION_RESPONSES, 201: PaymentSerializer},
    )
    def post(self, request: Request, application_id: str) -> Response:
        actor = request_actor(request)
        app = _fetch(actor, application_id)
        gate.authorize_payment(actor, app)
        return perform(
            request,
            ClaimSerializer,
            lambda d: payment_services.claim_payment(actor=actor, application=app, **d),
            lambda payment: PaymentSerializer(payment).data,
            created=True,
        )


class PaymentPayView(APIView):
    @extend_schema(
        summary="Record that the one-time financial assistance was paid",
        request=PaySerializer,
        responses={**ACTION_RESPONSES, 200: PaymentSerializer},
    )
    def post(self, request: Request, payment_id: str) -> Response:
        actor = request_actor(request)
        payment = gate.get_payment_for(actor, payment_id, roles.PAYMENT_MANAGE)
        return perform(
            request,
            PaySerializer,
            lambda d: payment_services.pay(actor=actor, payment=payment, **d),
            lambda paid: PaymentSerializer(paid).data,
        )


class ReflectionPeriodsView(APIView):
    @extend_schema(
        summary="Recovery and reflection periods of a case",
        responses=ReflectionPeriodSerializer(many=True),
    )
    def get(self, request: Request, case_id: str) -> Response:
        actor = request_actor(request)
        case = policy.get_case_for(actor, case_id, roles.CASE_VIEW)
        if not gate.takes_part(actor, case):
            raise PermissionDenied(roles.STATUS_PROCESS)
        periods = ReflectionPeriod.objects.filter(case=case)
        rows = ReflectionPeriodSerializer(periods, many=True)  # type: ignore[arg-type]
        return Response(rows.data)

    @extend_schema(
        summary="Start a recovery and reflection period (foreign presumed victims, >= 30 days)",
        request=ReflectionStartSerializer,
        responses={**ACTION_RESPONSES, 201: ReflectionPeriodSerializer},
    )
    def post(self, request: Request, case_id: str) -> Response:
        actor = request_actor(request)
        case = policy.get_case_for(actor, case_id, roles.CASE_CHANGE)
        return perform(
            request,
            ReflectionStartSerializer,
            lambda d: reflection.start_reflection_period(actor=actor, case=case, **d),
            lambda period: ReflectionPeriodSerializer(period).data,
            created=True,
        )


class ReflectionEndView(APIView):
    @extend_schema(
        summary="End a reflection period early, with the reason",
        request=ReflectionEndSerializer,
        responses={**ACTION_RESPONSES, 200: ReflectionPeriodSerializer},
    )
    def post(self, request: Request, reflection_id: str) -> Response:
        actor = request_actor(request)
        period = gate.get_reflection_period_for(actor, reflection_id, roles.CASE_CHANGE)
        return perform(
            request,
            ReflectionEndSerializer,
            lambda d: reflection.end_reflection_period(actor=actor, period=period, **d),
            lambda ended: ReflectionPeriodSerializer(ended).data,
        )
