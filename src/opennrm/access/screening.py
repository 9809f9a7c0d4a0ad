""" "Can" and "which" for screenings with the ILO/EC indicators.

A screening is visible to an actor whose roles grant `screening.view` when it belongs to their
agency; when it is attached to a case their agency owns; or when it is attached to a case shared
with their agency by an active referral that includes the "CaseFacts" data category. Only the
agency that screened may change it (`screening.record`): seen through a case, it is read-only
(403). Its subject (minimal identity) shows where the case's identity would: to the screening
agency, the case owner, and shares that include "Identity".
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from opennrm.access.fields import CASE_FACTS, IDENTITY
from opennrm.access.policy import (
    _as_uuid,
    active_shares,
    can,
    case_access,
    require,
    shows_staff,
)
from opennrm.access.roles import CASE_VIEW, PERSON_VIEW, SCREENING_VIEW
from opennrm.access.scope import field_scope
from opennrm.nrm.screening.models import Screening
from opennrm.tenancy.actor import Actor


def _shared_case_ids(actor: Actor) -> list[uuid.UUID]:
    return [
        case_id
        for case_id, categories in active_shares(actor).values_list("case_id", "data_categories")
        if CASE_FACTS in categories
    ]


def visible_screenings(actor: Actor) -> QuerySet[Screening]:
    """Screenings the actor may see: their agency's, and those of cases they may see."""
    if actor.agency is None or not can(actor, SCREENING_VIEW):
        return Screening.objects.none()
    visible = Q(agency=actor.agency)
    if can(actor, CASE_VIEW):
        visible |= Q(case__owner_agency=actor.agency) | Q(case_id__in=_shared_case_ids(actor))
    return Screening.objects.filter(visible)


def get_screening_for(
    actor: Actor,
    screening_id: object,
    permission: str,
    queryset: QuerySet[Screening] | None = None,
) -> Screening:
    """A screening the actor may see (else 404) and act on with `permission` (else 403)."""
    base = visible_screenings(actor)
    if queryset is not None:
        base = base & queryset
    screening = base.filter(id=_as_uuid(screening_id)).select_related("case").first()
    if screening is None:
        raise Http404
    require(actor, permission)
    if screening.agency_id == actor.agency_id:
        return screening
    # Seen through a case: read-only, and only what the case relation grants.
    assert screening.case is not None
    if permission != SCREENING_VIEW:
        raise PermissionDenied(permission)
    if permission not in case_access(actor, screening.case).permissions:
        raise PermissionDenied(permission)
    return screening


@dataclass(frozen=True)
class SubjectScope:
    """Which visible screenings show their subject; built with one query."""

    actor: Actor
    shared_case_ids: frozenset[uuid.UUID]
    may_see_persons: bool

    def shows_screener(self, screening: Screening) -> bool:
        """The username of who screened shows only within the screening agency."""
        return shows_staff(self.actor, screening.agency_id)

    def sees(self, screening: Screening) -> bool:
        """Whether the subject shows (load `case` with the screening to avoid a query)."""
        if not self.may_see_persons:
            return False
        if screening.agency_id == self.actor.agency_id:
            return True
        if screening.case_id is None:
            return False
        if screening.case_id in self.shared_case_ids:
            return True
        assert screening.case is not None
        return screening.case.owner_agency_id == self.actor.agency_id


def subject_scope(actor: Actor) -> SubjectScope:
    scope = field_scope(actor)
    shared = frozenset(case_id for case_id, shown in scope.shared.items() if IDENTITY in shown)
    return SubjectScope(actor, shared, can(actor, PERSON_VIEW))
