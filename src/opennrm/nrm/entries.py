"""What each NRM part contributes to a case timeline and to a user's "action needed" page.

Every part (screening, referrals, status, assistance) exposes `timeline_entries(case)` and
`action_items(actor, cases)` returning these; `opennrm.nrm.timeline` merges them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class TimelineEntry:
    """One dated step of a case: who did what, when (labels already translated)."""

    at: dt.datetime
    kind: str  # a code such as "referral.accepted"
    label: str
    agency_id: uuid.UUID | None = None
    actor_id: uuid.UUID | None = None
    detail: str = ""


@dataclass(frozen=True)
class ActionItem:
    """Something waiting for a user, with its deadline when there is one."""

    kind: str  # a code such as "status.decision_due"
    label: str
    case_id: uuid.UUID | None
    url: str
    due: dt.date | None = None
    overdue: bool = False
