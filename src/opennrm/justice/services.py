"""Writes of the criminal-justice chain: each validates, writes in one transaction and records an
audit event (ids and codes only). Who may call which is the access gate's decision
(`access/justice.py`); the stage table (`workflow.py`) decides what is legal when."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.accounts.models import User
from opennrm.audit.services import record
from opennrm.cases.models import Case
from opennrm.core import codes
from opennrm.justice import workflow as wf
from opennrm.justice.erdr import erdr_problems
from opennrm.justice.models import (
    Compensation,
    Hearing,
    Judgment,
    NonPunishment,
    Participant,
    Proceeding,
    ProtectionMeasure,
    Qualification,
    StageStep,
    Suspect,
)
from opennrm.justice.suspects import SuspectIdentity, seal_identity
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency

Errors = dict[str, list[str]]


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _code(errors: Errors, name: str, list_name: str, value: str, *, required: bool = True) -> None:
    if not value:
        if required:
            _add(errors, name, _("This field is required."))
    elif value not in codes.code_list(list_name):
        _add(errors, name, _("“%(value)s” is not a valid choice.") % {"value": value})


def _date(errors: Errors, name: str, value: dt.date | None, *, required: bool = True) -> None:
    if value is None:
        if required:
            _add(errors, name, _("This field is required."))
    elif value > timezone.localdate():
        _add(errors, name, _("The date cannot be in the future."))


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _audit(actor: Actor, action: str, proceeding: Proceeding, **detail: Any) -> None:
    record(
        action=action,
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type="proceeding",
        object_id=proceeding.id,
        purpose="CriminalProceedings",
        detail=detail,
    )


def register_proceeding(
    *,
    actor: Actor,
    erdr_number: str,
    registered_on: dt.date | None,
    article: str,
    investigator: User | None = None,
    prosecution_agency: Agency | None = None,
    prosecutor: User | None = None,
) -> Proceeding:
    """Register a proceeding in the actor's unit, with its first legal qualification."""
    assert actor.agency is not None
    errors: Errors = {}
    erdr_number = erdr_number.strip()
    for message in erdr_problems(erdr_number, registered_on):
        _add(errors, "erdr_number", message)
    if not errors and Proceeding.objects.filter(erdr_number=erdr_number).exists():
        _add(errors, "erdr_number", _("A proceeding with this ERDR number is already registered."))
    _date(errors, "registered_on", registered_on)
    _code(errors, "article", codes.CC_ARTICLE, article)
    if prosecution_agency is not None and prosecution_agency.kind != "ProsecutorsOffice":
        _add(errors, "prosecution_agency", _("Choose a prosecutor's office."))
    _raise(errors)
    assert registered_on is not None
    with transaction.atomic():
        proceeding = Proceeding.objects.create(
            erdr_number=erdr_number,
            registered_on=registered_on,
            registering_agency=actor.agency,
            investigator=investigator or actor.user,
            prosecution_agency=prosecution_agency,
            prosecutor=prosecutor,
            article=article,
            stage_since=registered_on,
            created_by=actor.user,
        )
        Qualification.objects.create(
            proceeding=proceeding, article=article, since=registered_on, recorded_by=actor.user
        )
        _audit(actor, "proceeding.registered", proceeding, article=article)
    return proceeding


def requalify(
    *, actor: Actor, proceeding: Proceeding, article: str, since: dt.date | None
) -> Proceeding:
    """Change the legal qualification from a date; the history keeps every one."""
    errors: Errors = {}
    _code(errors, "article", codes.CC_ARTICLE, article)
    _date(errors, "since", since)
    if since is not None and since < proceeding.registered_on:
        _add(errors, "since", _("The date is before the proceeding was registered."))
    if article == proceeding.article:
        _add(errors, "article", _("This is the current qualification."))
    _raise(errors)
    assert since is not None
    with transaction.atomic():
        Qualification.objects.create(
            proceeding=proceeding, article=article, since=since, recorded_by=actor.user
        )
        proceeding.article = article
        proceeding.save(update_fields=["article"])
        _audit(actor, "proceeding.requalified", proceeding, article=article)
    return proceeding


