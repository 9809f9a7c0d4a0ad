"""Retention and erasure (docs/retention.md): crypto-shredding leaves a tombstone statistics
still count; legal holds; the daily job; data-subject requests; the gate."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from opennrm.access import statistics as stats_gate
from opennrm.access.retention import get_case_for_hold, get_case_for_subject_request
from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.audit.services import verify_chain
from opennrm.cases.models import Case
from opennrm.cases.services import change_case_status, update_case
from opennrm.nrm.assistance.models import SupportPlan
from opennrm.nrm.assistance.objectives import open_objectives
from opennrm.nrm.assistance.services import record_plan
from opennrm.nrm.screening.models import Screening
from opennrm.nrm.screening.services import record_screening
from opennrm.nrm.screening.subject import open_subject
from opennrm.people.identity import PERSON, is_erased, open_identity
from opennrm.people.models import Person, PersonSearchKey
from opennrm.reports.indicators import Filters, compute
from opennrm.retention import ledger, services, tasks
from opennrm.retention.export import as_zip, subject_access
from opennrm.retention.models import Erasure, LegalHold
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from opennrm.vault.columns import SHREDDED, ShreddedError
from tests.conftest import case_input, person_input, record_basis

YEAR = Filters(dt.date(2016, 1, 1), dt.date(2016, 12, 31))
NAMES = ("Олександр", "Шевченко", "Oleksandr", "Shevchenko")
LATER = timezone.localdate() + dt.timedelta(days=366 * 6)  # past the 5-year default


@pytest.fixture(autouse=True)
def _ledger_file(tmp_path: Path) -> Any:
    with override_settings(OPENNRM_ERASURE_LEDGER_FILE=str(tmp_path / "erasures.jsonl")):
        yield


@pytest.fixture
def boss(supervisor: User) -> Actor:
    return actor_for(supervisor)


@pytest.fixture
def national(make_user: Callable[..., User]) -> Actor:
    msp = Agency.objects.create(name="Ministry of Social Policy (synthetic)", kind="NGO")
    return actor_for(make_user("msp.coordinator", msp, "coordinator"))


def _closed(case: Case, actor: Actor) -> Case:
    return change_case_status(
        actor=actor, case=case, action="close", closure_reason="GoalsAchieved"
    )


def _full_case(actor: Actor, case: Case) -> tuple[Screening, SupportPlan]:
    screening = record_screening(
        actor=actor, list_key="adult_labour", case=case, subject="Олександр з вокзалу"
    )
    plan = record_plan(actor=actor, case=case, objectives="Шевченко: житло і лікування")
    return screening, plan


def _raw_dump() -> bytes:
    """Every value of every table, read with raw SQL (the audit trail included)."""
    out = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        out.append(bytes(value))
                    elif value is not None:
                        out.append(str(value).encode("utf-8"))
    return b"\x00".join(out)


def test_erasure_shreds_the_person_and_statistics_still_count_them(
    shevchenko_case: Case,
    actor_a: Actor,
    boss: Actor,
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    screening, plan = _full_case(actor_a, shevchenko_case)
    person = shevchenko_case.person
    old_key = bytes(person.wrapped_data_key)
    statistician = actor_for(make_user("stat", shevchenko_case.owner_agency, "statistician"))
    before = compute(stats_gate.cases_in_scope(statistician), YEAR)
    assert before.persons == 1

    with django_capture_on_commit_callbacks(execute=True):
        erasure = services.erase_person(actor=boss, person=person, reason="SubjectRequest")

    person.refresh_from_db()
    assert person.kek_id == SHREDDED
    assert is_erased(person)
    for field in PERSON.fields()[1:]:
        assert bytes(getattr(person, field)) == b"", field
    assert not PersonSearchKey.objects.filter(person=person).exists()
    with pytest.raises(ShreddedError):
        PERSON.data_key(person)
    assert open_identity(person).full_name == ""  # nothing held any more, no crash on pages
    screening.refresh_from_db()
    plan.refresh_from_db()
    assert (screening.kek_id, plan.kek_id) == (SHREDDED, SHREDDED)
    assert (open_subject(screening), open_objectives(plan)) == ("", "")
    # The destroyed key is nowhere in the database; no name ever was.
    dump = _raw_dump()
    assert old_key not in dump
    for name in NAMES:
        assert name.encode("utf-8") not in dump
    # The tombstone: ids, category, reason, date. Statistics still count the person.
    assert erasure.case_ids == [str(shevchenko_case.id)]
    assert (erasure.category, erasure.reason) == ("VictimCaseFile", "SubjectRequest")
    after = compute(stats_gate.cases_in_scope(statistician), YEAR)
    assert after.persons == 1
    assert after.table("sex_age").rows == before.table("sex_age").rows
    assert after.table("exploitation").rows == before.table("exploitation").rows
    event = AuditEvent.objects.get(action="person.erased")
    assert event.object_id == str(person.id)
    assert event.detail["reason"] == "SubjectRequest"
    assert verify_chain().ok
    # The ledger file outside the database has the same entry, ids only.
    (line,) = list(ledger.read())
    assert line["id"] == str(erasure.id)
    assert line["object_id"] == str(person.id)
    # The person cannot be edited back into existence, nor erased twice.
    with pytest.raises(ValidationError):
        update_case(actor=actor_a, case=shevchenko_case, person=person_input(), facts=case_input())
    with pytest.raises(ValidationError):
        services.erase_person(actor=boss, person=person, reason="SubjectRequest")


def test_a_legal_hold_keeps_a_case_past_its_period_until_it_is_lifted(
    shevchenko_case: Case, make_case: Callable[..., Case], actor_a: Actor, boss: Actor
) -> None:
    open_case = make_case(actor_a, person_input("Наталія", "Коваленко", "1990", "Feminine"))
    _closed(shevchenko_case, actor_a)
    assert services.due().persons == []  # closed today: five years to go
    assert [p.id for p in services.due(LATER).persons] == [shevchenko_case.person_id]
    assert open_case.person_id not in [p.id for p in services.due(LATER).persons]

    hold = services.place_hold(actor=boss, case=shevchenko_case, reason="CriminalProceedings")
    with pytest.raises(ValidationError):
        services.place_hold(actor=boss, case=shevchenko_case, reason="CivilClaim")
    held = services.erase_due(today=LATER)
    assert (held.persons, held.held) == ([], 1)
    with pytest.raises(services.LegalHoldActive):
        services.erase_person(actor=boss, person=shevchenko_case.person, reason="SubjectRequest")
    assert not is_erased(Person.objects.get(pk=shevchenko_case.person_id))

    with pytest.raises(ValidationError):
        services.lift_hold(actor=boss, case=shevchenko_case, reason="not-a-code")
    services.lift_hold(actor=boss, case=shevchenko_case, reason="MatterEnded")
    hold.refresh_from_db()
    assert hold.lifted_at is not None
    dry = services.erase_due(today=LATER, dry_run=True)
    assert len(dry.persons) == 1
    assert not is_erased(Person.objects.get(pk=shevchenko_case.person_id))
    done = services.erase_due(today=LATER)
    assert len(done.persons) == 1
    assert is_erased(Person.objects.get(pk=shevchenko_case.person_id))
    assert not is_erased(Person.objects.get(pk=open_case.person_id))
    erasure = Erasure.objects.get()
    assert (erasure.reason, erasure.actor_id) == ("RetentionExpired", None)
    actions = list(
        AuditEvent.objects.filter(object_id=str(shevchenko_case.id))
        .filter(action__startswith="case.legal_hold")
        .values_list("action", "detail")
    )
    assert actions == [
        ("case.legal_hold_placed", {"hold": str(hold.id), "reason": "CriminalProceedings"}),
        ("case.legal_hold_lifted", {"hold": str(hold.id), "reason": "MatterEnded"}),
    ]


def test_the_period_counts_from_the_last_closure_and_follows_the_setting(
    shevchenko_case: Case, actor_a: Actor
) -> None:
    _closed(shevchenko_case, actor_a)
    in_two_years = timezone.localdate() + dt.timedelta(days=366 * 2)
    assert services.due(in_two_years).persons == []
    with override_settings(OPENNRM_RETAIN_CASE_YEARS=2):
        assert len(services.due(in_two_years).persons) == 1
    # Reopened: not due whatever the date.
    change_case_status(actor=actor_a, case=shevchenko_case, action="reopen")
    assert services.due(LATER).persons == []


def test_a_screening_never_attached_to_a_case_is_erased_after_a_year(actor_a: Actor) -> None:
    loose = record_screening(actor=actor_a, list_key="adult_labour", subject="Олена, автовокзал")
    assert services.due().screenings == []
    later = timezone.localdate() + dt.timedelta(days=367)
    found = services.erase_due(today=later)
    assert [s.id for s in found.screenings] == [loose.id]
    loose.refresh_from_db()
    assert loose.kek_id == SHREDDED
    assert open_subject(loose) == ""
    assert Erasure.objects.get().object_type == "screening"


def test_the_daily_job_reschedules_itself_and_the_command_has_a_dry_run(
    shevchenko_case: Case, actor_a: Actor
) -> None:
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(task_path=tasks.erase_due_daily.module_path).delete()
    assert tasks.schedule_daily() is True
    assert tasks.schedule_daily() is False
    run_after = DBTaskResult.objects.get(task_path=tasks.erase_due_daily.module_path).run_after
    assert run_after is not None
    assert timezone.localtime(run_after).time() == tasks.DAILY_AT
    out = io.StringIO()
    call_command("erase_due", "--dry-run", stdout=out)
    assert "0 person(s) and 0 screening(s) due" in out.getvalue()


def test_the_gate_for_holds_and_subject_requests(
    shevchenko_case: Case,
    actor_a: Actor,
    boss: Actor,
    national: Actor,
    outsider: User,
    make_user: Callable[..., User],
    agency_b: Agency,
) -> None:
    case_id = shevchenko_case.id
    assert get_case_for_hold(boss, case_id) == shevchenko_case
    assert get_case_for_subject_request(boss, case_id) == shevchenko_case
    assert get_case_for_hold(national, case_id) == shevchenko_case  # any case, by id
    with pytest.raises(Http404):
        get_case_for_subject_request(national, case_id)  # never the data
    with pytest.raises(PermissionDenied):
        get_case_for_hold(actor_a, case_id)  # a caseworker
    with pytest.raises(PermissionDenied):
        get_case_for_subject_request(actor_a, case_id)
    with pytest.raises(Http404):
        get_case_for_hold(actor_for(outsider), case_id)
    # A supervisor of an agency the case is shared with: visible, but not theirs to answer.
    record_basis(actor_a, shevchenko_case)
    other_boss = actor_for(make_user("b.supervisor", agency_b, "supervisor"))
    with pytest.raises(Http404):
        get_case_for_subject_request(other_boss, case_id)


def test_subject_access_exports_everything_held_decrypted_and_is_audited(
    shevchenko_case: Case, actor_a: Actor, boss: Actor
) -> None:
    _full_case(actor_a, shevchenko_case)
    record_basis(actor_a, shevchenko_case)
    payload = subject_access(actor=boss, person=shevchenko_case.person)
    assert payload["person"]["identity"]["family_name"] == "Шевченко"
    (case,) = payload["cases"]
    related = case["related"]
    assert related["screening.Screening.case"][0]["subject"] == "Олександр з вокзалу"
    assert related["assistance.SupportPlan.case"][0]["objectives"] == "Шевченко: житло і лікування"
    assert related["cases.Consent.case"][0]["legal_basis"] == "Consent"
    assert {c["code"] for c in related["cases.CaseCode.case"]} >= {"LabourExploitation"}
    assert "people.PersonSearchKey.person" not in json.dumps(payload)
    body = as_zip(payload)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        (name,) = archive.namelist()
        assert json.loads(archive.read(name))["person"]["id"] == str(shevchenko_case.person_id)
    event = AuditEvent.objects.filter(action="person.subject_access").get()
    assert (event.object_id, event.actor_id) == (str(shevchenko_case.person_id), boss.user.id)
    # After erasure the export says so and holds no identity.
    services.erase_person(actor=boss, person=shevchenko_case.person, reason="SubjectRequest")
    after = subject_access(actor=boss, person=Person.objects.get(pk=shevchenko_case.person_id))
    assert after["person"]["erased"] is True
    assert after["person"]["identity"]["family_name"] == ""
    assert after["cases"][0]["related"]["screening.Screening.case"][0]["erased"] is True
    assert len(after["erasures"]) == 1


def test_the_commands_act_through_the_gate(
    shevchenko_case: Case, supervisor: User, caseworker: User, tmp_path: Path
) -> None:
    from django.core.management.base import CommandError

    case = str(shevchenko_case.id)
    with pytest.raises(CommandError):
        call_command("legal_hold", case=case, user=caseworker.username, reason="CivilClaim")
    call_command("legal_hold", case=case, user=supervisor.username, reason="CivilClaim")
    assert LegalHold.objects.filter(case=shevchenko_case, lifted_at__isnull=True).exists()
    with pytest.raises(CommandError, match=r"legal hold|заборон"):
        call_command("erase_person", case=case, user=supervisor.username)
    call_command(
        "legal_hold", case=case, user=supervisor.username, reason="PlacedInError", lift=True
    )
    out = tmp_path / "export.zip"
    call_command("subject_access", case=case, user=supervisor.username, out=str(out))
    assert out.stat().st_mode & 0o777 == 0o600
    call_command("erase_person", case=case, user=supervisor.username)
    assert is_erased(Person.objects.get(pk=shevchenko_case.person_id))


def test_rotation_retires_old_keys_with_erased_rows_present(
    shevchenko_case: Case, boss: Actor, tmp_path: Path
) -> None:
    from opennrm.vault import columns
    from opennrm.vault.keyring import current_keyring

    services.erase_person(actor=boss, person=shevchenko_case.person, reason="SubjectRequest")
    ring = current_keyring().with_new_kek()
    columns.rewrap_all(ring=ring)
    assert columns.rows_not_under(ring.active_kek_id) == 0


def test_a_case_reopened_after_it_was_found_due_is_not_erased(
    shevchenko_case: Case, actor_a: Actor
) -> None:
    """The daily job re-checks under a lock: a case reopened meanwhile keeps its person."""
    _closed(shevchenko_case, actor_a)
    found = services.due(LATER)
    assert [p.id for p in found.persons] == [shevchenko_case.person_id]
    Case.objects.filter(pk=shevchenko_case.pk).update(status="Active", closure_reason="")
    with pytest.raises(ValidationError):
        services.erase_person(
            actor=None,
            person=found.persons[0],
            reason=services.RETENTION_EXPIRED,
            today=LATER,
        )
    assert not is_erased(Person.objects.get(pk=shevchenko_case.person_id))


def _entry(**overrides: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": "0b8a5a5e-2f4c-4f59-9d3c-0c1d2e3f4a5b",
        "category": "VictimCaseFile",
        "object_type": "person",
        "object_id": "5f0c1e2d-3b4a-4c5d-8e7f-9a0b1c2d3e4f",
        "case_ids": ["7d6c5b4a-3e2f-4a1b-9c8d-7e6f5a4b3c2d"],
        "agency_id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        "reason": "SubjectRequest",
        "erased_on": "2026-12-04",
        "erased_at": "2026-12-04T10:00:00+00:00",
        "actor_id": 7,
    }
    entry.update(overrides)
    return entry


def test_the_ledger_file_is_signed_and_a_tampered_ledger_is_refused(tmp_path: Path) -> None:
    """Item 3 of issue 13: each line carries an HMAC under the audit key (like the audit
    checkpoints); an edited, inserted or unsigned line is refused, naming its line."""
    path = ledger.ledger_path()
    assert path is not None
    ledger.append(_entry())
    ledger.append(_entry(id="9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b", reason="RetentionExpired"))
    lines = path.read_text(encoding="ascii").splitlines()
    assert all(len(json.loads(line)["mac"]) == 64 for line in lines)
    assert [e["reason"] for e in ledger.verified(path)] == ["SubjectRequest", "RetentionExpired"]

    # Someone changes which person was erased (so the erased one comes back on a restore).
    edited = lines[0].replace("5f0c1e2d", "5f0c1e2e")
    path.write_text("\n".join([edited, lines[1]]) + "\n", encoding="ascii")
    with pytest.raises(ledger.LedgerError, match="line 1: the signature does not match"):
        ledger.verified(path)
    with pytest.raises(CommandError, match="erasure ledger refused") as refused:
        call_command("apply_erasure_ledger", ledger=str(path))
    assert refused.value.returncode == 2

    # An inserted unsigned line (someone adds an "erasure" of a living person).
    unsigned = json.dumps({k: v for k, v in json.loads(lines[0]).items() if k != "mac"})
    path.write_text("\n".join([lines[0], unsigned, lines[1]]) + "\n", encoding="ascii")
    with pytest.raises(ledger.LedgerError, match="line 2"):
        ledger.verified(path)

    # Another key ring's signature is refused too; a torn last line (a crash) is not an error.
    path.write_text(lines[0] + "\n" + lines[1][:20], encoding="ascii")
    assert len(ledger.verified(path)) == 1
    with pytest.raises(ledger.LedgerError):
        list(ledger.read(path, key=b"k" * 32))


def test_the_daily_job_clears_expired_sessions_and_retires_keys_each_step_on_its_own(
    caseworker: User,
) -> None:
    """Item 4 of issue 13: `clearsessions` is a step of the worker's daily job (queued after
    every migrate), beside the erasure and the key retirement; a failing step does not stop
    the others."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django_tasks_db.models import DBTaskResult

    assert [name for name, _ in tasks.STEPS] == ["erase-due", "clearsessions", "retire-keys"]
    expired = SessionStore()
    expired["_auth_user_id"] = str(caseworker.pk)
    expired.set_expiry(-60)
    expired.create()
    fresh = SessionStore()
    fresh["_auth_user_id"] = str(caseworker.pk)
    fresh.create()
    assert Session.objects.count() == 2

    DBTaskResult.objects.filter(task_path=tasks.erase_due_daily.module_path).delete()
    assert tasks.erase_due_daily.call() == "done"  # the task's body, as the worker runs it
    assert list(Session.objects.values_list("session_key", flat=True)) == [fresh.session_key]
    assert DBTaskResult.objects.filter(task_path=tasks.erase_due_daily.module_path).count() == 1

    ran: list[str] = []

    def flaky(command: str) -> None:
        ran.append(command)
        if command == "erase_due":
            raise RuntimeError("the database was busy")

    assert tasks.run_steps(flaky) == ["erase-due"]
    assert ran == ["erase_due", "clearsessions", "retire_keys"]
