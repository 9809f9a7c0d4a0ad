"""Encrypted backups: the file format, the backup key, the database dump and its restore.

A backup file is::

    b"OPENNRM-BACKUP\\n" + one line of JSON metadata (format, engine, time, audit head,
    erasures in the ledger, key fingerprint) + chunks

each chunk being a 4-byte big-endian length and an AES-256-GCM ciphertext (the vault's
`seal`: version byte, random nonce, ciphertext and tag) of at most 1 MiB of the dump, bound by
the associated data ``header | chunk number | last?`` so chunks cannot be reordered, dropped,
moved between backups or cut off at the end. Nothing in the file is plaintext but the metadata
line (no personal data).

The key is the backup key (`OPENNRM_BACKUP_KEY` / `_FILE`, base64 of 32 bytes), never a key of
the key ring: a stolen backup and a stolen key ring together are still needed to read the data,
and the key ring never travels with the backups.

Dumps: SQLite through the sqlite3 backup API into a private temporary file (a consistent
copy while the system runs); PostgreSQL through `pg_dump --format=custom` (the client tools
must be installed), streamed into the encryption; restored with `pg_restore`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings

from opennrm.vault.aead import DecryptionError, open_sealed, seal
from opennrm.vault.keyring import KEY_BYTES, current_keyring

MAGIC = b"OPENNRM-BACKUP\n"
FORMAT = "opennrm-backup-1"
CHUNK = 1024 * 1024
_LEN = struct.Struct(">I")
KEY_FILE_NAME = "backup.key"


class BackupError(RuntimeError):
    """A backup or restore cannot go on; the message says why."""


# --- The backup key ---------------------------------------------------------------------------


def default_key_file() -> Path | None:
    """`backup.key` beside the key ring file, or in the data directory."""
    if settings.OPENNRM_KEYRING_FILE:
        return Path(settings.OPENNRM_KEYRING_FILE).parent / KEY_FILE_NAME
    if settings.DATA_DIR is not None:
        return Path(settings.DATA_DIR) / KEY_FILE_NAME
    return None


def _parse_key(text: str, where: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BackupError(f"{where}: not valid base64") from exc
    if len(raw) != KEY_BYTES:
        raise BackupError(f"{where}: expected {KEY_BYTES} bytes, got {len(raw)}")
    return raw


def backup_key(*, create: bool) -> bytes:
    """The backup key: OPENNRM_BACKUP_KEY (or _FILE), else the key file (made when `create`)."""
    if settings.OPENNRM_BACKUP_KEY_TEXT:
        key = _parse_key(settings.OPENNRM_BACKUP_KEY_TEXT, "OPENNRM_BACKUP_KEY")
    else:
        path = default_key_file()
        if path is None:
            raise BackupError("no backup key: set OPENNRM_BACKUP_KEY or OPENNRM_BACKUP_KEY_FILE")
        if not path.exists():
            if not create:
                raise BackupError(f"no backup key: {path} does not exist")
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode() + "\n")
        key = _parse_key(path.read_text(encoding="ascii"), str(path))
    ring = current_keyring()
    if key in {ring.blind_index_key, ring.audit_key, *ring.keks.values()}:
        raise BackupError("the backup key must not be a key of the key ring")
    return key


def fingerprint(key: bytes) -> str:
    """Which key a backup needs, without revealing it."""
    return hashlib.sha256(b"opennrm-backup-key\x00" + key).hexdigest()[:16]


# --- The file format --------------------------------------------------------------------------


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return hashlib.sha256(header).digest() + struct.pack(">Q?", index, last)


def write_encrypted(out: IO[bytes], key: bytes, meta: dict[str, Any], source: IO[bytes]) -> None:
    header = MAGIC + json.dumps(meta, sort_keys=True).encode("ascii") + b"\n"
    out.write(header)
    index = 0
    block = source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        last = not following
        sealed = seal(key, block, _aad(header, index, last))
        out.write(_LEN.pack(len(sealed)) + sealed)
        if last:
            return
        block, index = following, index + 1


def read_meta(handle: IO[bytes]) -> tuple[bytes, dict[str, Any]]:
    if handle.read(len(MAGIC)) != MAGIC:
        raise BackupError("not an OpenNRM backup file")
    line = handle.readline(65536)
    try:
        meta = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BackupError("the backup's metadata is damaged") from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise BackupError("unknown backup format")
    return MAGIC + line, meta


def _open_chunk(key: bytes, sealed: bytes, header: bytes, index: int) -> tuple[bytes, bool]:
    for last in (False, True):
        try:
            return open_sealed(key, sealed, _aad(header, index, last)), last
        except DecryptionError:
            continue
    raise BackupError("the backup cannot be decrypted: wrong backup key, or the file was altered")


def decrypted_chunks(handle: IO[bytes], key: bytes, header: bytes) -> Iterator[bytes]:
    """The dump, chunk by chunk; raises BackupError on a wrong key, a change or a cut."""
    index = 0
    while True:
        raw_len = handle.read(_LEN.size)
        if len(raw_len) != _LEN.size:
            raise BackupError("the backup is cut short")
        (length,) = _LEN.unpack(raw_len)
        sealed = handle.read(length)
        if len(sealed) != length:
            raise BackupError("the backup is cut short")
        plain, last = _open_chunk(key, sealed, header, index)
        if last and handle.read(1):
            raise BackupError("the backup has data after its last chunk")
        yield plain
        if last:
            return
        index += 1


# --- Dump and restore -------------------------------------------------------------------------


def engine() -> str:
    name = str(settings.DATABASES["default"]["ENGINE"])
    if name.endswith("sqlite3"):
        return "sqlite"
    if name.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"unsupported database engine {name}")


def _pg_env(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--host", str(db.get("HOST") or "localhost"), "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (PostgreSQL client tools are needed)")
    return path


def dump(out: IO[bytes], key: bytes, meta: dict[str, Any]) -> None:
    """Dump the configured database, encrypted, into `out`."""
    from django.db import connection

    db = connection.settings_dict
    if meta["engine"] == "sqlite":
        with tempfile.TemporaryDirectory(prefix="opennrm-backup-") as tmp:
            os.chmod(tmp, 0o700)
            copy_path = Path(tmp) / "copy.sqlite3"
            target = sqlite3.connect(copy_path)
            try:
                source = sqlite3.connect(str(db["NAME"]))
                try:
                    source.backup(target)
                finally:
                    source.close()
            finally:
                target.close()
            with copy_path.open("rb") as source_file:
                write_encrypted(out, key, meta, source_file)
        return
    args, env = _pg_env(db)
    command = [_tool("pg_dump"), "--format=custom", "--no-owner", *args, str(db["NAME"])]
    # The tool's path from PATH and the configured database's own parameters: no outside input.
    with subprocess.Popen(command, stdout=subprocess.PIPE, env=env) as process:  # noqa: S603
        assert process.stdout is not None
        write_encrypted(out, key, meta, process.stdout)
    if process.returncode != 0:
        raise BackupError(f"pg_dump failed (exit {process.returncode})")


def restore_sqlite(handle: IO[bytes], key: bytes, header: bytes, target: Path) -> None:
    if target.exists():
        raise BackupError(f"{target} exists: restore into a new data directory")
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(target.parent, 0o700)
    partial = target.with_suffix(".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in decrypted_chunks(handle, key, header):
                out.write(chunk)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)


def restore_postgresql(handle: IO[bytes], key: bytes, header: bytes, db: dict[str, Any]) -> None:
    args, env = _pg_env(db)
    command = [
        _tool("pg_restore"),
        "--no-owner",
        "--exit-on-error",
        "--single-transaction",
        *args,
        "--dbname",
        str(db["NAME"]),
    ]
    with subprocess.Popen(command, stdin=subprocess.PIPE, env=env) as process:  # noqa: S603
        assert process.stdin is not None
        try:
            for chunk in decrypted_chunks(handle, key, header):
                process.stdin.write(chunk)
        finally:
            process.stdin.close()
    if process.returncode != 0:
        raise BackupError(f"pg_restore failed (exit {process.returncode})")
