"""Deadlines of the status procedure, the payment and the reflection period: dated settings.

Every rule carries its source and `verify=True` where the domain notes say the day count could
not be confirmed against the official text (domain.md §5.8: "[verify the day counts; a commonly
cited figure is 10 days for the national decision]"). A deployment overrides any rule with the
Django setting `OPENNRM_STATUS_DEADLINES`, e.g.::

    OPENNRM_STATUS_DEADLINES = {
        "decision": {"days": 10, "unit": "working_days",
                     "source": "Resolution No. 417, para. N (checked 2025-01-10)",
                     "verify": False},
        "overall": {"days": 30},
        "nearing_days": 3,
    }

Units: `days` (calendar days), `working_days` (Monday to Friday; public holidays are not
modelled) and `months` (calendar months, clamped to the month's last day). A rule with
`days: None` has no deadline. See docs/status-procedure.md.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Final

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.codes import CETS197, R417, R660

if TYPE_CHECKING:
    from opennrm.nrm.status.models import StatusApplication

UNITS: Final = ("days", "working_days", "months")

# Step codes: the clock each state runs.
INTERVIEW: Final = "interview"
FORWARD_LOCAL: Final = "forward_local"
FORWARD_OBLAST: Final = "forward_oblast"
DECISION: Final = "decision"
OVERALL: Final = "overall"
PAYMENT: Final = "payment"
REFLECTION: Final = "reflection"


@dataclass(frozen=True)
class DeadlineRule:
    step: str
    days: int | None
    unit: str
    source: str
    verify: bool
    label: str | Promise = ""
    note: str = ""

    def due(self, start: dt.date) -> dt.date | None:
        """The last day on which the step is on time, or None when the step has no deadline."""
        if self.days is None:
            return None
        if self.unit == "months":
            return add_months(start, self.days)
        if self.unit == "working_days":
            return add_working_days(start, self.days)
        return start + dt.timedelta(days=self.days)


DEFAULT_RULES: Final[dict[str, DeadlineRule]] = {
    rule.step: rule
    for rule in (
        DeadlineRule(
            INTERVIEW,
            3,
            "days",
            R417 + ": interview with the questionnaire after the registration of the "
            "application (paragraph not confirmed)",
            True,
            _("Interview or record why none is needed"),
            "day count not confirmed against the official text",
        ),
        DeadlineRule(
            FORWARD_LOCAL,
            3,
            "days",
            R417 + ": the official compiles and verifies the personal file and forwards it "
            "upwards (paragraph not confirmed)",
            True,
            _("Forward the personal file"),
            "day count not confirmed against the official text",
        ),
        DeadlineRule(
            FORWARD_OBLAST,
            3,
            "days",
            R417 + ": the oblast level forwards the file to the national level "
            "(paragraph not confirmed)",
            True,
            _("Forward the file to the national level"),
            "day count not confirmed against the official text",
        ),
        DeadlineRule(
            DECISION,
            10,
            "days",
            R417 + ": decision at the national level; 10 days is the commonly cited figure "
            "(domain.md §5.8)",
            True,
            _("Decide on the status"),
            "commonly cited figure, not confirmed against the official text",
        ),
        DeadlineRule(
            OVERALL,
            None,
            "days",
            R417 + ": an overall maximum exists (domain.md §5.8); its day count is not "
            "confirmed, so it is off until a deployment sets it",
            True,
            _("Whole procedure, application to decision"),
        ),
        DeadlineRule(
            PAYMENT,
            1,
            "months",
            R660 + ": paid within one month of the application (domain.md §5.9)",
            False,
            _("Pay the one-time financial assistance"),
        ),
        DeadlineRule(
            REFLECTION,
            30,
            "days",
            CETS197 + ", art. 13: a recovery and reflection period of at least 30 days",
            False,
            _("Recovery and reflection period (minimum)"),
        ),
    )
}

# Windows: how early a list warns. OpenNRM's choices, not legal rules.
DEFAULT_WINDOWS: Final[dict[str, int]] = {
    "nearing_days": 2,  # a step's deadline is "nearing" this many days before it
    "certificate_warning_days": 30,  # certificates expiring within this many days
    "reflection_warning_days": 7,  # reflection periods ending within this many days
    "payment_nearing_days": 5,
}

# The certificate is valid for up to 2 years and can be extended (domain.md §5.7).
CERTIFICATE_MAX_YEARS: Final = 2
CERTIFICATE_SOURCE: Final = R417 + ": the certificate is valid for up to 2 years, extendable"

# The clock each state of the application runs (None: nothing is due).
STATE_STEP: Final[dict[str, str | None]] = {
    wf.REGISTERED: INTERVIEW,
    wf.INTERVIEWED: FORWARD_LOCAL,
    wf.RETURNED: None,
    wf.AT_OBLAST: FORWARD_OBLAST,
    wf.AT_NATIONAL: DECISION,
    wf.GRANTED: None,
    wf.REFUSED: None,
    wf.APPEALED: None,
    wf.APPEAL_DISMISSED: None,
    wf.REVOKED: None,
    wf.WITHDRAWN: None,
    wf.EXPIRED: None,
}


def _overrides() -> dict[str, Any]:
    value = getattr(settings, "OPENNRM_STATUS_DEADLINES", None) or {}
    if not isinstance(value, dict):
        raise ImproperlyConfigured("OPENNRM_STATUS_DEADLINES must be a dict")
    return value


def _apply(rule: DeadlineRule, change: Any) -> DeadlineRule:
    if not isinstance(change, dict) or not set(change) <= {"days", "unit", "source", "verify"}:
        raise ImproperlyConfigured(
            f"OPENNRM_STATUS_DEADLINES[{rule.step!r}]: a dict of days, unit, source, verify"
        )
    days = change.get("days", rule.days)
    unit = change.get("unit", rule.unit)
    if days is not None and (not isinstance(days, int) or isinstance(days, bool) or days < 0):
        raise ImproperlyConfigured(f"OPENNRM_STATUS_DEADLINES[{rule.step!r}]: days >= 0 or None")
    if unit not in UNITS:
        raise ImproperlyConfigured(f"OPENNRM_STATUS_DEADLINES[{rule.step!r}]: unit in {UNITS}")
    if rule.step == REFLECTION and (days is None or unit != "days" or days < 30):
        raise ImproperlyConfigured("the reflection period is at least 30 days (CETS 197 art. 13)")
    source = change.get("source", "deployment setting OPENNRM_STATUS_DEADLINES")
    # A changed day count without a named source keeps the "verify" marker.
    verify = change.get("verify", rule.verify if "source" not in change else False)
    return replace(rule, days=days, unit=unit, source=str(source), verify=bool(verify))


def rules() -> dict[str, DeadlineRule]:
    """The rules in force: the defaults above with the deployment's overrides."""
    overrides = _overrides()
    unknown = set(overrides) - set(DEFAULT_RULES) - set(DEFAULT_WINDOWS)
    if unknown:
        raise ImproperlyConfigured(f"OPENNRM_STATUS_DEADLINES: unknown keys {sorted(unknown)}")
    return {
        step: _apply(rule, overrides[step]) if step in overrides else rule
        for step, rule in DEFAULT_RULES.items()
    }


