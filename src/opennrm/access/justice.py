""" "Can" and "which" for the criminal-justice chain.

A proceeding is visible to users whose roles grant `proceeding.view` in the unit that registered
it, the prosecutor's office assigned to it, or the court it was sent to (a judge reads the
proceedings of their court). Each stage step needs its permission from the stage table and is
taken by its side: the registering unit investigates (`proceeding.record`), the prosecutor's
office prosecutes (`proceeding.prosecute`), the court adjudicates (`proceeding.adjudicate`).

A victim's case is linked only by an agency that owns it or sees it through a share for the
`CriminalProceedings` purpose. Suspects' identities show only with `suspect.view` (police,
prosecutors, judges); a caseworker sees their client's milestones (the number, the article, the
stage, the next hearing, protection) where the case's `Justice` category shows, never suspects.
"""

from __future__ import annotations

from typing import Any, Final

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from opennrm.access import policy
from opennrm.access.fields import JUSTICE
from opennrm.access.policy import _as_uuid
from opennrm.access.roles import (
    PROCEEDING_ADJUDICATE,
    PROCEEDING_PROSECUTE,
    PROCEEDING_RECORD,
    PROCEEDING_VIEW,
    SUSPECT_VIEW,
)
from opennrm.access.scope import FieldScope
from opennrm.cases.models import Case
from opennrm.justice.models import (
    Hearing,
    NonPunishment,
    Participant,
    Proceeding,
    ProtectionMeasure,
)
from opennrm.tenancy.actor import Actor

PURPOSE: Final = "CriminalProceedings"
# Which agency of a proceeding acts with which permission.
SIDE: Final = {
    PROCEEDING_RECORD: "registering_agency_id",
    PROCEEDING_PROSECUTE: "prosecution_agency_id",
    PROCEEDING_ADJUDICATE: "court_id",
}


def can_view(actor: Actor) -> bool:
    return actor.agency is not None and policy.can(actor, PROCEEDING_VIEW)


def visible_proceedings(actor: Actor) -> QuerySet[Proceeding]:
    if not can_view(actor):
        return Proceeding.objects.none()
    agency = actor.agency
    return Proceeding.objects.filter(
        Q(registering_agency=agency) | Q(prosecution_agency=agency) | Q(court=agency)
    )


def may(actor: Actor, proceeding: Proceeding, permission: str) -> bool:
    """Whether the actor may act on a proceeding they see with `permission`, from their side."""
    side = SIDE.get(permission)
    if not policy.can(actor, permission):
        return False
    return side is None or getattr(proceeding, side) == actor.agency_id


def get_proceeding_for(
    actor: Actor,
    proceeding_id: object,
    permission: str = PROCEEDING_VIEW,
    queryset: QuerySet[Proceeding] | None = None,
) -> Proceeding:
    """A proceeding the actor sees (else 404) and may act on with `permission` (else 403)."""
    base = visible_proceedings(actor)
    if queryset is not None:
        base = base & queryset
    proceeding = base.filter(id=_as_uuid(proceeding_id)).first()
    if proceeding is None:
        raise Http404
    if not may(actor, proceeding, permission):
        raise PermissionDenied(permission)
    return proceeding


def can_create(actor: Actor) -> bool:
    return actor.agency is not None and policy.can(actor, PROCEEDING_RECORD)


def require_create(actor: Actor) -> None:
    if not can_create(actor):
        raise PermissionDenied(PROCEEDING_RECORD)


def get_case_to_link(actor: Actor, case_id: object) -> Case:
    """A victim's or witness's case the actor may link to a proceeding: visible (else 404),
    owned by the actor's agency or shared with it for criminal proceedings (else 403)."""
    case = policy.get_case_for(actor, case_id, "case.view")
    access = policy.case_access(actor, case)
    if not (access.is_owner or PURPOSE in access.purposes):
        raise PermissionDenied(PURPOSE)
    return case


def sees_suspects(actor: Actor) -> bool:
    return policy.can(actor, SUSPECT_VIEW)


