"""Blind indexes: keyed HMAC-SHA256 digests that allow exact lookup without plaintext.

Each digest is domain-separated by a field name, so equal values in different fields do not
produce equal digests. Never index low-entropy values (sex, citizenship, birth year).
"""

from __future__ import annotations

import hashlib
import hmac

from opennrm.vault.keyring import KeyRing


def blind_index(ring: KeyRing, field: str, value: str) -> str:
    message = field.encode() + b"\x00" + value.encode("utf-8")
    # hmac.digest: the one-shot C implementation (a third of hmac.new's cost per call, and an
    # import computes two dozen digests per person).
    return hmac.digest(ring.blind_index_key, message, hashlib.sha256).hex()


def blind_key(ring: KeyRing, field: str, value: str) -> int:
    """The first 64 bits of `blind_index`'s digest, as a signed integer (a BIGINT column).

    For indexes with many rows per person (the name search keys): an index of 8-byte keys is
    an eighth of one of 64 hex characters, so each insert touches fewer pages (measured on
    SQLite, 44,000 rows into a table of 800,000: 0.42 s instead of 0.74, the file half the
    size). 64 bits keep lookups exact in practice (a random false match among 25 million keys
    about once in 700 billion lookups) and say less about the value than the whole digest.
    """
    message = field.encode() + b"\x00" + value.encode("utf-8")
    return int.from_bytes(
        hmac.digest(ring.blind_index_key, message, hashlib.sha256)[:8], "big", signed=True
    )
