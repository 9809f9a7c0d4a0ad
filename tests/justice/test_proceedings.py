"""The criminal-justice chain: ERDR numbers, the stage table, participants, suspects, judgments,
protection, compensation, non-punishment, and the gate that keeps the justice file apart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from opennrm.access import justice as gate
from opennrm.access import policy
from opennrm.access.roles import (
    PROCEEDING_ADJUDICATE,
    PROCEEDING_PROSECUTE,
    PROCEEDING_RECORD,
    ROLE_PERMISSIONS,
)
from opennrm.access.scope import field_scope
from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.core.workflow import IllegalTransition
from opennrm.justice import queries, services
from opennrm.justice import workflow as wf
from opennrm.justice.erdr import erdr_problems
from opennrm.justice.suspects import SuspectIdentity, open_identity
from opennrm.nrm.referrals.services import accept_referral, refer_case
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import record_basis

ERDR = "12016220000000123"
REGISTERED_ON = dt.date(2016, 3, 2)


@pytest.mark.parametrize(
    ("number", "registered_on", "reason"),
    [
        ("", REGISTERED_ON, "required"),
        ("1201622000000012", REGISTERED_ON, "17 digits; this one has 16"),
        ("120162200000001234", REGISTERED_ON, "17 digits; this one has 18"),
        ("1201622000000012a", REGISTERED_ON, "digits only"),
        ("１2016220000000123", REGISTERED_ON, "digits only"),  # a full-width digit
        ("12011220000000123", REGISTERED_ON, "before the register opened"),
        ("12015220000000123", REGISTERED_ON, "encodes the year 2015"),
    ],
)
def test_a_bad_erdr_number_is_refused_with_its_reason(
    number: str, registered_on: dt.date, reason: str, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        problems = erdr_problems(number, registered_on)
    assert len(problems) == 1
    assert reason in problems[0]


def test_a_good_erdr_number_passes() -> None:
    assert erdr_problems(ERDR, REGISTERED_ON) == []


def registered(people: dict[str, Actor], prosecutors: Agency) -> Any:
    return services.register_proceeding(
        actor=people["investigator"],
        erdr_number=ERDR,
        registered_on=REGISTERED_ON,
        article="149.2",
        prosecution_agency=prosecutors,
        prosecutor=people["prosecutor"].user,
    )


def test_register_keeps_the_qualification_history(
    people: dict[str, Actor], prosecutors: Agency
) -> None:
    proceeding = registered(people, prosecutors)
    services.requalify(
        actor=people["investigator"],
        proceeding=proceeding,
        article="149.3",
        since=dt.date(2016, 5, 1),
    )
    history = [(q.article, q.since) for q in proceeding.qualifications.all()]
    assert history == [("149.2", REGISTERED_ON), ("149.3", dt.date(2016, 5, 1))]
    assert proceeding.article == "149.3"
    events = AuditEvent.objects.filter(object_id=str(proceeding.id)).values_list(
        "action", flat=True
    )
    assert list(events) == ["proceeding.registered", "proceeding.requalified"]


def test_a_duplicate_erdr_number_is_refused(people: dict[str, Actor], prosecutors: Agency) -> None:
    registered(people, prosecutors)
    with pytest.raises(ValidationError) as error:
        registered(people, prosecutors)
    assert "erdr_number" in error.value.message_dict


def test_the_story_from_registration_to_a_judgment_in_force(
    people: dict[str, Actor], prosecutors: Agency, court: Agency
) -> None:
    investigator, prosecutor, judge = people["investigator"], people["prosecutor"], people["judge"]
    proceeding = registered(people, prosecutors)
    services.advance(
        actor=investigator, proceeding=proceeding, action=wf.START_INVESTIGATION, on=REGISTERED_ON
    )
    suspect = services.add_suspect(
        actor=investigator,
        proceeding=proceeding,
        identity=SuspectIdentity(first_name="Гнат", family_name="Вербовський", birth_date="1979"),
        role="Recruiter",
        gender="Masculine",
        citizenship="UA",
    )
    services.advance(
        actor=investigator,
        proceeding=proceeding,
        action=wf.NOTIFY_SUSPICION,
        on=dt.date(2016, 4, 1),
    )
    with pytest.raises(ValidationError) as error:
        services.advance(
            actor=prosecutor,
            proceeding=proceeding,
            action=wf.SEND_INDICTMENT,
            on=dt.date(2016, 9, 1),
        )
    assert "court" in error.value.message_dict
    services.advance(
        actor=prosecutor,
        proceeding=proceeding,
        action=wf.SEND_INDICTMENT,
        on=dt.date(2016, 9, 1),
        court=court,
    )
    suspect.refresh_from_db()
    assert suspect.status == "Accused"
    services.advance(
        actor=judge, proceeding=proceeding, action=wf.OPEN_TRIAL, on=dt.date(2016, 10, 3)
    )
    services.schedule_hearing(actor=judge, proceeding=proceeding, on=dt.date(2016, 11, 14))
    services.record_judgment(
        actor=judge,
        proceeding=proceeding,
        suspect=suspect,
        decided_on=dt.date(2017, 2, 20),
        verdict="Conviction",
        sentence_type="Imprisonment",
        sentence_months=96,
        confiscation=True,
    )
    services.advance(
        actor=judge, proceeding=proceeding, action=wf.DELIVER_VERDICT, on=dt.date(2017, 2, 20)
    )
    services.advance(
        actor=judge, proceeding=proceeding, action=wf.ENTER_INTO_FORCE, on=dt.date(2017, 3, 23)
    )
    proceeding.refresh_from_db()
    suspect.refresh_from_db()
    assert proceeding.stage == wf.IN_FORCE
    assert proceeding.court_id == court.id
    assert suspect.status == "Convicted"
    assert [s.to_stage for s in proceeding.steps.all()] == [
        wf.INVESTIGATION,
        wf.SUSPICION,
        wf.INDICTMENT,
        wf.TRIAL,
        wf.VERDICT,
        wf.IN_FORCE,
    ]
    assert open_identity(suspect).family_name == "Вербовський"


ILLEGAL = [
    (state, t.action)
    for state in wf.WORKFLOW.states
    for t in wf.WORKFLOW.transitions
    if state not in t.source
]


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_every_illegal_stage_transition_is_refused(
    state: str, action: str, people: dict[str, Actor], prosecutors: Agency
) -> None:
    proceeding = registered(people, prosecutors)
    proceeding.stage = state
    proceeding.save(update_fields=["stage"])
    with pytest.raises(IllegalTransition):
        services.advance(
            actor=people["investigator"], proceeding=proceeding, action=action, on=REGISTERED_ON
        )


def test_closing_needs_a_ground_of_article_284(
    people: dict[str, Actor], prosecutors: Agency
) -> None:
    proceeding = registered(people, prosecutors)
    with pytest.raises(ValidationError) as error:
        services.advance(
            actor=people["investigator"], proceeding=proceeding, action=wf.CLOSE, on=REGISTERED_ON
        )
    assert "closure_ground" in error.value.message_dict
    services.advance(
        actor=people["investigator"],
        proceeding=proceeding,
        action=wf.CLOSE,
        on=REGISTERED_ON,
        closure_ground="NoEvidence",
    )
    assert proceeding.stage == wf.CLOSED


def test_each_side_takes_only_its_own_steps(
    people: dict[str, Actor], prosecutors: Agency, make_user: Callable[..., User], police: Agency
) -> None:
    proceeding = registered(people, prosecutors)
    assert gate.may(people["investigator"], proceeding, PROCEEDING_RECORD)
    assert not gate.may(people["investigator"], proceeding, PROCEEDING_PROSECUTE)
    assert gate.may(people["prosecutor"], proceeding, PROCEEDING_PROSECUTE)
    assert not gate.may(people["prosecutor"], proceeding, PROCEEDING_RECORD)
    # The judge's court has not received it: the proceeding is hidden from the judge.
    with pytest.raises(Http404):
        gate.get_proceeding_for(people["judge"], proceeding.id, PROCEEDING_ADJUDICATE)
    # Another police unit's investigator: hidden too.
    other_unit = Agency.objects.create(name="Police, Lviv (synthetic)", kind="NationalPolice")
    stranger = actor_for(make_user("s.investigator", other_unit, "investigator"))
    with pytest.raises(Http404):
        gate.get_proceeding_for(stranger, proceeding.id)
    # A caseworker of the registering unit has no justice role: hidden.
    clerk = actor_for(make_user("c.clerk", police, "caseworker"))
    assert not gate.visible_proceedings(clerk).exists()
    with pytest.raises(PermissionDenied):
        gate.get_proceeding_for(people["prosecutor"], proceeding.id, PROCEEDING_RECORD)


def test_judges_read_proceedings_only_and_never_cases() -> None:
    judge = ROLE_PERMISSIONS["judge"]
    assert "proceeding.view" in judge
    assert "proceeding.adjudicate" in judge
    assert not {p for p in judge if p.startswith(("case.", "person.", "assistance."))}


@pytest.fixture
def victim_case(make_case: Callable[..., Case], actor_a: Actor) -> Case:
    return make_case(actor_a)


def share_for_proceedings(
    actor_a: Actor, case: Case, police: Agency, people: dict[str, Actor], categories: list[str]
) -> None:
    record_basis(actor_a, case, "CriminalProceedings", tuple(categories), recipient=police)
    referral = refer_case(
        actor=actor_a,
        case=case,
        to_agency=police,
        purpose="CriminalProceedings",
        data_categories=categories,
    )
    accept_referral(actor=people["investigator"], referral=referral)


def test_a_share_for_criminal_proceedings_never_shows_health_or_psychosocial(
    actor_a: Actor, victim_case: Case, police: Agency, people: dict[str, Actor]
) -> None:
    share_for_proceedings(
        actor_a,
        victim_case,
        police,
        people,
        ["Identity", "CaseFacts", "Health", "Psychosocial", "Justice"],
    )
    shown = field_scope(people["investigator"]).categories(victim_case)
    assert shown == {"Case", "Identity", "CaseFacts", "Justice"}
    assert policy.case_access(people["investigator"], victim_case).categories == shown


def test_a_case_is_linked_only_through_ownership_or_a_share_for_proceedings(
    actor_a: Actor,
    victim_case: Case,
    police: Agency,
    people: dict[str, Actor],
    prosecutors: Agency,
) -> None:
    with pytest.raises(Http404):
        gate.get_case_to_link(people["investigator"], victim_case.id)
    record_basis(actor_a, victim_case, "Legal", ("Identity",), recipient=police)
    referral = refer_case(
        actor=actor_a,
        case=victim_case,
        to_agency=police,
        purpose="Legal",
        data_categories=["Identity"],
    )
    accept_referral(actor=people["investigator"], referral=referral)
    with pytest.raises(PermissionDenied):
        gate.get_case_to_link(people["investigator"], victim_case.id)
    share_for_proceedings(actor_a, victim_case, police, people, ["Identity", "Justice"])
    case = gate.get_case_to_link(people["investigator"], victim_case.id)
    proceeding = registered(people, prosecutors)
    participant = services.add_participant(
        actor=people["investigator"],
        proceeding=proceeding,
        case=case,
        role="InjuredParty",
        willing_to_testify=True,
        questioned_on=dt.date(2016, 3, 10),
        questioning_mode="ChildFriendlyRoom",
    )
    assert participant.case_id == victim_case.id
    with pytest.raises(ValidationError):
        services.add_participant(
            actor=people["investigator"], proceeding=proceeding, case=case, role="Witness"
        )


def test_milestones_say_number_article_stage_next_hearing_and_protection(
    actor_a: Actor,
    victim_case: Case,
    police: Agency,
    people: dict[str, Actor],
    prosecutors: Agency,
    court: Agency,
) -> None:
    share_for_proceedings(actor_a, victim_case, police, people, ["Identity", "Justice"])
    proceeding = registered(people, prosecutors)
    participant = services.add_participant(
        actor=people["investigator"], proceeding=proceeding, case=victim_case, role="InjuredParty"
    )
    measure = services.request_protection(
        actor=people["investigator"],
        participant=participant,
        measure="PersonalProtection",
        requested_on=dt.date(2016, 4, 2),
    )
    services.decide_protection(
        actor=people["investigator"],
        measure=measure,
        decision="Granted",
        decided_on=dt.date(2016, 4, 5),
        valid_from=dt.date(2016, 4, 5),
        valid_until=dt.date(2017, 4, 5),
    )
    services.advance(
        actor=people["investigator"],
        proceeding=proceeding,
        action=wf.NOTIFY_SUSPICION,
        on=dt.date(2016, 4, 1),
    )
    services.add_suspect(
        actor=people["investigator"],
        proceeding=proceeding,
        identity=SuspectIdentity(family_name="Ловчий"),
        role="Broker",
    )
    services.advance(
        actor=people["prosecutor"],
        proceeding=proceeding,
        action=wf.SEND_INDICTMENT,
        on=dt.date(2016, 9, 1),
        court=court,
    )
    services.schedule_hearing(actor=people["judge"], proceeding=proceeding, on=dt.date(2017, 3, 14))
    rows = queries.milestones(victim_case, today=dt.date(2017, 1, 10))
    assert rows == [
        queries.Milestone(
            erdr_number=ERDR,
            article="149.2",
            stage=wf.INDICTMENT,
            role="InjuredParty",
            next_hearing=dt.date(2017, 3, 14),
            protection="Granted",
        )
    ]


def test_compensation_and_non_punishment_are_checked(
    actor_a: Actor,
    victim_case: Case,
    police: Agency,
    people: dict[str, Actor],
    prosecutors: Agency,
) -> None:
    share_for_proceedings(actor_a, victim_case, police, people, ["Identity", "Justice"])
    proceeding = registered(people, prosecutors)
    participant = services.add_participant(
        actor=people["investigator"], proceeding=proceeding, case=victim_case, role="InjuredParty"
    )
    with pytest.raises(ValidationError) as error:
        services.record_compensation(
            actor=people["prosecutor"],
            participant=participant,
            route="CivilClaimInProceeding",
            claimed_uah=Decimal("50000"),
            awarded_uah=Decimal("20000"),
            paid_uah=Decimal("30000"),
        )
    assert "paid_uah" in error.value.message_dict
    item = services.record_compensation(
        actor=people["prosecutor"],
        participant=participant,
        route="CivilClaimInProceeding",
        claimed_uah=Decimal("50000"),
        awarded_uah=Decimal("20000"),
        paid_uah=Decimal("5000"),
    )
    assert item.awarded_uah == Decimal("20000")
    request = services.record_non_punishment(
        actor=people["prosecutor"],
        case=victim_case,
        liability="Administrative",
        requested_on=dt.date(2016, 5, 1),
        proceeding=proceeding,
    )
    services.decide_non_punishment(
        actor=people["prosecutor"],
        request=request,
        outcome="Released",
        decided_on=dt.date(2016, 6, 1),
    )
    request.refresh_from_db()
    assert request.outcome == "Released"


def test_investigation_deadlines_follow_article_219(
    people: dict[str, Actor], prosecutors: Agency
) -> None:
    proceeding = registered(people, prosecutors)
    assert queries.investigation_deadline(proceeding) == dt.date(2017, 9, 2)  # 18 months
    services.advance(
        actor=people["investigator"],
        proceeding=proceeding,
        action=wf.NOTIFY_SUSPICION,
        on=dt.date(2016, 4, 30),
    )
    assert queries.investigation_deadline(proceeding) == dt.date(2017, 4, 30)  # 12 months
    overdue = queries.filter_proceedings(
        gate.visible_proceedings(people["investigator"]),
        queries.ProceedingFilters(overdue=True),
        today=dt.date(2017, 5, 1),
    )
    assert list(overdue) == [proceeding]
    not_yet = queries.filter_proceedings(
        gate.visible_proceedings(people["investigator"]),
        queries.ProceedingFilters(overdue=True),
        today=dt.date(2017, 4, 29),
    )
    assert list(not_yet) == []
