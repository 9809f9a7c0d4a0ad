"""Writes of the borders package: group identification (many minimal cases at once, typed or
imported from a CSV/XLSX list, all or nothing), departures stopped at the border, incidents.
Each validates, writes in one transaction and records an audit event (ids and codes only)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.audit.services import record
from opennrm.borders.models import Incident, Operation, Stop
from opennrm.cases.models import Case
from opennrm.cases.services import CaseInput, PersonInput, PersonProfile, register_case
from opennrm.core import codes
from opennrm.core.ages import PartialDate
from opennrm.people.identity import Identity
from opennrm.tenancy.actor import Actor

Errors = dict[str, list[str]]
MAX_PERSONS = 500
# The channel of identification of the cases an operation opens.
CHANNEL_OF: dict[str, str] = {
    "BorderCheck": "BorderCheck",
    "PoliceRaid": "PoliceOperation",
    "LabourInspection": "LabourInspection",
    "Evacuation": "Other",
}
# How a list may write the sex of a person: English and Ukrainian words and letters.
SEX_WORDS: dict[str, str] = {
    "f": "Feminine",
    "female": "Feminine",
    "woman": "Feminine",
    "ж": "Feminine",
    "жін": "Feminine",
    "жінка": "Feminine",
    "m": "Masculine",
    "male": "Masculine",
    "man": "Masculine",
    "ч": "Masculine",
    "чол": "Masculine",
    "чоловік": "Masculine",
    "": "NonSpecifiedUnknown",
    "?": "NonSpecifiedUnknown",
}


def oblast_of(crossing_point: str) -> str:
    """A crossing point's oblast: its code starts with it (`UA-59-Bachivsk` -> `UA-59`)."""
    return crossing_point[:5] if crossing_point.startswith("UA-") else ""


@dataclass(frozen=True)
class MinimalPerson:
    """What is written down when twenty persons are found at once: the family name and the given
    names where the list separates them, else the name as written (kept as it is, never split
    by guessing), or a description; an estimated age (an age, not a birth date)."""

    name: str = ""
    family_name: str = ""
    given_names: str = ""
    description: str = ""
    sex: str = "NonSpecifiedUnknown"
    age: int | None = None
    citizenship: str = ""
    language: str = ""


@dataclass
class OperationInput:
    kind: str = ""
    held_on: dt.date | None = None
    crossing_point: str = ""
    oblast: str = ""
    persons: list[MinimalPerson] = field(default_factory=list)
    proceeding: Any = None  # a justice.Proceeding (not imported: a sibling package)
    perpetrators: Sequence[Any] = ()  # justice.Perpetrator


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _audit(actor: Actor, action: str, object_type: str, object_id: Any, **detail: Any) -> None:
    record(
        action=action,
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )


def _code(errors: Errors, name: str, list_name: str, value: str, *, required: bool) -> None:
    if not value:
        if required:
            _add(errors, name, _("This field is required."))
    elif value not in codes.code_list(list_name):
        _add(errors, name, _("“%(value)s” is not a valid choice.") % {"value": value})


def _past_date(errors: Errors, name: str, value: dt.date | None) -> None:
    if value is None:
        _add(errors, name, _("This field is required."))
    elif value > timezone.localdate():
        _add(errors, name, _("The date cannot be in the future."))


def person_problems(person: MinimalPerson) -> list[str]:
    """What is wrong with one person of a list (the messages name the field, never a value
    that could identify the person)."""
    problems = []
    if not any(
        v.strip() for v in (person.name, person.family_name, person.given_names, person.description)
    ):
        problems.append(_("Give a name or a description."))
    if person.sex not in codes.code_list(codes.GENDER):
        problems.append(_("Sex: write F or M (or leave it empty)."))
    if person.age is not None and not 0 <= person.age <= 110:
        problems.append(_("Age: a number of years from 0 to 110."))
    if person.citizenship and person.citizenship not in codes.code_list(codes.COUNTRY):
        problems.append(_("Citizenship: a two-letter country code (UA, MD, VN...)."))
    if person.language and not codes.language_code(person.language):
        problems.append(_("Language: an ISO 639 code or an English name."))
    return problems


def _person_input(person: MinimalPerson) -> PersonInput:
    """The name as the list gives it: family and given names where separated; a single name (or
    a description) as written, among the aliases, for the caseworker to complete. No birth
    date: the age is the case's estimated age at identification."""
    aliases = [t.strip() for t in (person.name, person.description) if t.strip()]
    return PersonInput(
        identity=Identity(
            first_name=person.given_names.strip(),
            family_name=person.family_name.strip(),
            aliases=aliases,
            birth_date=PartialDate(None),
        ),
        gender=person.sex,
        citizenships=[person.citizenship] if person.citizenship else [],
        profile=PersonProfile(primary_language=codes.language_code(person.language)),
    )


