"""Writes for cases: registration with the person, edits, consent. Each audited, all-or-nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opennrm.accounts.models import User
from opennrm.audit.services import Entry, record, record_many
from opennrm.cases.models import MULTI_CODE_LISTS, Case, CaseCode, Consent, TraffickingEvent
from opennrm.cases.workflow import CASE as CASE_WORKFLOW
from opennrm.cases.workflow import SHUT
from opennrm.core import codes
from opennrm.core.ages import (
    BIRTH_AFTER_IDENTIFICATION,
    BIRTH_BEFORE_1900,
    BIRTH_IN_FUTURE,
    EARLIEST_YEAR,
    YearOutOfRange,
    age_on,
    birth_date_problem,
    ctdc_age_band,
)
from opennrm.core.bulk import insert_models, insert_rows
from opennrm.core.codes import code_list
from opennrm.people.identity import (
    Identity,
    SealedIdentity,
    index_identity,
    index_sealed_identities,
    is_erased,
    open_identity,
    seal_identity,
    seal_new_identity,
)
from opennrm.people.models import Person
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency
from opennrm.vault.keyring import current_keyring


@dataclass(frozen=True)
class PersonProfile:
    """HTCDS person facts held as codes: marital status, languages (ISO 639-2), education."""

    marital_status: str = ""
    primary_language: str = ""
    secondary_language: str = ""
    education: str = ""


@dataclass
class PersonInput:
    identity: Identity
    gender: str = "NonSpecifiedUnknown"
    citizenships: list[str] = field(default_factory=list)
    is_idp: bool = False
    origin_oblast: str = ""
    profile: PersonProfile | None = None  # None: leave the person's profile as it is


@dataclass
class EventInput:
    type: str
    country: str
    oblast: str = ""
    started_on: dt.date | None = None
    ended_on: dt.date | None = None


@dataclass(frozen=True)
class ReferralDetails:
    """HTCDS referral details and the age when trafficked, as a partner's record gives them."""

    age_when_trafficked: int | None = None
    referring_organisation: str = ""
    incoming_referral_date: dt.date | None = None
    incoming_referral_reason: str = ""
    referred_organisation: str = ""
    outgoing_referral_date: dt.date | None = None
    outgoing_referral_reason: str = ""


@dataclass
class CaseInput:
    identified_on: dt.date
    identification_country: str
    channel: str
    identification_oblast: str = ""
    identifying_agency: Agency | None = None
    trafficking_status: str = "PossibleVictimOfTrafficking"
    status_decision_org: str = ""
    relationship_to_recruiter: str = ""
    multi: dict[str, list[str]] = field(default_factory=dict)
    events: list[EventInput] = field(default_factory=list)
    status: str = "Active"
    closure_reason: str = ""
    caseworker: User | None = None
    referral: ReferralDetails | None = None  # None: leave the case's details as they are
    # An age estimated when the person was found (a group identification): the age at
    # identification while no birth date is known, never turned into an invented birth date.
    estimated_age: int | None = None


def _require_code(errors: dict[str, list[str]], name: str, list_name: str, value: str) -> None:
    if value and value not in code_list(list_name):
        errors.setdefault(name, []).append(_("%(value)s is not a valid choice.") % {"value": value})


# Why a date of birth is refused (`core.ages.birth_date_problem`); the web form, the API and
# the HTCDS import show these on the birth date field.
BIRTH_DATE_MESSAGES = {
    BIRTH_IN_FUTURE: gettext_lazy("The date of birth cannot be in the future."),
    BIRTH_BEFORE_1900: gettext_lazy("The date of birth cannot be before 1900."),
    BIRTH_AFTER_IDENTIFICATION: gettext_lazy(
        "The date of birth cannot be after the date of identification."
    ),
}
# The date formats a date of birth may be typed in (web form, API, HTCDS import).
BIRTH_DATE_FORMAT_MESSAGE = gettext_lazy(
    "Enter the date as DD.MM.YYYY or YYYY-MM-DD, or only the year as YYYY."
)


def birth_date_parse_error(exc: ValueError) -> str:
    """The message for a date of birth that did not parse: its year, or its format."""
    if isinstance(exc, YearOutOfRange):
        early = exc.year < EARLIEST_YEAR
        return str(BIRTH_DATE_MESSAGES[BIRTH_BEFORE_1900 if early else BIRTH_IN_FUTURE])
    return str(BIRTH_DATE_FORMAT_MESSAGE)


