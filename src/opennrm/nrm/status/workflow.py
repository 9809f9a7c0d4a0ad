"""The status application as one table: states, transitions, the permission each needs.

Resolution No. 417: the hromada (or local state administration) registers the application,
interviews the person or records why not, and forwards the personal file to the oblast level,
which forwards it to the national deciding agency (the National Social Service since 2021-22).
The decision-maker grants (certificate), refuses (appealable in court) or returns the file as
incomplete. A granted status can be extended and revoked.

Who acts is the agency that holds the file: `STATE_LEVEL` names the level per state and the
application records the agency of each level (see `models.StatusApplication.agency_at`).
Countries without an intermediate (oblast) level set `OPENNRM_STATUS_INTERMEDIATE_LEVEL = False`:
the receiving office then forwards straight to the national level.

Permissions are the dotted strings of `opennrm.access.roles` (this package sits below `access`
and cannot import it; a test checks that every string here is a known permission).
"""

from __future__ import annotations

from typing import Final

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from opennrm.core.workflow import Transition, Workflow

# Permissions (the strings of opennrm.access.roles).
STATUS_REGISTER: Final = "status.register"
STATUS_PROCESS: Final = "status.process"
STATUS_DECIDE: Final = "status.decide"
PAYMENT_MANAGE: Final = "payment.manage"
# Not a permission of any role: a transition the system takes (the daily expiry job). No page,
# no API endpoint and no user may take it (`Workflow.available` never offers it).
SYSTEM: Final = "system"

# States.
REGISTERED: Final = "registered"
INTERVIEWED: Final = "interviewed"
AT_OBLAST: Final = "at_oblast"
AT_NATIONAL: Final = "at_national"
RETURNED: Final = "returned"
GRANTED: Final = "granted"
REFUSED: Final = "refused"
APPEALED: Final = "appealed"
APPEAL_DISMISSED: Final = "appeal_dismissed"
REVOKED: Final = "revoked"
WITHDRAWN: Final = "withdrawn"
EXPIRED: Final = "expired"

STATES: Final = (
    REGISTERED,
    INTERVIEWED,
    AT_OBLAST,
    AT_NATIONAL,
    RETURNED,
    GRANTED,
    REFUSED,
    APPEALED,
    APPEAL_DISMISSED,
    REVOKED,
    WITHDRAWN,
    EXPIRED,
)
# An expired certificate ends the procedure: the person applies anew (registration allows it).
FINAL: Final = frozenset({APPEAL_DISMISSED, REVOKED, WITHDRAWN, EXPIRED})

STATE_LABELS: Final[dict[str, str | Promise]] = {
    REGISTERED: _("Registered"),
    INTERVIEWED: _("Interviewed, file being compiled"),
    AT_OBLAST: _("File at the oblast level"),
    AT_NATIONAL: _("File at the national level, awaiting decision"),
    RETURNED: _("Returned as incomplete"),
    GRANTED: _("Status granted"),
    REFUSED: _("Status refused"),
    APPEALED: _("Refusal appealed in court"),
    APPEAL_DISMISSED: _("Refusal upheld by the court"),
    REVOKED: _("Status revoked"),
    WITHDRAWN: _("Application withdrawn"),
    EXPIRED: _("Status granted, certificate expired"),
}

# Levels: which agency of the application holds the file in a state.
RECEIVING: Final = "receiving"
OBLAST: Final = "oblast"
NATIONAL: Final = "national"
STATE_LEVEL: Final[dict[str, str | None]] = {
    REGISTERED: RECEIVING,
    INTERVIEWED: RECEIVING,
    RETURNED: RECEIVING,
    AT_OBLAST: OBLAST,
    AT_NATIONAL: NATIONAL,
    GRANTED: NATIONAL,
    REFUSED: NATIONAL,
    APPEALED: NATIONAL,
    APPEAL_DISMISSED: None,
    REVOKED: None,
    WITHDRAWN: None,
    EXPIRED: None,
}
# States in which something waits for the level that holds the file.
WAITING: Final = frozenset({REGISTERED, INTERVIEWED, RETURNED, AT_OBLAST, AT_NATIONAL, APPEALED})
OPEN: Final = frozenset({REGISTERED, INTERVIEWED, RETURNED, AT_OBLAST, AT_NATIONAL, APPEALED})
# Outcomes for statistics (domain.md §7): granted, refused, incomplete, pending, appealed.
OUTCOME: Final[dict[str, str]] = {
    REGISTERED: "pending",
    INTERVIEWED: "pending",
    AT_OBLAST: "pending",
    AT_NATIONAL: "pending",
    RETURNED: "incomplete",
    GRANTED: "granted",
    REFUSED: "refused",
    APPEALED: "appealed",
    APPEAL_DISMISSED: "refused",
    REVOKED: "revoked",
    WITHDRAWN: "withdrawn",
    EXPIRED: "granted",  # the decision was a grant; only the certificate's validity ended
}

