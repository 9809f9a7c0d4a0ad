"""Display data for templates: labels in the active language, decrypted names for the rows shown."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.forms import BoundField, Form
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opennrm.access.fields import CASE_FACTS, IDENTITY
from opennrm.access.scope import FieldScope
from opennrm.cases.models import Case
from opennrm.cases.queries import NameMatch
from opennrm.core import codes, name_keys
from opennrm.core.codes import code_list
from opennrm.justice.queries import Milestone
from opennrm.justice.workflow import STATE_LABELS as JUSTICE_STAGES
from opennrm.people.identity import Identity, open_identity
from opennrm.web.dates import partial_date, short_date

NAME_COLUMNS = ("first_name", "middle_name", "family_name")


@dataclass(frozen=True)
class CaseRow:
    case: Case
    name: str
    exploitation: str
    status: str
    oblast: str
    # The case facts below are None where they do not show (as the name and the oblast).
    identified_on: dt.date | None = None
    age: int | None = None
    agency: str = ""
    shows_identity: bool = False
    # Why a name search found the row (`match_labels`); empty without a search.
    matched: tuple[str, ...] = ()


NAME_FIELD_LABELS = {
    "first_name": gettext_lazy("given name"),
    "middle_name": gettext_lazy("patronymic"),
    "family_name": gettext_lazy("surname"),
    "aliases": gettext_lazy("other name"),
}
MATCH_KIND_LABELS = {
    name_keys.EXACT: gettext_lazy("%(field)s: as written"),
    name_keys.TRANSLIT: gettext_lazy("%(field)s: transliteration"),
    name_keys.EQUIVALENT: gettext_lazy("%(field)s: equivalent"),
    name_keys.PREFIX: gettext_lazy("%(field)s by its beginning"),
}


def match_labels(matches: Iterable[NameMatch]) -> tuple[str, ...]:
    """Why a case was found by a name search: "surname by its beginning", "given name:
    equivalent". Only shown on rows whose identity the actor sees (the search looks nowhere
    else)."""
    return tuple(
        str(MATCH_KIND_LABELS[m.kind]) % {"field": NAME_FIELD_LABELS[m.field]} for m in matches
    )


def _labels(list_name: str, values: Iterable[str]) -> str:
    cl = code_list(list_name)
    return ", ".join(cl.label(v) for v in values)


def case_rows(
    cases: Iterable[Case],
    *,
    scope: FieldScope,
    matches: Mapping[uuid.UUID, list[NameMatch]] | None = None,
) -> list[CaseRow]:
    """Rows of the case list: names decrypted and facts shown only where the scope allows;
    with `matches` (`cases.queries.name_matches`), why each row was found by a name search."""
    rows = []
    for case in cases:
        identity_shows = scope.shows(case, IDENTITY)
        matched: tuple[str, ...] = ()
        if identity_shows:
            name = open_identity(case.person, columns=NAME_COLUMNS).full_name
            name = name or _("(no name given)")
            matched = match_labels((matches or {}).get(case.person_id, []))
        else:
            name = _("(identity not shared)")
        facts = scope.shows(case, CASE_FACTS)
        rows.append(
            CaseRow(
                case=case,
                name=name,
                exploitation=_labels(codes.EXPLOITATION, case.codes_of(codes.EXPLOITATION))
                if facts
                else "",
                status=code_list(codes.CASE_STATUS).label(case.status),
                oblast=code_list(codes.OBLAST).label(case.identification_oblast)
                if facts and case.identification_oblast
                else "",
                identified_on=case.identified_on if facts else None,
                age=case.age_at_identification if facts else None,
                agency=case.owner_agency.display_name,
                shows_identity=identity_shows,
                matched=matched,
            )
        )
    return rows


@dataclass(frozen=True)
class Section:
    title: str
    items: list[tuple[str, str]]


def case_view(case: Case, identity: Identity | None, scope: FieldScope) -> dict[str, Any]:
    """What the case page shows: only the fields whose data category the scope shows."""
    person = case.person
    dash = "—"

    def shows(name: str) -> bool:
        return scope.shows_field(case, name)

    def code(list_name: str, value: str) -> str:
        return code_list(list_name).label(value) if value else dash

    def many(list_name: str) -> str:
        return _labels(list_name, case.codes_of(list_name)) or dash

    sections: list[Section] = []
    if identity is not None:
        person_items: list[tuple[str, str]] = []
        if shows("family_name"):
            person_items += [
                (_("Family name"), identity.family_name or dash),
                (_("First name"), identity.first_name or dash),
                (_("Patronymic or middle name"), identity.middle_name or dash),
                (_("Other names or spellings"), ", ".join(identity.aliases) or dash),
                (_("Date of birth"), partial_date(identity.birth_date) or dash),
                (_("Gender"), code(codes.GENDER, person.gender)),
                (_("Citizenship"), _labels(codes.COUNTRY, person.citizenships) or dash),
            ]
        if shows("documents"):
            documents = "; ".join(
                f"{code_list(codes.DOCUMENT_TYPE).label(d.type)} {d.number}"
                for d in identity.documents
            )
            person_items += [
                (_("Identity documents"), documents or dash),
                (_("RNOKPP (tax number)"), identity.rnokpp or dash),
            ]
        if shows("phones"):
            person_items += [
                (_("Phones"), ", ".join(identity.phones) or dash),
                (_("Place of stay"), identity.place_of_stay or dash),
            ]
        if shows("origin_oblast"):
            person_items += [
                (_("Internally displaced person"), _("yes") if person.is_idp else _("no")),
                (_("Oblast of origin"), code(codes.OBLAST, person.origin_oblast)),
                (_("Territory of origin (hromada, settlement)"), identity.origin_detail or dash),
            ]
        if shows("vulnerability_details"):
            person_items += [
                (_("Vulnerabilities"), many(codes.VULNERABILITIES)),
                (_("Details of vulnerabilities"), identity.vulnerability_details or dash),
            ]
        sections.append(Section(_("Person"), person_items))
    events: list[dict[str, Any]] = []
    if shows("events"):
        sections.append(
            Section(
                _("Identification"),
                [
                    (_("Date of identification"), short_date(case.identified_on)),
                    (
                        _("Country of identification"),
                        code(codes.COUNTRY, case.identification_country),
                    ),
                    (_("Oblast of identification"), code(codes.OBLAST, case.identification_oblast)),
                    (_("Identifying agency"), case.identifying_agency.display_name),
                    (_("Channel of identification"), code(codes.CHANNEL, case.channel)),
                    (
                        _("Age at identification"),
                        str(case.age_at_identification)
                        if case.age_at_identification is not None
                        else dash,
                    ),
                ],
            )
        )
        sections.append(
            Section(
                _("Victim context"),
                [
                    (
                        _("Trafficking status"),
                        code(codes.TRAFFICKING_STATUS, case.trafficking_status),
                    ),
                    (
                        _("Organisation that decided the trafficking status"),
                        code(codes.STATUS_DECISION_ORG, case.status_decision_org),
                    ),
                    (_("Forms of exploitation (law of Ukraine)"), many(codes.UA_EXPLOITATION)),
                    (_("Types of exploitation (HTCDS)"), many(codes.EXPLOITATION)),
                    (_("Forced-labour industry"), many(codes.LABOUR_INDUSTRY)),
                    (_("Type of sexual exploitation"), many(codes.SEX_EXPLOITATION)),
                    (_("Method of recruitment"), many(codes.RECRUITMENT)),
                    (_("Methods of control"), many(codes.CONTROL)),
                    (
                        _("Relationship to the recruiter"),
                        code(codes.RELATIONSHIP, case.relationship_to_recruiter),
                    ),
                ],
            )
        )
        events = [
            {
                "type": code(codes.EVENT_TYPE, e.type),
                "country": code(codes.COUNTRY, e.country),
                "oblast": code(codes.OBLAST, e.oblast) if e.oblast else "",
                "started_on": e.started_on,
                "ended_on": e.ended_on,
            }
            for e in case.events.all()
        ]
    sections.append(
        Section(
            _("Case management"),
            [
                (_("Case status"), code(codes.CASE_STATUS, case.status)),
                (_("Reason for closure"), code(codes.CLOSURE_REASON, case.closure_reason)),
                (_("Owner agency"), case.owner_agency.display_name),
                (
                    _("Caseworker"),
                    case.caseworker.get_username()
                    if case.caseworker and shows("caseworker")
                    else dash,
                ),
            ],
        )
    )
    consents = [
        {
            "consent": c,
            "legal_basis": code(codes.LEGAL_BASIS, c.legal_basis),
            "purposes": _labels(codes.PURPOSE, c.purposes),
            "data_categories": _labels(codes.DATA_CATEGORY, c.data_categories),
            "recipient": c.recipient.display_name if c.recipient else _("Any NRM partner"),
            "given_by": _consent_giver(c.given_by, c.representative_role),
        }
        for c in (case.consents.all() if shows("consents") else ())
    ]
    if identity is not None and shows("full_name"):
        name = identity.full_name or _("(no name given)")
    else:
        name = _("(identity not shared)")
    return {
        "name": name,
        "sections": sections,
        "events": events,
        "show_events": shows("events"),
        "consents": consents,
        "show_consents": shows("consents"),
    }


@dataclass(frozen=True)
class FormSection:
    """A part of the case form: what it asks, open by default or collapsed (optional parts)."""

    key: str
    title: Any
    fields: tuple[str, ...]
    open: bool = True


# The registration form: what identifies the person and the case first, open; the optional
# parts collapsed (<details>), opened when they hold a value or an error.
FORM_SECTIONS: list[FormSection] = [
    FormSection(
        "person",
        gettext_lazy("Person"),
        ("family_name", "first_name", "middle_name", "birth_date", "gender", "citizenships"),
    ),
    FormSection(
        "identification",
        gettext_lazy("Identification"),
        ("identified_on", "identification_country", "identification_oblast", "channel"),
    ),
    FormSection(
        "exploitation",
        gettext_lazy("Trafficking status and exploitation"),
        ("trafficking_status", "ua_exploitation"),
    ),
    FormSection(
        "identity_more",
        gettext_lazy("Other names, documents and contact"),
        ("aliases", "document_type", "document_number", "rnokpp", "phones", "place_of_stay"),
        open=False,
    ),
    FormSection(
        "origin",
        gettext_lazy("Origin and displacement"),
        ("is_idp", "origin_oblast", "origin_detail"),
        open=False,
    ),
    FormSection(
        "context",
        gettext_lazy("More on the exploitation"),
        (
            "status_decision_org",
            "labour_industry",
            "sex_exploitation",
            "recruitment",
            "control",
            "relationship_to_recruiter",
        ),
        open=False,
    ),
]


def _consent_giver(given_by: str, role: str) -> str:
    """Who gave a consent: "Legal representative (for a child): Parent", or "" when not said."""
    if not given_by:
        return ""
    label = code_list(codes.CONSENT_GIVER).label(given_by)
    return f"{label}: {code_list(codes.REPRESENTATIVE_ROLE).label(role)}" if role else label


def _filled(field: BoundField) -> bool:
    value = field.value()
    return value not in (None, "", [], (), False)


def form_sections(form: Form) -> list[dict[str, Any]]:
    """The sections of the case form with their bound fields; a collapsed one opens when one
    of its fields holds a value or an error (nothing typed is ever hidden)."""
    sections = []
    for section in FORM_SECTIONS:
        fields = [form[name] for name in section.fields]
        sections.append(
            {
                "key": section.key,
                "title": section.title,
                "fields": fields,
                "optional": not section.open,
                "open": section.open or any(f.errors or _filled(f) for f in fields),
            }
        )
    return sections


def milestone_rows(milestones: Iterable[Milestone]) -> list[dict[str, Any]]:
    """A client's justice milestones, labelled (the number, article, stage, role, next hearing,
    protection): what a caseworker sees of a proceeding, never its suspects."""
    return [
        {
            "erdr_number": m.erdr_number,
            "article": code_list(codes.CC_ARTICLE).label(m.article),
            "stage": JUSTICE_STAGES.get(m.stage, m.stage),
            "role": code_list(codes.PROCEDURAL_ROLE).label(m.role),
            "next_hearing": m.next_hearing,
            "protection": code_list(codes.PROTECTION_DECISION).label(m.protection)
            if m.protection
            else "",
        }
        for m in milestones
    ]
