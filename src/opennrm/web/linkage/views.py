"""Record-linkage pages for the national coordinator and the statistician: runs with their
progress, the review queue, the side-by-side view of a pair, decisions and unmerging."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opennrm.access import linkage as gate
from opennrm.access import roles
from opennrm.linkage import queries, services
from opennrm.linkage.models import CandidatePair, LinkageRun
from opennrm.people.models import Person
from opennrm.reports import facts
from opennrm.web.context import request_actor
from opennrm.web.linkage.forms import DecisionForm, QueueFilterForm, RunForm
from opennrm.web.linkage.presenters import pair_view, queue_row, run_row


@login_required
def linkage_overview(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    gate.require_review(actor)
    runs = list(queries.runs()[:10])
    active = any(run.is_active for run in runs)
    return render(
        request,
        "linkage/overview.html",
        {
            "count": queries.count_persons(Person.objects.all()),
            "runs": [run_row(run) for run in runs],
            "active": active,
            "can_run": gate.can_run(actor),
            "run_form": RunForm(),
            "to_review": queries.review_queue().count(),
        },
    )


@login_required
@require_POST
def linkage_run_start(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    gate.require_run(actor)
    form = RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to run over."))
        return redirect("web:linkage_overview")
    try:
        services.start_run(actor=actor, kind=form.cleaned_data["kind"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The run is queued. The worker carries it out; this page shows progress.")
        )
    return redirect("web:linkage_overview")


@login_required
def linkage_queue(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    gate.require_queue(actor)
    form = QueueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    low, high = data.get("min_probability"), data.get("max_probability")
    show = data.get("show") or ""
    listed = facts.review_queue(
        show=show,
        min_probability=low / 100 if low is not None else None,
        max_probability=high / 100 if high is not None else None,
    )
    pairs = CandidatePair.objects.none() if listed is None else listed
    page = Paginator(pairs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    together = queries.counted_as_one(page.object_list)
    return render(
        request,
        "linkage/queue.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "rows": [queue_row(pair, pair.id in together) for pair in page.object_list],
            "recounting": listed is None,
            "held_apart": show == "held_apart",
        },
    )


@login_required
def linkage_pair(request: HttpRequest, pair_id: str) -> HttpResponse:
    actor = request_actor(request)
    pair = gate.get_pair_for(actor, pair_id)
    services.record_pair_view(actor, pair)
    return render(
        request,
        "linkage/pair.html",
        {
            "pair": pair,
            "view": pair_view(pair),
            "counted_as_one": pair.id in queries.counted_as_one([pair]),
            "can_merge": gate.can_merge(actor),
            "decisions": DecisionForm.base_fields["decision"].choices,  # type: ignore[attr-defined]
        },
    )


@login_required
@require_POST
def linkage_decide(request: HttpRequest, pair_id: str) -> HttpResponse:
    actor = request_actor(request)
    pair = gate.get_pair_for(actor, pair_id, roles.LINKAGE_MERGE)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose same person, different persons or unsure."))
        return redirect("web:linkage_pair", pair_id=pair.id)
    try:
        services.decide(actor=actor, pair=pair, decision=form.cleaned_data["decision"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("web:linkage_pair", pair_id=pair.id)
    messages.success(request, _("Decision recorded."))
    following = queries.review_queue().exclude(id=pair.id).first()
    if following is not None and request.POST.get("next") == "queue":
        return redirect("web:linkage_pair", pair_id=following.id)
    return redirect("web:linkage_pair", pair_id=pair.id)


@login_required
@require_http_methods(["GET", "POST"])
def linkage_unmerge(request: HttpRequest, pair_id: str) -> HttpResponse:
    """Undo a merge: a confirmation page, then the change (audited)."""
    actor = request_actor(request)
    pair = gate.get_pair_for(actor, pair_id, roles.LINKAGE_MERGE)
    if pair.decision != CandidatePair.Decision.SAME:
        messages.error(request, _("Only a pair decided as the same person can be unmerged."))
        return redirect("web:linkage_pair", pair_id=pair.id)
    if request.method == "POST":
        try:
            services.unmerge(actor=actor, pair=pair)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The merge was undone; the pair is back in the queue."))
        return redirect("web:linkage_pair", pair_id=pair.id)
    return render(request, "linkage/unmerge_confirm.html", {"pair": pair})


@login_required
def linkage_run_detail(request: HttpRequest, run_id: str) -> HttpResponse:
    actor = request_actor(request)
    run: LinkageRun = gate.get_run_for(actor, run_id)
    return render(request, "linkage/run.html", {"run": run, "row": run_row(run)})