# Actions.
RECORD_INTERVIEW: Final = "record_interview"
WAIVE_INTERVIEW: Final = "waive_interview"
FORWARD_TO_OBLAST: Final = "forward_to_oblast"
FORWARD_TO_NATIONAL: Final = "forward_to_national"
GRANT: Final = "grant"
REFUSE: Final = "refuse"
RETURN_INCOMPLETE: Final = "return_incomplete"
EXTEND: Final = "extend"
REVOKE: Final = "revoke"
LODGE_APPEAL: Final = "lodge_appeal"
COURT_ANNULS_REFUSAL: Final = "court_annuls_refusal"
COURT_UPHOLDS_REFUSAL: Final = "court_upholds_refusal"
WITHDRAW: Final = "withdraw"
EXPIRE: Final = "expire"  # the daily job (SYSTEM), never a user
REGISTER: Final = "register"  # creates the application; not a transition

# Actions that cannot be undone: the web UI asks for a confirmation.
IRREVERSIBLE: Final = frozenset(
    {
        FORWARD_TO_OBLAST,
        FORWARD_TO_NATIONAL,
        GRANT,
        REFUSE,
        RETURN_INCOMPLETE,
        REVOKE,
        COURT_ANNULS_REFUSAL,
        COURT_UPHOLDS_REFUSAL,
        WITHDRAW,
    }
)
# Decisions: only the status decision-maker (STATUS_DECIDE) takes them.
DECISIONS: Final = frozenset({GRANT, REFUSE, RETURN_INCOMPLETE, EXTEND, REVOKE})

# The audit action code of each step (past participles, codes only).
AUDIT_ACTION: Final[dict[str, str]] = {
    REGISTER: "status.registered",
    RECORD_INTERVIEW: "status.interview_recorded",
    WAIVE_INTERVIEW: "status.interview_waived",
    FORWARD_TO_OBLAST: "status.forwarded_to_oblast",
    FORWARD_TO_NATIONAL: "status.forwarded_to_national",
    GRANT: "status.granted",
    REFUSE: "status.refused",
    RETURN_INCOMPLETE: "status.returned_incomplete",
    EXTEND: "status.certificate_extended",
    REVOKE: "status.revoked",
    LODGE_APPEAL: "status.appeal_lodged",
    COURT_ANNULS_REFUSAL: "status.refusal_annulled_by_court",
    COURT_UPHOLDS_REFUSAL: "status.refusal_upheld_by_court",
    WITHDRAW: "status.withdrawn",
    EXPIRE: "status.certificate_expired",
}

ACTION_LABELS: Final[dict[str, str | Promise]] = {
    REGISTER: _("Register the application"),
    RECORD_INTERVIEW: _("Record the interview"),
    WAIVE_INTERVIEW: _("Record that no interview is needed"),
    FORWARD_TO_OBLAST: _("Forward the personal file to the oblast level"),
    FORWARD_TO_NATIONAL: _("Forward the personal file to the national level"),
    GRANT: _("Grant the status"),
    REFUSE: _("Refuse the status"),
    RETURN_INCOMPLETE: _("Return the file as incomplete"),
    EXTEND: _("Extend the certificate"),
    REVOKE: _("Revoke the status"),
    LODGE_APPEAL: _("Record an appeal against the refusal"),
    COURT_ANNULS_REFUSAL: _("Record that the court annulled the refusal"),
    COURT_UPHOLDS_REFUSAL: _("Record that the court upheld the refusal"),
    WITHDRAW: _("Record that the application was withdrawn"),
    EXPIRE: _("Mark the certificate expired (the daily job)"),
}

BEFORE_DECISION: Final = frozenset({REGISTERED, INTERVIEWED, RETURNED, AT_OBLAST, AT_NATIONAL})


