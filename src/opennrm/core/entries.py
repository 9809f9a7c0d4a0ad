"""What each part of a case contributes to its timeline and to a user's "action needed" page.

The case itself, screening, referrals, status and assistance each expose
`timeline_entries(case)` and `action_items(...)` returning these; the web layer merges them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class TimelineEntry:
    """One dated step of a case: who did what, when (labels already translated)."""

    at: dt.datetime
    kind: str  # a code such as "referral.accepted"
    label: str
    agency_id: uuid.UUID | None = None
    actor_id: uuid.UUID | None = None
    detail: str = ""

    @property
    def date_only(self) -> bool:
        """Whether the step has a date but no time (a day: `at` is local midnight exactly).

        The parts put a date-only step at the start of its day in the current time zone (to
        sort it); a recorded time is never exactly 00:00:00.000000, so the page can show the
        date alone instead of "00:00".
        """
        local = timezone.localtime(self.at) if timezone.is_aware(self.at) else self.at
        return local.time() == dt.time.min


@dataclass(frozen=True)
class ActionItem:
    """Something waiting for a user, with its deadline when there is one."""

    kind: str  # a code such as "status.decision_due"
    label: str
    case_id: uuid.UUID | None
    url: str
    due: dt.date | None = None
    overdue: bool = False

    @property
    def case_reference(self) -> str:
        """The case's short, non-personal reference (as `cases.Case.reference`), or ""."""
        return self.case_id.hex[:8].upper() if self.case_id else ""
