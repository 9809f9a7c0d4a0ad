"""The agency admin's page of users: second factor and password state; reset the second factor,
give a new one-time password, log out everywhere; add a user, change their roles, disable and
enable them. Every action audited (accounts.services, tenancy.services); who may do what is
decided in access.second_factor and access.users."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from opennrm.access import second_factor as gate
from opennrm.access import users as users_gate
from opennrm.accounts.models import User
from opennrm.accounts.services import (
    backup_device,
    disable_user,
    enable_user,
    end_sessions,
    passkeys,
    reset_password,
    reset_second_factor,
    totp_device,
)
from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Membership
from opennrm.tenancy.services import invite_user, set_roles
from opennrm.web.accounts.user_forms import InviteForm, RolesForm
from opennrm.web.context import request_actor
from opennrm.web.forms import apply_service_errors


def _row(user: User, actor_user: User, roles: frozenset[str]) -> dict[str, object]:
    backup = backup_device(user)
    return {
        "user": user,
        "roles": sorted(roles),
        "role_labels": [code_list(codes.ROLE).label(role) for role in sorted(roles)],
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
    return render(
        request,
        "web/user_list.html",
        {"rows": rows, "agency": actor.agency, "may_invite": users_gate.administers_agency(actor)},
    )


@login_required
def user_invite(request: HttpRequest) -> HttpResponse:
    """Add a user to the admin's agency; the one-time initial password is shown once."""
    actor = request_actor(request)
    users_gate.check_administers_agency(actor)
    assert actor.agency is not None
    form = InviteForm(request.POST or None, agency=actor.agency)
    if request.method == "POST" and form.is_valid():
        users_gate.check_grantable(actor.agency, form.cleaned_data["roles"])
        try:
            user, password = invite_user(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                roles=form.cleaned_data["roles"],
                agency=actor.agency,
                actor=actor.user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The user %(username)s was added to your agency.")
                % {"username": user.get_username()},
            )
            return render(
                request,
                "web/user_password_reset.html",
                {
                    "managed": user,
                    "password": password,
                    "expires_at": user.initial_password_expires_at,
                    "invited": True,
                },
            )
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "web/user_invite.html", {"form": form}, status=status)


def _detail(
    request: HttpRequest,
    actor: Actor,
    user: User,
    roles_form: RolesForm | None = None,
    status: int = 200,
) -> HttpResponse:
    row = _row(user, actor.user, gate.user_roles(user))
    may_manage = users_gate.may_manage(actor, user)
    if roles_form is None and may_manage:
        assert actor.agency is not None
        roles_form = RolesForm(initial={"roles": row["roles"]}, agency=actor.agency)
    return render(
        request,
        "web/user_detail.html",
        {
            "row": row,
            "may_reset": gate.may_reset(actor, user),
            "may_manage": may_manage,
            "roles_form": roles_form,
        },
        status=status,
    )


def _manageable(request: HttpRequest, user_id: str) -> tuple[Actor, User]:
    """The admin and a user of their agency whose roles and account they may change (404 for
    another agency's user, 403 for a protected one)."""
    actor = request_actor(request)
    user = gate.get_managed_user(actor, user_id)
    users_gate.check_may_manage(actor, user)
    return actor, user


@login_required
def user_detail(request: HttpRequest, user_id: str) -> HttpResponse:
    actor = request_actor(request)
    return _detail(request, actor, gate.get_managed_user(actor, user_id))


@login_required
@require_POST
def user_roles(request: HttpRequest, user_id: str) -> HttpResponse:
    actor, user = _manageable(request, user_id)
    assert actor.agency is not None
    form = RolesForm(request.POST, agency=actor.agency)
    if not form.is_valid():
        return _detail(request, actor, user, roles_form=form, status=422)
    users_gate.check_grantable(actor.agency, form.cleaned_data["roles"])
    changed = set_roles(
        user=user, agency=actor.agency, roles=form.cleaned_data["roles"], actor=actor.user
    )
    if changed:
        messages.success(
            request,
            _("The roles of %(username)s were changed. They apply from their next page.")
            % {"username": user.get_username()},
        )
    else:
        messages.info(request, _("The roles were not changed."))
    return redirect("web:user_detail", user_id=user.pk)


@login_required
@require_POST
def user_disable(request: HttpRequest, user_id: str) -> HttpResponse:
    actor, user = _manageable(request, user_id)
    ended = disable_user(user=user, actor=actor.user, agency_id=actor.agency_id)
    messages.success(
        request,
        ngettext(
            "%(username)s was disabled and logged out everywhere (%(count)d session ended).",
            "%(username)s was disabled and logged out everywhere (%(count)d sessions ended).",
            ended,
        )
        % {"username": user.get_username(), "count": ended},
    )
    return redirect("web:user_detail", user_id=user.pk)


@login_required
@require_POST
def user_enable(request: HttpRequest, user_id: str) -> HttpResponse:
    actor, user = _manageable(request, user_id)
    enable_user(user=user, actor=actor.user, agency_id=actor.agency_id)
    messages.success(
        request,
        _("%(username)s was enabled again and can log in.") % {"username": user.get_username()},
    )
    return redirect("web:user_detail", user_id=user.pk)


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