def validate_inputs(person: PersonInput, case: CaseInput) -> None:
    """Check inputs against the code lists and the rules; raise ValidationError by field."""
    errors: dict[str, list[str]] = {}
    ident = person.identity
    today = timezone.localdate()  # once: it reads the time zone (an import checks thousands)
    if not (ident.first_name.strip() or ident.family_name.strip() or ident.aliases):
        errors.setdefault("family_name", []).append(
            _("Give at least a first name, a family name or an alias.")
        )
    _require_code(errors, "gender", codes.GENDER, person.gender)
    for country in person.citizenships:
        _require_code(errors, "citizenships", codes.COUNTRY, country)
    _require_code(errors, "origin_oblast", codes.OBLAST, person.origin_oblast)
    for doc in ident.documents:
        _require_code(errors, "documents", codes.DOCUMENT_TYPE, doc.type)
    if ident.rnokpp and not (ident.rnokpp.isdigit() and len(ident.rnokpp) == 10):
        errors.setdefault("rnokpp", []).append(_("The RNOKPP has exactly 10 digits."))
    if not case.identification_country:
        errors.setdefault("identification_country", []).append(_("This field is required."))
    _require_code(errors, "identification_country", codes.COUNTRY, case.identification_country)
    _require_code(errors, "identification_oblast", codes.OBLAST, case.identification_oblast)
    if case.identification_oblast and case.identification_country != codes.UKRAINE:
        errors.setdefault("identification_oblast", []).append(
            _("An oblast can only be given for an identification in Ukraine.")
        )
    if not case.channel:
        errors.setdefault("channel", []).append(_("This field is required."))
    _require_code(errors, "channel", codes.CHANNEL, case.channel)
    _require_code(errors, "trafficking_status", codes.TRAFFICKING_STATUS, case.trafficking_status)
    _require_code(
        errors, "status_decision_org", codes.STATUS_DECISION_ORG, case.status_decision_org
    )
    _require_code(
        errors, "relationship_to_recruiter", codes.RELATIONSHIP, case.relationship_to_recruiter
    )
    _require_code(errors, "status", codes.CASE_STATUS, case.status)
    _require_code(errors, "closure_reason", codes.CLOSURE_REASON, case.closure_reason)
    if case.status in codes.CLOSED_STATUSES and not case.closure_reason:
        errors.setdefault("closure_reason", []).append(_("A closed case needs a reason."))
    if case.status not in codes.CLOSED_STATUSES and case.closure_reason:
        errors.setdefault("closure_reason", []).append(_("Only a closed case has a reason."))
    for list_name, values in case.multi.items():
        if list_name not in MULTI_CODE_LISTS:
            raise ValueError(f"{list_name} is not a multi-valued case list")
        for value in values:
            _require_code(errors, list_name, list_name, value)
    if case.identified_on > today:
        errors.setdefault("identified_on", []).append(_("The date cannot be in the future."))
    problem = birth_date_problem(ident.birth_date, today=today, identified_on=case.identified_on)
    if problem:
        errors.setdefault("birth_date", []).append(str(BIRTH_DATE_MESSAGES[problem]))
    for index, event in enumerate(case.events):
        prefix = f"events[{index}]"
        _require_code(errors, f"{prefix}.type", codes.EVENT_TYPE, event.type)
        _require_code(errors, f"{prefix}.country", codes.COUNTRY, event.country)
        if not event.type:
            errors.setdefault(f"{prefix}.type", []).append(_("This field is required."))
        if not event.country:
            errors.setdefault(f"{prefix}.country", []).append(_("This field is required."))
        if event.started_on and event.ended_on and event.ended_on < event.started_on:
            errors.setdefault(f"{prefix}.ended_on", []).append(
                _("The end date is before the start date.")
            )
    if ident.email:
        try:
            validate_email(ident.email)
        except ValidationError:
            errors.setdefault("email", []).append(_("Enter a valid e-mail address."))
    if ident.mailing.country:
        _require_code(errors, "mailing.country", codes.COUNTRY, ident.mailing.country)
    if person.profile is not None:
        _validate_profile(errors, person.profile)
    if case.referral is not None:
        _validate_referral(errors, case.referral, today)
    if errors:
        raise ValidationError(errors)


