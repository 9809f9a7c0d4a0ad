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
from opennrm.access.fields import IDENTITY
from opennrm.access.policy import _as_uuid
from opennrm.access.roles import (
    CASE_CHANGE,
    PAYMENT_MANAGE,
    PERSON_VIEW,
    STATUS_DECIDE,
    STATUS_PROCESS,
    STATUS_REGISTER,
)
from opennrm.cases.models import Case
from opennrm.core.workflow import Transition
from opennrm.nrm.entries import ActionItem
from opennrm.nrm.status import forms_pdf, queries, timeline
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


# --- the printed forms (Resolution No. 417) --------------------------------------------------

# Who prints a form of an application: a status official (processing or deciding).
PRINT_PERMISSIONS = frozenset({STATUS_PROCESS, STATUS_DECIDE})
# Who prints the journal: the receiving office that keeps it.
JOURNAL_PERMISSIONS = frozenset({STATUS_REGISTER, STATUS_PROCESS})


def has_held_file(actor: Actor, application: StatusApplication) -> bool:
    """Whether the actor's agency holds or has held the personal file (any of its levels)."""
    return actor.agency_id is not None and actor.agency_id in {
        application.receiving_agency_id,
        application.oblast_agency_id,
        application.national_agency_id,
    }


def shows_identity(actor: Actor, application: StatusApplication) -> bool:
    """Whether the person's identity shows to the actor on the application's case: the case is
    visible and its Identity category shows (owner, or a share with Identity), with person.view."""
    case = application.case
    if not policy.visible_cases(actor).filter(pk=case.pk).exists():
        return False
    access = policy.case_access(actor, case)
    return access.shows(IDENTITY) and PERSON_VIEW in access.permissions


def may_print(actor: Actor, application: StatusApplication, form: str) -> bool:
    """Whether the actor may print `form` of a visible application: a status official of an
    agency holding or having held the file; the certificate, which names the person, only for
    the receiving office and the deciding agency, and only where the identity shows."""
    if form not in forms_pdf.available_forms(application):
        return False
    if not (PRINT_PERMISSIONS & policy.permissions(actor)) or not has_held_file(actor, application):
        return False
    if form == forms_pdf.CERTIFICATE:
        issuers = {application.receiving_agency_id, application.national_agency_id}
        return actor.agency_id in issuers and shows_identity(actor, application)
    return True


def printable_forms(actor: Actor, application: StatusApplication) -> list[str]:
    return [f for f in forms_pdf.APPLICATION_FORMS if may_print(actor, application, f)]


def authorize_print(actor: Actor, application: StatusApplication, form: str) -> None:
    """Http404 for a form that does not exist (unknown, or not issued yet: no certificate
    before the grant, no decision before it is taken); PermissionDenied when the actor may not
    print it. The application was fetched through `get_application_for` (hidden: 404)."""
    if form not in forms_pdf.available_forms(application):
        raise Http404
    if not may_print(actor, application, form):
        raise PermissionDenied(f"print_{form}")


def may_print_journal(actor: Actor) -> bool:
    """The journal is printed by a receiving office, of its own applications only."""
    return (
        actor.agency is not None
        and bool(JOURNAL_PERMISSIONS & policy.permissions(actor))
        and actor.agency.kind in wf.agency_kinds(wf.RECEIVING)
    )


def journal_applications(actor: Actor) -> QuerySet[StatusApplication]:
    """The applications in the actor's agency's journal: those it received (registered), in
    journal order, whether or not the file is still there (PermissionDenied for others)."""
    if not may_print_journal(actor):
        raise PermissionDenied("print_journal")
    return (
        StatusApplication.objects.filter(receiving_agency_id=actor.agency_id)
        .select_related("case")
        .order_by("applied_on", "created_at", "journal_number")
    )
