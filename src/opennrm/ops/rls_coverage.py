"""Which tables row-level security covers, and why the others holding case or person rows are
not covered (docs/operations.md, "Row-level security on PostgreSQL").

The policies are installed by the migrations `ops/0001_row_level_security`,
`ops/0002_rls_status_scope_and_more_tables`, `ops/0004_rls_casework` and
`ops/0006_rls_transnational` (`ops/0005` widens the case table's), their SQL written once in
`ops/rls_sql.py`.
`tests/test_row_level_security.py` walks every model: a table with a foreign key to a case, a
person or a covered table must be in `COVERED` (and carry the policy on PostgreSQL) or in
`NOT_COVERED` with its reason, so a new table of case or person data cannot slip by unnoticed.
"""

from __future__ import annotations

from typing import Final

# The tables with the policy `opennrm_agency_scope` (row-level security enabled).
COVERED: Final = frozenset(
    {
        "cases_case",
        "cases_casecode",
        "cases_traffickingevent",
        "cases_consent",
        "people_person",
        "people_personsearchkey",
        "justice_participant",
        "justice_protectionmeasure",
        "justice_compensation",
        "justice_nonpunishment",
        "assistance_supportplan",
        "status_reflectionperiod",
        "casework_note",
        "casework_attachment",
        "justice_transnationalreferral",
    }
)

# Tables with a foreign key to a case, a person or a covered table that have no policy, and why.
NOT_COVERED: Final[dict[str, str]] = {
    "referrals_referral": (
        "read by the policy of cases_case (a policy on it would recurse); ids, purposes,"
        " categories and dates, no identity"
    ),
    "status_statusapplication": (
        "read by the policy of cases_case (status scope); journal numbers, dates and agencies,"
        " no identity; the gate is access/status.py"
    ),
    "screening_screening": (
        "a screening may have no case and is read by the agency that screened; its subject is"
        " encrypted under its own data key; the gate is access/screening.py"
    ),
    "assistance_servicedelivery": (
        "a provider agency records services on cases not shared with it (provider_agency);"
        " codes and dates; the gate is access/assistance.py"
    ),
    "justice_identifier": (
        "perpetrators' identifiers reach across agencies by design (access/perpetrators.py,"
        " national scope of the justice roles); values encrypted under their own data key"
    ),
    "justice_perpetrator_cases": "the perpetrator-case links of the justice chain (as above)",
    "borders_operation_cases": (
        "operation-case links (ids only); border operations are read through access/borders.py"
    ),
    "borders_incident_cases": "incident-case links (ids only; access/borders.py)",
    "retention_legalhold": "reason codes and dates only; read by the daily erasure job",
    "linkage_candidatepair": (
        "pairs of person ids with scores; reviewed by national roles (access/linkage.py)"
    ),
    "linkage_nationallink": "person id to national id; national roles and the linkage jobs",
    "reports_personfactmember": (
        "person id to the kept statistical person (ids only); read by the facts' refresh in the"
        " worker; the kept facts (reports_personfact) hold codes and dates, read for national"
        " statistics only (access/statistics.py, reports/facts.py)"
    ),
}