def _validate_profile(errors: dict[str, list[str]], profile: PersonProfile) -> None:
    _require_code(errors, "marital_status", codes.MARITAL_STATUS, profile.marital_status)
    _require_code(errors, "education", codes.EDUCATION, profile.education)
    for name in ("primary_language", "secondary_language"):
        value = getattr(profile, name)
        if value and value != codes.language_code(value):
            errors.setdefault(name, []).append(
                _("%(value)s is not an ISO 639-2 language code.") % {"value": value}
            )


def _validate_referral(
    errors: dict[str, list[str]], details: ReferralDetails, today: dt.date
) -> None:
    age = details.age_when_trafficked
    if age is not None and not 0 <= age <= 120:
        errors.setdefault("age_when_trafficked", []).append(_("Give an age from 0 to 120."))
    _require_code(
        errors,
        "incoming_referral_reason",
        codes.INCOMING_REFERRAL_REASON,
        details.incoming_referral_reason,
    )
    _require_code(
        errors,
        "outgoing_referral_reason",
        codes.OUTGOING_REFERRAL_REASON,
        details.outgoing_referral_reason,
    )
    for name in ("incoming_referral_date", "outgoing_referral_date"):
        value = getattr(details, name)
        if value is not None and value > today:
            errors.setdefault(name, []).append(_("The date cannot be in the future."))


def _derived_htcds_types(case: CaseInput) -> list[str]:
    """HTCDS types of exploitation, completed from the Ukrainian legal forms given."""
    types = set(case.multi.get(codes.EXPLOITATION, []))
    ua = code_list(codes.UA_EXPLOITATION)
    for form in case.multi.get(codes.UA_EXPLOITATION, []):
        if ua.get(form).htcds_equivalent:  # "MixedForms" has none: its forms are recorded too
            types.add(ua.get(form).htcds_equivalent)
    return sorted(types)


def _apply_person(person: Person, data: PersonInput) -> None:
    person.gender = data.gender
    person.citizenships = sorted(set(data.citizenships))
    person.is_idp = data.is_idp
    person.origin_oblast = data.origin_oblast
    if data.profile is not None:
        person.marital_status = data.profile.marital_status
        person.primary_language = data.profile.primary_language
        person.secondary_language = data.profile.secondary_language
        person.education = data.profile.education


def _apply_case(case: Case, data: CaseInput, identity: Identity, actor: Actor) -> None:
    case.identified_on = data.identified_on
    case.identification_country = data.identification_country
    case.identification_oblast = data.identification_oblast
    case.identifying_agency = data.identifying_agency or case.identifying_agency
    case.channel = data.channel
    case.trafficking_status = data.trafficking_status
    case.status_decision_org = data.status_decision_org
    case.relationship_to_recruiter = data.relationship_to_recruiter
    case.status = data.status
    case.closure_reason = data.closure_reason
    if data.caseworker is not None:
        case.caseworker = data.caseworker
    if data.referral is not None:
        for name, value in vars(data.referral).items():
            setattr(case, name, value)
    age = age_on(identity.birth_date, data.identified_on)
    if age is None:  # no birth date: the estimate given, else the age already recorded
        age = data.estimated_age if data.estimated_age is not None else case.age_at_identification
    case.age_at_identification = age
    case.age_band = ctdc_age_band(age)


def _codes(data: CaseInput) -> list[tuple[str, str]]:
    """The case's (list, code) rows: its multi-valued lists and the HTCDS types derived."""
    multi = dict(data.multi)
    multi[codes.EXPLOITATION] = _derived_htcds_types(data)
    return [
        (list_name, value) for list_name, values in multi.items() for value in sorted(set(values))
    ]


def _code_rows(case: Case, data: CaseInput) -> list[CaseCode]:
    return [CaseCode(case=case, list=list_name, code=value) for list_name, value in _codes(data)]


def _event_rows(case: Case, data: CaseInput) -> list[TraffickingEvent]:
    return [
        TraffickingEvent(
            case=case,
            type=e.type,
            country=e.country,
            oblast=e.oblast,
            started_on=e.started_on,
            ended_on=e.ended_on,
        )
        for e in data.events
    ]


