"""The start page: what each actor may find there (decided here, shown by `web/home`).

Every logged-in user may open the start page (`may_open`); it shows only what the gate lets
the actor see: the action items of `access.timeline.action_needed`, the newest cases among
`policy.visible_cases` (by reference, never a name), and the figures of the lists the actor's
roles open, each counted over the same scoped querysets the lists themselves use.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from django.db.models import QuerySet

from opennrm.access import justice as justice_gate
from opennrm.access import linkage as linkage_gate
from opennrm.access import perpetrators as perpetrators_gate
from opennrm.access import policy
from opennrm.access import second_factor as second_factor_gate
from opennrm.access import statistics as statistics_gate
from opennrm.access import status as status_gate
from opennrm.access import training as training_gate
from opennrm.access.roles import AUDIT_VIEW, CASE_CREATE, CASE_VIEW, STATS_EXACT
from opennrm.cases.models import Case
from opennrm.core.codes import CLOSED_STATUSES
from opennrm.linkage import queries as linkage_queries
from opennrm.nrm.status import queries as status_queries
from opennrm.tenancy.actor import Actor

RECENT_CASES: Final = 5


@dataclass(frozen=True)
class Figure:
    """One line of the start page: what is counted (`key`, labelled by the web layer), the
    list it opens (a URL name of the `web` namespace) and the count (None: a link only)."""

    key: str
    url_name: str
    count: int | None = None
    query: str = ""  # the list's filters that give this count (`status=open&mine=on`)


def may_open(actor: Actor) -> bool:
    """Everyone who is logged in has a start page (it shows what their roles allow)."""
    return actor.user.is_authenticated


def recent_cases(actor: Actor) -> QuerySet[Case]:
    """The newest cases the actor may see (none for roles without `case.view`)."""
    return (
        policy.visible_cases(actor)
        .select_related("owner_agency")
        .order_by("-created_at")[:RECENT_CASES]
    )


def openable_cases(actor: Actor, case_ids: Iterable[uuid.UUID | None]) -> set[uuid.UUID]:
    """Which of these cases the actor may open (one query): the start page links a waiting
    item's case reference to the case for these, to the item's own page for the others (an
    oblast official never opens cases; a decider opens a case once it is shared with them)."""
    wanted = {i for i in case_ids if i is not None}
    if not wanted or not policy.can(actor, CASE_VIEW):
        return set()
    return set(policy.visible_cases(actor).filter(id__in=wanted).values_list("id", flat=True))


def figures(actor: Actor) -> list[Figure]:
    """The actor's main lists, with their counts, in the order of the roles' daily work."""
    if actor.agency is None:
        return []
    agency = actor.agency
    out: list[Figure] = []
    cases = policy.visible_cases(actor)
    if policy.can(actor, CASE_CREATE):
        mine = cases.filter(owner_agency=agency, caseworker=actor.user).exclude(
            status__in=CLOSED_STATUSES
        )
        out.append(Figure("my_open_cases", "web:case_list", mine.count(), "status=open&mine=on"))
    if policy.can(actor, CASE_VIEW):
        open_cases = cases.exclude(status__in=CLOSED_STATUSES)
        out.append(Figure("open_cases", "web:case_list", open_cases.count(), "status=open"))
    if status_gate.has_status_role(actor):
        held = status_gate.visible_applications(actor).filter(status_queries.waiting_for(agency.id))
        out.append(Figure("status_files", "web:status_deadlines", held.count()))
    if justice_gate.can_view(actor):
        out.append(
            Figure(
                "proceedings",
                "web:proceeding_list",
                justice_gate.visible_proceedings(actor).count(),
            )
        )
    if perpetrators_gate.can_view(actor):
        unseen = perpetrators_gate.visible_alerts(actor).filter(seen_at=None)
        out.append(Figure("alerts", "web:alert_list", unseen.count()))
    if perpetrators_gate.can_manage_mla(actor):
        out.append(Figure("mla", "web:mla_list"))
    if linkage_gate.can_review(actor):
        # The pairs the queue page lists by default (possible matches a person must decide).
        out.append(
            Figure("linkage_queue", "web:linkage_queue", linkage_queries.review_queue().count())
        )
    elif linkage_gate.can_run(actor):
        out.append(Figure("linkage", "web:linkage_overview"))
    if statistics_gate.can_view(actor):
        if statistics_gate.is_national(actor) and policy.can(actor, STATS_EXACT):
            national = statistics_gate.cases_in_scope(actor)
            out.append(Figure("national_cases", "web:statistics", national.count()))
            out.append(
                Figure(
                    "national_open_cases",
                    "web:statistics",
                    national.exclude(status__in=CLOSED_STATUSES).count(),
                )
            )
        else:
            out.append(Figure("statistics", "web:statistics"))
    if training_gate.can_view(actor):
        out.append(
            Figure("trainings", "web:training_list", training_gate.visible_trainings(actor).count())
        )
    elif training_gate.can_report(actor):
        out.append(Figure("training_report", "web:training_report"))
    if second_factor_gate.administers_users(actor):
        users = second_factor_gate.managed_users(actor).count()
        out.append(Figure("users", "web:user_list", users))
    if policy.can(actor, AUDIT_VIEW):
        out.append(Figure("audit", "web:audit_log"))
    return out
