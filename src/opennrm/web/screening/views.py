"""Screening with the ILO/EC indicators: thin views over the access gate and the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from opennrm.access import policy, roles
from opennrm.access.screening import get_screening_for, subject_scope, visible_screenings
from opennrm.audit.services import record
from opennrm.cases.models import Case
from opennrm.nrm.screening import indicators, queries
from opennrm.nrm.screening.labels import lists_label
from opennrm.nrm.screening.models import Screening
from opennrm.nrm.screening.services import attach_to_case, record_screening, update_answers
from opennrm.tenancy.actor import Actor
from opennrm.web.context import audit_list, request_actor
from opennrm.web.forms import apply_service_errors
from opennrm.web.screening import presenters
from opennrm.web.screening.forms import (
    AnswersForm,
    AttachForm,
    NewScreeningForm,
    ScreeningFilterForm,
)

PAGE_SIZE = 25


def _viewed(actor: Actor, screening: Screening, **detail: Any) -> None:
    record(
        action="screening.viewed",
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type="screening",
        object_id=screening.id,
        detail=detail,
    )


@login_required
@require_GET
def screening_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    policy.require(actor, roles.SCREENING_VIEW)
    form = ScreeningFilterForm(request.GET or None)
    status = 422 if form.is_bound and not form.is_valid() else 200
    filters = form.filters()
    visible = visible_screenings(actor)
    found = queries.filter_screenings(visible, filters)
    page = Paginator(queries.with_list_data(found), PAGE_SIZE).get_page(request.GET.get("page"))
    audit_list(actor, "screening", page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "screening/list.html",
        {
            "form": form,
            "page": page,
            "rows": presenters.screening_rows(page.object_list, subject_scope(actor)),
            "filters": filters,
            "filter_query": query.urlencode(),
            "can_record": policy.can(actor, roles.SCREENING_RECORD),
            "has_any": not filters.is_empty or page.paginator.count > 0 or visible.exists(),
        },
        status=status,
    )


def _case_to_attach(actor: Actor, case_id: object) -> Case | None:
    if not case_id:
        return None
    return policy.get_case_for(actor, case_id, roles.SCREENING_RECORD)


@login_required
@require_http_methods(["GET", "POST"])
def screening_new(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    policy.require(actor, roles.SCREENING_RECORD)
    case = _case_to_attach(actor, request.POST.get("case") or request.GET.get("case"))
    form = NewScreeningForm(request.POST or None, initial={"case": case.id if case else None})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            screening = record_screening(
                actor=actor,
                list_keys=form.list_keys(),
                subject=d["subject"],
                gender=d["gender"],
                case=case,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("The screening was started. Answer the indicators that apply.")
            )
            return redirect("web:screening_answers", screening_id=screening.id)
    return render(
        request,
        "screening/new.html",
        {"form": form, "case": case},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def screening_answers(request: HttpRequest, screening_id: str) -> HttpResponse:
    actor = request_actor(request)
    screening = get_screening_for(actor, screening_id, roles.SCREENING_RECORD)
    iset = indicators.indicator_set(screening.data_version)
    form = AnswersForm(
        request.POST or None,
        indicator_lists=[iset.list(k) for k in screening.list_keys],
        initial=AnswersForm.initial_for(screening.answers),
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_answers(actor=actor, screening=screening, answers=form.answers())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The answers were saved."))
            return redirect("web:screening_detail", screening_id=screening.id)
    if request.method == "GET":
        _viewed(actor, screening, for_edit=True)
    return render(
        request,
        "screening/answers.html",
        {
            "screening": screening,
            "form": form,
            "sections": presenters.answer_sections(form, iset),
            "subject": presenters.subject_of(screening, subject_scope(actor)),
            "list_label": lists_label(iset, screening.list_keys),
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def screening_detail(request: HttpRequest, screening_id: str) -> HttpResponse:
    actor = request_actor(request)
    screening = get_screening_for(
        actor,
        screening_id,
        roles.SCREENING_VIEW,
        queryset=queries.with_detail_data(Screening.objects.all()),
    )
    _viewed(actor, screening)
    mine = screening.agency_id == actor.agency_id
    can_record = mine and policy.can(actor, roles.SCREENING_RECORD)
    subjects = subject_scope(actor)
    return render(
        request,
        "screening/detail.html",
        {
            "screening": screening,
            "screened_by": screening.screened_by.get_username()
            if subjects.shows_screener(screening)
            else "",
            "view": presenters.result_view(screening, subjects),
            "can_record": can_record,
            "can_see_case": screening.case_id is not None
            and policy.visible_cases(actor).filter(id=screening.case_id).exists(),
            "attach_form": AttachForm() if can_record and screening.case_id is None else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def screening_attach(request: HttpRequest, screening_id: str) -> HttpResponse:
    actor = request_actor(request)
    screening = get_screening_for(actor, screening_id, roles.SCREENING_RECORD)
    form = AttachForm(request.POST or None, initial={"reference": request.GET.get("case", "")})
    if request.method == "POST" and form.is_valid():
        case = queries.case_by_reference(
            policy.visible_cases(actor), form.cleaned_data["reference"]
        )
        if case is None:
            form.add_error("reference", _("No case of your agency has this reference."))
        else:
            policy.get_case_for(actor, case.id, roles.SCREENING_RECORD)
            try:
                attach_to_case(actor=actor, screening=screening, case=case)
            except ValidationError as exc:
                apply_service_errors(form, exc, rename={"case": "reference"})
            else:
                messages.success(request, _("The screening was attached to the case."))
                return redirect("web:screening_detail", screening_id=screening.id)
    return render(
        request,
        "screening/attach.html",
        {"screening": screening, "form": form},
        status=422 if request.method == "POST" else 200,
    )
