"""The per-person facts the worker keeps give national statistics the same persons as counting
from the cases, and are never read while a change has not reached them."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from opennrm.access import statistics as gate
from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.cases.services import EventInput, change_case_status, update_case
from opennrm.justice import services as justice
from opennrm.linkage import services as linkage
from opennrm.linkage.models import CandidatePair
from opennrm.reports import facts
from opennrm.reports.indicators import Filters, compute
from opennrm.reports.models import FactsState, PersonFact, PersonFactBand, PersonFactCode
from opennrm.reports.persons import (
    CODE_FIELDS,
    SINGLE_FIELDS,
    ListedPersons,
    PersonFacts,
    Persons,
    codes_of,
    in_period,
    person_facts,
)
from opennrm.reports.tasks import refresh_facts_periodically
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import case_input, logged_in, person_input, record_basis
from tests.mfa import mark_verified
from tests.worker import run_db_worker

YEAR_2016 = Filters(dt.date(2016, 1, 1), dt.date(2016, 12, 31))
PERIODS = (
    YEAR_2016,
    Filters(dt.date(2015, 1, 1), dt.date(2015, 12, 31)),
    Filters(dt.date(2015, 1, 1), dt.date(2016, 12, 31)),
    Filters(dt.date(2016, 3, 1), dt.date(2016, 3, 31)),
    Filters(dt.date(2016, 5, 1), dt.date(2016, 5, 31)),
    Filters(dt.date(2020, 1, 1), dt.date(2020, 12, 31)),  # nobody
)


@pytest.fixture
def police(make_user: Callable[..., User], agency_b: Agency) -> Actor:
    return actor_for(make_user("olha.police", agency_b, "investigator"))


@pytest.fixture
def national(statistician: User) -> Actor:
    return actor_for(statistician)


def _register(make_case: Callable[..., Case], ngo: Actor, police: Actor) -> list[Case]:
    """Nine registrations of six persons: three registered by both agencies (one first in 2015),
    a girl, a foreign citizen, a displaced man."""
    return [
        make_case(ngo, person_input("Олександр", "Шевченко", "1987-03-05", middle_name="Петрович")),
        make_case(
            police,
            person_input("Oleksandr", "Shevchenko", "1987-03-05"),
            identified_on=dt.date(2016, 5, 2),
            identification_oblast="UA-32",
            channel="Hotline",
            multi={"ua_exploitation": ["SexualExploitation"]},
        ),
        make_case(
            ngo,
            person_input("Наталія", "Коваленко", "1990-01-21", "Feminine"),
            identified_on=dt.date(2015, 11, 3),
            events=[
                EventInput("Exploitation", "PL", "", dt.date(2015, 1, 1), dt.date(2015, 9, 1)),
                EventInput("Exploitation", "DE", "", dt.date(2015, 9, 2), dt.date(2015, 10, 1)),
            ],
        ),
        make_case(
            police,
            person_input("Nataliia", "Kovalenko", "1990-01-21", "Feminine"),
            identified_on=dt.date(2016, 2, 10),
        ),
        make_case(ngo, person_input("Марія", "Бондар", "2004-06-30", "Feminine")),
        make_case(
            police,
            replace(person_input("Artem", "Lysenko", "1979-12-01"), citizenships=["MD"]),
            identified_on=dt.date(2016, 8, 19),
        ),
        make_case(ngo, person_input("Ірина", "Ткаченко", "1985-04-04", "Feminine")),
        make_case(
            police,
            person_input("Iryna", "Tkachenko", "1985-04-04", "Feminine"),
            identified_on=dt.date(2016, 9, 1),
        ),
        make_case(ngo, replace(person_input("Богдан", "Мельник", "1969"), is_idp=True)),
    ]


def _link() -> None:
    linkage.execute_run(linkage.start_run(actor=None, enqueue=False).id)


def _same(cases: Any, filters: Filters) -> None:
    """The kept facts answer, and give what counting from the cases gives: the persons, their
    counts in the database, every indicator; the kept codes are those of the kept persons."""
    kept = facts.read(filters)
    assert kept is not None, "the kept facts should be current"
    everyone, band = person_facts(cases, filters)
    assert kept == (in_period(everyone, filters), band)
    counted, kept_band = facts.persons_to_count(cases, filters, national=True)
    assert isinstance(counted, facts.KeptPersons)
    assert kept_band == band
    _same_counts(counted, ListedPersons(in_period(everyone, filters)))
    assert compute(cases, filters, national=True) == compute(cases, filters)
    every_person = facts.read(Filters(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
    assert every_person is not None
    codes = [
        (p.key, name, code, p.first_identified)
        for p in every_person[0]
        for name in CODE_FIELDS
        for code in codes_of(p, name)
    ]
    kept_codes = list(PersonFactCode.objects.values_list("key", "list", "code", "first_identified"))
    assert sorted(kept_codes) == sorted(codes)


def _same_counts(kept: Persons, listed: Persons) -> None:
    """Every count the families ask for, from the database and from the list."""
    assert (kept.count(), kept.registrations()) == (listed.count(), listed.registrations())
    for name in SINGLE_FIELDS:
        assert kept.tally(name) == listed.tally(name), name
    assert kept.tally("gender", "age") == listed.tally("gender", "age")
    assert kept.tally("origin_oblast", "identification_oblast") == listed.tally(
        "origin_oblast", "identification_oblast"
    )
    for name in CODE_FIELDS:
        assert kept.tally_codes(name) == listed.tally_codes(name), name


def test_the_kept_columns_are_the_persons_fields_in_order() -> None:
    assert tuple(f.name for f in fields(PersonFacts)) == facts.FACT_FIELDS
    assert set(facts.SET_FIELDS) == {f.name for f in fields(PersonFacts) if "set[" in str(f.type)}


def test_kept_facts_count_the_same_persons_as_the_cases(
    make_case: Callable[..., Case], actor_a: Actor, police: Actor, national: Actor
) -> None:
    _register(make_case, actor_a, police)
    _link()
    assert facts.current() is None  # never built
    done = facts.refresh()
    assert done.mode == "full"
    assert done.persons == PersonFact.objects.count() == 6
    cases = gate.cases_in_scope(national)
    for filters in PERIODS:
        _same(cases, filters)
    year = compute(cases, YEAR_2016, national=True)
    # Kovalenko was first identified in 2015: she is not a person of 2016.
    assert (year.persons, year.registrations) == (5, 7)
    assert PersonFactBand.objects.filter(threshold="lower").count() == 6
    assert facts.refresh().mode == "none"


def test_a_change_is_counted_from_the_cases_until_the_refresh_brings_it_in(
    make_case: Callable[..., Case], actor_a: Actor, police: Actor, national: Actor
) -> None:
    made = _register(make_case, actor_a, police)
    _link()
    facts.refresh()
    cases = gate.cases_in_scope(national)
    make_case(
        actor_a, person_input("Остап", "Гнатюк", "1999-09-09"), identified_on=dt.date(2016, 10, 1)
    )
    assert facts.current() is None  # the new case is not in the kept facts yet
    assert compute(cases, YEAR_2016, national=True).persons == 6  # counted from the cases
    done = facts.refresh()
    assert (done.mode, done.persons) == ("changes", 1)
    _same(cases, YEAR_2016)
    assert compute(cases, YEAR_2016, national=True).persons == 6
    # Reads (and refusals) leave the facts current.
    client = logged_in(actor_a.user)
    mark_verified(client, actor_a.user)
    own = made[0]  # Shevchenko, registered by the NGO
    assert client.get(f"/cases/{own.id}/").status_code == 200
    other = Case.objects.exclude(owner_agency=actor_a.agency).first()
    assert other is not None
    assert client.get(f"/cases/{other.id}/").status_code == 404
    # Writes that change nothing the facts hold (a consent, a case closed) leave them current.
    record_basis(actor_a, own)
    change_case_status(actor=actor_a, case=own, action="close", closure_reason="Other")
    assert AuditEvent.objects.filter(seq__gt=FactsState.objects.get().seq).count() >= 3
    assert facts.current() is not None


def test_an_edit_of_a_case_and_its_person_is_built_again(
    make_case: Callable[..., Case], actor_a: Actor, police: Actor, national: Actor
) -> None:
    made = _register(make_case, actor_a, police)
    _link()
    facts.refresh()
    cases = gate.cases_in_scope(national)
    girl = made[4]
    update_case(
        actor=actor_a,
        case=girl,
        person=replace(person_input("Марія", "Бондар", "2004-06-30", "Feminine"), is_idp=True),
        facts=case_input(
            identified_on=dt.date(2016, 4, 1),
            multi={"ua_exploitation": ["SexualExploitation", "MixedForms"]},
        ),
    )
    assert facts.current() is None
    counted = compute(cases, YEAR_2016, national=True)
    assert {r.code: r.count for r in counted.table("idp").rows}["idp"] == 2
    done = facts.refresh()
    assert (done.mode, done.persons) == ("changes", 1)
    _same(cases, YEAR_2016)
    forms = {
        r.code: r.count for r in compute(cases, YEAR_2016, national=True).table("exploitation").rows
    }
    assert forms["MixedForms"] == 1


def test_a_pair_decided_different_splits_the_kept_person(
    make_case: Callable[..., Case], actor_a: Actor, police: Actor, national: Actor
) -> None:
    cases_made = _register(make_case, actor_a, police)
    _link()
    facts.refresh()
    left, right = sorted([cases_made[6].person_id, cases_made[7].person_id], key=str)
    pair = CandidatePair.objects.get(left_id=left, right_id=right)
    linkage.decide(actor=national, pair=pair, decision=CandidatePair.Decision.DIFFERENT)
    assert facts.current() is None
    done = facts.refresh()
    assert done.mode == "changes"
    assert done.persons == 2  # the two Tkachenko registrations are two persons now
    cases = gate.cases_in_scope(national)
    _same(cases, YEAR_2016)
    assert compute(cases, YEAR_2016, national=True).persons == 6


def test_a_pair_below_the_match_threshold_borne_out_is_kept_and_refreshed_as_counted(
    make_case: Callable[..., Case], actor_a: Actor, police: Actor, national: Actor
) -> None:
    cases_made = _register(make_case, actor_a, police)
    _link()
    left, right = sorted([cases_made[6].person_id, cases_made[7].person_id], key=str)
    pair = CandidatePair.objects.get(left_id=left, right_id=right)
    CandidatePair.objects.filter(id=pair.id).update(probability=0.9)  # below 0.95, above 0.8
    assert facts.refresh().mode == "full"
    cases = gate.cases_in_scope(national)
    _same(cases, YEAR_2016)
    assert compute(cases, YEAR_2016, national=True).persons == 5  # Tkachenko once
    linkage.decide(actor=national, pair=pair, decision=CandidatePair.Decision.UNSURE)
    assert facts.refresh().mode == "changes"
    _same(cases, YEAR_2016)
    assert compute(cases, YEAR_2016, national=True).persons == 5
    linkage.decide(actor=national, pair=pair, decision=CandidatePair.Decision.DIFFERENT)
    assert facts.refresh().mode == "changes"
    _same(cases, YEAR_2016)
    assert compute(cases, YEAR_2016, national=True).persons == 6


def test_a_linkage_run_or_new_thresholds_build_everything_again(
    make_case: Callable[..., Case], actor_a: Actor, police: Actor, national: Actor
) -> None:
    _register(make_case, actor_a, police)
    facts.refresh()
    cases = gate.cases_in_scope(national)
    assert compute(cases, YEAR_2016, national=True).persons == 8  # not linked yet
    _link()
    assert facts.current() is None
    assert facts.refresh().mode == "full"
    _same(cases, YEAR_2016)
    with override_settings(OPENNRM_LINKAGE_MATCH_THRESHOLD=0.999999):
        assert facts.current() is None  # built at other thresholds
        assert facts.refresh().mode == "full"
        _same(cases, YEAR_2016)
    with override_settings(OPENNRM_LINKAGE_CORROBORATION_THRESHOLD=0.9):
        assert facts.current() is None  # built with another corroboration threshold
        assert facts.refresh().mode == "full"
        _same(cases, YEAR_2016)
    # Facts kept by a version whose clusters needed no support across groups (four values).
    FactsState.objects.filter(id=1).update(thresholds=[0.5, 0.95, 0.99, 0.7])
    assert facts.current() is None
    assert facts.refresh().mode == "full"
    assert facts.current() is not None


def test_filtered_figures_are_counted_from_the_cases_and_national_ones_from_the_facts(
    make_case: Callable[..., Case],
    actor_a: Actor,
    police: Actor,
    national: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _register(make_case, actor_a, police)
    _link()
    facts.refresh()
    cases = gate.cases_in_scope(national)
    oblast = Filters(YEAR_2016.start, YEAR_2016.end, oblast="UA-32")
    expected = compute(cases, oblast)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the kept facts were read")

    with monkeypatch.context() as patch:
        patch.setattr(facts, "read", refuse)
        assert compute(cases, oblast, national=True) == expected
        assert compute(cases, YEAR_2016).persons == 5  # not national: from the cases

    def count_again(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("counted from the cases")

    monkeypatch.setattr(facts, "person_facts", count_again)
    assert compute(cases, YEAR_2016, national=True).persons == 5
    # The dashboard's first visit and the API read the kept facts.
    client = logged_in(national.user)
    mark_verified(client, national.user)
    page = client.get("/statistics/?start=2016-01-01&end=2016-12-31&fresh=1")
    assert page.status_code == 200
    api = client.get("/api/v1/stats/?from=2016-01-01&to=2016-12-31")
    assert api.status_code == 200, api.content[:300]


@pytest.mark.django_db(transaction=True)
def test_the_worker_keeps_the_facts_and_queues_its_next_run(
    make_case: Callable[..., Case], actor_a: Actor, police: Actor, national: Actor
) -> None:
    _register(make_case, actor_a, police)
    DBTaskResult.objects.filter(task_path=refresh_facts_periodically.module_path).delete()
    refresh_facts_periodically.enqueue()
    run_db_worker()  # the real worker, in its own process
    ran = DBTaskResult.objects.get(
        task_path=refresh_facts_periodically.module_path, status=TaskResultStatus.SUCCESSFUL
    )
    assert str(ran.return_value).startswith("full: 9 persons"), ran.traceback
    state = FactsState.objects.get()
    assert state.built
    assert state.persons == 9  # not linked: nine persons
    assert facts.current() is not None
    _same(gate.cases_in_scope(national), YEAR_2016)
    waiting = DBTaskResult.objects.filter(
        task_path=refresh_facts_periodically.module_path, status=TaskResultStatus.READY
    )
    assert waiting.count() == 1  # the next run
    # Run here afterwards: nothing changed since the worker's run.
    assert refresh_facts_periodically.call().startswith("none: 0 persons")


def test_the_operator_command_builds_the_facts(
    make_case: Callable[..., Case], actor_a: Actor, police: Actor
) -> None:
    _register(make_case, actor_a, police)
    out = io.StringIO()
    call_command("refresh_statistics", stdout=out)
    assert out.getvalue().startswith("statistics facts: full: 9 persons")
    out = io.StringIO()
    call_command("refresh_statistics", stdout=out)
    assert out.getvalue().startswith("statistics facts: none: 0 persons")
    call_command("refresh_statistics", "--full", stdout=out)
    assert "full: 9 persons" in out.getvalue()


def test_a_linkage_run_that_fails_after_scoring_leaves_no_pairs_the_facts_do_not_know(
    make_case: Callable[..., Case],
    actor_a: Actor,
    police: Actor,
    national: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The pairs a run stores and its "linkage.run_finished" event are written together: a run
    that fails in between leaves no pairs the audit trail does not name, so the facts that
    still answer give what the cases give."""
    _register(make_case, actor_a, police)
    facts.refresh()

    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the run failed while finishing")

    monkeypatch.setattr(linkage, "_finish", fail)
    with pytest.raises(RuntimeError):
        _link()
    _same(gate.cases_in_scope(national), YEAR_2016)
    assert not CandidatePair.objects.exists()


