"""Thin views: fetch through the access gate, validate a form, call a service, render."""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from opennrm.access import justice as justice_gate
from opennrm.access import linkage as linkage_gate
from opennrm.access import policy, roles
from opennrm.access.scope import field_scope
from opennrm.access.screening import subject_scope, visible_screenings
from opennrm.audit.queries import events_for_object
from opennrm.audit.services import record
from opennrm.cases import queries as case_queries
from opennrm.cases.services import (
    change_case_status,
    register_case,
    update_case,
)
from opennrm.cases.workflow import CASE as CASE_WORKFLOW
from opennrm.casework import services as casework_services
from opennrm.core.workflow import IllegalTransition
from opennrm.justice import queries as justice_queries
from opennrm.nrm.referrals import services as referral_services
from opennrm.nrm.screening import queries as screening_queries
from opennrm.people.identity import open_identity
from opennrm.tenancy.models import Agency
from opennrm.web.audit.presenters import audit_rows
from opennrm.web.cases import presenters, withdrawal
from opennrm.web.cases.forms import (
    CaseStatusForm,
    ConsentForm,
    PersonCaseForm,
    event_formset,
)
from opennrm.web.casework import uploads
from opennrm.web.context import audit, request_actor
from opennrm.web.forms import apply_service_errors
from opennrm.web.referrals.views import referral_row
from opennrm.web.screening import presenters as screening_presenters

PAGE_SIZE = 25


def _apply_service_errors(
    form: PersonCaseForm | Form, exc: ValidationError, events: Any = None
) -> None:
    """The shared form helper; an event row's errors go to that row of the event formset."""
    own: dict[str, list[str]] = {}
    for key, errors in exc.message_dict.items():
        if key.startswith("events[") and events is not None:
            index = int(key[len("events[") : key.index("]")])
            for message in errors:
                events.forms[index].add_error(key.split(".", 1)[1], message)
        else:
            own[key] = list(errors)
    rename = form.SERVICE_RENAMES if isinstance(form, PersonCaseForm) else None
    apply_service_errors(form, ValidationError(own), rename)


# The case list (search, sort, export, saved searches, bulk changes): web/cases/list_views.py.


def _form_context(form: PersonCaseForm, events: Any, **extra: Any) -> dict[str, Any]:
    return {"form": form, "events": events, "sections": presenters.form_sections(form), **extra}


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    policy.require(actor, roles.CASE_CREATE)
    form = PersonCaseForm(request.POST or None, initial={"identified_on": timezone.localdate()})
    events = event_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() and events.is_valid():
        event_inputs = [e for f in events.forms if (e := f.event_input()) is not None]
        try:
            case = register_case(
                actor=actor, person=form.person_input(), case=form.case_input(event_inputs)
            )
        except ValidationError as exc:
            _apply_service_errors(form, exc, events)
        else:
            messages.success(request, _("The case was registered."))
            return redirect("web:case_detail", case_id=case.id)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "web/case_form.html",
        _form_context(form, events, title=_("Register a person and a case")),
        status=status,
    )


