"""The audit trail: one event per action, hash-chained, append-only, tampering detected."""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from opennrm.audit.models import AppendOnlyError, AuditEvent
from opennrm.audit.services import PersonalDataInAuditError, record, verify_chain
from opennrm.cases.models import Case
from tests.conftest import as_database_owner

triggers = importlib.import_module("opennrm.audit.migrations.0002_append_only_triggers")


def _events(n: int) -> list[AuditEvent]:
    return [
        record(
            action="case.viewed",
            actor_id=uuid.uuid4(),
            agency_id=uuid.uuid4(),
            object_type="case",
            object_id=uuid.uuid4(),
        )
        for _ in range(n)
    ]


def _drop_append_only_triggers() -> None:
    """What an attacker with database access would do first (as the tables' owner: the
    application role may not drop triggers)."""
    with as_database_owner(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_change ON audit_auditevent")


@pytest.mark.django_db
def test_chain_of_untouched_events_verifies() -> None:
    _events(5)
    report = verify_chain()
    assert report.ok
    assert report.checked == 5


@pytest.mark.django_db
def test_sequence_numbers_are_gap_free_and_linked() -> None:
    events = _events(3)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash


@pytest.mark.django_db
def test_orm_refuses_to_change_or_delete_an_event() -> None:
    event = _events(1)[0]
    event.action = "case.changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def _install_triggers() -> None:
    _drop_append_only_triggers()
    with as_database_owner(), connection.schema_editor() as editor:
        triggers.install(editor)


def _restore_database_state() -> None:
    """Leave the database as the migrations made it (SQLite tests run without the triggers)."""
    if connection.vendor == "sqlite":
        _drop_append_only_triggers()
    else:
        _install_triggers()


@pytest.fixture
def append_only_triggers() -> Iterator[None]:
    _install_triggers()
    yield
    _restore_database_state()


@pytest.fixture
def attacker_with_database_access() -> Iterator[None]:
    """Drops the triggers first, as someone with database access would."""
    _drop_append_only_triggers()
    yield
    _restore_database_state()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET action = 'x' WHERE seq = 1",
        "DELETE FROM audit_auditevent WHERE seq = 1",
    ],
)
def test_database_trigger_refuses_raw_changes(append_only_triggers: None, statement: str) -> None:
    _events(1)
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEvent.objects.get(seq=1).action == "case.viewed"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("tamper", "bad_seq"),
    [
        ("UPDATE audit_auditevent SET action = 'case.changed' WHERE seq = 3", 3),
        ("UPDATE audit_auditevent SET object_id = 'x' WHERE seq = 2", 2),
        ("UPDATE audit_auditevent SET at = '2001-01-01 00:00:00' WHERE seq = 4", 4),
        ("DELETE FROM audit_auditevent WHERE seq = 2", 2),
        ("DELETE FROM audit_auditevent WHERE seq = 5", 5),
    ],
)
def test_tampering_is_detected_at_the_first_bad_sequence_number(
    attacker_with_database_access: None, tamper: str, bad_seq: int
) -> None:
    _events(5)
    with connection.cursor() as cursor:
        cursor.execute(tamper)
    report = verify_chain()
    assert not report.ok
    assert report.first_bad_seq == bad_seq
    with pytest.raises(CommandError, match=f"sequence number {bad_seq}") as info:
        call_command("verify_audit")
    assert info.value.returncode == 1


@pytest.mark.django_db
def test_verify_command_succeeds_on_an_intact_chain(capsys: pytest.CaptureFixture[str]) -> None:
    _events(2)
    call_command("verify_audit")
    assert "2 events verified" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize(
    "detail",
    [{"name": "Шевченко"}, {"note": "Oleksandr Shevchenko"}, {"fields": ["ok", "has space"]}],
)
def test_personal_data_cannot_enter_an_audit_event(detail: dict[str, object]) -> None:
    with pytest.raises(PersonalDataInAuditError):
        record(action="case.viewed", actor_id=None, agency_id=None, detail=detail)
    assert AuditEvent.objects.count() == 0


def test_registering_a_case_is_audited_without_personal_data(shevchenko_case: Case) -> None:
    event = AuditEvent.objects.get(action="case.registered")
    assert event.object_id == str(shevchenko_case.id)
    assert event.agency_id == shevchenko_case.owner_agency_id
    serialised = str(event.detail) + event.object_id + event.action
    assert "Шевченко" not in serialised
    assert "Shevchenko" not in serialised
