"""Serializers of the status procedure's API: the application as it is shown, the input of
each action (`INPUTS`, one per row of `nrm.status.actions.ACTIONS`, with exactly its fields)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opennrm.access import status as gate
from opennrm.nrm.status import codes, deadlines, queries
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.models import OneTimePayment, ReflectionPeriod, StatusApplication
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
    # A decision's outcome on the case: its HTCDS trafficking status and deciding organisation.
    case_outcome = serializers.CharField()
    trafficking_status = serializers.CharField()
    status_decision_org = serializers.CharField()


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
        return [
            {
                "step": d.rule.step,
                "due_on": d.due.isoformat(),
                "standing": d.standing,
                "days": d.rule.days,
                "unit": d.rule.unit,
                "legal_source": d.rule.source,
                "verify": d.rule.verify,
            }
            for d in deadlines.open_deadlines(app, timezone.localdate())
        ]

    def get_allowed_actions(self, app: StatusApplication) -> list[str]:
        actor = self.context.get("actor")
        if actor is None:
            return []
        return [t.action for t in gate.allowed_transitions(actor, app)]

    @extend_schema_field(PaymentSerializer(allow_null=True))
    def get_payment(self, app: StatusApplication) -> Any:
        payment = queries.payment_of(app)
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


# The input of each transition of the table.
INPUTS: dict[str, type[serializers.Serializer[Any]]] = {
    wf.RECORD_INTERVIEW: InterviewSerializer,
    wf.WAIVE_INTERVIEW: WaiverSerializer,
    wf.FORWARD_TO_OBLAST: ForwardSerializer,
    wf.FORWARD_TO_NATIONAL: ForwardSerializer,
    wf.GRANT: GrantSerializer,
    wf.REFUSE: RefuseSerializer,
    wf.RETURN_INCOMPLETE: ReturnSerializer,
    wf.EXTEND: ExtendSerializer,
    wf.REVOKE: RevokeSerializer,
    wf.LODGE_APPEAL: AppealSerializer,
    wf.COURT_ANNULS_REFUSAL: CourtOutcomeSerializer,
    wf.COURT_UPHOLDS_REFUSAL: CourtOutcomeSerializer,
    wf.WITHDRAW: WithdrawSerializer,
}