@login_required
def case_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    actor = request_actor(request)
    case = policy.get_case_for(
        actor,
        case_id,
        roles.CASE_VIEW,
        queryset=case_queries.with_detail_data(policy.visible_cases(actor)),
    )
    access = policy.case_access(actor, case)
    scope = field_scope(actor, [case.id])
    identity = open_identity(case.person) if scope.shows_person(case) else None
    record(
        action="case.viewed",
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type="case",
        object_id=case.id,
        purpose=access.purpose,
        detail={"relation": access.relation},
    )
    return render(
        request,
        "web/case_detail.html",
        {
            "case": case,
            "access": access,
            "view": presenters.case_view(case, identity, scope),
            **policy.case_actions(access).as_flags(),
            "known_elsewhere": linkage_gate.known_elsewhere_hint(actor, case),
            "show_milestones": justice_gate.shows_milestones(scope, case),
            "milestones": presenters.milestone_rows(
                justice_queries.milestones(case, timezone.localdate())
                if justice_gate.shows_milestones(scope, case)
                else []
            ),
            "status_actions": CASE_WORKFLOW.available(case.status, access.permissions),
            "status_form": CaseStatusForm(),
            "referrals": [
                referral_row(r)
                for r in policy.visible_referrals(actor)
                .filter(case=case)
                .select_related("from_agency", "to_agency")
            ],
            "screenings": screening_presenters.screening_rows(
                screening_queries.screenings_of_case(visible_screenings(actor), case),
                subject_scope(actor),
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, case_id: str) -> HttpResponse:
    actor = request_actor(request)
    case = policy.get_case_for(
        actor,
        case_id,
        roles.CASE_CHANGE,
        queryset=case_queries.with_detail_data(policy.visible_cases(actor)),
    )
    identity = open_identity(case.person)
    if request.method == "GET":
        audit(actor, "case.viewed", "case", case.id, for_edit=True)
    form = PersonCaseForm(request.POST or None, initial=PersonCaseForm.initial_for(case, identity))
    events = event_formset(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid() and events.is_valid():
        event_inputs = [e for f in events.forms if (e := f.event_input()) is not None]
        try:
            update_case(
                actor=actor,
                case=case,
                person=form.person_input(),
                facts=form.case_input(event_inputs),
            )
        except ValidationError as exc:
            _apply_service_errors(form, exc, events)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("web:case_detail", case_id=case.id)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "web/case_form.html",
        _form_context(
            form, events, title=_("Edit case %(ref)s") % {"ref": case.reference}, case=case
        ),
        status=status,
    )


@login_required
def case_history(request: HttpRequest, case_id: str) -> HttpResponse:
    actor = request_actor(request)
    case = policy.get_case_for(actor, case_id, roles.CASE_HISTORY)
    # Record the view first: the page then counts and shows the same set of events.
    audit(actor, "case.history_viewed", "case", case.id)
    page = Paginator(events_for_object("case", case.id), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "web/case_history.html",
        {
            "case": case,
            "page": page,
            "rows": audit_rows(page.object_list),
        },
    )


@csrf_exempt  # checked below, after the upload handler is set (the signed form stays in memory)
@login_required
@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, case_id: str) -> HttpResponse:
    uploads.keep_in_memory(request)
    return _consent_create(request, case_id)


@csrf_protect
def _consent_create(request: HttpRequest, case_id: str) -> HttpResponse:
    actor = request_actor(request)
    case = policy.get_case_for(actor, case_id, roles.CONSENT_MANAGE)
    form = ConsentForm(
        request.POST or None, request.FILES or None, agencies=Agency.objects.filter(is_active=True)
    )
    if request.method == "POST" and uploads.too_large(request):
        form = ConsentForm(agencies=Agency.objects.filter(is_active=True))
        form.add_error(
            None, _("The file is larger than %(n)d MB.") % {"n": uploads.limit() // 1048576}
        )
    elif request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            casework_services.record_consent_with_form(
                actor=actor,
                case=case,
                signed_form=d["signed_form"].read() if d.get("signed_form") else None,
                legal_basis=d["legal_basis"],
                purposes=d["purposes"],
                data_categories=d["data_categories"],
                recipient=d["recipient"],
                given_on=d["given_on"],
                given_by=d["given_by"],
                representative_role=d["representative_role"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, {"file": "signed_form"})
        else:
            messages.success(request, _("The consent was recorded."))
            return redirect(reverse("web:case_detail", kwargs={"case_id": case.id}) + "#consent")
    return render(
        request,
        "web/consent_form.html",
        {"case": case, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, consent_id: str) -> HttpResponse:
    """Withdraw a consent after a confirmation page that lists the referrals and shares it ends."""
    actor = request_actor(request)
    consent = policy.get_consent_for(actor, consent_id, roles.CONSENT_MANAGE)
    back = reverse("web:case_detail", kwargs={"case_id": consent.case_id}) + "#consent"
    if consent.withdrawn_on is not None:
        messages.info(request, _("This consent was already withdrawn."))
        return HttpResponseRedirect(back)
    if request.method == "GET":
        return render(request, "web/consent_withdraw.html", withdrawal.consent_withdrawal(consent))
    with contextlib.suppress(ValidationError):  # withdrawn meanwhile: show the case as it is
        ended = referral_services.withdraw_consent(actor=actor, consent=consent)
        messages.success(
            request,
            ngettext(
                "The consent was withdrawn. %(count)d referral or share resting on it ended.",
                "The consent was withdrawn. %(count)d referrals or shares resting on it ended.",
                len(ended),
            )
            % {"count": len(ended)}
            if ended
            else _("The consent was withdrawn. No referral or share rested on it."),
        )
    return HttpResponseRedirect(back)


@login_required
@require_POST
def case_status(request: HttpRequest, case_id: str) -> HttpResponse:
    """Close, reopen or move a case to follow-up (cases/workflow.py decides what is legal)."""
    actor = request_actor(request)
    case = policy.get_case_for(actor, case_id, roles.CASE_CHANGE)
    form = CaseStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the case."))
    else:
        try:
            change_case_status(
                actor=actor,
                case=case,
                action=form.cleaned_data["action"],
                closure_reason=form.cleaned_data["closure_reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except IllegalTransition as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The case status was changed."))
    return redirect("web:case_detail", case_id=case.id)
