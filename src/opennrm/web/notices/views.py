"""The user's notifications: the list, opening one (marks it read), marking all read, and the
preferences (which kinds, in the application and by e-mail). Gate: access/notices.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opennrm.access import notices as gate
from opennrm.notices import kinds, queries, services
from opennrm.notices.models import Notification
from opennrm.web.context import refresh_nav_counts, request_actor
from opennrm.web.notices.forms import PreferencesForm


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if not gate.may_open(actor):
        raise PermissionDenied
    notices = queries.listing(gate.own(actor, Notification.objects.all()))
    page = Paginator(notices, 30).get_page(request.GET.get("page"))
    refresh_nav_counts(request)  # the bell exact on this page
    rows = [
        {
            "notice": n,
            "text": kinds.text(
                n.kind, n.agency.display_name if n.agency else None, n.reference, n.purpose
            ),
        }
        for n in page.object_list
    ]
    return render(request, "notices/list.html", {"page": page, "rows": rows})


@login_required
def notification_open(request: HttpRequest, notification_id: str) -> HttpResponse:
    """Open what a notification is about; it is read from then on."""
    actor = request_actor(request)
    notice = gate.get_own(actor, Notification.objects.all(), notification_id)
    services.mark_read(actor=actor, notification=notice)
    refresh_nav_counts(request)
    return redirect(kinds.target_path(notice.object_type, notice.object_id))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if not gate.may_open(actor):
        raise PermissionDenied
    services.mark_all_read(actor=actor)
    refresh_nav_counts(request)
    messages.success(request, _("All notifications are marked read."))
    return redirect("web:notification_list")


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if not gate.may_open(actor):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None  # all boxes off: still a choice
    form = PreferencesForm(
        data,
        shown=gate.receivable(actor, kinds.KINDS),
        current=queries.preferences(actor.user),
    )
    if request.method == "POST" and form.is_valid():
        services.set_preferences(actor=actor, choices=form.choices())
        messages.success(request, _("Your notification settings are saved."))
        return redirect("web:notification_preferences")
    return render(
        request,
        "notices/preferences.html",
        {"form": form, "has_email": bool(actor.user.email)},
        status=422 if form.is_bound else 200,
    )