def _write_children(case: Case, data: CaseInput) -> None:
    """Replace a case's coded lists and trafficking events with those of `data`."""
    lists = [*data.multi, codes.EXPLOITATION]
    CaseCode.objects.filter(case=case, list__in=lists).delete()
    CaseCode.objects.bulk_create(_code_rows(case, data))
    TraffickingEvent.objects.filter(case=case).delete()
    TraffickingEvent.objects.bulk_create(_event_rows(case, data))


def register_case(*, actor: Actor, person: PersonInput, case: CaseInput) -> Case:
    """Register a person and their case in the actor's agency, in one transaction."""
    validate_inputs(person, case)
    return _register(actor, [(person, case)], None)[0]


def register_cases(
    *,
    actor: Actor,
    registrations: Sequence[tuple[PersonInput, CaseInput]],
    checked: bool = False,
    sealed: Sequence[SealedIdentity] | None = None,
) -> list[Case]:
    """Register many persons and their cases, all or none, as `register_case` would one by one
    but in a few statements (bulk inserts, one audit event per case appended together).
    A bad input raises ValidationError with its fields named `[index].field`. `checked`: the
    caller has just passed every registration through `validate_inputs` (the HTCDS import
    checks each record before it writes any), so it is not checked twice. `sealed`: each
    registration's identity already sealed with its blind-index rows (`seal_new_identity` of
    the same identity, in the same order), as the checking process of a large import makes
    them; otherwise they are sealed here the same way. The persons take those ids."""
    if sealed is not None and len(sealed) != len(registrations):
        raise ValueError("register_cases needs one sealed identity per registration")
    errors: dict[str, list[str]] = {}
    for index, (person, case) in enumerate([] if checked else registrations):
        try:
            validate_inputs(person, case)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors[f"[{index}].{name}"] = list(messages)
    if errors:
        raise ValidationError(errors)
    return _register(actor, registrations, sealed)


def _register(
    actor: Actor,
    registrations: Sequence[tuple[PersonInput, CaseInput]],
    sealed: Sequence[SealedIdentity] | None,
) -> list[Case]:
    if actor.agency is None:
        raise ValueError("an actor without an agency cannot register cases")
    if sealed is None:
        ring = current_keyring()
        memo: dict[tuple[str, str], frozenset[tuple[str, int]]] = {}  # one batch's names
        sealed = [seal_new_identity(p.identity, ring=ring, memo=memo) for p, _c in registrations]
    persons: list[Person] = []
    cases: list[Case] = []
    for (person_input, case_input), identity in zip(registrations, sealed, strict=True):
        person = Person(id=identity.person_id, agency=actor.agency, **identity.fields)
        _apply_person(person, person_input)
        new_case = Case(
            person=person,
            owner_agency=actor.agency,
            caseworker=actor.user,
            registered_by=actor.user,
        )
        new_case.identifying_agency = actor.agency
        _apply_case(new_case, case_input, person_input.identity, actor)
        new_case.full_clean(
            # the users and agencies come from the actor or were checked (a query each)
            exclude=["person", "owner_agency", "identifying_agency", "caseworker", "registered_by"],
            validate_unique=False,  # a new UUID; the database enforces uniqueness anyway
            validate_constraints=False,  # checked above; the database enforces them too
        )
        persons.append(person)
        cases.append(new_case)
    built = list(zip(cases, registrations, strict=True))
    with transaction.atomic():
        # Rows inserted without the ORM's per-instance work (`core.bulk`).
        insert_models(persons)
        index_sealed_identities(sealed)
        insert_models(cases)
        insert_rows(
            CaseCode,
            ("case", "list", "code"),
            [(case.pk, name, code) for case, (_i, c) in built for name, code in _codes(c)],
        )
        insert_models([row for case, (_i, c) in built for row in _event_rows(case, c)])
        record_many(
            [
                Entry(
                    action="case.registered",
                    actor_id=actor.user.id,
                    agency_id=actor.agency.id,
                    object_type="case",
                    object_id=case.id,
                    detail={"person": str(case.person_id)},
                )
                for case in cases
            ]
        )
    return cases


def _changed(before: dict[str, object], after: dict[str, object]) -> list[str]:
    return sorted(k for k in after if before.get(k) != after.get(k))


