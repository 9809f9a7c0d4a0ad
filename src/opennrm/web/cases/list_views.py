"""The case list: GET filters in the address, name terms kept server-side, sortable columns,
export, saved searches and bulk changes (docs/lists.md)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from opennrm.access import lists as gate
from opennrm.access import policy, roles
from opennrm.access.fields import CASE_FACTS, IDENTITY
from opennrm.access.scope import FieldScope, field_scope
from opennrm.cases import list_services
from opennrm.cases import queries as case_queries
from opennrm.cases.models import Case
from opennrm.cases.queries import CaseFilters
from opennrm.core.workflow import IllegalTransition
from opennrm.tenancy.actor import Actor
from opennrm.web import throttle
from opennrm.web.cases import presenters, searches
from opennrm.web.cases.forms import CaseFilterForm
from opennrm.web.cases.list_forms import CLOSE, BulkForm, SaveSearchForm
from opennrm.web.context import audit, request_actor
from opennrm.web.lists import FORMATS, query_string, sort_headers, table_response

PAGE_SIZE = 25
# The plain GET filters of the list (never a name: the name terms go by `s`, a search id).
FILTER_PARAMS = ("status", "mine", "exploitation", "oblast", "identified_from", "identified_to")
SORT_COLUMNS = (
    ("reference", gettext_lazy("Reference")),
    ("identified", gettext_lazy("Identified")),
    ("agency", gettext_lazy("Agency")),
    ("status", gettext_lazy("Status")),
)


class ListState:
    """The list as the address describes it: the filter form, the search id, sort and page."""

    def __init__(self, request: HttpRequest) -> None:
        get = request.GET
        self.user_id = request.user.pk
        self.search_id = get.get("s", "")[:64]
        self.sort = case_queries.case_sort(get.get("sort", ""))
        self.page = get.get("page")
        self.search_outcome = ""
        data = QueryDict(mutable=True)
        for name in FILTER_PARAMS:
            if get.get(name):
                data[name] = get[name]
        if self.search_id:
            recalled = searches.recall(request, self.search_id)
            self.search_outcome = recalled.outcome
            if recalled.outcome == searches.FOUND:
                data["q"] = recalled.terms
        self.form = CaseFilterForm(data)
        self.valid = self.form.is_valid()

    @property
    def filters(self) -> CaseFilters:
        return self.form.filters(me=self.user_id)

    def params(self) -> dict[str, str]:
        """What the address holds (for links to other pages, orders and the export)."""
        values = {name: self.form.data.get(name, "") for name in FILTER_PARAMS}
        if self.search_outcome == searches.FOUND:
            values["s"] = self.search_id
        if self.sort != case_queries.DEFAULT_CASE_SORT:
            values["sort"] = self.sort
        return values


def _matching(state: ListState, scope: FieldScope) -> QuerySet[Case]:
    filters = state.filters
    # A name search looks only where the actor may see identities, a filter on the facts only
    # where the facts show (else the filter itself would tell them).
    needs = ([IDENTITY] if filters.q else []) + ([CASE_FACTS] if filters.filters_facts else [])
    cases = case_queries.filter_cases(scope.cases_showing(*needs), filters)
    return case_queries.order_cases(cases, state.sort, facts_shown=gate.facts_shown(scope))


def _check_search(actor: Actor, filters: CaseFilters) -> HttpResponse | None:
    if filters.q and not policy.can(actor, roles.CASE_SEARCH):
        raise PermissionDenied(roles.CASE_SEARCH)
    if filters.q and not throttle.search_allowed(actor, throttle.NAME_SEARCH):
        return HttpResponse(status=429)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def case_list(request: HttpRequest) -> HttpResponse:
    """GET: the list as the address says. POST (the search form): the name terms are stored
    server-side under a new search id and the browser is sent to the GET address (303)."""
    actor = request_actor(request)
    gate.require_case_list(actor)
    if request.method == "POST":
        return _post_search(request, actor)
    state = ListState(request)
    if not state.valid:
        return _render_case_list(request, actor, state, status=422)
    refused = _check_search(actor, state.filters)
    if refused is not None:
        return render(request, "web/too_many.html", status=429)
    return _render_case_list(request, actor, state)


def _post_search(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = CaseFilterForm(request.POST)
    if not form.is_valid():
        state = ListState(request)
        state.form = form
        return _render_case_list(request, actor, state, status=422)
    data = form.cleaned_data
    params: dict[str, Any] = {name: data.get(name) or "" for name in FILTER_PARAMS}
    for name in ("identified_from", "identified_to"):
        params[name] = params[name].isoformat() if params[name] else ""
    terms = data.get("q", "").strip()
    if terms:
        if not policy.can(actor, roles.CASE_SEARCH):
            raise PermissionDenied(roles.CASE_SEARCH)
        params["s"] = searches.remember(request, terms)
    sort = case_queries.case_sort(request.POST.get("sort", ""))
    if sort != case_queries.DEFAULT_CASE_SORT:
        params["sort"] = sort
    query = query_string(params)
    return HttpResponseRedirect(
        reverse("web:case_list") + (f"?{query}" if query else ""), status=303
    )


def _render_case_list(
    request: HttpRequest, actor: Actor, state: ListState, *, status: int = 200
) -> HttpResponse:
    filters = state.filters if state.valid else CaseFilters()
    scope = field_scope(actor)
    page = Paginator(case_queries.with_list_data(_matching(state, scope)), PAGE_SIZE).get_page(
        state.page
    )
    if filters.q:
        audit(actor, "case.searched", "case", None, results=page.paginator.count)
    audit(actor, "case.listed", "case", None, case_ids=[str(c.id) for c in page.object_list])
    params = state.params()
    bulk = gate.may_change_in_bulk(actor)
    return render(
        request,
        "web/case_list.html",
        {
            "form": state.form,
            "page": page,
            "rows": presenters.case_rows(
                page.object_list,
                scope=scope,
                matches=case_queries.name_matches(
                    filters.q, [c.person_id for c in page.object_list]
                )
                if filters.q
                else None,
            ),
            "filters": filters,
            "can_create": policy.can(actor, roles.CASE_CREATE),
            "has_any_case": not filters.is_empty
            or page.paginator.count > 0
            or policy.visible_cases(actor).exists(),
            "query": query_string(params),
            "sort": state.sort,
            "headers": sort_headers(SORT_COLUMNS, state.sort, params),
            "search_lost": state.search_outcome
            if state.search_outcome in (searches.EXPIRED, searches.UNKNOWN)
            else "",
            "can_export": gate.may_export_cases(actor),
            "export_limit": gate.EXPORT_LIMIT,
            "can_export_htcds": policy.can(actor, roles.HTCDS_EXPORT),
            "can_bulk": bulk,
            "bulk_form": BulkForm(caseworkers=gate.reassignable_caseworkers(actor))
            if bulk
            else None,
            "saved": [(s, _saved_url(s.filters)) for s in gate.saved_searches(actor)],
            "save_form": SaveSearchForm(),
            "saved_filters": list_services.saved_filters(params),
        },
        status=status,
    )


# --- export ----------------------------------------------------------------------------------


def _export_header() -> list[str]:
    return [
        _("Reference"),
        _("Name"),
        _("Identified"),
        _("Age at identification"),
        _("Oblast"),
        _("Exploitation"),
        _("Status"),
        _("Agency"),
    ]


def _export_line(row: presenters.CaseRow) -> list[Any]:
    return [
        row.case.reference,
        row.name if row.shows_identity else "",
        row.identified_on,
        row.age,
        row.oblast,
        row.exploitation,
        row.status,
        row.agency,
    ]


@login_required
def case_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The list the address describes, every page, as CSV or XLSX: the same rows and fields as
    the page (its presenter), at most `EXPORT_LIMIT` rows. Audited with the count, no names."""
    actor = request_actor(request)
    gate.require_case_list(actor)
    gate.require_export_cases(actor)
    if fmt not in FORMATS:
        raise PermissionDenied(fmt)
    state = ListState(request)
    back = reverse("web:case_list") + "?" + query_string(state.params())
    if not state.valid:
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(back)
    if state.search_outcome in (searches.EXPIRED, searches.UNKNOWN):
        messages.error(request, _("The name search has expired. Search again, then export."))
        return redirect(back)
    if _check_search(actor, state.filters) is not None:
        return render(request, "web/too_many.html", status=429)
    scope = field_scope(actor)
    cases = _matching(state, scope)
    count = cases.count()
    if count > gate.EXPORT_LIMIT:
        messages.error(
            request,
            _(
                "The list holds %(count)s cases; an export takes at most %(limit)s. "
                "Narrow the filters and export again."
            )
            % {"count": count, "limit": gate.EXPORT_LIMIT},
        )
        return redirect(back)
    rows = presenters.case_rows(case_queries.with_list_data(cases), scope=scope)
    if state.filters.q:
        audit(actor, "case.searched", "case", None, results=count)
    audit(
        actor,
        "case.exported",
        "case",
        None,
        format=fmt,
        count=len(rows),
        case_ids=[str(r.case.id) for r in rows],
    )
    stamp = timezone.localdate().isoformat()
    return table_response(fmt, f"cases-{stamp}", _export_header(), map(_export_line, rows))


