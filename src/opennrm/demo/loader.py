"""Synthetic demo data: believable agencies, users and cases that reproduce published figures.

Every name is generated; no real person's data is here. The plan (`demo.plan`) decides what
exists; this module writes it through the ordinary services, so encryption, blind indexes and the
audit trail are real. Everything is written in one transaction, and only once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction

from opennrm.accounts.models import User
from opennrm.accounts.services import create_user
from opennrm.cases.models import Case
from opennrm.cases.services import (
    CaseInput,
    EventInput,
    PersonInput,
    record_consent,
    register_case,
)
from opennrm.core.ages import PartialDate
from opennrm.core.codes import ROLE, code_list
from opennrm.demo.cast import AGENCIES
from opennrm.demo.justice import load_justice
from opennrm.demo.perpetrators import load_perpetrators
from opennrm.demo.plan import PlannedPerson, PlannedRegistration, all_registrations, build_plan
from opennrm.demo.training import load_training
from opennrm.demo.workflow import load_workflow
from opennrm.linkage import queries as linkage_queries
from opennrm.linkage import services as linkage_services
from opennrm.linkage.models import CandidatePair
from opennrm.people.identity import Identity
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from opennrm.tenancy.services import add_agency, add_membership, set_agency_names

DEMO_PASSWORD = "demo-nrm-2016!"  # noqa: S105 (printed by `opennrm demo`, demo only)
PROGRESS_EVERY = 250


def demo_present() -> bool:
    """True when any demo agency already exists."""
    return Agency.objects.filter(name__in=[spec.name for spec in AGENCIES]).exists()


def _inputs(
    person: PlannedPerson, reg: PlannedRegistration, agency: Agency
) -> tuple[PersonInput, CaseInput]:
    identity = Identity(
        first_name=reg.first_name,
        middle_name=reg.middle_name,
        family_name=reg.family_name,
        aliases=list(reg.aliases),
        birth_date=PartialDate.parse(reg.birth),
        place_of_stay=reg.place_of_stay,
    )
    person_input = PersonInput(
        identity=identity,
        gender=person.gender,
        citizenships=[person.citizenship],
        is_idp=person.is_idp,
        origin_oblast=person.origin_oblast,
    )
    case_input = CaseInput(
        identified_on=reg.identified_on,
        identification_country=reg.identification_country,
        identification_oblast=reg.identification_oblast,
        identifying_agency=agency,
        channel=reg.channel,
        trafficking_status=reg.trafficking_status,
        status_decision_org=reg.status_decision_org,
        relationship_to_recruiter=reg.relationship_to_recruiter,
        multi={name: list(values) for name, values in reg.multi.items()},
        events=[
            EventInput(e.type, e.country, e.oblast, e.started_on, e.ended_on) for e in reg.events
        ],
        status=reg.status,
        closure_reason=reg.closure_reason,
    )
    return person_input, case_input


def _people_and_places() -> tuple[dict[str, Agency], dict[str, Actor]]:
    """Create the agencies and their users; return agencies by key and actors by username."""
    agencies: dict[str, Agency] = {}
    users: dict[str, User] = {}
    for spec in AGENCIES:
        agency = add_agency(name=spec.name, kind=spec.kind, oblast=spec.oblast)
        set_agency_names(agency=agency, name_uk=spec.name_uk, name_en=spec.name)
        agencies[spec.key] = agency
        for username, role in spec.users:
            user = create_user(
                username=username,
                password=DEMO_PASSWORD,
                initial=True,
                # Notifications are e-mailed (to files in the demo: settings, cli.py).
                email=f"{username}@demo.opennrm.invalid",
            )
            add_membership(user=user, agency=agency, role=role)
            users[username] = user
    actors = {
        spec.registrar: actor_for(users[spec.registrar]) for spec in AGENCIES if spec.registrar
    }
    return agencies, actors


def load_demo(progress: Callable[[str], None]) -> bool:
    """Create the demo agencies, users and cases; False (and nothing created) if present."""
    if demo_present():
        return False
    rows = all_registrations(build_plan())
    total = len(rows)
    with transaction.atomic():
        if demo_present():  # created meanwhile by another process
            return False
        agencies, actors = _people_and_places()
        progress(f"{len(agencies)} agencies, {sum(len(s.users) for s in AGENCIES)} users")
        cases: list[Case] = []
        for done, (person, reg) in enumerate(rows, start=1):
            actor = actors[reg.username]
            person_input, case_input = _inputs(person, reg, agencies[reg.agency])
            case = register_case(actor=actor, person=person_input, case=case_input)
            cases.append(case)
            if reg.consent is not None:
                consent = reg.consent
                record_consent(
                    actor=actor,
                    case=case,
                    legal_basis=consent.legal_basis,
                    purposes=list(consent.purposes),
                    data_categories=list(consent.data_categories),
                    recipient=agencies[consent.recipient] if consent.recipient else None,
                    given_on=consent.given_on,
                    given_by=consent.given_by,
                    representative_role=consent.representative_role,
                )
            if done % PROGRESS_EVERY == 0 or done == total:
                progress(f"cases {done}/{total}")
        work = load_workflow(rows, cases, agencies)
        progress(
            f"work in progress: {len(work.providers)} providers, {len(work.referrals)} "
            f"referrals, {len(work.status_files)} status files, "
            f"{len(work.screenings)} screenings"
        )
        justice = load_justice(cases, agencies)
        progress(
            f"criminal proceedings: {justice.proceedings} registered in January-September 2016, "
            f"{justice.participants} victims and witnesses taking part, {justice.convictions} "
            f"convictions, {justice.shared_cases} NGO cases shared with the police"
        )
        training = load_training(agencies)
        progress(
            f"capacity building: {training.trainings} trainings in 2016 (three in Odesa in "
            f"November), {training.participations} participations, {training.certificates} "
            f"certificates, {training.equipment} items of equipment handed over"
        )
        # Record linkage over every registration, so the coordinator's review queue and the
        # caseworkers' hints are there from the start (later runs go through the worker).
        run = linkage_services.execute_run(linkage_services.start_run(actor=None, enqueue=False).id)
        reviewed = _review_as_the_coordinator(
            rows, cases, actor_for(User.objects.get(username="msp.coordinator"))
        )
        progress(
            f"record linkage: {run.record_count} registrations, {run.pair_count} candidate pairs, "
            f"{run.match_count} matches; the coordinator has reviewed {reviewed} pairs"
        )
        # Who traffics and where people are found (issue 14), after the linkage run: the persons
        # the border checks found wait, like any new registration, for the next run.
        found = load_perpetrators(rows, cases, agencies)
        progress(
            f"who traffics and where people are found: {found.idp_incidents} IDP incidents in "
            f"2015-16 ({found.persons_in_incidents} persons), {found.brokers} brokers "
            f"({found.alerts} alert on a shared phone), {found.stops} stops at the border "
            f"({found.persons_stopped} persons), {found.operations} border checks with "
            f"{found.persons_found} persons found, {found.mla_requests} MLA requests"
        )
    return True


REVIEWED_UNTIL = dt.date(2016, 9, 30)


def _review_as_the_coordinator(
    rows: list[tuple[PlannedPerson, PlannedRegistration]], cases: list[Case], coordinator: Actor
) -> int:
    """The coordinator's past work: every possible match that involves a registration made up
    to the end of September 2016 is decided (synthetic data: the plan says who is who); pairs
    of later registrations are left in the queue for the demo's users."""
    number = {
        case.person_id: person.number for (person, _reg), case in zip(rows, cases, strict=True)
    }
    identified = {case.person_id: case.identified_on for case in cases}
    reviewed = 0
    for pair in list(linkage_queries.review_queue()):
        if min(identified[pair.left_id], identified[pair.right_id]) > REVIEWED_UNTIL:
            continue
        same = number[pair.left_id] == number[pair.right_id]
        decision = CandidatePair.Decision.SAME if same else CandidatePair.Decision.DIFFERENT
        linkage_services.decide(actor=coordinator, pair=pair, decision=decision)
        reviewed += 1
    # She also checks the automatic matches of that period and undoes the wrong ones (two
    # persons whose names agree, rare in this register, and nothing else tells them apart).
    for pair in list(linkage_queries.review_queue(show="automatic")):
        if min(identified[pair.left_id], identified[pair.right_id]) > REVIEWED_UNTIL:
            continue
        if number[pair.left_id] != number[pair.right_id]:
            linkage_services.decide(
                actor=coordinator, pair=pair, decision=CandidatePair.Decision.DIFFERENT
            )
            reviewed += 1
    return reviewed


def demo_logins() -> list[tuple[str, list[tuple[str, str]]]]:
    """(agency name, [(username, role label)]) for every demo agency with logins."""
    roles = code_list(ROLE)
    return [
        (spec.name, [(username, roles.get(role).label_en) for username, role in spec.users])
        for spec in AGENCIES
        if spec.users
    ]
