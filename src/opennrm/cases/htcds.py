"""HTCDS v2.0 exchange: one flat JSON record per case, with the standard's field names.

Field names and picklist values are those of the Human Trafficking Case Data Standard v2.0
(IOM, CC BY 4.0). A record that follows the standard alone imports: the identification date
(`x_ua_IdentifiedOn`, an extension) falls back to the earliest known date (a trafficking event,
the incoming referral) or the import date, and each record's answer says which was used.
Picklists take value names or their labels (English or Ukrainian); multi-select values are JSON
lists or text separated by `;` (the Excel toolkit), spaces (XLSForm value names) or commas.
Fields the standard lacks but Ukraine needs use the `x_ua_` prefix; the case id is
`x_ua_CaseId` (`cas_Id`, which no HTCDS version defines, is still accepted and ignored). A
section that repeats per case is a JSON list named after it, its items in the standard's names:
`hte_Events` (trafficking events) and `spl_SupportPlans` (support plans; registered by the
assistance part). Standard fields OpenNRM does not keep (free-text comments and referral
details, see `NOT_KEPT`) are accepted and named in the answer. A field this importer does not
know is an error, never dropped silently. docs/htcds.md describes the conventions.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.accounts.models import User
from opennrm.audit.services import Entry, record, record_many
from opennrm.cases.models import Case, Consent
from opennrm.cases.services import (
    CaseInput,
    EventInput,
    PersonInput,
    PersonProfile,
    ReferralDetails,
    birth_date_parse_error,
    register_cases,
    validate_inputs,
)
from opennrm.core import codes
from opennrm.core.ages import PartialDate
from opennrm.core.aside import Aside
from opennrm.core.bulk import cyclic_gc_paused, import_page_cache
from opennrm.core.text import find_unencodable
from opennrm.people.identity import (
    Identity,
    IdentityDocument,
    MailingAddress,
    SealedIdentity,
    open_identity,
    seal_new_identity,
)
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Membership
from opennrm.vault.keyring import current_keyring

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
    "vic_RecruitmentWebsitesAndApps": codes.RECRUITMENT_WEBSITES,
    "vic_ExploitationWebsitesAndApps": codes.EXPLOITATION_WEBSITES,
}
# Single-valued coded fields of the case: HTCDS name -> (CaseInput attribute, code list).
CASE_SINGLE_LISTS = {
    "vic_TraffickingStatus": codes.TRAFFICKING_STATUS,
    "vic_TraffickingStatusDecisionMakingOrg": codes.STATUS_DECISION_ORG,
    "vic_RelationshipToTrafficker": codes.RELATIONSHIP,
    "cas_Status": codes.CASE_STATUS,
    "cas_ReasonForCaseClosure": codes.CLOSURE_REASON,
    "x_ua_IdentificationCountry": codes.COUNTRY,
    "x_ua_IdentificationOblast": codes.OBLAST,
    "x_ua_IdentificationChannel": codes.CHANNEL,
}
PERSON_CODES = {
    "prs_MaritalStatus": ("marital_status", codes.MARITAL_STATUS),
    "prs_HighestLevelOfEducation": ("education", codes.EDUCATION),
}
LANGUAGES = {
    "prs_PrimaryLanguage": "primary_language",
    "prs_SecondaryLanguage": "secondary_language",
}
REFERRAL_TEXT = {
    "cas_ReferringOrganisation": "referring_organisation",
    "cas_ReferredOrganisation": "referred_organisation",
}
REFERRAL_DATES = {
    "cas_IncomingReferralDate": "incoming_referral_date",
    "cas_OutgoingReferralDate": "outgoing_referral_date",
}
REFERRAL_REASONS = {
    "cas_ReasonForIncomingReferral": ("incoming_referral_reason", codes.INCOMING_REFERRAL_REASON),
    "cas_ReasonForOutgoingReferral": ("outgoing_referral_reason", codes.OUTGOING_REFERRAL_REASON),
}
CONSENT_FIELDS = ("con_Consent", "vic_AgreementToManagePersonalData")
# Standard fields OpenNRM does not keep: free text about the person or staff names of another
# organisation (kept nowhere unencrypted, and OpenNRM holds no case comments), and details it
# has no use for. Accepted on import, not stored, and named in the record's answer.
NOT_KEPT = frozenset(
    {
        "cco_CaseComment",
        "cas_IncomingReferralDetails",
        "cas_OutgoingReferralDetails",
        "cas_ReferringPrimaryCaseWorker",
        "cas_ReferredPrimaryCaseWorker",
        "prs_Deceased",
        "prs_NumberOfChildren",
        "prs_MailingLongitude",
        "prs_MailingLatitude",
        "hte_City",
        "hte_Street",
        "hte_PostalCode",
        "hte_Description",
        "hte_Longitude",
        "hte_Latitude",
    }
)
# Top-level hte_ fields: a flat record (a spreadsheet row) gives one event this way.
FLAT_EVENT = ("hte_Type", "hte_Country", "hte_State", "hte_Date", "x_EndDate")
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
    "cas_Id",  # accepted for compatibility with earlier exports, ignored
    "x_ua_CaseId",  # another system's id, or ours in a round trip: ignored (a new case is made)
    "vic_AgeWhenTrafficked",
    *CONSENT_FIELDS,
    *FLAT_EVENT,
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
# The Excel toolkit template misspells one field, the standard's XLSForm names three others
# its own way; accept each on import.
ALIASES = {
    "vic_TraffickinStatusDecisionMakingOrg": "vic_TraffickingStatusDecisionMakingOrg",
    "prs_First_Name": "prs_FirstName",
    "prs_Second_Name": "prs_SecondName",
    "vic_Methods_of_Control": "vic_MethodsOfControl",
}


@dataclass(frozen=True)
class Section:
    """A section that repeats per case (a JSON list of items in the standard's names), kept by a
    part above `cases` and registered at its app's start: `parse` checks the items and returns
    what `write` stores after the case is registered (in the import's transaction); `export`
    gives the items of a case.

    A `gated` section (the perpetrators, `per_Perpetrators`) is written only when the importer's
    gate lets the actor write it (`import_records(writable=...)`; otherwise it is named in
    `not_kept`), and exported only through `export_visible(case, rows)`, from the rows the
    caller's gate passes (`export_record(visible=...)`); without them it is left out."""

    name: str
    parse: Callable[[Any], tuple[Any, dict[str, list[str]]]]
    write: Callable[[Actor, Case, Any], None]
    export: Callable[[Case], list[dict[str, Any]]] | None = None
    not_kept: frozenset[str] = frozenset()  # item fields accepted on import and not stored
    gated: bool = False
    export_visible: Callable[[Case, Any], list[dict[str, Any]]] | None = None


SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> None:
    SECTIONS[section.name] = section


def known_fields() -> set[str]:
    return (
        set(PERSON_TEXT)
        | set(MAILING)
        | set(CASE_MULTI)
        | set(CASE_SINGLE)
        | set(PERSON_CODES)
        | set(LANGUAGES)
        | set(REFERRAL_TEXT)
        | set(REFERRAL_DATES)
        | set(REFERRAL_REASONS)
        | OTHER_FIELDS
        | NOT_KEPT
        | set(SECTIONS)
    )


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u00a0", " ")
    return " ".join(text.split()).casefold()


def resolve(list_name: str, raw: str) -> str | None:
    """The code of a picklist value given by its value name or a label (English or Ukrainian,
    any case and spacing); None when it is none of them."""
    values = codes.code_list(list_name)
    raw = raw.strip()
    if raw in values:
        return raw
    wanted = _normal(raw)
    for code in values:
        if wanted in (_normal(code.code), _normal(code.label_en), _normal(code.label_uk)):
            return code.code
    return None


def not_a_value(raw: str, name: str) -> str:
    return _("'%(value)s' is not a value of %(field)s.") % {"value": raw, "field": name}


# Where a service's error key is reported, in HTCDS names.
SERVICE_TO_HTCDS = {
    **{attr: name for name, attr in PERSON_TEXT.items()},
    **{f"mailing.{attr}": name for name, attr in MAILING.items()},
    **{attr: name for name, attr in CASE_SINGLE.items()},
    **{attr: name for name, (attr, _list) in PERSON_CODES.items()},
    **{attr: name for name, attr in LANGUAGES.items()},
    **{attr: name for name, (attr, _list) in REFERRAL_REASONS.items()},
    **{attr: name for name, attr in REFERRAL_DATES.items()},
    "age_when_trafficked": "vic_AgeWhenTrafficked",
    **{list_name: name for name, list_name in CASE_MULTI.items()},
    "gender": "prs_Gender",
    "citizenships": "prs_Citizenship",
    "documents": "x_ua_Documents",
    "origin_oblast": "x_ua_OriginOblast",
    "identified_on": "x_ua_IdentifiedOn",
    "aliases": "x_ua_Aliases",
    "birth_date": "prs_Birthdate",
}


# Where the identification date of an imported record came from, in the record's answer.
IDENTIFIED_FROM = ("x_ua_IdentifiedOn", "hte_Date", "cas_IncomingReferralDate", "import_date")


class RecordError(Exception):
    def __init__(self, fields: dict[str, list[str]]):
        super().__init__("invalid HTCDS record")
        self.fields = fields


@dataclass(frozen=True)
class ParsedRecord:
    person: PersonInput
    case: CaseInput
    identified_from: str
    consent: bool = False
    not_kept: tuple[str, ...] = ()
    sections: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Imported:
    """One imported record: its new case, and where its identification date came from."""

    case: Case
    identified_from: str
    not_kept: tuple[str, ...]


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
            whole = isinstance(value, float) and value.is_integer()
            value = str(int(value)) if whole else str(value)
        if not isinstance(value, str):
            self.fail(name, _("Expected text."))
            return ""
        if len(value) > max_length:
            self.fail(name, _("At most %(n)d characters.") % {"n": max_length})
        return value.strip()

    def text_list(self, name: str) -> list[str]:
        """Free-text values (aliases, phones): a JSON list or a `;`-separated text."""
        value = self.record.get(name)
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [v.strip() for v in value.split(";") if v.strip()]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return [v.strip() for v in value if v.strip()]
        self.fail(name, _("Expected a list of texts or a ';'-separated text."))
        return []

    def code(self, name: str, list_name: str) -> str:
        """A single picklist value by value name or label; "" when absent."""
        raw = self.text(name, 200)
        if not raw:
            return ""
        found = resolve(list_name, raw)
        if found is None:
            self.fail(name, not_a_value(raw, name))
            return ""
        return found

    def codes(self, name: str, list_name: str) -> list[str]:
        """A multi-select value: a JSON list, or text separated by `;` or new lines (the Excel
        toolkit), spaces (XLSForm value names) or commas; each item a value name or a label."""
        value = self.record.get(name)
        if value is None or value == "":
            return []
        if isinstance(value, str):
            pieces = [p.strip() for p in re.split(r"[;\n]", value) if p.strip()]
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            pieces = [v.strip() for v in value if v.strip()]
        else:
            self.fail(name, _("Expected a list of codes or a ';'-separated text."))
            return []
        found: list[str] = []
        for piece in pieces:
            one = resolve(list_name, piece)
            if one is not None:
                found.append(one)
                continue
            for separator in (None, ","):
                parts = [p.strip() for p in piece.split(separator) if p.strip()]
                resolved = [resolve(list_name, p) for p in parts]
                if len(parts) > 1 and all(r is not None for r in resolved):
                    found.extend(r for r in resolved if r is not None)
                    break
            else:
                self.fail(name, not_a_value(piece, name))
        return sorted(set(found))

    def date(self, name: str, *, required: bool = False) -> dt.date | None:
        value = self.record.get(name)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = self.text(name, 40)
        if not text:
            if required:
                self.fail(name, _("This field is required."))
            return None
        if len(text) > 10 and text[10] in "T ":  # a date with a time (XLSForm, spreadsheets)
            text = text[:10]
        try:
            if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", text):  # DD.MM.YYYY, as in Ukraine
                day, month, year = (int(p) for p in text.split("."))
                return dt.date(year, month, day)
            return dt.date.fromisoformat(text)
        except ValueError:
            self.fail(name, _("Expected a date as YYYY-MM-DD."))
            return None

    def number(self, name: str) -> int | None:
        value = self.record.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self.fail(name, _("Expected a whole number."))
        return None

    def boolean(self, name: str) -> bool:
        value = self.record.get(name)
        if value is None or value == "":
            return False
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        truthy = {"true", "1", "yes", "y", "так"}
        if isinstance(value, str) and value.strip().lower() in truthy | {
            "false",
            "0",
            "no",
            "n",
            "ні",
        }:
            return value.strip().lower() in truthy
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


def _event(sub: _Reader) -> EventInput:
    return EventInput(
        type=sub.code("hte_Type", codes.EVENT_TYPE),
        country=sub.code("hte_Country", codes.COUNTRY),
        oblast=sub.code("hte_State", codes.OBLAST) if sub.record.get("hte_State") else "",
        started_on=sub.date("hte_Date"),
        ended_on=sub.date("x_EndDate"),
    )


def _events(reader: _Reader, not_kept: set[str]) -> list[EventInput]:
    raw = reader.record.get("hte_Events")
    events: list[EventInput] = []
    if raw not in (None, ""):
        if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
            reader.fail("hte_Events", _("Expected a list of events."))
            return []
        allowed = set(FLAT_EVENT)
        for index, item in enumerate(raw):
            sub = _Reader(item)
            for key in sorted(set(item) - allowed):
                if key in NOT_KEPT:
                    if item[key] not in (None, ""):
                        not_kept.add(f"hte_Events[{index}].{key}")
                else:
                    sub.fail(key, _("Unknown field."))
            events.append(_event(sub))
            for key, messages in sub.errors.items():
                reader.errors.setdefault(f"hte_Events[{index}].{key}", []).extend(messages)
    if any(reader.record.get(name) not in (None, "") for name in FLAT_EVENT):
        events.append(_event(reader))  # a flat record's one event, errors under its own fields
    for name, event_type in (
        ("vic_LocationOfRecruitment", "Recruitment"),
        ("vic_LocationOfExploitation", "Exploitation"),
    ):
        country = reader.code(name, codes.COUNTRY)
        if country and not any(e.type == event_type and e.country == country for e in events):
            events.append(EventInput(type=event_type, country=country))
    return events


def _identification_date(
    reader: _Reader, events: list[EventInput], referral: ReferralDetails
) -> tuple[dt.date, str]:
    """The identification date and where it came from: the record's own `x_ua_IdentifiedOn`,
    else the earliest known date (a trafficking event's, the incoming referral's), else today."""
    given = reader.date("x_ua_IdentifiedOn")
    if given is not None:
        return given, "x_ua_IdentifiedOn"
    today = timezone.localdate()
    known = [(e.started_on, "hte_Date") for e in events if e.started_on]
    if referral.incoming_referral_date:
        known.append((referral.incoming_referral_date, "cas_IncomingReferralDate"))
    known = [(day, source) for day, source in known if day <= today]
    if known:
        return min(known)
    return today, "import_date"


def agency_members(actor: Actor) -> dict[str, User]:
    """The active users of the actor's agency by username (`cas_CaseOwner`), read once for a
    whole import instead of once per record."""
    memberships = Membership.objects.filter(agency=actor.agency, is_active=True).select_related(
        "user"
    )
    return {m.user.get_username(): m.user for m in memberships}


def _caseworker(reader: _Reader, actor: Actor, members: Mapping[str, User] | None) -> User | None:
    owner = reader.text("cas_CaseOwner", 150)
    if not owner:
        return None
    user = (members if members is not None else agency_members(actor)).get(owner)
    if user is None:
        reader.fail("cas_CaseOwner", _("No user of your agency has this username."))
    return user


def parse_record(
    record: Any,
    *,
    actor: Actor,
    writable: Collection[str] = frozenset(),
    members: Mapping[str, User] | None = None,
) -> ParsedRecord:
    """Turn one HTCDS record into service inputs; raise RecordError naming every bad field.
    A gated section not in `writable` is not read: it is named in `not_kept`. `members`: the
    agency's users by username (`agency_members`), when many records are parsed."""
    if not isinstance(record, dict):
        raise RecordError({"record": [_("Expected a JSON object.")]})
    bad_text = find_unencodable(record)
    if bad_text:
        raise RecordError({bad_text: [_("Contains characters that are not valid.")]})
    record = {ALIASES.get(k, k): v for k, v in record.items()}
    reader = _Reader(record)
    for key in sorted(set(record) - known_fields()):
        reader.fail(key, _("Unknown or unsupported field."))
    not_kept = {k for k in NOT_KEPT if record.get(k) not in (None, "")}

    attrs = {attr: reader.text(name) for name, attr in PERSON_TEXT.items()}
    attrs["vulnerability_details"] = reader.text("vic_DetailsOfVulnerabilities", 4000)
    mailing_attrs = {attr: reader.text(name) for name, attr in MAILING.items()}
    if mailing_attrs["country"]:
        mailing_attrs["country"] = reader.code("prs_MailingCountry", codes.COUNTRY)
    mailing = MailingAddress(**mailing_attrs)
    birth = PartialDate(None)
    birth_value = record.get("prs_Birthdate")
    try:
        if isinstance(birth_value, dt.datetime):  # a spreadsheet's date cell
            birth_value = birth_value.date()
        if isinstance(birth_value, dt.date):
            birth = PartialDate.parse(birth_value.isoformat())
        else:
            birth = PartialDate.parse(reader.text("prs_Birthdate", 10))
    except ValueError as exc:
        reader.fail("prs_Birthdate", birth_date_parse_error(exc))
    mobile = reader.text("prs_MobilePhone", 40)
    identity = Identity(
        aliases=reader.text_list("x_ua_Aliases"),
        birth_date=birth,
        documents=_documents(reader),
        phones=([mobile] if mobile else []) + reader.text_list("x_ua_OtherPhones"),
        mailing=mailing,
        **attrs,
    )
    languages: dict[str, str] = {}
    for name, attr in LANGUAGES.items():
        raw = reader.text(name, 60)
        languages[attr] = codes.language_code(raw) if raw else ""
        if raw and not languages[attr]:
            reader.fail(name, _("'%(value)s' is not an ISO 639-2 language code.") % {"value": raw})
    profile = PersonProfile(
        **{attr: reader.code(name, list_name) for name, (attr, list_name) in PERSON_CODES.items()},
        **languages,
    )
    person = PersonInput(
        identity=identity,
        gender=reader.code("prs_Gender", codes.GENDER) or "NonSpecifiedUnknown",
        citizenships=reader.codes("prs_Citizenship", codes.COUNTRY),
        is_idp=reader.boolean("x_ua_IsIdp"),
        origin_oblast=reader.code("x_ua_OriginOblast", codes.OBLAST),
        profile=profile,
    )
    referral = ReferralDetails(
        age_when_trafficked=reader.number("vic_AgeWhenTrafficked"),
        referring_organisation=reader.text("cas_ReferringOrganisation", 200),
        incoming_referral_date=reader.date("cas_IncomingReferralDate"),
        incoming_referral_reason=reader.code(
            "cas_ReasonForIncomingReferral", codes.INCOMING_REFERRAL_REASON
        ),
        referred_organisation=reader.text("cas_ReferredOrganisation", 200),
        outgoing_referral_date=reader.date("cas_OutgoingReferralDate"),
        outgoing_referral_reason=reader.code(
            "cas_ReasonForOutgoingReferral", codes.OUTGOING_REFERRAL_REASON
        ),
    )
    single = {
        CASE_SINGLE[name]: reader.code(name, list_name)
        for name, list_name in CASE_SINGLE_LISTS.items()
    }
    events = _events(reader, not_kept)
    identified_on, identified_from = _identification_date(reader, events, referral)
    case = CaseInput(
        identified_on=identified_on,
        multi={list_name: reader.codes(name, list_name) for name, list_name in CASE_MULTI.items()},
        events=events,
        caseworker=_caseworker(reader, actor, members),
        identification_country=single["identification_country"] or codes.UKRAINE,
        identification_oblast=single["identification_oblast"],
        channel=single["channel"] or "Other",
        trafficking_status=single["trafficking_status"] or "PossibleVictimOfTrafficking",
        status_decision_org=single["status_decision_org"],
        relationship_to_recruiter=single["relationship_to_recruiter"],
        status=single["status"] or "Active",
        closure_reason=single["closure_reason"],
        referral=referral,
    )
    consent = any(reader.boolean(name) for name in CONSENT_FIELDS)
    sections: dict[str, Any] = {}
    for name, section in SECTIONS.items():
        if record.get(name) in (None, "", []):
            continue
        if section.gated and name not in writable:
            not_kept.add(name)
            continue
        value, errors = section.parse(record[name])
        sections[name] = value
        if isinstance(record[name], list):
            for index, item in enumerate(record[name]):
                if isinstance(item, dict):
                    not_kept |= {
                        f"{name}[{index}].{key}"
                        for key in section.not_kept
                        if item.get(key) not in (None, "", [])
                    }
        for key, messages in errors.items():
            reader.errors.setdefault(f"{name}{key}", []).extend(messages)
    no_type = not case.multi[codes.EXPLOITATION] and not case.multi[codes.UA_EXPLOITATION]
    if no_type and "vic_TypeOfExploitation" not in reader.errors:
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
    return ParsedRecord(
        person=person,
        case=case,
        identified_from=identified_from,
        consent=consent,
        not_kept=tuple(sorted(not_kept)),
        sections=sections,
    )


def _consent_entries(actor: Actor, cases: list[Case]) -> list[Entry]:
    """HTCDS `con_Consent`: the person consented to the interview and to the processing of
    their data by the owner agency. Recorded as a consent with no purposes or categories: it
    lets no share happen (a referral needs a consent for its purpose). Returns the audit
    events to append."""
    consents = Consent.objects.bulk_create(
        [
            Consent(
                case=case,
                legal_basis="Consent",
                purposes=[],
                data_categories=[],
                given_on=case.identified_on,
                recorded_by=actor.user,
            )
            for case in cases
        ]
    )
    return [
        Entry(
            action="consent.recorded",
            actor_id=actor.user.id,
            agency_id=actor.agency_id,
            object_type="case",
            object_id=consent.case_id,
            detail={"consent": str(consent.id), "legal_basis": "Consent"},
        )
        for consent in consents
    ]


#: Records registered per round of inserts: large enough that a statement serves many
#: records, small enough that a round's objects stay a few megabytes.
IMPORT_CHUNK = 1000

#: Records the checking process of a parallel import sends at a time: the writer starts on the
#: first ones soon, and takes what has arrived, at most `IMPORT_CHUNK`, for each round.
ASIDE_CHUNK = 250


#: `import_records`' progress: (stage, records done, records in all), stage "checked" while
#: the records are read and checked, "saved" while they are written.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class _Round:
    """Records checked together: those that passed, in order (with their identities sealed
    when they were checked aside), and the problems of the others. `start`: the index of the
    first record of the round."""

    start: int
    end: int
    parsed: list[ParsedRecord]
    problems: list[ImportProblem]
    sealed: list[SealedIdentity] | None = None


def import_records(
    *,
    actor: Actor,
    records: list[Any],
    writable: Collection[str] = frozenset(),
    progress: Progress | None = None,
    parallel: bool = False,
) -> list[Imported]:
    """Import HTCDS records into the actor's agency: all of them, or none. `writable`: the
    gated sections the actor's gate lets them write (others are named in `not_kept`).
    The writes go in rounds of at most `IMPORT_CHUNK` records (bulk inserts) inside one
    transaction, `progress` told after each round.

    Every record is checked before anything is written, unless `parallel`: then a second
    process (`core.aside`: a forked copy, so only where no request is served, as in the
    import command) checks the records, seals their identities and computes their blind-index
    rows while this one writes those already done; a bad record stops the writing, the others
    are still checked so that every problem is told, and the transaction is rolled back. The
    problems, the cases and their rows are the same either way."""
    with cyclic_gc_paused(), import_page_cache():
        return _import_records(actor, records, writable, progress, parallel)


def _import_records(
    actor: Actor,
    records: list[Any],
    writable: Collection[str],
    progress: Progress | None,
    parallel: bool,
) -> list[Imported]:
    members = agency_members(actor)
    total = len(records)

    def parse(item: Any) -> ParsedRecord:
        return parse_record(item, actor=actor, writable=writable, members=members)

    # A few records: a second process would cost more than it saves. Both ways the records
    # are checked here, or the checking process is started, before the transaction begins:
    # on SQLite the transaction holds the database's write lock.
    aside = parallel and total > ASIDE_CHUNK
    with ExitStack() as stack:
        if aside:
            rounds = _rounds_aside(stack.enter_context(Aside(_checker(records, parse))))
        else:
            rounds = _rounds_of(_check_here(records, parse, progress))
        stack.enter_context(transaction.atomic())
        return _write_rounds(actor, rounds, total, progress, told_checked=aside)


def _write_rounds(
    actor: Actor,
    rounds: Iterator[_Round],
    total: int,
    progress: Progress | None,
    *,
    told_checked: bool,
) -> list[Imported]:
    """Write the rounds, in the caller's transaction. Problems found in the records stop the
    writing and are raised once every record is checked; a write refused (a section's own
    check) stops it too and is raised when no record had a problem, as when every record is
    checked before the first write. `told_checked`: tell `progress` how many records each
    round has checked (the checking went on aside)."""
    imported: list[Imported] = []
    problems: list[ImportProblem] = []
    refused: HtcdsImportError | None = None
    for batch in rounds:
        problems.extend(batch.problems)
        if told_checked and progress:
            progress("checked", batch.end, total)
        if problems or refused:
            continue  # nothing more is written; the rest is checked to tell every problem
        try:
            imported.extend(_write_round(actor, batch))
        except HtcdsImportError as exc:
            refused = exc
            continue
        if progress:
            progress("saved", len(imported), total)
    if problems:
        raise HtcdsImportError(problems)  # in the transaction: nothing is kept
    if refused:
        raise refused
    record(
        action="htcds.imported",
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type="agency",
        object_id=actor.agency_id,
        detail={
            "records": len(imported),
            "identified_from": sorted({i.identified_from for i in imported}),
        },
    )
    return imported


def _check(
    records: list[Any], parse: Callable[[Any], ParsedRecord], start: int, end: int
) -> tuple[list[ParsedRecord], list[ImportProblem]]:
    """Records `start` to `end` checked: those that pass, and the problems of the others."""
    parsed: list[ParsedRecord] = []
    problems: list[ImportProblem] = []
    for index in range(start, end):
        try:
            parsed.append(parse(records[index]))
        except RecordError as exc:
            problems.append(ImportProblem(index, exc.fields))
    return parsed, problems


def _check_here(
    records: list[Any], parse: Callable[[Any], ParsedRecord], progress: Progress | None
) -> list[ParsedRecord]:
    """Every record checked in this process; a bad record raises (nothing has been written)."""
    parsed: list[ParsedRecord] = []
    problems: list[ImportProblem] = []
    total = len(records)
    for start in range(0, total, IMPORT_CHUNK):
        end = min(start + IMPORT_CHUNK, total)
        passed, failed = _check(records, parse, start, end)
        parsed += passed
        problems += failed
        if progress:
            progress("checked", end, total)
    if problems:
        raise HtcdsImportError(problems)
    return parsed


def _rounds_of(parsed: list[ParsedRecord]) -> Iterator[_Round]:
    """Records checked here, in rounds of `IMPORT_CHUNK`."""
    for start in range(0, len(parsed), IMPORT_CHUNK):
        chunk = parsed[start : start + IMPORT_CHUNK]
        yield _Round(start, start + len(chunk), chunk, [])


def _checker(
    records: list[Any], parse: Callable[[Any], ParsedRecord]
) -> Callable[[Callable[[Any], None]], None]:
    """What the checking process of a parallel import does: check the records `ASIDE_CHUNK`
    at a time, seal the identities of those that pass and compute their blind-index rows, and
    send each chunk as a `_Round`. Once a record is bad, the rest are only checked (nothing
    more will be written)."""
    ring = current_keyring()

    def produce(send: Callable[[Any], None]) -> None:
        memo: dict[tuple[str, str], frozenset[tuple[str, int]]] = {}
        failed = False
        for start in range(0, len(records), ASIDE_CHUNK):
            end = min(start + ASIDE_CHUNK, len(records))
            parsed, problems = _check(records, parse, start, end)
            failed = failed or bool(problems)
            if failed:
                send(_Round(start, end, [], problems))
                continue
            sealed = [seal_new_identity(p.person.identity, ring=ring, memo=memo) for p in parsed]
            send(_Round(start, end, parsed, [], sealed))
            memo.clear()  # names in clear: kept for one chunk only

    return produce


def _rounds_aside(checking: Aside) -> Iterator[_Round]:
    """The chunks the checking process sent, joined into rounds: what has arrived while the
    last round was written, at most `IMPORT_CHUNK` records a round (a chunk with problems
    alone: nothing more will be written)."""
    for arrived in checking:
        pending: list[_Round] = []
        for batch in arrived:
            if batch.problems:
                pending = []
                yield batch
                continue
            if pending and sum(len(p.parsed) for p in pending) + len(batch.parsed) > IMPORT_CHUNK:
                yield _joined(pending)
                pending = []
            pending.append(batch)
        if pending:
            yield _joined(pending)


def _joined(rounds: list[_Round]) -> _Round:
    return _Round(
        rounds[0].start,
        rounds[-1].end,
        [p for r in rounds for p in r.parsed],
        [],
        [s for r in rounds for s in r.sealed or []],
    )


def _write_round(actor: Actor, batch: _Round) -> list[Imported]:
    cases = register_cases(
        actor=actor,
        registrations=[(i.person, i.case) for i in batch.parsed],
        checked=True,  # `parse_record` ran `validate_inputs` on each
        sealed=batch.sealed,
    )
    consented = [c for c, i in zip(cases, batch.parsed, strict=True) if i.consent]
    record_many(_consent_entries(actor, consented))
    imported: list[Imported] = []
    for offset, (case, item) in enumerate(zip(cases, batch.parsed, strict=True)):
        try:
            for name, value in item.sections.items():
                SECTIONS[name].write(actor, case, value)
        except ValidationError as exc:  # raised in the transaction: nothing is kept
            problem = ImportProblem(batch.start + offset, dict(exc.message_dict))
            raise HtcdsImportError([problem]) from exc
        imported.append(Imported(case, item.identified_from, item.not_kept))
    return imported


def export_record(
    case: Case,
    *,
    with_person: bool = True,
    shows: Callable[[str], bool] | None = None,
    visible: Callable[[str], Any] | None = None,
) -> dict[str, Any]:
    """One case as an HTCDS record. The person's identity is decrypted here unless
    `with_person` is false (then its fields are empty); a registered section is read only when
    `shows(section name)` says it will be shown, a gated section only from the rows
    `visible(section name)` gives (None: left out). What a caller may see is decided by the
    access gate (`access.scope.FieldScope.redact` and `visible_rows`), never here."""
    identity = open_identity(case.person) if with_person else Identity()
    person = case.person
    out: dict[str, Any] = {"x_ua_CaseId": str(case.id)}
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
    for name, (attr, _list) in PERSON_CODES.items():
        out[name] = getattr(person, attr)
    for name, attr in LANGUAGES.items():
        out[name] = getattr(person, attr)
    out["x_ua_IdentifiedOn"] = case.identified_on.isoformat()
    for name, attr in CASE_SINGLE.items():
        out[name] = getattr(case, attr)
    for name, list_name in CASE_MULTI.items():
        out[name] = case.codes_of(list_name)
    out["vic_AgeWhenTrafficked"] = case.age_when_trafficked
    for name, attr in REFERRAL_TEXT.items():
        out[name] = getattr(case, attr)
    for name, attr in REFERRAL_DATES.items():
        value = getattr(case, attr)
        out[name] = value.isoformat() if value else ""
    for name, (attr, _list) in REFERRAL_REASONS.items():
        out[name] = getattr(case, attr)
    out["con_Consent"] = any(
        c.is_active and c.legal_basis == "Consent" for c in case.consents.all()
    )
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
    for name, section in SECTIONS.items():
        if shows is not None and not shows(name):
            continue
        if section.export is not None:
            out[name] = section.export(case)
        elif section.export_visible is not None and visible is not None:
            rows = visible(name)
            if rows is not None:
                out[name] = section.export_visible(case, rows)
    return out
