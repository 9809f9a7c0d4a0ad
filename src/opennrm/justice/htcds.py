"""The HTCDS perpetrator section (`per_`), registered with the HTCDS exchange of `cases`.

HTCDS v2.0 (IOM, CC BY 4.0) describes a perpetrator as a person (`prs_` fields) with a
perpetrator context: `per_RoleInProcess` (a multi-select picklist of the standard) and
`per_RoleDetails` (free text). A case's perpetrators (the persons its victim named) are the JSON
list `per_Perpetrators`, each item in the standard's names:

- `prs_FirstName`, `prs_MiddleName`, `prs_SecondName`, `prs_Birthdate`, `x_ua_Aliases`,
  `x_ua_Description`: the encrypted identity;
- `prs_Gender`, `prs_Citizenship` (one country): the record's codes;
- `per_RoleInProcess` (required unless `x_ua_Roles` gives them): the roles, as the `crime_role`
  codes whose `htcds_equivalent` it is; `x_ua_Roles` (export) gives the exact codes;
- `prs_MobilePhone`, `prs_Email`, `x_ua_Identifiers` (`[{"kind", "value"}]`): identifiers,
  normalised, encrypted, with digests; alerts fire as for any new record;
- extensions `x_ua_ModusOperandi`, `x_ua_OrganisedGroup`, and the standard's
  `vic_RelationshipToTrafficker` (the relation of this person to the victim);
- not kept: `per_RoleDetails` (free text with no encrypted home), `x_ua_PerpetratorId`.

The section is gated: only an actor whose gate lets them record perpetrators imports it (else it
is named in `not_kept`), and an export carries only the perpetrators the caller's gate passes
(`access.perpetrators`); no share ever shows it (docs/perpetrators.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from opennrm.cases.htcds import Section, not_a_value, register_section, resolve
from opennrm.cases.models import Case
from opennrm.core import codes
from opennrm.core.ages import PartialDate
from opennrm.justice import identifiers as idf
from opennrm.justice.perpetrator_services import (
    IdentifierInput,
    PerpetratorInput,
    record_perpetrator,
)
from opennrm.justice.perpetrator_vault import PerpetratorIdentity, open_identity, open_value
from opennrm.justice.perpetrators import Perpetrator
from opennrm.tenancy.actor import Actor

NAME = "per_Perpetrators"
ROLE_IN_PROCESS = "per_RoleInProcess"
TEXT = {
    "prs_FirstName": "first_name",
    "prs_MiddleName": "middle_name",
    "prs_SecondName": "family_name",
}
FIELDS = frozenset(
    {
        *TEXT,
        "prs_Birthdate",
        "prs_Gender",
        "prs_Citizenship",
        "prs_MobilePhone",
        "prs_Email",
        ROLE_IN_PROCESS,
        "x_ua_Identifiers",
        "x_ua_Aliases",
        "x_ua_Description",
        "x_ua_Roles",
        "x_ua_ModusOperandi",
        "x_ua_OrganisedGroup",
        "vic_RelationshipToTrafficker",
    }
)
NOT_KEPT = frozenset({"per_RoleDetails", "x_ua_PerpetratorId"})
MAX_TEXT = 200
MAX_DESCRIPTION = 1000


Errors = dict[str, list[str]]


def crime_role_of(htcds_role: str) -> str:
    """The `crime_role` code of an HTCDS `per_RoleInProcess` value (same code first)."""
    roles = codes.code_list(codes.CRIME_ROLE)
    if htcds_role in roles and roles.get(htcds_role).htcds_equivalent == htcds_role:
        return htcds_role
    for code in roles:
        if code.htcds_equivalent == htcds_role:
            return code.code
    return "Other"


def htcds_role_of(crime_role: str) -> str:
    """The HTCDS `per_RoleInProcess` value of a `crime_role` code ("Other" without one)."""
    roles = codes.code_list(codes.CRIME_ROLE)
    return (roles.get(crime_role).htcds_equivalent if crime_role in roles else "") or "Other"


@dataclass
class _Item:
    """Reads one item, collecting errors by `[index].field`."""

    raw: dict[str, Any]
    where: str
    errors: Errors = field(default_factory=dict)

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(self.where + name, []).append(message)

    def text(self, name: str, max_length: int = MAX_TEXT) -> str:
        value = self.raw.get(name)
        if value in (None, ""):
            return ""
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.fail(name, _("Expected text."))
            return ""
        if len(value) > max_length:
            self.fail(name, _("At most %(n)d characters.") % {"n": max_length})
        return value.strip()

    def pieces(self, name: str) -> list[str]:
        value = self.raw.get(name)
        if value in (None, ""):
            return []
        if isinstance(value, str):
            return [p.strip() for p in value.replace("\n", ";").split(";") if p.strip()]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return [v.strip() for v in value if v.strip()]
        self.fail(name, _("Expected a list of texts or a ';'-separated text."))
        return []

    def code(self, name: str, list_name: str) -> str:
        raw = self.text(name)
        if not raw:
            return ""
        found = resolve(list_name, raw)
        if found is None:
            self.fail(name, not_a_value(raw, name))
            return ""
        return found

    def codes(self, name: str, list_name: str) -> list[str]:
        found: list[str] = []
        for piece in self.pieces(name):
            one = resolve(list_name, piece)
            if one is None:
                self.fail(name, not_a_value(piece, name))
            else:
                found.append(one)
        return sorted(set(found))


def _identifiers(item: _Item) -> list[IdentifierInput]:
    """The item's identifiers, each checked here so that a bad one is named by its field (by
    the fault, never by the value)."""
    given: list[tuple[str, str, str]] = []
    for name, kind in (("prs_MobilePhone", idf.PHONE), ("prs_Email", idf.EMAIL)):
        for value in item.pieces(name):
            given.append((name, kind, value))
    raw = item.raw.get("x_ua_Identifiers")
    if raw not in (None, "", []):
        if not isinstance(raw, list) or not all(
            isinstance(i, dict)
            and isinstance(i.get("kind"), str)
            and isinstance(i.get("value"), str)
            and set(i) <= {"kind", "value"}
            for i in raw
        ):
            item.fail(
                "x_ua_Identifiers", _("Expected a list of identifiers, each a kind and a value.")
            )
        else:
            for index, one in enumerate(raw):
                given.append((f"x_ua_Identifiers[{index}]", one["kind"], one["value"]))
    kinds = codes.code_list(codes.IDENTIFIER_KIND)
    found: list[IdentifierInput] = []
    for name, kind, value in given:
        if kind not in kinds:
            item.fail(name, _("Unknown kind of identifier."))
            continue
        try:
            idf.normalise(kind, value)
        except idf.BadIdentifier as exc:
            item.fail(name, f"{kinds.label(kind)}: {exc}")
            continue
        found.append(IdentifierInput(kind, value))
    return found


def _one_item(item: _Item) -> PerpetratorInput:
    for key in sorted(set(item.raw) - FIELDS - NOT_KEPT):
        item.fail(key, _("Unknown field."))
    names = {attr: item.text(name) for name, attr in TEXT.items()}
    birth = item.text("prs_Birthdate", 10)
    if birth:
        try:
            PartialDate.parse(birth)
        except ValueError:
            item.fail("prs_Birthdate", _("Expected a date as YYYY-MM-DD, or only the year YYYY."))
            birth = ""
    citizenships = item.codes("prs_Citizenship", codes.COUNTRY)
    if len(citizenships) > 1:
        item.fail("prs_Citizenship", _("One citizenship per perpetrator."))
    identity = PerpetratorIdentity(
        birth_date=birth,
        aliases=item.pieces("x_ua_Aliases"),
        description=item.text("x_ua_Description", MAX_DESCRIPTION),
        **names,
    )
    if not (
        identity.first_name or identity.family_name or identity.aliases or identity.description
    ):
        item.fail("prs_SecondName", _("Give a name, an alias or a description."))
    roles = item.codes("x_ua_Roles", codes.CRIME_ROLE)
    if not roles:
        htcds_roles = item.codes(ROLE_IN_PROCESS, ROLE_IN_PROCESS)
        roles = sorted({crime_role_of(r) for r in htcds_roles})
        if not roles and ROLE_IN_PROCESS not in {k[len(item.where) :] for k in item.errors}:
            item.fail(ROLE_IN_PROCESS, _("This field is required."))
    organised = item.raw.get("x_ua_OrganisedGroup", False)
    if isinstance(organised, str) and organised.strip().lower() in (
        "true",
        "1",
        "yes",
        "false",
        "0",
        "no",
        "",
    ):
        organised = organised.strip().lower() in ("true", "1", "yes")
    if not isinstance(organised, bool):
        item.fail("x_ua_OrganisedGroup", _("Expected true or false."))
        organised = False
    return PerpetratorInput(
        identity=identity,
        gender=item.code("prs_Gender", codes.GENDER) or "NonSpecifiedUnknown",
        citizenship=citizenships[0] if len(citizenships) == 1 else "",
        roles=roles,
        modus_operandi=item.codes("x_ua_ModusOperandi", codes.MODUS_OPERANDI),
        organised_group=organised,
        relation_to_victim=item.code("vic_RelationshipToTrafficker", codes.RELATIONSHIP),
        identifiers=_identifiers(item),
    )


def parse(items: Any) -> tuple[list[PerpetratorInput], Errors]:
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        return [], {"": [_("Expected a list of perpetrators.")]}
    errors: Errors = {}
    found: list[PerpetratorInput] = []
    for index, raw in enumerate(items):
        item = _Item(raw, f"[{index}].")
        found.append(_one_item(item))
        for key, messages in item.errors.items():
            errors.setdefault(key, []).extend(messages)
    return found, errors


def write(actor: Actor, case: Case, items: list[PerpetratorInput]) -> None:
    """Record each perpetrator in the actor's unit, linked to the case (its victim named them),
    through the perpetrator services: identity encrypted, identifiers normalised, alerts raised,
    each audited. A refusal of the services fails the whole import."""
    for item in items:
        try:
            record_perpetrator(actor=actor, data=item, cases=[case])
        except ValidationError as exc:
            raise ValidationError({NAME: exc.messages}) from exc


def export_visible(case: Case, visible: Any) -> list[dict[str, Any]]:
    """The perpetrators of a case among `visible` (the perpetrators the caller's gate passes)."""
    perpetrators = (
        visible.filter(cases=case).prefetch_related("identifiers").order_by("recorded_at", "id")
    )
    return [_export_one(p) for p in perpetrators]


def _export_one(perpetrator: Perpetrator) -> dict[str, Any]:
    identity = open_identity(perpetrator)
    values = [(i.kind, open_value(i)) for i in perpetrator.identifiers.all()]
    phone = next((v for k, v in values if k == idf.PHONE), "")
    email = next((v for k, v in values if k == idf.EMAIL), "")
    rest = [
        {"kind": k, "value": v}
        for k, v in values
        if not (k == idf.PHONE and v == phone) and not (k == idf.EMAIL and v == email)
    ]
    return {
        "x_ua_PerpetratorId": str(perpetrator.id),
        "prs_FirstName": identity.first_name,
        "prs_MiddleName": identity.middle_name,
        "prs_SecondName": identity.family_name,
        "prs_Birthdate": identity.birth_date,
        "prs_Gender": perpetrator.gender,
        "prs_Citizenship": [perpetrator.citizenship] if perpetrator.citizenship else [],
        ROLE_IN_PROCESS: sorted({htcds_role_of(r) for r in perpetrator.roles}),
        "x_ua_Roles": list(perpetrator.roles),
        "prs_MobilePhone": phone,
        "prs_Email": email,
        "x_ua_Identifiers": rest,
        "x_ua_Aliases": list(identity.aliases),
        "x_ua_Description": identity.description,
        "x_ua_ModusOperandi": list(perpetrator.modus_operandi),
        "x_ua_OrganisedGroup": perpetrator.organised_group,
        "vic_RelationshipToTrafficker": perpetrator.relation_to_victim,
    }


def register() -> None:
    register_section(
        Section(
            name=NAME,
            parse=parse,
            write=write,
            not_kept=NOT_KEPT,
            gated=True,
            export_visible=export_visible,
        )
    )
