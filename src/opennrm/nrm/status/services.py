"""Writes of the status procedure: one function per transition, each atomic and audited.

Callers fetch the application through `opennrm.access.status`, which checks the permission the
workflow table names and that the actor's agency holds the file. Here each service locks the
row, asks the table whether the action is allowed in the current state (`IllegalTransition`
otherwise), validates its input (`ValidationError` by field), records the step with its
deadline and writes one audit event with codes only: never names, numbers or free text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.audit.services import record
from opennrm.cases import trafficking_status
from opennrm.cases.models import Case
from opennrm.core.codes import OBLAST as OBLAST_LIST
from opennrm.core.codes import code_list
from opennrm.core.workflow import IllegalTransition
from opennrm.nrm import shares
from opennrm.nrm.status import codes, deadlines
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.models import CertificateExtension, StatusApplication, StatusStep
from opennrm.nrm.status.validation import (
    PURPOSE,
    Errors,
    add,
    audit,
    code,
    date_checks,
    raise_errors,
)
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency


def _enter(application: StatusApplication, state: str, on: dt.date) -> None:
    """Move to a state and start its clock with the deadline rule now in force."""
    application.state = state
    application.state_since = on
    step = deadlines.STATE_STEP[state]
    application.due_step = step or ""
    application.due_on = deadlines.due_date(step, on) if step else None


# The decisions whose outcome the case's HTCDS trafficking status follows.
CASE_OUTCOME: dict[str, str] = {
    wf.GRANT: trafficking_status.GRANTED,
    wf.REFUSE: trafficking_status.REFUSED,
    wf.REVOKE: trafficking_status.REVOKED,
    wf.COURT_ANNULS_REFUSAL: trafficking_status.REFUSAL_ANNULLED,
    wf.COURT_UPHOLDS_REFUSAL: trafficking_status.REFUSAL_UPHELD,
}


def _record_step(
    application: StatusApplication,
    actor: Actor | None,
    action: str,
    *,
    from_state: str,
    on: dt.date,
    due_step: str = "",
    due_on: dt.date | None = None,
) -> StatusStep:
    """The history row: who, which agency, when, and whether the deadline answered was met."""
    return StatusStep.objects.create(
        application=application,
        number=StatusStep.objects.filter(application=application).count() + 1,
        action=action,
        from_state=from_state,
        to_state=application.state,
        on=on,
        at=timezone.now(),
        actor=actor.user if actor is not None else None,
        agency=actor.agency if actor is not None else None,
        due_step=due_step,
        due_on=due_on,
        met_deadline=None if due_on is None else on <= due_on,
    )


def _advance(
    *,
    actor: Actor,
    application: StatusApplication,
    action: str,
    on: dt.date,
    on_field: str,
    fields: dict[str, Any],
    errors: Errors | None = None,
    court_finding: bool = False,
    **detail: Any,
) -> StatusApplication:
    """Run one transition of the table: lock, check, validate, save, record the step, audit.

    A decision with an outcome for the case (`CASE_OUTCOME`): the case's trafficking status
    follows in the same transaction (`cases.trafficking_status`, audited there), and the step
    records what the case now says."""
    with transaction.atomic():
        app = StatusApplication.objects.select_for_update().get(pk=application.pk)
        transition = wf.application_workflow().check(app.state, action)
        errors = dict(errors or {})
        date_checks(errors, on_field, on, after=app.state_since)
        raise_errors(errors)
        for name, value in fields.items():
            setattr(app, name, value)
        from_state, due_step, due_on = app.state, app.due_step, app.due_on
        _enter(app, transition.target, on)
        app.save()
        step = _record_step(
            app, actor, action, from_state=from_state, on=on, due_step=due_step, due_on=due_on
        )
        if action in CASE_OUTCOME:
            _follow_on_case(actor, app, step, CASE_OUTCOME[action], on, court_finding=court_finding)
        _follow_file(actor, app, from_state, action, on)
        audit(
            actor,
            wf.AUDIT_ACTION[action],
            app.case_id,
            application=str(app.id),
            **{"from": from_state, "to": app.state, "on_time": step.met_deadline},
            **detail,
        )
    return app


def _follow_file(
    actor: Actor, app: StatusApplication, from_state: str, action: str, on: dt.date
) -> None:
    """The decider's share follows the file: opened when it reaches the deciding agency (a
    forward, a court's annulment), ended when it leaves (decided, returned, withdrawn)."""
    if app.national_agency is None:
        return
    signal = None
    if app.state == wf.AT_NATIONAL and from_state != wf.AT_NATIONAL:
        signal = shares.file_reached_decider
    elif from_state == wf.AT_NATIONAL and app.state != wf.AT_NATIONAL:
        signal = shares.file_left_decider
    if signal is not None:
        signal.send(
            sender=StatusApplication,
            actor=actor,
            case=app.case,
            agency=app.national_agency,
            application_id=app.id,
            action=action,
            on=on,
        )


