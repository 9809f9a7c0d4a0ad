"""Assistance writes: the provider directory, support plans, services planned and delivered.

Keyword-only functions taking `actor`; each validates against the code lists (raising
`ValidationError` by field), runs in one transaction and appends one audit event holding codes,
ids and field names only. Who may call them is decided by the gate (`access.assistance`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.audit.services import record
from opennrm.cases.models import Case
from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.nrm.assistance.models import (
    ANY_CITIZENSHIP,
    CITIZENSHIP_RULES,
    ServiceDelivery,
    ServiceProvider,
)
from opennrm.nrm.assistance.models import SupportPlan as Plan
from opennrm.nrm.assistance.objectives import MAX_OBJECTIVES, open_objectives, seal_objectives
from opennrm.nrm.assistance.types import SHELTER, assistance_types
from opennrm.nrm.assistance.workflow import CANCEL, DELIVER, SERVICE
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency

MAX_AGE = 120
Errors = dict[str, list[str]]


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _audit(
    actor: Actor, action: str, object_type: str, object_id: object, **detail: object
) -> None:
    record(
        action=action,
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail,
    )


def _id(obj: Agency | ServiceProvider | Plan | None) -> str | None:
    return str(obj.id) if obj is not None else None


# --- the provider directory ------------------------------------------------------------------


@dataclass
class ProviderInput:
    agency: Agency
    services: list[str]
    oblast: str
    name: str = ""
    sexes: list[str] = field(default_factory=list)
    min_age: int | None = None
    max_age: int | None = None
    citizenship: str = ANY_CITIZENSHIP
    beds_total: int | None = None
    beds_free: int | None = None
    is_active: bool = True


def validate_provider(data: ProviderInput) -> None:
    errors: Errors = {}
    types = assistance_types()
    if not data.services:
        _add(errors, "services", _("Choose at least one service."))
    for code in data.services:
        if code not in types:
            _add(errors, "services", _("%(value)s is not a valid choice.") % {"value": code})
    if data.oblast not in code_list(codes.OBLAST):
        _add(errors, "oblast", _("Choose an oblast."))
    for code in data.sexes:
        if code not in code_list(codes.GENDER):
            _add(errors, "sexes", _("%(value)s is not a valid choice.") % {"value": code})
    if data.citizenship not in CITIZENSHIP_RULES:
        _add(errors, "citizenship", _("Choose who the provider takes by citizenship."))
    for name in ("min_age", "max_age"):
        age = getattr(data, name)
        if age is not None and not 0 <= age <= MAX_AGE:
            _add(errors, name, _("An age is between 0 and %(max)d.") % {"max": MAX_AGE})
    if data.min_age is not None and data.max_age is not None and data.max_age < data.min_age:
        _add(errors, "max_age", _("The maximum age is below the minimum age."))
    shelter = SHELTER in data.services
    for name in ("beds_total", "beds_free"):
        beds = getattr(data, name)
        if beds is not None and beds < 0:
            _add(errors, name, _("A number of beds cannot be negative."))
        elif beds is not None and not shelter:
            _add(errors, name, _("Beds are only given for shelter placement."))
    if data.beds_free is not None and data.beds_total is None:
        _add(errors, "beds_total", _("Give the total number of beds too."))
    elif (
        data.beds_free is not None
        and data.beds_total is not None
        and data.beds_free > data.beds_total
    ):
        _add(errors, "beds_free", _("More beds free than in total."))
    if not data.agency.is_active:
        _add(errors, "agency", _("This agency is not active."))
    if errors:
        raise ValidationError(errors)


def _apply_provider(provider: ServiceProvider, data: ProviderInput) -> list[str]:
    """Copy the input onto the provider; the names of the fields that changed."""
    changed = []
    if provider.agency_id != data.agency.id:
        provider.agency = data.agency
        changed.append("agency")
    values: dict[str, object] = {
        "name": data.name.strip(),
        "services": sorted(set(data.services)),
        "oblast": data.oblast,
        "sexes": sorted(set(data.sexes)),
        "min_age": data.min_age,
        "max_age": data.max_age,
        "citizenship": data.citizenship,
        "beds_total": data.beds_total,
        "beds_free": data.beds_free,
        "is_active": data.is_active,
    }
    for name, value in values.items():
        if getattr(provider, name) != value:
            setattr(provider, name, value)
            changed.append(name)
    return changed


def add_provider(*, actor: Actor, data: ProviderInput) -> ServiceProvider:
    """Add an entry to the directory of service providers."""
    validate_provider(data)
    provider = ServiceProvider()
    _apply_provider(provider, data)
    with transaction.atomic():
        provider.save()
        _audit(
            actor,
            "provider.added",
            "provider",
            provider.id,
            agency=str(data.agency.id),
            services=provider.services,
        )
    return provider


def update_provider(
    *, actor: Actor, provider: ServiceProvider, data: ProviderInput
) -> ServiceProvider:
    """Change a directory entry (services, eligibility, free beds, active flag)."""
    validate_provider(data)
    with transaction.atomic():
        provider = ServiceProvider.objects.select_for_update().get(pk=provider.pk)
        changed = _apply_provider(provider, data)
        if changed:
            provider.save()
            _audit(
                actor,
                "provider.updated",
                "provider",
                provider.id,
                agency=str(provider.agency_id),
                fields=sorted(changed),
            )
    return provider


# --- support plans ---------------------------------------------------------------------------


def _require_open_case(case: Case) -> None:
    if case.status in codes.CLOSED_STATUSES:
        raise ValidationError(_("The case is closed. Reopen it to change its assistance."))


def _validate_plan(
    case: Case,
    objectives: str,
    planned_end_date: dt.date | None,
    actual_end_date: dt.date | None,
) -> None:
    errors: Errors = {}
    if not objectives.strip():
        _add(errors, "objectives", _("Describe the objectives of the plan."))
    elif len(objectives) > MAX_OBJECTIVES:
        _add(
            errors,
            "objectives",
            _("At most %(max)d characters.") % {"max": MAX_OBJECTIVES},
        )
    if planned_end_date is not None and planned_end_date < case.identified_on:
        _add(errors, "planned_end_date", _("The date is before the identification."))
    if actual_end_date is not None and actual_end_date > timezone.localdate():
        _add(errors, "actual_end_date", _("The date cannot be in the future."))
    elif actual_end_date is not None and actual_end_date < case.identified_on:
        _add(errors, "actual_end_date", _("The date is before the identification."))
    if errors:
        raise ValidationError(errors)


def record_plan(
    *, actor: Actor, case: Case, objectives: str, planned_end_date: dt.date | None = None
) -> Plan:
    """Record a support plan for a case, its objectives encrypted."""
    if actor.agency is None:
        raise ValidationError(_("Only a user of an agency can record a support plan."))
    _require_open_case(case)
    _validate_plan(case, objectives, planned_end_date, None)
    with transaction.atomic():
        plan = Plan(
            case=case,
            agency=actor.agency,
            planned_end_date=planned_end_date,
            created_by=actor.user,
        )
        seal_objectives(plan, objectives.strip())
        plan.save()
        _audit(actor, "assistance.plan_recorded", "case", case.id, plan=str(plan.id))
    return plan


def update_plan(
    *,
    actor: Actor,
    plan: Plan,
    objectives: str,
    planned_end_date: dt.date | None,
    actual_end_date: dt.date | None,
) -> Plan:
    """Change a plan's objectives or dates; an actual end date ends it."""
    _validate_plan(plan.case, objectives, planned_end_date, actual_end_date)
    with transaction.atomic():
        plan = Plan.objects.select_for_update(of=("self",)).select_related("case").get(pk=plan.pk)
        changed = []
        if open_objectives(plan) != objectives.strip():
            seal_objectives(plan, objectives.strip())
            changed.append("objectives")
        for name, value in (
            ("planned_end_date", planned_end_date),
            ("actual_end_date", actual_end_date),
        ):
            if getattr(plan, name) != value:
                setattr(plan, name, value)
                changed.append(name)
        if changed:
            plan.save()
            _audit(
                actor,
                "assistance.plan_updated",
                "case",
                plan.case_id,
                plan=str(plan.id),
                fields=changed,
            )
    return plan


