"""The decrypted identity of a person, and the only code that encrypts and decrypts it."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from opennrm.core import name_keys
from opennrm.core.ages import PartialDate
from opennrm.core.bulk import insert_rows
from opennrm.core.names import name_tokens
from opennrm.people.models import Person, PersonSearchKey
from opennrm.vault.blind import blind_key
from opennrm.vault.columns import register
from opennrm.vault.keyring import KeyRing, current_keyring

TABLE = "people_person"
NAME_FIELDS = ("first_name", "middle_name", "family_name", "aliases")


@dataclass(frozen=True)
class IdentityDocument:
    type: str
    number: str
    country: str = ""

    def to_json(self) -> dict[str, str]:
        return {"type": self.type, "number": self.number, "country": self.country}


@dataclass(frozen=True)
class MailingAddress:
    street: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""

    def to_json(self) -> dict[str, str]:
        return {
            "street": self.street,
            "city": self.city,
            "state": self.state,
            "postal_code": self.postal_code,
            "country": self.country,
        }


@dataclass
class Identity:
    """What identifies a person (HTCDS `prs_` and Ukrainian additions). In memory only."""

    first_name: str = ""
    middle_name: str = ""
    family_name: str = ""
    aliases: list[str] = field(default_factory=list)
    birth_date: PartialDate = field(default_factory=lambda: PartialDate(None))
    documents: list[IdentityDocument] = field(default_factory=list)
    rnokpp: str = ""
    salutation: str = ""
    title: str = ""
    email: str = ""
    phones: list[str] = field(default_factory=list)
    home_phone: str = ""
    place_of_stay: str = ""
    mailing: MailingAddress = field(default_factory=MailingAddress)
    origin_detail: str = ""
    vulnerability_details: str = ""

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.first_name, self.middle_name) if p)

    def _columns(self) -> dict[str, Any]:
        """The encrypted columns and what each holds (contact details share one column)."""
        return {
            "first_name": self.first_name,
            "middle_name": self.middle_name,
            "family_name": self.family_name,
            "aliases": list(self.aliases),
            "birth_date": self.birth_date.isoformat(),
            "documents": [d.to_json() for d in self.documents],
            "rnokpp": self.rnokpp,
            "contact": {
                "salutation": self.salutation,
                "title": self.title,
                "email": self.email,
                "phones": list(self.phones),
                "home_phone": self.home_phone,
                "place_of_stay": self.place_of_stay,
                "mailing": self.mailing.to_json(),
            },
            "origin_detail": self.origin_detail,
            "vulnerability_details": self.vulnerability_details,
        }


# The person's encrypted columns, in the registry `opennrm rotate-keys` walks.
PERSON = register(Person, table=TABLE, columns=tuple(Identity()._columns()))


def seal_identity(person: Person, identity: Identity, *, ring: KeyRing | None = None) -> None:
    """Encrypt an identity into the person's columns (creating the data key on first use).

    The caller saves the person and then calls `index_identity`.
    """
    PERSON.seal(
        person,
        {
            column: json.dumps(value, ensure_ascii=False).encode("utf-8")
            for column, value in identity._columns().items()
        },
        ring=ring,
    )


def open_identity(
    person: Person, *, ring: KeyRing | None = None, columns: tuple[str, ...] | None = None
) -> Identity:
    """Decrypt a person's identity; raises `DecryptionError` on a wrong key or altered data.

    With `columns`, only those are decrypted (the others keep their empty defaults). An erased
    person (`forget_identity`) has an empty identity: nothing is held on them any more.
    """
    if PERSON.is_shredded(person):
        return Identity()
    values: dict[str, Any] = Identity()._columns()
    opened = PERSON.open(person, columns or PERSON.columns, ring=ring)
    values.update({column: json.loads(plain) for column, plain in opened.items()})
    contact = values["contact"]
    return Identity(
        first_name=values["first_name"],
        middle_name=values["middle_name"],
        family_name=values["family_name"],
        aliases=list(values["aliases"]),
        birth_date=PartialDate.parse(values["birth_date"]),
        documents=[IdentityDocument(**d) for d in values["documents"]],
        rnokpp=values["rnokpp"],
        salutation=contact["salutation"],
        title=contact["title"],
        email=contact["email"],
        phones=list(contact["phones"]),
        home_phone=contact["home_phone"],
        place_of_stay=contact["place_of_stay"],
        mailing=MailingAddress(**contact["mailing"]),
        origin_detail=values["origin_detail"],
        vulnerability_details=values["vulnerability_details"],
    )


def _domain(name: str, kind: str) -> str:
    """The blind-index domain of a name field and kind of key (exact keys keep the first one)."""
    return f"person.{name}" if kind == name_keys.EXACT else f"person.{name}.{kind}"


def _key_field(name: str, kind: str) -> str:
    """What a `PersonSearchKey.field` holds for a name field and kind of key."""
    return name if kind == name_keys.EXACT else f"{name}.{kind}"


SEARCH_KEY_FIELDS = tuple(_key_field(n, k) for n in NAME_FIELDS for k in name_keys.KINDS)


def name_query(text: str, *, ring: KeyRing | None = None) -> list[dict[int, tuple[str, str]]]:
    """For each token of a search text, the digests that would match it, each with the name
    field and the kind of key it stands for (`core.name_keys`)."""
    ring = ring or current_keyring()
    tokens: list[dict[int, tuple[str, str]]] = []
    for token in name_tokens(text):
        digests: dict[int, tuple[str, str]] = {}
        for kind, keys in name_keys.query_keys(token).items():
            for name in NAME_FIELDS:
                for key in keys:
                    digests[blind_key(ring, _domain(name, kind), key)] = (name, kind)
        tokens.append(digests)
    return tokens


def name_digests(text: str, *, ring: KeyRing | None = None) -> list[set[int]]:
    """For each token of a search text, the digests that would match it in any name field."""
    return [set(digests) for digests in name_query(text, ring=ring)]


def search_key_rows(
    identity: Identity,
    *,
    ring: KeyRing,
    memo: dict[tuple[str, str], frozenset[tuple[str, int]]] | None = None,
) -> set[tuple[str, int]]:
    """The (field, digest) blind-index rows of an identity's names. `memo`: the rows of each
    (field, name) already computed in this batch (given names and patronymics repeat: an
    import computes a name's keys and digests once, not once per person); kept by the caller
    for one batch only, since it holds names in clear."""
    texts = {
        "first_name": [identity.first_name],
        "middle_name": [identity.middle_name],
        "family_name": [identity.family_name],
        "aliases": identity.aliases,
    }
    rows: set[tuple[str, int]] = set()
    for name, values in texts.items():
        for value in values:
            known = memo.get((name, value)) if memo is not None else None
            if known is None:
                known = frozenset(
                    (_key_field(name, kind), blind_key(ring, _domain(name, kind), key))
                    for kind, keys in name_keys.text_index_keys(value).items()
                    for key in keys
                )
                if memo is not None:
                    memo[name, value] = known
            rows |= known
    return rows


def index_identity(person: Person, identity: Identity, *, ring: KeyRing | None = None) -> None:
    """Replace the person's blind-index rows with those of this identity."""
    _replace_keys(
        PersonSearchKey, person.pk, search_key_rows(identity, ring=ring or current_keyring())
    )


@dataclass(frozen=True)
class SealedIdentity:
    """An identity sealed for a person not saved yet: the person's id (bound into the
    ciphertext), the values of the person's encrypted fields (`PERSON.fields()`: the wrapped
    data key and the sealed columns) and the blind-index rows of its names, as
    `cases.services.register_cases` writes them. A large import makes them where its records
    are checked (a second process: `cases.htcds.import_records`), so that the encryption and
    the digests are not the writer's work. Holds no plaintext."""

    person_id: uuid.UUID
    fields: dict[str, Any]
    key_rows: frozenset[tuple[str, int]]


def seal_new_identity(
    identity: Identity,
    *,
    ring: KeyRing,
    memo: dict[tuple[str, str], frozenset[tuple[str, int]]] | None = None,
) -> SealedIdentity:
    """Seal an identity for a new person (a new id and data key) and compute its blind-index
    rows (`memo`: as for `search_key_rows`). Nothing is written."""
    person = Person(id=uuid.uuid4())  # never saved: it carries the id the ciphertext binds
    seal_identity(person, identity, ring=ring)
    return SealedIdentity(
        person_id=person.pk,
        fields={name: getattr(person, name) for name in PERSON.fields()},
        key_rows=frozenset(search_key_rows(identity, ring=ring, memo=memo)),
    )


def index_sealed_identities(sealed: Sequence[SealedIdentity]) -> None:
    """Write the blind-index rows of persons just saved from `SealedIdentity`s, in one insert."""
    insert_rows(
        PersonSearchKey,
        ("person", "field", "digest"),
        ((item.person_id, name, digest) for item in sealed for name, digest in item.key_rows),
    )


def _replace_keys(key_model: Any, person_id: Any, rows: set[tuple[str, int]]) -> None:
    """Delete a person's blind-index rows and write `rows` (`key_model`: the model class, or
    its historical version in a migration)."""
    key_model.objects.filter(person_id=person_id).delete()
    key_model.objects.bulk_create(
        [key_model(person_id=person_id, field=name, digest=digest) for name, digest in rows]
    )


def reindex_names(person_model: Any, key_model: Any, *, ring: KeyRing | None = None) -> int:
    """Rebuild the name blind indexes of every person (after the kinds of key changed).

    Takes the model classes so a data migration can pass its historical models. Erased persons
    keep no rows. Returns the number of persons indexed.
    """
    count = 0
    for person in person_model.objects.order_by("pk").iterator(chunk_size=500):
        if PERSON.is_shredded(person):
            continue
        ring = ring or current_keyring()
        identity = open_identity(person, ring=ring, columns=NAME_FIELDS)
        _replace_keys(key_model, person.pk, search_key_rows(identity, ring=ring))
        count += 1
    return count


def is_erased(person: Person) -> bool:
    """True when the person's data key was destroyed (`forget_identity`)."""
    return PERSON.is_shredded(person)


def forget_identity(person: Person) -> None:
    """Crypto-shred a person: destroy the data key, clear every encrypted column and delete
    the blind-index rows. Saves the person; the coarse plaintext facts stay for statistics."""
    PERSON.shred(person)
    person.save(update_fields=[*PERSON.fields(), "updated_at"])
    PersonSearchKey.objects.filter(person=person).delete()


def rewrap_data_key(person: Person, *, ring: KeyRing) -> bool:
    """Re-wrap a person's data key under the active key; True when it changed."""
    return PERSON.rewrap(person, ring=ring)
