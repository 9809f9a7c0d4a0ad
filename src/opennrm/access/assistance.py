""" "Can" and "which" for assistance: support plans, services, and the provider directory.

Plans and services are visible with their case (`policy.visible_cases`); writing them needs
`assistance.manage` in the actor's access to the case (`policy.case_access`): the owner
agency's roles, or a share whose purpose grants it (shelter, medical, psychological, legal,
return). A plan's objectives are psycho-social notes: they show to the owner and to shares that
include the "Psychosocial" data category, and only who may read them may write them.

The provider directory is not personal data: every signed-in user with an agency sees the
active entries. `provider.manage` edits them: the national coordinator any entry, an agency
administrator their own agency's. Hidden answers 404, visible but not allowed 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from opennrm.access import policy
from opennrm.access.fields import PSYCHOSOCIAL
from opennrm.access.policy import _as_uuid
from opennrm.access.roles import (
    ASSISTANCE_MANAGE,
    CASE_VIEW,
    PROVIDER_MANAGE,
    PROVIDER_NATIONAL,
)
from opennrm.cases.models import Case
from opennrm.nrm.assistance.models import ServiceDelivery, ServiceProvider, SupportPlan
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency

# --- plans and services ----------------------------------------------------------------------


def visible_plans(actor: Actor) -> QuerySet[SupportPlan]:
    return SupportPlan.objects.filter(case__in=policy.visible_cases(actor).values("id"))


def visible_services(actor: Actor) -> QuerySet[ServiceDelivery]:
    return ServiceDelivery.objects.filter(case__in=policy.visible_cases(actor).values("id"))


def may_manage(actor: Actor, case: Case) -> bool:
    """Whether the actor may plan, deliver and cancel services of a case they see."""
    return ASSISTANCE_MANAGE in policy.case_access(actor, case).permissions


def sees_objectives(actor: Actor, case: Case) -> bool:
    """Whether a plan's objectives show: the owner, or a share with psycho-social notes."""
    return policy.case_access(actor, case).shows(PSYCHOSOCIAL)


def get_case_for_plans(actor: Actor, case_id: object) -> Case:
    """A case whose support plans the actor may record (404 hidden, 403 not allowed)."""
    case = policy.get_case_for(actor, case_id, ASSISTANCE_MANAGE)
    if not sees_objectives(actor, case):
        raise PermissionDenied(PSYCHOSOCIAL)
    return case


def get_plan_for(actor: Actor, plan_id: object, permission: str) -> SupportPlan:
    """A plan the actor may see (else 404) and act on with `permission` (else 403).

    Writing (`assistance.manage`) also needs to see the objectives.
    """
    plan = (
        visible_plans(actor)
        .filter(id=_as_uuid(plan_id))
        .select_related("case", "case__person", "agency")
        .first()
    )
    if plan is None:
        raise Http404
    if permission not in policy.case_access(actor, plan.case).permissions:
        raise PermissionDenied(permission)
    if permission == ASSISTANCE_MANAGE and not sees_objectives(actor, plan.case):
        raise PermissionDenied(PSYCHOSOCIAL)
    return plan


def get_plan_to_view(actor: Actor, plan_id: object) -> SupportPlan:
    """A plan shown as the case's assistance page shows it: to those who provide assistance on
    the case (else 403; hidden 404); its objectives only where `sees_objectives`."""
    plan = get_plan_for(actor, plan_id, CASE_VIEW)
    if not may_manage(actor, plan.case):
        raise PermissionDenied(ASSISTANCE_MANAGE)
    return plan


def get_service_for(actor: Actor, service_id: object, permission: str) -> ServiceDelivery:
    """A service the actor may see (else 404) and act on with `permission` (else 403)."""
    service = (
        visible_services(actor)
        .filter(id=_as_uuid(service_id))
        .select_related("case", "case__person", "provider__agency", "provider_agency", "plan")
        .first()
    )
    if service is None:
        raise Http404
    if permission not in policy.case_access(actor, service.case).permissions:
        raise PermissionDenied(permission)
    return service


# --- the provider directory ------------------------------------------------------------------


def keeps_national_directory(actor: Actor) -> bool:
    return policy.can(actor, PROVIDER_MANAGE) and policy.can(actor, PROVIDER_NATIONAL)


def editable_providers(actor: Actor) -> QuerySet[ServiceProvider]:
    """Entries the actor may change: all for the national coordinator, else their agency's."""
    if actor.agency is None or not policy.can(actor, PROVIDER_MANAGE):
        return ServiceProvider.objects.none()
    if keeps_national_directory(actor):
        return ServiceProvider.objects.all()
    return ServiceProvider.objects.filter(agency=actor.agency)


def visible_providers(actor: Actor) -> QuerySet[ServiceProvider]:
    """The directory for a signed-in user with an agency: active entries, plus inactive ones
    they may edit (to reactivate them)."""
    if actor.agency is None:
        return ServiceProvider.objects.none()
    return ServiceProvider.objects.filter(
        Q(is_active=True) | Q(id__in=editable_providers(actor).values("id"))
    )


def may_edit_provider(actor: Actor, provider: ServiceProvider) -> bool:
    return editable_providers(actor).filter(pk=provider.pk).exists()


def get_provider_for(
    actor: Actor, provider_id: object, permission: str | None = None
) -> ServiceProvider:
    """A directory entry the actor may see (else 404); with `provider.manage`, one they may
    edit (else 403)."""
    provider = (
        visible_providers(actor).filter(id=_as_uuid(provider_id)).select_related("agency").first()
    )
    if provider is None:
        raise Http404
    if permission is not None:
        policy.require(actor, permission)
        if permission == PROVIDER_MANAGE and not may_edit_provider(actor, provider):
            raise PermissionDenied(permission)
    return provider


def provider_agencies(actor: Actor) -> QuerySet[Agency]:
    """Agencies the actor may add directory entries for."""
    if actor.agency is None or not policy.can(actor, PROVIDER_MANAGE):
        return Agency.objects.none()
    if keeps_national_directory(actor):
        return Agency.objects.filter(is_active=True)
    return Agency.objects.filter(id=actor.agency.id, is_active=True)


def authorize_provider_agency(actor: Actor, agency: Agency) -> None:
    """PermissionDenied unless the actor may keep directory entries for this agency."""
    if not provider_agencies(actor).filter(pk=agency.pk).exists():
        raise PermissionDenied(PROVIDER_MANAGE)


def require_directory(actor: Actor) -> None:
    """The directory needs a signed-in user acting for one agency."""
    if actor.agency is None:
        raise PermissionDenied


def get_case_for_search(actor: Actor, case_id: object) -> Case:
    """The case a provider search is made for (eligibility from its coarse facts)."""
    return policy.get_case_for(actor, case_id, CASE_VIEW)
