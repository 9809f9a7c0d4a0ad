"""Output serializers (cases) and input shapes (HTCDS import) for the OpenAPI schema."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opennrm.access.fields import SHARE_CATEGORIES
from opennrm.access.scope import FieldScope
from opennrm.cases.htcds import IDENTIFIED_FROM
from opennrm.cases.models import MULTI_CODE_LISTS, Case
from opennrm.core import codes
from opennrm.justice.queries import milestones
from opennrm.people.identity import open_identity

# One name for the HTCDS gender choice set in the OpenAPI schema (SPECTACULAR_SETTINGS).
GENDER_VALUES = list(codes.code_list(codes.GENDER).values)


class ScopedCaseSerializer(serializers.Serializer[Case]):
    """A case as the request's field scope shows it (`context["scope"]`, access.scope): a field
    whose data category does not show is null, and its value is never read or decrypted."""

    def to_representation(self, instance: Case) -> dict[str, Any]:
        scope: FieldScope = self.context["scope"]
        data: dict[str, Any] = {}
        for field in self._readable_fields:
            name = field.field_name
            assert name is not None
            if not scope.shows_field(instance, name):
                data[name] = None
                continue
            attribute = field.get_attribute(instance)
            data[name] = None if attribute is None else field.to_representation(attribute)
        return data


class CaseListItemSerializer(ScopedCaseSerializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    shown_categories = serializers.SerializerMethodField(
        help_text="The data categories of this case shown to the caller (docs/permissions.md)"
    )
    full_name = serializers.SerializerMethodField(allow_null=True)
    identified_on = serializers.DateField(allow_null=True)
    identification_country = serializers.CharField(allow_null=True)
    identification_oblast = serializers.CharField(allow_null=True)
    status = serializers.CharField()
    types_of_exploitation = serializers.SerializerMethodField(allow_null=True)
    owner_agency = serializers.CharField(source="owner_agency.name")

    def get_shown_categories(self, case: Case) -> list[str]:
        scope: FieldScope = self.context["scope"]
        return sorted(scope.categories(case) & SHARE_CATEGORIES)

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


class PersonSerializer(serializers.Serializer[Any]):
    """The person's identity: each field null where its data category does not show."""

    person_id = serializers.UUIDField(allow_null=True)
    first_name = serializers.CharField(allow_null=True)
    middle_name = serializers.CharField(allow_null=True)
    family_name = serializers.CharField(allow_null=True)
    aliases = serializers.ListField(child=serializers.CharField(), allow_null=True)
    birth_date = serializers.CharField(allow_null=True)
    gender = serializers.ChoiceField(choices=GENDER_VALUES, allow_null=True)
    citizenships = serializers.ListField(child=serializers.CharField(), allow_null=True)
    is_idp = serializers.BooleanField(allow_null=True)
    origin_oblast = serializers.CharField(allow_null=True)
    origin_detail = serializers.CharField(allow_null=True)
    documents = serializers.ListField(child=serializers.DictField(), allow_null=True)
    rnokpp = serializers.CharField(allow_null=True)
    phones = serializers.ListField(child=serializers.CharField(), allow_null=True)
    email = serializers.CharField(allow_null=True)
    place_of_stay = serializers.CharField(allow_null=True)
    vulnerability_details = serializers.CharField(allow_null=True)


class MilestoneSerializer(serializers.Serializer[Any]):
    erdr_number = serializers.CharField()
    article = serializers.CharField()
    stage = serializers.CharField()
    role = serializers.CharField()
    next_hearing = serializers.DateField(allow_null=True)
    protection = serializers.CharField()


class CaseDetailSerializer(CaseListItemSerializer):
    person = serializers.SerializerMethodField(allow_null=True)
    channel = serializers.CharField(allow_null=True)
    trafficking_status = serializers.CharField(allow_null=True)
    age_at_identification = serializers.IntegerField(allow_null=True)
    age_band = serializers.CharField(allow_null=True)
    closure_reason = serializers.CharField()
    codes = serializers.SerializerMethodField()
    events = EventSerializer(many=True, allow_null=True)
    proceedings = serializers.SerializerMethodField(
        allow_null=True,
        help_text="Criminal proceedings the person takes part in (the Justice category)",
    )

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_person(self, case: Case) -> dict[str, Any] | None:
        scope: FieldScope = self.context["scope"]
        if not scope.shows_person(case):
            return None
        identity = open_identity(case.person)
        person = case.person
        values: dict[str, Any] = {
            "person_id": str(person.id),
            "first_name": identity.first_name,
            "middle_name": identity.middle_name,
            "family_name": identity.family_name,
            "aliases": identity.aliases,
            "birth_date": identity.birth_date.isoformat(),
            "gender": person.gender,
            "citizenships": person.citizenships,
            "is_idp": person.is_idp,
            "origin_oblast": person.origin_oblast,
            "origin_detail": identity.origin_detail,
            "documents": [d.to_json() for d in identity.documents],
            "rnokpp": identity.rnokpp,
            "phones": identity.phones,
            "email": identity.email,
            "place_of_stay": identity.place_of_stay,
            "vulnerability_details": identity.vulnerability_details,
        }
        shown = scope.redact(case, values)
        return {name: shown.get(name) for name in values}

    @extend_schema_field(MilestoneSerializer(many=True, allow_null=True))
    def get_proceedings(self, case: Case) -> list[dict[str, Any]]:
        return [
            {**asdict(m), "next_hearing": m.next_hearing.isoformat() if m.next_hearing else None}
            for m in milestones(case, timezone.localdate())
        ]

    def get_codes(self, case: Case) -> dict[str, list[str]]:
        scope: FieldScope = self.context["scope"]
        return scope.codes(case, MULTI_CODE_LISTS)


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
    x_ua_IdentifiedOn = serializers.DateField(
        required=False,
        help_text="an extension; when absent the earliest known date (hte_Date, "
        "cas_IncomingReferralDate) or the import date is used, and the answer says which",
    )
    x_ua_CaseId = serializers.UUIDField(
        required=False, help_text="the case id on export; ignored on import (cas_Id too)"
    )
    hte_Events = serializers.ListField(child=serializers.DictField(), required=False)
    spl_SupportPlans = serializers.ListField(child=serializers.DictField(), required=False)


class HtcdsImportedRecordSerializer(serializers.Serializer[Any]):
    index = serializers.IntegerField()
    x_ua_CaseId = serializers.UUIDField()
    x_ua_IdentifiedOn = serializers.DateField()
    identified_from = serializers.ChoiceField(
        choices=list(IDENTIFIED_FROM),
        help_text="where the identification date came from: the record's own "
        "x_ua_IdentifiedOn, the earliest trafficking event (hte_Date), the incoming referral "
        "date, or the import date",
    )
    not_kept = serializers.ListField(
        child=serializers.CharField(),
        help_text="standard fields given with a value that OpenNRM does not keep",
    )


class HtcdsImportResultSerializer(serializers.Serializer[Any]):
    imported = serializers.IntegerField()
    case_ids = serializers.ListField(child=serializers.UUIDField())
    records = HtcdsImportedRecordSerializer(many=True)
