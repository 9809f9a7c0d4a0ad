"""The indicator dashboard (over the cases the actor's statistics scope covers) and the CSV of
every chart's table (protected: it leaves the system)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from defusedcsv import csv
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opennrm.access import statistics as gate
from opennrm.access import training as training_gate
from opennrm.audit.services import record
from opennrm.core.disclosure import configured_threshold, protect
from opennrm.reports import ctdc, publication
from opennrm.reports.cache import indicators_for
from opennrm.reports.charts import dashboard
from opennrm.reports.context import global_picture
from opennrm.reports.facts import persons_in_period
from opennrm.reports.indicators import Filters
from opennrm.tenancy.actor import Actor
from opennrm.web.context import request_actor
from opennrm.web.statistics.forms import StatisticsFilterForm

TABLE_TITLES = {
    "persons": gettext_lazy("Persons identified"),
    "sex_age": gettext_lazy("Women, men, girls and boys"),
    "age_band": gettext_lazy("Age at identification (CTDC bands)"),
    "citizenship": gettext_lazy("Citizenship"),
    "identification_oblast": gettext_lazy("Oblast of identification"),
}


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
    indicators, computed_at = indicators_for(
        scope=_scope(actor),
        cases=cases,
        filters=filters,
        fresh="fresh" in request.GET,
        proceedings=gate.proceedings_in_scope(actor),
        training=training_gate.statistics_scope(actor),
        national=gate.is_national(actor),
    )
    audience = gate.audience(actor, leaving=False)
    _audit(actor, "stats.viewed", filters)
    query = request.GET.copy()
    query.pop("fresh", None)
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
            "can_publish": gate.can_publish(actor),
            "public_tables": [
                (key, TABLE_TITLES.get(key, key)) for key in publication.PUBLIC_TABLES
            ],
            "budget": publication.budget(filters.end.year),
            "query": query.urlencode(),
            "computed_at": computed_at,
        },
    )


def _scope(actor: Actor) -> str:
    """What a statistics scope covers, for the cache: national, or one agency's visible cases."""
    return "national" if gate.is_national(actor) else f"agency:{actor.agency_id}"


@login_required
def statistics_csv(request: HttpRequest, key: str) -> HttpResponse:
    """One chart's table as CSV, protected (small cells withheld, counts rounded)."""
    actor = request_actor(request)
    cases = gate.cases_in_scope(actor)
    _form, filters = filters_from(request, actor)
    indicators, _computed_at = indicators_for(
        scope=_scope(actor),
        cases=cases,
        filters=filters,
        proceedings=gate.proceedings_in_scope(actor),
        training=training_gate.statistics_scope(actor),
        national=gate.is_national(actor),
    )
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
    if protected.rounded_to > 1:  # protected (it always is: a download leaves the system)
        writer.writerow([])
        writer.writerow(
            [
                "note",
                f"empty: withheld (fewer than {configured_threshold()} persons, or it would "
                "reveal such a cell); "
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
    persons, _band = persons_in_period(
        gate.cases_in_scope(actor), filters, national=gate.is_national(actor)
    )
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


@login_required
@require_POST
def statistics_publish(request: HttpRequest) -> HttpResponse:
    """Release one table for one year to the public page (differential privacy, audited)."""
    actor = request_actor(request)
    gate.require_publish(actor)
    table = request.POST.get("table", "")
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, _("Choose a year."))
        return redirect("web:statistics")
    try:
        released, created = publication.release(actor=actor, table=table, year=year)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if created:
            messages.success(
                request,
                _("Published on the public page with epsilon %(e)s.") % {"e": released.epsilon},
            )
        else:
            messages.info(
                request, _("This table was already published for that year: nothing spent.")
            )
    return redirect(f"{reverse('web:statistics')}?start={year}-01-01&end={year}-12-31")
