"""The gate of statistics: over which cases an actor's figures are computed, and whether the
actor sees exact counts.

- `stats.national` (coordinator, statistician): every case of every agency, as counts only;
- `stats.view` alone: the cases the actor may see (`policy.visible_cases`), so an agency's
  dashboard never counts another agency's cases it may not see;
- `stats.exact`: exact counts inside the system; everyone else, and everything that leaves the
  system (downloads, the API), gets counts protected by `reports.disclosure`.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from opennrm.access import policy
from opennrm.access.roles import STATS_EXACT, STATS_NATIONAL, STATS_PUBLISH, STATS_VIEW
from opennrm.cases.models import Case
from opennrm.core.disclosure import Audience
from opennrm.justice.models import Proceeding
from opennrm.tenancy.actor import Actor


def can_view(actor: Actor) -> bool:
    return actor.agency is not None and policy.can(actor, STATS_VIEW)


def require_view(actor: Actor) -> None:
    if not can_view(actor):
        raise Http404


def is_national(actor: Actor) -> bool:
    return can_view(actor) and policy.can(actor, STATS_NATIONAL)


def can_publish(actor: Actor) -> bool:
    return is_national(actor) and policy.can(actor, STATS_PUBLISH)


def require_publish(actor: Actor) -> None:
    require_view(actor)
    if not can_publish(actor):
        raise PermissionDenied(STATS_PUBLISH)


def cases_in_scope(actor: Actor) -> QuerySet[Case]:
    require_view(actor)
    if is_national(actor):
        return Case.objects.all()
    return policy.visible_cases(actor)


def proceedings_in_scope(actor: Actor) -> QuerySet[Proceeding]:
    """The criminal proceedings an actor's justice figures count: all for national
    statistics; else those the agency registered, prosecutes or tries, or in which the cases
    it may see take part (counts only: no proceeding is shown)."""
    require_view(actor)
    if is_national(actor):
        return Proceeding.objects.all()
    agency = actor.agency
    return Proceeding.objects.filter(
        Q(registering_agency=agency)
        | Q(prosecution_agency=agency)
        | Q(court=agency)
        | Q(participants__case__in=policy.visible_cases(actor).values("id"))
    ).distinct()


def audience(actor: Actor, *, leaving: bool) -> Audience:
    """Exact counts only inside the system and only for `stats.exact`."""
    if not leaving and policy.can(actor, STATS_EXACT):
        return Audience.INTERNAL
    return Audience.EXTERNAL


def get_report_for(actor: Actor, job_id: object) -> Any:
    """A period report (`reports.ReportJob`) is seen only by the user who asked for it (else
    404). The model is named, not imported: `reports` sits above the gate in the layers."""
    require_view(actor)
    jobs = apps.get_model("reports", "ReportJob")._default_manager
    job = jobs.filter(id=policy._as_uuid(job_id), requested_by=actor.user).first()
    if job is None:
        raise Http404
    return job