def build_workflow(*, intermediate_level: bool = True) -> Workflow:
    """The table. Without an intermediate level the local office forwards to the national one."""
    t = Transition
    forward_national_from = (
        frozenset({AT_OBLAST}) if intermediate_level else frozenset({INTERVIEWED, RETURNED})
    )
    transitions = [
        t(RECORD_INTERVIEW, frozenset({REGISTERED, RETURNED}), INTERVIEWED, STATUS_PROCESS),
        t(WAIVE_INTERVIEW, frozenset({REGISTERED, RETURNED}), INTERVIEWED, STATUS_PROCESS),
        t(FORWARD_TO_NATIONAL, forward_national_from, AT_NATIONAL, STATUS_PROCESS),
        t(GRANT, frozenset({AT_NATIONAL}), GRANTED, STATUS_DECIDE),
        t(REFUSE, frozenset({AT_NATIONAL}), REFUSED, STATUS_DECIDE),
        t(RETURN_INCOMPLETE, frozenset({AT_NATIONAL}), RETURNED, STATUS_DECIDE),
        t(EXTEND, frozenset({GRANTED}), GRANTED, STATUS_DECIDE),
        t(REVOKE, frozenset({GRANTED}), REVOKED, STATUS_DECIDE),
        t(LODGE_APPEAL, frozenset({REFUSED}), APPEALED, STATUS_PROCESS),
        t(COURT_ANNULS_REFUSAL, frozenset({APPEALED}), AT_NATIONAL, STATUS_PROCESS),
        t(COURT_UPHOLDS_REFUSAL, frozenset({APPEALED}), APPEAL_DISMISSED, STATUS_PROCESS),
        t(WITHDRAW, BEFORE_DECISION, WITHDRAWN, STATUS_PROCESS),
        t(EXPIRE, frozenset({GRANTED}), EXPIRED, SYSTEM),
    ]
    if intermediate_level:
        transitions.insert(
            2,
            t(FORWARD_TO_OBLAST, frozenset({INTERVIEWED, RETURNED}), AT_OBLAST, STATUS_PROCESS),
        )
    states = STATES if intermediate_level else tuple(s for s in STATES if s != AT_OBLAST)
    return Workflow(
        name="status application",
        states=states,
        initial=REGISTERED,
        transitions=tuple(
            Transition(
                x.action,
                x.source & frozenset(states),
                x.target,
                x.permission,
                ACTION_LABELS[x.action],
            )
            for x in transitions
        ),
        final=FINAL,
    )


WORKFLOW: Final = build_workflow(intermediate_level=True)
WORKFLOW_WITHOUT_OBLAST: Final = build_workflow(intermediate_level=False)


def user_transitions(workflow: Workflow) -> tuple[Transition, ...]:
    """The transitions users take (pages, API, `actions.ACTIONS`): all but the system's."""
    return tuple(t for t in workflow.transitions if t.permission != SYSTEM)


def application_workflow() -> Workflow:
    """The table in force: Ukraine's three levels unless a deployment has no oblast level."""
    if getattr(settings, "OPENNRM_STATUS_INTERMEDIATE_LEVEL", True):
        return WORKFLOW
    return WORKFLOW_WITHOUT_OBLAST


# The one-time financial assistance (Resolution No. 660): claimed, then paid.
CLAIMED: Final = "claimed"
PAID: Final = "paid"
PAY: Final = "pay"
CLAIM: Final = "claim"
PAYMENT_STATE_LABELS: Final[dict[str, str | Promise]] = {
    CLAIMED: _("Claimed, not yet paid"),
    PAID: _("Paid"),
}
PAYMENT_WORKFLOW: Final = Workflow(
    name="one-time payment",
    states=(CLAIMED, PAID),
    initial=CLAIMED,
    transitions=(
        Transition(PAY, frozenset({CLAIMED}), PAID, PAYMENT_MANAGE, _("Record the payment")),
    ),
    final=frozenset({PAID}),
)


# Agency kinds that may act at each level (domain.md §2 and §5; Resolution No. 783 of 22 Aug
# 2012 names the actors). A deployment changes them with OPENNRM_STATUS_AGENCY_KINDS.
# A raion administration receives applications, an oblast administration forwards files;
# "StateAdministration" (level not recorded) stays accepted at both for older entries.
DEFAULT_AGENCY_KINDS: Final[dict[str, tuple[str, ...]]] = {
    RECEIVING: ("HromadaExecutiveBody", "RaionStateAdministration", "StateAdministration"),
    OBLAST: ("OblastStateAdministration", "StateAdministration"),
    NATIONAL: ("NationalSocialService", "MinistryOfSocialPolicy"),
}


def agency_kinds(level: str) -> tuple[str, ...]:
    configured = getattr(settings, "OPENNRM_STATUS_AGENCY_KINDS", None) or {}
    return tuple(configured.get(level, DEFAULT_AGENCY_KINDS[level]))


def state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
