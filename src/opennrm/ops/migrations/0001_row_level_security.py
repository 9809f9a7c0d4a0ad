"""Row-level security on the tables holding case and person data (PostgreSQL only).

A backstop behind the access gate (docs/operations.md, access/rls.py, tenancy/rls.py): for a
role that does not own the tables and has no BYPASSRLS (the application role in production),
a row is visible only when the session's `opennrm.scope` is `national`, or the row belongs to
the agency in `opennrm.agency` (a case it owns, or one an active referral shares with it; the
person of such a case; the rows hanging from them). Without the settings the tables read empty.
The table owner (who runs migrations) and superusers are not affected (no FORCE). SQLite has
no row-level security: a no-op there.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

AGENCY = "NULLIF(current_setting('opennrm.agency', true), '')::uuid"
NATIONAL = "coalesce(current_setting('opennrm.scope', true), '') = 'national'"


def _case(column: str) -> str:
    """The case in `column` is visible (the subquery is itself filtered by cases_case's policy)."""
    return f"EXISTS (SELECT 1 FROM cases_case c WHERE c.id = {column})"  # noqa: S608  # nosec B608


# table -> the condition a row must meet (besides national scope). Built from constants of
# this module only (no input): S608 / bandit B608 do not apply.
POLICIES: dict[str, str] = {
    "cases_case": (
        f"owner_agency_id = {AGENCY} OR EXISTS (SELECT 1 FROM referrals_referral r"  # noqa: S608  # nosec B608
        f" WHERE r.case_id = cases_case.id AND r.to_agency_id = {AGENCY}"
        " AND r.state = 'active')"
    ),
    "people_person": (
        f"agency_id = {AGENCY} OR EXISTS (SELECT 1 FROM cases_case c"  # noqa: S608  # nosec B608
        " WHERE c.person_id = people_person.id)"
    ),
    "people_personsearchkey": (
        "EXISTS (SELECT 1 FROM people_person p WHERE p.id = people_personsearchkey.person_id)"
    ),
    "cases_casecode": _case("cases_casecode.case_id"),
    "cases_traffickingevent": _case("cases_traffickingevent.case_id"),
    "cases_consent": _case("cases_consent.case_id"),
    "justice_participant": _case("justice_participant.case_id"),
    "justice_nonpunishment": _case("justice_nonpunishment.case_id"),
    "justice_protectionmeasure": (
        "EXISTS (SELECT 1 FROM justice_participant p"
        " WHERE p.id = justice_protectionmeasure.participant_id)"
    ),
    "justice_compensation": (
        "EXISTS (SELECT 1 FROM justice_participant p"
        " WHERE p.id = justice_compensation.participant_id)"
    ),
}
POLICY_NAME = "opennrm_agency_scope"


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
    dependencies = [
        ("cases", "0004_consent_given_by"),
        ("people", "0002_htcds_profile"),
        ("justice", "0002_perpetrators"),
        ("referrals", "0001_initial"),
    ]
    operations = [migrations.RunPython(enable, disable)]
