"""The only code that encrypts and decrypts a suspect's identity (names, date of birth, aliases),
under a per-suspect data key registered with `vault.columns` (rotated by `rotate-keys`)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from opennrm.justice.models import Suspect
from opennrm.vault.columns import register
from opennrm.vault.keyring import KeyRing

SUSPECT = register(Suspect, table="justice_suspect", columns=("identity",))


@dataclass(frozen=True)
class SuspectIdentity:
    first_name: str = ""
    family_name: str = ""
    middle_name: str = ""
    birth_date: str = ""  # YYYY-MM-DD or YYYY
    aliases: list[str] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.first_name, self.middle_name) if p)


def seal_identity(
    suspect: Suspect, identity: SuspectIdentity, *, ring: KeyRing | None = None
) -> None:
    SUSPECT.seal_text(suspect, "identity", json.dumps(asdict(identity)), ring=ring)


def open_identity(suspect: Suspect, *, ring: KeyRing | None = None) -> SuspectIdentity:
    return SuspectIdentity(**json.loads(SUSPECT.open_text(suspect, "identity", ring=ring)))
