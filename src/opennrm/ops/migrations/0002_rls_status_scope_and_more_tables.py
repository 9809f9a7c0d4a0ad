"""Row-level security, second step (PostgreSQL only; docs/operations.md, access/rls.py).

- The `status` scope: a case is also visible to the agency that holds or held the personal
  file of one of its status applications (receiving office, oblast, national level): the
  oblast official and the decision maker no longer run in national scope.
- Two more tables hanging from a case: support plans (their encrypted objectives) and
  reflection periods.
"""

from django.db import migrations

from opennrm.ops.rls_sql import AGENCY, STATUS, case_visible, policy_operations

# Built from constants of ops/rls_sql only (no input): S608 / bandit B608 do not apply.
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
    "assistance_supportplan": case_visible("assistance_supportplan.case_id"),
    "status_reflectionperiod": case_visible("status_reflectionperiod.case_id"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("ops", "0001_row_level_security"),
        ("assistance", "0001_initial"),
        ("status", "0001_initial"),
    ]
    operations = [policy_operations(POLICIES, before={"cases_case": _OWN_OR_SHARED})]
