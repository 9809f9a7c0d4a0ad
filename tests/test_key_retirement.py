"""Old backups cannot bring an erased person back (issue 13): the worker's daily job rotates the
key-encryption key after an erasure and retires the older keys once the backup window has
passed (retention/keys.py). Time is injected; backups are restored in a process of their own,
as an operator (or a thief with the key ring) would."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import os
import secrets
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.people.identity import PERSON
from opennrm.people.models import Person
from opennrm.retention import services
from opennrm.retention.keys import retire_keys
from opennrm.tenancy.actor import actor_for
from opennrm.vault.aead import DecryptionError
from opennrm.vault.keyring import current_keyring, parse_keyring, write_keyring_file
from tests.conftest import person_input

BACKUP_KEY = base64.b64encode(secrets.token_bytes(32)).decode()
WINDOW = 35
sqlite_only = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="restores into SQLite files (the PostgreSQL dump is tested in test_backup)",
)


@pytest.fixture
def installation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A writable key ring file (as in production: the key ring read from it, no
    OPENNRM_KEYRING text), a backup key, a ledger, a 35-day window."""
    keyring_file = tmp_path / "keyring.json"
    write_keyring_file(keyring_file, current_keyring())
    monkeypatch.delenv("OPENNRM_KEYRING")
    with override_settings(
        OPENNRM_KEYRING_FILE=str(keyring_file),
        OPENNRM_BACKUP_KEY_TEXT=BACKUP_KEY,
        OPENNRM_ERASURE_LEDGER_FILE=str(tmp_path / "erasures.jsonl"),
        OPENNRM_BACKUP_RETENTION_DAYS=WINDOW,
    ):
        yield tmp_path


def _ring_text(installation: Path) -> str:
    return (installation / "keyring.json").read_text(encoding="utf-8")


