"""Reads of the audit trail (who did what to which object, and when)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from opennrm.audit.models import AuditEvent


def events_for_object(object_type: str, object_id: Any) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id)).order_by(
        "-seq"
    )


def all_events() -> QuerySet[AuditEvent]:
    return AuditEvent.objects.order_by("-seq")


def filter_events(
    events: QuerySet[AuditEvent],
    *,
    actor_ids: list[Any] | None = None,
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    since: Any = None,
    until: Any = None,
) -> QuerySet[AuditEvent]:
    """The events matching every filter given: users (ids), an action or an action prefix
    ending in "." (`case.`), an object type and id, a time range [since, until)."""
    if actor_ids is not None:
        events = events.filter(actor_id__in=actor_ids)
    if action:
        events = (
            events.filter(action__startswith=action)
            if action.endswith(".")
            else events.filter(action=action)
        )
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if since is not None:
        events = events.filter(at__gte=since)
    if until is not None:
        events = events.filter(at__lt=until)
    return events
