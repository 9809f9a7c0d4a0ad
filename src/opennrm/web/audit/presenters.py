"""Rows of the audit log: user and agency names beside the event (never personal data)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.tenancy.models import Agency
from opennrm.web.audit.labels import action_label


@dataclass(frozen=True)
class Detail:
    """One key of an event's detail: a value, or a list shown folded with its length."""

    key: str
    value: str = ""
    items: tuple[str, ...] | None = None


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    actor: str
    agency: str
    action: str = ""

    @property
    def details(self) -> list[Detail]:
        return [
            Detail(key, items=tuple(str(v) for v in value))
            if isinstance(value, list)
            else Detail(key, value=str(value))
            for key, value in (self.event.detail or {}).items()
        ]


def audit_rows(events: Iterable[AuditEvent]) -> list[AuditRow]:
    events = list(events)
    users = dict(
        User.objects.filter(id__in={e.actor_id for e in events if e.actor_id}).values_list(
            "id", "username"
        )
    )
    agencies = {
        a.id: a.display_name
        for a in Agency.objects.filter(id__in={e.agency_id for e in events if e.agency_id})
    }
    return [
        AuditRow(
            event=e,
            actor=users.get(e.actor_id, "—") if e.actor_id else "—",
            agency=agencies.get(e.agency_id, "—") if e.agency_id else "—",
            action=action_label(e.action),
        )
        for e in events
    ]