# --- services ----------------------------------------------------------------------------------


def _provider_errors(
    errors: Errors, provider: ServiceProvider | None, provider_agency: Agency | None
) -> None:
    if provider is not None and not provider.is_active:
        _add(errors, "provider", _("This provider is not active in the directory."))
    if provider is not None and provider_agency is not None and provider.agency != provider_agency:
        _add(errors, "provider_agency", _("The provider belongs to another agency."))


def plan_service(
    *,
    actor: Actor,
    case: Case,
    type: str,
    planned_on: dt.date,
    planned_end_on: dt.date | None = None,
    plan: Plan | None = None,
    provider: ServiceProvider | None = None,
    provider_agency: Agency | None = None,
) -> ServiceDelivery:
    """Plan a service for a case, optionally under a support plan and with a provider."""
    if actor.agency is None:
        raise ValidationError(_("Only a user of an agency can plan a service."))
    _require_open_case(case)
    errors: Errors = {}
    if type not in assistance_types():
        _add(errors, "type", _("Choose a type of assistance."))
    if plan is not None and plan.case_id != case.id:
        _add(errors, "plan", _("This plan belongs to another case."))
    elif plan is not None and not plan.is_open:
        _add(errors, "plan", _("This plan has ended."))
    if planned_end_on is not None and planned_end_on < planned_on:
        _add(errors, "planned_end_on", _("The end is before the start."))
    if provider is not None and type in assistance_types() and type not in provider.services:
        _add(errors, "provider", _("This provider does not offer this service."))
    _provider_errors(errors, provider, provider_agency)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        service = ServiceDelivery.objects.create(
            case=case,
            plan=plan,
            type=type,
            provider=provider,
            provider_agency=provider.agency if provider is not None else provider_agency,
            planned_on=planned_on,
            planned_end_on=planned_end_on,
            agency=actor.agency,
            recorded_by=actor.user,
        )
        _audit(
            actor,
            "assistance.service_planned",
            "case",
            case.id,
            service=str(service.id),
            type=type,
            plan=_id(plan),
            provider=_id(provider),
            provider_agency=_id(service.provider_agency),
        )
    return service


