"""Web views of the criminal-justice chain: my proceedings, registering one, the proceeding
page with its timeline, and one POST form per step and record.

Thin: fetch through `access.justice` (404 hidden, 403 the wrong side), validate a form, call a
`justice.services` function, redirect; a refused field re-renders the page with 422 next to the
field, an illegal step re-renders it with a message and 409.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opennrm.access import justice as gate
from opennrm.access import policy
from opennrm.access.roles import PROCEEDING_VIEW
from opennrm.audit.services import record
from opennrm.cases.models import Case
from opennrm.core.workflow import IllegalTransition
from opennrm.justice import queries, services
from opennrm.justice import workflow as wf
from opennrm.justice.models import NonPunishment, Proceeding
from opennrm.tenancy.actor import Actor
from opennrm.web.context import audit, request_actor
from opennrm.web.forms import apply_service_errors
from opennrm.web.justice import forms as jf
from opennrm.web.justice import presenters as pr

PAGE_SIZE = 25
PURPOSE = gate.PURPOSE


def illegal_message(exc: IllegalTransition) -> str:
    return _("“%(action)s” is not possible now: the proceeding is at the stage “%(stage)s”.") % {
        "action": pr.action_label(exc.action),
        "stage": pr.stage_label(exc.state),
    }


def _audit_view(actor: Actor, proceeding: Proceeding) -> None:
    record(
        action="proceeding.viewed",
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type="proceeding",
        object_id=proceeding.id,
        purpose=PURPOSE,
        detail={},
    )


# --- my proceedings --------------------------------------------------------------------------


@login_required
def proceeding_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if not gate.can_view(actor):
        raise PermissionDenied(PROCEEDING_VIEW)
    form = jf.ProceedingFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = queries.ProceedingFilters(
        stage=data.get("stage") or "",
        article=data.get("article") or "",
        overdue=bool(data.get("overdue")),
    )
    today = timezone.localdate()
    proceedings = queries.with_list_data(
        queries.filter_proceedings(gate.visible_proceedings(actor), filters, today), today
    ).order_by("-registered_on", "erdr_number")
    page = Paginator(proceedings, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    audit(
        actor,
        "proceeding.listed",
        "proceeding",
        None,
        proceeding_ids=sorted(str(p.id) for p in shown),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "justice/proceeding_list.html",
        {
            "form": form,
            "filtered": any((filters.stage, filters.article, filters.overdue)),
            "page": page,
            "query": query.urlencode(),
            "rows": pr.list_rows(shown, today),
            "deadline_rule": pr.deadline_rule(),
            "can_create": gate.can_create(actor),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proceeding_new(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    gate.require_create(actor)
    form = jf.RegisterProceedingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proceeding = services.register_proceeding(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The proceeding was registered."))
            return redirect("web:proceeding_detail", proceeding_id=proceeding.id)
    return render(
        request,
        "justice/proceeding_form.html",
        {"form": form},
        status=422 if request.method == "POST" else 200,
    )


# --- the proceeding page ---------------------------------------------------------------------


@dataclass
class ActionBlock:
    label: str
    url: str
    form: Form
    irreversible: bool
    open: bool = False


def _render_detail(
    request: HttpRequest,
    actor: Actor,
    proceeding: Proceeding,
    *,
    bound: dict[str, Form] | None = None,
    illegal: str = "",
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    p = queries.with_detail_data(Proceeding.objects.filter(pk=proceeding.pk)).get()
    today = timezone.localdate()
    suspects = list(p.suspects.all())
    participants = sorted(p.participants.all(), key=lambda x: x.added_at)
    suspect_labels = pr.suspect_labels(actor, suspects)
    participant_labels = pr.participant_labels(actor, participants)
    requests = list(
        NonPunishment.objects.filter(proceeding=p).select_related("case").order_by("requested_on")
    )
    permissions = policy.permissions(actor)
    steps = [
        ActionBlock(
            label=str(t.label),
            url=reverse(f"web:proceeding_{t.action}", kwargs={"proceeding_id": p.id}),
            form=bound.get(t.action) or jf.action_form(t.action),
            irreversible=t.action in jf.IRREVERSIBLE,
            open=t.action in bound,
        )
        for t in wf.WORKFLOW.available(p.stage, permissions)
        if gate.may(actor, p, t.permission)
    ]

    def may(write: str) -> bool:
        return gate.may_write(actor, p, write)

    def form(key: str, make: Callable[[], Form], write: str) -> Form | None:
        return (bound.get(key) or make()) if may(write) else None

    def choose_participant(
        cls: type[jf.ParticipantChoiceForm], key: str, write: str
    ) -> Form | None:
        if not participants:
            return None
        return form(
            key,
            lambda: cls(prefix=key, participants=p.participants.all(), labels=participant_labels),
            write,
        )

    in_court = p.stage in wf.IN_COURT
    context = {
        "p": p,
        "facts": pr.facts(actor, p),
        "deadline": pr.deadline(p, today),
        "qualifications": pr.qualifications(p),
        "timeline": pr.timeline(p),
        "stage": pr.stage_label(p.stage),
        "closed": p.stage == wf.CLOSED,
        "participants": pr.participant_rows(actor, participants),
        "suspects": pr.suspect_rows(actor, suspects),
        "sees_suspects": gate.sees_suspects(actor),
        "hearings": [
            {
                **row,
                "form": (
                    bound.get(f"hearing-{row['hearing'].id}")
                    or jf.HearingOutcomeForm(
                        prefix=f"hearing-{row['hearing'].id}",
                        initial={"outcome": row["hearing"].outcome},
                    )
                )
                if may("hearing")
                else None,
                "open": f"hearing-{row['hearing'].id}" in bound,
            }
            for row in pr.hearing_rows(p)
        ],
        "judgments": pr.judgment_rows(p, suspect_labels),
        "pending_protection": [
            {
                "measure": m,
                "participant": participant_labels.get(m.participant_id, ""),
                "form": bound.get(f"protection-{m.id}")
                or jf.ProtectionDecisionForm(prefix=f"protection-{m.id}"),
                "open": f"protection-{m.id}" in bound,
            }
            for row in pr.participant_rows(actor, participants)
            for m in (item["measure"] for item in row["protection"])
            if m.decision == "Requested" and may("protection")
        ],
        "non_punishment": [
            {
                "item": r,
                "reference": r.case.reference,
                "liability": pr.label("liability_kind", r.liability),
                "outcome": pr.label("non_punishment_outcome", r.outcome),
                "form": (
                    bound.get(f"non_punishment-{r.id}")
                    or jf.NonPunishmentDecisionForm(prefix=f"non_punishment-{r.id}")
                )
                if r.outcome == "Pending" and may("non_punishment")
                else None,
                "open": f"non_punishment-{r.id}" in bound,
            }
            for r in requests
        ],
        "steps": steps,
        "requalify_form": form(
            "requalify", lambda: jf.RequalifyForm(prefix="requalify"), "requalify"
        )
        if p.stage in wf.PRE_TRIAL
        else None,
        "participant_form": form(
            "participant", lambda: jf.ParticipantForm(prefix="participant"), "participant"
        ),
        "suspect_form": form("suspect", lambda: jf.SuspectForm(prefix="suspect"), "suspect")
        if p.stage != wf.CLOSED
        else None,
        "hearing_form": form("hearing", lambda: jf.HearingForm(prefix="hearing"), "hearing")
        if in_court
        else None,
        "judgment_form": form(
            "judgment",
            lambda: jf.JudgmentForm(
                prefix="judgment", suspects=p.suspects.all(), labels=suspect_labels
            ),
            "judgment",
        )
        if suspects and p.stage in {wf.TRIAL, wf.VERDICT, wf.APPEAL, wf.CASSATION, wf.IN_FORCE}
        else None,
        "protection_form": choose_participant(jf.ProtectionRequestForm, "protection", "protection"),
        "compensation_form": choose_participant(
            jf.CompensationForm, "compensation", "compensation"
        ),
        "non_punishment_form": choose_participant(
            jf.NonPunishmentForm, "non_punishment", "non_punishment"
        ),
        "illegal": illegal,
    }
    return render(request, "justice/proceeding_detail.html", context, status=status)


def _fetch(actor: Actor, proceeding_id: object) -> Proceeding:
    return gate.get_proceeding_for(actor, proceeding_id)


@login_required
def proceeding_detail(request: HttpRequest, proceeding_id: str) -> HttpResponse:
    actor = request_actor(request)
    proceeding = _fetch(actor, proceeding_id)
    _audit_view(actor, proceeding)
    return _render_detail(request, actor, proceeding)


def _submit(
    request: HttpRequest,
    actor: Actor,
    proceeding: Proceeding,
    key: str,
    form: Form,
    call: Callable[[dict[str, Any]], object],
    done: str,
    rename: dict[str, str] | None = None,
) -> HttpResponse:
    """A form of the proceeding page: call the service with the valid form; an illegal step
    answers 409 with the page, refused fields go back to the form (422), success says `done`."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except IllegalTransition as exc:
            return _render_detail(
                request, actor, proceeding, illegal=illegal_message(exc), status=409
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, rename)
        else:
            messages.success(request, done)
            return redirect("web:proceeding_detail", proceeding_id=proceeding.id)
    return _render_detail(request, actor, proceeding, bound={key: form}, status=422)