def _follow_on_case(
    actor: Actor,
    app: StatusApplication,
    step: StatusStep,
    outcome: str,
    on: dt.date,
    *,
    court_finding: bool = False,
) -> None:
    """The decision's outcome on the case (HTCDS trafficking status), kept on the step too."""
    decision = trafficking_status.record_status_decision(
        actor=actor,
        case=app.case,
        outcome=outcome,
        decided_on=on,
        application_id=app.id,
        court_finding=court_finding,
    )
    step.case_outcome = outcome
    step.trafficking_status = decision.trafficking_status
    step.status_decision_org = decision.decision_org
    step.save(update_fields=["case_outcome", "trafficking_status", "status_decision_org"])


# --- registration ---------------------------------------------------------------------------


def _document_errors(errors: Errors, documents: Iterable[str]) -> list[str]:
    chosen = sorted(set(documents))
    for value in chosen:
        if value not in codes.DOCUMENTS:
            add(errors, "documents", _("%(value)s is not a valid choice.") % {"value": value})
    return chosen


def register_application(
    *,
    actor: Actor,
    case: Case,
    journal_number: str,
    applied_on: dt.date,
    applicant: str = "Self",
    interpreter: bool = False,
    documents: Iterable[str] = (),
) -> StatusApplication:
    """Register an application in the actor's agency journal (the receiving office)."""
    if actor.agency is None:
        raise ValueError("an actor without an agency cannot register applications")
    errors: Errors = {}
    journal_number = journal_number.strip()
    if not journal_number:
        add(errors, "journal_number", _("This field is required."))
    elif len(journal_number) > 40:
        add(errors, "journal_number", _("At most 40 characters."))
    date_checks(errors, "applied_on", applied_on)
    code(errors, "applicant", codes.APPLICANT, applicant)
    chosen = _document_errors(errors, documents)
    if actor.agency.kind not in wf.agency_kinds(wf.RECEIVING):
        add(
            errors,
            NON_FIELD_ERRORS,
            _("Your agency does not receive status applications (%(kind)s).")
            % {"kind": actor.agency.kind_label},
        )
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).first()  # serialise per case
        open_app = (
            StatusApplication.objects.filter(case=case, state__in=wf.OPEN)
            .exclude(state=wf.GRANTED)
            .first()
        )
        granted = StatusApplication.objects.filter(
            case=case, state=wf.GRANTED, certificate_valid_until__gte=applied_on
        ).first()
        if open_app or granted:
            add(
                errors,
                NON_FIELD_ERRORS,
                _("This case already has an open status application or a valid status."),
            )
        if StatusApplication.objects.filter(
            receiving_agency=actor.agency, journal_number=journal_number
        ).exists():
            add(errors, "journal_number", _("This number is already in your agency's journal."))
        raise_errors(errors)
        app = StatusApplication(
            case=case,
            receiving_agency=actor.agency,
            journal_number=journal_number,
            applied_on=applied_on,
            applicant=applicant,
            interpreter=interpreter,
            documents=chosen,
            registered_by=actor.user,
        )
        _enter(app, wf.REGISTERED, applied_on)
        app.overall_due_on = deadlines.due_date(deadlines.OVERALL, applied_on)
        app.save()
        _record_step(app, actor, wf.REGISTER, from_state="", on=applied_on)
        audit(
            actor,
            wf.AUDIT_ACTION[wf.REGISTER],
            case.id,
            application=str(app.id),
            to=app.state,
            documents=chosen,
            applicant=applicant,
        )
    return app


def update_documents(
    *, actor: Actor, application: StatusApplication, documents: Iterable[str]
) -> StatusApplication:
    """Update the documents checklist while the file is at the receiving office."""
    errors: Errors = {}
    chosen = _document_errors(errors, documents)
    with transaction.atomic():
        app = StatusApplication.objects.select_for_update().get(pk=application.pk)
        if wf.STATE_LEVEL[app.state] != wf.RECEIVING:
            raise IllegalTransition(wf.application_workflow().name, app.state, "update_documents")
        raise_errors(errors)
        app.documents = chosen
        app.save(update_fields=["documents", "updated_at"])
        _record_step(app, actor, "update_documents", from_state=app.state, on=timezone.localdate())
        audit(
            actor,
            "status.documents_updated",
            app.case_id,
            application=str(app.id),
            documents=chosen,
        )
    return app