def advance(
    *,
    actor: Actor,
    proceeding: Proceeding,
    action: str,
    on: dt.date | None,
    closure_ground: str = "",
    court: Agency | None = None,
) -> Proceeding:
    """Move a proceeding along the stage table (IllegalTransition when the table forbids it)."""
    transition = wf.WORKFLOW.check(proceeding.stage, action)
    errors: Errors = {}
    _date(errors, "on", on)
    if on is not None and on < proceeding.stage_since:
        _add(errors, "on", _("The date is before the current stage began."))
    if action == wf.CLOSE:
        _code(errors, "closure_ground", codes.CLOSURE_GROUND, closure_ground)
    if action == wf.SEND_INDICTMENT:
        if court is None or court.kind != "Court":
            _add(errors, "court", _("Choose the court the indictment is sent to."))
        if not proceeding.suspects.exists():
            _add(errors, "__all__", _("Record the accused before sending the indictment."))
    _raise(errors)
    assert on is not None
    with transaction.atomic():
        StageStep.objects.create(
            proceeding=proceeding,
            action=action,
            from_stage=proceeding.stage,
            to_stage=transition.target,
            on=on,
            recorded_by=actor.user,
        )
        proceeding.stage = transition.target
        proceeding.stage_since = on
        fields = ["stage", "stage_since"]
        if action == wf.NOTIFY_SUSPICION:
            proceeding.suspicion_notified_on = on
            fields.append("suspicion_notified_on")
        if action == wf.CLOSE:
            proceeding.closure_ground = closure_ground
            fields.append("closure_ground")
        if action == wf.SEND_INDICTMENT:
            proceeding.court = court
            fields.append("court")
            proceeding.suspects.filter(status="Suspect").update(status="Accused")
        proceeding.save(update_fields=fields)
        _audit(actor, f"proceeding.{action}", proceeding, stage=transition.target)
    return proceeding


def assign_prosecution(
    *, actor: Actor, proceeding: Proceeding, prosecution_agency: Agency, prosecutor: User | None
) -> Proceeding:
    if prosecution_agency.kind != "ProsecutorsOffice":
        raise ValidationError({"prosecution_agency": [_("Choose a prosecutor's office.")]})
    with transaction.atomic():
        proceeding.prosecution_agency = prosecution_agency
        proceeding.prosecutor = prosecutor
        proceeding.save(update_fields=["prosecution_agency", "prosecutor"])
        _audit(actor, "proceeding.assigned", proceeding, agency=str(prosecution_agency.id))
    return proceeding


def add_participant(
    *,
    actor: Actor,
    proceeding: Proceeding,
    case: Case,
    role: str,
    willing_to_testify: bool | None = None,
    questioned_on: dt.date | None = None,
    questioning_mode: str = "",
) -> Participant:
    """A victim or witness (through the case that holds them) takes part in the proceeding."""
    errors: Errors = {}
    _code(errors, "role", codes.PROCEDURAL_ROLE, role)
    _date(errors, "questioned_on", questioned_on, required=False)
    _code(errors, "questioning_mode", codes.QUESTIONING_MODE, questioning_mode, required=False)
    if questioning_mode and questioned_on is None:
        _add(errors, "questioned_on", _("Give the date of the questioning."))
    if Participant.objects.filter(proceeding=proceeding, case=case).exists():
        _add(errors, "case", _("This person already takes part in the proceeding."))
    _raise(errors)
    with transaction.atomic():
        participant = Participant.objects.create(
            proceeding=proceeding,
            case=case,
            role=role,
            willing_to_testify=willing_to_testify,
            questioned_on=questioned_on,
            questioning_mode=questioning_mode,
            added_by=actor.user,
        )
        _audit(actor, "proceeding.participant_added", proceeding, case=str(case.id), role=role)
    return participant