def _restore(installation: Path, file: Path, target: str, *extra: str) -> Path:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="opennrm.settings",
        OPENNRM_KEYRING=_ring_text(installation),  # the key ring as it is now
        OPENNRM_BACKUP_KEY=BACKUP_KEY,
        OPENNRM_SECRET_KEY="restore-test-" + "k" * 40,
    )
    command = [sys.executable, "-m", "opennrm", "--data-dir", str(installation / target)]
    done = subprocess.run(  # noqa: S603 (the interpreter running the tests, fixed arguments)
        [*command, "restore", str(file), *extra],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return installation / target / "opennrm.sqlite3"


def _first_name(database: Path, person_id: uuid.UUID, ring_text: str) -> str:
    """The person's first name as read from a restored database with the given key ring."""
    db = sqlite3.connect(database)
    try:
        kek_id, wrapped, first = db.execute(
            "SELECT kek_id, wrapped_data_key, first_name_enc FROM people_person WHERE id = ?",
            [person_id.hex],
        ).fetchone()
    finally:
        db.close()
    row = Person(id=person_id, kek_id=kek_id, wrapped_data_key=wrapped, first_name_enc=first)
    return str(json.loads(PERSON.open_text(row, "first_name", ring=parse_keyring(ring_text))))


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_after_the_backup_window_an_old_backup_cannot_bring_an_erased_person_back(
    installation: Path,
    make_case: Callable[..., Case],
    caseworker: User,
    supervisor: User,
) -> None:
    erased = make_case(actor_for(caseworker), person_input("Олександр", "Шевченко")).person
    living = make_case(actor_for(caseworker), person_input("Наталія", "Коваленко")).person
    old_backup = installation / "before-erasure.backup"
    call_command("backup", out=str(old_backup), stdout=io.StringIO())
    services.erase_person(actor=actor_for(supervisor), person=erased, reason="SubjectRequest")
    first_key = current_keyring().active_kek_id

    # The next daily run: a new key, every live data key re-wrapped under it; the old key is
    # kept (backups inside the window still need it).
    day1 = timezone.now() + dt.timedelta(days=1)
    run = retire_keys(now=day1)
    assert run.rotated_to
    assert run.rewrapped >= 1
    assert run.retired == []
    ring_now = parse_keyring(_ring_text(installation))
    assert set(ring_now.keks) == {first_key, run.rotated_to}
    assert Person.objects.get(pk=living.pk).kek_id == run.rotated_to
    assert retire_keys(now=day1 + dt.timedelta(hours=1)).rotated_to == ""  # once per erasure
    new_backup = installation / "after-rotation.backup"
    call_command("backup", out=str(new_backup), stdout=io.StringIO())

    # Inside the window the old backup restores completely: the living person reads, the
    # erased one is erased again by the ledger.
    inside = _restore(
        installation, old_backup, "inside", "--ledger", str(installation / "erasures.jsonl")
    )
    assert _first_name(inside, living.id, _ring_text(installation)) == "Наталія"
    with pytest.raises(DecryptionError):
        _first_name(inside, erased.id, _ring_text(installation))  # shredded by the ledger

    # Past the window: the old key is retired (removed from the key ring file, audited).
    past = day1 + dt.timedelta(days=WINDOW, hours=1)
    assert retire_keys(now=day1 + dt.timedelta(days=WINDOW - 1)).retired == []
    run = retire_keys(now=past)
    assert run.retired == [first_key]
    assert set(parse_keyring(_ring_text(installation)).keks) == {ring_now.active_kek_id}
    assert AuditEvent.objects.filter(action="keys.retired").count() == 1

    # The old backup restored WITHOUT the ledger (someone skipping it): the erased person's
    # data key is still in it, wrapped by the retired key: unreadable.
    stolen = _restore(installation, old_backup, "stolen", "--no-ledger")
    with pytest.raises(DecryptionError, match="not in the key ring"):
        _first_name(stolen, erased.id, _ring_text(installation))
    # The trade-off: the whole backup is past the window, the living person's old copy too.
    with pytest.raises(DecryptionError, match="not in the key ring"):
        _first_name(stolen, living.id, _ring_text(installation))
    # Every backup inside the window still restores the living: here the one made after the
    # rotation (which never held the erased person's key).
    recent = _restore(
        installation, new_backup, "recent", "--ledger", str(installation / "erasures.jsonl")
    )
    assert _first_name(recent, living.id, _ring_text(installation)) == "Наталія"
    with pytest.raises(DecryptionError):
        _first_name(recent, erased.id, _ring_text(installation))


@pytest.mark.django_db
def test_without_a_key_ring_file_nothing_is_retired(
    make_case: Callable[..., Case], caseworker: User, supervisor: User
) -> None:
    person = make_case(actor_for(caseworker)).person
    services.erase_person(actor=actor_for(supervisor), person=person, reason="SubjectRequest")
    with override_settings(OPENNRM_KEYRING_FILE=None):
        run = retire_keys(now=timezone.now() + dt.timedelta(days=400))
    assert run.skipped.startswith("no key ring file")
    assert run.retired == []


@pytest.mark.django_db
def test_a_key_ring_given_as_text_is_not_rotated_behind_its_back(
    installation: Path,
    make_case: Callable[..., Case],
    caseworker: User,
    supervisor: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """OPENNRM_KEYRING's text wins over the file: a key written to the file would be read by
    no process, and data keys re-wrapped under it would open nowhere. Nothing is touched."""
    person = make_case(actor_for(caseworker)).person
    services.erase_person(actor=actor_for(supervisor), person=person, reason="SubjectRequest")
    living = make_case(actor_for(caseworker)).person
    monkeypatch.setenv("OPENNRM_KEYRING", _ring_text(installation))
    before = _ring_text(installation)
    run = retire_keys(now=timezone.now() + dt.timedelta(days=400))
    assert run.skipped.startswith("no key ring file")
    assert (run.rotated_to, run.rewrapped, run.retired) == ("", 0, [])
    assert _ring_text(installation) == before
    assert Person.objects.get(pk=living.pk).kek_id == current_keyring().active_kek_id


@pytest.mark.django_db
def test_the_command_takes_a_time_without_a_zone_as_local_time(
    installation: Path, make_case: Callable[..., Case], caseworker: User, supervisor: User
) -> None:
    person = make_case(actor_for(caseworker)).person
    services.erase_person(actor=actor_for(supervisor), person=person, reason="SubjectRequest")
    later = timezone.localtime() + dt.timedelta(days=1)
    out = io.StringIO()
    call_command("retire_keys", now=later.replace(tzinfo=None).isoformat(), stdout=out)
    assert "rotated to kek-" in out.getvalue()
