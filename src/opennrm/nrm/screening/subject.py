"""The only code that encrypts and decrypts a screening's minimal identity (`subject`).

A random data key per screening, wrapped by the key ring's active key-encryption key; the
subject is sealed with AES-256-GCM and the associated data `screening_screening|subject|<id>`,
so the ciphertext cannot be moved to another row. A wrong key raises `DecryptionError`. The
envelope plumbing is `vault.columns`; the registration below puts the column in the registry
`opennrm rotate-keys` walks.
"""

from __future__ import annotations

from opennrm.nrm.screening.models import Screening
from opennrm.vault.columns import register
from opennrm.vault.keyring import KeyRing

TABLE = "screening_screening"
MAX_SUBJECT = 200
SCREENING = register(Screening, table=TABLE, columns=("subject",))


def seal_subject(screening: Screening, subject: str, *, ring: KeyRing | None = None) -> None:
    """Encrypt the subject into the screening (creating its data key on first use)."""
    SCREENING.seal_text(screening, "subject", subject, ring=ring)


def open_subject(screening: Screening, *, ring: KeyRing | None = None) -> str:
    """The decrypted subject ("" once erased); raises `DecryptionError` on a wrong key or
    altered data."""
    if SCREENING.is_shredded(screening):
        return ""
    return SCREENING.open_text(screening, "subject", ring=ring)


def rewrap_all(*, ring: KeyRing) -> int:
    """Re-wrap every screening's data key (inside the caller's transaction)."""
    return SCREENING.rewrap_all(ring=ring)
