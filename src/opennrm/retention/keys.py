"""Key retirement after the backup window: old backups cannot bring an erased person back.

An erasure destroys the person's data key in the database, but a backup made before it still
holds that key, wrapped by a key-encryption key (KEK) of the key ring. Restores re-apply the
erasure ledger; someone holding the old backup *and* the key ring could skip that. So, daily
(`tasks.erase_due_daily`, or `opennrm retire-keys`), with `OPENNRM_KEYRING_FILE` writable and
no `OPENNRM_KEYRING` text (which would win over the file):

1. **rotate** when a person was erased since the active KEK was made: a new KEK becomes
   active and every live data key is re-wrapped under it (an erased key is gone: nothing to
   re-wrap). From now on backups hold no data key under the older KEKs;
2. **retire** every older KEK once the backup window (`OPENNRM_BACKUP_RETENTION_DAYS`) has
   passed since the key that replaced it was made: by then every backup that needed it is
   past the window. Rows still under it (a restored backup, a server that had not yet
   reloaded the key ring) are re-wrapped first; then it is removed from the key ring file.

Trade-off (docs/retention.md, docs/operations.md): all persons of a backup share the KEK that
wrapped their keys, so a backup made before an erasure is readable, for everyone, until the
window has passed after the next rotation, and unreadable, for everyone, afterwards. Every
backup inside the window restores completely (living persons readable, the erased re-erased by
the ledger); a backup kept beyond the window is dead by design.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from opennrm.audit.services import record
from opennrm.retention.models import Erasure
from opennrm.vault import columns
from opennrm.vault.keyring import (
    KeyRing,
    kek_created,
    keyring_file,
    parse_keyring,
    write_keyring_file,
)

_OLDEST = dt.datetime.min.replace(tzinfo=dt.UTC)


@dataclass
class Retirement:
    """What one run did (ids of key-encryption keys only)."""

    skipped: str = ""
    rotated_to: str = ""
    rewrapped: int = 0
    retired: list[str] = field(default_factory=list)


def window() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "OPENNRM_BACKUP_RETENTION_DAYS", 35)))


def _made(key_id: str) -> dt.datetime:
    return kek_created(key_id) or _OLDEST


def _rewrap(ring: KeyRing) -> int:
    with transaction.atomic():
        return int(columns.rewrap_all(ring=ring))


def retire_keys(now: dt.datetime | None = None) -> Retirement:
    """Rotate after an erasure, retire the keys older than the window (the module's rules)."""
    now = now or timezone.now()
    result = Retirement()
    path = keyring_file()
    if path is None:
        # No file, or OPENNRM_KEYRING's text wins over it: the processes would not read a key
        # written to the file, and data keys re-wrapped under it would open nowhere.
        result.skipped = (
            "no key ring file (OPENNRM_KEYRING_FILE, without OPENNRM_KEYRING): keys are not retired"
        )
        return result
    ring = parse_keyring(path.read_text(encoding="utf-8"))  # the file is the truth, not a cache

    last_erasure = Erasure.objects.aggregate(last=Max("erased_at"))["last"]
    if last_erasure is not None and last_erasure >= _made(ring.active_kek_id):
        ring = ring.with_new_kek(now=max(now, last_erasure + dt.timedelta(seconds=1)))
        write_keyring_file(path, ring)  # the new key first: a crash leaves both usable
        result.rotated_to = ring.active_kek_id
        with transaction.atomic():
            result.rewrapped = columns.rewrap_all(ring=ring)
            record(
                action="keys.rotated",
                actor_id=None,
                agency_id=None,
                detail={"rewrapped": result.rewrapped, "reason": "Erasure"},
            )

    by_age = sorted(ring.keks, key=_made)
    due = [
        older
        for older, newer in itertools.pairwise(by_age)
        if older != ring.active_kek_id and now >= _made(newer) + window()
    ]
    if due:
        if columns.rows_not_under(ring.active_kek_id):
            result.rewrapped += _rewrap(ring)
        for key_id in due:
            ring = ring.without_kek(key_id)
        with transaction.atomic():
            record(
                action="keys.retired",
                actor_id=None,
                agency_id=None,
                detail={"retired": len(due), "window_days": window().days},
            )
        write_keyring_file(path, ring)
        result.retired = due
    return result
