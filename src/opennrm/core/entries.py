"""What each part of a case contributes to its timeline and to a user's "action needed" page.

The case itself, screening, referrals, status and assistance each expose
`timeline_entries(case)` and `action_items(...)` returning these; the web layer merges them.
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
