"""The agency admin's page of users: second factor and password state; reset the second factor,
give a new one-time password, log out everywhere. Every action audited (accounts.services);
who may do what is decided in access.second_factor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opennrm.access import second_factor as gate
from opennrm.accounts.models import User
from opennrm.accounts.services import (
    backup_device,
    end_sessions,
    passkeys,
    reset_password,
    reset_second_factor,
    totp_device,
)
from opennrm.tenancy.models import Membership
from opennrm.web.context import request_actor


def _row(user: User, actor_user: User, roles: frozenset[str]) -> dict[str, object]:
    backup = backup_device(user)
    return {
        "user": user,
        "roles": sorted(roles),
        "totp": totp_device(user) is not None,
        "backup_left": backup.token_set.count() if backup else 0,
        "passkeys": len(passkeys(user)),
        "passkey_required": gate.needs_passkey(roles),
        "protected": bool(roles & gate.PROTECTED_ROLES) or user.pk == actor_user.pk,
    }


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if not gate.administers_users(actor):
        raise PermissionDenied
    users = list(gate.managed_users(actor))
    roles: dict[object, set[str]] = {}
    for user_id, role in Membership.objects.filter(
        user__in=users, agency=actor.agency, is_active=True
    ).values_list("user_id", "role"):
        roles.setdefault(user_id, set()).add(role)
    rows = [_row(u, actor.user, frozenset(roles.get(u.pk, set()))) for u in users]
    return render(request, "web/user_list.html", {"rows": rows, "agency": actor.agency})


@login_required
def user_detail(request: HttpRequest, user_id: str) -> HttpResponse:
    actor = request_actor(request)
    user = gate.get_managed_user(actor, user_id)
    row = _row(user, actor.user, gate.user_roles(user))
    return render(
        request, "web/user_detail.html", {"row": row, "may_reset": gate.may_reset(actor, user)}
    )


@login_required
@require_POST
def user_reset_second_factor(request: HttpRequest, user_id: str) -> HttpResponse:
    actor = request_actor(request)
    user = gate.get_managed_user(actor, user_id)
    gate.check_may_reset(actor, user)
    reset_second_factor(user=user, actor=actor.user, agency_id=actor.agency_id)
    messages.success(
        request,
        _(
            "The second factor of %(username)s was removed and their sessions ended. They set up "
            "a new one at their next login."
        )
        % {"username": user.get_username()},
    )
    return redirect("web:user_detail", user_id=user.pk)


@login_required
@require_POST
def user_reset_password(request: HttpRequest, user_id: str) -> HttpResponse:
    actor = request_actor(request)
    user = gate.get_managed_user(actor, user_id)
    gate.check_may_reset(actor, user)
    password = reset_password(user=user, actor=actor.user, agency_id=actor.agency_id)
    return render(
        request,
        "web/user_password_reset.html",
        {"managed": user, "password": password, "expires_at": user.initial_password_expires_at},
    )


@login_required
@require_POST
def user_end_sessions(request: HttpRequest, user_id: str) -> HttpResponse:
    actor = request_actor(request)
    user = gate.get_managed_user(actor, user_id)
    ended = end_sessions(user=user, actor=actor.user, agency_id=actor.agency_id)
    messages.success(
        request,
        _("%(username)s was logged out everywhere (%(count)d sessions ended).")
        % {"username": user.get_username(), "count": ended},
    )
    if user.pk == actor.user.pk:
        return redirect("web:login")
    return redirect("web:user_detail", user_id=user.pk)
