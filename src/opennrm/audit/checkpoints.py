"""The audit chain's head, anchored outside the database (docs/operations.md).

The hash chain catches an edited or removed event in the middle; it cannot catch the newest
events removed together with the chain head moved back to the last kept event: what is left
is a shorter, intact chain. A **checkpoint file** kept outside the database remembers how far
the chain had reached. Each line is one checkpoint, JSON::

    {"at": "2025-01-01T00:00:00+00:00", "seq": 1234, "hash": "<head hash>", "mac": "<hex>"}

`mac` is HMAC-SHA256 under the audit key of the key ring (domain-separated from the chain's
own hashes by the `opennrm.audit.checkpoint` prefix), so someone who can write the file but
does not hold the key ring cannot forge a checkpoint. Lines are only ever appended: by the
worker every `OPENNRM_AUDIT_CHECKPOINT_MINUTES` (tasks.py) and by every `verify-audit` that
found the chain intact. Each checkpoint may also be sent to syslog (`OPENNRM_AUDIT_SYSLOG`),
so a copy leaves the host.

`verify-audit` compares the database with the newest checkpoint: the event at the checkpoint's
sequence number must exist and carry the checkpoint's hash; otherwise the tail was cut (or the
chain rewritten) and the command names the first missing sequence number.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import logging.handlers
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from opennrm.audit.chain import GENESIS
from opennrm.audit.models import AuditEvent, AuditHead
from opennrm.vault.keyring import current_keyring

DOMAIN = b"opennrm.audit.checkpoint|"
FILE_MODE = 0o600
logger = logging.getLogger("opennrm.audit.checkpoint")


class CheckpointFileError(RuntimeError):
    """The checkpoint file cannot be read, or one of its lines is not a valid checkpoint."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str

    def payload(self) -> bytes:
        fields = {"at": self.at, "hash": self.hash, "seq": self.seq}
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def mac(self, key: bytes) -> str:
        return hmac.new(key, DOMAIN + self.payload(), hashlib.sha256).hexdigest()

    def line(self, key: bytes) -> str:
        fields = {"at": self.at, "seq": self.seq, "hash": self.hash, "mac": self.mac(key)}
        return json.dumps(fields, separators=(",", ":")) + "\n"


@dataclass(frozen=True)
class CheckpointReport:
    """The database compared with the newest checkpoint."""

    ok: bool
    checkpoint: Checkpoint | None
    first_missing_seq: int | None = None
    message: str = ""


def checkpoint_path() -> Path | None:
    configured = getattr(settings, "OPENNRM_AUDIT_CHECKPOINT_FILE", None)
    return Path(configured) if configured else None


def read_checkpoints(path: Path, key: bytes) -> list[Checkpoint]:
    """Every checkpoint in the file, in file order; a line that fails its MAC is an error
    naming the line (someone edited the file, or it was written under another key)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise CheckpointFileError(f"cannot read the checkpoint file {path}: {exc}") from exc
    found: list[Checkpoint] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
            point = Checkpoint(seq=int(data["seq"]), hash=str(data["hash"]), at=str(data["at"]))
            mac = str(data["mac"])
        except (ValueError, KeyError, TypeError) as exc:
            raise CheckpointFileError(f"{path} line {number}: not a checkpoint") from exc
        if not hmac.compare_digest(point.mac(key), mac):
            raise CheckpointFileError(
                f"{path} line {number}: the signature does not match (edited, or another key)"
            )
        found.append(point)
    return found


def newest_checkpoint(path: Path, key: bytes) -> Checkpoint | None:
    """The checkpoint that reached furthest (the highest sequence number; the last line of
    equals)."""
    points = read_checkpoints(path, key)
    return max(reversed(points), key=lambda p: p.seq) if points else None


def compare_with_database(point: Checkpoint | None) -> CheckpointReport:
    """Whether the database still holds the chain as far as the checkpoint saw it."""
    if point is None:
        return CheckpointReport(True, None)
    head = AuditHead.objects.filter(id=1).first()
    head_seq = head.seq if head else 0
    stored = AuditEvent.objects.filter(seq=point.seq).values_list("hash", flat=True).first()
    if point.seq == 0:
        stored = GENESIS
    if head_seq < point.seq or stored is None:
        first_missing = head_seq + 1 if head_seq < point.seq else point.seq
        return CheckpointReport(
            False,
            point,
            first_missing,
            f"the tail of the chain was cut: the checkpoint of {point.at} recorded sequence "
            f"number {point.seq}, the database ends at {head_seq}; events from "
            f"{first_missing} on are missing",
        )
    if not hmac.compare_digest(stored, point.hash):
        return CheckpointReport(
            False,
            point,
            point.seq,
            f"the chain was rewritten: event {point.seq} does not carry the hash the checkpoint "
            f"of {point.at} recorded",
        )
    return CheckpointReport(True, point)


def _append(path: Path, line: str) -> None:
    """Append one line in one write (O_APPEND: concurrent writers never interleave)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def _syslog(line: str) -> None:
    address = getattr(settings, "OPENNRM_AUDIT_SYSLOG", None)
    if not address:
        return
    target: str | tuple[str, int]
    if address.startswith("/"):
        target = address
    else:
        host, _, port = address.rpartition(":")
        target = (host or "localhost", int(port or 514))
    handler = logging.handlers.SysLogHandler(
        address=target, facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV
    )
    try:
        record = logging.LogRecord(
            "opennrm.audit.checkpoint", logging.INFO, __file__, 0, "%s", (line.strip(),), None
        )
        handler.emit(record)
    finally:
        with contextlib.suppress(Exception):
            handler.close()


def write_checkpoint(now: datetime | None = None) -> Checkpoint | None:
    """Append the current chain head to the checkpoint file (and syslog). Nothing when no
    file is configured. The caller checks the database against the newest checkpoint first
    (`checkpoint_if_consistent`): a head that moved back must never be anchored."""
    path = checkpoint_path()
    if path is None:
        return None
    head = AuditHead.objects.filter(id=1).first()
    point = Checkpoint(
        seq=head.seq if head else 0,
        hash=head.hash if head else GENESIS,
        at=(now or datetime.now(UTC)).isoformat(timespec="seconds"),
    )
    line = point.line(current_keyring().audit_key)
    _append(path, line)
    _syslog(line)
    return point


@dataclass(frozen=True)
class CheckpointRun:
    report: CheckpointReport
    written: Checkpoint | None


def checkpoint_if_consistent() -> CheckpointRun:
    """The worker's periodic step: compare the database with the newest checkpoint, and
    append a new one only when the chain still reaches it (else log an error and write
    nothing, so the anchor never follows a cut tail)."""
    path = checkpoint_path()
    if path is None:
        return CheckpointRun(CheckpointReport(True, None), None)
    report = compare_with_database(newest_checkpoint(path, current_keyring().audit_key))
    if not report.ok:
        logger.error("audit checkpoint refused: %s", report.message)
        return CheckpointRun(report, None)
    return CheckpointRun(report, write_checkpoint())
