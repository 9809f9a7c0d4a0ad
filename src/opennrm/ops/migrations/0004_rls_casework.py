"""Row-level security on the case-work tables (PostgreSQL only; docs/operations.md): notes and
attachments are visible with their case (access/casework.py reads them through the case)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

NATIONAL = "coalesce(current_setting('opennrm.scope', true), '') = 'national'"
POLICY_NAME = "opennrm_agency_scope"
POLICIES = {
    table: f"EXISTS (SELECT 1 FROM cases_case c WHERE c.id = {table}.case_id)"  # noqa: S608  # nosec B608
    for table in ("casework_note", "casework_attachment")
}


def enable(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, condition in POLICIES.items():
        schema_editor.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        schema_editor.execute(f"DROP POLICY IF EXISTS {POLICY_NAME} ON {table}")
        schema_editor.execute(
            f"CREATE POLICY {POLICY_NAME} ON {table} FOR ALL"
            f" USING ({NATIONAL} OR {condition}) WITH CHECK ({NATIONAL} OR {condition})"
        )


def disable(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in POLICIES:
        schema_editor.execute(f"DROP POLICY IF EXISTS {POLICY_NAME} ON {table}")
        schema_editor.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")


class Migration(migrations.Migration):
    dependencies = [("ops", "0003_shared_cache_table"), ("casework", "0001_initial")]
    operations = [migrations.RunPython(enable, disable)]
