"""HTCDS v2.0 exchange: one flat JSON record per case, with the standard's field names.

Field names and picklist values are those of the Human Trafficking Case Data Standard v2.0
(IOM, CC BY 4.0). Multi-select values are JSON lists (a `;`-separated string, as in the
standard's Excel template, is accepted on import). Fields the standard lacks but Ukraine needs
use the `x_ua_` prefix. A field this importer does not know is an error, never dropped silently.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opennrm.audit.services import record
from opennrm.cases.models import Case
from opennrm.cases.services import (
    CaseInput,
    EventInput,
    PersonInput,
    register_case,
    validate_inputs,
)
from opennrm.core import codes
from opennrm.core.ages import PartialDate
from opennrm.core.text import find_unencodable
from opennrm.people.identity import Identity, IdentityDocument, MailingAddress, open_identity
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Membership

# Single-valued text fields of the person: HTCDS name -> Identity attribute.
PERSON_TEXT = {
    "prs_Salutation": "salutation",
    "prs_FirstName": "first_name",
    "prs_MiddleName": "middle_name",
    "prs_SecondName": "family_name",
    "prs_Title": "title",
    "prs_Email": "email",
    "prs_HomePhone": "home_phone",
    "x_ua_Rnokpp": "rnokpp",
    "x_ua_PlaceOfStay": "place_of_stay",
    "x_ua_OriginTerritory": "origin_detail",
    "vic_DetailsOfVulnerabilities": "vulnerability_details",
}
MAILING = {
    "prs_MailingStreet": "street",
    "prs_MailingCity": "city",
    "prs_MailingState": "state",
    "prs_MailingPostalCode": "postal_code",
    "prs_MailingCountry": "country",
}
# Multi-valued case code lists: HTCDS name -> code list.
CASE_MULTI = {
    "vic_TypeOfExploitation": codes.EXPLOITATION,
    "x_ua_FormsOfExploitation": codes.UA_EXPLOITATION,
    "vic_ForcedLabourIndustry": codes.LABOUR_INDUSTRY,
    "vic_TypeOfSexExploitation": codes.SEX_EXPLOITATION,
    "vic_MethodsOfControl": codes.CONTROL,
    "vic_MethodOfRecruitment": codes.RECRUITMENT,
    "vic_Vulnerabilities": codes.VULNERABILITIES,
}
CASE_SINGLE = {
    "vic_TraffickingStatus": "trafficking_status",
    "vic_TraffickingStatusDecisionMakingOrg": "status_decision_org",
    "vic_RelationshipToTrafficker": "relationship_to_recruiter",
    "cas_Status": "status",
    "cas_ReasonForCaseClosure": "closure_reason",
    "x_ua_IdentificationCountry": "identification_country",
    "x_ua_IdentificationOblast": "identification_oblast",
    "x_ua_IdentificationChannel": "channel",
}
OTHER_FIELDS = {
    "cas_Id",
    "cas_CaseOwner",
    "prs_Birthdate",
    "prs_Gender",
    "prs_Citizenship",
    "prs_IdentityNumber",
    "prs_MobilePhone",
    "x_ua_OtherPhones",
    "x_ua_Aliases",
    "x_ua_Documents",
    "x_ua_IsIdp",
    "x_ua_OriginOblast",
    "x_ua_IdentifiedOn",
    "vic_LocationOfRecruitment",
    "vic_LocationOfExploitation",
    "hte_Events",
}
# The Excel toolkit template misspells this field; accept both on import.
ALIASES = {"vic_TraffickinStatusDecisionMakingOrg": "vic_TraffickingStatusDecisionMakingOrg"}
KNOWN_FIELDS = set(PERSON_TEXT) | set(MAILING) | set(CASE_MULTI) | set(CASE_SINGLE) | OTHER_FIELDS

# Where a service's error key is reported, in HTCDS names.
SERVICE_TO_HTCDS = {
    **{attr: name for name, attr in PERSON_TEXT.items()},
    **{f"mailing.{attr}": name for name, attr in MAILING.items()},
    **{attr: name for name, attr in CASE_SINGLE.items()},
    **{list_name: name for name, list_name in CASE_MULTI.items()},
    "gender": "prs_Gender",
    "citizenships": "prs_Citizenship",
    "documents": "x_ua_Documents",
    "origin_oblast": "x_ua_OriginOblast",
    "identified_on": "x_ua_IdentifiedOn",
    "aliases": "x_ua_Aliases",
}


class RecordError(Exception):
    def __init__(self, fields: dict[str, list[str]]):
        super().__init__("invalid HTCDS record")
        self.fields = fields


@dataclass(frozen=True)
class ImportProblem:
    index: int
    fields: dict[str, list[str]]


class HtcdsImportError(Exception):
    def __init__(self, problems: list[ImportProblem]):
        super().__init__(f"{len(problems)} invalid record(s)")
        self.problems = problems


class _Reader:
    """Reads typed values from one record, collecting errors by field name."""

    def __init__(self, record: dict[str, Any]):
        self.record = record
        self.errors: dict[str, list[str]] = {}

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def text(self, name: str, max_length: int = 300) -> str:
        value = self.record.get(name)
        if value is None:
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.fail(name, _("Expected text."))
            return ""
        if len(value) > max_length:
            self.fail(name, _("At most %(n)d characters.") % {"n": max_length})
        return value.strip()

    def many(self, name: str) -> list[str]:
        value = self.record.get(name)
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [v.strip() for v in value.split(";") if v.strip()]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return [v.strip() for v in value if v.strip()]
        self.fail(name, _("Expected a list of codes or a ';'-separated text."))
        return []

    def date(self, name: str, *, required: bool = False) -> dt.date | None:
        value = self.text(name, 10)
        if not value:
            if required:
                self.fail(name, _("This field is required."))
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(name, _("Expected a date as YYYY-MM-DD."))
            return None

    def boolean(self, name: str) -> bool:
        value = self.record.get(name)
        if value is None or value == "":
            return False
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {"true", "false", "1", "0", "yes", "no"}:
            return value.lower() in {"true", "1", "yes"}
        self.fail(name, _("Expected true or false."))
        return False


def _documents(reader: _Reader) -> list[IdentityDocument]:
    raw = reader.record.get("x_ua_Documents")
    documents: list[IdentityDocument] = []
    if raw not in (None, ""):
        if not isinstance(raw, list):
            reader.fail("x_ua_Documents", _("Expected a list of documents."))
            return []
        for item in raw:
            if not (
                isinstance(item, dict)
                and set(item) <= {"type", "number", "country"}
                and all(isinstance(v, str) for v in item.values())
                and item.get("type")
                and item.get("number")
            ):
                reader.fail("x_ua_Documents", _("Each document needs a type and a number (text)."))
                return []
            documents.append(
                IdentityDocument(item["type"], item["number"].strip(), item.get("country", ""))
            )
    number = reader.text("prs_IdentityNumber", 40)
    if number and not any(d.number == number for d in documents):
        documents.insert(0, IdentityDocument("Other", number))
    return documents


def _events(reader: _Reader) -> list[EventInput]:
    raw = reader.record.get("hte_Events")
    events: list[EventInput] = []
    if raw not in (None, ""):
        if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
            reader.fail("hte_Events", _("Expected a list of events."))
            return []
        allowed = {"hte_Type", "hte_Country", "hte_State", "hte_Date", "x_EndDate"}
        for index, item in enumerate(raw):
            sub = _Reader(item)
            unknown = set(item) - allowed
            for key in sorted(unknown):
                sub.fail(key, _("Unknown field."))
            events.append(
                EventInput(
                    type=sub.text("hte_Type", 16),
                    country=sub.text("hte_Country", 2).upper(),
                    oblast=sub.text("hte_State", 8),
                    started_on=sub.date("hte_Date"),
                    ended_on=sub.date("x_EndDate"),
                )
            )
            for key, messages in sub.errors.items():
                reader.errors.setdefault(f"hte_Events[{index}].{key}", []).extend(messages)
    for name, event_type in (
        ("vic_LocationOfRecruitment", "Recruitment"),
        ("vic_LocationOfExploitation", "Exploitation"),
    ):
        country = reader.text(name, 2).upper()
        if country and not any(e.type == event_type and e.country == country for e in events):
            events.append(EventInput(type=event_type, country=country))
    return events


def parse_record(record: Any, *, actor: Actor) -> tuple[PersonInput, CaseInput]:
    """Turn one HTCDS record into service inputs; raise RecordError naming every bad field."""
    if not isinstance(record, dict):
        raise RecordError({"record": [_("Expected a JSON object.")]})
    bad_text = find_unencodable(record)
    if bad_text:
        raise RecordError({bad_text: [_("Contains characters that are not valid.")]})
    record = {ALIASES.get(k, k): v for k, v in record.items()}
    reader = _Reader(record)
    for key in sorted(set(record) - KNOWN_FIELDS):
        reader.fail(key, _("Unknown or unsupported field."))

    attrs = {attr: reader.text(name) for name, attr in PERSON_TEXT.items()}
    attrs["vulnerability_details"] = reader.text("vic_DetailsOfVulnerabilities", 4000)
    mailing = MailingAddress(**{attr: reader.text(name) for name, attr in MAILING.items()})
    birth = PartialDate(None)
    try:
        birth = PartialDate.parse(reader.text("prs_Birthdate", 10))
    except ValueError:
        reader.fail("prs_Birthdate", _("Expected a date as YYYY-MM-DD, or only the year YYYY."))
    mobile = reader.text("prs_MobilePhone", 40)
    identity = Identity(
        aliases=reader.many("x_ua_Aliases"),
        birth_date=birth,
        documents=_documents(reader),
        phones=([mobile] if mobile else []) + reader.many("x_ua_OtherPhones"),
        mailing=mailing,
        **attrs,
    )
    person = PersonInput(
        identity=identity,
        gender=reader.text("prs_Gender", 32) or "NonSpecifiedUnknown",
        citizenships=[c.upper() for c in reader.many("prs_Citizenship")],
        is_idp=reader.boolean("x_ua_IsIdp"),
        origin_oblast=reader.text("x_ua_OriginOblast", 8),
    )
    single = {attr: reader.text(name, 64) for name, attr in CASE_SINGLE.items()}
    caseworker = None
    owner = reader.text("cas_CaseOwner", 150)
    if owner:
        membership = (
            Membership.objects.filter(user__username=owner, agency=actor.agency, is_active=True)
            .select_related("user")
            .first()
        )
        if membership is None:
            reader.fail("cas_CaseOwner", _("No user of your agency has this username."))
        else:
            caseworker = membership.user
    case = CaseInput(
        identified_on=reader.date("x_ua_IdentifiedOn", required=True) or dt.date.min,
        multi={list_name: reader.many(name) for name, list_name in CASE_MULTI.items()},
        events=_events(reader),
        caseworker=caseworker,
        identification_country=single["identification_country"].upper() or codes.UKRAINE,
        identification_oblast=single["identification_oblast"],
        channel=single["channel"] or "Other",
        trafficking_status=single["trafficking_status"] or "PossibleVictimOfTrafficking",
        status_decision_org=single["status_decision_org"],
        relationship_to_recruiter=single["relationship_to_recruiter"],
        status=single["status"] or "Active",
        closure_reason=single["closure_reason"],
    )
    if not case.multi[codes.EXPLOITATION] and not case.multi[codes.UA_EXPLOITATION]:
        reader.fail("vic_TypeOfExploitation", _("Give at least one type of exploitation."))
    try:
        validate_inputs(person, case)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            name = SERVICE_TO_HTCDS.get(key, key)
            if key.startswith("events["):
                name = "hte_Events" + key[len("events") :]
            if name not in reader.errors:  # a parse error already explains this field
                reader.errors[name] = list(messages)
    if reader.errors:
        raise RecordError(reader.errors)
    return person, case


def import_records(*, actor: Actor, records: list[Any]) -> list[Case]:
    """Import HTCDS records into the actor's agency: all of them, or none."""
    parsed: list[tuple[PersonInput, CaseInput]] = []
    problems: list[ImportProblem] = []
    for index, item in enumerate(records):
        try:
            parsed.append(parse_record(item, actor=actor))
        except RecordError as exc:
            problems.append(ImportProblem(index, exc.fields))
    if problems:
        raise HtcdsImportError(problems)
    with transaction.atomic():
        cases = [register_case(actor=actor, person=p, case=c) for p, c in parsed]
        record(
            action="htcds.imported",
            actor_id=actor.user.id,
            agency_id=actor.agency_id,
            object_type="agency",
            object_id=actor.agency_id,
            detail={"records": len(cases)},
        )
    return cases


