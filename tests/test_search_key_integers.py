"""The name search keys are the first 64 bits of their digests (`vault.blind.blind_key`);
migration people/0005 converts the hex digests stored before, without the key ring, to the
very keys the code now computes, on SQLite (in Python) and PostgreSQL (in SQL)."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from opennrm.people.identity import Identity, name_digests, search_key_rows
from opennrm.vault.blind import blind_index, blind_key
from opennrm.vault.keyring import current_keyring

migration = importlib.import_module("opennrm.people.migrations.0005_search_keys_as_integers")

VALUES = [("person.family_name", "шевченко"), ("person.first_name.prefix", "olek"), ("d", "")]


@pytest.mark.django_db
def test_a_stored_hex_digest_converts_to_the_key_the_code_computes() -> None:
    ring = current_keyring()
    keys = {blind_key(ring, field, value) for field, value in VALUES}
    assert len(keys) == 3
    for field, value in VALUES:
        hex_digest = blind_index(ring, field, value)
        key = blind_key(ring, field, value)
        assert -(2**63) <= key < 2**63
        assert migration.key_of(hex_digest) == key
        assert migration.key_of(str(key)) == key  # written as a number by migration 0003
        reversed_hex = format(key % 2**64, "016x")
        assert reversed_hex == hex_digest[:16]
        assert migration.key_of(reversed_hex) == key
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT "
                    + migration.KEY_OF_SQL.format("%s::text")
                    + ", "
                    + migration.KEY_OF_SQL.format("%s::text")
                    + ", lpad(to_hex(%s::bigint), 16, '0')",
                    [hex_digest] * 3 + [str(key)] * 3 + [key],
                )
                assert cursor.fetchone() == (key, key, hex_digest[:16])


@pytest.mark.django_db
def test_search_and_stored_keys_agree() -> None:
    ring = current_keyring()
    rows = search_key_rows(Identity(first_name="Олександр", family_name="Шевченко"), ring=ring)
    assert all(isinstance(key, int) for _field, key in rows)
    wanted = name_digests("Шевченко")[0]
    assert {key for field, key in rows if field.startswith("family_name")} & wanted