# --- the local level -------------------------------------------------------------------------


def record_interview(
    *,
    actor: Actor,
    application: StatusApplication,
    interviewed_on: dt.date,
    consent_recorded: bool,
    nondisclosure_signed: bool,
) -> StatusApplication:
    """The interview with the questionnaire, which records the person's consent first."""
    errors: Errors = {}
    if not consent_recorded:
        add(
            errors,
            "consent_recorded",
            _(
                "The questionnaire records the person's consent first. Without consent there "
                "is no interview: record why no interview is possible instead."
            ),
        )
    if not nondisclosure_signed:
        add(
            errors,
            "nondisclosure_signed",
            _("The official signs the non-disclosure undertaking before the interview."),
        )
    return _advance(
        actor=actor,
        application=application,
        action=wf.RECORD_INTERVIEW,
        on=interviewed_on,
        on_field="interviewed_on",
        errors=errors,
        fields={
            "interview_mode": "interview",
            "interviewed_on": interviewed_on,
            "consent_recorded": True,
            "nondisclosure_signed": True,
            "waiver_reason": "",
        },
    )


def waive_interview(
    *, actor: Actor, application: StatusApplication, waived_on: dt.date, reason: str
) -> StatusApplication:
    """No interview: already identified elsewhere, or impossible (replaced by other data)."""
    errors: Errors = {}
    code(errors, "reason", codes.WAIVER_REASON, reason)
    return _advance(
        actor=actor,
        application=application,
        action=wf.WAIVE_INTERVIEW,
        on=waived_on,
        on_field="waived_on",
        errors=errors,
        fields={"interview_mode": "waived", "interviewed_on": waived_on, "waiver_reason": reason},
        reason=reason,
    )


def _agency_errors(
    errors: Errors, level: str, agency: Agency | None, application: StatusApplication
) -> None:
    if agency is None:
        add(errors, "to_agency", _("This field is required."))
    elif not agency.is_active or agency.kind not in wf.agency_kinds(level):
        add(errors, "to_agency", _("This agency does not handle status files at this level."))
    elif level == wf.OBLAST:
        _same_oblast_errors(errors, agency, application.receiving_agency)


def _same_oblast_errors(errors: Errors, agency: Agency, receiving: Agency) -> None:
    """Resolution No. 417: the receiving office sends the file to the administration of its
    own oblast (the Kyiv city administration for Kyiv)."""
    if not receiving.oblast:
        add(
            errors,
            "to_agency",
            _(
                "The oblast of your agency is not recorded, so the administration of its oblast "
                "cannot be told: an administrator records it first."
            ),
        )
    elif agency.oblast != receiving.oblast:
        add(
            errors,
            "to_agency",
            _(
                "The file goes to the administration of your own oblast (%(oblast)s); "
                "%(agency)s is in %(other)s."
            )
            % {
                "oblast": oblast_label(receiving.oblast),
                "agency": agency.display_name,
                "other": oblast_label(agency.oblast) if agency.oblast else _("no oblast recorded"),
            },
        )


def oblast_label(code_value: str) -> str:
    return code_list(OBLAST_LIST).label(code_value)


# Where a forward goes: the action, the field naming the receiving agency, the date field.
_FORWARDS = {
    wf.OBLAST: (wf.FORWARD_TO_OBLAST, "oblast_agency", "forwarded_to_oblast_on"),
    wf.NATIONAL: (wf.FORWARD_TO_NATIONAL, "national_agency", "forwarded_to_national_on"),
}


def _forward(
    *,
    actor: Actor,
    application: StatusApplication,
    level: str,
    to_agency: Agency | None,
    forwarded_on: dt.date | None,
) -> StatusApplication:
    action, agency_field, date_field = _FORWARDS[level]
    on = forwarded_on or timezone.localdate()
    errors: Errors = {}
    _agency_errors(errors, level, to_agency, application)
    return _advance(
        actor=actor,
        application=application,
        action=action,
        on=on,
        on_field="forwarded_on",
        errors=errors,
        fields={agency_field: to_agency, date_field: on},
        to_agency=str(to_agency.id) if to_agency else None,
    )


