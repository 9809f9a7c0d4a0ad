"""The retention schedule: how long each data category is kept, from when, and why.

Every period is a setting (`OPENNRM_RETAIN_<CATEGORY>_YEARS`, read in `settings.py`); the
defaults and their reasons and sources are in docs/retention.md. A period counts from its
anchor (for a victim's case file: the closure of the person's last case); a legal hold on any
of the person's cases suspends it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Data categories of the schedule (code list `retention_category`).
VICTIM_CASE: Final = "VictimCaseFile"
SCREENING: Final = "ScreeningWithoutCase"


@dataclass(frozen=True)
class Rule:
    category: str
    setting: str
    anchor: Promise  # from when the period counts, for people

    @property
    def years(self) -> int:
        return int(getattr(settings, self.setting))

    def due_before(self, today: dt.date) -> dt.date:
        """Data whose anchor date is on or before the returned date is due today."""
        return add_years(today, -self.years)


RULES: Final = (
    Rule(
        VICTIM_CASE,
        "OPENNRM_RETAIN_CASE_YEARS",
        _("from the closure of the person's last case"),
    ),
    Rule(
        SCREENING,
        "OPENNRM_RETAIN_SCREENING_YEARS",
        _("from the screening, when it was never attached to a case"),
    ),
)


def rule(category: str) -> Rule:
    return next(r for r in RULES if r.category == category)


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
