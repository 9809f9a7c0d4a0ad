"""The only code that encrypts and decrypts a support plan's objectives.

A random data key per plan, wrapped by the key ring's active key-encryption key; the objectives
are sealed with AES-256-GCM and the associated data `assistance_supportplan|objectives|<id>`,
so the ciphertext cannot be moved to another row or column. A wrong key raises
`DecryptionError`. The envelope plumbing is `vault.columns`; the registration below puts the
column in the registry `opennrm rotate-keys` walks.
"""

from __future__ import annotations

from opennrm.nrm.assistance.models import SupportPlan
from opennrm.vault.columns import register
from opennrm.vault.keyring import KeyRing

TABLE = "assistance_supportplan"
MAX_OBJECTIVES = 4000
PLAN = register(SupportPlan, table=TABLE, columns=("objectives",))


def seal_objectives(plan: SupportPlan, objectives: str, *, ring: KeyRing | None = None) -> None:
    """Encrypt the objectives into the plan (creating its data key on first use)."""
    PLAN.seal_text(plan, "objectives", objectives, ring=ring)


def open_objectives(plan: SupportPlan, *, ring: KeyRing | None = None) -> str:
    """The decrypted objectives ("" once erased); raises `DecryptionError` on a wrong key or
    altered data."""
    if PLAN.is_shredded(plan):
        return ""
    return PLAN.open_text(plan, "objectives", ring=ring)


def rewrap_all(*, ring: KeyRing) -> int:
    """Re-wrap every plan's data key (inside the caller's transaction)."""
    return PLAN.rewrap_all(ring=ring)
