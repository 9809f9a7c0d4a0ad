"""Writing audit events. Call `record` inside the same transaction as the write it describes."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.utils import timezone

from opennrm.audit.chain import GENESIS, ChainReport, event_hash, verify_events
from opennrm.audit.models import AuditEvent, AuditHead
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
    detail = dict(detail or {})
    _check_detail(detail)
    for name, value in (("action", action), ("object_type", object_type), ("purpose", purpose)):
        _check_detail(value, name)
    key = current_keyring().audit_key
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            id=1, defaults={"seq": 0, "hash": GENESIS}
        )
        event = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now(),
            actor_id=actor_id,
            agency_id=agency_id,
            action=action,
            object_type=object_type,
            object_id=str(object_id) if object_id else "",
            purpose=purpose,
            detail=detail,
            prev_hash=head.hash,
        )
        event.hash = event_hash(key, head.hash, _fields(event))
        event.save()
        AuditHead.objects.filter(id=1).update(seq=event.seq, hash=event.hash)
    return event


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
