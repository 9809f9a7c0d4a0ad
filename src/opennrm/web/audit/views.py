"""The audit trail: read it, verify the hash chain."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from opennrm.access import lists as lists_gate
from opennrm.access import policy, roles
from opennrm.audit.queries import all_events, filter_events
from opennrm.audit.services import verify_chain
from opennrm.web.audit.forms import AuditFilterForm
from opennrm.web.audit.presenters import audit_rows
from opennrm.web.context import audit, request_actor
from opennrm.web.lists import query_string


@login_required
@require_http_methods(["GET", "POST"])
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit trail, newest first, filtered by GET (user, action, object, days): the address
    can be bookmarked and paged; POST verifies the chain."""
    actor = request_actor(request)
    lists_gate.require_audit_log(actor)
    form = AuditFilterForm(request.GET or None)
    chosen = sorted(k for k, v in form.data.items() if v and k in form.fields)
    report = None
    if request.method == "POST":
        policy.require(actor, roles.AUDIT_VERIFY)
        with transaction.atomic():
            report = verify_chain()
        audit(actor, "audit.verified", ok=report.ok, checked=report.checked)
    else:
        audit(actor, "audit.viewed", filters=chosen)
    events = all_events()
    refused = form.is_bound and not form.is_valid()
    if refused:
        events = events.none()  # a filter that cannot be read lists nothing, not everything
    elif form.is_bound:
        events = filter_events(events, **form.filters())
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    params = {k: form.data.get(k, "") for k in form.fields} if form.is_bound else {}
    return render(
        request,
        "web/audit_log.html",
        {
            "page": page,
            "rows": audit_rows(page.object_list),
            "report": report,
            "form": form,
            "query": query_string(params),
            "filtered": bool(chosen),
        },
        status=422 if refused else 200,
    )