def get_participant_for(actor: Actor, participant_id: object, permission: str) -> Participant:
    participant = (
        Participant.objects.filter(
            proceeding__in=visible_proceedings(actor), id=_as_uuid(participant_id)
        )
        .select_related("proceeding", "case")
        .first()
    )
    if participant is None:
        raise Http404
    if not may(actor, participant.proceeding, permission):
        raise PermissionDenied(permission)
    return participant


def shows_milestones(scope: FieldScope, case: Case) -> bool:
    """Whether the case's justice milestones show (its `Justice` category)."""
    return scope.shows(case, JUSTICE)


# Which sides may record what besides the stage steps (each step's permission is in the stage
# table): the write's name -> the permissions, any one of which the actor's side must hold.
ANY_SIDE: Final = (PROCEEDING_RECORD, PROCEEDING_PROSECUTE, PROCEEDING_ADJUDICATE)
WRITES: Final[dict[str, tuple[str, ...]]] = {
    "requalify": (PROCEEDING_RECORD, PROCEEDING_PROSECUTE),
    "participant": (PROCEEDING_RECORD, PROCEEDING_PROSECUTE),
    "suspect": (PROCEEDING_RECORD, PROCEEDING_PROSECUTE),
    "hearing": (PROCEEDING_ADJUDICATE,),
    "judgment": (PROCEEDING_ADJUDICATE,),
    "protection": ANY_SIDE,  # the body conducting the proceeding decides (Law 3782-XII art. 3)
    "compensation": ANY_SIDE,
    "non_punishment": ANY_SIDE,
}


def may_write(actor: Actor, proceeding: Proceeding, write: str) -> bool:
    """Whether the actor's side may record `write` (a key of WRITES) on a proceeding they see."""
    return any(may(actor, proceeding, permission) for permission in WRITES[write])


def authorize_write(actor: Actor, proceeding: Proceeding, write: str) -> None:
    """403 unless the actor's side may record `write` on the proceeding."""
    if not may_write(actor, proceeding, write):
        raise PermissionDenied(WRITES[write][0])


# --- one record of a proceeding (a hearing, a protection measure, a non-punishment request) ---


def _child_for(actor: Actor, proceeding_id: object, rows: Any, child_id: object, write: str) -> Any:
    """A record of a proceeding the actor sees (404 when the proceeding is hidden or the record
    is not one of its own), that the actor's side may decide (`write`, else 403)."""
    proceeding = get_proceeding_for(actor, proceeding_id)
    child = rows.filter(id=_as_uuid(child_id)).first()
    if child is None:
        raise Http404
    authorize_write(actor, proceeding, write)
    return child


def get_hearing_for(actor: Actor, proceeding_id: object, hearing_id: object) -> Hearing:
    """A hearing of a proceeding the actor sees, whose outcome the court records."""
    rows = Hearing.objects.filter(proceeding_id=_as_uuid(proceeding_id))
    hearing: Hearing = _child_for(actor, proceeding_id, rows, hearing_id, "hearing")
    return hearing


def get_protection_for(
    actor: Actor, proceeding_id: object, protection_id: object
) -> ProtectionMeasure:
    """A protection measure of a participant of a proceeding the actor sees, to decide."""
    rows = ProtectionMeasure.objects.filter(
        participant__proceeding_id=_as_uuid(proceeding_id)
    ).select_related("participant__proceeding")
    measure: ProtectionMeasure = _child_for(actor, proceeding_id, rows, protection_id, "protection")
    return measure


def get_non_punishment_for(
    actor: Actor, proceeding_id: object, non_punishment_id: object
) -> NonPunishment:
    """A request for release from liability in a proceeding the actor sees, to decide."""
    rows = NonPunishment.objects.filter(proceeding_id=_as_uuid(proceeding_id)).select_related(
        "case"
    )
    item: NonPunishment = _child_for(
        actor, proceeding_id, rows, non_punishment_id, "non_punishment"
    )
    return item
