"""The only code that encrypts and decrypts a support plan's objectives.

A random data key per plan, wrapped by the key ring's active key-encryption key; the objectives
are sealed with AES-256-GCM and the associated data `assistance_supportplan|objectives|<id>`,
so the ciphertext cannot be moved to another row or column. A wrong key raises
`DecryptionError`.
"""

from __future__ import annotations

from opennrm.nrm.assistance.models import SupportPlan
from opennrm.vault.aead import (
    associated_data,
    new_data_key,
    open_sealed,
    seal,
    unwrap_data_key,
    wrap_data_key,
)
from opennrm.vault.keyring import KeyRing, current_keyring

TABLE = "assistance_supportplan"
MAX_OBJECTIVES = 4000


def _key_aad(plan: SupportPlan) -> bytes:
    return associated_data(TABLE, "wrapped_data_key", plan.id)


def _data_key(ring: KeyRing, plan: SupportPlan) -> bytes:
    return unwrap_data_key(ring, plan.kek_id, bytes(plan.wrapped_data_key), _key_aad(plan))


def seal_objectives(plan: SupportPlan, objectives: str, *, ring: KeyRing | None = None) -> None:
    """Encrypt the objectives into the plan (creating its data key on first use)."""
    ring = ring or current_keyring()
    if not plan.wrapped_data_key:
        data_key = new_data_key()
        plan.kek_id, plan.wrapped_data_key = wrap_data_key(ring, data_key, _key_aad(plan))
    else:
        data_key = _data_key(ring, plan)
    plan.objectives_enc = seal(
        data_key, objectives.encode("utf-8"), associated_data(TABLE, "objectives", plan.id)
    )


def open_objectives(plan: SupportPlan, *, ring: KeyRing | None = None) -> str:
    """The decrypted objectives; raises `DecryptionError` on a wrong key or altered data."""
    ring = ring or current_keyring()
    plain = open_sealed(
        _data_key(ring, plan),
        bytes(plan.objectives_enc),
        associated_data(TABLE, "objectives", plan.id),
    )
    return plain.decode("utf-8")


def rewrap_data_key(plan: SupportPlan, *, ring: KeyRing) -> bool:
    """Re-wrap the plan's data key under the active key; True when it changed."""
    if plan.kek_id == ring.active_kek_id:
        return False
    data_key = _data_key(ring, plan)
    plan.kek_id, plan.wrapped_data_key = wrap_data_key(ring, data_key, _key_aad(plan))
    return True


def rewrap_all(*, ring: KeyRing) -> int:
    """Re-wrap every plan's data key (for `opennrm rotate-keys`, inside its transaction)."""
    changed = 0
    for plan in SupportPlan.objects.select_for_update().iterator(chunk_size=500):
        if rewrap_data_key(plan, ring=ring):
            plan.save(update_fields=["kek_id", "wrapped_data_key"])
            changed += 1
    return changed
