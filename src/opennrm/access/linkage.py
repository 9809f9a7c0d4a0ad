"""The gate of record linkage: who runs the model, reviews its pairs and merges.

Linkage is national: the review queue holds pairs from every agency, so it is open only to
roles with `linkage.review` (the national coordinator and the statistician); for everyone else
a pair does not exist (404). Caseworkers learn only the hint that a person "may be known to
another agency", which names no agency and shows nothing another agency holds, and only after a
reviewer confirmed the match (`known_elsewhere_hint`).
"""

from __future__ import annotations

from typing import Final

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

from opennrm.access import policy
from opennrm.access.policy import _as_uuid
from opennrm.access.roles import LINKAGE_MERGE, LINKAGE_REVIEW, LINKAGE_RUN
from opennrm.cases.models import Case
from opennrm.linkage import queries, services
from opennrm.linkage.models import CandidatePair, LinkageRun
from opennrm.tenancy.actor import Actor

# What a reviewer sees of each registration side by side (access/fields.py names): the Identity
# fields the decision needs. Documents and contact details show only as agree/differ in the
# model's explanation, never as values; health, facts and notes not at all.
PAIR_FIELDS: Final = (
    "first_name",
    "middle_name",
    "family_name",
    "birth_date",
    "gender",
    "citizenships",
)


def can_review(actor: Actor) -> bool:
    return actor.agency is not None and policy.can(actor, LINKAGE_REVIEW)


def can_run(actor: Actor) -> bool:
    return actor.agency is not None and policy.can(actor, LINKAGE_RUN)


def can_merge(actor: Actor) -> bool:
    return actor.agency is not None and policy.can(actor, LINKAGE_MERGE)


def require_review(actor: Actor) -> None:
    """Pages of the linkage area: 404 for roles that have nothing to do there."""
    if not (can_review(actor) or can_run(actor)):
        raise Http404


def require_queue(actor: Actor) -> None:
    """The review queue: only for roles that review (404 otherwise)."""
    if not can_review(actor):
        raise Http404


def get_pair_for(actor: Actor, pair_id: object, permission: str = LINKAGE_REVIEW) -> CandidatePair:
    require_queue(actor)
    try:
        pair = CandidatePair.objects.select_related("left", "right").get(id=_as_uuid(pair_id))
    except CandidatePair.DoesNotExist as exc:
        raise Http404 from exc
    if not policy.can(actor, permission):
        raise PermissionDenied(permission)
    return pair


def get_run_for(actor: Actor, run_id: object) -> LinkageRun:
    require_review(actor)
    try:
        return LinkageRun.objects.get(id=_as_uuid(run_id))
    except LinkageRun.DoesNotExist as exc:
        raise Http404 from exc


def require_run(actor: Actor) -> None:
    require_review(actor)
    if not can_run(actor):
        raise PermissionDenied(LINKAGE_RUN)


def known_elsewhere_hint(actor: Actor, case: Case) -> bool:
    """Whether to show the minimal-disclosure hint on this case now; each True is audited.

    Shown only on a case the actor's agency owns (never on a share), when
    ``OPENNRM_LINKAGE_HINT`` is on and a reviewer's "same person" decision tied the person to
    another agency's registration. A match only the model found never shows it: otherwise a
    caseworker could register made-up identities and read the model's answer (an oracle).
    Every time it is shown, ``linkage.hint_shown`` is recorded with the case id only.
    """
    if not settings.OPENNRM_LINKAGE_HINT:
        return False
    if actor.agency is None or case.owner_agency_id != actor.agency_id:
        return False
    if not queries.confirmed_elsewhere(case.person):
        return False
    services.record_hint_shown(actor, case.id)
    return True
