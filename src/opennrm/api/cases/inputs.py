"""Case input of the API (create and update): the web form's fields and rules, as JSON.

The shape is the one the case detail shows (`person` nested, the facts at the top, `codes` by
code list, `events`), so a client can read a case, change it and send it back. The rules are
the web form's (`web.cases.forms.PersonCaseForm`): a name or an alias, at least one form of
exploitation, a document with its type and number; the service then checks every code and
date (`cases.services.validate_inputs`). A 400 names each refused field by its path:
`person.family_name`, `codes.ua_exploitation`, `events[0].country`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from opennrm.cases.models import MULTI_CODE_LISTS, Case
from opennrm.cases.services import (
    BIRTH_DATE_MESSAGES,
    CaseInput,
    EventInput,
    PersonInput,
    birth_date_parse_error,
)
from opennrm.core import codes
from opennrm.core.ages import PartialDate, birth_date_problem
from opennrm.people.identity import Identity, IdentityDocument


class DocumentInSerializer(serializers.Serializer[Any]):
    type = serializers.CharField(max_length=40, help_text="a code of the document_type list")
    number = serializers.CharField(max_length=40)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")


class PersonInSerializer(serializers.Serializer[Any]):
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    middle_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=20
    )
    birth_date = serializers.CharField(
        max_length=10, required=False, allow_blank=True, help_text="YYYY-MM-DD, YYYY-MM or YYYY"
    )
    gender = serializers.CharField(max_length=40, required=False)
    citizenships = serializers.ListField(
        child=serializers.CharField(max_length=2), required=False, max_length=10
    )
    is_idp = serializers.BooleanField(required=False)
    origin_oblast = serializers.CharField(max_length=8, required=False, allow_blank=True)
    origin_detail = serializers.CharField(max_length=300, required=False, allow_blank=True)
    documents = serializers.ListField(child=DocumentInSerializer(), required=False, max_length=10)
    rnokpp = serializers.CharField(max_length=10, required=False, allow_blank=True)
    phones = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=10
    )
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    place_of_stay = serializers.CharField(max_length=300, required=False, allow_blank=True)
    vulnerability_details = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    def validate_birth_date(self, value: str) -> str:
        """`DD.MM.YYYY`, `YYYY-MM-DD` or year-only forms; never in the future nor before 1900
        (the service also compares it with the date of identification)."""
        try:
            birth = PartialDate.parse(value.strip())
        except ValueError as exc:
            raise serializers.ValidationError(birth_date_parse_error(exc)) from None
        problem = birth_date_problem(birth, today=timezone.localdate())
        if problem:
            raise serializers.ValidationError(str(BIRTH_DATE_MESSAGES[problem]))
        return birth.isoformat()


class EventInSerializer(serializers.Serializer[Any]):
    type = serializers.CharField(max_length=40, help_text="a code of the event_type list")
    country = serializers.CharField(max_length=2)
    oblast = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")
    started_on = serializers.DateField(required=False, allow_null=True, default=None)
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)


class CaseInSerializer(serializers.Serializer[Any]):
    """A person with their case. On update (PATCH) the fields sent replace those of the case,
    `person` field by field and `codes` list by list; the result is checked as a whole."""

    person = PersonInSerializer()
    identified_on = serializers.DateField()
    identification_country = serializers.CharField(max_length=2, default=codes.UKRAINE)
    identification_oblast = serializers.CharField(
        max_length=8, required=False, allow_blank=True, default=""
    )
    channel = serializers.CharField(max_length=40, help_text="a code of the channel list")
    trafficking_status = serializers.CharField(max_length=40, default="PossibleVictimOfTrafficking")
    status_decision_org = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default=""
    )
    relationship_to_recruiter = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default=""
    )
    codes = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(max_length=80), max_length=40),
        required=False,
        help_text="codes by code list: " + ", ".join(MULTI_CODE_LISTS),
    )
    events = serializers.ListField(child=EventInSerializer(), required=False, max_length=12)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        person = attrs["person"]
        if not any(person.get(n) for n in ("first_name", "family_name", "aliases")):
            errors["person.family_name"] = [
                _("Give at least a first name, a family name or an alias.")
            ]
        given = attrs.get("codes") or {}
        for name in given:
            if name not in MULTI_CODE_LISTS:
                errors[f"codes.{name}"] = [_("Not a code list of a case.")]
        if not (given.get(codes.UA_EXPLOITATION) or given.get(codes.EXPLOITATION)):
            errors[f"codes.{codes.UA_EXPLOITATION}"] = [
                _("Choose at least one form of exploitation.")
            ]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


def flat_errors(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested errors as field paths: `person.first_name`, `events[0].type`."""
    if isinstance(errors, Mapping):
        flat: dict[str, list[str]] = {}
        for key, value in errors.items():
            name = "non_field" if key == "non_field_errors" else str(key)
            path = f"{prefix}.{name}" if prefix else name
            if name.isdigit():  # an item of a list
                path = f"{prefix}[{name}]"
            flat.update(flat_errors(value, path))
        return flat
    if isinstance(errors, list) and any(isinstance(e, Mapping | list) for e in errors):
        flat = {}
        for index, value in enumerate(errors):
            if value:
                flat.update(flat_errors(value, f"{prefix}[{index}]"))
        return flat
    return {prefix or "non_field": [str(e) for e in errors]}


