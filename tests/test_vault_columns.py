"""One registry of encrypted columns: every encrypted field is registered, `rotate-keys` walks
the registry (a column registered by anyone is rotated), an unregistered one stops rotation."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from opennrm.cases.models import Case
from opennrm.nrm.assistance import services as assistance
from opennrm.nrm.assistance.models import SupportPlan
from opennrm.people.identity import open_identity
from opennrm.people.models import Person
from opennrm.tenancy.actor import Actor
from opennrm.vault import columns
from opennrm.vault.aead import DecryptionError
from opennrm.vault.keyring import KeyRing, parse_keyring, write_keyring_file

EXTRA = "Таємна примітка до плану"


@pytest.fixture
def keyring_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "keyring.json"
    write_keyring_file(path, parse_keyring(settings.OPENNRM_KEYRING_TEXT or ""))
    with override_settings(OPENNRM_KEYRING_FILE=str(path), OPENNRM_KEYRING_TEXT=path.read_text()):
        yield path


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, columns.EncryptedTable]:
    """A private copy of the registry for the test to change."""
    copy = dict(columns._registry)
    monkeypatch.setattr(columns, "_registry", copy)
    return copy


def _ring(path: Path) -> KeyRing:
    return parse_keyring(path.read_text())


def test_every_encrypted_field_of_every_model_is_registered() -> None:
    assert columns.unregistered() == []
    tables = {entry.table: entry for entry in columns.registered()}
    assert {"people_person", "screening_screening", "assistance_supportplan"} <= set(tables)
    # Perpetrators and their identifiers (issue 14): a data key per row, rotated like the rest.
    assert tables["justice_perpetrator"].columns == ("identity",)
    assert tables["justice_identifier"].columns == ("value",)
    assert tables["screening_screening"].columns == ("subject",)
    assert tables["assistance_supportplan"].columns == ("objectives",)
    assert "vulnerability_details" in tables["people_person"].columns
    assert len(tables["people_person"].columns) == 10


def test_rotation_rewraps_a_column_registered_by_a_test_and_retires_the_old_key(
    registry: dict[str, columns.EncryptedTable],
    keyring_file: Path,
    shevchenko_case: Case,
    actor_a: Actor,
) -> None:
    # A test-only registration: the plan's column under another table name (so another key).
    del registry[SupportPlan._meta.label]
    extra = columns.register(SupportPlan, table="tests_extra_column", columns=("objectives",))
    plan = assistance.record_plan(actor=actor_a, case=shevchenko_case, objectives="x")
    plan.kek_id, plan.wrapped_data_key = "", b""
    extra.seal_text(plan, "objectives", EXTRA)
    plan.save()
    old_id = _ring(keyring_file).active_kek_id
    assert plan.kek_id == old_id

    call_command("rotate_keys", "--retire-old", stdout=io.StringIO())

    ring = _ring(keyring_file)
    assert ring.active_kek_id != old_id
    assert old_id not in ring.keks
    plan.refresh_from_db()
    assert plan.kek_id == ring.active_kek_id
    assert extra.open_text(plan, "objectives", ring=ring) == EXTRA
    person = Person.objects.get(pk=shevchenko_case.person_id)
    assert person.kek_id == ring.active_kek_id
    assert open_identity(person, ring=ring).family_name == "Шевченко"
    # Bound to its registration: the production table name does not open it.
    with pytest.raises(DecryptionError):
        columns.EncryptedTable(SupportPlan, "assistance_supportplan", ("objectives",)).open_text(
            plan, "objectives", ring=ring
        )


def test_an_unregistered_encrypted_column_stops_rotation_before_any_key_changes(
    registry: dict[str, columns.EncryptedTable],
    keyring_file: Path,
    shevchenko_case: Case,
    actor_a: Actor,
) -> None:
    assistance.record_plan(actor=actor_a, case=shevchenko_case, objectives="x")
    del registry[SupportPlan._meta.label]
    before = keyring_file.read_text()
    with pytest.raises(CommandError, match=r"assistance\.SupportPlan\.objectives_enc"):
        call_command("rotate_keys", "--retire-old")
    assert keyring_file.read_text() == before
    assert json.loads(before)["kek"]["active"] == SupportPlan.objects.get().kek_id


def test_registration_names_real_fields_and_cannot_be_changed(
    registry: dict[str, columns.EncryptedTable],
) -> None:
    with pytest.raises(ValueError, match="no field notes_enc"):
        columns.register(SupportPlan, table="x", columns=("notes",))
    with pytest.raises(ValueError, match="already registered"):
        columns.register(Person, table="people_person", columns=("first_name",))
    entry = registry[Person._meta.label]
    assert columns.register(Person, table=entry.table, columns=entry.columns) == entry
