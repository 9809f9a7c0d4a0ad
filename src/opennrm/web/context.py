"""Template context: the navigation a user's roles allow."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from opennrm.access import borders as borders_gate
from opennrm.access import home as home_gate
from opennrm.access import justice as justice_gate
from opennrm.access import linkage as linkage_gate
from opennrm.access import lists as lists_gate
from opennrm.access import perpetrators as perpetrators_gate
from opennrm.access import policy, roles
from opennrm.access import second_factor as second_factor_gate
from opennrm.access import statistics as statistics_gate
from opennrm.access import status as status_gate
from opennrm.access import timeline as timeline_gate
from opennrm.access import training as training_gate
from opennrm.accounts.models import User
from opennrm.audit.services import record
from opennrm.core.entries import ActionItem
from opennrm.notices import queries as notices_queries
from opennrm.tenancy.actor import Actor


def request_actor(request: HttpRequest) -> Actor:
    """The actor of this request, resolved once and kept on the request (not a global)."""
    actor = getattr(request, "_opennrm_actor", None)
    if actor is None:
        assert isinstance(request.user, User)
        actor = policy.actor_of(request.user)
        request._opennrm_actor = actor  # type: ignore[attr-defined]
    return actor


def audit(
    actor: Actor,
    action: str,
    object_type: str = "",
    object_id: uuid.UUID | None = None,
    **detail: Any,
) -> None:
    """Record an audit event for the actor (ids and codes only, never personal data)."""
    record(
        action=action,
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )


def audit_list(actor: Actor, what: str, rows: Iterable[Any]) -> None:
    """Record which cases a list showed (`<what>.listed`, case ids only, never names)."""
    case_ids = sorted({str(r.case_id) for r in rows if getattr(r, "case_id", None)})
    audit(actor, f"{what}.listed", what, None, case_ids=case_ids)


def action_items_of(request: HttpRequest) -> list[ActionItem]:
    """What waits for the request's actor (access.timeline.action_needed), computed once per
    request: the navigation's count, the start page and the action-needed page share it."""
    items = getattr(request, "_opennrm_action_items", None)
    if items is None:
        items = timeline_gate.action_needed(request_actor(request))
        request._opennrm_action_items = items  # type: ignore[attr-defined]
        _store_counts(request, action=len(items))
    return items


# The navigation's counts (action needed, unread notifications) are kept in the session (loaded
# and saved on every request anyway) for this long: a page costs no query for them while they
# are fresh. The start page, "action needed" and the notification pages count afresh.
NAV_COUNTS_SECONDS = 60
_NAV_COUNTS = "opennrm_nav_counts"


def action_rows(actor: Actor, items: list[ActionItem]) -> list[dict[str, Any]]:
    """Each item with where its case reference leads: the case when the actor may open it,
    else the item's own page (the status file for an oblast official, say)."""
    openable = home_gate.openable_cases(actor, (i.case_id for i in items))
    return [
        {
            "item": i,
            "case_url": reverse("web:case_detail", kwargs={"case_id": i.case_id})
            if i.case_id in openable
            else i.url,
        }
        for i in items
    ]


def _store_counts(request: HttpRequest, *, action: int) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    actor = request_actor(request)
    session[_NAV_COUNTS] = {
        "action": action,
        "unread": notices_queries.unread_count(actor.user),
        "at": time.time(),
        "agency": str(actor.agency_id),
    }


def refresh_nav_counts(request: HttpRequest) -> None:
    """Count again now (after marking notifications read, for instance)."""
    items = getattr(request, "_opennrm_action_items", None)
    if items is not None:
        _store_counts(request, action=len(items))
    elif timeline_gate.may_have_action_items(request_actor(request)):
        action_items_of(request)  # computes the items and stores the counts
    else:
        _store_counts(request, action=0)


def nav_counts(request: HttpRequest) -> dict[str, Any]:
    """(Fresh enough) counts for the navigation: {"action": n, "unread": n}."""
    session = getattr(request, "session", None)
    cached = session.get(_NAV_COUNTS) if session is not None else None
    actor = request_actor(request)
    if (
        not isinstance(cached, dict)
        or time.time() - float(cached.get("at", 0)) >= NAV_COUNTS_SECONDS
        or cached.get("agency") != str(actor.agency_id)
    ):
        refresh_nav_counts(request)
        cached = session.get(_NAV_COUNTS) if session is not None else None
    return cached if isinstance(cached, dict) else {"action": 0, "unread": 0}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    from opennrm.web.middleware import login_step

    if login_step(request) is not None:
        # Logging in is not finished (second factor, password, enrolment): no navigation.
        return {"login_pending": True}
    actor = request_actor(request)
    return {
        "actor_agency": actor.agency,
        "nav_users": second_factor_gate.administers_users(actor),
        "nav_cases": policy.can(actor, roles.CASE_VIEW),
        "nav_create": policy.can(actor, roles.CASE_CREATE),
        "nav_exchange": policy.can(actor, roles.HTCDS_IMPORT),
        "nav_audit": policy.can(actor, roles.AUDIT_VIEW),
        "nav_screenings": policy.can(actor, roles.SCREENING_VIEW),
        "nav_referrals": policy.can(actor, roles.CASE_VIEW),
        "nav_status": status_gate.has_status_role(actor),
        "nav_register": lists_gate.register_level(actor) is not None,
        "nav_proceedings": justice_gate.can_view(actor),
        "nav_perpetrators": perpetrators_gate.can_view(actor),
        "nav_mla": perpetrators_gate.can_manage_mla(actor),
        "nav_operations": borders_gate.can_record_operations(actor),
        "nav_incidents": borders_gate.can_record_incidents(actor),
        "nav_trainings": training_gate.can_view(actor) or training_gate.can_report(actor),
        "nav_providers": actor.agency is not None,
        "nav_statistics": statistics_gate.can_view(actor),
        "nav_linkage": linkage_gate.can_review(actor) or linkage_gate.can_run(actor),
        "nav_action": timeline_gate.may_have_action_items(actor),
        # Lazy: counted only when the template shows them (one computation per request).
        "nav_action_count": lambda: nav_counts(request)["action"],
        "nav_notifications": lambda: nav_counts(request)["unread"],
    }
