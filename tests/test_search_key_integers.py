"""The name search keys are the first 64 bits of their digests (`vault.blind.blind_key`);
migration people/0005 converts the hex digests stored before, without the key ring, to the
very keys the code now computes, on SQLite (in Python) and PostgreSQL (in SQL)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from opennrm.people.identity import Identity, name_digests, search_key_rows
from opennrm.tenancy.models import Agency
from opennrm.vault.blind import blind_index, blind_key
from opennrm.vault.keyring import current_keyring
from tests.conftest import as_database_owner

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
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT "
                    + migration.KEY_OF_SQL.format("%s::text")
                    + ", "
                    + migration.KEY_OF_SQL.format("%s::text"),
                    [hex_digest] * 3 + [str(key)] * 3,
                )
                assert cursor.fetchone() == (key, key)
    # numbers of 16 characters are numbers, not hex
    assert migration.key_of("1234567890123456") == 1234567890123456
    assert migration.key_of("-123456789012345") == -123456789012345


@pytest.mark.django_db
def test_search_and_stored_keys_agree() -> None:
    ring = current_keyring()
    rows = search_key_rows(Identity(first_name="Олександр", family_name="Шевченко"), ring=ring)
    assert all(isinstance(key, int) for _field, key in rows)
    wanted = name_digests("Шевченко")[0]
    assert {key for field, key in rows if field.startswith("family_name")} & wanted


BEFORE = ("people", "0004_search_keys_without_unique_index")
AFTER = ("people", "0005_search_keys_as_integers")


def _migrate(target: tuple[str, str]) -> Any:
    """Migrate to `target` and return the apps of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor.loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
def test_migration_0005_converts_the_stored_keys_forward_and_back() -> None:
    """Stored hex digests and keys written as numbers (by migration 0003 run with this code),
    16-digit and negative ones included, become the keys the code computes; going back and
    forward again gives the same keys."""
    ring = current_keyring()
    digests = [blind_index(ring, field, value) for field, value in VALUES]
    numbers = ["1234567890123456", "-123456789012345", "-9223372036854775808", "0"]
    expected = [blind_key(ring, field, value) for field, value in VALUES] + [
        int(n) for n in numbers
    ]
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    with as_database_owner():
        try:
            old = _migrate(BEFORE)
            # the other apps stay at their latest state: their current models
            agency = Agency.objects.create(
                name="Migration NGO (synthetic)", kind="NGO", oblast="UA-63"
            )
            person = old.get_model("people", "Person").objects.create(
                agency_id=agency.id, kek_id="k", wrapped_data_key=b""
            )
            old_keys = old.get_model("people", "PersonSearchKey")
            ids = [
                old_keys.objects.create(person=person, field="family_name", digest=value).id
                for value in [*digests, *numbers]
            ]

            def stored(apps: Any) -> list[Any]:
                model = apps.get_model("people", "PersonSearchKey")
                by_id = dict(model.objects.filter(id__in=ids).values_list("id", "digest"))
                return [by_id[i] for i in ids]

            assert stored(_migrate(AFTER)) == expected
            assert stored(_migrate(BEFORE)) == [str(key) for key in expected]
            assert stored(_migrate(AFTER)) == expected
        finally:
            MigrationExecutor(connection).migrate(latest)
