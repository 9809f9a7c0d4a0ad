"""Assistance pages: the provider directory, a case's support plan and services.

Thin: fetch through the gate (`access.assistance`, 404 hidden, 403 not allowed), validate a
form, call the service, redirect; a form error re-renders with 422 next to the field.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opennrm.access import assistance as gate
from opennrm.access import policy, roles
from opennrm.audit.services import record
from opennrm.cases.models import Case
from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.core.workflow import IllegalTransition
from opennrm.nrm.assistance import queries, services
from opennrm.nrm.assistance.models import ServiceDelivery, ServiceProvider
from opennrm.nrm.assistance.objectives import open_objectives
from opennrm.nrm.assistance.types import referral_purpose, type_label
from opennrm.nrm.assistance.workflow import CANCEL, DELIVER, SERVICE, STATE_LABELS
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency
from opennrm.web.assistance import forms as af
from opennrm.web.context import request_actor
from opennrm.web.forms import apply_service_errors

PAGE_SIZE = 25
CITIZENSHIP_LABELS = dict(af.CITIZENSHIP_CHOICES)


def _status(request: HttpRequest) -> int:
    return 422 if request.method == "POST" else 200


def _audit_view(actor: Actor, case: Case, plans: int) -> None:
    record(
        action="assistance.viewed",
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type="case",
        object_id=case.id,
        detail={"plans": plans},
    )


def _uuid_or_none(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


# --- the provider directory ------------------------------------------------------------------


def _eligibility_text(p: ServiceProvider) -> str:
    parts = []
    if p.sexes:
        parts.append(", ".join(code_list(codes.GENDER).label(s) for s in p.sexes))
    if p.min_age is not None or p.max_age is not None:
        low = "" if p.min_age is None else str(p.min_age)
        high = "" if p.max_age is None else str(p.max_age)
        parts.append(_("age %(low)s–%(high)s") % {"low": low, "high": high})
    if p.citizenship != "any":
        parts.append(str(CITIZENSHIP_LABELS[p.citizenship]))
    return "; ".join(parts) or _("anyone")


def _provider_row(
    p: ServiceProvider,
    case: Case | None,
    editable: set[uuid.UUID],
    refer: bool,
    plan: bool,
    kind: str,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "provider": p,
        "name": p.display_name,
        "services": ", ".join(type_label(t) for t in p.services),
        "oblast": code_list(codes.OBLAST).label(p.oblast),
        "eligibility": _eligibility_text(p),
        "can_edit": p.id in editable,
    }
    if case is None:
        return row
    if refer and p.is_active and p.agency.is_active and p.agency_id != case.owner_agency_id:
        purpose = referral_purpose(kind, offered=p.services)
        query = urlencode({"to_agency": str(p.agency_id), "purpose": purpose})
        row["refer_url"] = reverse("web:referral_new", kwargs={"case_id": case.id}) + "?" + query
    if plan and p.is_active:
        query = urlencode({"provider": str(p.id), **({"type": kind} if kind else {})})
        row["plan_url"] = reverse("web:service_new", kwargs={"case_id": case.id}) + "?" + query
    return row


@login_required
@require_GET
def provider_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    gate.require_directory(actor)
    form = af.ProviderFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    case = gate.get_case_for_search(actor, data["case"]) if data.get("case") else None
    who = queries.eligibility_of(case) if case is not None and data.get("eligible") else None
    filters = queries.ProviderFilters(
        type=data.get("type") or "",
        oblast=data.get("oblast") or "",
        free_beds=bool(data.get("free_beds")),
        eligible_for=who,
        include_inactive=case is None,
    )
    rows = queries.provider_directory(gate.visible_providers(actor), filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [p.id for p in page.object_list]
    editable = set(gate.editable_providers(actor).filter(id__in=ids).values_list("id", flat=True))
    access = policy.case_access(actor, case) if case is not None else None
    refer = access is not None and access.is_owner and roles.REFERRAL_CREATE in access.permissions
    plan = access is not None and roles.ASSISTANCE_MANAGE in access.permissions
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assistance/provider_list.html",
        {
            "form": form,
            "case": case,
            "page": page,
            "query": query.urlencode(),
            "rows": [_provider_row(p, case, editable, refer, plan, filters.type) for p in page],
            "can_add": gate.provider_agencies(actor).exists(),
        },
    )


def _provider_input(data: dict[str, Any]) -> services.ProviderInput:
    return services.ProviderInput(
        agency=data["agency"],
        name=data["name"],
        services=data["services"],
        oblast=data["oblast"],
        sexes=data["sexes"],
        min_age=data["min_age"],
        max_age=data["max_age"],
        citizenship=data["citizenship"],
        beds_total=data["beds_total"],
        beds_free=data["beds_free"],
        is_active=data["is_active"],
    )


def _provider_form_page(
    request: HttpRequest, actor: Actor, provider: ServiceProvider | None
) -> HttpResponse:
    agencies = gate.provider_agencies(actor)
    initial: dict[str, Any] = (
        af.provider_initial(provider)
        if provider is not None
        else {"agency": actor.agency_id, "citizenship": "any", "is_active": True}
    )
    form = af.ProviderForm(request.POST or None, agencies=agencies, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = _provider_input(form.cleaned_data)
        gate.authorize_provider_agency(actor, data.agency)
        try:
            if provider is None:
                services.add_provider(actor=actor, data=data)
            else:
                services.update_provider(actor=actor, provider=provider, data=data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The directory entry was saved."))
            return redirect("web:provider_list")
    return render(
        request,
        "assistance/provider_form.html",
        {"form": form, "provider": provider},
        status=_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_new(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    policy.require(actor, roles.PROVIDER_MANAGE)
    if not gate.provider_agencies(actor).exists():
        raise PermissionDenied(roles.PROVIDER_MANAGE)  # no agency to keep entries for
    return _provider_form_page(request, actor, None)


@login_required
@require_http_methods(["GET", "POST"])
def provider_edit(request: HttpRequest, provider_id: str) -> HttpResponse:
    actor = request_actor(request)
    provider = gate.get_provider_for(actor, provider_id, roles.PROVIDER_MANAGE)
    return _provider_form_page(request, actor, provider)


# --- a case's support plan and services ------------------------------------------------------


def _service_row(s: ServiceDelivery, manage: bool) -> dict[str, Any]:
    if s.provider is not None:
        provider = s.provider.display_name
    else:
        provider = s.provider_agency.display_name if s.provider_agency is not None else "—"
    return {
        "service": s,
        "type": type_label(s.type),
        "provider": provider,
        "state": STATE_LABELS.get(s.state, s.state),
        "can_deliver": manage and s.state in SERVICE.transition(DELIVER).source,
        "can_cancel": manage and s.state in SERVICE.transition(CANCEL).source,
    }


@login_required
@require_GET
def assistance_case(request: HttpRequest, case_id: str) -> HttpResponse:
    actor = request_actor(request)
    # Assistance reveals health and psycho-social help: only those who provide it see it
    # (the owner agency, or a share for an assistance purpose), never a justice-purpose share.
    case = policy.get_case_for(actor, case_id, roles.ASSISTANCE_MANAGE)
    access = policy.case_access(actor, case)
    manage = roles.ASSISTANCE_MANAGE in access.permissions
    sees = gate.sees_objectives(actor, case)
    plans = list(queries.plans_of(gate.visible_plans(actor), case).select_related("agency"))
    plan_rows = [
        {
            "plan": plan,
            "objectives": open_objectives(plan) if sees else None,
            "types": ", ".join(
                code_list(codes.SUPPORT_TYPE).label(t) for t in queries.plan_htcds_types(plan)
            ),
        }
        for plan in plans
    ]
    if sees and plans:
        _audit_view(actor, case, len(plans))
    rows = [
        _service_row(s, manage) for s in queries.services_of(gate.visible_services(actor), case)
    ]
    first = queries.first_assistance_on(case)
    return render(
        request,
        "assistance/case_assistance.html",
        {
            "case": case,
            "plans": plan_rows,
            "services": rows,
            "sees_objectives": sees,
            "can_manage": manage and case.status not in codes.CLOSED_STATUSES,
            "can_write_plans": manage and sees and case.status not in codes.CLOSED_STATUSES,
            "can_edit_plans": manage and sees,
            "can_close": roles.CASE_CHANGE in access.permissions,
            "case_status": code_list(codes.CASE_STATUS).label(case.status),
            "closure_reason": code_list(codes.CLOSURE_REASON).label(case.closure_reason)
            if case.closure_reason
            else "",
            "first_assistance_on": first,
            "days_to_first": None if first is None else (first - case.identified_on).days,
            "directory_query": urlencode({"case": str(case.id), "eligible": "on"}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest, case_id: str) -> HttpResponse:
    actor = request_actor(request)
    case = gate.get_case_for_plans(actor, case_id)
    form = af.PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_plan(
                actor=actor,
                case=case,
                objectives=form.cleaned_data["objectives"],
                planned_end_date=form.cleaned_data["planned_end_date"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The support plan was recorded."))
            return redirect("web:assistance_case", case_id=case.id)
    return render(
        request,
        "assistance/plan_form.html",
        {"case": case, "form": form, "plan": None},
        status=_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, plan_id: str) -> HttpResponse:
    actor = request_actor(request)
    plan = gate.get_plan_for(actor, plan_id, roles.ASSISTANCE_MANAGE)
    initial = {
        "objectives": open_objectives(plan),
        "planned_end_date": plan.planned_end_date,
        "actual_end_date": plan.actual_end_date,
    }
    form = af.PlanForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(
                actor=actor,
                plan=plan,
                objectives=form.cleaned_data["objectives"],
                planned_end_date=form.cleaned_data["planned_end_date"],
                actual_end_date=form.cleaned_data["actual_end_date"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The support plan was saved."))
            return redirect("web:assistance_case", case_id=plan.case_id)
    elif request.method == "GET":
        _audit_view(actor, plan.case, 1)
    return render(
        request,
        "assistance/plan_form.html",
        {"case": plan.case, "form": form, "plan": plan},
        status=_status(request),
    )


def _provider_choices(actor: Actor) -> dict[str, Any]:
    return {
        "providers": gate.visible_providers(actor).filter(is_active=True),
        "agencies": Agency.objects.filter(is_active=True),
    }


@login_required
@require_http_methods(["GET", "POST"])
def service_new(request: HttpRequest, case_id: str) -> HttpResponse:
    actor = request_actor(request)
    case = policy.get_case_for(actor, case_id, roles.ASSISTANCE_MANAGE)
    plans = queries.plans_of(gate.visible_plans(actor), case).filter(actual_end_date__isnull=True)
    initial = {
        "type": request.GET.get("type", ""),
        "provider": _uuid_or_none(request.GET.get("provider")),
        "plan": plans.values_list("id", flat=True).first(),
    }
    form = af.ServiceForm(
        request.POST or None, initial=initial, plans=plans, **_provider_choices(actor)
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.plan_service(
                actor=actor,
                case=case,
                type=d["type"],
                plan=d["plan"],
                provider=d["provider"],
                provider_agency=d["provider_agency"],
                planned_on=d["planned_on"],
                planned_end_on=d["planned_end_on"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The service was planned."))
            return redirect("web:assistance_case", case_id=case.id)
    return render(
        request,
        "assistance/service_form.html",
        {"case": case, "form": form, "service": None},
        status=_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_deliver(request: HttpRequest, service_id: str) -> HttpResponse:
    actor = request_actor(request)
    service = gate.get_service_for(actor, service_id, roles.ASSISTANCE_MANAGE)
    initial = {
        "provider": service.provider_id,
        "provider_agency": None if service.provider_id else service.provider_agency_id,
        "delivered_from": service.delivered_from,
        "delivered_until": service.delivered_until,
    }
    form = af.DeliveryForm(request.POST or None, initial=initial, **_provider_choices(actor))
    status = _status(request)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.record_delivery(
                actor=actor,
                service=service,
                delivered_from=d["delivered_from"],
                delivered_until=d["delivered_until"],
                provider=d["provider"],
                provider_agency=d["provider_agency"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except IllegalTransition:
            form.add_error(None, _("This service was cancelled: its delivery cannot be recorded."))
            status = 409
        else:
            messages.success(request, _("The delivery was recorded."))
            return redirect("web:assistance_case", case_id=service.case_id)
    return render(
        request,
        "assistance/service_form.html",
        {
            "case": service.case,
            "form": form,
            "service": service,
            "type": type_label(service.type),
        },
        status=status,
    )


@login_required
@require_POST
def service_cancel(request: HttpRequest, service_id: str) -> HttpResponse:
    actor = request_actor(request)
    service = gate.get_service_for(actor, service_id, roles.ASSISTANCE_MANAGE)
    try:
        services.cancel_service(actor=actor, service=service)
    except IllegalTransition:
        messages.error(request, _("Only a planned service can be cancelled."))
    else:
        messages.success(request, _("The service was cancelled."))
    return redirect("web:assistance_case", case_id=service.case_id)
