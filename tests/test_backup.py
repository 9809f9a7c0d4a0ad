"""Encrypted backup and restore (docs/operations.md): no plaintext in the file, a key that is not
the key ring's, and a restore that verifies the audit chain and erases again what was erased
after the backup."""

from __future__ import annotations

import base64
import io
import os
import secrets
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.ops import backup
from opennrm.people.identity import PERSON
from opennrm.retention import services
from opennrm.tenancy.actor import actor_for
from opennrm.vault.keyring import current_keyring
from tests.conftest import person_input

NAMES = ("Олександр", "Шевченко", "Oleksandr", "Shevchenko")
BACKUP_KEY = base64.b64encode(secrets.token_bytes(32)).decode()
sqlite_only = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="the SQLite path"
)


@pytest.fixture
def configured(tmp_path: Path) -> Any:
    with override_settings(
        OPENNRM_BACKUP_KEY_TEXT=BACKUP_KEY,
        OPENNRM_ERASURE_LEDGER_FILE=str(tmp_path / "opennrm-data-erasures.jsonl"),
    ):
        yield tmp_path


def _restore(tmp_path: Path, file: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`opennrm --data-dir NEW restore FILE` in a process of its own, as an operator runs it."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="opennrm.settings",
        OPENNRM_KEYRING=current_keyring().to_json(),
        OPENNRM_BACKUP_KEY=BACKUP_KEY,
        OPENNRM_SECRET_KEY="restore-test-" + "k" * 40,
    )
    command = [sys.executable, "-m", "opennrm", "--data-dir", str(tmp_path / "new")]
    return subprocess.run(  # noqa: S603 (the interpreter running the tests, fixed arguments)
        [*command, "restore", str(file), *extra],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_the_backup_file_holds_no_plaintext_and_needs_its_own_key(
    configured: Path, make_case: Callable[..., Case], caseworker: User
) -> None:
    make_case(actor_for(caseworker), person_input("Олександр", "Шевченко"))
    out = configured / "nightly.backup"
    call_command("backup", out=str(out), stdout=io.StringIO())
    body = out.read_bytes()
    assert out.stat().st_mode & 0o777 == 0o600
    assert b"SQLite format 3" not in body
    for name in NAMES:
        assert name.encode("utf-8") not in body
    # Another key, a changed byte or a cut file: refused, never half-read.
    with out.open("rb") as handle:
        header, meta = backup.read_meta(handle)
        assert meta["engine"] == "sqlite"
        with pytest.raises(backup.BackupError, match="wrong backup key"):
            list(backup.decrypted_chunks(handle, secrets.token_bytes(32), header))
    key = base64.b64decode(BACKUP_KEY)
    altered = bytearray(body)
    altered[-5] ^= 1
    with pytest.raises(backup.BackupError):
        list(backup.decrypted_chunks(io.BytesIO(bytes(altered[len(header) :])), key, header))
    cut = body[: len(body) - 100]
    with pytest.raises(backup.BackupError):
        list(backup.decrypted_chunks(io.BytesIO(cut[len(header) :]), key, header))
    # A key of the key ring is refused as the backup key.
    ring_key = base64.b64encode(current_keyring().audit_key).decode()
    with override_settings(OPENNRM_BACKUP_KEY_TEXT=ring_key), pytest.raises(CommandError):
        call_command("backup", out=str(configured / "other.backup"))


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_backup_erase_restore_and_the_person_is_still_erased(
    configured: Path, make_case: Callable[..., Case], caseworker: User, supervisor: User
) -> None:
    case = make_case(actor_for(caseworker), person_input("Олександр", "Шевченко"))
    kept = make_case(actor_for(caseworker), person_input("Наталія", "Коваленко"))
    file = configured / "before-erasure.backup"
    call_command("backup", out=str(file), stdout=io.StringIO())
    services.erase_person(actor=actor_for(supervisor), person=case.person, reason="SubjectRequest")
    ledger_file = configured / "opennrm-data-erasures.jsonl"
    assert ledger_file.exists()

    # Without the ledger the restore refuses (an erased person would come back).
    refused = _restore(configured, file)
    assert refused.returncode != 0
    assert "ledger" in refused.stderr
    done = _restore(configured, file, "--ledger", str(ledger_file))
    assert done.returncode == 0, done.stderr
    assert "1 erasure(s) made after the backup re-applied" in done.stdout
    assert "audit chain intact" in done.stdout

    restored = configured / "new" / "opennrm.sqlite3"
    db = sqlite3.connect(restored)
    try:
        rows = dict(db.execute("SELECT id, kek_id FROM people_person").fetchall())
        erasures = db.execute("SELECT object_id, reason FROM retention_erasure").fetchall()
    finally:
        db.close()
    assert rows[case.person_id.hex] == "shredded"
    assert rows[kept.person_id.hex] == PERSON.model.objects.get(pk=kept.person_id).kek_id
    assert erasures == [(case.person_id.hex, "SubjectRequest")]
    # Restoring twice into the same place is refused: a restore never overwrites a database.
    again = _restore(configured, file, "--ledger", str(ledger_file))
    assert again.returncode != 0


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_restore_refuses_a_tampered_erasure_ledger(
    configured: Path, make_case: Callable[..., Case], caseworker: User, supervisor: User
) -> None:
    """The ledger is signed like the audit checkpoints: a line changed to bring an erased
    person back is refused before anything is restored."""
    case = make_case(actor_for(caseworker), person_input("Олександр", "Шевченко"))
    file = configured / "before-erasure.backup"
    call_command("backup", out=str(file), stdout=io.StringIO())
    services.erase_person(actor=actor_for(supervisor), person=case.person, reason="SubjectRequest")
    ledger_file = configured / "opennrm-data-erasures.jsonl"
    line = ledger_file.read_text(encoding="ascii")
    other = "00000000-0000-4000-8000-000000000000"
    ledger_file.write_text(line.replace(str(case.person_id), other), encoding="ascii")

    refused = _restore(configured, file, "--ledger", str(ledger_file))
    assert refused.returncode == 2
    assert "erasure ledger refused" in refused.stderr
    assert "line 1: the signature does not match" in refused.stderr
    assert not (configured / "new" / "opennrm.sqlite3").exists()


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="the PostgreSQL path"
)
@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_is_a_pg_dump_with_no_plaintext(
    configured: Path, make_case: Callable[..., Case], caseworker: User
) -> None:
    make_case(actor_for(caseworker), person_input("Олександр", "Шевченко"))
    assert connection.vendor == "postgresql"
    out = configured / "pg.backup"
    call_command("backup", out=str(out), stdout=io.StringIO())
    body = out.read_bytes()
    for name in NAMES:
        assert name.encode("utf-8") not in body
    assert b"PGDMP" not in body  # the custom-format dump's signature, encrypted away
    key = base64.b64decode(BACKUP_KEY)
    with out.open("rb") as handle:
        header, meta = backup.read_meta(handle)
        dump = b"".join(backup.decrypted_chunks(handle, key, header))
    assert meta["engine"] == "postgresql"
    assert dump.startswith(b"PGDMP")