def rule(step: str) -> DeadlineRule:
    return rules()[step]


def window(name: str) -> int:
    value = _overrides().get(name, DEFAULT_WINDOWS[name])
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ImproperlyConfigured(f"OPENNRM_STATUS_DEADLINES[{name!r}] must be an int >= 0")
    return value


def reflection_min_days() -> int:
    days = rule(REFLECTION).days
    assert days is not None  # checked in _apply
    return days


def due_date(step: str, start: dt.date) -> dt.date | None:
    return rule(step).due(start)


# --- calendar arithmetic -------------------------------------------------------------------


def add_months(start: dt.date, months: int) -> dt.date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def add_years(start: dt.date, years: int) -> dt.date:
    return add_months(start, 12 * years)


def add_working_days(start: dt.date, days: int) -> dt.date:
    current, left = start, days
    while left > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def certificate_limit(issued_on: dt.date) -> dt.date:
    """The last possible day of validity of a certificate issued (or extended) on a date."""
    return add_years(issued_on, CERTIFICATE_MAX_YEARS)


# --- where a deadline stands -----------------------------------------------------------------

ON_TRACK: Final = "on_track"
NEARING: Final = "nearing"
OVERDUE: Final = "overdue"
MET: Final = "met"
MISSED: Final = "missed"

STANDING_LABELS: Final[dict[str, str | Promise]] = {
    ON_TRACK: _("on track"),
    NEARING: _("nearing"),
    OVERDUE: _("overdue"),
    MET: _("met"),
    MISSED: _("missed"),
}


def standing(
    due: dt.date | None,
    today: dt.date,
    *,
    done_on: dt.date | None = None,
    nearing_days: int | None = None,
) -> str | None:
    """on_track, nearing or overdue for an open step; met or missed once done; None: no due."""
    if due is None:
        return None
    if done_on is not None:
        return MET if done_on <= due else MISSED
    if today > due:
        return OVERDUE
    window_days = window("nearing_days") if nearing_days is None else nearing_days
    if (due - today).days <= window_days:
        return NEARING
    return ON_TRACK


@dataclass(frozen=True)
class OpenDeadline:
    """A deadline the application runs now, where it stands today and the rule behind it."""

    rule: DeadlineRule
    due: dt.date
    standing: str

    @property
    def standing_label(self) -> str:
        return str(STANDING_LABELS.get(self.standing, ""))


def open_deadlines(application: StatusApplication, today: dt.date) -> list[OpenDeadline]:
    """The application's open deadlines: the current step's and, before the decision, the
    overall one."""
    pairs: list[tuple[str, dt.date]] = []
    if application.due_step and application.due_on:
        pairs.append((application.due_step, application.due_on))
    if application.overall_due_on and application.state in wf.BEFORE_DECISION:
        pairs.append((OVERALL, application.overall_due_on))
    return [OpenDeadline(rule(step), due, standing(due, today) or "") for step, due in pairs]