def _snapshot(case: Case, identity: Identity) -> dict[str, object]:
    person = case.person
    snap: dict[str, object] = {f"person.{k}": v for k, v in identity._columns().items()}
    snap.update(
        {
            "person.gender": person.gender,
            "person.citizenships": list(person.citizenships),
            "person.is_idp": person.is_idp,
            "person.origin_oblast": person.origin_oblast,
            "person.marital_status": person.marital_status,
            "person.primary_language": person.primary_language,
            "person.secondary_language": person.secondary_language,
            "person.education": person.education,
        }
    )
    for name in (
        "identified_on",
        "identification_country",
        "identification_oblast",
        "identifying_agency_id",
        "channel",
        "trafficking_status",
        "status_decision_org",
        "relationship_to_recruiter",
        "status",
        "closure_reason",
        *vars(ReferralDetails()),
    ):
        snap[name] = getattr(case, name)
    for list_name in MULTI_CODE_LISTS:
        snap[list_name] = sorted(
            CaseCode.objects.filter(case=case, list=list_name).values_list("code", flat=True)
        )
    snap["events"] = list(
        TraffickingEvent.objects.filter(case=case)
        .order_by("started_on", "type", "country")
        .values_list("type", "country", "oblast", "started_on", "ended_on")
    )
    return snap


def update_case(*, actor: Actor, case: Case, person: PersonInput, facts: CaseInput) -> Case:
    """Edit a case and its person; the audit event names the changed fields, not their values."""
    validate_inputs(person, facts)
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("person").get(pk=case.pk)
        if is_erased(case.person):
            raise ValidationError(
                _("The person's data was erased: this case keeps its statistical facts only.")
            )
        before = _snapshot(case, open_identity(case.person))
        _apply_person(case.person, person)
        seal_identity(case.person, person.identity)
        case.person.save()
        index_identity(case.person, person.identity)
        # The status moves only through change_case_status (the case's process table).
        facts.status, facts.closure_reason = case.status, case.closure_reason
        _apply_case(case, facts, person.identity, actor)
        case.full_clean(
            exclude=["person", "owner_agency", "identifying_agency", "caseworker"],
            validate_constraints=False,  # checked above; the database enforces them too
        )
        case.save()
        _write_children(case, facts)
        changed = _changed(before, _snapshot(case, person.identity))
        record(
            action="case.changed",
            actor_id=actor.user.id,
            agency_id=actor.agency_id,
            object_type="case",
            object_id=case.id,
            detail={"fields": changed},
        )
    return case


CONSENT = "Consent"  # the legal basis that is a consent
BY_PERSON = "Person"
BY_REPRESENTATIVE = "LegalRepresentative"
BY_GUARDIANSHIP_AUTHORITY = "GuardianshipAuthority"
ADULT_AGE = 18


def age_at(case: Case, on: dt.date) -> int | None:
    """The person's age in whole years on a date (None when the birth date is unknown)."""
    identity = open_identity(case.person, columns=("birth_date",))
    return age_on(identity.birth_date, on)


def _check_consent_giver(
    errors: dict[str, list[str]],
    case: Case,
    given_on: dt.date,
    given_by: str,
    representative_role: str,
) -> None:
    _require_code(errors, "given_by", codes.CONSENT_GIVER, given_by)
    if given_by == BY_REPRESENTATIVE:
        if not representative_role:
            errors.setdefault("representative_role", []).append(
                _("Say in what role the legal representative gave the consent.")
            )
        else:
            _require_code(
                errors, "representative_role", codes.REPRESENTATIVE_ROLE, representative_role
            )
    elif representative_role and given_by == BY_PERSON:
        errors.setdefault("representative_role", []).append(
            _("Only a consent given by a legal representative has a representative's role.")
        )
    if given_by == BY_PERSON:
        age = age_at(case, given_on)
        if age is not None and age < ADULT_AGE:
            errors.setdefault("given_by", []).append(
                _(
                    "The person was a child (%(age)d years old) on the day of the consent: a "
                    "child's consent is given by the legal representative or the guardianship "
                    "authority. Record who gave it."
                )
                % {"age": age}
            )


