"""Output serializers (cases) and input shapes (HTCDS import) for the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from opennrm.cases.models import Case
from opennrm.core import codes
from opennrm.people.identity import open_identity

# One name for the HTCDS gender choice set in the OpenAPI schema (SPECTACULAR_SETTINGS).
GENDER_VALUES = list(codes.code_list(codes.GENDER).values)


class CaseListItemSerializer(serializers.Serializer[Case]):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    full_name = serializers.SerializerMethodField()
    identified_on = serializers.DateField()
    identification_country = serializers.CharField()
    identification_oblast = serializers.CharField()
    status = serializers.CharField()
    types_of_exploitation = serializers.SerializerMethodField()
    owner_agency = serializers.CharField(source="owner_agency.name")

    def get_full_name(self, case: Case) -> str:
        names = open_identity(case.person, columns=("first_name", "middle_name", "family_name"))
        return names.full_name

    def get_types_of_exploitation(self, case: Case) -> list[str]:
        return case.codes_of(codes.EXPLOITATION)


class EventSerializer(serializers.Serializer[Any]):
    type = serializers.CharField()
    country = serializers.CharField()
    oblast = serializers.CharField()
    started_on = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)


class CaseDetailSerializer(CaseListItemSerializer):
    person = serializers.SerializerMethodField()
    channel = serializers.CharField()
    trafficking_status = serializers.CharField()
    age_at_identification = serializers.IntegerField(allow_null=True)
    age_band = serializers.CharField()
    closure_reason = serializers.CharField()
    codes = serializers.SerializerMethodField()
    events = EventSerializer(many=True)

    def get_person(self, case: Case) -> dict[str, Any]:
        identity = open_identity(case.person)
        return {
            "id": str(case.person.id),
            "first_name": identity.first_name,
            "middle_name": identity.middle_name,
            "family_name": identity.family_name,
            "aliases": identity.aliases,
            "birth_date": identity.birth_date.isoformat(),
            "gender": case.person.gender,
            "citizenships": case.person.citizenships,
            "is_idp": case.person.is_idp,
            "origin_oblast": case.person.origin_oblast,
        }

    def get_codes(self, case: Case) -> dict[str, list[str]]:
        from opennrm.cases.models import MULTI_CODE_LISTS

        return {name: case.codes_of(name) for name in MULTI_CODE_LISTS}


class HtcdsRecordSerializer(serializers.Serializer[Any]):
    """Documents the record shape; the import itself is validated by `cases.htcds`."""

    prs_FirstName = serializers.CharField(required=False)
    prs_MiddleName = serializers.CharField(required=False)
    prs_SecondName = serializers.CharField(required=False)
    prs_Birthdate = serializers.CharField(required=False, help_text="YYYY-MM-DD or YYYY")
    prs_Gender = serializers.ChoiceField(choices=GENDER_VALUES, required=False)
    prs_Citizenship = serializers.ListField(child=serializers.CharField(), required=False)
    vic_TypeOfExploitation = serializers.ListField(child=serializers.CharField())
    vic_TraffickingStatus = serializers.CharField(required=False)
    cas_Status = serializers.CharField(required=False)
    x_ua_IdentifiedOn = serializers.DateField()
    hte_Events = serializers.ListField(child=serializers.DictField(), required=False)


class HtcdsImportResultSerializer(serializers.Serializer[Any]):
    imported = serializers.IntegerField()
    case_ids = serializers.ListField(child=serializers.UUIDField())