def _transition_view(action: str) -> Callable[[HttpRequest, str], HttpResponse]:
    transition = wf.WORKFLOW.transition(action)

    @login_required
    @require_POST
    def view(request: HttpRequest, proceeding_id: str) -> HttpResponse:
        actor = request_actor(request)
        proceeding = gate.get_proceeding_for(actor, proceeding_id, transition.permission)
        return _submit(
            request,
            actor,
            proceeding,
            action,
            jf.action_form(action, request.POST),
            lambda d: services.advance(actor=actor, proceeding=proceeding, action=action, **d),
            _("Recorded: %(step)s.") % {"step": transition.label},
        )

    view.__name__ = f"proceeding_{action}"
    return view


TRANSITION_VIEWS = {t.action: _transition_view(t.action) for t in wf.WORKFLOW.transitions}


def _write_view(
    write: str,
    key: str,
    make_form: Callable[[HttpRequest, Proceeding, Actor], Form],
    call: Callable[[Actor, Proceeding, dict[str, Any]], object],
    done: Callable[[], str],
    rename: dict[str, str] | None = None,
) -> Callable[[HttpRequest, str], HttpResponse]:
    """A POST form of the proceeding page that records `write` (access.justice.WRITES)."""

    @login_required
    @require_POST
    def view(request: HttpRequest, proceeding_id: str) -> HttpResponse:
        actor = request_actor(request)
        proceeding = _fetch(actor, proceeding_id)
        gate.authorize_write(actor, proceeding, write)
        return _submit(
            request,
            actor,
            proceeding,
            key,
            make_form(request, proceeding, actor),
            lambda d: call(actor, proceeding, d),
            done(),
            rename,
        )

    view.__name__ = f"proceeding_{key}"
    return view


