"""The audit trail: read it, verify the hash chain."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from opennrm.access import policy, roles
from opennrm.audit.queries import all_events
from opennrm.audit.services import verify_chain
from opennrm.web.audit.presenters import audit_rows
from opennrm.web.context import audit, request_actor


@login_required
@require_http_methods(["GET", "POST"])
def audit_log(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    policy.require(actor, roles.AUDIT_VIEW)
    report = None
    if request.method == "POST":
        policy.require(actor, roles.AUDIT_VERIFY)
        with transaction.atomic():
            report = verify_chain()
        audit(actor, "audit.verified", ok=report.ok, checked=report.checked)
    else:
        audit(actor, "audit.viewed")
    page = Paginator(all_events(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "web/audit_log.html",
        {
            "page": page,
            "rows": audit_rows(page.object_list),
            "report": report,
        },
    )
