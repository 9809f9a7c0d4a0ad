"""What assistance contributes to a case timeline and to the "action needed" page.

Labels are translated when called. Nothing personal: types, agency names and dates only (the
plan's objectives never appear here).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.cases.models import Case
from opennrm.core.codes import CLOSED_STATUSES
from opennrm.nrm.assistance.models import ServiceDelivery, SupportPlan
from opennrm.nrm.assistance.queries import overdue_plans, overdue_services
from opennrm.nrm.assistance.types import type_label
from opennrm.nrm.assistance.workflow import CANCELLED, DELIVERED
from opennrm.nrm.entries import ActionItem, TimelineEntry
from opennrm.tenancy.actor import Actor


def _day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _provider(service: ServiceDelivery) -> str:
    if service.provider is not None:
        return service.provider.display_name
    if service.provider_agency is not None:
        return service.provider_agency.name
    return _("provider not named")


def case_assistance_url(case_id: object) -> str:
    return reverse("web:assistance_case", kwargs={"case_id": case_id})


def timeline_entries(case: Case) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for plan in SupportPlan.objects.filter(case=case).select_related("agency"):
        entries.append(
            TimelineEntry(
                at=plan.created_at,
                kind="assistance.plan_recorded",
                label=_("Support plan recorded by %(agency)s")
                % {"agency": plan.agency.display_name},
                agency_id=plan.agency_id,
                actor_id=plan.created_by_id,
            )
        )
        if plan.actual_end_date is not None:
            entries.append(
                TimelineEntry(
                    at=_day(plan.actual_end_date),
                    kind="assistance.plan_ended",
                    label=_("Support plan ended"),
                    agency_id=plan.agency_id,
                )
            )
    services = ServiceDelivery.objects.filter(case=case).select_related(
        "provider__agency", "provider_agency"
    )
    for s in services:
        values = {"type": type_label(s.type), "provider": _provider(s)}
        entries.append(
            TimelineEntry(
                at=s.recorded_at,
                kind="assistance.service_planned",
                label=_("Service planned: %(type)s (%(provider)s)") % values,
                agency_id=s.agency_id,
                actor_id=s.recorded_by_id,
                detail=_("planned from %(day)s") % {"day": s.planned_on.isoformat()},
            )
        )
        if s.state == DELIVERED and s.delivered_from is not None:
            until = s.delivered_until.isoformat() if s.delivered_until else _("ongoing")
            entries.append(
                TimelineEntry(
                    at=_day(s.delivered_from),
                    kind="assistance.service_delivered",
                    label=_("Service delivered: %(type)s by %(provider)s") % values,
                    agency_id=s.provider_agency_id,
                    actor_id=s.delivery_recorded_by_id,
                    detail=f"{s.delivered_from.isoformat()} – {until}",
                )
            )
        if s.state == CANCELLED and s.cancelled_at is not None:
            entries.append(
                TimelineEntry(
                    at=s.cancelled_at,
                    kind="assistance.service_cancelled",
                    label=_("Service cancelled: %(type)s") % values,
                    actor_id=s.cancelled_by_id,
                )
            )
    return sorted(entries, key=lambda e: e.at)


def action_items(actor: Actor, cases: QuerySet[Case]) -> list[ActionItem]:
    """Support-plan actions past their planned end, for the agency that owns the case.

    `cases` is already scoped by the access gate; only the open cases the actor's agency owns
    count.
    """
    if actor.agency_id is None:
        return []
    today = timezone.localdate()
    owned = (
        cases.filter(owner_agency_id=actor.agency_id)
        .exclude(status__in=CLOSED_STATUSES)
        .values("id")
    )
    items: list[ActionItem] = []
    late = ServiceDelivery.objects.filter(case__in=owned).select_related(
        "case", "provider__agency", "provider_agency"
    )
    for s in overdue_services(late, today):
        items.append(
            ActionItem(
                kind="assistance.service_overdue",
                label=_("Record the delivery or cancel: %(type)s (%(provider)s), case %(case)s")
                % {"type": type_label(s.type), "provider": _provider(s), "case": s.case.reference},
                case_id=s.case_id,
                url=case_assistance_url(s.case_id),
                due=s.planned_until,
                overdue=True,
            )
        )
    plans = SupportPlan.objects.filter(case__in=owned).select_related("case")
    for plan in overdue_plans(plans, today):
        assert plan.planned_end_date is not None
        items.append(
            ActionItem(
                kind="assistance.plan_overdue",
                label=_("Support plan past its planned end: review it, case %(case)s")
                % {"case": plan.case.reference},
                case_id=plan.case_id,
                url=case_assistance_url(plan.case_id),
                due=plan.planned_end_date,
                overdue=True,
            )
        )
    return items
