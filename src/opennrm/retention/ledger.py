"""The erasure ledger file: every erasure, appended outside the database.

One JSON object a line (ids, category, reason, dates: never personal data), written after the
erasure's transaction commits. A restore of an older backup reads it and erases again what
was erased after the backup (`opennrm apply-erasure-ledger`), so an erased person does not
come back. Keep it beside the data directory and back it up with the key ring, not with the
database backups.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings

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


def ledger_path() -> Path | None:
    value = getattr(settings, "OPENNRM_ERASURE_LEDGER_FILE", "")
    return Path(value) if value else None


def append(entry: dict[str, Any]) -> None:
    """Append one entry (flushed and synced); nothing when no ledger file is configured."""
    path = ledger_path()
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({k: entry[k] for k in FIELDS}, sort_keys=True, ensure_ascii=True) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, line.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)


def read(path: Path | None = None) -> Iterator[dict[str, Any]]:
    """The entries of a ledger file, oldest first (a torn last line is skipped)."""
    path = path or ledger_path()
    if path is None or not path.exists():
        return
    with path.open(encoding="ascii") as handle:
        for line in handle:
            line = line.strip()
            if not line:
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue  # a write cut short by a crash: the database row is the truth
            if isinstance(entry, dict) and all(k in entry for k in FIELDS):
                yield entry