def forward_to_oblast(
    *,
    actor: Actor,
    application: StatusApplication,
    to_agency: Agency | None,
    forwarded_on: dt.date | None = None,
) -> StatusApplication:
    """The receiving office forwards the personal file to the oblast level."""
    return _forward(
        actor=actor,
        application=application,
        level=wf.OBLAST,
        to_agency=to_agency,
        forwarded_on=forwarded_on,
    )


def forward_to_national(
    *,
    actor: Actor,
    application: StatusApplication,
    to_agency: Agency | None,
    forwarded_on: dt.date | None = None,
) -> StatusApplication:
    """The oblast level (or, without one, the receiving office) forwards to the deciders."""
    return _forward(
        actor=actor,
        application=application,
        level=wf.NATIONAL,
        to_agency=to_agency,
        forwarded_on=forwarded_on,
    )


def withdraw_application(
    *, actor: Actor, application: StatusApplication, withdrawn_on: dt.date
) -> StatusApplication:
    return _advance(
        actor=actor,
        application=application,
        action=wf.WITHDRAW,
        on=withdrawn_on,
        on_field="withdrawn_on",
        fields={"withdrawn_on": withdrawn_on},
    )


# --- the decision ----------------------------------------------------------------------------


def _decision_fields(actor: Actor, decision: str, on: dt.date, reason: str) -> dict[str, Any]:
    return {
        "decision": decision,
        "decided_on": on,
        "decided_by": actor.user,
        "decision_reason": reason,
    }


def grant_status(
    *,
    actor: Actor,
    application: StatusApplication,
    decided_on: dt.date,
    certificate_number: str,
    certificate_issued_on: dt.date,
    certificate_valid_until: dt.date,
) -> StatusApplication:
    """Grant the status and record the certificate (valid for at most two years)."""
    errors: Errors = {}
    number = certificate_number.strip()
    if not number:
        add(errors, "certificate_number", _("This field is required."))
    elif len(number) > 40:
        add(errors, "certificate_number", _("At most 40 characters."))
    date_checks(errors, "certificate_issued_on", certificate_issued_on, after=decided_on)
    _certificate_validity(errors, certificate_issued_on, certificate_valid_until)
    if (
        number
        and application.national_agency_id
        and StatusApplication.objects.filter(
            national_agency_id=application.national_agency_id, certificate_number=number
        )
        .exclude(pk=application.pk)
        .exists()
    ):
        add(errors, "certificate_number", _("A certificate with this number already exists."))
    return _advance(
        actor=actor,
        application=application,
        action=wf.GRANT,
        on=decided_on,
        on_field="decided_on",
        errors=errors,
        fields={
            **_decision_fields(actor, "granted", decided_on, ""),
            "certificate_number": number,
            "certificate_issued_on": certificate_issued_on,
            "certificate_valid_until": certificate_valid_until,
        },
    )


def _certificate_validity(
    errors: Errors, start: dt.date | None, valid_until: dt.date | None, field: str = ""
) -> None:
    field = field or "certificate_valid_until"
    if valid_until is None:
        add(errors, field, _("This field is required."))
        return
    if start is None:
        return
    if valid_until <= start:
        add(errors, field, _("The certificate must be valid after the date it is issued."))
    elif valid_until > deadlines.certificate_limit(start):
        add(
            errors,
            field,
            _("A certificate is valid for at most %(years)d years: until %(date)s at the latest.")
            % {
                "years": deadlines.CERTIFICATE_MAX_YEARS,
                "date": deadlines.certificate_limit(start).isoformat(),
            },
        )


def refuse_status(
    *, actor: Actor, application: StatusApplication, decided_on: dt.date, reason: str
) -> StatusApplication:
    errors: Errors = {}
    code(errors, "reason", codes.REFUSAL_REASON, reason)
    return _advance(
        actor=actor,
        application=application,
        action=wf.REFUSE,
        on=decided_on,
        on_field="decided_on",
        errors=errors,
        fields=_decision_fields(actor, "refused", decided_on, reason),
        reason=reason,
    )


def return_incomplete(
    *, actor: Actor, application: StatusApplication, decided_on: dt.date, reason: str
) -> StatusApplication:
    errors: Errors = {}
    code(errors, "reason", codes.RETURN_REASON, reason)
    return _advance(
        actor=actor,
        application=application,
        action=wf.RETURN_INCOMPLETE,
        on=decided_on,
        on_field="decided_on",
        errors=errors,
        fields=_decision_fields(actor, "returned", decided_on, reason),
        reason=reason,
    )