def _case_by_reference(actor: Actor, reference: str) -> Case:
    """The case a reference names among the cases the actor may link (access.justice): a
    field error when none is visible, or it is visible but not shared for proceedings."""
    matches = list(policy.visible_cases(actor).filter(id__startswith=reference)[:2])
    if len(matches) != 1:
        raise ValidationError({"case": [_("No case you can see has this reference.")]})
    try:
        return gate.get_case_to_link(actor, matches[0].id)
    except (Http404, PermissionDenied):
        raise ValidationError(
            {
                "case": [
                    _(
                        "This case is neither your agency's nor shared with it for criminal "
                        "proceedings."
                    )
                ]
            }
        ) from None


def _add_participant(actor: Actor, proceeding: Proceeding, d: dict[str, Any]) -> object:
    case = _case_by_reference(actor, d.pop("case_reference"))
    return services.add_participant(actor=actor, proceeding=proceeding, case=case, **d)


def _participant_form(
    cls: type[jf.ParticipantChoiceForm], key: str
) -> Callable[[HttpRequest, Proceeding, Actor], Form]:
    def make(request: HttpRequest, proceeding: Proceeding, actor: Actor) -> Form:
        participants = list(proceeding.participants.select_related("case"))
        return cls(
            request.POST,
            prefix=key,
            participants=proceeding.participants.all(),
            labels=pr.participant_labels(actor, participants),
        )

    return make


def _judgment_form(request: HttpRequest, proceeding: Proceeding, actor: Actor) -> Form:
    suspects = list(proceeding.suspects.all())
    return jf.JudgmentForm(
        request.POST,
        prefix="judgment",
        suspects=proceeding.suspects.all(),
        labels=pr.suspect_labels(actor, suspects),
    )


def _plain(cls: type[Form], key: str) -> Callable[[HttpRequest, Proceeding, Actor], Form]:
    return lambda request, proceeding, actor: cls(request.POST, prefix=key)


