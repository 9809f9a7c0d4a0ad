"""One's own API tokens: issued, expiring, last used; revoke after a confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from opennrm.access import tokens as token_gate
from opennrm.accounts.services import revoke_api_token
from opennrm.web.context import request_actor


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    tokens = token_gate.own_tokens(request_actor(request)).order_by("-created_at", "id")
    return render(request, "web/token_list.html", {"tokens": tokens})


@login_required
def token_revoke(request: HttpRequest, token_id: str) -> HttpResponse:
    actor = request_actor(request)
    api_token = token_gate.get_token_for(actor, token_id)
    if request.method == "POST":
        if revoke_api_token(api_token=api_token, actor=actor.user, agency_id=actor.agency_id):
            messages.success(request, _("The token was revoked. It no longer works."))
        else:
            messages.info(request, _("The token was already revoked."))
        return redirect("web:token_list")
    return render(request, "web/token_revoke.html", {"token": api_token})
