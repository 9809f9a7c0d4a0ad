"""Serializers of the perpetrators API: a perpetrator as investigators see it (identity and
identifiers decrypted, card numbers masked), only the proceedings and cases the caller sees;
an alert naming the other record only when the caller may see it; the MLA requests."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.justice.identifiers import masked
from opennrm.justice.perpetrator_services import mla_overdue
from opennrm.justice.perpetrator_vault import open_identity, open_value
from opennrm.justice.perpetrators import Identifier, MlaRequest, Perpetrator

OTHER_UNIT = "Known in another unit's record: contact the coordinator."


def _choices(list_name: str) -> list[str]:
    return list(code_list(list_name).values)


# One name for the identifier kinds in the OpenAPI schema (SPECTACULAR_SETTINGS).
IDENTIFIER_KINDS = _choices(codes.IDENTIFIER_KIND)


class PerpetratorErrorSerializer(serializers.Serializer[Any]):
    error = serializers.DictField()


class IdentityField(serializers.Serializer[Any]):
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    family_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    middle_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    birth_date = serializers.CharField(required=False, allow_blank=True, max_length=10)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=20
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=500)


class IdentifierInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=IDENTIFIER_KINDS)
    value = serializers.CharField(max_length=200, trim_whitespace=False)


class IdentifierSerializer(serializers.Serializer[Identifier]):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    value = serializers.SerializerMethodField(
        method_name="shown_value",
        help_text="The normal form; a bank card shows its last four digits only.",
    )

    def shown_value(self, identifier: Identifier) -> str:
        return masked(identifier.kind, open_value(identifier))


class PerpetratorSerializer(serializers.Serializer[Perpetrator]):
    id = serializers.UUIDField()
    agency = serializers.SerializerMethodField()
    identity = serializers.SerializerMethodField()
    gender = serializers.CharField()
    citizenship = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField(), help_text="crime_role codes")
    modus_operandi = serializers.ListField(
        child=serializers.CharField(), help_text="modus_operandi codes"
    )
    organised_group = serializers.BooleanField()
    relation_to_victim = serializers.CharField()
    identifiers = IdentifierSerializer(many=True)
    proceeding_ids = serializers.SerializerMethodField()
    case_ids = serializers.SerializerMethodField()
    recorded_at = serializers.DateTimeField()

    def get_agency(self, perpetrator: Perpetrator) -> dict[str, str]:
        return {"id": str(perpetrator.agency_id), "name": perpetrator.agency.name}

    def get_identity(self, perpetrator: Perpetrator) -> dict[str, Any]:
        identity = open_identity(perpetrator)
        return {
            "first_name": identity.first_name,
            "family_name": identity.family_name,
            "middle_name": identity.middle_name,
            "birth_date": identity.birth_date,
            "aliases": identity.aliases,
            "description": identity.description,
        }

    def get_proceeding_ids(self, perpetrator: Perpetrator) -> list[str]:
        visible = self.context["proceeding_ids"]
        return sorted(str(p.id) for p in perpetrator.proceedings.all() if p.id in visible)

    def get_case_ids(self, perpetrator: Perpetrator) -> list[str]:
        visible = self.context["case_ids"]
        return sorted(str(c.id) for c in perpetrator.cases.all() if c.id in visible)


class PerpetratorInputSerializer(serializers.Serializer[Any]):
    identity = IdentityField()
    gender = serializers.CharField(required=False, default="NonSpecifiedUnknown")
    citizenship = serializers.CharField(required=False, allow_blank=True, default="")
    roles = serializers.ListField(child=serializers.CharField(max_length=32), max_length=10)
    modus_operandi = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, default=list, max_length=20
    )
    organised_group = serializers.BooleanField(required=False, default=False)
    relation_to_victim = serializers.CharField(required=False, allow_blank=True, default="")
    identifiers = IdentifierInputSerializer(many=True, required=False, default=list)
    proceeding_ids = serializers.ListField(
        child=serializers.UUIDField(), required=False, default=list, max_length=20
    )
    case_ids = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        default=list,
        max_length=50,
        help_text="Cases whose victim named this person (owned or shared for criminal "
        "proceedings).",
    )


class SearchSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=IDENTIFIER_KINDS)
    value = serializers.CharField(max_length=200, trim_whitespace=False)


class RecordRefSerializer(serializers.Serializer[Any]):
    type = serializers.ChoiceField(choices=["perpetrator", "case", "proceeding"])
    id = serializers.UUIDField()


class AlertSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    kind = serializers.CharField(help_text="identifier_kind code")
    raised_at = serializers.DateTimeField()
    seen_at = serializers.DateTimeField(allow_null=True)
    known = RecordRefSerializer(allow_null=True, help_text="The caller's own (older) record.")
    new = RecordRefSerializer(
        allow_null=True, help_text="The record that carries the same identifier, if visible."
    )
    message = serializers.CharField(allow_blank=True)


class TextUUIDField(serializers.UUIDField):
    """A UUID written as text only (DRF's field takes a number, or a JSON boolean as one)."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)


class AlertsSeenSerializer(serializers.Serializer[Any]):
    ids = serializers.ListField(
        child=TextUUIDField(),
        required=False,
        max_length=500,
        help_text="The alerts to mark; without it every new alert of the caller.",
    )


class AlertsSeenResultSerializer(serializers.Serializer[Any]):
    marked = serializers.IntegerField(help_text="How many alerts were new and are now seen.")


class MlaSerializer(serializers.Serializer[MlaRequest]):
    id = serializers.UUIDField()
    direction = serializers.CharField()
    request_type = serializers.CharField()
    country = serializers.CharField()
    central_authority = serializers.CharField()
    proceeding_id = serializers.UUIDField(allow_null=True)
    partner_agency = serializers.SerializerMethodField()
    sent_on = serializers.DateField(allow_null=True)
    received_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    answered_on = serializers.DateField(allow_null=True)
    overdue = serializers.SerializerMethodField()

    def get_partner_agency(self, request: MlaRequest) -> dict[str, str] | None:
        agency = request.partner_agency
        if agency is None:
            return None
        return {"id": str(agency.id), "name": agency.name, "country": agency.country}

    def get_overdue(self, request: MlaRequest) -> bool:
        return mla_overdue(request, timezone.localdate())


class MlaInputSerializer(serializers.Serializer[Any]):
    direction = serializers.ChoiceField(choices=_choices(codes.MLA_DIRECTION))
    request_type = serializers.ChoiceField(choices=_choices(codes.MLA_TYPE))
    country = serializers.CharField(max_length=2)
    central_authority = serializers.ChoiceField(choices=_choices(codes.CENTRAL_AUTHORITY))
    proceeding_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    partner_agency_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    sent_on = serializers.DateField(required=False, allow_null=True, default=None)
    received_on = serializers.DateField(required=False, allow_null=True, default=None)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    answered_on = serializers.DateField(required=False, allow_null=True, default=None)


class MlaAnswerSerializer(serializers.Serializer[Any]):
    answered_on = serializers.DateField()
