"""The SQL of the row-level-security migrations (PostgreSQL only; docs/operations.md).

Every covered table carries one policy, `opennrm_agency_scope`, for all commands: a row is
visible (and may be written) in national scope or when it meets the table's condition. The
migrations `ops/0001`, `0002`, `0004`, `0005` and `0006` give their conditions to
`policy_operations`; the statements they run are exactly those they ran when each wrote them
out itself (applied databases must not change). SQLite has no row-level security: a no-op.

The fragments are constants of this module; a condition is built from them and table names,
never from input: S608 / bandit B608 do not apply.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

POLICY_NAME = "opennrm_agency_scope"
AGENCY = "NULLIF(current_setting('opennrm.agency', true), '')::uuid"
NATIONAL = "coalesce(current_setting('opennrm.scope', true), '') = 'national'"
STATUS = "coalesce(current_setting('opennrm.scope', true), '') = 'status'"


def case_visible(column: str) -> str:
    """The case in `column` is visible (the subquery is itself filtered by cases_case's policy)."""
    return f"EXISTS (SELECT 1 FROM cases_case c WHERE c.id = {column})"  # noqa: S608  # nosec B608


def create_policy(
    schema_editor: BaseDatabaseSchemaEditor, table: str, condition: str, *, enable: bool = True
) -> None:
    """(Re)create the table's policy; `enable=False` when only the policy of a table already
    under row-level security is replaced."""
    if enable:
        schema_editor.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    schema_editor.execute(f"DROP POLICY IF EXISTS {POLICY_NAME} ON {table}")
    schema_editor.execute(
        f"CREATE POLICY {POLICY_NAME} ON {table} FOR ALL"
        f" USING ({NATIONAL} OR {condition}) WITH CHECK ({NATIONAL} OR {condition})"
    )


def drop_policy(schema_editor: BaseDatabaseSchemaEditor, table: str) -> None:
    schema_editor.execute(f"DROP POLICY IF EXISTS {POLICY_NAME} ON {table}")
    schema_editor.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")


def policy_operations(
    policies: Mapping[str, str],
    *,
    before: Mapping[str, str] | None = None,
    enable: bool = True,
) -> migrations.RunPython:
    """The migration step that gives each table of `policies` its condition, in order.

    Backwards, a table named in `before` gets its earlier condition back; any other loses its
    policy and row-level security. `enable` as in `create_policy`.
    """
    earlier = dict(before or {})

    def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, condition in policies.items():
            create_policy(schema_editor, table, condition, enable=enable)

    def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in policies:
            if table in earlier:
                create_policy(schema_editor, table, earlier[table], enable=enable)
            else:
                drop_policy(schema_editor, table)

    return migrations.RunPython(forward, backward)