def add_suspect(
    *,
    actor: Actor,
    proceeding: Proceeding,
    identity: SuspectIdentity,
    role: str,
    gender: str = "NonSpecifiedUnknown",
    citizenship: str = "",
) -> Suspect:
    errors: Errors = {}
    if not (identity.family_name.strip() or identity.first_name.strip() or identity.aliases):
        _add(errors, "family_name", _("Give at least a name or an alias."))
    _code(errors, "role", codes.CRIME_ROLE, role)
    _code(errors, "gender", codes.GENDER, gender)
    _code(errors, "citizenship", codes.COUNTRY, citizenship, required=False)
    _raise(errors)
    with transaction.atomic():
        suspect = Suspect(
            proceeding=proceeding,
            role=role,
            gender=gender,
            citizenship=citizenship,
            status="Accused" if proceeding.stage in wf.IN_COURT else "Suspect",
        )
        seal_identity(suspect, identity)
        suspect.save()
        _audit(actor, "proceeding.suspect_added", proceeding, suspect=str(suspect.id), role=role)
    return suspect


def schedule_hearing(*, actor: Actor, proceeding: Proceeding, on: dt.date | None) -> Hearing:
    if on is None:
        raise ValidationError({"on": [_("This field is required.")]})
    if proceeding.stage not in wf.IN_COURT:
        raise ValidationError({"on": [_("Hearings are held once the indictment is in court.")]})
    with transaction.atomic():
        hearing = Hearing.objects.create(proceeding=proceeding, on=on, recorded_by=actor.user)
        _audit(actor, "proceeding.hearing_scheduled", proceeding, hearing=str(hearing.id))
    return hearing


def record_hearing(*, actor: Actor, hearing: Hearing, outcome: str) -> Hearing:
    errors: Errors = {}
    _code(errors, "outcome", codes.HEARING_OUTCOME, outcome)
    if hearing.on > timezone.localdate() and outcome != "Scheduled":
        _add(errors, "outcome", _("A hearing in the future has not been held yet."))
    _raise(errors)
    with transaction.atomic():
        hearing.outcome = outcome
        hearing.save(update_fields=["outcome"])
        _audit(actor, "proceeding.hearing_recorded", hearing.proceeding, outcome=outcome)
    return hearing


def record_judgment(
    *,
    actor: Actor,
    proceeding: Proceeding,
    suspect: Suspect,
    decided_on: dt.date | None,
    verdict: str,
    sentence_type: str = "",
    sentence_months: int | None = None,
    confiscation: bool = False,
) -> Judgment:
    errors: Errors = {}
    _date(errors, "decided_on", decided_on)
    _code(errors, "verdict", codes.VERDICT, verdict)
    if suspect.proceeding_id != proceeding.id:
        _add(errors, "suspect", _("This person is not accused in this proceeding."))
    if verdict == "Conviction":
        _code(errors, "sentence_type", codes.SENTENCE_TYPE, sentence_type)
        if sentence_type in {"Imprisonment", "RestrictionOfLiberty", "Probation"} and (
            not sentence_months or sentence_months > 15 * 12
        ):
            _add(errors, "sentence_months", _("Give the term in months (at most 180)."))
    elif sentence_type or sentence_months or confiscation:
        _add(errors, "sentence_type", _("An acquittal carries no sentence."))
    if proceeding.stage not in {wf.TRIAL, wf.VERDICT, wf.APPEAL, wf.CASSATION, wf.IN_FORCE}:
        _add(errors, "__all__", _("A judgment is recorded once the trial is open."))
    _raise(errors)
    assert decided_on is not None
    with transaction.atomic():
        judgment = Judgment.objects.create(
            proceeding=proceeding,
            suspect=suspect,
            decided_on=decided_on,
            verdict=verdict,
            sentence_type=sentence_type,
            sentence_months=sentence_months,
            confiscation=confiscation,
            recorded_by=actor.user,
        )
        suspect.status = "Convicted" if verdict == "Conviction" else "Acquitted"
        suspect.save(update_fields=["status"])
        _audit(actor, "proceeding.judgment_recorded", proceeding, verdict=verdict)
    return judgment


def request_protection(
    *, actor: Actor, participant: Participant, measure: str, requested_on: dt.date | None
) -> ProtectionMeasure:
    errors: Errors = {}
    _code(errors, "measure", codes.PROTECTION_MEASURE, measure)
    _date(errors, "requested_on", requested_on)
    _raise(errors)
    assert requested_on is not None
    with transaction.atomic():
        item = ProtectionMeasure.objects.create(
            participant=participant,
            measure=measure,
            requested_on=requested_on,
            recorded_by=actor.user,
        )
        _audit(actor, "proceeding.protection_requested", participant.proceeding, measure=measure)
    return item


