"""Display data for templates: labels in the active language, decrypted names for the rows shown."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.forms import BoundField, Form
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opennrm.access.fields import CASE_FACTS, IDENTITY
from opennrm.access.scope import FieldScope
from opennrm.cases.models import Case
from opennrm.core import codes
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


def _labels(list_name: str, values: Iterable[str]) -> str:
    cl = code_list(list_name)
    return ", ".join(cl.label(v) for v in values)


def case_rows(cases: Iterable[Case], *, scope: FieldScope) -> list[CaseRow]:
    """Rows of the case list: names decrypted and facts shown only where the scope allows."""
    rows = []
    for case in cases:
        if scope.shows(case, IDENTITY):
            name = open_identity(case.person, columns=NAME_COLUMNS).full_name
            name = name or _("(no name given)")
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
                    (_("Identifying agency"), case.identifying_agency.name),
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
                (_("Owner agency"), case.owner_agency.name),
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
            "recipient": c.recipient.name if c.recipient else _("Any NRM partner"),
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


FORM_SECTIONS: list[tuple[Any, tuple[str, ...]]] = [
    (
        gettext_lazy("Person"),
        (
            "family_name",
            "first_name",
            "middle_name",
            "aliases",
            "birth_date",
            "gender",
            "citizenships",
            "document_type",
            "document_number",
            "rnokpp",
            "phones",
            "place_of_stay",
            "is_idp",
            "origin_oblast",
            "origin_detail",
        ),
    ),
    (
        gettext_lazy("Identification"),
        (
            "identified_on",
            "identification_country",
            "identification_oblast",
            "channel",
        ),
    ),
    (
        gettext_lazy("Victim context"),
        (
            "trafficking_status",
            "status_decision_org",
            "ua_exploitation",
            "exploitation",
            "labour_industry",
            "sex_exploitation",
            "recruitment",
            "control",
            "relationship_to_recruiter",
        ),
    ),
]


def _consent_giver(given_by: str, role: str) -> str:
    """Who gave a consent: "Legal representative (for a child): Parent", or "" when not said."""
    if not given_by:
        return ""
    label = code_list(codes.CONSENT_GIVER).label(given_by)
    return f"{label}: {code_list(codes.REPRESENTATIVE_ROLE).label(role)}" if role else label


def form_sections(form: Form) -> list[tuple[Any, list[BoundField]]]:
    return [(title, [form[name] for name in names]) for title, names in FORM_SECTIONS]


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