# --- saved searches --------------------------------------------------------------------------


@login_required
@require_POST
def saved_search_create(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    gate.require_case_list(actor)
    form = SaveSearchForm(request.POST)
    # Only valid filter values are kept (codes and dates through the list's own form).
    checked = CaseFilterForm({k: request.POST.get(k, "") for k in FILTER_PARAMS})
    filters: dict[str, Any] = {
        k: request.POST.get(k, "") if checked.is_valid() else "" for k in FILTER_PARAMS
    }
    sort = case_queries.case_sort(request.POST.get("sort", ""))
    filters["sort"] = sort if sort != case_queries.DEFAULT_CASE_SORT else ""
    if form.is_valid():
        try:
            list_services.save_search(actor=actor, name=form.cleaned_data["name"], filters=filters)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The search was saved (without names)."))
    else:
        messages.error(request, _("Give the search a name."))
    query = query_string(list_services.saved_filters(filters))
    return redirect(reverse("web:case_list") + (f"?{query}" if query else ""))


@login_required
@require_http_methods(["GET", "POST"])
def saved_search_delete(request: HttpRequest, saved_search_id: str) -> HttpResponse:
    """GET: a page that asks to confirm; POST: deletes."""
    actor = request_actor(request)
    saved = gate.get_saved_search_for(actor, saved_search_id)
    if request.method == "POST":
        list_services.delete_saved_search(actor=actor, saved=saved)
        messages.success(request, _("The saved search was deleted."))
        return redirect("web:case_list")
    return render(
        request,
        "web/saved_search_delete.html",
        {"saved": saved, "url": _saved_url(saved.filters)},
    )


def _saved_url(filters: dict[str, Any]) -> str:
    query = query_string(list_services.saved_filters(filters))
    return reverse("web:case_list") + (f"?{query}" if query else "")


# --- bulk changes ----------------------------------------------------------------------------


@login_required
@require_POST
def case_bulk(request: HttpRequest) -> HttpResponse:
    """The ticked cases: first a summary of what will change (nothing changes yet), then, with
    `confirm`, the change, all or nothing (a case the actor may not change refuses them all)."""
    actor = request_actor(request)
    gate.require_case_list(actor)
    if not gate.may_change_in_bulk(actor):
        raise PermissionDenied(roles.CASE_CHANGE)
    caseworkers = gate.reassignable_caseworkers(actor)
    form = BulkForm(request.POST, caseworkers=caseworkers)
    if not form.is_valid():
        if "case" in form.errors:
            messages.error(request, _("Tick the cases to change first."))
        else:
            messages.error(request, " ".join(str(m) for e in form.errors.values() for m in e))
        return redirect(_back(request))
    d = form.cleaned_data
    cases = gate.cases_to_change(actor, d["case"])
    if d["action"] != CLOSE:
        gate.require_reassign_to(actor, d["caseworker"])
    if not d["confirm"]:
        current = {c.id: c.caseworker.get_username() for c in cases if c.caseworker}
        ids = [c.id for c in cases]
        rows = presenters.case_rows(
            case_queries.with_list_data(policy.visible_cases(actor).filter(id__in=ids)),
            scope=field_scope(actor, ids),
        )
        return render(
            request,
            "web/case_bulk_confirm.html",
            {
                "form": form,
                "rows": rows,
                "is_close": d["action"] == CLOSE,
                "reason": dict(form.fields["closure_reason"].choices).get(  # type: ignore[attr-defined]
                    d["closure_reason"], ""
                ),
                "caseworker": d["caseworker"].get_username() if d["caseworker"] else "",
                "current": [(row, current.get(row.case.id, "—")) for row in rows],
                "back": _back(request),
                "back_query": request.POST.get("back_query", ""),
            },
        )
    try:
        if d["action"] == CLOSE:
            done = list_services.close_cases(
                actor=actor, cases=cases, closure_reason=d["closure_reason"]
            )
        else:
            done = list_services.reassign_cases(
                actor=actor, cases=cases, caseworker=d["caseworker"]
            )
    except (IllegalTransition, ValidationError):
        messages.error(
            request,
            _("Nothing was changed: at least one of the cases cannot be closed (already closed?)."),
        )
    else:
        messages.success(
            request,
            ngettext("%(count)s case was changed.", "%(count)s cases were changed.", done)
            % {"count": done},
        )
    return redirect(_back(request))


def _back(request: HttpRequest) -> str:
    """The list the bulk form came from (its query string, checked to be a plain one)."""
    query = request.POST.get("back_query", "")
    allowed = {*FILTER_PARAMS, "s", "sort", "page"}
    parsed = QueryDict(query)
    safe = {k: parsed.get(k, "") for k in parsed if k in allowed}
    return reverse("web:case_list") + ("?" + query_string(safe) if safe else "")
