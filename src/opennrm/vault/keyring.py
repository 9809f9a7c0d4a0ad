"""The key ring: key-encryption keys (by id), the blind-index key and the audit-chain key.

Loaded from `OPENNRM_KEYRING` (JSON text) or `OPENNRM_KEYRING_FILE` (a path), never derived from
`SECRET_KEY`. Format::

    {"version": 1,
     "kek": {"active": "kek-1", "keys": {"kek-1": "<base64 of 32 bytes>"}},
     "blind_index_key": "<base64 of 32 bytes>",
     "audit_key": "<base64 of 32 bytes>"}
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

KEY_BYTES = 32


class KeyRingError(RuntimeError):
    """The key ring is missing or malformed."""


@dataclass(frozen=True)
class KeyRing:
    active_kek_id: str
    keks: dict[str, bytes] = field(repr=False)
    blind_index_key: bytes = field(repr=False)
    audit_key: bytes = field(repr=False)

    def kek(self, key_id: str) -> bytes:
        try:
            return self.keks[key_id]
        except KeyError:
            raise KeyRingError(f"key-encryption key {key_id!r} is not in the key ring") from None

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": 1,
                "kek": {
                    "active": self.active_kek_id,
                    "keys": {k: _b64(v) for k, v in self.keks.items()},
                },
                "blind_index_key": _b64(self.blind_index_key),
                "audit_key": _b64(self.audit_key),
            },
            indent=2,
        )

    def with_new_kek(self, now: datetime | None = None) -> KeyRing:
        """A key ring with a fresh active key-encryption key; the old ones stay for unwrapping.
        Its id carries its creation time (UTC; `kek_created`)."""
        at = (now or datetime.now(UTC)).astimezone(UTC)
        new_id = "kek-" + at.strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(2)
        keks = dict(self.keks)
        keks[new_id] = secrets.token_bytes(KEY_BYTES)
        return KeyRing(new_id, keks, self.blind_index_key, self.audit_key)

    def without_kek(self, key_id: str) -> KeyRing:
        if key_id == self.active_kek_id:
            raise KeyRingError("the active key-encryption key cannot be removed")
        keks = {k: v for k, v in self.keks.items() if k != key_id}
        return KeyRing(self.active_kek_id, keks, self.blind_index_key, self.audit_key)


def kek_created(key_id: str) -> datetime | None:
    """When a key-encryption key was made, from its id (`kek-YYYYmmddHHMMSS-xxxx`, UTC); None
    for a key named otherwise (the first key, `kek-1`: older than any dated key)."""
    parts = key_id.split("-")
    if len(parts) != 3 or parts[0] != "kek":
        return None
    try:
        return datetime.strptime(parts[1], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _key(value: Any, where: str) -> bytes:
    if not isinstance(value, str):
        raise KeyRingError(f"{where}: expected base64 text")
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise KeyRingError(f"{where}: not valid base64") from exc
    if len(raw) != KEY_BYTES:
        raise KeyRingError(f"{where}: expected {KEY_BYTES} bytes, got {len(raw)}")
    return raw


def parse_keyring(text: str) -> KeyRing:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise KeyRingError(f"the key ring is not valid JSON: {exc.msg}") from exc
    if not isinstance(data, dict) or data.get("version") != 1:
        raise KeyRingError("the key ring must be a JSON object with version 1")
    kek = data.get("kek")
    if not isinstance(kek, dict) or not isinstance(kek.get("keys"), dict) or not kek["keys"]:
        raise KeyRingError("kek.keys: at least one key-encryption key is required")
    keks = {str(k): _key(v, f"kek.keys.{k}") for k, v in kek["keys"].items()}
    active = kek.get("active")
    if active not in keks:
        raise KeyRingError("kek.active: must name one of kek.keys")
    ring = KeyRing(
        active_kek_id=str(active),
        keks=keks,
        blind_index_key=_key(data.get("blind_index_key"), "blind_index_key"),
        audit_key=_key(data.get("audit_key"), "audit_key"),
    )
    distinct = {ring.blind_index_key, ring.audit_key, *ring.keks.values()}
    if len(distinct) != len(ring.keks) + 2:
        raise KeyRingError("every key in the key ring must be different")
    return ring


def generate_keyring() -> KeyRing:
    return KeyRing(
        active_kek_id="kek-1",
        keks={"kek-1": secrets.token_bytes(KEY_BYTES)},
        blind_index_key=secrets.token_bytes(KEY_BYTES),
        audit_key=secrets.token_bytes(KEY_BYTES),
    )


def write_keyring_file(path: Path, ring: KeyRing) -> None:
    """Write a key ring readable by its owner only (atomic replace)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(ring.to_json())
    tmp.replace(path)


_cache: dict[str, KeyRing] = {}


def load_keyring(text: str | None) -> KeyRing:
    """The key ring for a configuration text (cached by content)."""
    if not text:
        raise KeyRingError("no key ring configured: set OPENNRM_KEYRING or OPENNRM_KEYRING_FILE")
    ring = _cache.get(text)
    if ring is None:
        ring = parse_keyring(text)
        _cache.clear()
        _cache[text] = ring
    return ring


_file_cache: dict[str, tuple[tuple[int, int], str]] = {}


def _file_text(path: str) -> str | None:
    """The key ring file's text, read again only when the file changed (size, mtime)."""
    try:
        stat = os.stat(path)
        cached = _file_cache.get(path)
        if cached is not None and cached[0] == (stat.st_mtime_ns, stat.st_size):
            return cached[1]
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return None
    _file_cache[path] = ((stat.st_mtime_ns, stat.st_size), text)
    return text


def keyring_file() -> Path | None:
    """The file the key ring is read from (`OPENNRM_KEYRING_FILE`), or None when there is none
    or the key ring is given as text (`OPENNRM_KEYRING`, which then wins): only such a file may
    be rotated or retired automatically, since the processes read the key ring from it."""
    from django.conf import settings

    path = getattr(settings, "OPENNRM_KEYRING_FILE", None)
    if not path or os.environ.get("OPENNRM_KEYRING") is not None:
        return None
    return Path(path)


def current_keyring() -> KeyRing:
    """The key ring configured in the Django settings (`OPENNRM_KEYRING_TEXT`). When it comes
    from `OPENNRM_KEYRING_FILE` (no `OPENNRM_KEYRING` text), the file is read again when it
    changes: a running server follows a rotation or retirement made by the worker or
    `opennrm rotate-keys` (a retired key would otherwise stay in its memory and keep wrapping
    new data keys)."""
    from django.conf import settings

    path = keyring_file()
    if path is not None:
        text = _file_text(str(path))
        if text:
            return load_keyring(text)
    return load_keyring(getattr(settings, "OPENNRM_KEYRING_TEXT", None))
