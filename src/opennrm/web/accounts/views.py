"""Login, logout and the start page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from opennrm.access import home as home_gate
from opennrm.accounts.models import User
from opennrm.accounts.services import record_failed_login, record_login, record_logout
from opennrm.web.accounts.forms import LoginForm
from opennrm.web.accounts.home import start_page
from opennrm.web.context import request_actor


class LoginView(auth_views.LoginView):
    """The password step. What follows (second factor, initial password, enrolment) is
    enforced by web.middleware.second_factor_required."""

    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record_login(user=form.get_user())
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        username = str(form.data.get("username", ""))[:150]
        if username:
            record_failed_login(username=username)
        return super().form_invalid(form)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if isinstance(request.user, User):
        record_logout(user=request.user)
    logout(request)
    response = redirect("web:login")
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page: what waits, the newest cases and the role's lists (access/home.py)."""
    actor = request_actor(request)
    if not home_gate.may_open(actor):
        raise PermissionDenied
    return render(request, "web/home.html", start_page(request, actor))