def decide_protection(
    *,
    actor: Actor,
    measure: ProtectionMeasure,
    decision: str,
    decided_on: dt.date | None,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> ProtectionMeasure:
    errors: Errors = {}
    if decision not in {"Granted", "Refused"}:
        _add(errors, "decision", _("Choose granted or refused."))
    _date(errors, "decided_on", decided_on)
    if decided_on is not None and decided_on < measure.requested_on:
        _add(errors, "decided_on", _("The decision is before the request."))
    if valid_from and valid_until and valid_until < valid_from:
        _add(errors, "valid_until", _("The end date is before the start date."))
    if decision == "Refused" and (valid_from or valid_until):
        _add(errors, "valid_from", _("A refused measure has no term."))
    _raise(errors)
    with transaction.atomic():
        measure.decision = decision
        measure.decided_on = decided_on
        measure.valid_from = valid_from
        measure.valid_until = valid_until
        measure.save(update_fields=["decision", "decided_on", "valid_from", "valid_until"])
        _audit(
            actor,
            "proceeding.protection_decided",
            measure.participant.proceeding,
            decision=decision,
        )
    return measure


def record_compensation(
    *,
    actor: Actor,
    participant: Participant,
    route: str,
    claimed_uah: Decimal | None,
    awarded_uah: Decimal | None = None,
    paid_uah: Decimal | None = None,
) -> Compensation:
    errors: Errors = {}
    _code(errors, "route", codes.COMPENSATION_ROUTE, route)
    if claimed_uah is None or claimed_uah <= 0:
        _add(errors, "claimed_uah", _("Give the amount claimed."))
    for name, value in (("awarded_uah", awarded_uah), ("paid_uah", paid_uah)):
        if value is not None and value < 0:
            _add(errors, name, _("An amount cannot be negative."))
    if paid_uah is not None and (awarded_uah is None or paid_uah > awarded_uah):
        _add(errors, "paid_uah", _("More cannot be paid than was awarded."))
    _raise(errors)
    assert claimed_uah is not None
    with transaction.atomic():
        item = Compensation.objects.create(
            participant=participant,
            route=route,
            claimed_uah=claimed_uah,
            awarded_uah=awarded_uah,
            paid_uah=paid_uah,
            recorded_by=actor.user,
        )
        _audit(actor, "proceeding.compensation_recorded", participant.proceeding, route=route)
    return item


def record_non_punishment(
    *,
    actor: Actor,
    case: Case,
    liability: str,
    requested_on: dt.date | None,
    proceeding: Proceeding | None = None,
) -> NonPunishment:
    errors: Errors = {}
    _code(errors, "liability", codes.LIABILITY_KIND, liability)
    _date(errors, "requested_on", requested_on)
    _raise(errors)
    assert requested_on is not None
    with transaction.atomic():
        item = NonPunishment.objects.create(
            case=case,
            proceeding=proceeding,
            liability=liability,
            requested_on=requested_on,
            recorded_by=actor.user,
        )
        record(
            action="case.non_punishment_requested",
            actor_id=actor.user.id,
            agency_id=actor.agency_id,
            object_type="case",
            object_id=case.id,
            purpose="CriminalProceedings",
            detail={"liability": liability},
        )
    return item


def decide_non_punishment(
    *, actor: Actor, request: NonPunishment, outcome: str, decided_on: dt.date | None
) -> NonPunishment:
    errors: Errors = {}
    if outcome not in {"Released", "Refused"}:
        _add(errors, "outcome", _("Choose released or refused."))
    _date(errors, "decided_on", decided_on)
    _raise(errors)
    with transaction.atomic():
        request.outcome = outcome
        request.decided_on = decided_on
        request.save(update_fields=["outcome", "decided_on"])
        record(
            action="case.non_punishment_decided",
            actor_id=actor.user.id,
            agency_id=actor.agency_id,
            object_type="case",
            object_id=request.case_id,
            purpose="CriminalProceedings",
            detail={"outcome": outcome},
        )
    return request
