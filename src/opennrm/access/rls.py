"""Which row-level security scope a request runs in (tenancy/rls.py; docs/operations.md).

Row-level security on PostgreSQL is a backstop behind the gate, not a second gate: the gate
(`policy.visible_cases` and the rest) decides what a user sees. The database refuses, whatever
a bug in a query does, another agency's case and person rows to a user whose work is local.

- `agency` scope: the actor's own agency's rows and the cases an active referral shares with
  it (the same rule as `visible_cases`, without the role check). Border guards, agency and
  system administrators, trainers, programme officers.
- `status` scope: the `agency` rows, plus the cases of status applications whose personal
  file the agency holds or held at any level (receiving office, oblast, national): every role
  that processes status files (`status.process`: caseworkers and supervisors of a hromada's
  or an oblast's office, oblast officials, decision makers), who reach other agencies' cases
  only through the status procedure (`access.status.visible_applications`,
  `nrm.status.queries.handled_by`, a subset of this rule).
- `national` scope: actors whose roles reach across agencies by design: national statistics
  and record linkage (coordinator, statistician) and the justice chain (investigator,
  prosecutor, judge: proceedings, perpetrators and their links reach victims' cases of other
  agencies through `access/justice.py` and `access/perpetrators.py`, rules not yet expressed
  as policies). For them the backstop only requires an authenticated actor with an agency.
- no scope: anonymous requests, and everything outside a request that did not ask for
  `tenancy.rls.system_scope()`: the protected tables read empty.

A user with roles of several scopes gets the widest (national > status > agency).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from django.db import connection
from django.http import HttpRequest, HttpResponse

from opennrm.access import roles
from opennrm.accounts.models import User
from opennrm.tenancy import rls
from opennrm.tenancy.actor import Actor, actor_for

# The roles whose work reaches across agencies by design (see the module's docstring).
NATIONAL_ROLES: Final = frozenset(
    {
        "coordinator",
        "statistician",
        "investigator",
        "prosecutor",
        "judge",
    }
)


def scope_of(actor: Actor) -> tuple[str | None, str]:
    """(agency id, scope) for the actor's database session."""
    if actor.agency is None:
        return None, rls.NONE
    if actor.roles & NATIONAL_ROLES:
        return str(actor.agency.id), rls.NATIONAL
    # Anyone who processes status files (oblast officials, decision makers, a hromada's or an
    # oblast's caseworker too) reaches the cases of the files their agency holds or held, as
    # access.status lets them.
    if roles.STATUS_PROCESS in roles.permissions_of(actor.roles):
        return str(actor.agency.id), rls.STATUS
    return str(actor.agency.id), rls.AGENCY


def set_for_user(user: object) -> None:
    """Set the database session's scope for an authenticated user (or none)."""
    if connection.vendor != "postgresql":
        return
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        agency_id, scope = scope_of(actor_for(user))
        rls.set_scope(agency_id, scope)
    else:
        rls.set_scope(None, rls.NONE)


def row_level_security(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware (after authentication): the request's scope, cleared when it ends. API
    requests with a bearer token get theirs when DRF authenticates them (api/auth.py)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if connection.vendor != "postgresql":  # SQLite has no row-level security
            return get_response(request)
        try:
            set_for_user(getattr(request, "user", None))
            return get_response(request)
        finally:
            rls.clear()

    return middleware
