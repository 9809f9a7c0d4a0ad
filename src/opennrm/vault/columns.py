"""The registry of encrypted columns, and the one copy of the per-row envelope plumbing.

A table with encrypted columns gives each row a random data key, stored wrapped (AES-256-GCM)
by the key ring's active key-encryption key in ``kek_id`` / ``wrapped_data_key``; each column
``<name>_enc`` is sealed with that data key and the associated data ``table|name|row-id``, so
ciphertext cannot be moved to another row or column, and the wrapped key is bound the same way
(``table|wrapped_data_key|row-id``).

Each domain module that encrypts registers its table here when it is imported (its app's
``ready()`` imports it), e.g.::

    PERSON = register(Person, table="people_person", columns=("first_name", ...))

and seals and opens through the returned ``EncryptedTable``. ``opennrm rotate-keys`` walks
``registered()``, so a new encrypted table is rotated as soon as it is registered; and
``unregistered()`` finds any model field that looks encrypted (``wrapped_data_key`` or
``*_enc``) but is in no registration, which makes rotation refuse to run (retiring the old key
would otherwise make that column unreadable for good).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models

from opennrm.vault.aead import (
    DecryptionError,
    associated_data,
    new_data_key,
    open_sealed,
    seal_many,
    unwrap_data_key,
    wrap_data_key,
)
from opennrm.vault.keyring import KeyRing, current_keyring

KEK_FIELD = "kek_id"
KEY_FIELD = "wrapped_data_key"
SUFFIX = "_enc"
# The key id of a row whose data key was destroyed (crypto-shredding, `EncryptedTable.shred`).
SHREDDED = "shredded"


class ShreddedError(DecryptionError):
    """The row's data key was destroyed on purpose (erasure): nothing can be decrypted."""


@dataclass(frozen=True)
class EncryptedTable:
    """A model whose rows each carry a wrapped data key, and the columns sealed with it."""

    model: type[models.Model]
    table: str  # the name bound into the associated data
    columns: tuple[str, ...]  # without the ``_enc`` suffix

    @property
    def label(self) -> str:
        return str(self.model._meta.label)

    def fields(self) -> tuple[str, ...]:
        """The model fields this registration covers."""
        return (KEK_FIELD, KEY_FIELD, *(f"{c}{SUFFIX}" for c in self.columns))

    def _key_aad(self, row: models.Model) -> bytes:
        return associated_data(self.table, KEY_FIELD, row.pk)

    def _column(self, column: str) -> str:
        if column not in self.columns:
            raise KeyError(f"{column!r} is not a registered encrypted column of {self.label}")
        return f"{column}{SUFFIX}"

    def is_shredded(self, row: models.Model) -> bool:
        return bool(getattr(row, KEK_FIELD) == SHREDDED)

    def shred(self, row: models.Model) -> None:
        """Destroy the row's data key and clear its encrypted columns (crypto-shredding).

        The wrapped data key is the only copy of the key in the database: once it is gone,
        the ciphertext of this row cannot be decrypted with any key of the key ring. The
        caller saves the row (``update_fields=self.fields()``).
        """
        setattr(row, KEK_FIELD, SHREDDED)
        setattr(row, KEY_FIELD, b"")
        for column in self.columns:
            setattr(row, f"{column}{SUFFIX}", b"")

    def data_key(self, row: models.Model, *, ring: KeyRing | None = None) -> bytes:
        """The row's data key; raises `DecryptionError` on a wrong or retired key and
        `ShreddedError` when it was destroyed."""
        if self.is_shredded(row):
            raise ShreddedError(f"the data key of this {self.label} row was destroyed")
        ring = ring or current_keyring()
        wrapped = bytes(getattr(row, KEY_FIELD))
        return unwrap_data_key(ring, getattr(row, KEK_FIELD), wrapped, self._key_aad(row))

    def _data_key_for_sealing(self, row: models.Model, ring: KeyRing) -> bytes:
        if self.is_shredded(row):
            raise ShreddedError(f"this {self.label} row was erased: nothing can be sealed in it")
        if not getattr(row, KEY_FIELD):
            data_key = new_data_key()
            kek_id, wrapped = wrap_data_key(ring, data_key, self._key_aad(row))
            setattr(row, KEK_FIELD, kek_id)
            setattr(row, KEY_FIELD, wrapped)
            return data_key
        return self.data_key(row, ring=ring)

    def seal(
        self, row: models.Model, values: Mapping[str, bytes], *, ring: KeyRing | None = None
    ) -> None:
        """Encrypt ``{column: plaintext}`` into the row (its data key made on first use).

        The caller saves the row.
        """
        ring = ring or current_keyring()
        data_key = self._data_key_for_sealing(row, ring)
        fields = [self._column(column) for column in values]  # an unknown column: nothing set
        items = [
            (plaintext, associated_data(self.table, column, row.pk))
            for column, plaintext in values.items()
        ]
        for field, sealed in zip(fields, seal_many(data_key, items), strict=True):
            setattr(row, field, sealed)

    def open(
        self, row: models.Model, columns: Iterable[str], *, ring: KeyRing | None = None
    ) -> dict[str, bytes]:
        """Decrypt the named columns; raises `DecryptionError` on a wrong key or altered data."""
        data_key = self.data_key(row, ring=ring)
        return {
            column: open_sealed(
                data_key,
                bytes(getattr(row, self._column(column))),
                associated_data(self.table, column, row.pk),
            )
            for column in columns
        }

    def seal_text(
        self, row: models.Model, column: str, text: str, *, ring: KeyRing | None = None
    ) -> None:
        self.seal(row, {column: text.encode("utf-8")}, ring=ring)

    def open_text(self, row: models.Model, column: str, *, ring: KeyRing | None = None) -> str:
        return self.open(row, (column,), ring=ring)[column].decode("utf-8")

    def rewrap(self, row: models.Model, *, ring: KeyRing) -> bool:
        """Re-wrap the row's data key under the active key; True when it changed."""
        if not getattr(row, KEY_FIELD) or getattr(row, KEK_FIELD) == ring.active_kek_id:
            return False  # no data key yet, or already under the active key
        data_key = self.data_key(row, ring=ring)
        kek_id, wrapped = wrap_data_key(ring, data_key, self._key_aad(row))
        setattr(row, KEK_FIELD, kek_id)
        setattr(row, KEY_FIELD, wrapped)
        return True

    def rewrap_all(self, *, ring: KeyRing) -> int:
        """Re-wrap every row's data key (inside the caller's transaction); how many changed."""
        changed = 0
        manager: Any = self.model._default_manager
        rows = manager.select_for_update().exclude(**{f"{KEK_FIELD}__in": ["", SHREDDED]})
        for row in rows.iterator(chunk_size=500):
            if self.rewrap(row, ring=ring):
                row.save(update_fields=[KEK_FIELD, KEY_FIELD])
                changed += 1
        return changed

    def rows_not_under(self, kek_id: str) -> int:
        """Rows whose data key is wrapped by another key than ``kek_id``."""
        manager: Any = self.model._default_manager
        return int(
            manager.exclude(**{KEK_FIELD: kek_id})
            .exclude(**{f"{KEK_FIELD}__in": ["", SHREDDED]})
            .count()
        )


