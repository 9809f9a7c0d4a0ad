"""Row-level security on PostgreSQL: the database session's agency and scope.

The policies (migration `ops/0001_row_level_security`) read two settings of the database
session: `opennrm.agency` (an agency id) and `opennrm.scope` (`agency` or `national`). A role
subject to the policies (the application role in production: owns nothing, no BYPASSRLS) sees
the protected tables' rows of that agency, the cases shared with it by an active referral, or
everything under `national`; with neither set, the tables read empty. See docs/operations.md.

The wanted state lives in a context variable (per thread, per task) and is applied to the
connection as soon as it is open (`connection_created` for a connection opened later). Set
by the request middleware (`access.rls`), the API's token authentication, and `system_scope()`
for the worker and management commands. SQLite has no row-level security: a no-op there.

The application role (`OPENNRM_DB_APP_ROLE`, docs/operations.md): when set, every new
PostgreSQL connection first switches to that role (`SET ROLE`), so the policies bind whatever
login the connection string names: a no-op when the login is the application role itself, a
step down when it is the owner. Commands that must act as the owner (`migrate`, `backup`,
`restore`: `opennrm` marks them with `OPENNRM_DB_AS_OWNER=1`) stay the login role.
"""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any, Final

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

AGENCY: Final = "agency"
# The agency's rows, shares, and the cases of status applications whose file the agency holds
# or held at any level (receiving office, oblast, national): oblast officials, decision makers.
STATUS: Final = "status"
NATIONAL: Final = "national"
NONE: Final = ""
SCOPES: Final = (AGENCY, STATUS, NATIONAL, NONE)

# `opennrm COMMAND` (cli.py) marks a management command's process as system work: the worker
# and operator commands act in national scope unless they narrow it. The servers never do.
SYSTEM_PROCESS_ENV: Final = "OPENNRM_SYSTEM_SCOPE"
_PROCESS_DEFAULT: Final = (NONE, NATIONAL if os.environ.get(SYSTEM_PROCESS_ENV) == "1" else NONE)
_state: ContextVar[tuple[str, str]] = ContextVar("opennrm_rls", default=_PROCESS_DEFAULT)

# `opennrm migrate|backup|restore` (cli.py): owner work, no SET ROLE (see the module docstring).
OWNER_PROCESS_ENV: Final = "OPENNRM_DB_AS_OWNER"
_ROLE_NAME: Final = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_app_role: list[str] = [""]  # the role new connections switch to ("" = stay the login role)
_SQL: Final = (
    "SELECT set_config('opennrm.agency', %s, false), set_config('opennrm.scope', %s, false)"
)


def current() -> tuple[str, str]:
    """The wanted (agency id, scope) of this thread or task."""
    return _state.get()


def app_role() -> str:
    """The role connections switch to ("" when they stay the login role)."""
    return _app_role[0]


def use_app_role(name: str) -> None:
    """Switch every PostgreSQL connection, open now or opened later, to the role `name` (a
    role that owns nothing and has no BYPASSRLS); "" stops switching new connections."""
    if name and not _ROLE_NAME.match(name):
        raise ValueError(f"not a plain role name: {name!r}")
    _app_role[0] = name
    if name:
        for connection in connections.all(initialized_only=True):
            _switch_role(connection)


def _switch_role(connection: BaseDatabaseWrapper) -> None:
    raw = getattr(connection, "connection", None)
    if connection.vendor == "postgresql" and raw is not None and _app_role[0]:
        # A plain identifier checked above; SET ROLE takes no bind parameter.
        raw.execute(f'SET ROLE "{_app_role[0]}"')


def _apply(connection: BaseDatabaseWrapper) -> None:
    raw = getattr(connection, "connection", None)
    if connection.vendor != "postgresql" or raw is None:
        return
    # The raw connection, not a Django cursor: not a query of the page (query budgets), and
    # it works whatever the ORM's state. Session-wide (is_local false): every request sets it.
    raw.execute(_SQL, list(_state.get()))


def set_scope(agency_id: uuid.UUID | str | None, scope: str) -> None:
    """Make the open connections (and those opened later in this context) use this scope."""
    if scope not in SCOPES:
        raise ValueError(f"unknown row-level security scope {scope!r}")
    _state.set((str(agency_id) if agency_id else NONE, scope))
    for connection in connections.all(initialized_only=True):
        _apply(connection)


def clear() -> None:
    """Back to the process's default: nothing for the servers (the protected tables read empty
    for the application role), national for `opennrm COMMAND` (`OPENNRM_SYSTEM_SCOPE`)."""
    with contextlib.suppress(Exception):  # a failed transaction: the next request sets anew
        set_scope(None, _PROCESS_DEFAULT[1])  # the default names no agency


@contextlib.contextmanager
def system_scope() -> Iterator[None]:
    """National scope for system work (the worker's tasks, management commands), then back
    to what was set before."""
    before = _state.get()
    set_scope(None, NATIONAL)
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            set_scope(before[0] or None, before[1])


def on_connection_created(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """`connection_created` receiver: a new connection switches to the application role (when
    one is set) and starts with the context's scope."""
    _switch_role(connection)
    _apply(connection)