def record_consent(
    *,
    actor: Actor,
    case: Case,
    legal_basis: str,
    purposes: list[str],
    data_categories: list[str],
    recipient: Agency | None,
    given_on: dt.date,
    given_by: str = BY_PERSON,
    representative_role: str = "",
) -> Consent:
    """Record a legal basis for processing or sharing the case's data.

    A consent records who gave it (`given_by`): the person, or for a child (under 18 on
    `given_on`, from the person's birth date) the legal representative, with their role, or
    the guardianship authority. A child's consent "by the person" alone is refused. Other
    legal bases have no giver.
    """
    errors: dict[str, list[str]] = {}
    _require_code(errors, "legal_basis", codes.LEGAL_BASIS, legal_basis)
    if not legal_basis:
        errors.setdefault("legal_basis", []).append(_("This field is required."))
    if legal_basis == CONSENT:
        given_by = given_by or BY_PERSON
        _check_consent_giver(errors, case, given_on, given_by, representative_role)
        if given_by != BY_REPRESENTATIVE:
            representative_role = ""
    else:
        given_by, representative_role = "", ""
    for value in purposes:
        _require_code(errors, "purposes", codes.PURPOSE, value)
    for value in data_categories:
        _require_code(errors, "data_categories", codes.DATA_CATEGORY, value)
    if not purposes:
        errors.setdefault("purposes", []).append(_("Choose at least one purpose."))
    if not data_categories:
        errors.setdefault("data_categories", []).append(_("Choose at least one data category."))
    if given_on > timezone.localdate():
        errors.setdefault("given_on", []).append(_("The date cannot be in the future."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        consent = Consent.objects.create(
            case=case,
            legal_basis=legal_basis,
            purposes=sorted(set(purposes)),
            data_categories=sorted(set(data_categories)),
            recipient=recipient,
            given_on=given_on,
            given_by=given_by,
            representative_role=representative_role,
            recorded_by=actor.user,
        )
        record(
            action="consent.recorded",
            actor_id=actor.user.id,
            agency_id=actor.agency_id,
            object_type="case",
            object_id=case.id,
            detail={
                "consent": str(consent.id),
                "legal_basis": legal_basis,
                "given_by": given_by or None,
                "representative_role": representative_role or None,
            },
        )
    return consent


def withdraw_consent(*, actor: Actor, consent: Consent, withdrawn_on: dt.date) -> Consent:
    if consent.withdrawn_on is not None:
        raise ValidationError({"withdrawn_on": _("This consent was already withdrawn.")})
    with transaction.atomic():
        consent.withdrawn_on = withdrawn_on
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = actor.user
        consent.save(update_fields=["withdrawn_on", "withdrawn_at", "withdrawn_by"])
        record(
            action="consent.withdrawn",
            actor_id=actor.user.id,
            agency_id=actor.agency_id,
            object_type="case",
            object_id=consent.case_id,
            detail={"consent": str(consent.id)},
        )
    return consent


def transfer_ownership(*, actor: Actor, case: Case, to_agency: Agency) -> Case:
    """Hand a case over to another agency (the referral service calls this on acceptance)."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        previous = case.owner_agency_id
        case.owner_agency = to_agency
        case.caseworker = actor.user if actor.agency_id == to_agency.id else None
        case.save(update_fields=["owner_agency", "caseworker", "updated_at"])
        record(
            action="case.transferred",
            actor_id=actor.user.id,
            agency_id=actor.agency_id,
            object_type="case",
            object_id=case.id,
            detail={"from_agency": str(previous), "to_agency": str(to_agency.id)},
        )
    return case


def change_case_status(*, actor: Actor, case: Case, action: str, closure_reason: str = "") -> Case:
    """Move a case through its process (cases/workflow.py); closing needs a reason."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        transition = CASE_WORKFLOW.check(case.status, action)
        if transition.target in SHUT:
            if closure_reason not in code_list(codes.CLOSURE_REASON):
                raise ValidationError({"closure_reason": [_("Choose the reason for closing.")]})
            case.closure_reason = closure_reason
        else:
            case.closure_reason = ""
        case.status = transition.target
        case.save(update_fields=["status", "closure_reason", "updated_at"])
        record(
            action=f"case.{action}",
            actor_id=actor.user.id,
            agency_id=actor.agency_id,
            object_type="case",
            object_id=case.id,
            detail={"status": case.status, "reason": case.closure_reason},
        )
    return case
