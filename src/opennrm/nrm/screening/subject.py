"""The only code that encrypts and decrypts a screening's minimal identity (`subject`).

A random data key per screening, wrapped by the key ring's active key-encryption key; the
subject is sealed with AES-256-GCM and the associated data `screening_screening|subject|<id>`,
so the ciphertext cannot be moved to another row. A wrong key raises `DecryptionError`.
"""

from __future__ import annotations

from opennrm.nrm.screening.models import Screening
from opennrm.vault.aead import (
    associated_data,
    new_data_key,
    open_sealed,
    seal,
    unwrap_data_key,
    wrap_data_key,
)
from opennrm.vault.keyring import KeyRing, current_keyring

TABLE = "screening_screening"
MAX_SUBJECT = 200


def _data_key(ring: KeyRing, screening: Screening) -> bytes:
    aad = associated_data(TABLE, "wrapped_data_key", screening.id)
    return unwrap_data_key(ring, screening.kek_id, bytes(screening.wrapped_data_key), aad)


def seal_subject(screening: Screening, subject: str, *, ring: KeyRing | None = None) -> None:
    """Encrypt the subject into the screening (creating its data key on first use)."""
    ring = ring or current_keyring()
    if not screening.wrapped_data_key:
        data_key = new_data_key()
        aad = associated_data(TABLE, "wrapped_data_key", screening.id)
        screening.kek_id, screening.wrapped_data_key = wrap_data_key(ring, data_key, aad)
    else:
        data_key = _data_key(ring, screening)
    screening.subject_enc = seal(
        data_key, subject.encode("utf-8"), associated_data(TABLE, "subject", screening.id)
    )


def open_subject(screening: Screening, *, ring: KeyRing | None = None) -> str:
    """The decrypted subject; raises `DecryptionError` on a wrong key or altered data."""
    ring = ring or current_keyring()
    blob = bytes(screening.subject_enc)
    plain = open_sealed(
        _data_key(ring, screening), blob, associated_data(TABLE, "subject", screening.id)
    )
    return plain.decode("utf-8")


def rewrap_data_key(screening: Screening, *, ring: KeyRing) -> bool:
    """Re-wrap the screening's data key under the active key; True when it changed."""
    if screening.kek_id == ring.active_kek_id:
        return False
    data_key = _data_key(ring, screening)
    aad = associated_data(TABLE, "wrapped_data_key", screening.id)
    screening.kek_id, screening.wrapped_data_key = wrap_data_key(ring, data_key, aad)
    return True


def rewrap_all(*, ring: KeyRing) -> int:
    """Re-wrap every screening's data key (for `opennrm rotate-keys`, inside its transaction)."""
    changed = 0
    for screening in Screening.objects.select_for_update().iterator(chunk_size=500):
        if rewrap_data_key(screening, ring=ring):
            screening.save(update_fields=["kek_id", "wrapped_data_key"])
            changed += 1
    return changed
