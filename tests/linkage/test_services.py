"""Linkage in the system: a run over registered persons, the review queue and its gate,
decisions, merges and unmerges (audited, reversible), the count with its band, and the
caseworker's minimal-disclosure hint."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone, translation

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.linkage import queries, services
from opennrm.linkage.models import CandidatePair, LinkageRun, MergeEvent
from opennrm.linkage.records import linkage_record
from opennrm.people.identity import IdentityDocument
from opennrm.people.models import Person
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import logged_in, person_input

Decision = CandidatePair.Decision


@dataclass
class Registers:
    """Two agencies' registrations: Shevchenko three times (two agencies, Cyrillic and Latin,
    one with day and month swapped), Kovalenko twice, Bondar once."""

    ngo_shevchenko: Case
    police_shevchenko: Case
    police_shevchenko_latin: Case
    ngo_kovalenko: Case
    police_kovalenko: Case
    ngo_bondar: Case
    coordinator: User
    statistician: User


@pytest.fixture
def registers(
    make_case: Callable[..., Case],
    make_user: Callable[..., User],
    actor_a: Actor,
    agency_b: Agency,
) -> Registers:
    police = actor_for(make_user("olha.police", agency_b, "investigator"))
    msp = Agency.objects.create(
        name="Ministry of Social Policy (synthetic)", kind="MinistryOfSocialPolicy"
    )
    p = person_input
    return Registers(
        ngo_shevchenko=make_case(
            actor_a, p("Олександр", "Шевченко", "1987-03-05", middle_name="Петрович")
        ),
        police_shevchenko=make_case(
            police, p("Александр", "Шевченко", "1987-05-03", middle_name="Петрович")
        ),
        police_shevchenko_latin=make_case(police, p("Oleksandr", "Shevchenko", "1987-03-05")),
        ngo_kovalenko=make_case(actor_a, p("Наталія", "Коваленко", "1990-01-21", "Feminine")),
        police_kovalenko=make_case(police, p("Natalya", "Kovalenko", "1990-01-21", "Feminine")),
        ngo_bondar=make_case(actor_a, p("Петро", "Бондар", "1970-02-11")),
        coordinator=make_user("msp.coordinator", msp, "coordinator"),
        statistician=make_user("msp.statistician", msp, "statistician"),
    )


def _run(actor: Actor | None = None, kind: str = LinkageRun.Kind.FULL) -> LinkageRun:
    run = services.start_run(actor=actor, kind=kind)
    return services.execute_run(run.id)


def _ends(one: Case, two: Case) -> dict[str, uuid.UUID]:
    left, right = sorted([one.person_id, two.person_id], key=str)
    return {"left_id": left, "right_id": right}


def _pair(one: Case, two: Case) -> CandidatePair:
    return CandidatePair.objects.get(**_ends(one, two))


def test_a_run_finds_registrations_of_one_person_across_agencies(registers: Registers) -> None:
    coordinator = actor_for(registers.coordinator)
    run = _run(coordinator)
    assert run.status == LinkageRun.Status.DONE
    assert run.progress == 1.0
    assert run.record_count == 6
    assert run.parameters["match_threshold"] == 0.95
    assert run.parameters["seed"] == 2016
    assert {c["output_column_name"] for c in run.model["comparisons"]} >= {
        "given_name",
        "family_name",
        "birth_date",
    }
    r = registers
    swapped = _pair(r.ngo_shevchenko, r.police_shevchenko)
    assert swapped.probability > 0.95
    levels = {item["field"]: item["level"] for item in swapped.explanation}
    assert levels["birth_date"] == "day and month swapped"
    assert _pair(r.ngo_kovalenko, r.police_kovalenko).probability > 0.95
    assert not CandidatePair.objects.filter(left=r.ngo_bondar.person).exists()
    assert not CandidatePair.objects.filter(right=r.ngo_bondar.person).exists()
    count = queries.count_persons([c.person_id for c in vars(r).values() if isinstance(c, Case)])
    assert (count.registrations, count.persons) == (6, 3)
    assert count.at_lower <= count.persons <= count.at_higher
    actions = list(
        AuditEvent.objects.filter(object_type="linkage").values_list("action", flat=True)
    )
    assert actions == ["linkage.run_started", "linkage.run_finished"]


def test_no_second_run_while_one_is_queued(registers: Registers) -> None:
    services.start_run(actor=None)
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="already queued or running"),
    ):
        services.start_run(actor=None)


def test_a_run_left_unfinished_for_half_a_day_no_longer_blocks(registers: Registers) -> None:
    stuck = services.start_run(actor=None)
    LinkageRun.objects.filter(id=stuck.id).update(
        created_at=timezone.now() - dt.timedelta(hours=13)
    )
    fresh = services.start_run(actor=None)
    stuck.refresh_from_db()
    assert (stuck.status, stuck.error) == (LinkageRun.Status.FAILED, "stale")
    assert fresh.status == LinkageRun.Status.QUEUED


def test_new_registrations_need_a_full_run_first(registers: Registers) -> None:
    with pytest.raises(ValidationError) as error:
        services.start_run(actor=None, kind=LinkageRun.Kind.NEW)
    assert "kind" in error.value.message_dict


def test_incremental_run_scores_only_new_registrations(
    registers: Registers, make_case: Callable[..., Case], make_user: Callable[..., User]
) -> None:
    first = _run()
    shelter = Agency.objects.create(name="Shelter Dnipro (synthetic)", kind="Shelter")
    worker = actor_for(make_user("shelter.worker", shelter, "caseworker"))
    newcomer = make_case(worker, person_input("Олександр", "Шевченко", "1987-03-05"))
    run = _run(kind=LinkageRun.Kind.NEW)
    assert run.status == LinkageRun.Status.DONE
    assert run.base_run_id == first.id
    assert run.model == first.model
    assert run.record_count == 1
    found = CandidatePair.objects.filter(run=run)
    assert found.count() == run.pair_count >= 3
    assert all(newcomer.person_id in (p.left_id, p.right_id) for p in found)


def test_same_person_merges_and_unmerge_restores(registers: Registers) -> None:
    _run()
    r = registers
    reviewer = actor_for(r.statistician)
    pair = _pair(r.ngo_shevchenko, r.police_shevchenko)
    services.decide(actor=reviewer, pair=pair, decision=Decision.SAME)
    one, two = services.national_id(pair.left_id), services.national_id(pair.right_id)
    assert one == two == pair.left_id
    # Non-destructive: each registration stays with its agency.
    r.ngo_shevchenko.refresh_from_db()
    r.police_shevchenko.refresh_from_db()
    assert r.ngo_shevchenko.owner_agency_id != r.police_shevchenko.owner_agency_id
    merge = MergeEvent.objects.get(kind=MergeEvent.Kind.MERGE)
    assert merge.before == {str(pair.right_id): str(pair.right_id)}

    services.unmerge(actor=reviewer, pair=pair)
    assert services.national_id(pair.right_id) == pair.right_id
    pair.refresh_from_db()
    assert pair.decision == Decision.PENDING
    actions = list(
        AuditEvent.objects.filter(object_id=str(pair.id)).values_list("action", flat=True)
    )
    assert actions == ["linkage.decided", "linkage.merged", "linkage.unmerged"]
    for event in AuditEvent.objects.filter(object_type="linkage"):
        assert "Шевченко" not in repr(event.detail)


def test_changing_a_same_decision_undoes_the_merge(registers: Registers) -> None:
    _run()
    reviewer = actor_for(registers.coordinator)
    pair = _pair(registers.ngo_kovalenko, registers.police_kovalenko)
    services.decide(actor=reviewer, pair=pair, decision=Decision.SAME)
    services.decide(actor=reviewer, pair=pair, decision=Decision.DIFFERENT)
    assert services.national_id(pair.right_id) == pair.right_id
    assert MergeEvent.objects.filter(kind=MergeEvent.Kind.UNMERGE).count() == 1
    ids = [registers.ngo_kovalenko.person_id, registers.police_kovalenko.person_id]
    # A reviewer's "different" overrides the model at every threshold.
    count = queries.count_persons(ids)
    assert (count.persons, count.at_lower, count.at_higher) == (2, 2, 2)


def test_unmerge_is_refused_when_a_later_merge_moved_the_registrations(
    registers: Registers,
) -> None:
    _run()
    reviewer = actor_for(registers.coordinator)
    r = registers
    cases = [r.ngo_shevchenko, r.police_shevchenko, r.police_shevchenko_latin]
    a, b, c = sorted(cases, key=lambda case: str(case.person_id))
    # (b, c): c joins b's national id. (a, b): b's whole group (b and c) joins a's.
    services.decide(actor=reviewer, pair=_pair(b, c), decision=Decision.SAME)
    services.decide(actor=reviewer, pair=_pair(a, b), decision=Decision.SAME)
    assert {services.national_id(case.person_id) for case in cases} == {a.person_id}
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="undo the later merge first"),
    ):
        services.unmerge(actor=reviewer, pair=_pair(b, c))
    # Undone in reverse order, each restores what it changed.
    services.unmerge(actor=reviewer, pair=_pair(a, b))
    assert services.national_id(c.person_id) == b.person_id
    services.unmerge(actor=reviewer, pair=_pair(b, c))
    assert services.national_id(c.person_id) == c.person_id


def test_review_decision_counts_even_below_the_threshold(registers: Registers) -> None:
    _run()
    pair = _pair(registers.ngo_shevchenko, registers.police_shevchenko)
    CandidatePair.objects.filter(id=pair.id).update(probability=0.6)
    ids = [pair.left_id, pair.right_id]
    assert queries.count_persons(ids).persons == 2
    assert queries.count_persons(ids).at_lower == 1  # 0.6 >= the lower threshold 0.5
    services.decide(actor=actor_for(registers.coordinator), pair=pair, decision=Decision.SAME)
    assert queries.count_persons(ids).at_higher == 1
    assert queries.count_persons(ids).persons == 1  # at the match threshold too


def _score(run: LinkageRun, one: Case, two: Case, probability: float) -> CandidatePair:
    pair, _created = CandidatePair.objects.update_or_create(
        **_ends(one, two), defaults={"run": run, "probability": probability, "weight": 0}
    )
    return pair


def test_a_pair_below_the_match_threshold_counts_when_the_other_pairs_bear_it_out(
    registers: Registers,
) -> None:
    run = _run()
    r = registers
    _score(run, r.ngo_shevchenko, r.police_shevchenko, 0.99)
    weak = _score(run, r.ngo_shevchenko, r.police_shevchenko_latin, 0.9)
    across = _score(run, r.police_shevchenko, r.police_shevchenko_latin, 0.6)
    ids = [r.ngo_shevchenko.person_id, r.police_shevchenko.person_id]
    ids.append(r.police_shevchenko_latin.person_id)
    count = queries.count_persons(ids)
    # 0.9 is below the match threshold, but both pairs across the groups are possible matches.
    assert (count.persons, count.at_lower, count.at_higher) == (1, 1, 2)
    # The reviewer is told which pairs the count already takes as one person.
    assert queries.counted_as_one([weak, across]) == {weak.id, across.id}
    client = logged_in(r.coordinator)
    queue = client.get("/linkage/queue/").content.decode()
    assert queue.count("<td>одна особа</td>") == 2
    assert "<td>дві особи</td>" not in queue
    assert "враховує їх як одну особу" in client.get(f"/linkage/pairs/{weak.id}/").content.decode()
    # A reviewer decides that one of them is two persons: the pair at 0.9 no longer joins.
    services.decide(actor=actor_for(r.coordinator), pair=across, decision=Decision.DIFFERENT)
    assert queries.count_persons(ids).persons == 2
    assert queries.counted_as_one([weak, across]) == set()
    queue = client.get("/linkage/queue/").content.decode()
    assert "<td>дві особи</td>" in queue
    assert "<td>одна особа</td>" not in queue
    assert "враховує їх як дві особи" in client.get(f"/linkage/pairs/{weak.id}/").content.decode()
    services.decide(actor=actor_for(r.coordinator), pair=across, decision=Decision.UNSURE)
    assert queries.count_persons(ids).persons == 1
    with override_settings(OPENNRM_LINKAGE_CORROBORATION_THRESHOLD=0.95):
        assert queries.count_persons(ids).persons == 2  # at the match threshold: switched off


def test_a_registration_is_compared_on_its_first_two_phones_documents_and_citizenships(
    make_case: Callable[..., Case], actor_a: Actor
) -> None:
    person = replace(
        person_input(
            "Марта",
            "Гнатюк",
            "1990-04-02",
            "Feminine",
            phones=["+380671234567", "+380509876543", "+380931112233"],
            documents=[IdentityDocument("Passport", "ВК654321"), IdentityDocument("Other", "FA1")],
        ),
        citizenships=["UA", "MD"],
    )
    record = linkage_record(Person.objects.get(id=make_case(actor_a, person).person_id))
    assert (record.phone, record.other_phone) == ("+380671234567", "+380509876543")
    assert (record.document_number, record.other_document) == ("ВК654321", "FA1")
    assert {record.citizenship, record.other_citizenship} == {"UA", "MD"}  # as stored
    alone = linkage_record(Person.objects.get(id=make_case(actor_a, person_input()).person_id))
    assert (alone.other_phone, alone.other_document, alone.other_citizenship) == ("", "", "")


# --- the gate ---------------------------------------------------------------------------------


def test_caseworker_gets_404_on_every_linkage_page(registers: Registers, caseworker: User) -> None:
    _run()
    pair = _pair(registers.ngo_shevchenko, registers.police_shevchenko)
    client = logged_in(caseworker)
    for url in (
        "/linkage/",
        "/linkage/queue/",
        f"/linkage/pairs/{pair.id}/",
        f"/linkage/pairs/{pair.id}/unmerge/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/linkage/pairs/{pair.id}/decide/", {"decision": "same"}).status_code == 404
    assert client.post("/linkage/runs/", {"kind": "full"}).status_code == 404
    pair.refresh_from_db()
    assert pair.decision == Decision.PENDING


def test_coordinator_reviews_side_by_side_and_every_view_is_audited(
    registers: Registers,
) -> None:
    _run()
    pair = _pair(registers.ngo_shevchenko, registers.police_shevchenko)
    client = logged_in(registers.coordinator)
    # Above the match threshold the pair counts without review: not in the default queue.
    queue = client.get("/linkage/queue/")
    assert queue.status_code == 200
    assert f"/linkage/pairs/{pair.id}/" not in queue.content.decode()
    automatic = client.get("/linkage/queue/?show=automatic").content.decode()
    assert f"/linkage/pairs/{pair.id}/" in automatic
    assert "<td></td>" not in automatic  # a pair with nothing against it says so with a dash
    assert "<td>—</td>" in automatic
    CandidatePair.objects.filter(id=pair.id).update(probability=0.7)
    assert f"/linkage/pairs/{pair.id}/" in client.get("/linkage/queue/").content.decode()
    filtered = client.get("/linkage/queue/?min_probability=80").content.decode()
    assert f"/linkage/pairs/{pair.id}/" not in filtered
    page = client.get(f"/linkage/pairs/{pair.id}/")
    html = page.content.decode()
    assert page.status_code == 200
    for value in ("Шевченко", "Александр", "03.05.1987"):  # dd.mm.yyyy in Ukrainian
        assert value in html
    # Only the fields needed to decide: no case facts, no contact details.
    assert "Exploitation" not in html
    client.get(f"/linkage/pairs/{pair.id}/")
    views = AuditEvent.objects.filter(action="linkage.pair_viewed", object_id=str(pair.id))
    assert views.count() == 2
    response = client.post(f"/linkage/pairs/{pair.id}/decide/", {"decision": "same"})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.decision == Decision.SAME
    assert pair.decided_by == registers.coordinator


def test_statistician_may_decide_and_bad_decision_is_refused(registers: Registers) -> None:
    _run()
    pair = _pair(registers.ngo_kovalenko, registers.police_kovalenko)
    client = logged_in(registers.statistician)
    client.post(f"/linkage/pairs/{pair.id}/decide/", {"decision": "maybe"})
    pair.refresh_from_db()
    assert pair.decision == Decision.PENDING
    client.post(f"/linkage/pairs/{pair.id}/decide/", {"decision": "unsure"})
    pair.refresh_from_db()
    assert pair.decision == Decision.UNSURE


def test_unmerge_asks_for_confirmation_first(registers: Registers) -> None:
    _run()
    pair = _pair(registers.ngo_kovalenko, registers.police_kovalenko)
    client = logged_in(registers.coordinator)
    client.post(f"/linkage/pairs/{pair.id}/decide/", {"decision": "same"})
    confirm = client.get(f"/linkage/pairs/{pair.id}/unmerge/")
    assert confirm.status_code == 200
    assert services.national_id(pair.right_id) == pair.left_id  # nothing changed yet
    client.post(f"/linkage/pairs/{pair.id}/unmerge/")
    assert services.national_id(pair.right_id) == pair.right_id


def test_overview_shows_count_band_and_run_progress(registers: Registers) -> None:
    client = logged_in(registers.coordinator)
    client.post("/linkage/runs/", {"kind": "full"})
    queued = client.get("/linkage/")
    html = queued.content.decode()
    assert 'http-equiv="refresh"' in html  # a run in progress refreshes the page
    run = LinkageRun.objects.get()
    services.execute_run(run.id)
    html = client.get("/linkage/").content.decode()
    assert 'http-equiv="refresh"' not in html
    assert "<strong>3</strong>" in html
    assert "теж враховується, якщо кожна пара між двома групами" in html  # Ukrainian by default
    with override_settings(OPENNRM_LINKAGE_CORROBORATION_THRESHOLD=0.99):  # taken at 0.95
        assert "теж враховується" not in client.get("/linkage/").content.decode()


# --- the caseworker's hint ----------------------------------------------------------------------


HINT = "may be known to another agency"


def _hints(case: Case) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="linkage.hint_shown", object_id=str(case.id)))


@override_settings(LANGUAGE_CODE="en")
def test_a_match_only_the_model_found_gives_no_hint(registers: Registers, caseworker: User) -> None:
    """No oracle: however probable the model finds a pair, the caseworker learns nothing."""
    client = logged_in(caseworker)
    client.cookies["opennrm-language"] = "en"
    url = f"/cases/{registers.ngo_shevchenko.id}/"
    assert HINT not in client.get(url).content.decode()
    _run()
    pair = _pair(registers.ngo_shevchenko, registers.police_shevchenko)
    assert pair.decision == Decision.PENDING
    assert pair.probability >= settings.OPENNRM_LINKAGE_MATCH_THRESHOLD  # counted as one
    assert HINT not in client.get(url).content.decode()
    services.decide(actor=actor_for(registers.coordinator), pair=pair, decision=Decision.UNSURE)
    assert HINT not in client.get(url).content.decode()
    assert AuditEvent.objects.filter(action="linkage.hint_shown").count() == 0


@override_settings(LANGUAGE_CODE="en")
def test_caseworker_learns_only_that_a_confirmed_match_is_known_elsewhere(
    registers: Registers, caseworker: User
) -> None:
    _run()
    client = logged_in(caseworker)
    client.cookies["opennrm-language"] = "en"
    url = f"/cases/{registers.ngo_shevchenko.id}/"
    pair = _pair(registers.ngo_shevchenko, registers.police_shevchenko)
    services.decide(actor=actor_for(registers.coordinator), pair=pair, decision=Decision.SAME)
    html = client.get(url).content.decode()
    assert HINT in html
    assert "Police unit" not in html  # never which agency
    assert "Александр" not in html  # nor what it holds
    # Every showing is audited, with the case id only.
    [event] = _hints(registers.ngo_shevchenko)
    assert event.object_type == "case"
    assert event.detail == {}
    assert event.actor_id == caseworker.id
    assert HINT in client.get(url).content.decode()
    assert len(_hints(registers.ngo_shevchenko)) == 2
    # Bondar is registered by one agency only; Kovalenko's pair was never reviewed.
    assert HINT not in client.get(f"/cases/{registers.ngo_bondar.id}/").content.decode()
    kovalenko = f"/cases/{registers.ngo_kovalenko.id}/"
    assert HINT not in client.get(kovalenko).content.decode()
    assert AuditEvent.objects.filter(action="linkage.hint_shown").count() == 2


@override_settings(LANGUAGE_CODE="en")
def test_hint_disappears_when_the_merge_is_undone_and_can_be_switched_off(
    registers: Registers, caseworker: User
) -> None:
    _run()
    client = logged_in(caseworker)
    client.cookies["opennrm-language"] = "en"
    url = f"/cases/{registers.ngo_kovalenko.id}/"
    coordinator = actor_for(registers.coordinator)
    pair = _pair(registers.ngo_kovalenko, registers.police_kovalenko)
    services.decide(actor=coordinator, pair=pair, decision=Decision.SAME)
    assert HINT in client.get(url).content.decode()
    with override_settings(OPENNRM_LINKAGE_HINT=False):
        assert HINT not in client.get(url).content.decode()
    assert len(_hints(registers.ngo_kovalenko)) == 1  # not shown, not audited
    services.unmerge(actor=coordinator, pair=pair)
    assert HINT not in client.get(url).content.decode()
    services.decide(actor=coordinator, pair=pair, decision=Decision.SAME)
    assert HINT in client.get(url).content.decode()
    services.decide(actor=coordinator, pair=pair, decision=Decision.DIFFERENT)
    assert HINT not in client.get(url).content.decode()
    assert len(_hints(registers.ngo_kovalenko)) == 2


def test_linkage_audit_events_hold_ids_and_codes_only(registers: Registers) -> None:
    _run()
    pair = _pair(registers.ngo_shevchenko, registers.police_shevchenko)
    services.decide(actor=actor_for(registers.coordinator), pair=pair, decision=Decision.SAME)
    events = AuditEvent.objects.filter(object_type="linkage")
    assert events.count() == 4  # run started, run finished, decided, merged
    for event in events:
        uuid.UUID(event.object_id)  # a run or a pair, never a person's name
        text = repr(event.detail)
        for value in ("Шевченко", "Shevchenko", "Олександр", "1987"):
            assert value not in text


def test_the_queue_lists_the_matches_the_count_holds_apart(registers: Registers) -> None:
    from opennrm.reports import facts

    run = _run()
    r = registers
    shevchenko = [r.ngo_shevchenko, r.police_shevchenko, r.police_shevchenko_latin]
    for one, two in ((0, 1), (0, 2), (1, 2)):
        CandidatePair.objects.update_or_create(
            **_ends(shevchenko[one], shevchenko[two]),
            defaults={"run": run, "probability": 0.99, "weight": 8.0},
        )
    # Bondar matched to one of the three Shevchenko registrations only: 1 of the 3 pairs
    # across, not more than a third: the count holds the match apart.
    held = CandidatePair.objects.create(
        run=run, **_ends(r.ngo_bondar, r.ngo_shevchenko), probability=0.96, weight=5.0
    )
    counted = _pair(r.ngo_kovalenko, r.police_kovalenko)
    assert counted.probability >= 0.95
    client = logged_in(r.coordinator)
    assert '/linkage/queue/?show=held_apart"' in client.get("/linkage/").content.decode()
    assert facts.current() is None  # counted on demand
    page = client.get("/linkage/queue/?show=held_apart").content.decode()
    assert f"/linkage/pairs/{held.id}/" in page
    assert f"/linkage/pairs/{counted.id}/" not in page
    assert "<td>дві особи</td>" in page
    assert "<td>одна особа</td>" not in page
    # Read from the kept facts once they are current: the same pair.
    facts.refresh()
    assert facts.current() is not None
    kept = facts.held_apart(queries.review_queue(show="held_apart"))
    assert kept is not None
    assert list(kept) == [held]
    assert (
        f"/linkage/pairs/{held.id}/"
        in client.get("/linkage/queue/?show=held_apart").content.decode()
    )
    listed = client.get("/api/v1/linkage/queue/?show=held_apart").json()
    assert [row["id"] for row in listed["results"]] == [str(held.id)]
    assert listed["results"][0]["counted_as_one"] is False
    # A reviewer's "same person" takes it out of the list (it is decided, and counted as one).
    client.post(f"/linkage/pairs/{held.id}/decide/", {"decision": "same"})
    again = client.get("/linkage/queue/?show=held_apart").content.decode()
    assert f"/linkage/pairs/{held.id}/" not in again
    assert "Підрахунок не тримає окремо жодного збігу" in again  # no other match held apart


def test_the_held_apart_list_waits_for_the_count_on_a_large_register(
    registers: Registers, monkeypatch: pytest.MonkeyPatch
) -> None:
    from opennrm.reports import facts

    _run()
    monkeypatch.setattr(facts, "HELD_APART_ON_DEMAND", 0)
    client = logged_in(registers.coordinator)
    page = client.get("/linkage/queue/?show=held_apart")
    assert page.status_code == 200
    assert "Підрахунок осіб оновлюється" in page.content.decode()
    api = client.get("/api/v1/linkage/queue/?show=held_apart")
    assert api.status_code == 503
    assert api["Retry-After"] == "60"