def test_the_kept_persons_are_counted_in_the_database_without_reading_them(
    make_case: Callable[..., Case],
    actor_a: Actor,
    police: Actor,
    national: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _register(make_case, actor_a, police)
    _link()
    # One person a chunk: the order checked below is the build's, not one chunk's.
    monkeypatch.setattr(facts, "CHUNK", 1)
    facts.refresh()
    cases = gate.cases_in_scope(national)
    expected = {filters: compute(cases, filters) for filters in PERIODS}

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the persons were read into memory")

    monkeypatch.setattr(facts, "read", refuse)
    monkeypatch.setattr(facts, "person_facts", refuse)
    for filters, counted in expected.items():
        assert compute(cases, filters, national=True) == counted
    year = compute(cases, YEAR_2016, national=True)
    sexes = {r.code: r.count for r in year.table("sex_age").rows}
    assert sexes == {"women": 1, "men": 3, "girls": 1, "boys": 0, "unknown": 0}
    # Kovalenko was first identified in 2015: the countries of both her registrations (PL and
    # DE in 2015, the default RU in 2016) count in 2015, the only person of that year.
    kovalenko = {
        r.code: r.count for r in compute(cases, PERIODS[1], national=True).table("country").rows
    }
    assert kovalenko == {"PL": 1, "DE": 1, "RU": 1}
    # A full build writes the persons in the order of their first identification.
    written = list(PersonFactCode.objects.order_by("id").values_list("first_identified", flat=True))
    assert written == sorted(written)


def test_persons_in_proceedings_are_counted_from_the_facts_as_from_the_cases(
    make_case: Callable[..., Case],
    actor_a: Actor,
    police: Actor,
    national: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = _register(make_case, actor_a, police)
    _link()
    proceeding = justice.register_proceeding(
        actor=police,
        erdr_number="12016220000000001",
        registered_on=dt.date(2016, 3, 1),
        article="149.2",
    )
    # Shevchenko through his second registration (2016); Kovalenko through her first (2015).
    for case in (made[1], made[2]):
        justice.add_participant(actor=police, proceeding=proceeding, case=case, role="InjuredParty")
    facts.refresh()
    assert facts.current() is not None  # taking part changes nothing the facts hold
    cases = gate.cases_in_scope(national)
    proceedings = gate.proceedings_in_scope(national)
    expected = {filters: compute(cases, filters, proceedings) for filters in PERIODS}

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("counted from the cases")

    monkeypatch.setattr(facts, "person_facts", refuse)
    taking_part = {}
    for filters, counted in expected.items():
        kept = compute(cases, filters, proceedings, national=True)
        assert kept == counted
        table = kept.table("identified_in_proceedings")
        taking_part[filters] = (table.rows[0].count, table.total)
    assert taking_part[YEAR_2016] == (1, 5)
    assert taking_part[PERIODS[1]] == (1, 1)  # 2015: Kovalenko
    assert taking_part[PERIODS[2]] == (2, 6)  # 2015-2016


def test_the_families_count_only_the_facts_they_know() -> None:
    persons = ListedPersons([])
    with pytest.raises(ValueError, match="case_ids"):
        persons.tally("case_ids")
    with pytest.raises(ValueError, match="gender"):
        persons.tally_codes("gender")
    kept = facts.KeptPersons(YEAR_2016, Case.objects.none(), FactsState())
    with pytest.raises(ValueError, match="key"):
        kept.tally("key")
    with pytest.raises(ValueError, match="no group of kept facts holds"):
        kept.tally("gender", "channel")  # counted in two different groups
    with pytest.raises(ValueError, match="means"):
        kept.tally_codes("means")


def test_labour_sectors_are_those_of_the_persons_in_labour_exploitation() -> None:
    day = dt.date(2016, 1, 1)
    labour, sexual = (
        PersonFacts(key, day, "Masculine", 30, "", "UA", "", "", False, "", "", forms=forms)
        for key, forms in (("a", {"LabourExploitation"}), ("b", {"SexualExploitation"}))
    )
    labour.industries = {"Construction", "Agriculture"}
    sexual.industries = {"Construction"}  # not in labour exploitation: not a sector counted
    persons = ListedPersons([labour, sexual])
    assert persons.tally_codes("labour_sectors") == {"Construction": 1, "Agriculture": 1}
    assert persons.tally_codes("forms") == {"LabourExploitation": 1, "SexualExploitation": 1}


def test_facts_built_in_another_layout_are_not_read_and_are_built_again(
    make_case: Callable[..., Case], actor_a: Actor, police: Actor, national: Actor
) -> None:
    """A worker still running older code after an upgrade builds facts without knowing the
    layout; they keep the format they had and are not read until a build of this one."""
    _register(make_case, actor_a, police)
    facts.refresh()
    assert facts.current() is not None
    FactsState.objects.filter(id=1).update(format=facts.FORMAT - 1)
    assert facts.current() is None
    counted, _band = facts.persons_to_count(gate.cases_in_scope(national), YEAR_2016, national=True)
    assert isinstance(counted, ListedPersons)
    assert facts.refresh().mode == "full"
    assert FactsState.objects.get(id=1).format == facts.FORMAT
    assert facts.current() is not None


def test_a_refresh_between_two_counts_is_noticed_and_the_year_counted_again(
    make_case: Callable[..., Case],
    actor_a: Actor,
    police: Actor,
    national: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The kept persons are counted in several statements: when the worker's refresh commits
    between two of them, the figures are counted again rather than mixed from both."""
    _register(make_case, actor_a, police)
    _link()
    facts.refresh()
    cases = gate.cases_in_scope(national)
    counted_codes = facts.KeptPersons.tally_codes
    made: list[Persons] = []
    original = facts.persons_to_count

    def recorded(*args: Any, **kwargs: Any) -> tuple[Persons, Any]:
        persons, band = original(*args, **kwargs)
        made.append(persons)
        return persons, band

    def with_a_refresh_first(self: facts.KeptPersons, name: str) -> Any:
        if len(made) == 1 and not getattr(self, "_refreshed", False):
            self._refreshed = True  # type: ignore[attr-defined]
            # a new registration in the year, and the worker's refresh, between two counts
            make_case(
                actor_a,
                person_input("Тарас", "Гнатюк", "1991-07-07"),
                multi={"ua_exploitation": ["LabourExploitation"]},
            )
            facts.refresh()
        return counted_codes(self, name)

    import opennrm.reports.indicators as indicators

    monkeypatch.setattr(indicators, "persons_to_count", recorded)
    monkeypatch.setattr(facts.KeptPersons, "tally_codes", with_a_refresh_first)
    year = compute(cases, YEAR_2016, national=True)
    assert len(made) == 2  # the first count noticed the refresh
    assert all(isinstance(p, facts.KeptPersons) for p in made)
    monkeypatch.undo()
    assert year == compute(cases, YEAR_2016)  # what the cases say now, the newcomer counted
    assert year.persons == compute(cases, YEAR_2016, national=True).persons
