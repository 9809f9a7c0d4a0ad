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

from opennrm.ops.rls_sql import AGENCY, case_visible, policy_operations

# table -> the condition a row must meet (besides national scope). Built from constants of
# ops/rls_sql only (no input): S608 / bandit B608 do not apply.
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
    "cases_casecode": case_visible("cases_casecode.case_id"),
    "cases_traffickingevent": case_visible("cases_traffickingevent.case_id"),
    "cases_consent": case_visible("cases_consent.case_id"),
    "justice_participant": case_visible("justice_participant.case_id"),
    "justice_nonpunishment": case_visible("justice_nonpunishment.case_id"),
    "justice_protectionmeasure": (
        "EXISTS (SELECT 1 FROM justice_participant p"
        " WHERE p.id = justice_protectionmeasure.participant_id)"
    ),
    "justice_compensation": (
        "EXISTS (SELECT 1 FROM justice_participant p"
        " WHERE p.id = justice_compensation.participant_id)"
    ),
}


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_consent_given_by"),
        ("people", "0002_htcds_profile"),
        ("justice", "0002_perpetrators"),
        ("referrals", "0001_initial"),
    ]
    operations = [policy_operations(POLICIES)]
