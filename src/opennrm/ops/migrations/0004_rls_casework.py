"""Row-level security on the case-work tables (PostgreSQL only; docs/operations.md): notes and
attachments are visible with their case (access/casework.py reads them through the case)."""

from django.db import migrations

from opennrm.ops.rls_sql import case_visible, policy_operations

POLICIES = {
    table: case_visible(f"{table}.case_id") for table in ("casework_note", "casework_attachment")
}


class Migration(migrations.Migration):
    dependencies = [("ops", "0003_shared_cache_table"), ("casework", "0001_initial")]
    operations = [policy_operations(POLICIES)]
