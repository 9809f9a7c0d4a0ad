"""Web views of the status procedure, the one-time payment and the reflection period.

Thin: fetch through `access.status` (404 hidden, 403 not allowed), validate a form, call the
service, redirect; a form error re-renders with 422 next to the field, an illegal transition
re-renders the application with a clear message and 409.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from opennrm.access import casework as casework_gate
from opennrm.access import policy, roles
from opennrm.access import status as gate
from opennrm.audit.services import record
from opennrm.cases.models import Case
from opennrm.casework import sealing
from opennrm.core.codes import DATA_CATEGORY, code_list
from opennrm.core.workflow import IllegalTransition
from opennrm.nrm.status import codes, deadlines, forms_pdf, payment_services, queries, services
from opennrm.nrm.status import reflection_services as reflection
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.actions import ACTIONS
from opennrm.nrm.status.models import OneTimePayment, ReflectionPeriod, StatusApplication
from opennrm.nrm.status.timeline import STEP_DONE
from opennrm.nrm.status.validation import PURPOSE
from opennrm.people.identity import open_identity
from opennrm.tenancy.actor import Actor
from opennrm.web.cases import presenters as case_presenters
from opennrm.web.context import request_actor
from opennrm.web.dates import short_date
from opennrm.web.forms import apply_service_errors
from opennrm.web.status import forms as sf

PAGE_SIZE = 25

OTHER_ACTION_LABELS = {
    wf.CLAIM: gettext_lazy("Claim the one-time financial assistance"),
    wf.PAY: gettext_lazy("Record the payment"),
    "update_documents": gettext_lazy("Update the documents checklist"),
    "end_early": gettext_lazy("End the period early"),
}


def action_url_name(action: str) -> str:
    return f"web:status_application_{action}"


def illegal_message(exc: IllegalTransition) -> str:
    label = str(OTHER_ACTION_LABELS.get(exc.action) or wf.action_label(exc.action))
    state = wf.STATE_LABELS.get(exc.state) or wf.PAYMENT_STATE_LABELS.get(exc.state) or exc.state
    return _("“%(action)s” is not possible now: the application is “%(state)s”.") % {
        "action": label,
        "state": state,
    }


def _audit_view(actor: Actor, app: StatusApplication) -> None:
    record(
        action="status.viewed",
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type="case",
        object_id=app.case_id,
        purpose=PURPOSE,
        detail={"application": str(app.id)},
    )


# --- presentation ------------------------------------------------------------------------------


@dataclass
class ActionBlock:
    action: str
    label: str
    url: str
    form: Form
    irreversible: bool
    open: bool = False


DECISION_STATE = {"granted": wf.GRANTED, "refused": wf.REFUSED, "returned": wf.RETURNED}
DECISION_REASONS = {"refused": codes.REFUSAL_REASON, "returned": codes.RETURN_REASON}
COURT_STEP = {"RefusalAnnulled": wf.COURT_ANNULS_REFUSAL, "RefusalUpheld": wf.COURT_UPHOLDS_REFUSAL}


def _day(value: Any) -> str:
    return short_date(value) or "—"


def _facts(app: StatusApplication) -> list[tuple[str, str]]:
    dash = "—"
    facts = [
        (_("Journal number"), app.journal_number),
        (_("Applied on"), _day(app.applied_on)),
        (_("Who applies"), codes.APPLICANT.label(app.applicant)),
        (_("With an interpreter"), _("yes") if app.interpreter else _("no")),
        (_("Receiving agency"), app.receiving_agency.display_name),
        (_("Oblast-level agency"), app.oblast_agency.display_name if app.oblast_agency else dash),
        (_("Deciding agency"), app.national_agency.display_name if app.national_agency else dash),
    ]
    if app.interview_mode == "interview":
        held = _("held on %(date)s, consent recorded first")
        facts.append((_("Interview"), held % {"date": _day(app.interviewed_on)}))
    elif app.interview_mode == "waived":
        reason = codes.WAIVER_REASON.label(app.waiver_reason)
        facts.append((_("Interview"), _("not held: %(reason)s") % {"reason": reason}))
    if app.decided_on and app.decision in DECISION_STATE:
        label = wf.state_label(DECISION_STATE[app.decision])
        facts.append((_("Decision"), f"{label} ({_day(app.decided_on)})"))
        reasons = DECISION_REASONS.get(app.decision)
        if reasons and app.decision_reason:
            facts.append((_("Reason"), reasons.label(app.decision_reason)))
    if app.court_outcome in COURT_STEP:
        label = str(STEP_DONE[COURT_STEP[app.court_outcome]])
        facts.append((_("Court"), f"{label} ({_day(app.court_decided_on)})"))
    if app.revoked_on:
        reason = codes.REVOCATION_REASON.label(app.revocation_reason)
        facts.append((_("Revoked"), f"{_day(app.revoked_on)}: {reason}"))
    return facts


def _history(app: StatusApplication) -> list[dict[str, Any]]:
    return [
        {
            "step": step,
            "label": STEP_DONE.get(step.action, step.action),
            "from": wf.state_label(step.from_state) if step.from_state else "",
            "to": wf.state_label(step.to_state),
            "who": step.actor.get_username() if step.actor else _("the system (daily job)"),
            "agency": step.agency.display_name if step.agency else "—",
        }
        for step in app.steps.all()
    ]


def _certificate(app: StatusApplication) -> dict[str, Any] | None:
    if not app.certificate_number or app.certificate_valid_until is None:
        return None
    today = timezone.localdate()
    warn = deadlines.window("certificate_warning_days")
    return {
        "number": app.certificate_number,
        "issued_on": app.certificate_issued_on,
        "valid_until": app.certificate_valid_until,
        "expired": app.certificate_valid_until < today,
        "expiring": today <= app.certificate_valid_until
        and (app.certificate_valid_until - today).days <= warn,
        "extensions": list(app.extensions.all()),
        "source": deadlines.CERTIFICATE_SOURCE,
    }


def _payment_context(
    actor: Actor, app: StatusApplication, bound: dict[str, Form]
) -> dict[str, Any]:
    payment = queries.payment_of(app)
    may = gate.may_manage_payment(actor, app)
    ctx: dict[str, Any] = {"payment": payment, "may_manage_payment": may}
    if payment is not None:
        ctx["payment_category"] = codes.PAYMENT_CATEGORY.label(payment.category)
        ctx["payment_state"] = wf.PAYMENT_STATE_LABELS[payment.state]
        standing = deadlines.standing(payment.due_on, timezone.localdate(), done_on=payment.paid_on)
        ctx["payment_standing_code"] = standing or ""
        ctx["payment_standing"] = str(deadlines.STANDING_LABELS.get(standing or "", ""))
        if may and payment.state == wf.CLAIMED:
            ctx["pay_form"] = bound.get(wf.PAY) or sf.PayForm(prefix=wf.PAY)
    elif may and app.state == wf.GRANTED:
        ctx["claim_form"] = bound.get(wf.CLAIM) or sf.ClaimPaymentForm(prefix=wf.CLAIM)
    return ctx


def _render_detail(
    request: HttpRequest,
    actor: Actor,
    app: StatusApplication,
    *,
    bound: dict[str, Form] | None = None,
    illegal: str = "",
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    blocks = [
        ActionBlock(
            action=t.action,
            label=str(t.label),
            url=reverse(action_url_name(t.action), kwargs={"application_id": app.id}),
            form=bound.get(t.action)
            or sf.action_form(t.action, oblast=app.receiving_agency.oblast),
            irreversible=t.action in wf.IRREVERSIBLE,
            open=t.action in bound,
        )
        for t in gate.allowed_transitions(actor, app)
    ]
    documents_form = None
    if gate.may_update_documents(actor, app):
        documents_form = bound.get("update_documents") or sf.DocumentsForm(
            prefix="documents", initial={"documents": app.documents}
        )
    case_visible = policy.visible_cases(actor).filter(pk=app.case_id).exists()
    printable = gate.printable_forms(actor, app)
    file = _file_context(actor, app)
    context = {
        "app": app,
        "case_reference": app.case.reference,
        "case_visible": case_visible and policy.can(actor, roles.CASE_VIEW),
        "facts": _facts(app),
        "documents": [
            (codes.DOCUMENTS.label(d), d in app.documents, d in codes.REQUIRED_DOCUMENTS)
            for d in codes.DOCUMENTS.values
        ],
        "deadlines": deadlines.open_deadlines(app, timezone.localdate()),
        "history": _history(app),
        "certificate": _certificate(app),
        "actions": blocks,
        "documents_form": documents_form,
        "illegal": illegal,
        "print_forms": [
            (
                str(FORM_LABELS[form]),
                reverse(
                    "web:status_application_print", kwargs={"application_id": app.id, "form": form}
                ),
            )
            for form in printable
        ],
        **_payment_context(actor, app, bound),
        "file": file,
    }
    return render(request, "status/application_detail.html", context, status=status)


def _file_context(actor: Actor, app: StatusApplication) -> dict[str, Any] | None:
    """What the personal file holds, as far as the actor reads it (access.casework): the
    identity and documents, the case facts, the attachments. Audited as a read."""
    file = casework_gate.application_file(actor, app)
    if file is None:
        return None
    case, scope = file.case, file.scope
    identity = (
        open_identity(case.person, columns=FILE_COLUMNS) if scope.shows_person(case) else None
    )
    view = case_presenters.case_view(case, identity, scope)
    record(
        action="status.file_viewed",
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type="case",
        object_id=case.id,
        purpose=PURPOSE,
        detail={
            "application": str(app.id),
            "categories": sorted(scope.categories(case)),
            "attachments": [str(a.id) for a in file.attachments],
        },
    )
    return {
        "name": view["name"],
        "sections": view["sections"],
        "attachments": [
            {
                "attachment": a,
                "title": sealing.attachment_title(a, case.person),
                "category": code_list(DATA_CATEGORY).label(a.category),
            }
            for a in file.attachments
        ],
    }


# What the file shows of the identity (no contact or health columns are decrypted).
FILE_COLUMNS = (
    "first_name",
    "middle_name",
    "family_name",
    "aliases",
    "birth_date",
    "documents",
    "rnokpp",
    "origin_detail",
)


FORM_LABELS = {
    forms_pdf.QUESTIONNAIRE: gettext_lazy("Interview questionnaire"),
    forms_pdf.CERTIFICATE: gettext_lazy("Certificate of the status"),
    forms_pdf.DECISION: gettext_lazy("Decision on the status"),
}

# What the certificate prints of the identity (only these columns are decrypted).
CERTIFICATE_COLUMNS = ("first_name", "middle_name", "family_name", "birth_date")


# --- views ---------------------------------------------------------------------------------


def _fetch(actor: Actor, application_id: object) -> StatusApplication:
    return gate.get_application_for(
        actor,
        application_id,
        None,
        queryset=queries.with_detail_data(StatusApplication.objects.all()),
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest, case_id: str) -> HttpResponse:
    actor = request_actor(request)
    case = policy.get_case_for(actor, case_id, roles.STATUS_REGISTER)
    form = sf.RegisterApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            app = services.register_application(actor=actor, case=case, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The application was registered."))
            return redirect("web:status_application_detail", application_id=app.id)
    return render(
        request,
        "status/application_form.html",
        {"case": case, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@login_required
def application_detail(request: HttpRequest, application_id: str) -> HttpResponse:
    actor = request_actor(request)
    app = _fetch(actor, application_id)
    _audit_view(actor, app)
    return _render_detail(request, actor, app)


def _submit(
    request: HttpRequest,
    actor: Actor,
    app: StatusApplication,
    key: str,
    form: forms.Form,
    call: Callable[[dict[str, Any]], object],
    done: str,
    next_page: Callable[[], HttpResponse] | None = None,
) -> HttpResponse:
    """A form on the application page: call the service with the valid form; an illegal
    transition answers 409 with the page, refused fields go back to the form (422), success
    says ``done`` and goes to the page (or ``next_page``)."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except IllegalTransition as exc:  # someone else moved the file meanwhile
            return _render_detail(request, actor, app, illegal=illegal_message(exc), status=409)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, done)
            if next_page is not None:
                return next_page()
            return redirect("web:status_application_detail", application_id=app.id)
    return _render_detail(request, actor, app, bound={key: form}, status=422)


