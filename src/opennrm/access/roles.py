"""Roles and their permissions: one table, data not code paths (see docs/permissions.md)."""

from __future__ import annotations

from typing import Final

# Permissions (dotted strings: object.action).
CASE_VIEW: Final = "case.view"
CASE_CREATE: Final = "case.create"
CASE_CHANGE: Final = "case.change"
CASE_SEARCH: Final = "case.search"
CASE_HISTORY: Final = "case.history"
CONSENT_MANAGE: Final = "consent.manage"
PERSON_VIEW: Final = "person.view"
HTCDS_IMPORT: Final = "htcds.import"
HTCDS_EXPORT: Final = "htcds.export"
AUDIT_VIEW: Final = "audit.view"
AUDIT_VERIFY: Final = "audit.verify"
AGENCY_MANAGE: Final = "agency.manage"
USER_MANAGE: Final = "user.manage"
# Screening with the ILO/EC indicators.
SCREENING_RECORD: Final = "screening.record"
SCREENING_VIEW: Final = "screening.view"
# Referral and sharing.
REFERRAL_CREATE: Final = "referral.create"
REFERRAL_RESPOND: Final = "referral.respond"
REFERRAL_OVERRIDE: Final = "referral.override"
# The status procedure (Resolution No. 417) and the one-time payment (No. 660).
STATUS_REGISTER: Final = "status.register"
STATUS_PROCESS: Final = "status.process"
STATUS_DECIDE: Final = "status.decide"
PAYMENT_MANAGE: Final = "payment.manage"
# Assistance.
ASSISTANCE_MANAGE: Final = "assistance.manage"
PROVIDER_MANAGE: Final = "provider.manage"
PROVIDER_NATIONAL: Final = "provider.national"  # edit every agency's directory entries

# The criminal-justice chain (justice/workflow.py names the stage permissions).
PROCEEDING_VIEW: Final = "proceeding.view"
PROCEEDING_RECORD: Final = "proceeding.record"
PROCEEDING_PROSECUTE: Final = "proceeding.prosecute"
PROCEEDING_ADJUDICATE: Final = "proceeding.adjudicate"
SUSPECT_VIEW: Final = "suspect.view"  # suspects' identities: law enforcement and courts only
_JUSTICE_READ = {PROCEEDING_VIEW, SUSPECT_VIEW}

# Perpetrators and their identifiers, shared-identifier alerts, mutual legal assistance
# (access/perpetrators.py): law-enforcement and prosecution roles only, never caseworkers.
PERPETRATOR_VIEW: Final = "perpetrator.view"
PERPETRATOR_RECORD: Final = "perpetrator.record"
MLA_MANAGE: Final = "mla.manage"
# Group identification operations, prevented departures at the border, incidents
# (access/borders.py).
OPERATION_RECORD: Final = "operation.record"
INCIDENT_RECORD: Final = "incident.record"
_PERPETRATORS = {PERPETRATOR_VIEW, PERPETRATOR_RECORD, MLA_MANAGE}

# Capacity building (access/training.py): the agency's trainings, participants, certificates
# and equipment (names of participants with training.view); counts of trained people.
TRAINING_MANAGE: Final = "training.manage"
TRAINING_VIEW: Final = "training.view"
TRAINING_REPORT: Final = "training.report"

# Retention (access/retention.py): place and lift a legal hold on a case; answer a data
# subject's request (export everything held on the person, erase on request).
CASE_HOLD: Final = "case.hold"
SUBJECT_REQUEST: Final = "person.subject_request"

# Record linkage (one count of persons): run the model, review its pairs, merge and unmerge.
LINKAGE_RUN: Final = "linkage.run"
LINKAGE_REVIEW: Final = "linkage.review"
LINKAGE_MERGE: Final = "linkage.merge"
_LINKAGE = {LINKAGE_RUN, LINKAGE_REVIEW, LINKAGE_MERGE}

# Statistics: the dashboard over the cases one may see; national scope (all cases, counts
# only); exact counts inside the system (others see protected counts).
STATS_VIEW: Final = "stats.view"
STATS_NATIONAL: Final = "stats.national"
STATS_EXACT: Final = "stats.exact"
STATS_PUBLISH: Final = "stats.publish"  # release tables to the public page (privacy budget)
_NATIONAL_STATS = {STATS_VIEW, STATS_NATIONAL, STATS_EXACT, STATS_PUBLISH}

