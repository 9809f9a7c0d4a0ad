"""Legal holds, erasure by crypto-shredding and the daily erasure of what is due.

Erasing a person destroys their data key (`people.identity.forget_identity`) and the data keys
of the screenings and support plans of their cases, clears those encrypted columns and the
blind-index rows, drops linkage pairs still waiting for review, and writes one `Erasure` row
(ids, category, reason code, date) that is also appended to the ledger file outside the
database. The case rows keep their coarse plaintext facts (sex, age band, citizenship, forms
of exploitation, dates, oblasts), so statistics still count the person.

Services take an authorised object (the gate in `access/retention.py` fetched it) and audit
ids and codes only.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.audit.models import AuditEvent
from opennrm.audit.services import record
from opennrm.cases.models import Case
from opennrm.cases.workflow import OPEN
from opennrm.casework.services import shred_for_cases
from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.justice.transnational import TransnationalReferral
from opennrm.linkage.models import CandidatePair
from opennrm.nrm.assistance.models import SupportPlan
from opennrm.nrm.screening.models import Screening
from opennrm.people.identity import forget_identity, is_erased
from opennrm.people.models import Person
from opennrm.retention import ledger
from opennrm.retention.models import Erasure, LegalHold
from opennrm.retention.schedule import SCREENING, VICTIM_CASE, rule
from opennrm.tenancy.actor import Actor
from opennrm.vault.columns import SHREDDED, registered

CLOSE_ACTIONS = ("case.close", "case.close_referred")
RETENTION_EXPIRED = "RetentionExpired"
SUBJECT_REQUEST = "SubjectRequest"


class LegalHoldActive(ValidationError):
    """A case of the person is under a legal hold: nothing of it may be erased."""


def _ids(actor: Actor | None) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    return (actor.user.id, actor.agency_id) if actor is not None else (None, None)


def _require_reason(list_name: str, reason: str, field_name: str = "reason") -> None:
    if reason not in code_list(list_name):
        raise ValidationError({field_name: [_("Choose a reason from the list.")]})


# --- Legal holds ------------------------------------------------------------------------------


def active_hold(case: Case) -> LegalHold | None:
    return LegalHold.objects.filter(case=case, lifted_at__isnull=True).first()


def place_hold(*, actor: Actor, case: Case, reason: str) -> LegalHold:
    """Suspend erasure of the case (and of its person) until the hold is lifted."""
    _require_reason(codes.LEGAL_HOLD_REASON, reason)
    with transaction.atomic():
        Case.objects.select_for_update().get(pk=case.pk)
        if active_hold(case) is not None:
            raise ValidationError({"reason": [_("This case is already under a legal hold.")]})
        hold = LegalHold.objects.create(case=case, reason=reason, placed_by=actor.user)
        record(
            action="case.legal_hold_placed",
            actor_id=actor.user.id,
            agency_id=actor.agency_id,
            object_type="case",
            object_id=case.id,
            detail={"hold": str(hold.id), "reason": reason},
        )
    return hold


def lift_hold(*, actor: Actor, case: Case, reason: str) -> LegalHold:
    """End the case's legal hold; the retention schedule applies again from then on."""
    _require_reason(codes.LEGAL_HOLD_LIFT_REASON, reason)
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().filter(case=case, lifted_at__isnull=True)
        current = hold.first()
        if current is None:
            raise ValidationError({"reason": [_("This case is not under a legal hold.")]})
        current.lifted_reason = reason
        current.lifted_by = actor.user
        current.lifted_at = timezone.now()
        current.save(update_fields=["lifted_reason", "lifted_by", "lifted_at"])
        record(
            action="case.legal_hold_lifted",
            actor_id=actor.user.id,
            agency_id=actor.agency_id,
            object_type="case",
            object_id=case.id,
            detail={"hold": str(current.id), "reason": reason},
        )
    return current


# --- Erasure ----------------------------------------------------------------------------------


def _shred_rows(rows: QuerySet[Any]) -> int:
    """Crypto-shred every row of a registered encrypted table; how many were shredded."""
    entry = next(e for e in registered() if e.model is rows.model)
    count = 0
    for row in rows.exclude(kek_id=SHREDDED):
        entry.shred(row)
        row.save(update_fields=list(entry.fields()))
        count += 1
    return count


def _ledger_entry(erasure: Erasure) -> dict[str, Any]:
    return {
        "id": str(erasure.id),
        "category": erasure.category,
        "object_type": erasure.object_type,
        "object_id": str(erasure.object_id),
        "case_ids": list(erasure.case_ids),
        "agency_id": str(erasure.agency_id) if erasure.agency_id else None,
        "reason": erasure.reason,
        "erased_on": erasure.erased_on.isoformat(),
        "erased_at": erasure.erased_at.isoformat(),
        "actor_id": str(erasure.actor_id) if erasure.actor_id else None,
    }


