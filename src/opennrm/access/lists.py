"""The gate of the lists: the case list (search, sort, export, saved searches, bulk changes),
the register of status applications per level and the audit log's filters.

Every list starts from a scoped queryset of `access.policy` or `access.status`; what shows of a
row is the request's `FieldScope` (the same presenters for the page and its export).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from opennrm.access import policy
from opennrm.access import status as status_gate
from opennrm.access.fields import CASE_FACTS
from opennrm.access.roles import (
    AUDIT_VIEW,
    CASE_CHANGE,
    CASE_VIEW,
    HTCDS_EXPORT,
)
from opennrm.access.scope import FieldScope
from opennrm.accounts.models import User
from opennrm.cases.models import Case, SavedSearch
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.models import StatusApplication
from opennrm.tenancy.actor import Actor

# The most rows one export holds; a longer list asks for narrower filters.
EXPORT_LIMIT = 10_000
# The most cases one bulk change takes (a page of the list at most).
BULK_LIMIT = 100
# The role a case may be reassigned to.
CASEWORKER_ROLE = "caseworker"


# --- the case list ---------------------------------------------------------------------------


def require_case_list(actor: Actor) -> None:
    """The case list and its saved searches: `case.view` (else 403)."""
    policy.require(actor, CASE_VIEW)


def facts_shown(scope: FieldScope) -> Q:
    """The cases whose facts show to the scope's actor: sorting on a fact orders only these."""
    return Q(id__in=scope.cases_showing(CASE_FACTS).values("id"))


def may_export_cases(actor: Actor) -> bool:
    """Taking the case list out of the system as a file: `case.view` and `htcds.export`."""
    return policy.can(actor, CASE_VIEW) and policy.can(actor, HTCDS_EXPORT)


def require_export_cases(actor: Actor) -> None:
    if not may_export_cases(actor):
        raise PermissionDenied(HTCDS_EXPORT)


def may_change_in_bulk(actor: Actor) -> bool:
    """Whether the list offers bulk changes (each case is checked again by `cases_to_change`)."""
    return policy.can(actor, CASE_CHANGE)


def cases_to_change(actor: Actor, case_ids: Iterable[object]) -> list[Case]:
    """The cases of a bulk change, all or nothing: Http404 when one is not visible (or an id is
    malformed), PermissionDenied when the actor may not change one of them (a shared case)."""
    ids = sorted({policy._as_uuid(i) for i in case_ids})
    if not ids or len(ids) > BULK_LIMIT:
        raise PermissionDenied(CASE_CHANGE)
    policy.require(actor, CASE_CHANGE)
    cases = list(
        policy.visible_cases(actor).filter(id__in=ids).select_related("caseworker", "person")
    )
    if len(cases) != len(ids):
        raise Http404
    for case in cases:
        if CASE_CHANGE not in policy.case_access(actor, case).permissions:
            raise PermissionDenied(CASE_CHANGE)
    return sorted(cases, key=lambda c: c.id.hex)


def reassignable_caseworkers(actor: Actor) -> QuerySet[User]:
    """Whom a case may be given to: active users with an active caseworker membership in the
    actor's agency (and no membership elsewhere: such a user acts with no rights)."""
    if actor.agency is None:
        return User.objects.none()
    elsewhere = User.objects.filter(memberships__is_active=True).exclude(
        memberships__agency=actor.agency
    )
    return (
        User.objects.filter(
            is_active=True,
            memberships__agency=actor.agency,
            memberships__role=CASEWORKER_ROLE,
            memberships__is_active=True,
        )
        .exclude(pk__in=elsewhere.values("pk"))
        .distinct()
        .order_by("username")
    )


def require_reassign_to(actor: Actor, user: User) -> None:
    if not reassignable_caseworkers(actor).filter(pk=user.pk).exists():
        raise PermissionDenied(CASE_CHANGE)


# --- saved searches --------------------------------------------------------------------------


def saved_searches(actor: Actor) -> QuerySet[SavedSearch]:
    """The user's own saved searches (nobody sees another user's)."""
    return SavedSearch.objects.filter(user=actor.user).order_by("name", "created_at")


def get_saved_search_for(actor: Actor, saved_search_id: object) -> SavedSearch:
    require_case_list(actor)
    found = saved_searches(actor).filter(id=policy._as_uuid(saved_search_id)).first()
    if found is None:
        raise Http404
    return found


# --- the register of status applications ------------------------------------------------------

LEVELS = (wf.RECEIVING, wf.OBLAST, wf.NATIONAL)


def register_level(actor: Actor) -> str | None:
    """The actor's level in the status procedure, by their agency's kind: the receiving office
    (hromada, local administration), the oblast level or the deciding (national) level."""
    if actor.agency is None or not status_gate.has_status_role(actor):
        return None
    for level in LEVELS:
        if actor.agency.kind in wf.agency_kinds(level):
            return level
    return None


def require_register(actor: Actor) -> str:
    level = register_level(actor)
    if level is None:
        raise PermissionDenied("status.register_list")
    return level


def register_applications(actor: Actor) -> QuerySet[StatusApplication]:
    """The register of the actor's level: the applications the agency received (receiving
    office), or whose file went to it (oblast, national), within what the status gate lets the
    actor see (`access.status.visible_applications`: the oblast and national levels see the
    files they hold now; the receiving office every application of the cases it sees)."""
    level = require_register(actor)
    agency_id: uuid.UUID | None = actor.agency_id
    mine = {
        wf.RECEIVING: Q(receiving_agency_id=agency_id),
        wf.OBLAST: Q(oblast_agency_id=agency_id),
        wf.NATIONAL: Q(national_agency_id=agency_id),
    }[level]
    return status_gate.visible_applications(actor).filter(mine)


# --- the audit log ---------------------------------------------------------------------------


def require_audit_log(actor: Actor) -> None:
    policy.require(actor, AUDIT_VIEW)