def _transition_view(action: str) -> Callable[[HttpRequest, str], HttpResponse]:
    @login_required
    @require_POST
    def view(request: HttpRequest, application_id: str) -> HttpResponse:
        actor = request_actor(request)
        app = _fetch(actor, application_id)
        try:
            gate.authorize_transition(actor, app, action)
        except IllegalTransition as exc:
            return _render_detail(request, actor, app, illegal=illegal_message(exc), status=409)

        def after() -> HttpResponse:
            # Forwarding or returning a file can hand it to another agency.
            if gate.visible_applications(actor).filter(pk=app.pk).exists():
                return redirect("web:status_application_detail", application_id=app.id)
            return redirect("web:action_needed")

        return _submit(
            request,
            actor,
            app,
            action,
            sf.action_form(action, request.POST),
            lambda data: ACTIONS[action].service(actor=actor, application=app, **data),
            _("Recorded: %(step)s.") % {"step": STEP_DONE[action]},
            after,
        )

    view.__name__ = f"status_{action}"
    return view


TRANSITION_VIEWS = {action: _transition_view(action) for action in ACTIONS}


@login_required
@require_POST
def documents_update(request: HttpRequest, application_id: str) -> HttpResponse:
    actor = request_actor(request)
    app = _fetch(actor, application_id)
    gate.authorize_documents_update(actor, app)
    return _submit(
        request,
        actor,
        app,
        "update_documents",
        sf.DocumentsForm(request.POST, prefix="documents"),
        lambda data: services.update_documents(actor=actor, application=app, **data),
        _("The documents checklist was saved."),
    )