def _write_erasure(
    erasure: Erasure, *, actor: Actor | None, rows: int, to_file: bool = True
) -> Erasure:
    erasure.save(force_insert=True)
    actor_id, agency_id = _ids(actor)
    record(
        action=f"{erasure.object_type}.erased",
        actor_id=actor_id,
        agency_id=agency_id,
        object_type=erasure.object_type,
        object_id=erasure.object_id,
        detail={
            "erasure": str(erasure.id),
            "category": erasure.category,
            "reason": erasure.reason,
            "cases": len(erasure.case_ids),
            "rows": rows,
        },
    )
    if to_file:  # (a re-application after a restore is already in the file)
        entry = _ledger_entry(erasure)
        transaction.on_commit(lambda: ledger.append(entry))
    return erasure


def erase_person(
    *,
    actor: Actor | None,
    person: Person,
    reason: str,
    category: str = VICTIM_CASE,
    erasure_id: uuid.UUID | None = None,
    at: dt.datetime | None = None,
    check_hold: bool = True,
    to_file: bool = True,
    today: dt.date | None = None,
) -> Erasure:
    """Crypto-shred a person and the encrypted rows of their cases; leave the tombstone.

    `actor` is None for the daily job. Refused while any of the person's cases is under a
    legal hold, and for a person already erased.
    """
    _require_reason(codes.ERASURE_REASON, reason)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if is_erased(person):
            raise ValidationError(_("This person's data was already erased."))
        # Lock the cases too: a hold placed, or a case reopened or linked, meanwhile is seen.
        locked = list(Case.objects.select_for_update().filter(person=person).order_by("id"))
        cases = Case.objects.filter(person=person)
        if check_hold and LegalHold.objects.filter(case__in=cases, lifted_at__isnull=True).exists():
            raise LegalHoldActive(_("A case of this person is under a legal hold."))
        if reason == RETENTION_EXPIRED and not _still_due(locked, today or timezone.localdate(at)):
            raise ValidationError(_("This person's case files are no longer due for erasure."))
        case_ids = sorted(str(c) for c in cases.values_list("id", flat=True))
        rows = 1
        forget_identity(person)
        rows += _shred_rows(Screening.objects.filter(case__in=cases))
        rows += _shred_rows(SupportPlan.objects.filter(case__in=cases))
        # Notes and attachments were sealed with the person's key (destroyed above): clear them.
        rows += shred_for_cases(cases)
        # Packets sent abroad hold the person's data under keys of their own: shredded too.
        rows += _shred_rows(TransnationalReferral.objects.filter(case__in=cases))
        CandidatePair.objects.filter(decision=CandidatePair.Decision.PENDING).filter(
            left=person
        ).delete()
        CandidatePair.objects.filter(decision=CandidatePair.Decision.PENDING).filter(
            right=person
        ).delete()
        now = at or timezone.now()
        erasure = Erasure(
            id=erasure_id or uuid.uuid4(),
            category=category,
            object_type="person",
            object_id=person.id,
            case_ids=case_ids,
            agency_id=person.agency_id,
            reason=reason,
            erased_on=timezone.localdate(now),
            erased_at=now,
            actor_id=actor.user.id if actor is not None else None,
        )
        return _write_erasure(erasure, actor=actor, rows=rows, to_file=to_file)


def erase_screening(
    *,
    actor: Actor | None,
    screening: Screening,
    reason: str,
    erasure_id: uuid.UUID | None = None,
    at: dt.datetime | None = None,
    to_file: bool = True,
) -> Erasure:
    """Crypto-shred the subject of a screening that was never attached to a case."""
    _require_reason(codes.ERASURE_REASON, reason)
    with transaction.atomic():
        rows = _shred_rows(Screening.objects.filter(pk=screening.pk))
        now = at or timezone.now()
        erasure = Erasure(
            id=erasure_id or uuid.uuid4(),
            category=SCREENING,
            object_type="screening",
            object_id=screening.pk,
            case_ids=[],
            agency_id=screening.agency_id,
            reason=reason,
            erased_on=timezone.localdate(now),
            erased_at=now,
            actor_id=actor.user.id if actor is not None else None,
        )
        return _write_erasure(erasure, actor=actor, rows=rows, to_file=to_file)


# --- What is due ------------------------------------------------------------------------------


