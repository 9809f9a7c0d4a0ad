"""Row-level security on transnational referrals and assisted returns (PostgreSQL only;
docs/operations.md): the packet sent abroad is visible with its case (access/justice reads it
through the case, only the owner agency sends)."""

from django.db import migrations

from opennrm.ops.rls_sql import case_visible, policy_operations

TABLE = "justice_transnationalreferral"


class Migration(migrations.Migration):
    dependencies = [
        ("ops", "0005_rls_referrals_in_any_state"),
        ("justice", "0003_transnational_referral"),
    ]
    operations = [policy_operations({TABLE: case_visible(f"{TABLE}.case_id")})]