@login_required
@require_POST
def payment_claim(request: HttpRequest, application_id: str) -> HttpResponse:
    actor = request_actor(request)
    app = _fetch(actor, application_id)
    gate.authorize_payment(actor, app)
    return _submit(
        request,
        actor,
        app,
        wf.CLAIM,
        sf.ClaimPaymentForm(request.POST, prefix=wf.CLAIM),
        lambda data: payment_services.claim_payment(actor=actor, application=app, **data),
        _("The claim was recorded."),
    )


@login_required
@require_POST
def payment_pay(request: HttpRequest, payment_id: str) -> HttpResponse:
    actor = request_actor(request)
    payment = gate.get_payment_for(actor, payment_id, roles.PAYMENT_MANAGE)
    app = _fetch(actor, payment.application_id)
    return _submit(
        request,
        actor,
        app,
        wf.PAY,
        sf.PayForm(request.POST, prefix=wf.PAY),
        lambda data: payment_services.pay(actor=actor, payment=payment, **data),
        _("The payment was recorded."),
    )


# --- the case's status page: applications and reflection periods ------------------------------


def _render_case_status(
    request: HttpRequest,
    actor: Actor,
    case: Case,
    *,
    reflection_form: Form | None = None,
    end_forms: dict[str, Form] | None = None,
    illegal: str = "",
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    may_change = roles.CASE_CHANGE in policy.case_access(actor, case).permissions
    foreign = "UA" not in (case.person.citizenships or [])
    end_forms = end_forms or {}
    periods = [
        {
            "period": p,
            "active": p.is_active_on(today),
            "days_left": (p.ends_on - today).days + 1 if p.is_active_on(today) else None,
            "reason": codes.REFLECTION_END_REASON.label(p.ended_early_reason),
            "end_form": (end_forms.get(str(p.id)) or sf.EndReflectionPeriodForm(prefix="end"))
            if may_change and p.ended_early_on is None and p.ends_on >= today
            else None,
            "open": str(p.id) in end_forms,
        }
        for p in ReflectionPeriod.objects.filter(case=case)
    ]
    applications = gate.visible_applications(actor).filter(case=case).order_by("-applied_on")
    return render(
        request,
        "status/case_status.html",
        {
            "case": case,
            "applications": [
                {"app": a, "state": wf.state_label(a.state), "due": a.next_due_on}
                for a in applications
            ],
            "can_register": gate.may_register(actor),
            "foreign": foreign,
            "periods": periods,
            "reflection_form": (reflection_form or sf.ReflectionPeriodForm(prefix="reflection"))
            if may_change and foreign and reflection.enabled()
            else None,
            "reflection_rule": deadlines.rule(deadlines.REFLECTION),
            "reflection_enabled": reflection.enabled(),
            "reflection_policy": reflection.POLICY_NOTE,
            "reflection_source": reflection.POLICY_SOURCE,
            "illegal": illegal,
        },
        status=status,
    )


@login_required
def case_status_procedure(request: HttpRequest, case_id: str) -> HttpResponse:
    actor = request_actor(request)
    case = policy.get_case_for(actor, case_id, roles.CASE_VIEW)
    # The status procedure is shown to those who take part in it, not to every share.
    if not gate.takes_part(actor, case):
        raise PermissionDenied(roles.STATUS_PROCESS)
    return _render_case_status(request, actor, case)


@login_required
@require_POST
def reflection_start(request: HttpRequest, case_id: str) -> HttpResponse:
    actor = request_actor(request)
    case = policy.get_case_for(actor, case_id, roles.CASE_CHANGE)
    form = sf.ReflectionPeriodForm(request.POST, prefix="reflection")
    if form.is_valid():
        try:
            reflection.start_reflection_period(actor=actor, case=case, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The reflection period was recorded."))
            return redirect("web:case_status_procedure", case_id=case.id)
    return _render_case_status(request, actor, case, reflection_form=form, status=422)


@login_required
@require_POST
def reflection_end(request: HttpRequest, reflection_id: str) -> HttpResponse:
    actor = request_actor(request)
    period = gate.get_reflection_period_for(actor, reflection_id, roles.CASE_CHANGE)
    form = sf.EndReflectionPeriodForm(request.POST, prefix="end")
    if form.is_valid():
        try:
            reflection.end_reflection_period(actor=actor, period=period, **form.cleaned_data)
        except IllegalTransition as exc:
            return _render_case_status(
                request, actor, period.case, illegal=illegal_message(exc), status=409
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The end of the reflection period was recorded."))
            return redirect("web:case_status_procedure", case_id=period.case_id)
    return _render_case_status(
        request, actor, period.case, end_forms={str(period.id): form}, status=422
    )


# --- overdue and nearing, for the actor's agency ---------------------------------------------


@dataclass(frozen=True)
class DueRow:
    kind: str
    label: str
    journal_number: str
    case_reference: str
    due: Any
    standing: str
    standing_label: str
    url: str


@login_required
def deadlines_list(request: HttpRequest) -> HttpResponse:
    """Applications whose file the agency holds and unpaid payments: overdue and nearing."""
    actor = request_actor(request)
    if not gate.has_status_role(actor):
        raise PermissionDenied
    today = timezone.localdate()
    held = gate.visible_applications(actor).filter(queries.handled_by(actor.agency_id))
    rows = []
    for app in queries.due_soon_or_overdue(held, today):
        due = app.next_due_on
        standing = deadlines.standing(due, today) or ""
        rows.append(
            DueRow(
                kind="application",
                label=str(deadlines.rule(app.due_step).label) if app.due_step else "",
                journal_number=app.journal_number,
                case_reference=app.case.reference,
                due=due,
                standing=standing,
                standing_label=str(deadlines.STANDING_LABELS.get(standing, "")),
                url=reverse("web:status_application_detail", kwargs={"application_id": app.id}),
            )
        )
    payments = OneTimePayment.objects.filter(
        application__in=held.filter(receiving_agency_id=actor.agency_id)
    ).select_related("application__case")
    payment_window = deadlines.window("payment_nearing_days")
    for payment in queries.unpaid_payments(payments):
        standing = deadlines.standing(payment.due_on, today, nearing_days=payment_window) or ""
        if standing not in (deadlines.NEARING, deadlines.OVERDUE):
            continue
        rows.append(
            DueRow(
                kind="payment",
                label=str(deadlines.rule(deadlines.PAYMENT).label),
                journal_number=payment.application.journal_number,
                case_reference=payment.application.case.reference,
                due=payment.due_on,
                standing=standing,
                standing_label=str(deadlines.STANDING_LABELS[standing]),
                url=reverse(
                    "web:status_application_detail",
                    kwargs={"application_id": payment.application_id},
                ),
            )
        )
    rows.sort(key=lambda r: (r.standing != deadlines.OVERDUE, r.due))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "status/deadlines.html",
        {
            "page": page,
            "rows": page.object_list,
            "nearing_days": deadlines.window("nearing_days"),
            "overdue_count": sum(1 for r in rows if r.standing == deadlines.OVERDUE),
            "journal_period": (today.replace(month=1, day=1), today)
            if gate.may_print_journal(actor)
            else None,
        },
    )


# --- the ministry's forms as PDF (always Ukrainian) -------------------------------------------


def _pdf_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def application_print(request: HttpRequest, application_id: str, form: str) -> HttpResponse:
    """One form of an application as PDF: the questionnaire, the certificate (names the
    person: only where the identity shows), the decision. Audited with the form and the id."""
    actor = request_actor(request)
    if form not in forms_pdf.APPLICATION_FORMS:
        raise Http404
    app = gate.get_application_for(
        actor,
        application_id,
        None,
        queryset=StatusApplication.objects.select_related(
            "case__person", "receiving_agency", "national_agency"
        ).prefetch_related("extensions"),
    )
    gate.authorize_print(actor, app, form)
    if form == forms_pdf.CERTIFICATE:
        identity = open_identity(app.case.person, columns=CERTIFICATE_COLUMNS)
        content = forms_pdf.certificate_pdf(app, identity)
    elif form == forms_pdf.DECISION:
        content = forms_pdf.decision_pdf(app)
    else:
        content = forms_pdf.questionnaire_pdf(app)
    record(
        action="status.form_printed",
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type="case",
        object_id=app.case_id,
        purpose=PURPOSE,
        detail={"form": form, "application": str(app.id)},
    )
    return _pdf_response(content, forms_pdf.filename(form, app))


def _journal_period(request: HttpRequest) -> tuple[dt.date, dt.date] | None:
    """The journal's period from `?from=&to=` (ISO dates); by default the current year to
    date. None when a date is invalid or the period ends before it starts."""
    today = timezone.localdate()
    try:
        end = dt.date.fromisoformat(request.GET["to"]) if request.GET.get("to") else today
        start = (
            dt.date.fromisoformat(request.GET["from"])
            if request.GET.get("from")
            else end.replace(month=1, day=1)
        )
    except ValueError:
        return None
    return (start, end) if start <= end else None


@login_required
def journal_print(request: HttpRequest) -> HttpResponse:
    """The receiving office's journal of registration of applications for a period, as PDF."""
    actor = request_actor(request)
    applications = gate.journal_applications(actor)  # PermissionDenied for other agencies
    period = _journal_period(request)
    if period is None:
        return HttpResponseBadRequest(
            _("Give the period as two dates (YYYY-MM-DD), the first not after the second.")
        )
    start, end = period
    rows = list(applications.filter(applied_on__gte=start, applied_on__lte=end))
    assert actor.agency is not None
    content = forms_pdf.journal_pdf(
        rows, agency_name=actor.agency.display_name, start=start, end=end
    )
    record(
        action="status.form_printed",
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type="agency",
        object_id=actor.agency_id,
        purpose=PURPOSE,
        detail={
            "form": forms_pdf.JOURNAL,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "applications": [str(app.id) for app in rows],
        },
    )
    return _pdf_response(content, forms_pdf.filename(forms_pdf.JOURNAL, start=start, end=end))