def export_record(case: Case, *, with_person: bool = True) -> dict[str, Any]:
    """One case as an HTCDS record. The person's identity is decrypted here unless
    `with_person` is false (then its fields are empty); what a caller may see is decided by the
    access gate (`access.scope.FieldScope.redact`), never here."""
    identity = open_identity(case.person) if with_person else Identity()
    person = case.person
    out: dict[str, Any] = {"cas_Id": str(case.id)}
    for name, attr in PERSON_TEXT.items():
        out[name] = getattr(identity, attr)
    for name, attr in MAILING.items():
        out[name] = getattr(identity.mailing, attr)
    out["prs_Birthdate"] = identity.birth_date.isoformat()
    out["prs_Gender"] = person.gender
    out["prs_Citizenship"] = list(person.citizenships)
    out["prs_MobilePhone"] = identity.phones[0] if identity.phones else ""
    out["x_ua_OtherPhones"] = identity.phones[1:]
    out["x_ua_Aliases"] = list(identity.aliases)
    out["x_ua_Documents"] = [d.to_json() for d in identity.documents]
    out["prs_IdentityNumber"] = identity.documents[0].number if identity.documents else ""
    out["x_ua_IsIdp"] = person.is_idp
    out["x_ua_OriginOblast"] = person.origin_oblast
    out["x_ua_IdentifiedOn"] = case.identified_on.isoformat()
    for name, attr in CASE_SINGLE.items():
        out[name] = getattr(case, attr)
    for name, list_name in CASE_MULTI.items():
        out[name] = case.codes_of(list_name)
    out["cas_CaseOwner"] = case.caseworker.get_username() if case.caseworker else ""
    out["hte_Events"] = [
        {
            "hte_Type": e.type,
            "hte_Country": e.country,
            "hte_State": e.oblast,
            "hte_Date": e.started_on.isoformat() if e.started_on else "",
            "x_EndDate": e.ended_on.isoformat() if e.ended_on else "",
        }
        for e in case.events.all()
    ]
    return out