def record_delivery(
    *,
    actor: Actor,
    service: ServiceDelivery,
    delivered_from: dt.date,
    delivered_until: dt.date | None = None,
    provider: ServiceProvider | None = None,
    provider_agency: Agency | None = None,
) -> ServiceDelivery:
    """Record that a service was delivered, from when (until when, once known) and by whom.

    Without a provider given, the one named when planning stays. Recording it again updates the
    dates (for example the end of a shelter stay).
    """
    with transaction.atomic():
        service = (
            ServiceDelivery.objects.select_for_update(of=("self",))
            .select_related("case", "provider")
            .get(pk=service.pk)
        )
        SERVICE.check(service.state, DELIVER)
        _require_open_case(service.case)
        if provider is None and provider_agency is None:
            provider, provider_agency = service.provider, service.provider_agency
        errors: Errors = {}
        today = timezone.localdate()
        if delivered_from > today:
            _add(errors, "delivered_from", _("The date cannot be in the future."))
        elif delivered_from < service.case.identified_on:
            _add(
                errors,
                "delivered_from",
                _("The delivery cannot start before the identification (%(date)s).")
                % {"date": service.case.identified_on.isoformat()},
            )
        if delivered_until is not None and delivered_until < delivered_from:
            _add(errors, "delivered_until", _("The end is before the start."))
        elif delivered_until is not None and delivered_until > today:
            _add(errors, "delivered_until", _("The date cannot be in the future."))
        if provider is None and provider_agency is None:
            _add(errors, "provider", _("Name the provider: a directory entry or an agency."))
        if provider is not None and service.type not in provider.services:
            _add(errors, "provider", _("This provider does not offer this service."))
        if provider is not None and provider != service.provider:
            _provider_errors(errors, provider, provider_agency)
        elif provider is not None and provider_agency not in (None, provider.agency):
            _add(errors, "provider_agency", _("The provider belongs to another agency."))
        if errors:
            raise ValidationError(errors)
        first = service.delivered_from is None
        service.state = SERVICE.transition(DELIVER).target
        service.delivered_from, service.delivered_until = delivered_from, delivered_until
        service.provider = provider
        service.provider_agency = provider.agency if provider is not None else provider_agency
        service.delivery_recorded_by, service.delivery_recorded_at = actor.user, timezone.now()
        service.save()
        _audit(
            actor,
            "assistance.service_delivered" if first else "assistance.delivery_updated",
            "case",
            service.case_id,
            service=str(service.id),
            type=service.type,
            provider=_id(service.provider),
            provider_agency=_id(service.provider_agency),
            ended=delivered_until is not None,
        )
    return service


def cancel_service(*, actor: Actor, service: ServiceDelivery) -> ServiceDelivery:
    """Cancel a planned service (a delivered one stays on record)."""
    with transaction.atomic():
        service = ServiceDelivery.objects.select_for_update().get(pk=service.pk)
        SERVICE.check(service.state, CANCEL)
        service.state = SERVICE.transition(CANCEL).target
        service.cancelled_by, service.cancelled_at = actor.user, timezone.now()
        service.save(update_fields=["state", "cancelled_by", "cancelled_at"])
        _audit(
            actor,
            "assistance.service_cancelled",
            "case",
            service.case_id,
            service=str(service.id),
            type=service.type,
        )
    return service
