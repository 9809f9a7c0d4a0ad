"""Web views of the perpetrators register (list, identifier search by POST, record, the
perpetrator's page with its identifiers and links), the shared-identifier alerts, the link view,
and mutual legal assistance requests.

Thin: fetch through `access.perpetrators` (403 without the permission, 404 when hidden), validate
a form, call `justice.perpetrator_services`, redirect; a refused field re-renders the form with
422. An identifier's value never enters a URL or an audit event.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from opennrm.access import justice as justice_gate
from opennrm.access import perpetrators as gate
from opennrm.access import policy
from opennrm.access.roles import PERPETRATOR_RECORD
from opennrm.audit.services import record
from opennrm.cases.models import Case
from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.justice import identifiers as idf
from opennrm.justice import perpetrator_services as services
from opennrm.justice.models import Proceeding
from opennrm.justice.perpetrator_vault import open_identity, open_value
from opennrm.justice.perpetrators import MlaRequest, Perpetrator
from opennrm.tenancy.actor import Actor
from opennrm.web import throttle
from opennrm.web.context import request_actor
from opennrm.web.forms import apply_service_errors
from opennrm.web.perpetrators import forms as pf
from opennrm.web.perpetrators import links

PAGE_SIZE = 25
PURPOSE = services.PURPOSE


def _audit(actor: Actor, action: str, object_type: str, object_id: Any = None, **d: Any) -> None:
    """An audit event with the purpose of the justice file (ids, kinds and codes only)."""
    record(
        action=action,
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type=object_type,
        object_id=object_id,
        purpose=PURPOSE,
        detail=d,
    )


def labels(list_name: str, values: list[str]) -> str:
    known = code_list(list_name)
    return ", ".join(known.label(v) for v in values) or "—"


def record_url(record_type: str, record_id: uuid.UUID) -> str:
    return reverse(f"web:{record_type}_detail", kwargs={f"{record_type}_id": record_id})


def _row(perpetrator: Perpetrator) -> dict[str, Any]:
    identity = open_identity(perpetrator)
    return {
        "perpetrator": perpetrator,
        "name": identity.full_name,
        "roles": labels(codes.CRIME_ROLE, perpetrator.roles),
        "modus": labels(codes.MODUS_OPERANDI, perpetrator.modus_operandi),
        "kinds": sorted(
            {code_list(codes.IDENTIFIER_KIND).label(i.kind) for i in perpetrator.identifiers.all()}
        ),
        "url": reverse("web:perpetrator_detail", kwargs={"perpetrator_id": perpetrator.id}),
    }


def _rows(queryset: QuerySet[Perpetrator]) -> list[dict[str, Any]]:
    return [_row(p) for p in queryset.select_related("agency").prefetch_related("identifiers")]


def writable_proceedings(actor: Actor) -> QuerySet[Proceeding]:
    """The proceedings the actor may name a suspect in (the registering unit or the office)."""
    visible = justice_gate.visible_proceedings(actor).select_related(
        "registering_agency", "prosecution_agency", "court"
    )
    ids = [p.id for p in visible if justice_gate.may_write(actor, p, "suspect")]
    return Proceeding.objects.filter(id__in=ids).order_by("-registered_on", "erdr_number")


# --- the register ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def perpetrator_list(request: HttpRequest) -> HttpResponse:
    """The perpetrators the actor sees; a POST searches them by an identifier (the value in the
    body, never in the URL)."""
    actor = request_actor(request)
    gate.require_view(actor)
    search = pf.SearchForm(request.POST or None, prefix="search")
    status = 200
    searched = False
    records: list[tuple[str, uuid.UUID]] = []
    rows_qs = gate.visible_perpetrators(actor).order_by("-recorded_at", "id")
    if request.method == "POST":
        # Throttled like the case search (web/throttle.py).
        if not throttle.search_allowed(actor, throttle.IDENTIFIER_SEARCH):
            return render(request, "web/too_many.html", status=429)
        status = 422
        if search.is_valid():
            kind, value = search.cleaned_data["kind"], search.cleaned_data["value"]
            try:
                found = services.find_identifiers(gate.visible_identifiers(actor), kind, value)
            except idf.BadIdentifier as exc:
                search.add_error("value", str(exc))
            else:
                status, searched = 200, True
                rows_qs = rows_qs.filter(
                    id__in=found.exclude(perpetrator=None).values("perpetrator_id")
                )
                records = [
                    (i.record_type, i.record_id) for i in found.exclude(perpetrator__isnull=False)
                ]
                _audit(
                    actor,
                    "identifier.searched",
                    "perpetrator",
                    kind=kind,
                    perpetrator_ids=sorted(str(p) for p in rows_qs.values_list("id", flat=True)),
                )
    page = Paginator(rows_qs, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    _audit(actor, "perpetrator.listed", "perpetrator", perpetrator_ids=[str(p.id) for p in shown])
    other_records = []
    if searched:
        other_records = [
            {"type": t, "url": record_url(t, i), "id": i}
            for t, i in sorted(set(records), key=lambda r: (r[0], str(r[1])))
        ]
    return render(
        request,
        "perpetrators/perpetrator_list.html",
        {
            "page": page,
            "rows": _rows(
                Perpetrator.objects.filter(id__in=[p.id for p in shown]).order_by(
                    "-recorded_at", "id"
                )
            ),
            "search": search,
            "searched": searched,
            "other_records": other_records,
            "can_record": gate.can_record(actor),
            "alerts_unseen": gate.visible_alerts(actor).filter(seen_at=None).count(),
        },
        status=status,
    )


def _cases_by_reference(actor: Actor, references: list[str]) -> list[Case]:
    cases = []
    for reference in references:
        matches = list(policy.visible_cases(actor).filter(id__startswith=reference)[:2])
        if len(matches) != 1:
            raise ValidationError(
                {
                    "case_references": [
                        _("No case you can see has the reference %(ref)s.")
                        % {"ref": reference.upper()}
                    ]
                }
            )
        try:
            cases.append(gate.get_case_to_name(actor, matches[0].id))
        except (Http404, PermissionDenied):
            raise ValidationError(
                {
                    "case_references": [
                        _(
                            "Case %(ref)s is neither your agency's nor shared with it for "
                            "criminal proceedings."
                        )
                        % {"ref": reference.upper()}
                    ]
                }
            ) from None
    return cases


@login_required
@require_http_methods(["GET", "POST"])
def perpetrator_new(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    gate.require_record(actor)
    proceedings = writable_proceedings(actor)
    initial = {}
    wanted = request.GET.get("proceeding")
    if wanted:
        with contextlib.suppress(ValueError):
            initial["proceedings"] = [p for p in proceedings if str(p.id) == str(uuid.UUID(wanted))]
    form = pf.PerpetratorForm(request.POST or None, proceedings=proceedings, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            cases = _cases_by_reference(actor, d["case_references"])
            perpetrator = services.record_perpetrator(
                actor=actor,
                data=services.PerpetratorInput(
                    identity=form.identity_input(),
                    gender=d["gender"],
                    citizenship=d["citizenship"],
                    roles=d["roles"],
                    modus_operandi=d["modus_operandi"],
                    organised_group=d["organised_group"],
                    relation_to_victim=d["relation_to_victim"],
                    identifiers=form.identifier_inputs(),
                ),
                proceedings=list(d["proceedings"]),
                cases=cases,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The perpetrator was recorded."))
            return redirect("web:perpetrator_detail", perpetrator_id=perpetrator.id)
    return render(
        request,
        "perpetrators/perpetrator_form.html",
        {"form": form},
        status=422 if request.method == "POST" else 200,
    )


def _render_detail(
    request: HttpRequest,
    actor: Actor,
    perpetrator: Perpetrator,
    *,
    identifiers_form: pf.IdentifiersForm | None = None,
    link_form: pf.LinkForm | None = None,
    status: int = 200,
) -> HttpResponse:
    p = (
        Perpetrator.objects.filter(pk=perpetrator.pk)
        .select_related("agency")
        .prefetch_related("identifiers", "proceedings", "cases")
        .get()
    )
    identity = open_identity(p)
    kinds = code_list(codes.IDENTIFIER_KIND)
    proceeding_ids = set(justice_gate.visible_proceedings(actor).values_list("id", flat=True))
    case_ids = set(gate.cases_with_identifiers(actor).values_list("id", flat=True))
    owner = p.agency_id == actor.agency_id and gate.can_record(actor)
    writable = writable_proceedings(actor).exclude(id__in=[x.id for x in p.proceedings.all()])
    return render(
        request,
        "perpetrators/perpetrator_detail.html",
        {
            "p": p,
            "identity": identity,
            "gender": code_list(codes.GENDER).label(p.gender),
            "citizenship": code_list(codes.COUNTRY).label(p.citizenship) if p.citizenship else "—",
            "roles": labels(codes.CRIME_ROLE, p.roles),
            "modus": labels(codes.MODUS_OPERANDI, p.modus_operandi),
            "relation": code_list(codes.RELATIONSHIP).label(p.relation_to_victim)
            if p.relation_to_victim
            else "—",
            "identifiers": [
                {"kind": kinds.label(i.kind), "value": idf.masked(i.kind, open_value(i))}
                for i in p.identifiers.all()
            ],
            "proceedings": [
                {"erdr": x.erdr_number, "url": record_url("proceeding", x.id)}
                for x in p.proceedings.all()
                if x.id in proceeding_ids
            ],
            "cases": [
                {"reference": c.reference, "url": record_url("case", c.id)}
                for c in p.cases.all()
                if c.id in case_ids
            ],
            "owner": owner,
            "identifiers_form": (identifiers_form or pf.IdentifiersForm(prefix="identifiers"))
            if owner
            else None,
            "link_form": (link_form or pf.LinkForm(prefix="link", proceedings=writable))
            if owner and writable.exists()
            else None,
        },
        status=status,
    )


@login_required
def perpetrator_detail(request: HttpRequest, perpetrator_id: str) -> HttpResponse:
    actor = request_actor(request)
    perpetrator = gate.get_perpetrator_for(actor, perpetrator_id)
    _audit(actor, "perpetrator.viewed", "perpetrator", perpetrator.id)
    return _render_detail(request, actor, perpetrator)


@login_required
@require_POST
def perpetrator_identifiers_add(request: HttpRequest, perpetrator_id: str) -> HttpResponse:
    actor = request_actor(request)
    perpetrator = gate.get_perpetrator_for(actor, perpetrator_id, PERPETRATOR_RECORD)
    form = pf.IdentifiersForm(request.POST, prefix="identifiers")
    if form.is_valid():
        try:
            services.add_identifiers(
                actor=actor, items=form.identifier_inputs(), perpetrator=perpetrator
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The identifiers were added."))
            return redirect("web:perpetrator_detail", perpetrator_id=perpetrator.id)
    return _render_detail(request, actor, perpetrator, identifiers_form=form, status=422)


@login_required
@require_POST
def perpetrator_link(request: HttpRequest, perpetrator_id: str) -> HttpResponse:
    actor = request_actor(request)
    perpetrator = gate.get_perpetrator_for(actor, perpetrator_id, PERPETRATOR_RECORD)
    form = pf.LinkForm(request.POST, prefix="link", proceedings=writable_proceedings(actor))
    if form.is_valid():
        services.link_perpetrator(
            actor=actor, perpetrator=perpetrator, proceeding=form.cleaned_data["proceeding"]
        )
        messages.success(request, _("The perpetrator was linked to the proceeding."))
        return redirect("web:perpetrator_detail", perpetrator_id=perpetrator.id)
    return _render_detail(request, actor, perpetrator, link_form=form, status=422)


@login_required
def perpetrator_links(request: HttpRequest, perpetrator_id: str) -> HttpResponse:
    """The records connected to a perpetrator through shared identifiers or persons, limited to
    what the actor sees: a list, and the same as a server-rendered SVG graph."""
    actor = request_actor(request)
    perpetrator = gate.get_perpetrator_for(actor, perpetrator_id)
    graph = links.graph_around(actor, ("perpetrator", perpetrator.id))
    _audit(
        actor,
        "links.viewed",
        "perpetrator",
        perpetrator.id,
        record_ids=sorted(str(n.id) for n in graph.nodes),
    )
    return render(
        request,
        "perpetrators/links.html",
        {"p": perpetrator, "graph": graph, "svg": links.layout(graph)},
    )


# --- alerts ----------------------------------------------------------------------------------


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    gate.require_view(actor)
    alerts = gate.visible_alerts(actor).select_related("known", "new")
    unseen = alerts.filter(seen_at=None).count()
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    views = gate.describe_alerts(actor, list(page.object_list))
    kinds = code_list(codes.IDENTIFIER_KIND)
    names = {
        "perpetrator": _("Perpetrator"),
        "case": _("Case"),
        "proceeding": _("Proceeding"),
    }

    def describe(record: tuple[str, uuid.UUID] | None) -> dict[str, str] | None:
        if record is None:
            return None
        kind, record_id = record
        return {
            "label": f"{names[kind]} {record_id.hex[:8].upper()}",
            "url": record_url(kind, record_id),
        }

    rows = [
        {
            "alert": v.alert,
            "kind": kinds.label(v.alert.kind),
            "known": describe(v.known),
            "new": describe(v.new),
            "links": reverse("web:perpetrator_links", kwargs={"perpetrator_id": v.known[1]})
            if v.known and v.known[0] == "perpetrator"
            else "",
        }
        for v in views
    ]
    _audit(actor, "alert.listed", "alert", alert_ids=[str(v.alert.id) for v in views])
    return render(
        request,
        "perpetrators/alert_list.html",
        {"page": page, "rows": rows, "unseen": unseen},
    )


@login_required
@require_POST
def alerts_seen(request: HttpRequest) -> HttpResponse:
    """Mark the user's new alerts as seen (a POST, audited): reading the list changes nothing."""
    actor = request_actor(request)
    gate.require_view(actor)
    marked = services.mark_alerts_seen(actor=actor, alerts=gate.alerts_to_mark(actor))
    messages.success(
        request,
        ngettext("%(n)d alert marked as seen.", "%(n)d alerts marked as seen.", marked)
        % {"n": marked},
    )
    return redirect("web:alert_list")


