"""The gate of agency administration: who may add users to an agency, give or take their roles,
disable and enable them, and which roles may be given.

An agency admin (role `agency_admin` with `user.manage`, `second_factor.administers_users`)
manages the users of their own agency only: another agency's user is missing for them (404,
`second_factor.get_managed_user`). They never manage themselves, another agency admin or a
holder of a role that needs a passkey (`second_factor.PROTECTED_ROLES`): the system operator
does (`opennrm add-user`, `disable-user`). For the same reason they may give only the roles of
`GRANTABLE_ROLES`: never `agency_admin`, `sysadmin`, or the national roles (`coordinator`,
`statistician`), which the operator gives. A change never hands out more than the admin's own
reach: the agency stays theirs, the rights are those of an ordinary member.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from django.core.exceptions import PermissionDenied

from opennrm.access import second_factor
from opennrm.access.roles import ROLE_PERMISSIONS
from opennrm.accounts.models import User
from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.tenancy.actor import Actor

# The roles an agency admin may give: every role but the protected ones.
GRANTABLE_ROLES: Final = frozenset(ROLE_PERMISSIONS) - second_factor.PROTECTED_ROLES


def administers_agency(actor: Actor) -> bool:
    """The agency admin of the actor's agency (the page *Agency administration*)."""
    return second_factor.administers_users(actor)


def check_administers_agency(actor: Actor) -> None:
    if not administers_agency(actor):
        raise PermissionDenied


def grantable_choices() -> list[tuple[str, str]]:
    """(code, label) of the roles an agency admin may give, in the code list's order."""
    return [
        (code, label) for code, label in code_list(codes.ROLE).choices() if code in GRANTABLE_ROLES
    ]


def may_manage(actor: Actor, user: User) -> bool:
    """Whether the admin may change this user's roles or disable them (a user of their agency,
    found through `second_factor.get_managed_user`): never themselves or a protected account."""
    return administers_agency(actor) and second_factor.may_reset(actor, user)


def check_may_manage(actor: Actor, user: User) -> None:
    if not may_manage(actor, user):
        raise PermissionDenied


def check_grantable(roles: Iterable[str]) -> None:
    """Refuse (403) a role the admin may not give: a tampered form, never a user's mistake."""
    if not set(roles) <= GRANTABLE_ROLES:
        raise PermissionDenied
