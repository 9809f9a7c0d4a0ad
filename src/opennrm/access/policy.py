""" "Can" and "which" in pairs: a visibility queryset per object type and checks built from it.

Hidden objects raise `Http404` (the same as missing); visible but forbidden raise
`PermissionDenied` (403).
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from opennrm.access.roles import CASE_VIEW, permissions_of
from opennrm.accounts.models import User
from opennrm.cases.models import Case, Consent
from opennrm.people.models import Person
from opennrm.tenancy.actor import Actor, actor_for


def permissions(actor: Actor) -> frozenset[str]:
    return permissions_of(actor.roles)


def can(actor: Actor, permission: str) -> bool:
    """Whether the actor's roles grant a permission (in their own agency)."""
    return permission in permissions(actor)


def require(actor: Actor, permission: str) -> None:
    if not can(actor, permission):
        raise PermissionDenied(permission)


def actor_of(user: User) -> Actor:
    return actor_for(user)


def visible_cases(actor: Actor) -> QuerySet[Case]:
    """Cases the actor may see: those owned by their agency, when a role grants `case.view`."""
    if actor.agency is None or not can(actor, CASE_VIEW):
        return Case.objects.none()
    return Case.objects.filter(owner_agency=actor.agency)


def visible_persons(actor: Actor) -> QuerySet[Person]:
    return Person.objects.filter(id__in=visible_cases(actor).values("person_id"))


def _as_uuid(value: object) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def get_case_for(
    actor: Actor, case_id: object, permission: str, queryset: QuerySet[Case] | None = None
) -> Case:
    """A case the actor may see (else 404) and act on with `permission` (else 403)."""
    base = visible_cases(actor)
    if queryset is not None:
        base = base & queryset
    case = base.filter(id=_as_uuid(case_id)).first()
    if case is None:
        raise Http404
    require(actor, permission)
    return case


def get_consent_for(actor: Actor, consent_id: object, permission: str) -> Consent:
    consent = (
        Consent.objects.filter(case__in=visible_cases(actor), id=_as_uuid(consent_id))
        .select_related("case")
        .first()
    )
    if consent is None:
        raise Http404
    require(actor, permission)
    return consent