# --- mutual legal assistance -----------------------------------------------------------------


def _mla_row(request_: MlaRequest, today: Any) -> dict[str, Any]:
    return {
        "mla": request_,
        "direction": code_list(codes.MLA_DIRECTION).label(request_.direction),
        "type": code_list(codes.MLA_TYPE).label(request_.request_type),
        "country": code_list(codes.COUNTRY).label(request_.country),
        "authority": code_list(codes.CENTRAL_AUTHORITY).label(request_.central_authority),
        "overdue": services.mla_overdue(request_, today),
        "url": reverse("web:mla_detail", kwargs={"mla_id": request_.id}),
    }


@login_required
def mla_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    gate.require_mla(actor)
    today = timezone.localdate()
    rows = gate.visible_mla_requests(actor).select_related("partner_agency", "proceeding")
    page = Paginator(rows.order_by("-recorded_at", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    shown = list(page.object_list)
    _audit(actor, "mla.listed", "mlarequest", ids=[str(r.id) for r in shown])
    return render(
        request,
        "perpetrators/mla_list.html",
        {
            "page": page,
            "rows": [_mla_row(r, today) for r in shown],
            "overdue": sum(services.mla_overdue(r, today) for r in rows),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mla_new(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    gate.require_mla(actor)
    proceedings = justice_gate.visible_proceedings(actor).order_by("-registered_on")
    form = pf.MlaForm(request.POST or None, proceedings=proceedings)
    if request.method == "POST" and form.is_valid():
        try:
            mla = services.record_mla_request(actor=actor, data=form.mla_input())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The request was recorded."))
            return redirect("web:mla_detail", mla_id=mla.id)
    return render(
        request,
        "perpetrators/mla_form.html",
        {"form": form},
        status=422 if request.method == "POST" else 200,
    )


def _render_mla(
    request: HttpRequest,
    actor: Actor,
    mla: MlaRequest,
    form: pf.MlaAnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    proceeding_ids = set(justice_gate.visible_proceedings(actor).values_list("id", flat=True))
    may_answer = mla.agency_id == actor.agency_id and mla.answered_on is None
    return render(
        request,
        "perpetrators/mla_detail.html",
        {
            "row": _mla_row(mla, timezone.localdate()),
            "proceeding": mla.proceeding if mla.proceeding_id in proceeding_ids else None,
            "form": (form or pf.MlaAnswerForm()) if may_answer else None,
        },
        status=status,
    )


@login_required
def mla_detail(request: HttpRequest, mla_id: str) -> HttpResponse:
    actor = request_actor(request)
    mla = gate.get_mla_request_for(actor, mla_id)
    _audit(actor, "mla.viewed", "mlarequest", mla.id)
    return _render_mla(request, actor, mla)


@login_required
@require_POST
def mla_answer(request: HttpRequest, mla_id: str) -> HttpResponse:
    actor = request_actor(request)
    mla = gate.get_mla_request_for(actor, mla_id, change=True)
    form = pf.MlaAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.record_mla_answer(
                actor=actor, request=mla, answered_on=form.cleaned_data["answered_on"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The answer was recorded."))
            return redirect("web:mla_detail", mla_id=mla.id)
    return _render_mla(request, actor, mla, form, status=422)
