"""Writing audit events. Call `record` inside the same transaction as the write it describes."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from opennrm.audit.chain import GENESIS, ChainReport, event_hash, verify_events
from opennrm.audit.models import AuditEvent, AuditHead
from opennrm.core.bulk import insert_models
from opennrm.vault.keyring import current_keyring

_CODE = re.compile(r"^[A-Za-z0-9_.:\-]{0,64}$")


class PersonalDataInAuditError(ValueError):
    """Audit details hold codes, counts and field names only."""


def _check_detail(value: Any, path: str = "detail") -> None:
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, str):
        if not _CODE.match(value):
            raise PersonalDataInAuditError(f"{path}: only codes are allowed in audit details")
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_detail(item, f"{path}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _check_detail(str(key), f"{path} key")
            _check_detail(item, f"{path}.{key}")
        return
    raise PersonalDataInAuditError(f"{path}: unsupported type {type(value).__name__}")


def _fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor_id": str(event.actor_id) if event.actor_id else None,
        "agency_id": str(event.agency_id) if event.agency_id else None,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "purpose": event.purpose,
        "detail": event.detail,
    }


@dataclass(frozen=True)
class Entry:
    """One event to append: `record`'s arguments, for `record_many`."""

    action: str
    actor_id: uuid.UUID | None
    agency_id: uuid.UUID | None
    object_type: str = ""
    object_id: uuid.UUID | str | None = None
    purpose: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


def record(
    *,
    action: str,
    actor_id: uuid.UUID | None,
    agency_id: uuid.UUID | None,
    object_type: str = "",
    object_id: uuid.UUID | str | None = None,
    purpose: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain (locks the chain head for the enclosing transaction)."""
    entry = Entry(action, actor_id, agency_id, object_type, object_id, purpose, dict(detail or {}))
    return record_many([entry])[0]


def record_many(entries: Sequence[Entry]) -> list[AuditEvent]:
    """Append events in this order, each chained to the one before: the head is locked and
    moved once and the rows inserted together (a batch import writes one event per case
    without a round trip per event)."""
    for entry in entries:
        _check_detail(entry.detail)
        for name in ("action", "object_type", "purpose"):
            _check_detail(getattr(entry, name), name)
    if not entries:
        return []
    key = current_keyring().audit_key
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            id=1, defaults={"seq": 0, "hash": GENESIS}
        )
        seq, prev = head.seq, head.hash
        now = timezone.now()
        events = []
        for entry in entries:
            seq += 1
            event = AuditEvent(
                seq=seq,
                at=now,
                actor_id=entry.actor_id,
                agency_id=entry.agency_id,
                action=entry.action,
                object_type=entry.object_type,
                object_id=str(entry.object_id) if entry.object_id else "",
                purpose=entry.purpose,
                detail=dict(entry.detail),
                prev_hash=prev,
            )
            event.hash = prev = event_hash(key, prev, _fields(event))
            events.append(event)
        insert_models(events)  # inserts only, as the append-only model wants
        AuditHead.objects.filter(id=1).update(seq=seq, hash=prev)
    return events


def _stored_events() -> Iterator[dict[str, Any]]:
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        fields = _fields(event)
        fields["prev_hash"] = event.prev_hash
        fields["hash"] = event.hash
        yield fields


def verify_chain() -> ChainReport:
    """Recompute the whole chain from the database."""
    head = AuditHead.objects.filter(id=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    return verify_events(current_keyring().audit_key, _stored_events(), head_seq, head_hash)
