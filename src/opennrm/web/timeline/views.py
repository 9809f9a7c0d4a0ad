"""The case timeline and each user's "action needed" page, merged from every part of a case."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opennrm.access import policy, roles
from opennrm.access import timeline as timeline_gate
from opennrm.accounts.models import User
from opennrm.audit.services import record
from opennrm.tenancy.models import Agency
from opennrm.web.context import action_items_of, action_rows, request_actor


@login_required
def case_timeline_view(request: HttpRequest, case_id: str) -> HttpResponse:
    actor = request_actor(request)
    case = policy.get_case_for(actor, case_id, roles.CASE_VIEW)
    entries = timeline_gate.case_timeline(actor, case)
    users = dict(
        User.objects.filter(id__in={e.actor_id for e in entries if e.actor_id}).values_list(
            "id", "username"
        )
    )
    agencies = {
        agency.id: agency.display_name
        for agency in Agency.objects.filter(id__in={e.agency_id for e in entries if e.agency_id})
    }
    record(
        action="case.timeline_viewed",
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type="case",
        object_id=case.id,
    )
    rows = [
        {
            "entry": e,
            "who": users.get(e.actor_id, "")
            if e.actor_id and policy.shows_staff(actor, e.agency_id)
            else "",
            "agency": agencies.get(e.agency_id, "") if e.agency_id else "",
        }
        for e in entries
    ]
    return render(request, "nrm/case_timeline.html", {"case": case, "rows": rows})


@login_required
def action_needed(request: HttpRequest) -> HttpResponse:
    items = action_items_of(request)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "nrm/action_needed.html",
        {
            "page": page,
            "items": page.object_list,
            # each with where its case reference leads (the case, or the item's own page)
            "rows": action_rows(request_actor(request), list(page.object_list)),
            "overdue": sum(1 for i in items if i.overdue),
            "total": len(items),
        },
    )