def closure_dates(case_ids: Iterable[uuid.UUID]) -> dict[str, dt.date]:
    """The day each closed case was last closed, from the audit trail."""
    ids = [str(c) for c in case_ids]
    closed: dict[str, dt.date] = {}
    for start in range(0, len(ids), 500):
        rows = AuditEvent.objects.filter(
            object_type="case", object_id__in=ids[start : start + 500], action__in=CLOSE_ACTIONS
        ).values_list("object_id", "at")
        for case_id, at in rows:
            day = timezone.localdate(at)
            closed[case_id] = max(day, closed.get(case_id, day))
    return closed


@dataclass
class Due:
    """What the schedule says is due on a day, and what a legal hold keeps."""

    persons: list[Person] = field(default_factory=list)
    screenings: list[Screening] = field(default_factory=list)
    held: int = 0


def _still_due(cases: list[Case], today: dt.date) -> bool:
    """Under the lock: every case closed and the last closure past the retention period."""
    if not cases or any(c.status in OPEN for c in cases):
        return False
    closed = closure_dates(c.id for c in cases)
    last = max(closed.get(str(c.id), timezone.localdate(c.updated_at)) for c in cases)
    return last <= rule(VICTIM_CASE).due_before(today)


def due(today: dt.date | None = None) -> Due:
    today = today or timezone.localdate()
    result = Due()
    # Victims' case files: every case of the person closed, the last closure past the period.
    limit = rule(VICTIM_CASE).due_before(today)
    candidates = (
        Person.objects.exclude(kek_id=SHREDDED)
        .filter(cases__isnull=False)
        .exclude(cases__status__in=OPEN)
        .distinct()
        .order_by("id")
    )
    held_cases = set(
        LegalHold.objects.filter(lifted_at__isnull=True).values_list("case_id", flat=True)
    )
    for person in candidates.iterator(chunk_size=500):
        cases = list(Case.objects.filter(person=person).values_list("id", "updated_at"))
        closed = closure_dates(c for c, _ in cases)
        # A case imported as closed has no closing event: its last change stands in for it.
        last = max(closed.get(str(c), timezone.localdate(updated)) for c, updated in cases)
        if last > limit:
            continue
        if any(c in held_cases for c, _ in cases):
            result.held += 1
            continue
        result.persons.append(person)
    # Screenings never attached to a case.
    start = timezone.make_aware(
        dt.datetime.combine(rule(SCREENING).due_before(today) + dt.timedelta(days=1), dt.time())
    )
    result.screenings = list(
        Screening.objects.filter(case__isnull=True, screened_at__lt=start)
        .exclude(kek_id=SHREDDED)
        .order_by("screened_at")
    )
    return result


def erase_due(*, today: dt.date | None = None, dry_run: bool = False) -> Due:
    """Erase everything the schedule says is due (the daily job); returns what was due."""
    found = due(today)
    if dry_run:
        return found
    for person in list(found.persons):
        try:
            erase_person(
                actor=None,
                person=person,
                reason=RETENTION_EXPIRED,
                category=VICTIM_CASE,
                today=today,
            )
        except (LegalHoldActive, ValidationError):
            found.persons.remove(person)  # held, reopened or linked since it was found due
    for screening in found.screenings:
        erase_screening(actor=None, screening=screening, reason=RETENTION_EXPIRED)
    return found


# --- After a restore --------------------------------------------------------------------------


def apply_ledger(entries: Iterable[dict[str, Any]]) -> int:
    """Erase again what the ledger file says was erased and the database does not know (a
    restored backup older than the erasure); how many entries were re-applied.

    The erasure keeps its id, date and reason; the audit trail records the re-application.
    """
    applied = 0
    for entry in entries:
        erasure_id = uuid.UUID(entry["id"])
        if Erasure.objects.filter(id=erasure_id).exists():
            continue
        at = dt.datetime.fromisoformat(entry["erased_at"])
        reason = str(entry["reason"])
        if entry["object_type"] == "person":
            person = Person.objects.filter(pk=entry["object_id"]).first()
            if person is None:
                continue  # registered after the backup was made: not in this database
            erase_person(
                actor=None,
                person=person,
                reason=reason,
                category=str(entry["category"]),
                erasure_id=erasure_id,
                at=at,
                check_hold=False,  # the erasure happened; the ledger is the record of it
                to_file=False,
            )
        elif entry["object_type"] == "screening":
            screening = Screening.objects.filter(pk=entry["object_id"]).first()
            if screening is None:
                continue
            erase_screening(
                actor=None,
                screening=screening,
                reason=reason,
                erasure_id=erasure_id,
                at=at,
                to_file=False,
            )
        else:
            continue
        applied += 1
    return applied
