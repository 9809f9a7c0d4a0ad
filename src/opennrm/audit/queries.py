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