def extend_certificate(
    *, actor: Actor, application: StatusApplication, extended_on: dt.date, valid_until: dt.date
) -> StatusApplication:
    """Extend the certificate: valid for at most two years from the extension."""
    errors: Errors = {}
    _certificate_validity(errors, extended_on, valid_until, "valid_until")
    current = application.certificate_valid_until
    if current is not None and valid_until is not None and valid_until <= current:
        add(
            errors,
            "valid_until",
            _("The new date must be after the current validity (%(date)s).")
            % {"date": current.isoformat()},
        )
    with transaction.atomic():
        app = _advance(
            actor=actor,
            application=application,
            action=wf.EXTEND,
            on=extended_on,
            on_field="extended_on",
            errors=errors,
            fields={"certificate_valid_until": valid_until},
        )
        assert current is not None  # a granted application has a certificate (constraint)
        CertificateExtension.objects.create(
            application=app,
            extended_on=extended_on,
            previous_valid_until=current,
            valid_until=valid_until,
            extended_by=actor.user,
        )
    return app


def revoke_status(
    *, actor: Actor, application: StatusApplication, revoked_on: dt.date, reason: str
) -> StatusApplication:
    errors: Errors = {}
    code(errors, "reason", codes.REVOCATION_REASON, reason)
    return _advance(
        actor=actor,
        application=application,
        action=wf.REVOKE,
        on=revoked_on,
        on_field="revoked_on",
        errors=errors,
        fields={"revoked_on": revoked_on, "revocation_reason": reason},
        court_finding=reason == "CourtFoundNoTrafficking",
        reason=reason,
    )


# --- appeal ----------------------------------------------------------------------------------


def lodge_appeal(
    *, actor: Actor, application: StatusApplication, appealed_on: dt.date
) -> StatusApplication:
    return _advance(
        actor=actor,
        application=application,
        action=wf.LODGE_APPEAL,
        on=appealed_on,
        on_field="appealed_on",
        fields={"appealed_on": appealed_on, "court_outcome": "", "court_decided_on": None},
    )


def court_annuls_refusal(
    *, actor: Actor, application: StatusApplication, court_decided_on: dt.date
) -> StatusApplication:
    """The court annulled the refusal: the file goes back to the deciders for a new decision."""
    return _advance(
        actor=actor,
        application=application,
        action=wf.COURT_ANNULS_REFUSAL,
        on=court_decided_on,
        on_field="court_decided_on",
        fields={"court_outcome": "RefusalAnnulled", "court_decided_on": court_decided_on},
    )


def court_upholds_refusal(
    *, actor: Actor, application: StatusApplication, court_decided_on: dt.date
) -> StatusApplication:
    return _advance(
        actor=actor,
        application=application,
        action=wf.COURT_UPHOLDS_REFUSAL,
        on=court_decided_on,
        on_field="court_decided_on",
        fields={"court_outcome": "RefusalUpheld", "court_decided_on": court_decided_on},
    )


# --- expiry (the daily job) --------------------------------------------------------------------


def expire_certificate(application: StatusApplication, today: dt.date) -> bool:
    """Record that a granted status's certificate expired (valid until a day before `today`).

    The step is dated the first day without validity and taken by the system (no actor, no
    agency); the audit event carries codes only. Idempotent: False when there is nothing to do
    (no longer granted, or still valid)."""
    with transaction.atomic():
        app = StatusApplication.objects.select_for_update().get(pk=application.pk)
        if app.state != wf.GRANTED or not app.certificate_expired_on(today):
            return False
        assert app.certificate_valid_until is not None  # certificate_expired_on checked it
        on = app.certificate_valid_until + dt.timedelta(days=1)
        transition = wf.application_workflow().check(app.state, wf.EXPIRE)
        from_state = app.state
        _enter(app, transition.target, on)
        app.save()
        _record_step(app, None, wf.EXPIRE, from_state=from_state, on=on)
        record(
            action=wf.AUDIT_ACTION[wf.EXPIRE],
            actor_id=None,
            agency_id=None,
            object_type="case",
            object_id=app.case_id,
            purpose=PURPOSE,
            detail={"application": str(app.id), "from": from_state, "to": app.state},
        )
    return True


def expire_certificates(today: dt.date | None = None) -> list[StatusApplication]:
    """Every granted status whose certificate is past its validity on `today` (default: the
    local date) moves to "expired". Safe to run any number of times a day."""
    day = today or timezone.localdate()
    due = StatusApplication.objects.filter(
        state=wf.GRANTED, certificate_valid_until__lt=day
    ).order_by("certificate_valid_until", "id")
    return [app for app in due if expire_certificate(app, day)]
