"""The register of status applications for the staff of each level (hromada or local office,
oblast, national): filters, sorting and paging by GET, export as CSV or XLSX. Files and
deadlines only, never a name (docs/lists.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opennrm.access import lists as gate
from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.nrm.status import deadlines, register
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.models import StatusApplication
from opennrm.tenancy.actor import Actor
from opennrm.web.context import audit, request_actor
from opennrm.web.lists import FORMATS, query_string, sort_headers, table_response

PAGE_SIZE = 25
PARAMS = ("stage", "deadline", "oblast")
SORT_COLUMNS = (
    ("journal", gettext_lazy("Journal number")),
    ("applied", gettext_lazy("Applied on")),
    ("stage", gettext_lazy("Stage")),
    ("due", gettext_lazy("Step due")),
    ("agency", gettext_lazy("Receiving office")),
)
LEVEL_TITLES = {
    wf.RECEIVING: gettext_lazy("Register of status applications received"),
    wf.OBLAST: gettext_lazy("Register of status applications of the oblast"),
    wf.NATIONAL: gettext_lazy("National register of status applications"),
}


class RegisterFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label=gettext_lazy("Stage"),
        required=False,
        choices=lambda: [("", "—"), *((s, wf.state_label(s)) for s in wf.STATES)],
    )
    deadline = forms.ChoiceField(
        label=gettext_lazy("Deadline"),
        required=False,
        choices=[
            ("", "—"),
            (register.OVERDUE, gettext_lazy("Overdue")),
            (register.UPCOMING, gettext_lazy("Due soon")),
        ],
    )
    oblast = forms.ChoiceField(
        label=gettext_lazy("Oblast of the receiving office"),
        required=False,
        choices=lambda: [("", "—"), *code_list(codes.OBLAST).choices()],
    )

    def filters(self) -> register.RegisterFilters:
        d = self.cleaned_data if self.is_valid() else {}
        return register.RegisterFilters(
            stage=d.get("stage", ""), deadline=d.get("deadline", ""), oblast=d.get("oblast", "")
        )


@dataclass(frozen=True)
class RegisterRow:
    application: StatusApplication
    journal_number: str
    case_reference: str
    applied_on: dt.date
    stage: str
    due: dt.date | None
    standing: str
    standing_label: str
    receiving: str
    oblast_agency: str
    url: str


def _rows(applications: Any, today: dt.date) -> list[RegisterRow]:
    rows = []
    for app in applications:
        due = app.next_due_on if app.state in wf.WAITING else None
        standing = (deadlines.standing(due, today) or "") if due else ""
        rows.append(
            RegisterRow(
                application=app,
                journal_number=app.journal_number,
                case_reference=app.case.reference,
                applied_on=app.applied_on,
                stage=app.state_label,
                due=due,
                standing=standing,
                standing_label=str(deadlines.STANDING_LABELS.get(standing, "")),
                receiving=app.receiving_agency.display_name,
                oblast_agency=app.oblast_agency.display_name if app.oblast_agency else "",
                url=reverse("web:status_application_detail", kwargs={"application_id": app.id}),
            )
        )
    return rows


def _state(request: HttpRequest) -> tuple[RegisterFilterForm, str, dict[str, str]]:
    data = {k: request.GET[k] for k in PARAMS if request.GET.get(k)}
    form = RegisterFilterForm(data)
    sort = register.register_sort(request.GET.get("sort", ""))
    params = {k: str(form.cleaned_data.get(k, "")) for k in PARAMS} if form.is_valid() else {}
    if sort != register.DEFAULT_REGISTER_SORT:
        params["sort"] = sort
    return form, sort, params


def _applications(
    actor: Actor, form: RegisterFilterForm, sort: str, today: dt.date
) -> QuerySet[StatusApplication]:
    """The register the address describes (the page and its export)."""
    scoped = gate.register_applications(actor)
    return register.order_register(register.filter_register(scoped, form.filters(), today), sort)


@login_required
def status_register(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    level = gate.require_register(actor)
    form, sort, params = _state(request)
    today = timezone.localdate()
    applications = _applications(actor, form, sort, today)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    audit(
        actor,
        "status.register_listed",
        "status_application",
        None,
        applications=[str(a.id) for a in page.object_list],
    )
    return render(
        request,
        "status/register.html",
        {
            "title": LEVEL_TITLES[level],
            "level": level,
            "form": form,
            "page": page,
            "rows": _rows(page.object_list, today),
            "query": query_string(params),
            "headers": sort_headers(SORT_COLUMNS, sort, params),
            "sort": sort,
            "filtered": any(params.get(k) for k in PARAMS),
        },
        status=200 if form.is_valid() else 422,
    )


def _export_header() -> list[str]:
    return [
        _("Journal number"),
        _("Case"),
        _("Applied on"),
        _("Stage"),
        _("Step due"),
        _("Standing"),
        _("Receiving office"),
        _("Oblast level"),
    ]


def _export_line(row: RegisterRow) -> list[Any]:
    return [
        row.journal_number,
        row.case_reference,
        row.applied_on,
        row.stage,
        row.due,
        row.standing_label,
        row.receiving,
        row.oblast_agency,
    ]


@login_required
def status_register_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The register as filtered and sorted, every page, at most `EXPORT_LIMIT` rows; audited
    with the count."""
    actor = request_actor(request)
    gate.require_register(actor)
    if fmt not in FORMATS:
        raise PermissionDenied(fmt)
    form, sort, params = _state(request)
    today = timezone.localdate()
    applications = _applications(actor, form, sort, today)
    count = applications.count()
    if count > gate.EXPORT_LIMIT:
        messages.error(
            request,
            _(
                "The register holds %(count)s applications; an export takes at most %(limit)s. "
                "Narrow the filters and export again."
            )
            % {"count": count, "limit": gate.EXPORT_LIMIT},
        )
        return redirect(reverse("web:status_register") + "?" + query_string(params))
    rows = _rows(applications, today)
    audit(actor, "status.register_exported", "status_application", None, format=fmt, count=count)
    stamp = today.isoformat()
    return table_response(
        fmt, f"status-register-{stamp}", _export_header(), map(_export_line, rows)
    )
