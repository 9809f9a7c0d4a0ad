"""Web views of group identification operations (typed, one person per line, or a CSV/XLSX
list; all or nothing, each bad line or row named), departures stopped at the border (counted
apart from victims) and incidents (IDPs or not).

Thin: the gate `access.borders` (403 without the permission, 404 another agency's record), a
form, a `borders.services` call, a redirect; a refused field re-renders the form with 422.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opennrm.access import borders as gate
from opennrm.access import justice as justice_gate
from opennrm.access import perpetrators as perpetrator_gate
from opennrm.access import policy
from opennrm.access.roles import CASE_CHANGE
from opennrm.borders import services
from opennrm.borders.models import Operation
from opennrm.cases.models import Case
from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.justice.perpetrator_vault import open_identity
from opennrm.web.borders import forms as bf
from opennrm.web.context import audit, request_actor
from opennrm.web.forms import apply_service_errors

PAGE_SIZE = 25
MAX_UPLOAD = 2 * 1024 * 1024


def _label(list_name: str, value: str) -> str:
    return code_list(list_name).label(value) if value else "—"


# --- operations ------------------------------------------------------------------------------


@login_required
def operation_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    gate.require_operations(actor)
    rows = gate.visible_operations(actor).prefetch_related("cases")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    audit(actor, "operation.listed", "operation", None, operation_ids=[str(o.id) for o in shown])
    return render(
        request,
        "borders/operation_list.html",
        {
            "page": page,
            "rows": [
                {
                    "operation": o,
                    "kind": _label(codes.OPERATION_KIND, o.kind),
                    "place": _label(codes.CROSSING_POINT, o.crossing_point)
                    if o.crossing_point
                    else _label(codes.OBLAST, o.oblast),
                    "persons": len(o.cases.all()),
                    "url": reverse("web:operation_detail", kwargs={"operation_id": o.id}),
                }
                for o in shown
            ],
        },
    )


def _render_new(
    request: HttpRequest,
    form: bf.OperationForm,
    upload: bf.OperationImportForm,
    status: int,
) -> HttpResponse:
    return render(
        request, "borders/operation_form.html", {"form": form, "upload": upload}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def operation_new(request: HttpRequest) -> HttpResponse:
    """Typed: one person per line. The same page carries the CSV/XLSX import form."""
    actor = request_actor(request)
    gate.require_operations(actor)
    form = bf.OperationForm(request.POST or None)
    upload = bf.OperationImportForm(prefix="import")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            operation = services.record_operation(
                actor=actor,
                data=services.OperationInput(
                    kind=d["kind"],
                    held_on=d["held_on"],
                    crossing_point=d["crossing_point"],
                    oblast=d["oblast"],
                    persons=d["persons"],
                ),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _done(request, operation)
    return _render_new(request, form, upload, 422 if request.method == "POST" else 200)


def _done(request: HttpRequest, operation: Operation) -> HttpResponse:
    count = operation.cases.count()
    messages.success(
        request,
        _("The operation was recorded: %(n)s cases opened, to complete later.") % {"n": count},
    )
    return redirect("web:operation_detail", operation_id=operation.id)


@login_required
@require_POST
def operation_import(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    gate.require_operations(actor)
    upload = bf.OperationImportForm(request.POST, request.FILES, prefix="import")
    if upload.is_valid():
        d = upload.cleaned_data
        file = d["file"]
        try:
            if file.size > MAX_UPLOAD:
                raise ValidationError({"file": [_("The file is larger than 2 MB.")]})
            persons = services.read_person_list(file.read(), file.name or "")
            operation = services.record_operation(
                actor=actor,
                data=services.OperationInput(
                    kind=d["kind"],
                    held_on=d["held_on"],
                    crossing_point=d["crossing_point"],
                    persons=persons,
                ),
            )
        except ValidationError as exc:
            apply_service_errors(upload, exc, {"persons": "file"})
        else:
            return _done(request, operation)
    return _render_new(request, bf.OperationForm(), upload, 422)


@login_required
def operation_detail(request: HttpRequest, operation_id: str) -> HttpResponse:
    actor = request_actor(request)
    operation = gate.get_operation_for(actor, operation_id)
    audit(actor, "operation.viewed", "operation", operation.id)
    cases = list(policy.visible_cases(actor).filter(operations=operation).order_by("id"))
    perpetrators = [
        {
            "name": open_identity(p).full_name,
            "url": reverse("web:perpetrator_detail", kwargs={"perpetrator_id": p.id}),
        }
        for p in perpetrator_gate.visible_perpetrators(actor).filter(operations=operation)
    ]
    proceeding = (
        justice_gate.visible_proceedings(actor).filter(id=operation.proceeding_id).first()
        if operation.proceeding_id
        else None
    )
    return render(
        request,
        "borders/operation_detail.html",
        {
            "operation": operation,
            "kind": _label(codes.OPERATION_KIND, operation.kind),
            "crossing_point": _label(codes.CROSSING_POINT, operation.crossing_point),
            "oblast": _label(codes.OBLAST, operation.oblast),
            "cases": [
                {"case": c, "url": reverse("web:case_detail", kwargs={"case_id": c.id})}
                for c in cases
            ],
            "perpetrators": perpetrators,
            "proceeding": proceeding,
        },
    )


# --- stops at the border ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def stop_list(request: HttpRequest) -> HttpResponse:
    """The stops the agency recorded, and the form to record one (on the same page)."""
    actor = request_actor(request)
    gate.require_operations(actor)
    form = bf.StopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_stop(actor=actor, data=services.StopInput(**form.cleaned_data))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The stop was recorded."))
            return redirect("web:stop_list")
    rows = gate.visible_stops(actor)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    audit(actor, "stop.listed", "stop", None, stop_ids=[str(s.id) for s in shown])
    return render(
        request,
        "borders/stop_list.html",
        {
            "form": form,
            "page": page,
            "rows": [
                {
                    "stop": s,
                    "kind": _label(codes.STOP_KIND, s.kind),
                    "point": _label(codes.CROSSING_POINT, s.crossing_point),
                    "destination": _label(codes.COUNTRY, s.destination),
                }
                for s in shown
            ],
            "persons": sum(s.persons for s in rows),
        },
        status=422 if request.method == "POST" else 200,
    )


# --- incidents -------------------------------------------------------------------------------


def _incident_cases(actor: Any, references: list[str]) -> list[Case]:
    cases = []
    for reference in references:
        matches = list(
            policy.visible_cases(actor)
            .filter(owner_agency=actor.agency, id__startswith=reference)
            .order_by("id")[:2]
        )
        if len(matches) != 1:
            raise ValidationError(
                {
                    "case_references": [
                        _("No case of your agency has the reference %(ref)s.")
                        % {"ref": reference.upper()}
                    ]
                }
            )
        cases.append(policy.get_case_for(actor, matches[0].id, CASE_CHANGE))
    return cases


@login_required
@require_http_methods(["GET", "POST"])
def incident_list(request: HttpRequest) -> HttpResponse:
    """The incidents the agency recorded (persons and IDPs counted apart), and the form."""
    actor = request_actor(request)
    gate.require_incidents(actor)
    form = bf.IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        try:
            cases = _incident_cases(actor, d.pop("case_references"))
            services.record_incident(actor=actor, data=services.IncidentInput(**d, cases=cases))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The incident was recorded."))
            return redirect("web:incident_list")
    rows = gate.visible_incidents(actor).prefetch_related("cases")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    audit(actor, "incident.listed", "incident", None, incident_ids=[str(i.id) for i in shown])
    visible = set(policy.visible_cases(actor).values_list("id", flat=True))
    return render(
        request,
        "borders/incident_list.html",
        {
            "form": form,
            "page": page,
            "rows": [
                {
                    "incident": i,
                    "kind": _label(codes.INCIDENT_KIND, i.kind),
                    "oblast": _label(codes.OBLAST, i.oblast),
                    "origin": _label(codes.IDP_ORIGIN, i.idp_origin),
                    "cases": [
                        {
                            "reference": c.reference,
                            "url": reverse("web:case_detail", kwargs={"case_id": c.id}),
                        }
                        for c in i.cases.all()
                        if c.id in visible
                    ],
                }
                for i in shown
            ],
            "totals": {
                "incidents": rows.count(),
                "idp": rows.filter(involves_idp=True).count(),
                "persons": sum(i.victims for i in rows),
            },
        },
        status=422 if request.method == "POST" else 200,
    )