_CASE_READ = {CASE_VIEW, CASE_SEARCH, PERSON_VIEW, SCREENING_VIEW, STATS_VIEW}
_CASE_WORK = _CASE_READ | {
    CASE_CREATE,
    CASE_CHANGE,
    CONSENT_MANAGE,
    SCREENING_RECORD,
    REFERRAL_CREATE,
    REFERRAL_RESPOND,
}
_SOCIAL_WORK = {STATUS_REGISTER, STATUS_PROCESS, PAYMENT_MANAGE, ASSISTANCE_MANAGE}

ROLE_PERMISSIONS: Final[dict[str, frozenset[str]]] = {
    "caseworker": frozenset(
        _CASE_WORK | _SOCIAL_WORK | {HTCDS_IMPORT, HTCDS_EXPORT, INCIDENT_RECORD}
    ),
    "supervisor": frozenset(
        _CASE_WORK
        | _SOCIAL_WORK
        | {HTCDS_IMPORT, HTCDS_EXPORT, CASE_HISTORY, REFERRAL_OVERRIDE, INCIDENT_RECORD}
        | {CASE_HOLD, SUBJECT_REQUEST}
    ),
    "investigator": frozenset(
        _CASE_WORK
        | _JUSTICE_READ
        | _PERPETRATORS
        | {PROCEEDING_RECORD, OPERATION_RECORD, INCIDENT_RECORD}
        | {HTCDS_IMPORT, HTCDS_EXPORT}  # with the perpetrators a victim named (per_)
    ),
    "border_guard": frozenset(_CASE_WORK | {OPERATION_RECORD, INCIDENT_RECORD}),
    "prosecutor": frozenset(_CASE_READ | _JUSTICE_READ | _PERPETRATORS | {PROCEEDING_PROSECUTE}),
    "judge": frozenset(_JUSTICE_READ | {PROCEEDING_ADJUDICATE, PERPETRATOR_VIEW}),
    "decision_maker": frozenset(_CASE_READ | {STATUS_PROCESS, STATUS_DECIDE}),
    # The oblast level of the status procedure: forwards the files it holds, never decides and
    # never opens cases (it sees the applications whose file it holds, access/status.py).
    "oblast_official": frozenset({STATUS_PROCESS}),
    "coordinator": frozenset(
        _CASE_READ
        | {CASE_HISTORY, HTCDS_EXPORT, REFERRAL_OVERRIDE, PROVIDER_MANAGE, PROVIDER_NATIONAL}
        | {CASE_HOLD}
        | _LINKAGE
        | _NATIONAL_STATS
        | {TRAINING_REPORT}
    ),
    "statistician": frozenset(_LINKAGE | _NATIONAL_STATS | {TRAINING_REPORT}),
    "trainer": frozenset({TRAINING_MANAGE, TRAINING_VIEW, TRAINING_REPORT}),
    # Reads the training reports of the agency's programmes (counts, never participants' names).
    "programme_officer": frozenset({TRAINING_REPORT}),
    "agency_admin": frozenset({USER_MANAGE, PROVIDER_MANAGE, TRAINING_VIEW}),
    "sysadmin": frozenset({AUDIT_VIEW, AUDIT_VERIFY, AGENCY_MANAGE, USER_MANAGE}),
}

ALL_PERMISSIONS: Final = frozenset().union(*ROLE_PERMISSIONS.values())


def permissions_of(roles: frozenset[str]) -> frozenset[str]:
    return frozenset().union(*(ROLE_PERMISSIONS.get(role, frozenset()) for role in roles))


# What a share (an accepted referral) lets the recipient agency do, by purpose: the
# recipient's role permissions are intersected with this. Person identity needs the
# "Identity" data category on top (see access.policy.case_access).
SHARED_CASE_PERMISSIONS: Final = frozenset({CASE_VIEW, CASE_SEARCH, PERSON_VIEW, SCREENING_VIEW})
SHARE_PURPOSE_PERMISSIONS: Final[dict[str, frozenset[str]]] = {
    "StatusApplication": frozenset(
        {STATUS_REGISTER, STATUS_PROCESS, STATUS_DECIDE, PAYMENT_MANAGE}
    ),
    "Shelter": frozenset({ASSISTANCE_MANAGE}),
    "Medical": frozenset({ASSISTANCE_MANAGE}),
    "Psychological": frozenset({ASSISTANCE_MANAGE}),
    "Legal": frozenset({ASSISTANCE_MANAGE}),
    "ReturnReintegration": frozenset({ASSISTANCE_MANAGE}),
    "CriminalProceedings": frozenset(),
    "Other": frozenset(),
}
