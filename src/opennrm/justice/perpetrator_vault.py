"""The only code that encrypts and decrypts a perpetrator's identity and an identifier's value,
and computes an identifier's blind-index digest (HMAC-SHA256 under the key ring's blind-index
key, domain-separated per kind: `identifier.phone`, `identifier.email`...)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from opennrm.justice.perpetrators import Identifier, Perpetrator
from opennrm.vault.blind import blind_index
from opennrm.vault.columns import register
from opennrm.vault.keyring import KeyRing, current_keyring

PERPETRATOR = register(Perpetrator, table="justice_perpetrator", columns=("identity",))
IDENTIFIER = register(Identifier, table="justice_identifier", columns=("value",))


@dataclass(frozen=True)
class PerpetratorIdentity:
    first_name: str = ""
    family_name: str = ""
    middle_name: str = ""
    birth_date: str = ""  # YYYY-MM-DD or YYYY
    aliases: list[str] = field(default_factory=list)
    description: str = ""  # how the victims describe the person when the name is unknown

    @property
    def full_name(self) -> str:
        name = " ".join(p for p in (self.family_name, self.first_name, self.middle_name) if p)
        return name or ", ".join(self.aliases) or self.description


def seal_identity(
    perpetrator: Perpetrator, identity: PerpetratorIdentity, *, ring: KeyRing | None = None
) -> None:
    PERPETRATOR.seal_text(
        perpetrator, "identity", json.dumps(asdict(identity), ensure_ascii=False), ring=ring
    )


def open_identity(perpetrator: Perpetrator, *, ring: KeyRing | None = None) -> PerpetratorIdentity:
    return PerpetratorIdentity(
        **json.loads(PERPETRATOR.open_text(perpetrator, "identity", ring=ring))
    )


def digest(kind: str, normal: str, *, ring: KeyRing | None = None) -> str:
    """The blind-index digest of an identifier's normal form (`identifiers.normalise`)."""
    return blind_index(ring or current_keyring(), f"identifier.{kind}", normal)


def seal_value(identifier: Identifier, normal: str, *, ring: KeyRing | None = None) -> None:
    IDENTIFIER.seal_text(identifier, "value", normal, ring=ring)


def open_value(identifier: Identifier, *, ring: KeyRing | None = None) -> str:
    return IDENTIFIER.open_text(identifier, "value", ring=ring)
