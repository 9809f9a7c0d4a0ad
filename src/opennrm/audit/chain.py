"""The hash chain: how an event's hash is computed, and how the whole chain is verified."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

GENESIS = "0" * 64

# Why a chain fails, by code; the message is translated where it is shown.
REASONS = {
    "intact": gettext_lazy("intact"),
    "deleted": gettext_lazy("an event is missing (deleted)"),
    "relinked": gettext_lazy("the link to the previous event is broken"),
    "altered": gettext_lazy("the event was altered"),
    "tail_deleted": gettext_lazy("events are missing at the end (deleted)"),
    "head_mismatch": gettext_lazy("the last event does not match the chain head"),
}


def event_hash(key: bytes, prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hmac.new(key, (prev_hash + "|" + canonical).encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_seq: int | None
    reason_code: str

    @property
    def reason(self) -> str:
        return str(REASONS[self.reason_code])


def verify_events(
    key: bytes, events: Iterable[dict[str, Any]], head_seq: int, head_hash: str
) -> ChainReport:
    """Check order, continuity and every hash; name the first sequence number that fails."""
    expected_seq = 1
    prev = GENESIS
    checked = 0
    for event in events:
        seq = int(event["seq"])
        if seq != expected_seq:
            return ChainReport(False, checked, expected_seq, "deleted")
        if event["prev_hash"] != prev:
            return ChainReport(False, checked, seq, "relinked")
        fields = {k: v for k, v in event.items() if k not in {"hash", "prev_hash"}}
        if not hmac.compare_digest(event_hash(key, prev, fields), event["hash"]):
            return ChainReport(False, checked, seq, "altered")
        prev = event["hash"]
        expected_seq += 1
        checked += 1
    if checked != head_seq:
        return ChainReport(False, checked, checked + 1, "tail_deleted")
    if checked and not hmac.compare_digest(prev, head_hash):
        return ChainReport(False, checked, checked, "head_mismatch")
    return ChainReport(True, checked, None, "intact")