requalify = _write_view(
    "requalify",
    "requalify",
    _plain(jf.RequalifyForm, "requalify"),
    lambda actor, p, d: services.requalify(actor=actor, proceeding=p, **d),
    lambda: _("The new legal qualification was recorded."),
)
participant_add = _write_view(
    "participant",
    "participant",
    _plain(jf.ParticipantForm, "participant"),
    _add_participant,
    lambda: _("The participant was added."),
    rename={"case": "case_reference"},
)
suspect_add = _write_view(
    "suspect",
    "suspect",
    _plain(jf.SuspectForm, "suspect"),
    lambda actor, p, d: services.add_suspect(
        actor=actor, proceeding=p, **jf.SuspectForm.arguments(d)
    ),
    lambda: _("The suspect was recorded."),
)
hearing_schedule = _write_view(
    "hearing",
    "hearing",
    _plain(jf.HearingForm, "hearing"),
    lambda actor, p, d: services.schedule_hearing(actor=actor, proceeding=p, **d),
    lambda: _("The hearing was scheduled."),
)
judgment_add = _write_view(
    "judgment",
    "judgment",
    _judgment_form,
    lambda actor, p, d: services.record_judgment(actor=actor, proceeding=p, **d),
    lambda: _("The judgment was recorded."),
)


def _participant_call(
    service: Callable[..., object],
) -> Callable[[Actor, Proceeding, dict[str, Any]], object]:
    def call(actor: Actor, proceeding: Proceeding, d: dict[str, Any]) -> object:
        return service(actor=actor, participant=d.pop("participant"), **d)

    return call


def _non_punishment(actor: Actor, proceeding: Proceeding, d: dict[str, Any]) -> object:
    participant = d.pop("participant")
    return services.record_non_punishment(
        actor=actor, case=participant.case, proceeding=proceeding, **d
    )


protection_request = _write_view(
    "protection",
    "protection",
    _participant_form(jf.ProtectionRequestForm, "protection"),
    _participant_call(services.request_protection),
    lambda: _("The request for protection was recorded."),
)
compensation_add = _write_view(
    "compensation",
    "compensation",
    _participant_form(jf.CompensationForm, "compensation"),
    _participant_call(services.record_compensation),
    lambda: _("The compensation was recorded."),
)
non_punishment_add = _write_view(
    "non_punishment",
    "non_punishment",
    _participant_form(jf.NonPunishmentForm, "non_punishment"),
    _non_punishment,
    lambda: _("The request for release from liability was recorded."),
)


# --- decisions on one record of the proceeding ------------------------------------------------


@login_required
@require_POST
def hearing_record(request: HttpRequest, proceeding_id: str, hearing_id: str) -> HttpResponse:
    actor = request_actor(request)
    hearing = gate.get_hearing_for(actor, proceeding_id, hearing_id)
    proceeding = hearing.proceeding
    key = f"hearing-{hearing.id}"
    return _submit(
        request,
        actor,
        proceeding,
        key,
        jf.HearingOutcomeForm(request.POST, prefix=key),
        lambda d: services.record_hearing(actor=actor, hearing=hearing, **d),
        _("The outcome of the hearing was recorded."),
    )


@login_required
@require_POST
def protection_decide(request: HttpRequest, proceeding_id: str, protection_id: str) -> HttpResponse:
    actor = request_actor(request)
    measure = gate.get_protection_for(actor, proceeding_id, protection_id)
    proceeding = measure.participant.proceeding
    key = f"protection-{measure.id}"
    return _submit(
        request,
        actor,
        proceeding,
        key,
        jf.ProtectionDecisionForm(request.POST, prefix=key),
        lambda d: services.decide_protection(actor=actor, measure=measure, **d),
        _("The decision on protection was recorded."),
    )


@login_required
@require_POST
def non_punishment_decide(
    request: HttpRequest, proceeding_id: str, non_punishment_id: str
) -> HttpResponse:
    actor = request_actor(request)
    item = gate.get_non_punishment_for(actor, proceeding_id, non_punishment_id)
    proceeding = _fetch(actor, proceeding_id)
    key = f"non_punishment-{item.id}"
    return _submit(
        request,
        actor,
        proceeding,
        key,
        jf.NonPunishmentDecisionForm(request.POST, prefix=key),
        lambda d: services.decide_non_punishment(actor=actor, request=item, **d),
        _("The decision on release from liability was recorded."),
    )
