"""The gate of retention: who may place or lift a legal hold, and who may answer a person's
data-subject requests (access export, erasure on request).

- `case.hold`: the owning agency's supervisor on its own cases (a share never carries it);
  an actor with national reach (`stats.national`, the coordinator) on any case by its id,
  without seeing the case (the hold holds ids and a reason code only);
- `person.subject_request`: the owning agency's supervisor, on a case the agency owns.

Missing or invisible cases are 404, visible ones without the permission 403, as everywhere.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from opennrm.access import policy
from opennrm.access.roles import CASE_HOLD, STATS_NATIONAL, SUBJECT_REQUEST
from opennrm.cases.models import Case
from opennrm.tenancy.actor import Actor


def get_case_for_hold(actor: Actor, case_id: object) -> Case:
    """The case an actor may place a legal hold on, or lift it from."""
    if (
        actor.agency is not None
        and policy.can(actor, CASE_HOLD)
        and policy.can(actor, STATS_NATIONAL)
    ):
        case = Case.objects.filter(id=policy._as_uuid(case_id)).first()
        if case is None:
            raise Http404
        return case
    return policy.get_case_for(actor, case_id, CASE_HOLD)


def get_case_for_subject_request(actor: Actor, case_id: object) -> Case:
    """A case the actor's agency owns, for a data-subject request about its person."""
    case = policy.get_case_for(actor, case_id, SUBJECT_REQUEST)
    if case.owner_agency_id != actor.agency_id:
        raise PermissionDenied(SUBJECT_REQUEST)
    return case
