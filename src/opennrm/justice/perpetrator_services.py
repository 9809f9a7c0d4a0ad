"""Writes of the perpetrators register: each validates, writes in one transaction and records an
audit event (ids and codes only: never a name or an identifier's value). Who may call which is
the access gate's decision (`access/perpetrators.py`).

A new identifier whose digest is already known in another record raises an alert for each
investigator responsible for the older record (`raise_alerts`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.accounts.models import User
from opennrm.audit.services import record
from opennrm.cases.models import Case
from opennrm.core import codes
from opennrm.core.entries import ActionItem
from opennrm.justice import identifiers as idf
from opennrm.justice.models import Participant, Proceeding
from opennrm.justice.perpetrator_vault import (
    PerpetratorIdentity,
    digest,
    seal_identity,
    seal_value,
)
from opennrm.justice.perpetrators import Alert, Identifier, MlaRequest, Perpetrator
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency

Errors = dict[str, list[str]]
PURPOSE = "CriminalProceedings"
# How long a foreign authority is given to answer an outgoing request when no date is agreed:
# a working default of OpenNRM, not a legal term (treaties set none).
MLA_DEFAULT_DAYS = 90


@dataclass(frozen=True)
class IdentifierInput:
    kind: str
    value: str


@dataclass
class PerpetratorInput:
    identity: PerpetratorIdentity = field(default_factory=PerpetratorIdentity)
    gender: str = "NonSpecifiedUnknown"
    citizenship: str = ""
    roles: list[str] = field(default_factory=list)
    modus_operandi: list[str] = field(default_factory=list)
    organised_group: bool = False
    relation_to_victim: str = ""
    identifiers: list[IdentifierInput] = field(default_factory=list)


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _codes(errors: Errors, name: str, list_name: str, values: Iterable[str]) -> None:
    known = codes.code_list(list_name)
    for value in values:
        if value not in known:
            _add(errors, name, _("“%(value)s” is not a valid choice.") % {"value": value})


def _audit(actor: Actor, action: str, object_type: str, object_id: Any, **detail: Any) -> None:
    record(
        action=action,
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type=object_type,
        object_id=object_id,
        purpose=PURPOSE,
        detail=detail,
    )


def check_identifiers(items: Sequence[IdentifierInput], errors: Errors) -> list[tuple[str, str]]:
    """The normal forms of the identifiers; a bad one is named by its position and kind in
    `errors["identifiers"]` (never by its value)."""
    normal: list[tuple[str, str]] = []
    kinds = codes.code_list(codes.IDENTIFIER_KIND)
    for index, item in enumerate(items, start=1):
        if item.kind not in kinds:
            _add(errors, "identifiers", _("Identifier %(n)s: unknown kind.") % {"n": index})
            continue
        try:
            normal.append((item.kind, idf.normalise(item.kind, item.value)))
        except idf.BadIdentifier as exc:
            _add(
                errors,
                "identifiers",
                _("Identifier %(n)s (%(kind)s): %(problem)s")
                % {"n": index, "kind": kinds.label(item.kind), "problem": str(exc)},
            )
    return normal


def _check_person(data: PerpetratorInput, errors: Errors) -> None:
    identity = data.identity
    if not (
        identity.first_name or identity.family_name or identity.aliases or identity.description
    ):
        _add(errors, "identity", _("Give a name, an alias or a description."))
    if data.gender not in codes.code_list(codes.GENDER):
        _add(errors, "gender", _("“%(value)s” is not a valid choice.") % {"value": data.gender})
    if data.citizenship and data.citizenship not in codes.code_list(codes.COUNTRY):
        _add(
            errors,
            "citizenship",
            _("“%(value)s” is not a valid choice.") % {"value": data.citizenship},
        )
    if not data.roles:
        _add(errors, "roles", _("This field is required."))
    _codes(errors, "roles", codes.CRIME_ROLE, data.roles)
    _codes(errors, "modus_operandi", codes.MODUS_OPERANDI, data.modus_operandi)
    if data.relation_to_victim:
        _codes(errors, "relation_to_victim", codes.RELATIONSHIP, [data.relation_to_victim])


def _store_identifiers(
    actor: Actor, normal: Iterable[tuple[str, str]], **owner: Any
) -> list[Identifier]:
    assert actor.agency is not None
    stored: list[Identifier] = []
    existing = {
        (i.kind, i.digest) for i in Identifier.objects.filter(**owner).only("kind", "digest")
    }
    for kind, value in normal:
        key = (kind, digest(kind, value))
        if key in existing:
            continue  # the record carries it already
        existing.add(key)
        identifier = Identifier(
            kind=kind, digest=key[1], agency=actor.agency, recorded_by=actor.user, **owner
        )
        seal_value(identifier, value)
        identifier.save()
        stored.append(identifier)
    return stored


def record_perpetrator(
    *,
    actor: Actor,
    data: PerpetratorInput,
    proceedings: Sequence[Proceeding] = (),
    cases: Sequence[Case] = (),
) -> Perpetrator:
    """Record a perpetrator in the actor's unit with their identifiers, linked to proceedings and
    to cases (the victim named this person); alerts for identifiers known elsewhere."""
    assert actor.agency is not None
    errors: Errors = {}
    _check_person(data, errors)
    normal = check_identifiers(data.identifiers, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        perpetrator = Perpetrator(
            agency=actor.agency,
            gender=data.gender,
            citizenship=data.citizenship,
            roles=sorted(set(data.roles)),
            modus_operandi=sorted(set(data.modus_operandi)),
            organised_group=data.organised_group,
            relation_to_victim=data.relation_to_victim,
            recorded_by=actor.user,
        )
        seal_identity(perpetrator, data.identity)
        perpetrator.save()
        perpetrator.proceedings.set(proceedings)
        perpetrator.cases.set(cases)
        new = _store_identifiers(actor, normal, perpetrator=perpetrator)
        _audit(
            actor,
            "perpetrator.recorded",
            "perpetrator",
            perpetrator.id,
            roles=perpetrator.roles,
            identifier_kinds=sorted({i.kind for i in new}),
            proceeding_ids=sorted(str(p.id) for p in proceedings),
            case_ids=sorted(str(c.id) for c in cases),
        )
        raise_alerts(actor, new)
    return perpetrator


def link_perpetrator(
    *,
    actor: Actor,
    perpetrator: Perpetrator,
    proceeding: Proceeding | None = None,
    case: Case | None = None,
) -> Perpetrator:
    """Link a perpetrator to a proceeding or to a case whose victim named them."""
    with transaction.atomic():
        if proceeding is not None:
            perpetrator.proceedings.add(proceeding)
        if case is not None:
            perpetrator.cases.add(case)
        _audit(
            actor,
            "perpetrator.linked",
            "perpetrator",
            perpetrator.id,
            proceeding_id=str(proceeding.id) if proceeding else "",
            case_id=str(case.id) if case else "",
        )
    return perpetrator


def add_identifiers(
    *,
    actor: Actor,
    items: Sequence[IdentifierInput],
    perpetrator: Perpetrator | None = None,
    case: Case | None = None,
    proceeding: Proceeding | None = None,
) -> list[Identifier]:
    """Add identifiers to one record (a perpetrator, a case or a proceeding), all or none."""
    owners = {"perpetrator": perpetrator, "case": case, "proceeding": proceeding}
    chosen = {k: v for k, v in owners.items() if v is not None}
    assert len(chosen) == 1, "an identifier belongs to exactly one record"
    errors: Errors = {}
    if not items:
        _add(errors, "identifiers", _("This field is required."))
    normal = check_identifiers(items, errors)
    if errors:
        raise ValidationError(errors)
    ((object_type, owner),) = chosen.items()
    with transaction.atomic():
        new = _store_identifiers(actor, normal, **chosen)
        _audit(
            actor,
            "identifier.added",
            object_type,
            owner.pk,
            identifier_kinds=sorted({i.kind for i in new}),
        )
        raise_alerts(actor, new)
    return new


# --- alerts ----------------------------------------------------------------------------------


def responsible_for(identifier: Identifier) -> set[User]:
    """The investigators responsible for the record an identifier belongs to: whoever recorded
    the identifier, and the investigator in charge of each proceeding the record is part of."""
    users: set[User] = {identifier.recorded_by}
    proceedings: Iterable[Proceeding]
    if identifier.perpetrator_id:
        perpetrator = identifier.perpetrator
        assert perpetrator is not None
        users.add(perpetrator.recorded_by)
        proceedings = perpetrator.proceedings.all()
    elif identifier.proceeding_id:
        assert identifier.proceeding is not None
        proceedings = [identifier.proceeding]
    else:
        assert identifier.case_id is not None
        ids = Participant.objects.filter(case_id=identifier.case_id).values("proceeding_id")
        proceedings = Proceeding.objects.filter(id__in=ids)
    users |= {p.investigator for p in proceedings if p.investigator is not None}
    return users


def raise_alerts(actor: Actor, new: Iterable[Identifier]) -> list[Alert]:
    """For each new identifier known in another record, an alert to each investigator
    responsible for that record (not the actor), audited with ids and the kind only."""
    alerts: list[Alert] = []
    for identifier in new:
        known = (
            Identifier.objects.filter(kind=identifier.kind, digest=identifier.digest)
            .exclude(id=identifier.id)
            .select_related("perpetrator", "proceeding", "recorded_by")
        )
        for older in known:
            if older.record_id == identifier.record_id:
                continue
            for user in responsible_for(older):
                if user.pk == actor.user.pk:
                    continue
                alert, created = Alert.objects.get_or_create(
                    recipient=user, known=older, new=identifier, defaults={"kind": identifier.kind}
                )
                if created:
                    alerts.append(alert)
                    _audit(
                        actor,
                        "alert.raised",
                        "alert",
                        alert.id,
                        kind=identifier.kind,
                        recipient_id=str(user.pk),
                        known_identifier_id=str(older.id),
                        new_identifier_id=str(identifier.id),
                    )
    return alerts


def find_identifiers(scoped: Any, kind: str, value: str) -> Any:
    """The identifiers of a scoped queryset equal to `value` (by digest); `BadIdentifier` when
    the value is not an identifier of its kind."""
    return scoped.filter(kind=kind, digest=digest(kind, idf.normalise(kind, value)))


def mark_alerts_seen(*, actor: Actor, alerts: Iterable[Alert]) -> int:
    """Mark the actor's alerts as seen (a POST: reading the list changes nothing), audited with
    their ids; returns how many were new."""
    ids = sorted((a.id for a in alerts if a.seen_at is None), key=str)
    if not ids:
        return 0
    with transaction.atomic():
        marked = Alert.objects.filter(id__in=ids, recipient=actor.user, seen_at=None).update(
            seen_at=timezone.now()
        )
        _audit(actor, "alert.seen", "alert", None, alert_ids=[str(i) for i in ids])
    return marked


# --- mutual legal assistance -----------------------------------------------------------------


@dataclass
class MlaInput:
    direction: str = "Outgoing"
    request_type: str = ""
    country: str = ""
    central_authority: str = ""
    proceeding: Proceeding | None = None
    partner_agency: Agency | None = None
    sent_on: dt.date | None = None
    received_on: dt.date | None = None
    due_on: dt.date | None = None
    answered_on: dt.date | None = None


def _mla_errors(data: MlaInput) -> Errors:
    errors: Errors = {}
    for name, list_name, value in (
        ("direction", codes.MLA_DIRECTION, data.direction),
        ("request_type", codes.MLA_TYPE, data.request_type),
        ("country", codes.COUNTRY, data.country),
        ("central_authority", codes.CENTRAL_AUTHORITY, data.central_authority),
    ):
        if not value:
            _add(errors, name, _("This field is required."))
        else:
            _codes(errors, name, list_name, [value])
    if data.country == codes.UKRAINE:
        _add(errors, "country", _("Mutual legal assistance is asked of another state."))
    if data.partner_agency is not None and data.partner_agency.country != data.country:
        _add(errors, "partner_agency", _("The foreign authority is not in this country."))
    today = timezone.localdate()
    for name in ("sent_on", "received_on", "answered_on"):
        value = getattr(data, name)
        if value is not None and value > today:
            _add(errors, name, _("The date cannot be in the future."))
    if data.direction == "Outgoing" and data.sent_on is None:
        _add(errors, "sent_on", _("This field is required."))
    if data.direction == "Incoming" and data.received_on is None:
        _add(errors, "received_on", _("This field is required."))
    start = data.sent_on if data.direction == "Outgoing" else data.received_on
    if data.answered_on is not None and start is not None and data.answered_on < start:
        _add(errors, "answered_on", _("The answer cannot come before the request."))
    if data.due_on is not None and start is not None and data.due_on < start:
        _add(errors, "due_on", _("The deadline cannot come before the request."))
    return errors


def record_mla_request(*, actor: Actor, data: MlaInput) -> MlaRequest:
    """Record an outgoing or incoming request; without a deadline, an outgoing request is due
    `MLA_DEFAULT_DAYS` after it was sent."""
    assert actor.agency is not None
    errors = _mla_errors(data)
    if errors:
        raise ValidationError(errors)
    due = data.due_on
    start = data.sent_on if data.direction == "Outgoing" else data.received_on
    if due is None and start is not None:
        due = start + dt.timedelta(days=MLA_DEFAULT_DAYS)
    with transaction.atomic():
        request = MlaRequest.objects.create(
            agency=actor.agency,
            proceeding=data.proceeding,
            direction=data.direction,
            request_type=data.request_type,
            country=data.country,
            partner_agency=data.partner_agency,
            central_authority=data.central_authority,
            sent_on=data.sent_on,
            received_on=data.received_on,
            due_on=due,
            answered_on=data.answered_on,
            recorded_by=actor.user,
        )
        _audit(
            actor,
            "mla.recorded",
            "mlarequest",
            request.id,
            direction=data.direction,
            request_type=data.request_type,
            country=data.country,
        )
    return request


def record_mla_answer(
    *, actor: Actor, request: MlaRequest, answered_on: dt.date | None
) -> MlaRequest:
    errors: Errors = {}
    if answered_on is None:
        _add(errors, "answered_on", _("This field is required."))
    elif answered_on > timezone.localdate():
        _add(errors, "answered_on", _("The date cannot be in the future."))
    else:
        start = request.sent_on or request.received_on
        if start is not None and answered_on < start:
            _add(errors, "answered_on", _("The answer cannot come before the request."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request.answered_on = answered_on
        request.save(update_fields=["answered_on"])
        _audit(actor, "mla.answered", "mlarequest", request.id)
    return request


def mla_overdue(request: MlaRequest, today: dt.date | None = None) -> bool:
    """Unanswered past its deadline: the reminder on the list and on action needed."""
    today = today or timezone.localdate()
    return request.answered_on is None and request.due_on is not None and request.due_on < today


def mla_action_items(
    requests: Iterable[MlaRequest], today: dt.date | None = None
) -> list[ActionItem]:
    """The reminders of "action needed": each request unanswered past its deadline (the gate
    passes only those the user may answer)."""
    today = today or timezone.localdate()
    items = []
    for request in requests:
        if not mla_overdue(request, today):
            continue
        items.append(
            ActionItem(
                kind="mla.answer_overdue",
                label=_("Mutual legal assistance (%(country)s, %(type)s): no answer yet")
                % {
                    "country": codes.code_list(codes.COUNTRY).label(request.country),
                    "type": codes.code_list(codes.MLA_TYPE).label(request.request_type),
                },
                case_id=None,
                url=reverse("web:mla_detail", kwargs={"mla_id": request.id}),
                due=request.due_on,
                overdue=True,
            )
        )
    return items
