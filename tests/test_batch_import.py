"""Batch registration (issue 16, point 5): an import writes its cases in rounds of bulk inserts
and must leave exactly what registering them one by one leaves, all or nothing, audited per
case with the chain intact."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import io
import itertools
import json
import multiprocessing
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.audit.services import Entry, PersonalDataInAuditError, record_many, verify_chain
from opennrm.cases import htcds
from opennrm.cases.models import Case, CaseCode
from opennrm.cases.services import CaseInput, PersonInput, register_case, register_cases
from opennrm.core import bulk
from opennrm.core.ages import PartialDate
from opennrm.people.identity import Identity, open_identity, search_key_rows
from opennrm.people.models import PersonSearchKey
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from opennrm.vault.keyring import current_keyring
from tests.test_api import api, htcds_record, post_json

NAMES = [
    ("Оксана", "Бондарчук"),
    ("Petro", "Havryliuk"),
    ("Людмила", "Ткачишин"),
    ("Андрей", "Кострик"),
    ("Iryna", "Tsololo"),
]


def records() -> list[dict[str, Any]]:
    out = []
    for index, (first, family) in enumerate(NAMES):
        record = htcds_record(prs_FirstName=first, prs_SecondName=family, prs_MiddleName="")
        record["con_Consent"] = index % 2 == 0
        out.append(record)
    return out


def keys_of(case: Case) -> set[tuple[str, str]]:
    return set(PersonSearchKey.objects.filter(person=case.person).values_list("field", "digest"))


def test_names_met_again_in_a_batch_keep_the_keys_of_their_own_field(caseworker: User) -> None:
    """The keys of a name are computed once a batch (`search_key_rows`' memo): a given name met
    again, or the same word as a family name, still gets exactly a single registration's
    rows."""
    names = [("Оксана", "Бондарчук"), ("Оксана", "Петренко"), ("Бондарчук", "Оксана")]
    batch = [
        htcds_record(prs_FirstName=first, prs_SecondName=family, x_ua_Aliases=[])
        for first, family in names
    ]
    imported = htcds.import_records(actor=actor_for(caseworker), records=batch)
    ring = current_keyring()
    stored = [Case.objects.get(id=item.case.id) for item in imported]
    for case in stored:
        assert keys_of(case) == search_key_rows(open_identity(case.person), ring=ring)

    def of_field(case: Case, prefix: str) -> set[str]:
        return {d for f, d in keys_of(case) if f.split(".")[0] == prefix}

    assert of_field(stored[0], "first_name") == of_field(stored[1], "first_name")
    assert of_field(stored[0], "middle_name") == of_field(stored[2], "middle_name")
    # the same word in another field: other digests (each field is its own domain)
    assert not of_field(stored[2], "family_name") & of_field(stored[0], "first_name")
    assert not of_field(stored[2], "first_name") & of_field(stored[0], "family_name")


def test_an_import_in_rounds_leaves_what_one_by_one_registration_leaves(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(htcds, "IMPORT_CHUNK", 2)  # three rounds: 2 + 2 + 1
    told: list[tuple[str, int, int]] = []
    actor = actor_for(caseworker)
    imported = htcds.import_records(
        actor=actor, records=records(), progress=lambda *args: told.append(args)
    )
    assert told == [
        ("checked", 2, 5),
        ("checked", 4, 5),
        ("checked", 5, 5),
        ("saved", 2, 5),
        ("saved", 4, 5),
        ("saved", 5, 5),
    ]
    cases = [item.case for item in imported]
    ring = current_keyring()
    for case, (first, family) in zip(cases, NAMES, strict=True):
        stored = Case.objects.get(id=case.id)
        identity = open_identity(stored.person)
        assert (identity.first_name, identity.family_name) == (first, family)
        assert identity.birth_date == PartialDate.parse("1990-04-12")
        # the blind index a search uses, exactly the rows a single registration writes
        assert keys_of(stored) == search_key_rows(identity, ring=ring)
        assert stored.codes_of("vic_MethodsOfControl") == ["DebtBondage", "WithholdsDocuments"]
        assert stored.codes_of("vic_TypeOfExploitation") == ["ForcedLabour"]
        assert stored.owner_agency_id == actor.agency_id
    one = htcds.parse_record(records()[0], actor=actor)
    single = register_case(actor=actor, person=one.person, case=one.case)
    assert keys_of(single) == keys_of(cases[0])
    assert set(CaseCode.objects.filter(case=single).values_list("list", "code")) == set(
        CaseCode.objects.filter(case=cases[0]).values_list("list", "code")
    )
    registered = AuditEvent.objects.filter(action="case.registered")
    assert sorted(registered.values_list("object_id", flat=True)) == sorted(
        str(c.id) for c in [*cases, single]
    )
    consented = AuditEvent.objects.filter(action="consent.recorded")
    assert sorted(consented.values_list("object_id", flat=True)) == sorted(
        str(cases[i].id) for i in (0, 2, 4)
    )
    assert [c.consents.count() for c in cases] == [1, 0, 1, 0, 1]
    report = verify_chain()
    assert report.ok
    assert report.checked == AuditEvent.objects.count()


@pytest.mark.parametrize("parallel", [False, True], ids=["here", "aside"])
def test_a_failure_in_the_last_round_keeps_nothing_of_the_earlier_rounds(
    caseworker: User, monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    monkeypatch.setattr(htcds, "IMPORT_CHUNK", 2)
    monkeypatch.setattr(htcds, "ASIDE_CHUNK", 2)
    plans = htcds.SECTIONS["spl_SupportPlans"]

    def refuse(actor: Actor, case: Case, value: Any) -> None:
        raise ValidationError({"spl_Objectives": ["refused here to test the rollback"]})

    monkeypatch.setitem(htcds.SECTIONS, plans.name, dataclasses.replace(plans, write=refuse))
    batch = records()
    batch[4]["spl_SupportPlans"] = [{"spl_Objectives": "Житло і робота"}]
    events_before = AuditEvent.objects.count()
    with pytest.raises(htcds.HtcdsImportError) as caught:
        htcds.import_records(actor=actor_for(caseworker), records=batch, parallel=parallel)
    assert [(p.index, list(p.fields)) for p in caught.value.problems] == [(4, ["spl_Objectives"])]
    assert multiprocessing.active_children() == []  # no checking process is left running
    assert Case.objects.count() == 0
    assert PersonSearchKey.objects.count() == 0
    assert AuditEvent.objects.count() == events_before
    assert gc.isenabled()  # the collector paused for the batch runs again after a failure
    if connection.vendor == "sqlite":  # and the connection has its own page cache again
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            assert cursor.fetchone()[0] == -65536


def test_register_cases_names_a_bad_input_by_its_index_and_writes_nothing(
    caseworker: User,
) -> None:
    good = PersonInput(identity=Identity(first_name="Olha", family_name="Kravets"))
    bad = PersonInput(identity=Identity())  # no name at all
    case = CaseInput(
        identified_on=dt.date(2016, 5, 20),
        identification_country="UA",
        channel="Hotline",
        multi={"vic_TypeOfExploitation": ["ForcedLabour"]},
    )
    with pytest.raises(ValidationError) as caught:
        register_cases(actor=actor_for(caseworker), registrations=[(good, case), (bad, case)])
    assert "[1].family_name" in caught.value.message_dict
    assert not any(key.startswith("[0]") for key in caught.value.message_dict)
    assert Case.objects.count() == 0


def test_an_import_checks_each_record_once(caseworker: User, monkeypatch: Any) -> None:
    """`parse_record` checks every record before anything is written; the rounds of inserts
    (`register_cases(checked=True)`) do not check them again."""
    from opennrm.cases import services

    checked: list[PersonInput] = []
    original = services.validate_inputs

    def counting(person: PersonInput, case: CaseInput) -> None:
        checked.append(person)
        original(person, case)

    monkeypatch.setattr(services, "validate_inputs", counting)
    monkeypatch.setattr(htcds, "validate_inputs", counting)
    imported = htcds.import_records(actor=actor_for(caseworker), records=records())
    assert len(imported) == len(NAMES)
    assert len(checked) == len(NAMES)


def test_an_import_writes_with_the_import_page_cache(
    caseworker: User, monkeypatch: Any, settings: Any
) -> None:
    """On SQLite the rounds of inserts run with a page cache of OPENNRM_IMPORT_CACHE_MB (the
    pages a large import dirties are not spilled before the commit), and the connection has its
    own size again afterwards; PostgreSQL's cache is the server's."""
    from opennrm.cases import services

    def cache_size() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return int(cursor.fetchone()[0])

    settings.OPENNRM_IMPORT_CACHE_MB = 300
    seen: list[int] = []
    original = services.register_cases

    def spying(**kwargs: Any) -> Any:
        seen.append(cache_size() if connection.vendor == "sqlite" else 0)
        return original(**kwargs)

    monkeypatch.setattr(htcds, "register_cases", spying)
    trims: list[bool] = []
    monkeypatch.setattr(bulk, "give_back_memory", lambda: trims.append(True))
    before = cache_size() if connection.vendor == "sqlite" else 0
    imported = htcds.import_records(actor=actor_for(caseworker), records=records())
    assert len(imported) == len(NAMES)
    if connection.vendor == "sqlite":
        assert before == -65536  # the settings' 64 MiB
        assert seen == [-300 * 1024]
        assert cache_size() == before
        assert trims == [True]  # and the freed pages are handed back to the system
    else:
        assert seen == [0]
        assert trims == []


def test_record_many_chains_each_event_to_the_one_before(db: Any) -> None:
    agency = uuid.uuid4()
    entries = [
        Entry(action="case.registered", actor_id=None, agency_id=agency, object_id=uuid.uuid4())
        for _ in range(4)
    ]
    first = record_many(entries[:1])
    rest = record_many(entries[1:])
    chain = [*first, *rest]
    assert [e.seq for e in chain] == [1, 2, 3, 4]
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(chain))
    assert verify_chain().ok
    with pytest.raises(PersonalDataInAuditError):
        record_many([entries[0], Entry("case.registered", None, agency, detail={"n": "Олена"})])
    assert AuditEvent.objects.count() == 4  # the good event before the bad one was not written


def import_command(tmp_path: Path, agency: Agency, user: User) -> tuple[str, str]:
    """`opennrm import-htcds --summary` with `records()` in a JSON file: its output and its
    progress."""
    path = tmp_path / "register.json"
    path.write_text(json.dumps(records(), ensure_ascii=False), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_htcds",
        str(path),
        agency=agency.name,
        user=user.username,
        summary=True,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def test_the_command_shows_progress_and_a_summary(
    caseworker: User, agency_a: Agency, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(htcds, "IMPORT_CHUNK", 2)
    out, err = import_command(tmp_path, agency_a, caseworker)
    assert out == "imported 5 record(s) from json\n"
    lines = err.splitlines()
    assert [line.split(" (")[0] for line in lines] == [
        "checked 2/5",
        "checked 4/5",
        "checked 5/5",
        "saved 2/5",
        "saved 4/5",
        "saved 5/5",
    ]
    assert "records/s, about" in lines[-1]
    assert Case.objects.filter(owner_agency=agency_a).count() == 5


def test_a_request_over_the_limit_is_refused_whole(caseworker: User, settings: Any) -> None:
    settings.OPENNRM_HTCDS_IMPORT_MAX_RECORDS = 4
    response = post_json(api(caseworker), "/api/v1/htcds/", records())
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "too_many_records"
    assert "4" in response.json()["error"]["message"]
    assert Case.objects.count() == 0
    accepted = post_json(api(caseworker), "/api/v1/htcds/", records()[:4])
    assert accepted.status_code == 201
    assert accepted.json()["imported"] == 4


def stored_registrations(cases: list[Case]) -> list[tuple[Any, ...]]:
    """What an import left of each case, without its ids: the identity, the name keys, the
    codes, the events and the consents."""
    ring = current_keyring()
    out = []
    for case in cases:
        stored = Case.objects.get(id=case.id)
        identity = open_identity(stored.person)
        assert keys_of(stored) == search_key_rows(identity, ring=ring)
        out.append(
            (
                identity,
                stored.person.gender,
                sorted(CaseCode.objects.filter(case=stored).values_list("list", "code")),
                sorted(stored.events.values_list("type", "country", "started_on")),
                stored.consents.count(),
                stored.identified_on,
            )
        )
    return out


def test_a_parallel_import_leaves_what_the_serial_one_leaves(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked, sealed and digested in a second process (two records at a time), written here
    in rounds: the same cases, identities, name keys, codes, consents and audit as the import
    that checks every record first."""
    monkeypatch.setattr(htcds, "ASIDE_CHUNK", 2)
    monkeypatch.setattr(htcds, "IMPORT_CHUNK", 3)
    actor = actor_for(caseworker)
    told: list[tuple[str, int, int]] = []
    aside = htcds.import_records(
        actor=actor, records=records(), parallel=True, progress=lambda *a: told.append(a)
    )
    here = htcds.import_records(actor=actor, records=records())
    assert stored_registrations([i.case for i in aside]) == stored_registrations(
        [i.case for i in here]
    )
    names = [
        (r[0].first_name, r[0].family_name) for r in stored_registrations([i.case for i in aside])
    ]
    assert names == NAMES
    assert [c.consents.count() for c in (i.case for i in aside)] == [1, 0, 1, 0, 1]
    saved = [done for stage, done, _total in told if stage == "saved"]
    checked = [done for stage, done, _total in told if stage == "checked"]
    assert saved == sorted(saved)
    assert checked == sorted(checked)
    assert checked[-1] == saved[-1] == 5
    assert told[-1] == ("saved", 5, 5)
    registered = AuditEvent.objects.filter(action="case.registered")
    assert registered.count() == 10
    assert AuditEvent.objects.filter(action="htcds.imported").count() == 2
    assert verify_chain().ok


def test_bad_records_checked_aside_keep_nothing_and_every_problem_is_told(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bad record in the second round stops the writing (the first round was written, and is
    rolled back); the records after it are still checked, so the problems are those the
    serial import tells."""
    monkeypatch.setattr(htcds, "ASIDE_CHUNK", 2)
    monkeypatch.setattr(htcds, "IMPORT_CHUNK", 2)
    batch = records()
    batch[2]["prs_Gender"] = "Unknown gender"
    batch[4]["prs_Birthdate"] = "1990-13-45"
    actor = actor_for(caseworker)
    events_before = AuditEvent.objects.count()
    with pytest.raises(htcds.HtcdsImportError) as aside:
        htcds.import_records(actor=actor, records=batch, parallel=True)
    with pytest.raises(htcds.HtcdsImportError) as here:
        htcds.import_records(actor=actor, records=batch)
    assert [(p.index, p.fields) for p in aside.value.problems] == [
        (p.index, p.fields) for p in here.value.problems
    ]
    assert [p.index for p in aside.value.problems] == [2, 4]
    assert Case.objects.count() == 0
    assert PersonSearchKey.objects.count() == 0
    assert AuditEvent.objects.count() == events_before


def test_a_parallel_import_fails_whole_when_the_checking_process_fails(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check that would query the database (the second process may not) fails the import in
    its third record, after a first round was written: nothing is kept."""
    from opennrm.core.aside import AsideError

    monkeypatch.setattr(htcds, "ASIDE_CHUNK", 2)
    original = htcds.parse_record
    seen = iter(range(10))

    def querying(item: Any, **kwargs: Any) -> htcds.ParsedRecord:
        if next(seen) == 2:
            Case.objects.exists()
        return original(item, **kwargs)

    monkeypatch.setattr(htcds, "parse_record", querying)
    with pytest.raises(AsideError):
        htcds.import_records(actor=actor_for(caseworker), records=records(), parallel=True)
    assert Case.objects.count() == 0
    assert PersonSearchKey.objects.count() == 0


def test_the_command_checks_aside_and_shows_both_stages(
    caseworker: User, agency_a: Agency, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(htcds, "ASIDE_CHUNK", 2)
    monkeypatch.setattr(htcds, "IMPORT_CHUNK", 2)
    started: list[object] = []
    original = htcds.Aside

    def aside(produce: Any) -> Any:
        started.append(produce)
        return original(produce)

    monkeypatch.setattr(htcds, "Aside", aside)
    out, err = import_command(tmp_path, agency_a, caseworker)
    assert len(started) == 1  # the records were checked in a second process
    assert out == "imported 5 record(s) from json\n"
    lines = [line.split(" (")[0] for line in err.splitlines()]
    assert lines[0].startswith("checked ")
    assert "checked 5/5" in lines
    assert lines[-1] == "saved 5/5"
    assert Case.objects.filter(owner_agency=agency_a).count() == 5


def test_the_codes_of_a_case_are_read_through_the_unique_index_alone(db: Any) -> None:
    """No second index on the codes' case column (an import wrote it on every code row): the
    unique index over (case, list, code) starts with the case and serves reads by case."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, CaseCode._meta.db_table)
        indexes = [c["columns"] for c in constraints.values() if c["index"] or c["unique"]]
        assert ["case_id"] not in indexes
        assert ["case_id", "list", "code"] in indexes
        if connection.vendor == "sqlite":
            cursor.execute(
                "EXPLAIN QUERY PLAN SELECT code FROM cases_casecode WHERE case_id = %s", ["x"]
            )
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "USING" in plan
            assert "INDEX" in plan


def refuse_plans(monkeypatch: pytest.MonkeyPatch) -> None:
    plans = htcds.SECTIONS["spl_SupportPlans"]

    def refuse(actor: Actor, case: Case, value: Any) -> None:
        raise ValidationError({"spl_Objectives": ["refused here to test the rollback"]})

    monkeypatch.setitem(htcds.SECTIONS, plans.name, dataclasses.replace(plans, write=refuse))


@pytest.mark.parametrize("parallel", [False, True], ids=["here", "aside"])
def test_a_bad_record_is_told_before_a_refused_write_either_way(
    caseworker: User, monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    """Record 1's section is refused when written, record 4 is bad: the import that checks
    every record first tells record 4 only (it never writes), and so does the parallel one,
    which had started writing."""
    monkeypatch.setattr(htcds, "ASIDE_CHUNK", 2)
    monkeypatch.setattr(htcds, "IMPORT_CHUNK", 2)
    refuse_plans(monkeypatch)
    batch = records()
    batch[1]["spl_SupportPlans"] = [{"spl_Objectives": "Житло і робота"}]
    batch[4]["prs_Gender"] = "Unknown gender"
    with pytest.raises(htcds.HtcdsImportError) as caught:
        htcds.import_records(actor=actor_for(caseworker), records=batch, parallel=parallel)
    assert [(p.index, list(p.fields)) for p in caught.value.problems] == [(4, ["prs_Gender"])]
    assert Case.objects.count() == 0


class OneStep:
    """`core.aside.Aside` in this process, everything it sent delivered in one step (the
    writer was busy while the checking process sent all its chunks)."""

    def __init__(self, produce: Any) -> None:
        self.sent: list[Any] = []
        produce(self.sent.append)

    def __iter__(self) -> Any:
        yield list(self.sent)

    def __enter__(self) -> OneStep:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def test_chunks_that_arrived_together_are_joined_into_rounds_of_at_most_import_chunk(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five chunks of 2 arrive at once: written in rounds of at most `IMPORT_CHUNK` (5), so
    two chunks a round (a third would not fit), and a refused write in a joined round names
    its own record."""
    monkeypatch.setattr(htcds, "Aside", OneStep)
    monkeypatch.setattr(htcds, "ASIDE_CHUNK", 2)
    monkeypatch.setattr(htcds, "IMPORT_CHUNK", 5)
    sizes: list[int] = []
    original = htcds.register_cases

    def counting(**kwargs: Any) -> list[Case]:
        sizes.append(len(kwargs["registrations"]))
        return original(**kwargs)

    monkeypatch.setattr(htcds, "register_cases", counting)
    batch = [*records(), *records()]
    imported = htcds.import_records(actor=actor_for(caseworker), records=batch, parallel=True)
    assert len(imported) == 10
    assert sizes == [4, 4, 2]

    refuse_plans(monkeypatch)
    batch[7]["spl_SupportPlans"] = [{"spl_Objectives": "Житло і робота"}]
    with pytest.raises(htcds.HtcdsImportError) as caught:
        htcds.import_records(actor=actor_for(caseworker), records=batch, parallel=True)
    assert [p.index for p in caught.value.problems] == [7]
    assert Case.objects.count() == 10


def test_a_parallel_import_writes_the_identities_sealed_aside(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer seals nothing and computes no name keys: the checking process did."""
    from opennrm.cases import services

    def not_here(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("sealed by the writer")

    monkeypatch.setattr(htcds, "ASIDE_CHUNK", 2)
    monkeypatch.setattr(services, "seal_new_identity", not_here)  # seals and digests
    imported = htcds.import_records(actor=actor_for(caseworker), records=records(), parallel=True)
    stored = stored_registrations([i.case for i in imported])  # opens them, checks the keys
    assert [(r[0].first_name, r[0].family_name) for r in stored] == NAMES


def test_progress_never_counts_past_the_records(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(htcds, "ASIDE_CHUNK", 2)
    batch = records()
    batch[4]["prs_Gender"] = "Unknown gender"  # in the last, short chunk
    told: list[tuple[str, int, int]] = []
    with pytest.raises(htcds.HtcdsImportError):
        htcds.import_records(
            actor=actor_for(caseworker),
            records=batch,
            parallel=True,
            progress=lambda *a: told.append(a),
        )
    assert told[-1] == ("checked", 5, 5)
    assert all(done <= total for _stage, done, total in told)


@pytest.mark.parametrize("parallel", [False, True], ids=["here", "aside"])
def test_the_records_are_checked_before_the_transaction_begins(
    caseworker: User, monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    """On SQLite a transaction holds the database's write lock: the records are checked, or
    the checking process started, before the import's transaction, so other writers are not
    kept waiting while a file is checked."""
    depth = len(connection.atomic_blocks)  # the test's own transaction
    seen: list[int] = []
    original_parse = htcds.parse_record
    original_aside = htcds.Aside

    def parse(item: Any, **kwargs: Any) -> htcds.ParsedRecord:
        seen.append(len(connection.atomic_blocks))
        return original_parse(item, **kwargs)

    def aside(produce: Any) -> Any:
        seen.append(len(connection.atomic_blocks))
        return original_aside(produce)

    monkeypatch.setattr(htcds, "parse_record", parse)
    monkeypatch.setattr(htcds, "Aside", aside)
    monkeypatch.setattr(htcds, "ASIDE_CHUNK", 2)
    htcds.import_records(actor=actor_for(caseworker), records=records(), parallel=parallel)
    assert seen  # parsed here (5 times), or the process started here (once)
    assert set(seen) == {depth}
