""" "Can" and "which" in pairs: a visibility queryset per object type and checks built from it.

Hidden objects raise `Http404` (the same as missing); visible but forbidden raise
`PermissionDenied` (403). A case is visible to its owner agency and, through an active share
(an accepted referral), to the recipient agency, limited by the share's purpose and data
categories.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from opennrm.access.roles import (
    CASE_VIEW,
    PERSON_VIEW,
    SHARE_PURPOSE_PERMISSIONS,
    SHARED_CASE_PERMISSIONS,
    permissions_of,
)
from opennrm.accounts.models import User
from opennrm.cases.models import Case, Consent
from opennrm.core.codes import DATA_CATEGORY, code_list
from opennrm.nrm.referrals.models import Referral
from opennrm.nrm.referrals.workflow import ACTIVE
from opennrm.people.models import Person
from opennrm.tenancy.actor import Actor, actor_for

OWNER, SHARED = "owner", "shared"
IDENTITY = "Identity"


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


def active_shares(actor: Actor) -> QuerySet[Referral]:
    """Accepted referrals that currently share cases with the actor's agency."""
    if actor.agency is None:
        return Referral.objects.none()
    return Referral.objects.filter(to_agency=actor.agency, state=ACTIVE)


def visible_cases(actor: Actor) -> QuerySet[Case]:
    """Cases the actor may see: owned by their agency, or shared with it by an active referral,
    when one of the actor's roles grants `case.view`."""
    if actor.agency is None or not can(actor, CASE_VIEW):
        return Case.objects.none()
    return Case.objects.filter(
        Q(owner_agency=actor.agency) | Q(id__in=active_shares(actor).values("case_id"))
    )


@dataclass(frozen=True)
class IdentityScope:
    """Which visible cases show the person's identity: owned ones, and those shared with the
    "Identity" category. Built with one query; `cases` is the queryset, `sees` the check."""

    actor: Actor
    shared_case_ids: frozenset[uuid.UUID]

    def sees(self, case: Case) -> bool:
        return case.owner_agency_id == self.actor.agency_id or case.id in self.shared_case_ids

    def cases(self) -> QuerySet[Case]:
        return visible_cases(self.actor).filter(
            Q(owner_agency=self.actor.agency) | Q(id__in=self.shared_case_ids)
        )


def identity_scope(actor: Actor) -> IdentityScope:
    shared = frozenset(
        case_id
        for case_id, categories in active_shares(actor).values_list("case_id", "data_categories")
        if IDENTITY in categories
    )
    return IdentityScope(actor, shared)


def name_searchable_cases(actor: Actor) -> QuerySet[Case]:
    """Visible cases whose identity the actor may see (owned, or shared with "Identity")."""
    return identity_scope(actor).cases()


@dataclass(frozen=True)
class CaseAccess:
    """How an actor relates to one case: as owner, or through shares (purposes, categories)."""

    relation: str
    permissions: frozenset[str]
    categories: frozenset[str]
    purposes: frozenset[str]

    @property
    def is_owner(self) -> bool:
        return self.relation == OWNER

    def shows(self, category: str) -> bool:
        return category in self.categories


ALL_CATEGORIES = frozenset(code_list(DATA_CATEGORY).values)


def case_access(actor: Actor, case: Case) -> CaseAccess:
    """The permissions and data categories an actor has on a case they can see."""
    granted = permissions(actor)
    if case.owner_agency_id == actor.agency_id:
        return CaseAccess(OWNER, granted, ALL_CATEGORIES, frozenset())
    shares = list(active_shares(actor).filter(case=case).values_list("purpose", "data_categories"))
    purposes = frozenset(p for p, _ in shares)
    categories = frozenset(c for _, cats in shares for c in cats)
    allowed = set(SHARED_CASE_PERMISSIONS)
    for purpose in purposes:
        allowed |= SHARE_PURPOSE_PERMISSIONS.get(purpose, frozenset())
    if IDENTITY not in categories:
        allowed.discard(PERSON_VIEW)
    return CaseAccess(SHARED, granted & frozenset(allowed), categories, purposes)


def visible_persons(actor: Actor) -> QuerySet[Person]:
    return Person.objects.filter(id__in=name_searchable_cases(actor).values("person_id"))


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
    if permission not in case_access(actor, case).permissions:
        raise PermissionDenied(permission)
    return case


def get_consent_for(actor: Actor, consent_id: object, permission: str) -> Consent:
    consent = (
        Consent.objects.filter(case__in=visible_cases(actor), id=_as_uuid(consent_id))
        .select_related("case")
        .first()
    )
    if consent is None:
        raise Http404
    if permission not in case_access(actor, consent.case).permissions:
        raise PermissionDenied(permission)
    return consent


def visible_referrals(actor: Actor) -> QuerySet[Referral]:
    """Referrals the actor's agency made or received (a role must grant `case.view`)."""
    if actor.agency is None or not can(actor, CASE_VIEW):
        return Referral.objects.none()
    return Referral.objects.filter(Q(from_agency=actor.agency) | Q(to_agency=actor.agency))


def get_referral_for(actor: Actor, referral_id: object, permission: str) -> Referral:
    referral = (
        visible_referrals(actor)
        .select_related("case", "from_agency", "to_agency", "basis")
        .filter(id=_as_uuid(referral_id))
        .first()
    )
    if referral is None:
        raise Http404
    require(actor, permission)
    return referral
