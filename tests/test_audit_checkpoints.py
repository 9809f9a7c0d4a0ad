"""The audit chain anchored outside the database: a cut tail is detected (issue 13, item 4)."""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from opennrm.audit import tasks
from opennrm.audit.checkpoints import (
    checkpoint_if_consistent,
    newest_checkpoint,
    read_checkpoints,
)
from opennrm.audit.models import AuditEvent
from opennrm.audit.services import record, verify_chain
from opennrm.vault.keyring import current_keyring
from tests.test_audit import _drop_append_only_triggers, _restore_database_state


def _events(n: int) -> None:
    for _ in range(n):
        record(
            action="case.viewed",
            actor_id=uuid.uuid4(),
            agency_id=uuid.uuid4(),
            object_type="case",
            object_id=uuid.uuid4(),
        )


@pytest.fixture
def checkpoint_file(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "anchor" / "audit-checkpoints.jsonl"
    settings.OPENNRM_AUDIT_CHECKPOINT_FILE = str(path)
    return path


@pytest.fixture
def attacker_with_database_access() -> Iterator[None]:
    _drop_append_only_triggers()
    yield
    _restore_database_state()


def _cut_tail(keep: int) -> None:
    """Delete the newest events and move the chain head back to the last kept one."""
    kept = AuditEvent.objects.get(seq=keep)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq > %s", [keep])
        cursor.execute(
            "UPDATE audit_audithead SET seq = %s, hash = %s WHERE id = 1", [keep, kept.hash]
        )


@pytest.mark.django_db(transaction=True)
def test_a_cut_tail_passes_the_chain_but_fails_against_the_checkpoint(
    checkpoint_file: Path, attacker_with_database_access: None
) -> None:
    _events(5)
    call_command("verify_audit")  # intact: anchors the head at 5
    assert newest_checkpoint(checkpoint_file, current_keyring().audit_key).seq == 5  # type: ignore[union-attr]

    _cut_tail(keep=3)

    assert verify_chain().ok  # the chain alone cannot see it: what is left is intact
    with pytest.raises(CommandError, match="sequence number 4") as info:
        call_command("verify_audit")
    assert info.value.returncode == 1
    assert "tail of the chain was cut" in str(info.value)
    # Nothing was anchored at the cut head: the next run still fails.
    assert [p.seq for p in read_checkpoints(checkpoint_file, current_keyring().audit_key)] == [5]
    with pytest.raises(CommandError, match="sequence number 4"):
        call_command("verify_audit")


@pytest.mark.django_db(transaction=True)
def test_a_rewritten_chain_does_not_match_the_checkpoint(
    checkpoint_file: Path, attacker_with_database_access: None
) -> None:
    _events(3)
    call_command("verify_audit")
    _cut_tail(keep=2)
    _events(1)  # a new event 3, validly chained, where the old one was
    assert verify_chain().ok
    with pytest.raises(CommandError, match="sequence number 3: the chain was rewritten"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_verify_appends_a_signed_checkpoint_and_growth_passes(
    checkpoint_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _events(2)
    call_command("verify_audit")
    _events(3)
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "reaches the newest checkpoint (sequence number 2" in out
    assert "checkpoint written at sequence number 5" in out
    lines = [json.loads(line) for line in checkpoint_file.read_text().splitlines()]
    assert [line["seq"] for line in lines] == [2, 5]
    assert set(lines[0]) == {"at", "seq", "hash", "mac"}
    assert checkpoint_file.stat().st_mode & 0o777 == 0o600


@pytest.mark.django_db
def test_an_edited_checkpoint_file_is_refused(checkpoint_file: Path) -> None:
    _events(5)
    call_command("verify_audit")
    line = json.loads(checkpoint_file.read_text())
    line["seq"] = 2  # someone moves the anchor back to match a cut database
    checkpoint_file.write_text(json.dumps(line) + "\n")
    with pytest.raises(CommandError, match=r"checkpoint file BROKEN.*line 1") as info:
        call_command("verify_audit")
    assert info.value.returncode == 1


@pytest.mark.django_db
def test_without_a_checkpoint_file_verify_warns(
    settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.OPENNRM_AUDIT_CHECKPOINT_FILE = None
    _events(1)
    call_command("verify_audit")
    assert "cut tail of the chain cannot be detected" in capsys.readouterr().err


@pytest.mark.django_db(transaction=True)
def test_the_worker_checkpoints_and_requeues_itself_but_never_anchors_a_cut_tail(
    checkpoint_file: Path, attacker_with_database_access: None
) -> None:
    DBTaskResult.objects.all().delete()
    _events(4)
    assert tasks.checkpoint_periodically.call() == "checkpoint 4"
    waiting = DBTaskResult.objects.filter(
        task_path=tasks.checkpoint_periodically.module_path, status=TaskResultStatus.READY
    )
    assert waiting.count() == 1
    assert not tasks.schedule_checkpoints()  # one waiting run is enough

    _cut_tail(keep=2)
    assert tasks.checkpoint_periodically.call().startswith("refused: the tail of the chain")
    assert not checkpoint_if_consistent().report.ok
    assert [p.seq for p in read_checkpoints(checkpoint_file, current_keyring().audit_key)] == [4]


@pytest.mark.django_db
def test_each_checkpoint_can_also_go_to_syslog(checkpoint_file: Path, settings: Any) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver:
        receiver.bind(("127.0.0.1", 0))
        receiver.settimeout(5)
        settings.OPENNRM_AUDIT_SYSLOG = f"127.0.0.1:{receiver.getsockname()[1]}"
        _events(2)
        call_command("verify_audit")
        message = receiver.recv(4096).decode()
    assert '"seq":2' in message
    assert '"mac":' in message
