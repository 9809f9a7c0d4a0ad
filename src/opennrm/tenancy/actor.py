"""Who is acting: a user, the agency they act for, and their roles there."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from opennrm.accounts.models import User
from opennrm.tenancy.models import Agency, Membership


@dataclass(frozen=True)
class Actor:
    user: User
    agency: Agency | None
    roles: frozenset[str]

    @property
    def user_id(self) -> uuid.UUID:
        return self.user.id

    @property
    def agency_id(self) -> uuid.UUID | None:
        return self.agency.id if self.agency else None


def actor_for(user: User) -> Actor:
    """The actor for a user: their agency and active roles (none when inactive or anonymous)."""
    if not user.is_authenticated or not user.is_active:
        return Actor(user=user, agency=None, roles=frozenset())
    memberships = list(
        Membership.objects.filter(user=user, is_active=True, agency__is_active=True).select_related(
            "agency"
        )
    )
    agencies = {m.agency_id for m in memberships}
    if len(agencies) != 1:
        # No membership, or a misconfiguration across agencies: act with no rights at all.
        return Actor(user=user, agency=None, roles=frozenset())
    return Actor(
        user=user, agency=memberships[0].agency, roles=frozenset(m.role for m in memberships)
    )
