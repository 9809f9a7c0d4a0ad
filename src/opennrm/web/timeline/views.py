"""The case timeline and each user's "action needed" page, merged from every part of a case."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opennrm.access import policy, roles
from opennrm.access import status as status_gate
from opennrm.accounts.models import User
from opennrm.audit.services import record
from opennrm.cases import timeline as case_timeline
from opennrm.cases.models import Case
from opennrm.core.entries import ActionItem, TimelineEntry
from opennrm.nrm.assistance import timeline as assistance_timeline
from opennrm.nrm.referrals import timeline as referral_timeline
from opennrm.nrm.screening import timeline as screening_timeline
from opennrm.nrm.status import timeline as status_timeline
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency
from opennrm.web.context import request_actor

CASE_PARTS = (screening_timeline, assistance_timeline)


def case_timeline_entries(actor: Actor, case: Case) -> list[TimelineEntry]:
    """Every part's entries, in order; a share sees only the parts its purpose and data allow
    (the status procedure to those who take part in it, assistance to those who provide it,
    screenings with the case facts), as the pages of those parts do."""
    access = policy.case_access(actor, case)
    parts = [case_timeline, referral_timeline]
    if roles.ASSISTANCE_MANAGE in access.permissions:  # health and psycho-social help
        parts.append(assistance_timeline)
    if access.is_owner or access.shows("CaseFacts"):
        parts.append(screening_timeline)
    if status_gate.takes_part(actor, case):
        parts.append(status_timeline)
    entries = [e for part in parts for e in part.timeline_entries(case)]
    return sorted(entries, key=lambda e: e.at)


@login_required
def case_timeline_view(request: HttpRequest, case_id: str) -> HttpResponse:
    actor = request_actor(request)
    case = policy.get_case_for(actor, case_id, roles.CASE_VIEW)
    entries = case_timeline_entries(actor, case)
    users = dict(
        User.objects.filter(id__in={e.actor_id for e in entries if e.actor_id}).values_list(
            "id", "username"
        )
    )
    agencies = dict(
        Agency.objects.filter(id__in={e.agency_id for e in entries if e.agency_id}).values_list(
            "id", "name"
        )
    )
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
            "who": users.get(e.actor_id, "") if e.actor_id else "",
            "agency": agencies.get(e.agency_id, "") if e.agency_id else "",
        }
        for e in entries
    ]
    return render(request, "nrm/case_timeline.html", {"case": case, "rows": rows})


def _sort_key(item: ActionItem) -> tuple[int, dt.date]:
    return (0 if item.overdue else 1, item.due or dt.date.max)


@login_required
def action_needed(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    cases = policy.visible_cases(actor)
    items: list[ActionItem] = referral_timeline.action_items(actor, policy.visible_referrals(actor))
    for part in CASE_PARTS:
        items += part.action_items(actor, cases)
    # Status files follow the agency that holds them, not only visible cases.
    items += status_gate.action_items(actor)
    items.sort(key=_sort_key)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "nrm/action_needed.html",
        {
            "page": page,
            "items": page.object_list,
            "overdue": sum(1 for i in items if i.overdue),
            "total": len(items),
        },
    )
