"""Row-level security: a case is visible to both agencies of any referral of it, whatever its
state (PostgreSQL only; docs/operations.md).

The gate shows a referral to the agency that sent it and to the one it was sent to in every
state (`access.policy.visible_referrals`): a pending one to answer, a declined or ended one in
the lists. Their pages read the referral's case; with only active referrals in the policy the
recipient of a pending referral found it missing (404) where the gate says 403 or answers it.
The gate still decides what of the case such a recipient sees (the referral, not the file).
"""

from django.db import migrations

from opennrm.ops.rls_sql import AGENCY, STATUS, policy_operations

# Built from constants of ops/rls_sql only (no input): S608 / bandit B608 do not apply.
_STATUS_FILES = (
    f"({STATUS} AND EXISTS (SELECT 1 FROM status_statusapplication a"  # noqa: S608  # nosec B608
    f" WHERE a.case_id = cases_case.id AND {AGENCY} IN"
    " (a.receiving_agency_id, a.oblast_agency_id, a.national_agency_id)))"
)
BEFORE = (
    f"owner_agency_id = {AGENCY} OR EXISTS (SELECT 1 FROM referrals_referral r"  # noqa: S608  # nosec B608
    f" WHERE r.case_id = cases_case.id AND r.to_agency_id = {AGENCY} AND r.state = 'active')"
    f" OR {_STATUS_FILES}"
)
AFTER = (
    f"owner_agency_id = {AGENCY} OR EXISTS (SELECT 1 FROM referrals_referral r"  # noqa: S608  # nosec B608
    f" WHERE r.case_id = cases_case.id AND {AGENCY} IN (r.to_agency_id, r.from_agency_id))"
    f" OR {_STATUS_FILES}"
)


class Migration(migrations.Migration):
    dependencies = [("ops", "0004_rls_casework")]
    # cases_case is already under row-level security: only its policy is replaced.
    operations = [
        policy_operations({"cases_case": AFTER}, before={"cases_case": BEFORE}, enable=False)
    ]
