"""What the status procedure contributes to a case timeline and to "action needed".

Labels are translated when called. Nothing personal: journal and certificate numbers,
dates and agency names only.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opennrm.cases.models import Case
from opennrm.core.codes import STATUS_DECISION_ORG, TRAFFICKING_STATUS, code_list
from opennrm.core.text import money
from opennrm.nrm.entries import ActionItem, TimelineEntry
from opennrm.nrm.status import codes, deadlines, queries
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.models import (
    OneTimePayment,
    ReflectionPeriod,
    StatusApplication,
    StatusStep,
)
from opennrm.tenancy.actor import Actor

STEP_DONE: dict[str, str | Promise] = {
    wf.REGISTER: gettext_lazy("Status application registered"),
    "update_documents": gettext_lazy("Documents checklist updated"),
    wf.RECORD_INTERVIEW: gettext_lazy("Interview recorded"),
    wf.WAIVE_INTERVIEW: gettext_lazy("No interview needed, reason recorded"),
    wf.FORWARD_TO_OBLAST: gettext_lazy("Personal file forwarded to the oblast level"),
    wf.FORWARD_TO_NATIONAL: gettext_lazy("Personal file forwarded to the national level"),
    wf.GRANT: gettext_lazy("Status granted"),
    wf.REFUSE: gettext_lazy("Status refused"),
    wf.RETURN_INCOMPLETE: gettext_lazy("File returned as incomplete"),
    wf.EXTEND: gettext_lazy("Certificate extended"),
    wf.REVOKE: gettext_lazy("Status revoked"),
    wf.LODGE_APPEAL: gettext_lazy("Refusal appealed in court"),
    wf.COURT_ANNULS_REFUSAL: gettext_lazy("Court annulled the refusal"),
    wf.COURT_UPHOLDS_REFUSAL: gettext_lazy("Court upheld the refusal"),
    wf.WITHDRAW: gettext_lazy("Application withdrawn"),
    wf.EXPIRE: gettext_lazy("Certificate expired"),
}

WAITING_LABELS: dict[str, str | Promise] = {
    wf.REGISTERED: gettext_lazy("Interview the applicant or record why not"),
    wf.INTERVIEWED: gettext_lazy("Forward the personal file"),
    wf.RETURNED: gettext_lazy("Complete the returned file and forward it again"),
    wf.AT_OBLAST: gettext_lazy("Forward the personal file to the national level"),
    wf.AT_NATIONAL: gettext_lazy("Decide on the status application"),
    wf.APPEALED: gettext_lazy("Record the court's outcome of the appeal"),
}
WAITING_KINDS: dict[str, str] = {
    wf.REGISTERED: "status.interview_due",
    wf.INTERVIEWED: "status.forward_due",
    wf.RETURNED: "status.returned",
    wf.AT_OBLAST: "status.forward_due",
    wf.AT_NATIONAL: "status.decision_due",
    wf.APPEALED: "status.appeal_pending",
}


def _day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _on_day(day: dt.date, recorded: dt.datetime | None) -> dt.datetime:
    """A dated event, at the time it was recorded when recorded the same day (keeps order)."""
    if recorded is not None and timezone.localtime(recorded).date() == day:
        return recorded
    return _day(day)


def _when(step: StatusStep) -> dt.datetime:
    """The step's date, at the time it was recorded when recorded the same day."""
    return _on_day(step.on, step.at)


def _step_detail(step: StatusStep, app: StatusApplication) -> str:
    parts = [_("journal No. %(number)s") % {"number": app.journal_number}]
    if step.action == wf.GRANT and app.certificate_number:
        parts.append(
            _("certificate No. %(number)s") % {"number": app.certificate_number},
        )
    if step.action == wf.EXPIRE and app.certificate_valid_until is not None:
        parts.append(_("valid until %(date)s") % {"date": app.certificate_valid_until.isoformat()})
    if step.trafficking_status:
        parts.append(case_status_text(step.trafficking_status, step.status_decision_org))
    if step.due_on is not None:
        met = _("deadline met") if step.met_deadline else _("deadline missed")
        parts.append(f"{met} ({step.due_on.isoformat()})")
    return "; ".join(parts)


def case_status_text(status: str, decision_org: str) -> str:
    """What a decision made the case say (HTCDS vic_TraffickingStatus and its deciding org)."""
    label = code_list(TRAFFICKING_STATUS).label(status)
    if not decision_org:
        return _("trafficking status on the case: %(status)s") % {"status": label}
    return _("trafficking status on the case: %(status)s, decided by: %(org)s") % {
        "status": label,
        "org": code_list(STATUS_DECISION_ORG).label(decision_org),
    }


def application_url(application_id: object) -> str:
    return reverse("web:status_application_detail", kwargs={"application_id": application_id})


