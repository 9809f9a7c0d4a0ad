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
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opennrm.access import policy, roles
from opennrm.access import status as gate
from opennrm.api.context import request_actor
from opennrm.api.errors import error_response
from opennrm.api.pagination import CasePagination
from opennrm.audit.services import record
from opennrm.core.workflow import IllegalTransition
from opennrm.nrm.status import codes, deadlines, payment_services, queries, services
from opennrm.nrm.status import reflection_services as reflection
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.models import OneTimePayment, ReflectionPeriod, StatusApplication
from opennrm.nrm.status.validation import PURPOSE
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency

# --- output -------------------------------------------------------------------------------


class AgencyRefSerializer(serializers.Serializer[Agency]):
    id = serializers.UUIDField()
    name = serializers.CharField()


class StepSerializer(serializers.Serializer[Any]):
    action = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    on = serializers.DateField()
    at = serializers.DateTimeField()
    agency_id = serializers.UUIDField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    met_deadline = serializers.BooleanField(allow_null=True)


class PaymentSerializer(serializers.Serializer[OneTimePayment]):
    id = serializers.UUIDField()
    state = serializers.CharField()
    claimed_on = serializers.DateField()
    category = serializers.CharField()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    minimum_amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    multiplier = serializers.IntegerField()
    minimum_from = serializers.DateField()
    multiplier_from = serializers.DateField()
    table_source = serializers.CharField()
    table_verify = serializers.BooleanField()
    due_on = serializers.DateField()
    paid_on = serializers.DateField(allow_null=True)
    met_deadline = serializers.BooleanField(allow_null=True)


class DeadlineSerializer(serializers.Serializer[Any]):
    step = serializers.CharField()
    due_on = serializers.DateField()
    standing = serializers.CharField()
    days = serializers.IntegerField(allow_null=True)
    unit = serializers.CharField()
    legal_source = serializers.CharField()
    verify = serializers.BooleanField(help_text="To verify against the official text.")


class ApplicationSerializer(serializers.Serializer[StatusApplication]):
    id = serializers.UUIDField()
    case_id = serializers.UUIDField()
    case_reference = serializers.CharField(source="case.reference")
    state = serializers.ChoiceField(choices=list(wf.STATES))
    outcome = serializers.SerializerMethodField()
    journal_number = serializers.CharField()
    applied_on = serializers.DateField()
    applicant = serializers.CharField()
    interpreter = serializers.BooleanField()
    documents = serializers.ListField(child=serializers.CharField())
    missing_documents = serializers.ListField(child=serializers.CharField())
    receiving_agency = AgencyRefSerializer()
    oblast_agency = AgencyRefSerializer(allow_null=True)
    national_agency = AgencyRefSerializer(allow_null=True)
    interview_mode = serializers.CharField()
    interviewed_on = serializers.DateField(allow_null=True)
    waiver_reason = serializers.CharField()
    forwarded_to_oblast_on = serializers.DateField(allow_null=True)
    forwarded_to_national_on = serializers.DateField(allow_null=True)
    decision = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)
    decision_reason = serializers.CharField()
    certificate_number = serializers.CharField()
    certificate_issued_on = serializers.DateField(allow_null=True)
    certificate_valid_until = serializers.DateField(allow_null=True)
    appealed_on = serializers.DateField(allow_null=True)
    court_outcome = serializers.CharField()
    court_decided_on = serializers.DateField(allow_null=True)
    revoked_on = serializers.DateField(allow_null=True)
    revocation_reason = serializers.CharField()
    withdrawn_on = serializers.DateField(allow_null=True)
    deadlines = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    steps = StepSerializer(many=True, source="steps.all")
    payment = serializers.SerializerMethodField()

    def get_outcome(self, app: StatusApplication) -> str:
        return wf.OUTCOME[app.state]

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, app: StatusApplication) -> list[dict[str, Any]]:
        today = timezone.localdate()
        pairs = []
        if app.due_step and app.due_on:
            pairs.append((app.due_step, app.due_on))
        if app.overall_due_on and app.state in wf.BEFORE_DECISION:
            pairs.append((deadlines.OVERALL, app.overall_due_on))
        rows = []
        for step, due in pairs:
            rule = deadlines.rule(step)
            rows.append(
                {
                    "step": step,
                    "due_on": due.isoformat(),
                    "standing": deadlines.standing(due, today),
                    "days": rule.days,
                    "unit": rule.unit,
                    "legal_source": rule.source,
                    "verify": rule.verify,
                }
            )
        return rows

    def get_allowed_actions(self, app: StatusApplication) -> list[str]:
        actor = self.context.get("actor")
        if actor is None:
            return []
        return [t.action for t in gate.allowed_transitions(actor, app)]

    @extend_schema_field(PaymentSerializer(allow_null=True))
    def get_payment(self, app: StatusApplication) -> Any:
        payment = OneTimePayment.objects.filter(application=app).first()
        return PaymentSerializer(payment).data if payment else None


class ReflectionPeriodSerializer(serializers.Serializer[ReflectionPeriod]):
    id = serializers.UUIDField()
    case_id = serializers.UUIDField()
    starts_on = serializers.DateField()
    days = serializers.IntegerField()
    ends_on = serializers.DateField()
    ended_early_on = serializers.DateField(allow_null=True)
    ended_early_reason = serializers.CharField()
    days_left = serializers.SerializerMethodField()

    def get_days_left(self, period: ReflectionPeriod) -> int | None:
        today = timezone.localdate()
        return (period.ends_on - today).days + 1 if period.is_active_on(today) else None


