"""Persons: identity encrypted at rest, wrong keys fail loudly, search by blind index, rotation."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from opennrm.access import policy
from opennrm.cases.models import Case
from opennrm.cases.queries import search_by_name
from opennrm.people.identity import open_identity
from opennrm.people.models import Person
from opennrm.tenancy.actor import Actor
from opennrm.vault.aead import DecryptionError
from opennrm.vault.keyring import generate_keyring, parse_keyring, write_keyring_file
from tests.conftest import person_input
from tests.sqlite_files import database_bytes

SECRET_WORDS = ["Олександр", "Шевченко", "Oleksandr", "Shevchenko", "oleksandr", "shevchenko"]


def _all_text_in_database() -> str:
    """Every value of every table, read with raw SQL, as text (bytes decoded leniently)."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        chunks.append(bytes(value).decode("utf-8", errors="ignore"))
                    elif value is not None:
                        chunks.append(str(value))
    return "\n".join(chunks)


@pytest.mark.django_db(transaction=True)
def test_no_table_holds_the_plaintext_name(shevchenko_case: Case) -> None:
    text = _all_text_in_database()
    assert str(shevchenko_case.id) in text  # the scan does see the rows
    for word in SECRET_WORDS:
        assert word not in text, word


@pytest.mark.django_db(transaction=True)
def test_sqlite_file_bytes_hold_no_plaintext_name(shevchenko_case: Case) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite file exists only on SQLite; PostgreSQL is checked by raw SQL")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(FULL)")
    path = Path(connection.settings_dict["NAME"])
    raw = database_bytes(path)  # read by a child: SQLite's locks stay
    assert shevchenko_case.id.hex.encode() in raw or str(shevchenko_case.id).encode() in raw
    for word in SECRET_WORDS:
        assert word.encode("utf-8") not in raw, word
        assert word.encode("utf-16-le") not in raw, word


def test_identity_round_trips(shevchenko_case: Case) -> None:
    identity = open_identity(Person.objects.get(pk=shevchenko_case.person_id))
    assert identity.first_name == "Олександр"
    assert identity.family_name == "Шевченко"
    assert identity.birth_date.isoformat() == "1987"


def test_wrong_key_raises_instead_of_showing_ciphertext(shevchenko_case: Case) -> None:
    person = Person.objects.get(pk=shevchenko_case.person_id)
    with pytest.raises(DecryptionError):
        open_identity(person, ring=generate_keyring())


def test_wrong_key_ring_in_settings_fails_the_request_loudly(shevchenko_case: Case) -> None:
    person = Person.objects.get(pk=shevchenko_case.person_id)
    with (
        override_settings(OPENNRM_KEYRING_TEXT=generate_keyring().to_json()),
        pytest.raises(DecryptionError),
    ):
        open_identity(person)


def test_ciphertext_swapped_between_persons_does_not_decrypt(
    make_case: Callable[..., Case], actor_a: Actor
) -> None:
    first = make_case(actor_a).person
    second = make_case(actor_a, person_input("Марія", "Коваленко", gender="Feminine")).person
    Person.objects.filter(pk=second.pk).update(family_name_enc=first.family_name_enc)
    with pytest.raises(DecryptionError):
        open_identity(Person.objects.get(pk=second.pk))


@pytest.mark.parametrize(
    "query",
    ["Oleksandr Shevchenko", "шевченко", "SHEVCHENKO", "Shevchenko Oleksandr", "Олександр"],
)
def test_name_search_finds_cyrillic_latin_any_case_any_order(
    query: str, shevchenko_case: Case, actor_a: Actor
) -> None:
    assert list(search_by_name(policy.visible_cases(actor_a), query)) == [shevchenko_case]


# "shevch" finds Shevchenko now: a beginning of a name (tests/test_name_search.py).
@pytest.mark.parametrize("query", ["Shevchenko Petro", "Коваленко", "Шевчук", ""])
def test_name_search_needs_every_token_to_match(
    query: str, shevchenko_case: Case, actor_a: Actor
) -> None:
    assert list(search_by_name(policy.visible_cases(actor_a), query)) == []


def test_aliases_are_searchable(make_case: Callable[..., Case], actor_a: Actor) -> None:
    case = make_case(actor_a, person_input("Олександр", "Шевченко", aliases=["Sasha Shevchuk"]))
    found = search_by_name(policy.visible_cases(actor_a), "shevchuk")
    assert list(found) == [case]


def test_key_rotation_rewraps_and_old_key_can_be_removed(
    shevchenko_case: Case, tmp_path: Path, settings: object
) -> None:
    from django.conf import settings as django_settings

    keyring_file = tmp_path / "keyring.json"
    write_keyring_file(keyring_file, parse_keyring(django_settings.OPENNRM_KEYRING_TEXT or ""))
    old_id = parse_keyring(keyring_file.read_text()).active_kek_id
    with override_settings(
        OPENNRM_KEYRING_FILE=str(keyring_file), OPENNRM_KEYRING_TEXT=keyring_file.read_text()
    ):
        call_command("rotate_keys", "--retire-old")
    ring = json.loads(keyring_file.read_text())
    assert old_id not in ring["kek"]["keys"]
    assert ring["kek"]["active"] != old_id
    person = Person.objects.get(pk=shevchenko_case.person_id)
    assert person.kek_id == ring["kek"]["active"]
    new_ring = parse_keyring(keyring_file.read_text())
    assert open_identity(person, ring=new_ring).family_name == "Шевченко"
    assert oct(keyring_file.stat().st_mode & 0o777) == "0o600"
