"""The erasure ledger file: every erasure, appended outside the database.

One JSON object a line (ids, category, reason, dates: never personal data), written after the
erasure's transaction commits. A restore of an older backup reads it and erases again what
was erased after the backup (`opennrm apply-erasure-ledger`), so an erased person does not
come back. Keep it beside the data directory and back it up with the key ring, not with the
database backups.

Each line is signed like the audit checkpoints (`audit/checkpoints.py`): `mac` is HMAC-SHA256
under the audit key of the key ring over the canonical JSON of the entry, domain-separated by
the prefix `opennrm.erasure-ledger|`. Reading checks every line: an edited, inserted or
unsigned line is an error naming the line (`LedgerError`), so a restore refuses a tampered
ledger instead of skipping an erasure or erasing a person who was never erased. Only a torn
**last** line (a write cut short by a crash) is skipped: the database row is the truth.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings

from opennrm.vault.keyring import current_keyring

FIELDS = (
    "id",
    "category",
    "object_type",
    "object_id",
    "case_ids",
    "agency_id",
    "reason",
    "erased_on",
    "erased_at",
    "actor_id",
)
DOMAIN = b"opennrm.erasure-ledger|"


class LedgerError(RuntimeError):
    """The ledger file cannot be trusted: a line was edited, inserted or is not signed."""


def _payload(entry: dict[str, Any]) -> bytes:
    fields = {k: entry[k] for k in FIELDS}
    return json.dumps(fields, sort_keys=True, ensure_ascii=True, separators=(",", ":")).encode()


def sign(entry: dict[str, Any], key: bytes | None = None) -> str:
    """The entry's MAC under the audit key (domain-separated from the chain and checkpoints)."""
    key = current_keyring().audit_key if key is None else key
    return hmac.new(key, DOMAIN + _payload(entry), hashlib.sha256).hexdigest()


def ledger_path() -> Path | None:
    value = getattr(settings, "OPENNRM_ERASURE_LEDGER_FILE", "")
    return Path(value) if value else None


def append(entry: dict[str, Any]) -> None:
    """Append one entry (flushed and synced); nothing when no ledger file is configured."""
    path = ledger_path()
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    signed = {**{k: entry[k] for k in FIELDS}, "mac": sign(entry)}
    line = json.dumps(signed, sort_keys=True, ensure_ascii=True) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, line.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)


def read(path: Path | None = None, key: bytes | None = None) -> Iterator[dict[str, Any]]:
    """The entries of a ledger file, oldest first, each checked against its signature (a torn
    last line is skipped). Raises `LedgerError` naming the first line that fails; use
    `verified` to check the whole file before acting on any of it."""
    path = path or ledger_path()
    if path is None or not path.exists():
        return
    key = current_keyring().audit_key if key is None else key
    with path.open(encoding="ascii", errors="replace") as handle:
        lines = handle.read().split("\n")
    last = max((n for n, line in enumerate(lines) if line.strip()), default=-1)
    for number, line in enumerate(lines):
        line = line.strip()
        if not line:
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            if number == last:
                continue  # a write cut short by a crash: the database row is the truth
            raise LedgerError(f"{path} line {number + 1}: not a ledger entry") from None
        if not isinstance(entry, dict) or not all(k in entry for k in FIELDS):
            raise LedgerError(f"{path} line {number + 1}: not a ledger entry")
        mac = entry.get("mac")
        if not isinstance(mac, str) or not hmac.compare_digest(sign(entry, key), mac):
            raise LedgerError(
                f"{path} line {number + 1}: the signature does not match (the ledger was"
                " edited, or signed under another key ring): refused"
            )
        yield {k: entry[k] for k in FIELDS}


def verified(path: Path | None = None) -> list[dict[str, Any]]:
    """Every entry of the file, after checking all of them (nothing applied on a bad file)."""
    return list(read(path))