class ErrorSerializer(serializers.Serializer[Any]):
    error = serializers.DictField(help_text="{code, message, fields?}")


# --- input ---------------------------------------------------------------------------------


def _choice(values: codes.StatusCodes) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=list(values.values))


class RegisterSerializer(serializers.Serializer[Any]):
    journal_number = serializers.CharField(max_length=40)
    applied_on = serializers.DateField()
    applicant = serializers.ChoiceField(choices=list(codes.APPLICANT.values), default="Self")
    interpreter = serializers.BooleanField(default=False)
    documents = serializers.ListField(child=_choice(codes.DOCUMENTS), default=list)


class DocumentsSerializer(serializers.Serializer[Any]):
    documents = serializers.ListField(child=_choice(codes.DOCUMENTS))


class InterviewSerializer(serializers.Serializer[Any]):
    interviewed_on = serializers.DateField()
    consent_recorded = serializers.BooleanField(
        help_text="The questionnaire recorded the person's consent first (required)."
    )
    nondisclosure_signed = serializers.BooleanField()


class WaiverSerializer(serializers.Serializer[Any]):
    waived_on = serializers.DateField()
    reason = _choice(codes.WAIVER_REASON)


class ForwardSerializer(serializers.Serializer[Any]):
    to_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.filter(is_active=True))
    forwarded_on = serializers.DateField(required=False)


class GrantSerializer(serializers.Serializer[Any]):
    decided_on = serializers.DateField()
    certificate_number = serializers.CharField(max_length=40)
    certificate_issued_on = serializers.DateField()
    certificate_valid_until = serializers.DateField(help_text="At most two years after issue.")


class RefuseSerializer(serializers.Serializer[Any]):
    decided_on = serializers.DateField()
    reason = _choice(codes.REFUSAL_REASON)


class ReturnSerializer(serializers.Serializer[Any]):
    decided_on = serializers.DateField()
    reason = _choice(codes.RETURN_REASON)


class ExtendSerializer(serializers.Serializer[Any]):
    extended_on = serializers.DateField()
    valid_until = serializers.DateField()


class RevokeSerializer(serializers.Serializer[Any]):
    revoked_on = serializers.DateField()
    reason = _choice(codes.REVOCATION_REASON)


class AppealSerializer(serializers.Serializer[Any]):
    appealed_on = serializers.DateField()


class CourtOutcomeSerializer(serializers.Serializer[Any]):
    court_decided_on = serializers.DateField()


class WithdrawSerializer(serializers.Serializer[Any]):
    withdrawn_on = serializers.DateField()


class ClaimSerializer(serializers.Serializer[Any]):
    claimed_on = serializers.DateField()
    category = _choice(codes.PAYMENT_CATEGORY)


class PaySerializer(serializers.Serializer[Any]):
    paid_on = serializers.DateField()


class ReflectionStartSerializer(serializers.Serializer[Any]):
    starts_on = serializers.DateField()
    days = serializers.IntegerField(min_value=1, max_value=365)


class ReflectionEndSerializer(serializers.Serializer[Any]):
    ended_on = serializers.DateField()
    reason = _choice(codes.REFLECTION_END_REASON)


# The input and the service of each transition of the table.
TRANSITIONS: dict[str, tuple[type[serializers.Serializer[Any]], Callable[..., Any]]] = {
    wf.RECORD_INTERVIEW: (InterviewSerializer, services.record_interview),
    wf.WAIVE_INTERVIEW: (WaiverSerializer, services.waive_interview),
    wf.FORWARD_TO_OBLAST: (ForwardSerializer, services.forward_to_oblast),
    wf.FORWARD_TO_NATIONAL: (ForwardSerializer, services.forward_to_national),
    wf.GRANT: (GrantSerializer, services.grant_status),
    wf.REFUSE: (RefuseSerializer, services.refuse_status),
    wf.RETURN_INCOMPLETE: (ReturnSerializer, services.return_incomplete),
    wf.EXTEND: (ExtendSerializer, services.extend_certificate),
    wf.REVOKE: (RevokeSerializer, services.revoke_status),
    wf.LODGE_APPEAL: (AppealSerializer, services.lodge_appeal),
    wf.COURT_ANNULS_REFUSAL: (CourtOutcomeSerializer, services.court_annuls_refusal),
    wf.COURT_UPHOLDS_REFUSAL: (CourtOutcomeSerializer, services.court_upholds_refusal),
    wf.WITHDRAW: (WithdrawSerializer, services.withdraw_application),
}

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


def illegal(exc: IllegalTransition) -> Response:
    return error_response(
        "illegal_transition",
        str(exc),
        status.HTTP_409_CONFLICT,
        state=exc.state,
        action=exc.action,
    )


def invalid(exc: ValidationError) -> Response:
    return error_response("invalid", "The request has invalid fields.", fields=exc.message_dict)


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
    except IllegalTransition as exc:
        return illegal(exc)
    except ValidationError as exc:
        return invalid(exc)
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
    input_class, service = TRANSITIONS[action]

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
                return illegal(exc)
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


TRANSITION_VIEWS = {action: _transition_endpoint(action) for action in TRANSITIONS}


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
