"""Reads over proceedings. Every function takes a queryset the access gate has scoped."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Min, Prefetch, Q, QuerySet

from opennrm.cases.models import Case
from opennrm.justice import workflow as wf
from opennrm.justice.models import Hearing, Participant, Proceeding, ProtectionMeasure


@dataclass(frozen=True)
class ProceedingFilters:
    stage: str = ""
    article: str = ""
    overdue: bool = False


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def investigation_deadline(proceeding: Proceeding) -> dt.date | None:
    """The end of the pre-trial investigation term (Criminal Procedure Code art. 219 part 1):
    after the notice of suspicion OPENNRM_JUSTICE_INVESTIGATION_MONTHS (12 for a grave or
    especially grave crime), before it OPENNRM_JUSTICE_PRE_SUSPICION_MONTHS from registration
    (18 for such crimes, as amended in 2017). None once the case has left the pre-trial stage."""
    if proceeding.stage not in wf.PRE_TRIAL:
        return None
    if proceeding.suspicion_notified_on is not None:
        return add_months(
            proceeding.suspicion_notified_on, settings.OPENNRM_JUSTICE_INVESTIGATION_MONTHS
        )
    return add_months(proceeding.registered_on, settings.OPENNRM_JUSTICE_PRE_SUSPICION_MONTHS)


def _overdue_q(today: dt.date) -> Q:
    months_after = settings.OPENNRM_JUSTICE_INVESTIGATION_MONTHS
    months_before = settings.OPENNRM_JUSTICE_PRE_SUSPICION_MONTHS
    return Q(stage__in=wf.PRE_TRIAL) & (
        Q(
            suspicion_notified_on__isnull=False,
            suspicion_notified_on__lt=add_months(today, -months_after),
        )
        | Q(suspicion_notified_on__isnull=True, registered_on__lt=add_months(today, -months_before))
    )


def filter_proceedings(
    proceedings: QuerySet[Proceeding], filters: ProceedingFilters, today: dt.date
) -> QuerySet[Proceeding]:
    if filters.stage:
        proceedings = proceedings.filter(stage=filters.stage)
    if filters.article:
        proceedings = proceedings.filter(article=filters.article)
    if filters.overdue:
        proceedings = proceedings.filter(_overdue_q(today))
    return proceedings


def with_list_data(proceedings: QuerySet[Proceeding], today: dt.date) -> QuerySet[Proceeding]:
    return proceedings.select_related("registering_agency", "prosecution_agency", "court").annotate(
        next_hearing=Min("hearings__on", filter=Q(hearings__on__gte=today))
    )


def with_detail_data(proceedings: QuerySet[Proceeding]) -> QuerySet[Proceeding]:
    return proceedings.select_related(
        "registering_agency", "prosecution_agency", "court", "investigator", "prosecutor"
    ).prefetch_related(
        "qualifications",
        "steps",
        "hearings",
        "suspects",
        "judgments",
        Prefetch(
            "participants",
            queryset=Participant.objects.select_related("case").prefetch_related(
                "protection", "compensation"
            ),
        ),
    )


@dataclass(frozen=True)
class Milestone:
    """What a caseworker sees of a proceeding their client takes part in, and nothing more."""

    erdr_number: str
    article: str
    stage: str
    role: str
    next_hearing: dt.date | None
    protection: str  # the latest decision on a protection measure ("" when none)


def milestones(case: Case, today: dt.date) -> list[Milestone]:
    """The proceedings a case takes part in; the next hearing is the earliest one still on the
    calendar (scheduled, not yet recorded as held or adjourned)."""
    rows = (
        Participant.objects.filter(case=case)
        .select_related("proceeding")
        .prefetch_related(
            Prefetch("protection", queryset=ProtectionMeasure.objects.order_by("requested_on")),
            Prefetch(
                "proceeding__hearings",
                queryset=Hearing.objects.filter(outcome="Scheduled").order_by("on"),
                to_attr="upcoming",
            ),
        )
        .order_by("proceeding__registered_on")
    )
    out = []
    for p in rows:
        upcoming = getattr(p.proceeding, "upcoming", [])
        measures = list(p.protection.all())
        out.append(
            Milestone(
                erdr_number=p.proceeding.erdr_number,
                article=p.proceeding.article,
                stage=p.proceeding.stage,
                role=p.role,
                next_hearing=upcoming[0].on if upcoming else None,
                protection=measures[-1].decision if measures else "",
            )
        )
    return out
