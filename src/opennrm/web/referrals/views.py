"""Referral pages: send a case, answer, cancel or end; incoming and outgoing lists."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opennrm.access import policy, roles
from opennrm.access.scope import field_scope
from opennrm.core.codes import DATA_CATEGORY, LEGAL_BASIS, PURPOSE, code_list
from opennrm.core.workflow import IllegalTransition
from opennrm.nrm.referrals import services
from opennrm.nrm.referrals.models import Referral
from opennrm.nrm.referrals.queries import ReferralFilters, age_in_days, referral_list
from opennrm.nrm.referrals.workflow import STATE_LABELS
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency
from opennrm.web.context import audit_list, request_actor
from opennrm.web.forms import apply_service_errors
from opennrm.web.referrals.forms import DeclineForm, ReferralFilterForm, ReferralForm


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, case_id: str) -> HttpResponse:
    actor = request_actor(request)
    case = policy.get_case_for(actor, case_id, roles.REFERRAL_CREATE)
    if not policy.case_access(actor, case).is_owner:
        raise PermissionDenied
    may_override = policy.can(actor, roles.REFERRAL_OVERRIDE)
    agencies = Agency.objects.filter(is_active=True).exclude(id=case.owner_agency_id)
    initial: dict[str, object] = {
        "purpose": "StatusApplication",
        "data_categories": ["Identity", "CaseFacts"],
    }
    # The provider directory links here with the chosen agency and purpose.
    with contextlib.suppress(ValueError):
        wanted = uuid.UUID(request.GET.get("to_agency", ""))
        if agencies.filter(id=wanted).exists():
            initial["to_agency"] = wanted
    if request.GET.get("purpose", "") in code_list(PURPOSE):
        initial["purpose"] = request.GET["purpose"]
    form = ReferralForm(
        request.POST or None, agencies=agencies, may_override=may_override, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            referral = services.refer_case(
                actor=actor,
                case=case,
                to_agency=d["to_agency"],
                purpose=d["purpose"],
                data_categories=d["data_categories"],
                transfer=d["transfer"],
                note=d["note"],
                override_reason=d.get("override_reason", ""),
                allow_override=may_override,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The referral was sent."))
            return redirect("web:referral_detail", referral_id=referral.id)
    return render(
        request,
        "referrals/referral_form.html",
        {"case": case, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@login_required
def referral_list_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    policy.require(actor, roles.CASE_VIEW)
    form = ReferralFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = ReferralFilters(
        direction=data.get("direction") or "incoming", state=data.get("state") or ""
    )
    referrals = referral_list(policy.visible_referrals(actor), actor.agency_id, filters)
    page = Paginator(referrals, 25).get_page(request.GET.get("page"))
    audit_list(actor, "referral", page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/referral_list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "rows": [referral_row(r) for r in page.object_list],
        },
    )


def referral_row(referral: Referral) -> dict[str, object]:
    return {
        "referral": referral,
        "purpose": code_list(PURPOSE).label(referral.purpose),
        "state": STATE_LABELS.get(referral.state, referral.state),
        "age": age_in_days(referral),
    }


def _basis(actor: Actor, referral: Referral) -> dict[str, object]:
    """The referral's legal basis: its kind (the code list's label) and the date it was given,
    where the case's legal bases show (`OwnerOnly`: the owner agency, access/fields.py); the
    agency it was sent to learns only that one is recorded."""
    basis = referral.basis
    if basis is None or not field_scope(actor, [referral.case_id]).shows_field(
        referral.case, "consents"
    ):
        return {"basis_label": "", "basis_given_on": None}
    return {
        "basis_label": code_list(LEGAL_BASIS).label(basis.legal_basis),
        "basis_given_on": basis.given_on,
    }


@login_required
def referral_detail(request: HttpRequest, referral_id: str) -> HttpResponse:
    actor = request_actor(request)
    referral = policy.get_referral_for(actor, referral_id, roles.CASE_VIEW)
    incoming = referral.to_agency_id == actor.agency_id
    may_respond = incoming and policy.can(actor, roles.REFERRAL_RESPOND)
    may_manage = not incoming and policy.can(actor, roles.REFERRAL_CREATE)
    return render(
        request,
        "referrals/referral_detail.html",
        {
            **referral_row(referral),
            **_basis(actor, referral),
            "incoming": incoming,
            "categories": ", ".join(
                code_list(DATA_CATEGORY).label(c) for c in referral.data_categories
            ),
            "can_answer": may_respond and referral.state == "pending",
            "can_cancel": may_manage and referral.state == "pending",
            "can_revoke": may_manage and referral.state == "active",
            "case_visible": policy.visible_cases(actor).filter(id=referral.case_id).exists(),
            "decline_form": DeclineForm(),
        },
    )


def _answer(
    request: HttpRequest,
    referral_id: str,
    permission: str,
    act: Callable[[Actor, Referral], object],
    done: str,
) -> HttpResponse:
    """Fetch the referral through the gate, run one service, report the outcome, go back."""
    actor = request_actor(request)
    referral = policy.get_referral_for(actor, referral_id, permission)
    try:
        act(actor, referral)
    except (ValidationError, IllegalTransition) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, done)
    return redirect("web:referral_detail", referral_id=referral.id)


@login_required
@require_POST
def referral_accept(request: HttpRequest, referral_id: str) -> HttpResponse:
    return _answer(
        request,
        referral_id,
        roles.REFERRAL_RESPOND,
        lambda actor, r: services.accept_referral(actor=actor, referral=r),
        _("The referral was accepted."),
    )


@login_required
@require_POST
def referral_decline(request: HttpRequest, referral_id: str) -> HttpResponse:
    # Through the gate first: another agency gets 404 whatever it posts.
    policy.get_referral_for(request_actor(request), referral_id, roles.REFERRAL_RESPOND)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for declining."))
        return redirect("web:referral_detail", referral_id=referral_id)
    return _answer(
        request,
        referral_id,
        roles.REFERRAL_RESPOND,
        lambda actor, r: services.decline_referral(
            actor=actor, referral=r, reason=form.cleaned_data["reason"]
        ),
        _("The referral was declined."),
    )


@login_required
@require_POST
def referral_cancel(request: HttpRequest, referral_id: str) -> HttpResponse:
    return _answer(
        request,
        referral_id,
        roles.REFERRAL_CREATE,
        lambda actor, r: services.cancel_referral(actor=actor, referral=r),
        _("The referral was cancelled."),
    )


@login_required
@require_POST
def referral_revoke(request: HttpRequest, referral_id: str) -> HttpResponse:
    return _answer(
        request,
        referral_id,
        roles.REFERRAL_CREATE,
        lambda actor, r: services.revoke_referral(actor=actor, referral=r),
        _("Sharing with this agency has ended."),
    )