def record_operation(*, actor: Actor, data: OperationInput) -> Operation:
    """Record an operation and open one minimal case per person found, all or nothing; a bad
    person is named by the row number (`persons` errors: "Row 3: ...")."""
    assert actor.agency is not None
    errors: Errors = {}
    _code(errors, "kind", codes.OPERATION_KIND, data.kind, required=True)
    _past_date(errors, "held_on", data.held_on)
    _code(errors, "crossing_point", codes.CROSSING_POINT, data.crossing_point, required=False)
    if data.kind == "BorderCheck" and not data.crossing_point:
        _add(errors, "crossing_point", _("A border check is held at a crossing point."))
    oblast = data.oblast or oblast_of(data.crossing_point)
    _code(errors, "oblast", codes.OBLAST, oblast, required=False)
    if not data.persons:
        _add(errors, "persons", _("Add at least one person."))
    if len(data.persons) > MAX_PERSONS:
        _add(errors, "persons", _("At most %(n)s persons at once.") % {"n": MAX_PERSONS})
    for row, person in enumerate(data.persons, start=1):
        for problem in person_problems(person):
            _add(
                errors, "persons", _("Row %(row)s: %(problem)s") % {"row": row, "problem": problem}
            )
    if errors:
        raise ValidationError(errors)
    assert data.held_on is not None
    with transaction.atomic():
        operation = Operation.objects.create(
            agency=actor.agency,
            kind=data.kind,
            held_on=data.held_on,
            crossing_point=data.crossing_point,
            oblast=oblast,
            proceeding=data.proceeding,
            recorded_by=actor.user,
        )
        cases: list[Case] = []
        for person in data.persons:
            case = register_case(
                actor=actor,
                person=_person_input(person),
                case=CaseInput(
                    identified_on=data.held_on,
                    estimated_age=person.age,
                    identification_country=codes.UKRAINE,
                    identification_oblast=oblast,
                    channel=CHANNEL_OF[data.kind],
                    identifying_agency=actor.agency,
                ),
            )
            cases.append(case)
        operation.cases.set(cases)
        operation.perpetrators.set(data.perpetrators)
        _audit(
            actor,
            "operation.recorded",
            "operation",
            operation.id,
            kind=data.kind,
            crossing_point=data.crossing_point,
            case_ids=sorted(str(c.id) for c in cases),
        )
    return operation


def link_operation(
    *,
    actor: Actor,
    operation: Operation,
    proceeding: Any = None,
    perpetrators: Sequence[Any] = (),
) -> Operation:
    """Link the operation to its proceeding and to perpetrators (law enforcement)."""
    with transaction.atomic():
        if proceeding is not None:
            operation.proceeding = proceeding
            operation.save(update_fields=["proceeding"])
        operation.perpetrators.add(*perpetrators)
        _audit(
            actor,
            "operation.linked",
            "operation",
            operation.id,
            proceeding_id=str(proceeding.pk) if proceeding is not None else "",
            perpetrator_ids=sorted(str(p.pk) for p in perpetrators),
        )
    return operation


# --- the list of persons found, from a file --------------------------------------------------

COLUMNS = (
    "family_name",
    "given_names",
    "name",
    "description",
    "sex",
    "age",
    "citizenship",
    "language",
)
NAME_COLUMNS = ("family_name", "given_names", "name", "description")


def read_person_list(content: bytes, filename: str) -> list[MinimalPerson]:
    """The persons of a CSV (UTF-8, `,` or `;`) or XLSX list with the columns `COLUMNS` (a
    header row); a row that cannot be read raises ValidationError naming the row and field,
    all rows at once."""
    rows = _xlsx_rows(content) if filename.lower().endswith(".xlsx") else _csv_rows(content)
    if not rows:
        raise ValidationError({"file": [_("The file has no rows.")]})
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in ("sex",) if c not in header]
    if not any(c in header for c in NAME_COLUMNS):
        missing.insert(0, " / ".join(NAME_COLUMNS))
    if missing:
        raise ValidationError(
            {"file": [_("Missing columns: %(names)s.") % {"names": ", ".join(missing)}]}
        )
    persons: list[MinimalPerson] = []
    errors: list[str] = []
    for number, raw in enumerate(rows[1:], start=2):
        cells = {h: (raw[i].strip() if i < len(raw) else "") for i, h in enumerate(header)}
        if not any(cells.values()):
            continue
        sex = SEX_WORDS.get(cells.get("sex", "").casefold())
        age_text = cells.get("age", "")
        problems = []
        if sex is None:
            problems.append(_("sex: write F or M (or leave it empty)"))
        age: int | None = None
        if age_text:
            if age_text.isascii() and age_text.isdigit():
                age = int(age_text)
            else:
                problems.append(_("age: a whole number of years"))
        person = MinimalPerson(
            name=cells.get("name", ""),
            family_name=cells.get("family_name", ""),
            given_names=cells.get("given_names", ""),
            description=cells.get("description", ""),
            sex=sex or "NonSpecifiedUnknown",
            age=age,
            citizenship=cells.get("citizenship", "").upper(),
            language=cells.get("language", ""),
        )
        if not problems:
            problems = [p.rstrip(".") for p in person_problems(person)]
        for problem in problems:
            errors.append(_("Row %(row)s: %(problem)s") % {"row": number, "problem": problem})
        persons.append(person)
    if errors:
        raise ValidationError({"file": errors})
    return persons


