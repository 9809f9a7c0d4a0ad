"""AES-256-GCM envelopes: per-record data keys wrapped by a key-encryption key.

Every ciphertext is bound to its place by associated data (`table|column|row-id`), so a value
cannot be copied to another row or column. Decryption that fails raises `DecryptionError`:
it never returns ciphertext, an empty string or None.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from opennrm.vault.keyring import KEY_BYTES, KeyRing, KeyRingError

FORMAT_V1 = b"\x01"
NONCE_BYTES = 12


class DecryptionError(RuntimeError):
    """A ciphertext could not be decrypted: wrong or retired key, or altered data."""


def associated_data(table: str, column: str, row_id: object) -> bytes:
    return f"{table}|{column}|{row_id}".encode()


def new_data_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    return seal_many(key, [(plaintext, aad)])[0]


def seal_many(key: bytes, items: Sequence[tuple[bytes, bytes]]) -> list[bytes]:
    """``seal`` of each (plaintext, associated data) under one key: one cipher object, and the
    random nonces of all taken in one read of the system's random source (a person's dozen
    columns share their data key)."""
    cipher = AESGCM(key)
    nonces = secrets.token_bytes(NONCE_BYTES * len(items))
    out = []
    for index, (plaintext, aad) in enumerate(items):
        nonce = nonces[index * NONCE_BYTES : (index + 1) * NONCE_BYTES]
        out.append(FORMAT_V1 + nonce + cipher.encrypt(nonce, plaintext, aad))
    return out


def open_sealed(key: bytes, blob: bytes, aad: bytes) -> bytes:
    blob = bytes(blob)
    if len(blob) < 1 + NONCE_BYTES + 16 or blob[:1] != FORMAT_V1:
        raise DecryptionError("not an OpenNRM ciphertext")
    nonce, body = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, body, aad)
    except InvalidTag as exc:
        raise DecryptionError("decryption failed: wrong key or altered data") from exc


def wrap_data_key(ring: KeyRing, data_key: bytes, aad: bytes) -> tuple[str, bytes]:
    """Wrap a data key under the active key-encryption key; returns (key id, wrapped key)."""
    return ring.active_kek_id, seal(ring.kek(ring.active_kek_id), data_key, aad)


def unwrap_data_key(ring: KeyRing, key_id: str, wrapped: bytes, aad: bytes) -> bytes:
    try:
        kek = ring.kek(key_id)
    except KeyRingError as exc:
        raise DecryptionError(str(exc)) from exc
    return open_sealed(kek, wrapped, aad)
