"""Serializers of the justice API: a proceeding as it is shown (suspects' identities only to
those who see suspects, participants by case id and reference, never a name), and the input of
each write (field names are the keyword arguments of `justice.services`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opennrm.access import justice as gate
from opennrm.access import policy
from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.justice import queries
from opennrm.justice import workflow as wf
from opennrm.justice.models import (
    Compensation,
    Hearing,
    Judgment,
    NonPunishment,
    Participant,
    Proceeding,
    ProtectionMeasure,
    Suspect,
)
from opennrm.justice.suspects import open_identity
from opennrm.tenancy.models import Agency

DEADLINE_SOURCE = "Criminal Procedure Code of Ukraine art. 219 part 1"

# --- output -------------------------------------------------------------------------------


class JusticeAgencySerializer(serializers.Serializer[Agency]):
    id = serializers.UUIDField()
    name = serializers.CharField()


class InvestigationTermSerializer(serializers.Serializer[Any]):
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()
    months = serializers.IntegerField()
    counted_from = serializers.ChoiceField(choices=["registration", "notice_of_suspicion"])
    legal_source = serializers.CharField()


def deadline_of(proceeding: Proceeding) -> dict[str, Any] | None:
    due = queries.investigation_deadline(proceeding)
    if due is None:
        return None
    after_suspicion = proceeding.suspicion_notified_on is not None
    return {
        "due_on": due,
        "overdue": due < timezone.localdate(),
        "months": settings.OPENNRM_JUSTICE_INVESTIGATION_MONTHS
        if after_suspicion
        else settings.OPENNRM_JUSTICE_PRE_SUSPICION_MONTHS,
        "counted_from": "notice_of_suspicion" if after_suspicion else "registration",
        "legal_source": DEADLINE_SOURCE,
    }


class ProceedingRowSerializer(serializers.Serializer[Proceeding]):
    id = serializers.UUIDField()
    erdr_number = serializers.CharField()
    registered_on = serializers.DateField()
    article = serializers.CharField(help_text="Code of the list cc_article (Criminal Code).")
    stage = serializers.ChoiceField(choices=list(wf.STATES))
    stage_since = serializers.DateField()
    suspicion_notified_on = serializers.DateField(allow_null=True)
    closure_ground = serializers.CharField()
    registering_agency = JusticeAgencySerializer()
    prosecution_agency = JusticeAgencySerializer(allow_null=True)
    court = JusticeAgencySerializer(allow_null=True)
    investigation_deadline = serializers.SerializerMethodField()
    next_hearing = serializers.SerializerMethodField()

    @extend_schema_field(InvestigationTermSerializer(allow_null=True))
    def get_investigation_deadline(self, p: Proceeding) -> Any:
        deadline = deadline_of(p)
        return InvestigationTermSerializer(deadline).data if deadline else None

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_next_hearing(self, p: Proceeding) -> Any:
        if hasattr(p, "next_hearing"):
            value = p.next_hearing
        else:
            today = timezone.localdate()
            value = min((h.on for h in p.hearings.all() if h.on >= today), default=None)
        return value.isoformat() if value else None


class QualificationSerializer(serializers.Serializer[Any]):
    article = serializers.CharField()
    since = serializers.DateField()


class StageStepSerializer(serializers.Serializer[Any]):
    action = serializers.CharField()
    from_stage = serializers.CharField()
    to_stage = serializers.CharField()
    on = serializers.DateField()


class ProtectionSerializer(serializers.Serializer[ProtectionMeasure]):
    id = serializers.UUIDField()
    participant_id = serializers.UUIDField()
    measure = serializers.CharField()
    requested_on = serializers.DateField()
    decision = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)


class CompensationSerializer(serializers.Serializer[Compensation]):
    id = serializers.UUIDField()
    participant_id = serializers.UUIDField()
    route = serializers.CharField()
    claimed_uah = serializers.DecimalField(max_digits=12, decimal_places=2)
    awarded_uah = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    paid_uah = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)


class ParticipantSerializer(serializers.Serializer[Participant]):
    id = serializers.UUIDField()
    case_id = serializers.UUIDField()
    case_reference = serializers.CharField(source="case.reference")
    role = serializers.CharField()
    willing_to_testify = serializers.BooleanField(allow_null=True)
    questioned_on = serializers.DateField(allow_null=True)
    questioning_mode = serializers.CharField()
    protection = ProtectionSerializer(many=True, source="protection.all")
    compensation = CompensationSerializer(many=True, source="compensation.all")


class SuspectIdentitySerializer(serializers.Serializer[Any]):
    family_name = serializers.CharField()
    first_name = serializers.CharField()
    middle_name = serializers.CharField()
    birth_date = serializers.CharField(help_text="YYYY-MM-DD or YYYY")
    aliases = serializers.ListField(child=serializers.CharField())


class SuspectSerializer(serializers.Serializer[Suspect]):
    id = serializers.UUIDField()
    role = serializers.CharField()
    status = serializers.CharField()
    gender = serializers.CharField()
    citizenship = serializers.CharField()
    identity = serializers.SerializerMethodField(
        help_text="Only for roles that see suspects (suspect.view); otherwise null."
    )

    @extend_schema_field(SuspectIdentitySerializer(allow_null=True))
    def get_identity(self, suspect: Suspect) -> Any:
        actor = self.context.get("actor")
        if actor is None or not gate.sees_suspects(actor):
            return None
        identity = open_identity(suspect)
        return SuspectIdentitySerializer(identity).data


class HearingSerializer(serializers.Serializer[Hearing]):
    id = serializers.UUIDField()
    on = serializers.DateField()
    outcome = serializers.CharField()


class JudgmentSerializer(serializers.Serializer[Judgment]):
    id = serializers.UUIDField()
    suspect_id = serializers.UUIDField()
    decided_on = serializers.DateField()
    verdict = serializers.CharField()
    sentence_type = serializers.CharField()
    sentence_months = serializers.IntegerField(allow_null=True)
    confiscation = serializers.BooleanField()


class NonPunishmentSerializer(serializers.Serializer[NonPunishment]):
    id = serializers.UUIDField()
    case_id = serializers.UUIDField()
    case_reference = serializers.CharField(source="case.reference")
    liability = serializers.CharField()
    requested_on = serializers.DateField()
    outcome = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)


class ProceedingSerializer(ProceedingRowSerializer):
    qualifications = QualificationSerializer(many=True, source="qualifications.all")
    steps = StageStepSerializer(many=True, source="steps.all")
    participants = ParticipantSerializer(many=True, source="participants.all")
    suspects = SuspectSerializer(many=True, source="suspects.all")
    hearings = HearingSerializer(many=True, source="hearings.all")
    judgments = JudgmentSerializer(many=True, source="judgments.all")
    non_punishment = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField(
        help_text="Stage steps the caller's side may take now (POST /proceedings/{id}/<action>/)."
    )

    @extend_schema_field(NonPunishmentSerializer(many=True))
    def get_non_punishment(self, p: Proceeding) -> Any:
        items = NonPunishment.objects.filter(proceeding=p).select_related("case")
        return NonPunishmentSerializer(items.order_by("requested_on"), many=True).data  # type: ignore[arg-type]

    def get_allowed_actions(self, p: Proceeding) -> list[str]:
        actor = self.context.get("actor")
        if actor is None:
            return []
        return [
            t.action
            for t in wf.WORKFLOW.available(p.stage, policy.permissions(actor))
            if gate.may(actor, p, t.permission)
        ]


class JusticeErrorSerializer(serializers.Serializer[Any]):
    error = serializers.DictField(help_text="{code, message, fields?}")


# --- input ---------------------------------------------------------------------------------


def _code(list_name: str, **kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=list(code_list(list_name).values), **kwargs)


class RegisterProceedingSerializer(serializers.Serializer[Any]):
    erdr_number = serializers.CharField(
        max_length=40, help_text="17 digits; digits 2-5 are the year of registration."
    )
    registered_on = serializers.DateField()
    article = _code(codes.CC_ARTICLE)
    prosecution_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True), required=False, allow_null=True
    )


class RequalifySerializer(serializers.Serializer[Any]):
    article = _code(codes.CC_ARTICLE)
    since = serializers.DateField()


class StageStepInputSerializer(serializers.Serializer[Any]):
    on = serializers.DateField()


class CloseProceedingSerializer(StageStepInputSerializer):
    closure_ground = _code(codes.CLOSURE_GROUND, help_text="Criminal Procedure Code art. 284")


class IndictmentSerializer(StageStepInputSerializer):
    court = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True), help_text="An agency of kind Court."
    )


# The input of each transition of the stage table.
INPUTS: dict[str, type[StageStepInputSerializer]] = {
    t.action: StageStepInputSerializer for t in wf.WORKFLOW.transitions
} | {
    wf.CLOSE: CloseProceedingSerializer,
    wf.SEND_INDICTMENT: IndictmentSerializer,
}


class ParticipantInputSerializer(serializers.Serializer[Any]):
    case_id = serializers.UUIDField(
        help_text="A case the caller's agency owns or sees through a share for CriminalProceedings."
    )
    role = _code(codes.PROCEDURAL_ROLE)
    willing_to_testify = serializers.BooleanField(required=False, allow_null=True, default=None)
    questioned_on = serializers.DateField(required=False, allow_null=True, default=None)
    questioning_mode = _code(codes.QUESTIONING_MODE, required=False, allow_blank=True, default="")


class SuspectInputSerializer(serializers.Serializer[Any]):
    family_name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    middle_name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    birth_date = serializers.RegexField(
        r"^\d{4}(-\d{2}-\d{2})?$", required=False, allow_blank=True, default=""
    )
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, default=list
    )
    role = _code(codes.CRIME_ROLE)
    gender = _code(codes.GENDER, required=False, default="NonSpecifiedUnknown")
    citizenship = _code(codes.COUNTRY, required=False, allow_blank=True, default="")


class HearingInputSerializer(serializers.Serializer[Any]):
    on = serializers.DateField()


# `outcome` and `decision` are plain strings checked by the service: an enum here would rename
# the schema's other enums of fields with these names.
class HearingOutcomeSerializer(serializers.Serializer[Any]):
    outcome = serializers.CharField(help_text="A code of the list hearing_outcome.")


class JudgmentInputSerializer(serializers.Serializer[Any]):
    suspect_id = serializers.UUIDField(help_text="A suspect of this proceeding.")
    decided_on = serializers.DateField()
    verdict = _code(codes.VERDICT)
    sentence_type = _code(codes.SENTENCE_TYPE, required=False, allow_blank=True, default="")
    sentence_months = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, default=None
    )
    confiscation = serializers.BooleanField(required=False, default=False)


class ProtectionInputSerializer(serializers.Serializer[Any]):
    participant_id = serializers.UUIDField(help_text="A participant of this proceeding.")
    measure = _code(codes.PROTECTION_MEASURE)
    requested_on = serializers.DateField()


class ProtectionDecisionSerializer(serializers.Serializer[Any]):
    decision = serializers.CharField(help_text="Granted or Refused.")
    decided_on = serializers.DateField()
    valid_from = serializers.DateField(required=False, allow_null=True, default=None)
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)


class CompensationInputSerializer(serializers.Serializer[Any]):
    participant_id = serializers.UUIDField(help_text="A participant of this proceeding.")
    route = _code(codes.COMPENSATION_ROUTE)
    claimed_uah = serializers.DecimalField(max_digits=12, decimal_places=2)
    awarded_uah = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, default=None
    )
    paid_uah = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, default=None
    )


class NonPunishmentInputSerializer(serializers.Serializer[Any]):
    participant_id = serializers.UUIDField(
        help_text="The participant whose release from liability is requested."
    )
    liability = _code(codes.LIABILITY_KIND)
    requested_on = serializers.DateField()


class NonPunishmentDecisionSerializer(serializers.Serializer[Any]):
    outcome = serializers.CharField(help_text="Released or Refused.")
    decided_on = serializers.DateField()
