"""The case's HTCDS trafficking status after a decision of the status procedure (Res. No. 417).

`vic_TraffickingStatus` says who the person is taken to be, and
`vic_TraffickingStatusDecisionMakingOrg` which kind of organisation determined it. The state's
status procedure is such a determination, taken by the National Social Service (a non-police
government body: `NonPoliceGovernmentalOrganization`):

- granted: actual victim, decided by the NSS;
- refused, refusal upheld by the court, revoked: not a victim, decided by the NSS (a revocation
  on the ground that a court found no trafficking: decided by `CourtOrProsecution`), unless
  another organisation (police, a court, an NGO) determined the person an actual victim: a
  refusal of the state status does not undo that determination, and the case keeps it;
- a refusal annulled by the court: a possible victim again while the deciders decide anew (only
  when the refusal had set "not a victim");
- an expired certificate does not come here: the finding stands, only the certificate's
  validity ended (nrm.status records the expiry).

One function, atomic with the caller's transaction, audited with codes only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from django.db import transaction

from opennrm.audit.services import record
from opennrm.cases.models import Case
from opennrm.tenancy.actor import Actor

POSSIBLE: Final = "PossibleVictimOfTrafficking"
ACTUAL: Final = "ActualVictimOfTrafficking"
NOT_A_VICTIM: Final = "NotAVictimOfTrafficking"
GOVERNMENT: Final = "NonPoliceGovernmentalOrganization"  # the National Social Service
COURT: Final = "CourtOrProsecution"

# Outcomes of the status procedure that touch the case (codes of nrm.status).
GRANTED: Final = "Granted"
REFUSED: Final = "Refused"
REFUSAL_ANNULLED: Final = "RefusalAnnulled"
REFUSAL_UPHELD: Final = "RefusalUpheld"
REVOKED: Final = "Revoked"
OUTCOMES: Final = (GRANTED, REFUSED, REFUSAL_ANNULLED, REFUSAL_UPHELD, REVOKED)


@dataclass(frozen=True)
class StatusDecision:
    """What the case says after a decision: its trafficking status and who decided it."""

    trafficking_status: str
    decision_org: str
    changed: bool


def _outcome_values(case: Case, outcome: str, court_finding: bool) -> tuple[str, str]:
    current = (case.trafficking_status, case.status_decision_org)
    other_positive = case.trafficking_status == ACTUAL and case.status_decision_org != GOVERNMENT
    if outcome == GRANTED:
        return ACTUAL, GOVERNMENT
    if outcome in (REFUSED, REFUSAL_UPHELD, REVOKED):
        if other_positive:
            return current
        return NOT_A_VICTIM, COURT if court_finding else GOVERNMENT
    if outcome == REFUSAL_ANNULLED:
        if current == (NOT_A_VICTIM, GOVERNMENT):
            return POSSIBLE, ""
        return current
    raise ValueError(f"unknown status procedure outcome {outcome!r}")


def record_status_decision(
    *,
    actor: Actor,
    case: Case,
    outcome: str,
    decided_on: dt.date,
    application_id: object,
    court_finding: bool = False,
) -> StatusDecision:
    """Set the case's trafficking status after a status decision and audit it (codes only)."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        status, org = _outcome_values(locked, outcome, court_finding)
        changed = (status, org) != (locked.trafficking_status, locked.status_decision_org)
        if changed:
            locked.trafficking_status, locked.status_decision_org = status, org
            locked.save(update_fields=["trafficking_status", "status_decision_org", "updated_at"])
            case.trafficking_status, case.status_decision_org = status, org
        record(
            action="case.trafficking_status_decided",
            actor_id=actor.user.id,
            agency_id=actor.agency_id,
            object_type="case",
            object_id=locked.id,
            purpose="StatusApplication",
            detail={
                "outcome": outcome,
                "on": decided_on.isoformat(),
                "application": str(application_id),
                "trafficking_status": status,
                "decision_org": org,
                "changed": changed,
            },
        )
    return StatusDecision(status, org, changed)
