"""The indicator dashboard (over the cases the actor's statistics scope covers) and the CSV of
every chart's table (protected: it leaves the system)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from opennrm.access import statistics as gate
from opennrm.audit.services import record
from opennrm.core.disclosure import Audience, protect
from opennrm.reports import ctdc
from opennrm.reports.charts import dashboard
from opennrm.reports.context import global_picture
from opennrm.reports.indicators import Filters, compute, person_facts
from opennrm.tenancy.actor import Actor
from opennrm.web.context import request_actor
from opennrm.web.statistics_forms import StatisticsFilterForm


def _default_period(actor: Actor) -> tuple[dt.date, dt.date]:
    """The calendar year of the latest identification in scope (this year when none)."""
    latest = gate.cases_in_scope(actor).aggregate(last=Max("identified_on"))["last"]
    year = latest.year if latest else timezone.localdate().year
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def filters_from(request: HttpRequest, actor: Actor) -> tuple[StatisticsFilterForm, Filters]:
    start, end = _default_period(actor)
    data = request.GET.copy()
    data.setdefault("start", start.isoformat())
    data.setdefault("end", end.isoformat())
    form = StatisticsFilterForm(data)
    if form.is_valid():
        d = form.cleaned_data
        return form, Filters(d["start"], d["end"], d["oblast"], d["agency_kind"])
    return form, Filters(start, end)


def _audit(actor: Actor, action: str, filters: Filters, **detail: object) -> None:
    record(
        action=action,
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type="statistics",
        detail={
            "from": filters.start.isoformat(),
            "to": filters.end.isoformat(),
            "oblast": filters.oblast,
            "agency_kind": filters.agency_kind,
            **detail,
        },
    )


@login_required
def statistics_dashboard(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    cases = gate.cases_in_scope(actor)
    form, filters = filters_from(request, actor)
    indicators = compute(cases, filters)
    audience = gate.audience(actor, leaving=False)
    _audit(actor, "stats.viewed", filters)
    query = request.GET.copy()
    query.setdefault("start", filters.start.isoformat())
    query.setdefault("end", filters.end.isoformat())
    return render(
        request,
        "statistics/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "national": gate.is_national(actor),
            "view": dashboard(indicators, audience),
            "global_picture": global_picture(filters) if gate.is_national(actor) else [],
            "query": query.urlencode(),
        },
    )


@login_required
def statistics_csv(request: HttpRequest, key: str) -> HttpResponse:
    """One chart's table as CSV, protected (small cells withheld, counts rounded)."""
    actor = request_actor(request)
    cases = gate.cases_in_scope(actor)
    _form, filters = filters_from(request, actor)
    indicators = compute(cases, filters)
    try:
        table = indicators.table(key)
    except StopIteration:
        raise Http404 from None
    protected = protect(
        [(row.code, row.count) for row in table.rows],
        table.total,
        audience=gate.audience(actor, leaving=True),
    )
    _audit(actor, "stats.downloaded", filters, table=key)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"opennrm-{key}-{filters.start.isoformat()}-{filters.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(["code", "label", "persons"])
    for row, cell in zip(table.rows, protected.cells, strict=True):
        writer.writerow([row.code, str(row.label), "" if cell.count is None else cell.count])
    writer.writerow(["total", "", "" if protected.total is None else protected.total])
    if protected is not None and gate.audience(actor, leaving=True) is Audience.EXTERNAL:
        writer.writerow([])
        writer.writerow(
            [
                "note",
                "empty: withheld (fewer than 11 persons, or it would reveal such a cell); "
                f"counts rounded to the nearest {protected.rounded_to}",
                "",
            ]
        )
    return response


@login_required
def statistics_ctdc(request: HttpRequest) -> HttpResponse:
    """The CTDC 2024 open-data extract for the period, k-anonymised, with its report (ZIP)."""
    actor = request_actor(request)
    gate.require_view(actor)
    if not gate.is_national(actor):
        raise Http404
    _form, filters = filters_from(request, actor)
    everyone, _band = person_facts(gate.cases_in_scope(actor), filters)
    persons = [p for p in everyone if filters.start <= p.first_identified <= filters.end]
    extract = ctdc.k_anonymise(persons, k=settings.OPENNRM_CTDC_K)
    _audit(
        actor,
        "stats.ctdc_exported",
        filters,
        rows=len(extract.rows),
        suppressed=extract.suppressed,
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ctdc_2024.csv", ctdc.to_csv(extract))
        archive.writestr("report.txt", extract.report())
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    name = f"opennrm-ctdc-{filters.start.isoformat()}-{filters.end.isoformat()}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
