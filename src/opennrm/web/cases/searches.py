"""Name terms of a case search, kept on the server so that they never enter a URL.

A POST of the search form stores the name terms under a random search id and redirects to
`/cases/?s=<id>&status=...`: the list is then an ordinary GET (Back, Forward, bookmarks,
sorting and paging work), and the address holds only the id. The terms live in the user's
server-side session, sealed with AES-256-GCM under a fresh data key wrapped by the key ring
(`vault.aead`), bound to the user and the id (associated data), for `LIFETIME` only. The
session table therefore never holds a searched name in clear. A search id of another user, of
an earlier session, or older than `LIFETIME` is refused (`recall` answers EXPIRED or UNKNOWN);
the page says so and keeps the other filters.
"""

from __future__ import annotations

import base64
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from opennrm.vault.aead import (
    DecryptionError,
    new_data_key,
    open_sealed,
    seal,
    unwrap_data_key,
    wrap_data_key,
)
from opennrm.vault.keyring import current_keyring

SESSION_KEY = "opennrm_case_searches"
LIFETIME = 30 * 60  # seconds
MAX_KEPT = 10  # the newest searches of the session; older ones are forgotten

FOUND = "found"
EXPIRED = "expired"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Recalled:
    outcome: str
    terms: str = ""


def _aad(user_id: object, search_id: str, part: str) -> bytes:
    return f"case-search|{part}|{user_id}|{search_id}".encode()


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def remember(request: HttpRequest, terms: str) -> str:
    """Store the name terms for this user; return the new search id (random, 128 bits)."""
    user_id = request.user.pk
    search_id = secrets.token_urlsafe(16)
    ring = current_keyring()
    data_key = new_data_key()
    key_id, wrapped = wrap_data_key(ring, data_key, _aad(user_id, search_id, "key"))
    entry = {
        "user": str(user_id),
        "at": int(time.time()),
        "kek": key_id,
        "key": _b64(wrapped),
        "terms": _b64(seal(data_key, terms.encode(), _aad(user_id, search_id, "terms"))),
    }
    kept: dict[str, Any] = dict(request.session.get(SESSION_KEY, {}))
    kept[search_id] = entry
    newest = sorted(kept.items(), key=lambda item: item[1].get("at", 0))[-MAX_KEPT:]
    request.session[SESSION_KEY] = dict(newest)
    return search_id


def recall(request: HttpRequest, search_id: str) -> Recalled:
    """The name terms stored under `search_id` for this user, or why there are none."""
    kept: dict[str, Any] = dict(request.session.get(SESSION_KEY, {}))
    entry = kept.get(search_id)
    user_id = request.user.pk
    if not isinstance(entry, dict) or entry.get("user") != str(user_id):
        return Recalled(UNKNOWN)
    if int(entry.get("at", 0)) + LIFETIME < time.time():
        kept.pop(search_id, None)
        request.session[SESSION_KEY] = kept
        return Recalled(EXPIRED)
    try:
        data_key = unwrap_data_key(
            current_keyring(),
            str(entry["kek"]),
            base64.b64decode(entry["key"]),
            _aad(user_id, search_id, "key"),
        )
        terms = open_sealed(
            data_key, base64.b64decode(entry["terms"]), _aad(user_id, search_id, "terms")
        )
    except (DecryptionError, KeyError, ValueError):
        return Recalled(UNKNOWN)
    return Recalled(FOUND, terms.decode())
