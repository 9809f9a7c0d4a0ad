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

from opennrm.access.fields import IDENTITY, OWNER_CATEGORIES, categories_of_shares
from opennrm.access.roles import (
    CASE_CHANGE,
    CASE_HISTORY,
    CASE_VIEW,
    CONSENT_MANAGE,
    PERSON_VIEW,
    REFERRAL_CREATE,
    REFERRAL_RESPOND,
    SCREENING_RECORD,
    SHARE_PURPOSE_PERMISSIONS,
    SHARED_CASE_PERMISSIONS,
    STATUS_DECIDE,
    STATUS_PROCESS,
    STATUS_REGISTER,
    permissions_of,
)
from opennrm.accounts.models import User
from opennrm.cases.models import Case, Consent
from opennrm.nrm.referrals.models import Referral
from opennrm.nrm.referrals.workflow import ACTIVE
from opennrm.tenancy.actor import Actor, actor_for

OWNER, SHARED = "owner", "shared"


def permissions(actor: Actor) -> frozenset[str]:
    return permissions_of(actor.roles)


def can(actor: Actor, permission: str) -> bool:
    """Whether the actor's roles grant a permission (in their own agency)."""
    return permission in permissions(actor)


def require(actor: Actor, permission: str) -> None:
    if not can(actor, permission):
        raise PermissionDenied(permission)


def shows_staff(actor: Actor, agency_id: uuid.UUID | None) -> bool:
    """Whether a user of `agency_id` is named to the actor: only within their own agency;
    other agencies see the agency, never its staff (an owner-only field, docs/permissions.md)."""
    return agency_id is not None and agency_id == actor.agency_id


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

    @property
    def purpose(self) -> str:
        """The purpose the actor sees the case for (audit events record it): none for the
        owner, the share's purpose, or the first of several in code order."""
        return min(self.purposes) if self.purposes else ""


@dataclass(frozen=True)
class CaseActions:
    """What the case page offers an actor: each link or button shown only where allowed."""

    change: bool
    history: bool
    consent: bool
    refer: bool
    screen: bool
    status: bool

    def as_flags(self) -> dict[str, bool]:
        return {f"can_{name}": value for name, value in self.__dict__.items()}


def case_actions(access: CaseAccess) -> CaseActions:
    granted = access.permissions
    return CaseActions(
        change=CASE_CHANGE in granted,
        history=access.is_owner and CASE_HISTORY in granted,
        consent=access.is_owner and CONSENT_MANAGE in granted,
        refer=access.is_owner and REFERRAL_CREATE in granted,
        screen=SCREENING_RECORD in granted,
        status=bool({STATUS_REGISTER, STATUS_PROCESS, STATUS_DECIDE} & granted),
    )


def case_access(actor: Actor, case: Case) -> CaseAccess:
    """The permissions and data categories an actor has on a case they can see."""
    granted = permissions(actor)
    if case.owner_agency_id == actor.agency_id:
        return CaseAccess(OWNER, granted, OWNER_CATEGORIES, frozenset())
    shares = list(active_shares(actor).filter(case=case).values_list("purpose", "data_categories"))
    purposes = frozenset(p for p, _ in shares)
    categories = categories_of_shares(shares)
    allowed = set(SHARED_CASE_PERMISSIONS)
    for purpose in purposes:
        allowed |= SHARE_PURPOSE_PERMISSIONS.get(purpose, frozenset())
    if IDENTITY not in categories:
        allowed.discard(PERSON_VIEW)
    return CaseAccess(SHARED, granted & frozenset(allowed), categories, purposes)


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


# Which side of a referral acts with which permission: the recipient answers, the sender
# cancels or ends the sharing. Seeing it needs only to be on either side.
REFERRAL_SIDE = {REFERRAL_RESPOND: "to_agency_id", REFERRAL_CREATE: "from_agency_id"}


def get_referral_for(actor: Actor, referral_id: object, permission: str) -> Referral:
    """A referral the actor's agency made or received (else 404), acted on with `permission`
    by the side that may (else 403)."""
    referral = (
        visible_referrals(actor)
        .select_related("case", "from_agency", "to_agency", "basis")
        .filter(id=_as_uuid(referral_id))
        .first()
    )
    if referral is None:
        raise Http404
    require(actor, permission)
    side = REFERRAL_SIDE.get(permission)
    if side is not None and getattr(referral, side) != actor.agency_id:
        raise PermissionDenied(permission)
    return referral