_registry: dict[str, EncryptedTable] = {}


def register(model: type[models.Model], *, table: str, columns: Iterable[str]) -> EncryptedTable:
    """Register a model's encrypted columns (once per model; the same registration again is a
    no-op, a different one an error)."""
    entry = EncryptedTable(model, table, tuple(columns))
    missing = [f for f in entry.fields() if f not in {x.name for x in model._meta.get_fields()}]
    if missing:
        raise ValueError(f"{entry.label} has no field {', '.join(missing)}")
    existing = _registry.get(entry.label)
    if existing is not None and existing != entry:
        raise ValueError(f"{entry.label} is already registered with other encrypted columns")
    _registry[entry.label] = entry
    return entry


# Columns sealed with another registration's data key (a person's notes and files under the
# person's key): re-wrapping that key carries them along, and erasing it shreds them.
_under: dict[str, tuple[str, str, tuple[str, ...]]] = {}


def register_under(
    model: type[models.Model], *, owner: EncryptedTable, table: str, columns: Iterable[str]
) -> None:
    """Register ``<column>_enc`` fields of ``model`` sealed with the data key of ``owner``'s row
    (they have no key of their own, so rotation has nothing to re-wrap in them)."""
    fields = {x.name for x in model._meta.get_fields()}
    names = tuple(columns)
    missing = [f"{c}{SUFFIX}" for c in names if f"{c}{SUFFIX}" not in fields]
    if missing:
        raise ValueError(f"{model._meta.label} has no field {', '.join(missing)}")
    _under[str(model._meta.label)] = (owner.label, table, names)


def registered() -> tuple[EncryptedTable, ...]:
    return tuple(_registry[label] for label in sorted(_registry))


def unregistered() -> list[str]:
    """``app.Model.field`` of every field that looks encrypted but is in no registration."""
    from django.apps import apps

    covered = {(entry.label, field) for entry in _registry.values() for field in entry.fields()}
    covered |= {(label, f"{c}{SUFFIX}") for label, (_, _, cs) in _under.items() for c in cs}
    return sorted(
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if (field.name == KEY_FIELD or field.name.endswith(SUFFIX))
        and (str(model._meta.label), field.name) not in covered
    )


def rewrap_all(*, ring: KeyRing) -> int:
    """Re-wrap the data keys of every registered table (for `opennrm rotate-keys`)."""
    return sum(entry.rewrap_all(ring=ring) for entry in registered())


def rows_not_under(kek_id: str) -> int:
    """Rows of any registered table still wrapped by another key than ``kek_id``."""
    return sum(entry.rows_not_under(kek_id) for entry in registered())
