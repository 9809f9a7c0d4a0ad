"""What screening contributes to a case timeline and to a user's "action needed" page."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opennrm.cases.models import Case
from opennrm.nrm.entries import ActionItem, TimelineEntry
from opennrm.nrm.screening import indicators, queries
from opennrm.nrm.screening.labels import lists_label, outcome_label
from opennrm.nrm.screening.models import Screening
from opennrm.tenancy.actor import Actor


def _list_label(screening: Screening) -> str:
    try:
        iset = indicators.indicator_set(screening.data_version)
    except KeyError:
        return " + ".join(screening.list_keys)
    return lists_label(iset, screening.list_keys)


def timeline_entries(case: Case) -> list[TimelineEntry]:
    """One entry per screening attached to the case (the caller may see the case)."""
    return [
        TimelineEntry(
            at=s.screened_at,
            kind="screening.recorded",
            label=_("Screening with the ILO/EC indicators (%(list)s): %(outcome)s")
            % {"list": _list_label(s), "outcome": outcome_label(s.outcome)},
            agency_id=s.agency_id,
            actor_id=s.screened_by_id,
            detail=s.reference,
        )
        for s in Screening.objects.filter(case=case).order_by("screened_at", "id")
    ]


def action_items(actor: Actor, cases: QuerySet[Case]) -> list[ActionItem]:
    """The agency's incomplete screenings, and its referral recommendations without a case.

    Only the screening agency can act on a screening, so only its own count; those attached to
    a case count while the case is among `cases` (the actor's visible cases, from the access
    gate). Call this only for actors whose roles grant `screening.record`.
    """
    if actor.agency is None:
        return []
    mine = Screening.objects.filter(
        Q(case__isnull=True) | Q(case__in=cases.values("id")), agency=actor.agency
    )
    items = [
        ActionItem(
            kind="screening.incomplete",
            label=ngettext(
                "Screening %(ref)s is incomplete: %(n)d indicator could change the result.",
                "Screening %(ref)s is incomplete: %(n)d indicators could change the result.",
                len(s.result.get("missing", [])),
            )
            % {"ref": s.reference, "n": len(s.result.get("missing", []))},
            case_id=s.case_id,
            url=reverse("web:screening_answers", kwargs={"screening_id": s.id}),
        )
        for s in queries.incomplete_screenings(mine).order_by("screened_at", "id")
    ]
    items += [
        ActionItem(
            kind="screening.refer",
            label=_(
                "Screening %(ref)s recommends a referral: register the person or attach the "
                "screening to their case."
            )
            % {"ref": s.reference},
            case_id=None,
            url=reverse("web:screening_detail", kwargs={"screening_id": s.id}),
        )
        for s in queries.presumed_victims_without_case(mine).order_by("screened_at", "id")
    ]
    return items
