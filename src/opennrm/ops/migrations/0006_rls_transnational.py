"""Row-level security on transnational referrals and assisted returns (PostgreSQL only;
docs/operations.md): the packet sent abroad is visible with its case (access/justice reads it
through the case, only the owner agency sends)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

NATIONAL = "coalesce(current_setting('opennrm.scope', true), '') = 'national'"
POLICY_NAME = "opennrm_agency_scope"
TABLE = "justice_transnationalreferral"
CONDITION = f"EXISTS (SELECT 1 FROM cases_case c WHERE c.id = {TABLE}.case_id)"  # noqa: S608  # nosec B608


def enable(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY")
    schema_editor.execute(f"DROP POLICY IF EXISTS {POLICY_NAME} ON {TABLE}")
    schema_editor.execute(
        f"CREATE POLICY {POLICY_NAME} ON {TABLE} FOR ALL"
        f" USING ({NATIONAL} OR {CONDITION}) WITH CHECK ({NATIONAL} OR {CONDITION})"
    )


def disable(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP POLICY IF EXISTS {POLICY_NAME} ON {TABLE}")
    schema_editor.execute(f"ALTER TABLE {TABLE} DISABLE ROW LEVEL SECURITY")


class Migration(migrations.Migration):
    dependencies = [
        ("ops", "0005_rls_referrals_in_any_state"),
        ("justice", "0003_transnational_referral"),
    ]
    operations = [migrations.RunPython(enable, disable)]
