"""The agency admin's hub: the agency's users, its entries in the directory of service
providers and the API tokens of its users, each a link to the page that manages it.

Who may open it: `access.users.administers_agency` (403 for everyone else). The page shows
no personal data of victims (usernames of staff, codes and counts); opening it is audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from opennrm.access import assistance as assistance_gate
from opennrm.access import second_factor
from opennrm.access import tokens as token_gate
from opennrm.access import users as users_gate
from opennrm.nrm.assistance.types import type_label
from opennrm.web.context import audit, request_actor


@login_required
@require_GET
def agency_admin(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    users_gate.check_administers_agency(actor)
    assert actor.agency is not None
    users = second_factor.managed_users(actor)
    providers = assistance_gate.editable_providers(actor).order_by("oblast", "name")
    tokens = (
        token_gate.visible_tokens(actor)
        .filter(revoked_at__isnull=True)
        .order_by("user__username", "-created_at")
    )
    audit(actor, "agency.administration_viewed", "agency", actor.agency.id)
    return render(
        request,
        "web/agency_admin.html",
        {
            "agency": actor.agency,
            "users_total": users.count(),
            "users_disabled": users.filter(is_active=False).count(),
            "providers": [
                {
                    "provider": p,
                    "services": ", ".join(type_label(t) for t in p.services),
                }
                for p in providers
            ],
            "tokens": [t for t in tokens if t.state == "active"],
        },
    )
