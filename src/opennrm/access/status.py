"""The gate of the status procedure: which applications an actor sees, and what they may do.

Visible: the applications of cases the actor sees (`policy.visible_cases`), plus those whose
personal file the actor's agency holds now (`nrm.status.queries.handled_by`: the receiving
office, the oblast level while the file is there, the deciding agency from forwarding on), for
actors with a status permission. Hidden answers 404, visible but not allowed 403.

A transition needs the permission the workflow table names AND the actor's agency must hold
the file (the level of the current state). Payments are handled by the receiving office.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from opennrm.access import policy
from opennrm.access.policy import _as_uuid
from opennrm.access.roles import (
    CASE_CHANGE,
    PAYMENT_MANAGE,
    STATUS_DECIDE,
    STATUS_PROCESS,
    STATUS_REGISTER,
)
from opennrm.cases.models import Case
from opennrm.core.workflow import Transition
from opennrm.nrm.entries import ActionItem
from opennrm.nrm.status import queries, timeline
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.models import OneTimePayment, ReflectionPeriod, StatusApplication
from opennrm.tenancy.actor import Actor

STATUS_PERMISSIONS = frozenset({STATUS_REGISTER, STATUS_PROCESS, STATUS_DECIDE, PAYMENT_MANAGE})


def takes_part(actor: Actor, case: Case) -> bool:
    """Whether the actor takes part in this case's status procedure (owner or a share for it)."""
    return bool(STATUS_PERMISSIONS & policy.case_access(actor, case).permissions)


def has_status_role(actor: Actor) -> bool:
    return actor.agency is not None and bool(STATUS_PERMISSIONS & policy.permissions(actor))


def visible_applications(actor: Actor) -> QuerySet[StatusApplication]:
    if actor.agency is None:
        return StatusApplication.objects.none()
    visible = Q(case__in=policy.visible_cases(actor).values("id"))
    if has_status_role(actor):
        visible |= queries.handled_by(actor.agency_id)
    return StatusApplication.objects.filter(visible)


def get_application_for(
    actor: Actor,
    application_id: object,
    permission: str | None,
    queryset: QuerySet[StatusApplication] | None = None,
) -> StatusApplication:
    """An application the actor may see (else 404) and act on with `permission` (else 403).

    `permission=None`: seeing it is enough (the detail page; actions authorise separately).
    """
    # A subquery keeps the caller's select_related and prefetch_related (`&` would drop them).
    rows = StatusApplication.objects.all() if queryset is None else queryset
    application = rows.filter(
        id=_as_uuid(application_id), pk__in=visible_applications(actor).values("pk")
    ).first()
    if application is None:
        raise Http404
    if permission is not None:
        policy.require(actor, permission)
    return application


def may_register(actor: Actor) -> bool:
    """Receiving offices (hromada, local state administration) register applications."""
    return (
        actor.agency is not None
        and policy.can(actor, STATUS_REGISTER)
        and actor.agency.kind in wf.agency_kinds(wf.RECEIVING)
    )


def holds_file(actor: Actor, application: StatusApplication) -> bool:
    """Whether the actor's agency holds the file now (takes the next step)."""
    return actor.agency is not None and application.handling_agency_id == actor.agency_id


def allowed_transitions(actor: Actor, application: StatusApplication) -> list[Transition]:
    """The actions the actor may take now: from the table, their permissions and the file."""
    if not holds_file(actor, application):
        return []
    return wf.application_workflow().available(application.state, policy.permissions(actor))


def authorize_transition(actor: Actor, application: StatusApplication, action: str) -> Transition:
    """PermissionDenied without the table's permission or when another agency holds the file;
    IllegalTransition when the action is not possible in the current state."""
    workflow = wf.application_workflow()
    try:
        transition = workflow.transition(action)
    except KeyError:
        raise Http404 from None
    policy.require(actor, transition.permission)
    workflow.check(application.state, action)
    if not holds_file(actor, application):
        raise PermissionDenied(action)
    return transition


def may_update_documents(actor: Actor, application: StatusApplication) -> bool:
    return (
        policy.can(actor, STATUS_PROCESS)
        and wf.STATE_LEVEL[application.state] == wf.RECEIVING
        and holds_file(actor, application)
    )


def authorize_documents_update(actor: Actor, application: StatusApplication) -> None:
    if not may_update_documents(actor, application):
        raise PermissionDenied("update_documents")


def action_items(actor: Actor) -> list[ActionItem]:
    """The status part of "action needed", with the gate's visibility of applications."""
    return timeline.action_items(
        actor, policy.visible_cases(actor), applications=visible_applications(actor)
    )


# --- the one-time payment --------------------------------------------------------------------


def may_manage_payment(actor: Actor, application: StatusApplication) -> bool:
    """The receiving office (social protection at the place of stay) claims and pays."""
    return policy.can(actor, PAYMENT_MANAGE) and application.receiving_agency_id == actor.agency_id


def authorize_payment(actor: Actor, application: StatusApplication) -> None:
    policy.require(actor, PAYMENT_MANAGE)
    if application.receiving_agency_id != actor.agency_id:
        raise PermissionDenied(PAYMENT_MANAGE)


def get_payment_for(actor: Actor, payment_id: object, permission: str) -> OneTimePayment:
    payment = (
        OneTimePayment.objects.filter(
            application__in=visible_applications(actor), id=_as_uuid(payment_id)
        )
        .select_related("application")
        .first()
    )
    if payment is None:
        raise Http404
    policy.require(actor, permission)
    if permission == PAYMENT_MANAGE:
        authorize_payment(actor, payment.application)
    return payment


# --- the reflection period -------------------------------------------------------------------


def visible_reflection_periods(actor: Actor) -> QuerySet[ReflectionPeriod]:
    return ReflectionPeriod.objects.filter(case__in=policy.visible_cases(actor).values("id"))


def get_reflection_period_for(
    actor: Actor, period_id: object, permission: str = CASE_CHANGE
) -> ReflectionPeriod:
    period = (
        visible_reflection_periods(actor)
        .filter(id=_as_uuid(period_id))
        .select_related("case")
        .first()
    )
    if period is None:
        raise Http404
    # The actor's rights on this case (a share never grants case.change), not only the role.
    if permission not in policy.case_access(actor, period.case).permissions:
        raise PermissionDenied(permission)
    return period