def timeline_entries(case: Case) -> list[TimelineEntry]:
    entries = []
    steps = StatusStep.objects.filter(application__case=case).select_related("application")
    for step in steps:
        entries.append(
            TimelineEntry(
                at=_when(step),
                kind=wf.AUDIT_ACTION.get(step.action, "status.documents_updated"),
                label=str(STEP_DONE.get(step.action, step.action)),
                agency_id=step.agency_id,
                actor_id=step.actor_id,
                detail=_step_detail(step, step.application),
            )
        )
    for payment in OneTimePayment.objects.filter(application__case=case).select_related(
        "application"
    ):
        office = payment.application.receiving_agency_id
        entries.append(
            TimelineEntry(
                at=_on_day(payment.claimed_on, payment.created_at),
                kind="payment.claimed",
                label=_("One-time financial assistance claimed: %(amount)s UAH")
                % {"amount": money(payment.amount)},
                agency_id=office,
                actor_id=payment.claimed_by_id,
            )
        )
        if payment.paid_on is not None:
            entries.append(
                TimelineEntry(
                    at=_on_day(payment.paid_on, payment.paid_at),
                    kind="payment.paid",
                    label=_("One-time financial assistance paid"),
                    agency_id=office,
                    actor_id=payment.paid_by_id,
                )
            )
    for period in ReflectionPeriod.objects.filter(case=case):
        entries.append(
            TimelineEntry(
                at=_day(period.starts_on),
                kind="reflection.started",
                label=_("Recovery and reflection period of %(days)d days, until %(end)s")
                % {"days": period.days, "end": period.ends_on.isoformat()},
                agency_id=period.agency_id,
                actor_id=period.recorded_by_id,
            )
        )
        if period.ended_early_on is not None:
            entries.append(
                TimelineEntry(
                    at=_day(period.ended_early_on),
                    kind="reflection.ended_early",
                    label=_("Reflection period ended early: %(reason)s")
                    % {"reason": codes.REFLECTION_END_REASON.label(period.ended_early_reason)},
                    agency_id=period.agency_id,
                )
            )
    return sorted(entries, key=lambda e: e.at)


def action_items(
    actor: Actor,
    cases: QuerySet[Case],
    *,
    applications: QuerySet[StatusApplication] | None = None,
) -> list[ActionItem]:
    """What waits for the actor's agency, near or past deadlines; `cases` is gate-scoped.

    Pass `applications=access.status.visible_applications(actor)` (as
    `access.status.action_items` does) to add the files the agency holds without seeing their
    case (the oblast level, the deciding agency). Without it only the applications of `cases`
    count: this package cannot apply the gate's role rule itself.
    """
    agency_id = actor.agency_id
    if agency_id is None:
        return []
    today = timezone.localdate()
    base = (
        applications
        if applications is not None
        else StatusApplication.objects.filter(case__in=cases)
    )
    items: list[ActionItem] = []
    for app in base.filter(queries.waiting_for(agency_id)).order_by("due_on", "applied_on"):
        due = app.next_due_on
        items.append(
            ActionItem(
                kind=WAITING_KINDS[app.state],
                label=f"{WAITING_LABELS[app.state]} ({app.journal_number})",
                case_id=app.case_id,
                url=application_url(app.id),
                due=due,
                overdue=due is not None and due < today,
            )
        )
    # The deciders extend; the receiving office tells the person to apply for the extension in
    # time (and pays nothing on an expired certificate).
    for app in queries.expiring_certificates(base, today).filter(
        Q(national_agency_id=agency_id) | Q(receiving_agency_id=agency_id)
    ):
        assert app.certificate_valid_until is not None  # a granted status has a certificate
        extend = app.national_agency_id == agency_id
        items.append(
            ActionItem(
                kind="status.certificate_expiring",
                label=(
                    _("Certificate No. %(number)s expires on %(date)s: extend it if asked")
                    if extend
                    else _(
                        "Certificate No. %(number)s expires on %(date)s: the person may apply "
                        "for an extension"
                    )
                )
                % {
                    "number": app.certificate_number,
                    "date": app.certificate_valid_until.isoformat(),
                },
                case_id=app.case_id,
                url=application_url(app.id),
                due=app.certificate_valid_until,
            )
        )
    payments = OneTimePayment.objects.filter(
        application__in=base.filter(receiving_agency_id=agency_id)
    )
    for payment in queries.unpaid_payments(payments):
        items.append(
            ActionItem(
                kind="payment.unpaid",
                label=_("Pay the one-time financial assistance (%(amount)s UAH)")
                % {"amount": money(payment.amount)},
                case_id=payment.application.case_id,
                url=application_url(payment.application_id),
                due=payment.due_on,
                overdue=payment.due_on < today,
            )
        )
    periods = ReflectionPeriod.objects.filter(case__in=cases)
    for period in queries.ending_reflection_periods(periods, today):
        items.append(
            ActionItem(
                kind="reflection.ending",
                label=_("The recovery and reflection period ends"),
                case_id=period.case_id,
                url=reverse("web:case_status_procedure", kwargs={"case_id": period.case_id}),
                due=period.ends_on,
            )
        )
    return sorted(items, key=lambda i: (not i.overdue, i.due or dt.date.max))


def deadline_label(step: str) -> str:
    return str(deadlines.rule(step).label) if step else ""
