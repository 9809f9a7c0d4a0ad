"""Reads of the status procedure. Every function takes a queryset the access gate scoped.

Deadline lists (nearing, overdue), what waits for an agency, expiring certificates, unpaid
payments, ending reflection periods, and the process measures kept for statistics.
"""

from __future__ import annotations

import datetime as dt
import statistics
import uuid
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from opennrm.nrm.status import deadlines
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.models import OneTimePayment, ReflectionPeriod, StatusApplication

_BEFORE_DECISION = sorted(wf.BEFORE_DECISION)


def handled_by(agency_id: uuid.UUID | None) -> Q:
    """Applications whose file the agency holds now (`workflow.STATE_LEVEL`).

    A granted application is also held by the receiving office, which handles the one-time
    payment. Closed applications are held by nobody.
    """
    if agency_id is None:
        return Q(pk__in=[])
    levels: dict[str, list[str]] = {}
    for state, level in wf.STATE_LEVEL.items():
        if level is not None:
            levels.setdefault(level, []).append(state)
    return (
        Q(state__in=[*levels[wf.RECEIVING], wf.GRANTED], receiving_agency_id=agency_id)
        | Q(state__in=levels.get(wf.OBLAST, []), oblast_agency_id=agency_id)
        | Q(state__in=levels[wf.NATIONAL], national_agency_id=agency_id)
    )


def waiting_for(agency_id: uuid.UUID | None) -> Q:
    """Applications in which the next step is the agency's (its file, in a waiting state)."""
    return handled_by(agency_id) & Q(state__in=list(wf.WAITING))


def _due_q(until: dt.date) -> Q:
    return Q(due_on__lte=until) | Q(
        state__in=_BEFORE_DECISION, overall_due_on__isnull=False, overall_due_on__lte=until
    )


def overdue(
    applications: QuerySet[StatusApplication], today: dt.date
) -> QuerySet[StatusApplication]:
    """Past the step's deadline (or the overall one) and not yet done."""
    return applications.filter(
        Q(due_on__lt=today)
        | Q(state__in=_BEFORE_DECISION, overall_due_on__isnull=False, overall_due_on__lt=today)
    )


def nearing(
    applications: QuerySet[StatusApplication], today: dt.date
) -> QuerySet[StatusApplication]:
    """Due within the nearing window, not yet overdue."""
    until = today + dt.timedelta(days=deadlines.window("nearing_days"))
    return applications.filter(_due_q(until)).exclude(pk__in=overdue(applications, today))


def due_soon_or_overdue(
    applications: QuerySet[StatusApplication], today: dt.date
) -> QuerySet[StatusApplication]:
    """Overdue and nearing in one list, the most urgent first."""
    until = today + dt.timedelta(days=deadlines.window("nearing_days"))
    return (
        applications.filter(_due_q(until))
        .select_related("case", "receiving_agency", "oblast_agency", "national_agency")
        .order_by("due_on", "applied_on", "created_at", "journal_number", "id")
    )


def expiring_certificates(
    applications: QuerySet[StatusApplication], today: dt.date
) -> QuerySet[StatusApplication]:
    """Granted, with a certificate still valid today and for at most `certificate_warning_days`
    more (a lapsed one is the daily job's: it shows as expired, nothing is left to extend)."""
    until = today + dt.timedelta(days=deadlines.window("certificate_warning_days"))
    return applications.filter(
        state=wf.GRANTED, certificate_valid_until__gte=today, certificate_valid_until__lte=until
    ).order_by("certificate_valid_until")


def unpaid_payments(payments: QuerySet[OneTimePayment]) -> QuerySet[OneTimePayment]:
    return payments.filter(state=wf.CLAIMED).select_related("application").order_by("due_on")


def ending_reflection_periods(
    periods: QuerySet[ReflectionPeriod], today: dt.date
) -> QuerySet[ReflectionPeriod]:
    until = today + dt.timedelta(days=deadlines.window("reflection_warning_days"))
    return periods.filter(
        ended_early_on__isnull=True, ends_on__gte=today, ends_on__lte=until
    ).order_by("ends_on")


def with_detail_data(
    applications: QuerySet[StatusApplication],
) -> QuerySet[StatusApplication]:
    """With what the application page and the API show: agencies, steps, extensions and the
    payment (read it with `payment_of`), in a fixed number of queries whatever the rows."""
    return applications.select_related(
        "case", "receiving_agency", "oblast_agency", "national_agency", "decided_by", "payment"
    ).prefetch_related("steps__actor", "steps__agency", "extensions")


def payment_of(application: StatusApplication) -> OneTimePayment | None:
    """The application's one-time payment, or None (no query after `with_detail_data`)."""
    try:
        return application.payment
    except OneTimePayment.DoesNotExist:
        return None


# --- process measures for statistics ---------------------------------------------------------


@dataclass(frozen=True)
class ProcessMeasure:
    """One application's durations (days) and whether each step met its deadline."""

    application_id: uuid.UUID
    outcome: str
    days_identification_to_decision: int | None
    days_application_to_decision: int | None
    steps_on_time: int
    steps_late: int


@dataclass(frozen=True)
class ProcessSummary:
    applications: int
    by_outcome: dict[str, int]
    median_days_identification_to_decision: float | None
    median_days_application_to_decision: float | None
    steps_on_time: int
    steps_late: int


def process_measures(applications: QuerySet[StatusApplication]) -> list[ProcessMeasure]:
    """Per application: time from identification (and from the application) to the decision.

    The first decision counts (a later decision after a return or an appeal keeps the first
    timestamps in the step history); the deadline flags come from the recorded steps.
    """
    rows = []
    for app in applications.select_related("case").prefetch_related("steps"):
        steps = list(app.steps.all())
        decisions = [s for s in steps if s.action in (wf.GRANT, wf.REFUSE, wf.RETURN_INCOMPLETE)]
        decided = decisions[0].on if decisions else None
        rows.append(
            ProcessMeasure(
                application_id=app.id,
                outcome=wf.OUTCOME[app.state],
                days_identification_to_decision=(decided - app.case.identified_on).days
                if decided
                else None,
                days_application_to_decision=(decided - app.applied_on).days if decided else None,
                steps_on_time=sum(1 for s in steps if s.met_deadline is True),
                steps_late=sum(1 for s in steps if s.met_deadline is False),
            )
        )
    return rows


def process_summary(applications: QuerySet[StatusApplication]) -> ProcessSummary:
    rows = process_measures(applications)
    by_outcome: dict[str, int] = {}
    for row in rows:
        by_outcome[row.outcome] = by_outcome.get(row.outcome, 0) + 1
    ident = [r.days_identification_to_decision for r in rows]
    appl = [r.days_application_to_decision for r in rows]
    ident_days = [d for d in ident if d is not None]
    appl_days = [d for d in appl if d is not None]
    return ProcessSummary(
        applications=len(rows),
        by_outcome=dict(sorted(by_outcome.items())),
        median_days_identification_to_decision=statistics.median(ident_days)
        if ident_days
        else None,
        median_days_application_to_decision=statistics.median(appl_days) if appl_days else None,
        steps_on_time=sum(r.steps_on_time for r in rows),
        steps_late=sum(r.steps_late for r in rows),
    )