def _csv_rows(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": [_("The file is not UTF-8 text.")]}) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # any unreadable workbook is the same answer
        raise ValidationError({"file": [_("The file is not an Excel workbook.")]}) from None
    sheet = book.worksheets[0]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


# --- stops at the border and incidents --------------------------------------------------------


@dataclass
class StopInput:
    kind: str = "PreventedDeparture"
    crossing_point: str = ""
    stopped_on: dt.date | None = None
    persons: int = 1
    children: int = 0
    destination: str = ""


def record_stop(*, actor: Actor, data: StopInput) -> Stop:
    """Persons stopped before exploitation: counted apart from victims."""
    assert actor.agency is not None
    errors: Errors = {}
    _code(errors, "kind", codes.STOP_KIND, data.kind, required=True)
    _code(errors, "crossing_point", codes.CROSSING_POINT, data.crossing_point, required=True)
    _past_date(errors, "stopped_on", data.stopped_on)
    if data.persons < 1:
        _add(errors, "persons", _("At least one person."))
    if not 0 <= data.children <= data.persons:
        _add(errors, "children", _("Between 0 and the number of persons."))
    _code(errors, "destination", codes.COUNTRY, data.destination, required=False)
    if errors:
        raise ValidationError(errors)
    assert data.stopped_on is not None
    with transaction.atomic():
        stop = Stop.objects.create(
            agency=actor.agency,
            kind=data.kind,
            crossing_point=data.crossing_point,
            stopped_on=data.stopped_on,
            persons=data.persons,
            children=data.children,
            destination=data.destination,
            recorded_by=actor.user,
        )
        _audit(actor, "stop.recorded", "stop", stop.id, kind=data.kind, persons=data.persons)
    return stop


@dataclass
class IncidentInput:
    kind: str = "Trafficking"
    occurred_on: dt.date | None = None
    oblast: str = ""
    victims: int = 1
    involves_idp: bool = False
    idp_origin: str = ""
    cases: Sequence[Case] = ()
    perpetrators: Sequence[Any] = ()  # justice.Perpetrator


def record_incident(*, actor: Actor, data: IncidentInput) -> Incident:
    """An incident with its victims (at least as many as the cases linked) and perpetrators."""
    assert actor.agency is not None
    errors: Errors = {}
    _code(errors, "kind", codes.INCIDENT_KIND, data.kind, required=True)
    _past_date(errors, "occurred_on", data.occurred_on)
    _code(errors, "oblast", codes.OBLAST, data.oblast, required=False)
    if data.victims < max(1, len(data.cases)):
        _add(errors, "victims", _("At least one person, and no fewer than the cases linked."))
    _code(errors, "idp_origin", codes.IDP_ORIGIN, data.idp_origin, required=data.involves_idp)
    if data.idp_origin and not data.involves_idp:
        _add(errors, "idp_origin", _("Only an incident involving IDPs has a region of origin."))
    if errors:
        raise ValidationError(errors)
    assert data.occurred_on is not None
    with transaction.atomic():
        incident = Incident.objects.create(
            agency=actor.agency,
            kind=data.kind,
            occurred_on=data.occurred_on,
            oblast=data.oblast,
            victims=data.victims,
            involves_idp=data.involves_idp,
            idp_origin=data.idp_origin,
            recorded_by=actor.user,
        )
        incident.cases.set(data.cases)
        incident.perpetrators.set(data.perpetrators)
        _audit(
            actor,
            "incident.recorded",
            "incident",
            incident.id,
            kind=data.kind,
            victims=data.victims,
            involves_idp=data.involves_idp,
            case_ids=sorted(str(c.id) for c in data.cases),
        )
    return incident
