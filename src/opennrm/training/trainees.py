"""The only code that encrypts and decrypts a trainee's name, under a per-trainee data key
registered with `vault.columns` (rotated by `rotate-keys`), and the key that matches one person
trained several times.

Matching follows the rules of case names (`core/names.py`): NFKC, case-folded, apostrophes
removed, Cyrillic compared in the official Ukrainian transliteration (KMU 2010), so "Шевченко
Тарас", "ШЕВЧЕНКО тарас" and "Shevchenko Taras" are one key. The key covers the family and
first names in any order (participant lists often omit the patronymic) and is an HMAC under the
blind-index key, domain-separated ("trainee.name"): the register can be matched without
holding names in clear.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from opennrm.core.names import latin_form, name_tokens
from opennrm.training.models import Trainee
from opennrm.vault.blind import blind_index
from opennrm.vault.columns import register
from opennrm.vault.keyring import KeyRing, current_keyring

TRAINEE = register(Trainee, table="training_trainee", columns=("identity",))


@dataclass(frozen=True)
class TraineeName:
    family_name: str
    first_name: str
    middle_name: str = ""

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.first_name, self.middle_name) if p)

    @property
    def initials(self) -> str:
        """ "Т. Ш." style initials: all that the public verification page shows."""
        return " ".join(f"{p[0].upper()}." for p in (self.first_name, self.family_name) if p)


def name_key(name: TraineeName, *, ring: KeyRing | None = None) -> str:
    ring = ring or current_keyring()
    tokens = name_tokens(f"{name.family_name} {name.first_name}")
    return blind_index(ring, "trainee.name", " ".join(sorted(latin_form(t) for t in tokens)))


def seal_name(trainee: Trainee, name: TraineeName, *, ring: KeyRing | None = None) -> None:
    TRAINEE.seal_text(trainee, "identity", json.dumps(asdict(name), ensure_ascii=False), ring=ring)


def open_name(trainee: Trainee, *, ring: KeyRing | None = None) -> TraineeName:
    return TraineeName(**json.loads(TRAINEE.open_text(trainee, "identity", ring=ring)))
