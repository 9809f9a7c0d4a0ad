"""The gate of agency administration: who may add users to an agency, give or take their roles,
disable and enable them, and which roles may be given.

An agency admin (role `agency_admin` with `user.manage`, `second_factor.administers_users`)
manages the users of their own agency only: another agency's user is missing for them (404,
`second_factor.get_managed_user`). They never manage themselves, another agency admin or a
holder of a role that needs a passkey (`second_factor.PROTECTED_ROLES`): the system operator
does (`opennrm add-user`, `disable-user`). For the same reason they may give only the roles of
`GRANTABLE_ROLES`: never `agency_admin`, `sysadmin`, or the national roles (`coordinator`,
`statistician`), which the operator gives. A change never hands out more than the admin's own
reach: the agency stays theirs, the rights are those of an ordinary member. Roles that carry a
state power go only to agencies of the kinds that hold it (`ROLE_AGENCY_KINDS`): an NGO's admin
cannot make an investigator, a judge or a status decision-maker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Final

from django.core.exceptions import PermissionDenied

from opennrm.access import second_factor
from opennrm.access.roles import ROLE_PERMISSIONS
from opennrm.accounts.models import User
from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.nrm.status import workflow as status_workflow
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency

# The roles an agency admin may give: every role but the protected ones.
GRANTABLE_ROLES: Final = frozenset(ROLE_PERMISSIONS) - second_factor.PROTECTED_ROLES


def administers_agency(actor: Actor) -> bool:
    """The agency admin of the actor's agency (the page *Agency administration*)."""
    return second_factor.administers_users(actor)


def check_administers_agency(actor: Actor) -> None:
    if not administers_agency(actor):
        raise PermissionDenied


# Roles of a state power, and the agency kinds that hold it (the status levels as configured).
ROLE_AGENCY_KINDS: Final[dict[str, Callable[[], Iterable[str]]]] = {
    "investigator": lambda: ("NationalPolice",),
    "prosecutor": lambda: ("ProsecutorsOffice",),
    "judge": lambda: ("Court",),
    "border_guard": lambda: ("StateBorderGuardService", "StateMigrationService"),
    "oblast_official": lambda: status_workflow.agency_kinds(status_workflow.OBLAST),
    "decision_maker": lambda: status_workflow.agency_kinds(status_workflow.NATIONAL),
}


def grantable_roles(agency: Agency) -> frozenset[str]:
    """The roles an agency admin of `agency` may give: not the protected ones, and a role of a
    state power only in an agency of a kind that holds it."""
    return frozenset(
        role
        for role in GRANTABLE_ROLES
        if role not in ROLE_AGENCY_KINDS or agency.kind in ROLE_AGENCY_KINDS[role]()
    )


def grantable_choices(agency: Agency) -> list[tuple[str, str]]:
    """(code, label) of the roles an agency admin of `agency` may give, in the code list's
    order."""
    allowed = grantable_roles(agency)
    return [(code, label) for code, label in code_list(codes.ROLE).choices() if code in allowed]


def may_manage(actor: Actor, user: User) -> bool:
    """Whether the admin may change this user's roles or disable them (a user of their agency,
    found through `second_factor.get_managed_user`): never themselves or a protected account."""
    return administers_agency(actor) and second_factor.may_reset(actor, user)


def check_may_manage(actor: Actor, user: User) -> None:
    if not may_manage(actor, user):
        raise PermissionDenied


def check_grantable(agency: Agency, roles: Iterable[str]) -> None:
    """Refuse (403) a role the admin may not give: a tampered form, never a user's mistake."""
    if not set(roles) <= grantable_roles(agency):
        raise PermissionDenied