# Service error keys that name a field of the person.
_PERSON_KEYS = frozenset(PersonInSerializer().fields) | {"mailing.country"}


def service_field(key: str) -> str:
    """The API path of a field a service's ValidationError names."""
    if key in _PERSON_KEYS:
        return f"person.{key}"
    if key in MULTI_CODE_LISTS:
        return f"codes.{key}"
    return key


def service_errors(exc: ValidationError) -> dict[str, list[str]]:
    if not hasattr(exc, "error_dict"):
        return {"non_field": exc.messages}
    return {service_field(k): v for k, v in exc.message_dict.items()}


def current(case: Case, identity: Identity) -> dict[str, Any]:
    """The case as input: what an update starts from."""
    person = case.person
    return {
        "person": {
            "first_name": identity.first_name,
            "middle_name": identity.middle_name,
            "family_name": identity.family_name,
            "aliases": list(identity.aliases),
            "birth_date": identity.birth_date.isoformat(),
            "gender": person.gender,
            "citizenships": list(person.citizenships),
            "is_idp": person.is_idp,
            "origin_oblast": person.origin_oblast,
            "origin_detail": identity.origin_detail,
            "documents": [d.to_json() for d in identity.documents],
            "rnokpp": identity.rnokpp,
            "phones": list(identity.phones),
            "email": identity.email,
            "place_of_stay": identity.place_of_stay,
            "vulnerability_details": identity.vulnerability_details,
        },
        "identified_on": case.identified_on,
        "identification_country": case.identification_country,
        "identification_oblast": case.identification_oblast,
        "channel": case.channel,
        "trafficking_status": case.trafficking_status,
        "status_decision_org": case.status_decision_org,
        "relationship_to_recruiter": case.relationship_to_recruiter,
        "codes": {name: case.codes_of(name) for name in MULTI_CODE_LISTS},
        "events": [
            {
                "type": e.type,
                "country": e.country,
                "oblast": e.oblast,
                "started_on": e.started_on,
                "ended_on": e.ended_on,
            }
            for e in case.events.all()
        ],
    }


def merged(base: dict[str, Any], change: Any) -> dict[str, Any] | Any:
    """`change` over `base`: `person` field by field, `codes` list by list, the rest whole.
    Anything but a JSON object is returned as it is, for the serializer to refuse."""
    if not isinstance(change, Mapping):
        return change
    result = {**base, **change}
    for key in ("person", "codes"):
        if isinstance(change.get(key), Mapping):
            result[key] = {**base[key], **change[key]}
    return result


def to_inputs(
    data: Mapping[str, Any], identity: Identity | None = None
) -> tuple[PersonInput, CaseInput]:
    """The services' inputs from validated data; `identity` keeps what the API does not carry
    (mailing address, titles) on an update."""
    p = data["person"]
    identity = dataclasses.replace(
        identity or Identity(),
        first_name=p.get("first_name", "").strip(),
        middle_name=p.get("middle_name", "").strip(),
        family_name=p.get("family_name", "").strip(),
        aliases=[a.strip() for a in p.get("aliases", []) if a.strip()],
        birth_date=PartialDate.parse(p.get("birth_date", "")),
        documents=[
            IdentityDocument(d["type"], d["number"].strip(), d.get("country", ""))
            for d in p.get("documents", [])
        ],
        rnokpp=p.get("rnokpp", "").strip(),
        phones=[x.strip() for x in p.get("phones", []) if x.strip()],
        email=p.get("email", "").strip(),
        place_of_stay=p.get("place_of_stay", "").strip(),
        origin_detail=p.get("origin_detail", "").strip(),
        vulnerability_details=p.get("vulnerability_details", "").strip(),
    )
    person = PersonInput(
        identity=identity,
        gender=p.get("gender") or "NonSpecifiedUnknown",
        citizenships=list(p.get("citizenships", [])),
        is_idp=bool(p.get("is_idp", False)),
        origin_oblast=p.get("origin_oblast", ""),
    )
    given = data.get("codes") or {}
    case = CaseInput(
        identified_on=data["identified_on"],
        identification_country=data["identification_country"],
        channel=data["channel"],
        identification_oblast=data["identification_oblast"],
        trafficking_status=data["trafficking_status"],
        status_decision_org=data["status_decision_org"],
        relationship_to_recruiter=data["relationship_to_recruiter"],
        multi={name: list(given.get(name, [])) for name in MULTI_CODE_LISTS},
        events=[
            EventInput(e["type"], e["country"], e["oblast"], e["started_on"], e["ended_on"])
            for e in data.get("events", [])
        ],
    )
    return person, case
