"""Row-level security, second step (PostgreSQL only; docs/operations.md, access/rls.py).

- The `status` scope: a case is also visible to the agency that holds or held the personal
  file of one of its status applications (receiving office, oblast, national level): the
  oblast official and the decision maker no longer run in national scope.
- Two more tables hanging from a case: support plans (their encrypted objectives) and
  reflection periods.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

AGENCY = "NULLIF(current_setting('opennrm.agency', true), '')::uuid"
NATIONAL = "coalesce(current_setting('opennrm.scope', true), '') = 'national'"
STATUS = "coalesce(current_setting('opennrm.scope', true), '') = 'status'"
POLICY_NAME = "opennrm_agency_scope"
# Built from constants of this module only (no input): S608 / bandit B608 do not apply.
_OWN_OR_SHARED = (
    f"owner_agency_id = {AGENCY} OR EXISTS (SELECT 1 FROM referrals_referral r"  # noqa: S608  # nosec B608
    f" WHERE r.case_id = cases_case.id AND r.to_agency_id = {AGENCY} AND r.state = 'active')"
)
POLICIES = {
    "cases_case": (
        f"{_OWN_OR_SHARED} OR ({STATUS} AND EXISTS (SELECT 1 FROM status_statusapplication a"  # noqa: S608  # nosec B608
        f" WHERE a.case_id = cases_case.id AND {AGENCY} IN"
        " (a.receiving_agency_id, a.oblast_agency_id, a.national_agency_id)))"
    ),
    "assistance_supportplan": (
        "EXISTS (SELECT 1 FROM cases_case c WHERE c.id = assistance_supportplan.case_id)"
    ),
    "status_reflectionperiod": (
        "EXISTS (SELECT 1 FROM cases_case c WHERE c.id = status_reflectionperiod.case_id)"
    ),
}
_BEFORE = {"cases_case": _OWN_OR_SHARED}
TABLES = tuple(POLICIES)


def _create(schema_editor: BaseDatabaseSchemaEditor, table: str, condition: str) -> None:
    schema_editor.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    schema_editor.execute(f"DROP POLICY IF EXISTS {POLICY_NAME} ON {table}")
    schema_editor.execute(
        f"CREATE POLICY {POLICY_NAME} ON {table} FOR ALL"
        f" USING ({NATIONAL} OR {condition}) WITH CHECK ({NATIONAL} OR {condition})"
    )


def enable(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        _create(schema_editor, table, POLICIES[table])


def disable(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        if table in _BEFORE:
            _create(schema_editor, table, _BEFORE[table])
        else:
            schema_editor.execute(f"DROP POLICY IF EXISTS {POLICY_NAME} ON {table}")
            schema_editor.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")


class Migration(migrations.Migration):
    dependencies = [
        ("ops", "0001_row_level_security"),
        ("assistance", "0001_initial"),
        ("status", "0001_initial"),
    ]
    operations = [migrations.RunPython(enable, disable)]
