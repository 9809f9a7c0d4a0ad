"""The demo data: the plan reproduces the published figures; the loader writes it once."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter
from typing import Any

import pytest

from opennrm.access import perpetrators as perpetrator_gate
from opennrm.access import policy, roles
from opennrm.access import statistics as stats_gate
from opennrm.access import status as status_gate
from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.audit.services import verify_chain
from opennrm.cases.models import Case, Consent
from opennrm.cases.services import validate_inputs
from opennrm.core.codes import ROLE, code_list
from opennrm.demo import facts, frequencies
from opennrm.demo.cast import AGENCIES, AGENCY_BY_KEY
from opennrm.demo.loader import DEMO_PASSWORD, _inputs, demo_logins, load_demo
from opennrm.demo.names import FATHERS, MEN, SURNAMES, WOMEN, FullName
from opennrm.demo.perpetrators import CHECKS, PARTNER_NGO
from opennrm.demo.plan import PlannedPerson, all_registrations, build_plan
from opennrm.demo.workflow import PAST_STORIES, STORIES, WorkflowPlan, plan_workflow
from opennrm.justice.models import Proceeding
from opennrm.justice.perpetrators import Alert, MlaRequest
from opennrm.linkage.models import LinkageRun
from opennrm.nrm.assistance.models import ServiceDelivery, ServiceProvider, SupportPlan
from opennrm.nrm.referrals import timeline as referral_timeline
from opennrm.nrm.referrals.models import Referral
from opennrm.nrm.screening import timeline as screening_timeline
from opennrm.nrm.screening.models import Screening
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.models import OneTimePayment, StatusApplication
from opennrm.people.identity import open_identity
from opennrm.people.models import Person
from opennrm.reports.indicators import Filters, compute
from opennrm.tenancy.actor import actor_for
from opennrm.tenancy.models import Agency, Membership
from tests.conftest import logged_in

JAN, SEP_END = dt.date(2016, 1, 1), dt.date(2016, 9, 30)
LABOUR = "LabourExploitation"


@pytest.fixture(scope="module")
def everyone() -> list[PlannedPerson]:
    return build_plan()


@pytest.fixture(scope="module")
def plan(everyone: list[PlannedPerson]) -> list[PlannedPerson]:
    """IOM's persons: the published figures are IOM Ukraine's own."""
    return [p for p in everyone if p.by_iom]


def first_identified(
    plan: list[PlannedPerson], start: dt.date, end: dt.date
) -> list[PlannedPerson]:
    return [p for p in plan if start <= p.first_identified_on <= end]


def test_january_september_2016_has_777_persons_466_of_them_men(
    plan: list[PlannedPerson],
) -> None:
    persons = first_identified(plan, JAN, SEP_END)
    assert len(persons) == 777
    males = [p for p in persons if p.gender == "Masculine"]
    assert len(males) == 466
    assert all(p.age >= 18 for p in males)  # men by sex alone and by sex and age alike
    assert round(100 * len(males) / len(persons)) == 60
    groups = Counter(p.group for p in persons)
    assert groups == {"man": 466, "woman": 297, "girl": 14}


def test_forced_labour_is_93_percent_in_what_the_registrations_say(
    plan: list[PlannedPerson],
) -> None:
    persons = first_identified(plan, JAN, SEP_END)
    labour = [p for p in persons if LABOUR in p.first.multi["ua_exploitation"]]
    assert len(labour) == 723
    assert round(100 * len(labour) / len(persons)) == 93
    assert {p.form for p in labour} == {LABOUR}
    others = Counter(p.form for p in persons if p not in labour)
    assert others["SexualExploitation"] > others["Begging"] > 0
    industries = Counter(code for p in labour for code in p.first.multi["vic_ForcedLabourIndustry"])
    assert industries.most_common(1)[0][0] == "F_Construction"


def test_exploited_mainly_in_russia_then_poland_then_inside_ukraine(
    plan: list[PlannedPerson],
) -> None:
    persons = first_identified(plan, JAN, SEP_END)
    countries = Counter(
        e.country for p in persons for e in p.first.events if e.type == "Exploitation"
    )
    assert sum(countries.values()) == 777
    ranked = [country for country, _n in countries.most_common()]
    assert ranked[:3] == ["RU", "PL", "UA"]
    assert 0.64 < countries["RU"] / 777 < 0.72  # H1 2016: Russia 68%
    assert countries["PL"] > countries["UA"] > 2 * countries[ranked[3]]
    year = first_identified(plan, JAN, dt.date(2016, 12, 31))
    assert len({p.country for p in year}) == 21  # "21 countries" in 2016


def test_iom_identifies_its_persons_and_the_partners_identify_more(
    everyone: list[PlannedPerson], plan: list[PlannedPerson]
) -> None:
    for person in plan:
        assert person.first.agency == "iom"
    partners = [p for p in everyone if not p.by_iom]
    assert partners
    assert all(r.agency != "iom" for p in partners for r in p.registrations)
    national = first_identified(everyone, JAN, SEP_END)
    assert len(national) > 777 + 150  # the partners' own persons come on top of IOM's
    assert {p.first.agency for p in partners} >= {"ngo", "ngo2", "police", "border", "mfa"}


def test_19_idps_in_2015_16_and_the_2016_total(plan: list[PlannedPerson]) -> None:
    idps = [p for p in plan if p.is_idp]
    assert len(idps) == 19
    assert all(dt.date(2015, 1, 1) <= p.first_identified_on <= facts.DEMO_TODAY for p in idps)
    assert {p.origin_oblast for p in idps} <= {"UA-14", "UA-09"}
    year = first_identified(plan, JAN, dt.date(2016, 12, 31))
    assert 1140 <= len(year) <= 1160
    assert len(year) == 1151
    assert round(100 * sum(p.gender == "Masculine" for p in year) / len(year)) == 60
    assert round(100 * sum(p.form == LABOUR for p in year) / len(year)) > 90
    assert len(first_identified(plan, dt.date(2015, 1, 1), dt.date(2015, 12, 31))) == 640


def test_children_of_both_sexes_in_2015_and_2016(plan: list[PlannedPerson]) -> None:
    for start, end in ((dt.date(2015, 1, 1), dt.date(2015, 12, 31)), (JAN, facts.DEMO_TODAY)):
        groups = Counter(p.group for p in first_identified(plan, start, end))
        assert groups["girl"] > 0
        assert groups["boy"] > 0
        assert groups["man"] > groups["woman"] > groups["girl"] >= groups["boy"]
    for person in plan:
        assert (person.age < 18) is person.is_child


def test_the_nine_oblasts_are_over_represented(everyone: list[PlannedPerson]) -> None:
    plan = everyone
    nine = set(facts.NINE_OBLASTS)
    ukrainians = [p for p in plan if p.origin_oblast]
    by_oblast = Counter(p.origin_oblast for p in ukrainians)
    assert sum(by_oblast[o] for o in nine) / len(ukrainians) > 0.55  # 9 of 27 subdivisions
    others = [n for o, n in by_oblast.items() if o not in nine]
    assert min(by_oblast[o] for o in nine) > sum(others) / len(others)
    identified = [
        r.identification_oblast for p in plan for r in p.registrations if r.identification_oblast
    ]
    assert sum(o in nine for o in identified) / len(identified) > 0.55


def test_one_person_in_five_is_registered_again_under_another_spelling(
    everyone: list[PlannedPerson],
) -> None:
    plan = everyone
    registrations = all_registrations(plan)
    assert 1.15 <= len(registrations) / len(plan) <= 1.3
    repeated = [p for p in plan if len(p.registrations) > 1]
    assert 0.17 <= len(repeated) / len(plan) <= 0.23
    assert any(len(p.registrations) == 3 for p in plan)
    variants = Counter(r.variant for p in repeated for r in p.registrations[1:])
    assert set(variants) == {"other_form", "latin", "typo", "swapped", "no_birth_date"}
    for person in repeated:
        original = person.first
        agencies = [r.agency for r in person.registrations]
        assert len(set(agencies)) == len(agencies)
        for later in person.registrations[1:]:
            # The first identification defines the person's period.
            assert later.identified_on >= original.identified_on
            written = (later.first_name, later.middle_name, later.family_name, later.birth)
            assert written != (
                original.first_name,
                original.middle_name,
                original.family_name,
                original.birth,
            )
            if later.variant == "latin":
                assert later.first_name.isascii()
                assert later.family_name.isascii()
            if later.variant == "swapped":
                assert later.first_name == original.family_name
            if later.variant == "no_birth_date":
                assert later.birth == ""
    russian = [
        r for p in repeated for r in p.registrations[1:] if r.first_name in {"Александр", "Сергей"}
    ]
    assert russian


def test_every_date_is_in_2015_16_and_never_after_the_demo_today(
    everyone: list[PlannedPerson],
) -> None:
    plan = everyone
    for person in plan:
        for reg in person.registrations:
            assert dt.date(2015, 1, 1) <= reg.identified_on <= facts.DEMO_TODAY
            for event in reg.events:
                assert event.started_on is not None
                assert event.started_on <= reg.identified_on
            if reg.consent is not None:
                assert reg.identified_on <= reg.consent.given_on <= facts.DEMO_TODAY
    old = [r for p in plan for r in p.registrations if r.identified_on < dt.date(2016, 6, 1)]
    closed = [r for r in old if r.status in ("Closed", "ClosedReferred")]
    assert len(closed) / len(old) > 0.6
    assert all(r.closure_reason for r in closed)


def test_surnames_follow_ukrainian_frequencies(plan: list[PlannedPerson]) -> None:
    """The persons' names come from the long-tailed distributions (`demo.frequencies`), not
    from the head's short lists alone: most surnames are met once, the head's are the most
    frequent, and together they are borne by a few percent of the persons, as in Ukraine."""
    ukrainians = [p for p in plan if p.citizenship == "UA"]
    surnames = Counter(p.name.family_uk for p in ukrainians)
    # 1,649 surnames among 1,783 persons (the sixty of names.SURNAMES gave 64 with the
    # feminine forms).
    assert len(surnames) > 10 * len(SURNAMES)
    assert sum(n == 1 for n in surnames.values()) > len(ukrainians) / 2
    top = {s for s, _n in surnames.most_common(8)}
    assert top & {"Мельник", "Шевченко", "Коваленко", "Бондаренко"}
    head = {s.uk for s in SURNAMES} | {s.uk_f for s in SURNAMES if s.uk_f}
    assert 0.04 < sum(p.name.family_uk in head for p in ukrainians) / len(ukrainians) < 0.12
    assert len({p.name.first_uk for p in ukrainians}) > 2 * (len(MEN) + len(WOMEN))
    assert len({p.name.middle_uk for p in ukrainians}) > 2 * len(FATHERS)
    for person in ukrainians:
        _assert_name_agrees(person.name, feminine=person.gender == "Feminine")


_CYRILLIC_NAME = re.compile(r"[А-ЯЁІЇЄҐ][а-яёіїєґ'’]+(?:-[А-ЯЁІЇЄҐ][а-яёіїєґ'’]+)*")


def _assert_name_agrees(name: FullName, *, feminine: bool) -> None:
    """Cyrillic in both forms, and the surname and patronymic of the person's sex."""
    for part in (*name.written(russian=False), *name.written(russian=True)):
        assert _CYRILLIC_NAME.fullmatch(part), (part, name)
    if feminine:
        assert not name.family_uk.endswith(("ський", "цький", "ов", "ев", "єв", "ін", "ий")), name
        assert not name.family_ru.endswith(("ский", "цкий", "ов", "ев", "ый")), name
        assert name.middle_uk.endswith(("івна", "ївна")), name
        assert name.middle_ru.endswith("вна"), name
    else:
        assert not name.family_uk.endswith(("ська", "цька", "ская")), name
        assert not (len(name.family_uk) >= 6 and name.family_uk.endswith(("ова", "ева"))), name
        assert name.middle_uk.endswith("ович"), name
        assert name.middle_ru.endswith("вич"), name


def test_the_generator_draws_from_the_long_tail_in_the_persons_sex() -> None:
    rng = random.Random(2016)
    women = [frequencies.draw_name(rng, feminine=True) for _ in range(3000)]
    men = [frequencies.draw_name(rng, feminine=False) for _ in range(3000)]
    for name in women:
        _assert_name_agrees(name, feminine=True)
    for name in men:
        _assert_name_agrees(name, feminine=False)
    family = {frequencies.person_surname(n.family_uk).uk for n in (*women, *men)}
    assert len(family) > 40 * len(SURNAMES)  # about 5,000 surnames among 6,000 persons
    # The same seed gives the same names.
    again = random.Random(2016)
    assert [frequencies.draw_name(again, feminine=True) for _ in range(3000)] == women
    # A feminine-only form of the dictionary is a man's masculine form, and the other way.
    assert frequencies.person_surname("Вільчевська").form(feminine=False, russian=False) == (
        "Вільчевський"
    )
    assert frequencies.person_surname("Задорожний").form(feminine=True, russian=True) == (
        "Задорожная"
    )
    assert frequencies.patronymics("Трохим") == (
        "Трохимович",
        "Трохимівна",
        "Трофимович",
        "Трофимовна",
    )


def test_every_registration_passes_the_case_validation(everyone: list[PlannedPerson]) -> None:
    plan = everyone
    agency = Agency(name="unsaved", kind="NGO")
    for person, reg in all_registrations(plan):
        person_input, case_input = _inputs(person, reg, agency)
        validate_inputs(person_input, case_input)  # raises ValidationError on a bad code
        assert AGENCY_BY_KEY[reg.agency].registrar == reg.username


def test_the_plan_is_the_same_on_every_run(everyone: list[PlannedPerson]) -> None:
    plan = everyone
    again = build_plan()
    assert [(p.name, p.birth_date, p.country) for p in again] == [
        (p.name, p.birth_date, p.country) for p in plan
    ]
    assert [r for _p, r in all_registrations(again)] == [r for _p, r in all_registrations(plan)]
    assert plan_workflow(all_registrations(again)) == plan_workflow(all_registrations(plan))


def test_every_role_has_a_login_printed_with_its_label() -> None:
    logins = {username: role for _agency, rows in demo_logins() for username, role in rows}
    roles = code_list(ROLE)
    assert {roles.get(role).label_en for spec in AGENCIES for _u, role in spec.users} == {
        code.label_en for code in roles
    }
    assert logins["iom.caseworker"] == "Caseworker"
    assert logins["police.investigator"] == "Police investigator"
    caseworker_agencies = {
        spec.key for spec in AGENCIES for _u, role in spec.users if role == "caseworker"
    }
    assert {"iom", "ngo"} <= caseworker_agencies


@pytest.mark.django_db
def test_load_demo_writes_the_plan_once(everyone: list[PlannedPerson]) -> None:
    plan = everyone
    messages: list[str] = []
    assert load_demo(messages.append) is True
    registrations = all_registrations(plan)
    total = len(registrations)
    # The two border checks of the perpetrators demo open one minimal case per person found
    # (October-November 2016, after the January-September figures): they come on top of the
    # plan's registrations, owned by the border guards.
    found = sum(len(people) for _point, _on, people in CHECKS)
    assert f"cases {total}/{total}" in messages
    assert "cases 1000/" in " ".join(messages)
    assert messages[-5].startswith("work in progress: ")
    assert messages[-4].startswith("criminal proceedings: 86 registered in January-September 2016")
    assert messages[-3].startswith("capacity building: 7 trainings in 2016 (three in Odesa")
    # Record linkage over every registration, so the review queue has work from the start.
    assert messages[-2].startswith(f"record linkage: {total} registrations, ")
    # The border checks' persons come after the linkage run (the next run takes them).
    assert messages[-1].startswith("who traffics and where people are found: 19 IDP incidents")
    run = LinkageRun.objects.get()
    assert (run.status, run.record_count) == (LinkageRun.Status.DONE, total)
    assert run.match_count > 300  # 403 registrations repeat an earlier person

    # IOM's own statistics (its agency's scope, as its dashboard computes them) give the
    # published figures: 777 persons in January-September 2016, 60% men, forced labour 93%,
    # exploited mainly in Russia, then Poland, then inside Ukraine.
    iom = actor_for(User.objects.get(username="iom.supervisor"))
    assert policy.can(iom, roles.STATS_VIEW)
    own = compute(stats_gate.cases_in_scope(iom), Filters(JAN, SEP_END))
    assert own.persons == 777
    sexes = {row.code: row.count for row in own.table("sex_age").rows}
    assert sexes["men"] == 466
    assert round(100 * sexes["men"] / own.persons) == 60
    forms = {row.code: row.count for row in own.table("exploitation").rows}
    assert forms["LabourExploitation"] == 723
    assert round(100 * forms["LabourExploitation"] / own.persons) == 93
    ranked = [row.code for row in own.table("country").rows]
    assert ranked[:3] == ["RU", "PL", "UA"]

    # Nationally the other partners' persons come on top: the plan has 957 persons first
    # identified in the period; linkage (with the coordinator's simulated review of the
    # queue) finds NATIONAL_PERSONS, a few more: some later registrations the model never
    # pairs (same name only, no date of birth), as a real register would leave too.
    national = compute(Case.objects.all(), Filters(JAN, SEP_END))
    planned_national = len([p for p in plan if JAN <= p.first_identified_on <= SEP_END])
    assert national.persons > own.persons + 150
    assert planned_national <= national.persons <= planned_national + 8

    # The criminal-justice chain: 86 proceedings registered under art. 149 by the National
    # Police's counter-trafficking unit from January to September 2016 (the seed's figure),
    # with convictions by 2017; the stats API protects the count on its way out (85, not 86).
    proceedings = Proceeding.objects.filter(registered_on__range=(JAN, SEP_END))
    assert proceedings.count() == 86
    assert {
        p.registering_agency.kind for p in proceedings.select_related("registering_agency")
    } == {"NationalPolice"}
    assert all(p.article.startswith("149.") for p in proceedings)
    chain = compute(Case.objects.all(), Filters(JAN, SEP_END), Proceeding.objects.all()).table(
        "proceedings"
    )
    assert {r.code: r.count for r in chain.rows}["registered"] == 86
    statistician = logged_in(User.objects.get(username="msp.statistician"))
    body = statistician.get("/api/v1/stats/", {"from": "2016-01-01", "to": "2016-09-30"}).json()
    api_rows = next(t for t in body["tables"] if t["key"] == "proceedings")["rows"]
    assert {r["code"]: r["persons"] for r in api_rows}["registered"] == 85
    # Who traffics and where people are found (issue 14): the seed's 19 IDP incidents in
    # 2015-16, some with several victims, persons counted apart; departures stopped at the
    # border counted apart from victims; the alert on the brokers' shared phone; MLA requests.
    both = Filters(dt.date(2015, 1, 1), dt.date(2016, 12, 31))
    incidents = compute(Case.objects.all(), both).table("incidents")
    by_code = {r.code: r.count for r in incidents.rows}
    assert by_code["idp"] == by_code["all"] == 19
    assert by_code["idp_persons"] > 19
    stops = compute(Case.objects.all(), both).table("stops")
    assert stops.total > 0
    investigator = User.objects.get(username="police.investigator")
    assert Alert.objects.filter(recipient=investigator).count() == 1
    assert MlaRequest.objects.filter(country__in=("RU", "PL")).count() == 4
    assert MlaRequest.objects.filter(answered_on=None).count() == 2
    alerts = perpetrator_gate.describe_alerts(
        actor_for(investigator), perpetrator_gate.visible_alerts(actor_for(investigator))
    )
    assert [a.other_unit for a in alerts] == [False]  # the prosecutor's record, which he sees
    story = Proceeding.objects.get(erdr_number="12016220000000123")
    assert (story.article, story.stage) == ("149.2", "trial")
    ngo_client = story.participants.exclude(case__owner_agency__kind="NationalPolice").get().case
    ngo = logged_in(User.objects.get(username=ngo_client.registered_by.username))
    page = ngo.get(f"/cases/{ngo_client.id}/").content.decode()
    assert "12016220000000123" in page
    assert "14.03.2017" in page

    # The workflow falls in 2016-2017 like its cases: the 2016 process indicators are not zero.
    year = Filters(JAN, dt.date(2016, 12, 31))
    for scope, label in ((Case.objects.all(), "national"), (stats_gate.cases_in_scope(iom), "IOM")):
        process = compute(scope, year)
        for key in ("referrals", "status_decisions", "assistance"):
            if label == "IOM" and key == "status_decisions":
                continue  # IOM refers; the hromada's files are decided elsewhere
            assert process.table(key).total > 0, (label, key)
    assert compute(Case.objects.all(), year).table("status_decisions").total >= 5
    last = dt.datetime(2017, 2, 1, tzinfo=dt.UTC)
    assert not Referral.objects.filter(sent_at__gte=last).exists()
    assert not Referral.objects.filter(sent_at__lt=dt.datetime(2016, 1, 1, tzinfo=dt.UTC)).exists()
    assert not StatusApplication.objects.filter(applied_on__gte=last.date()).exists()

    assert Case.objects.count() == total + found
    assert Person.objects.count() == total + found
    assert AuditEvent.objects.filter(action="case.registered").count() == total + found
    work = plan_workflow(registrations)  # one consent per referral, on top of the plan's
    planned_consents = sum(r.consent is not None for _p, r in registrations)
    # ... and one per NGO case the justice demo shares with the police for proceedings.
    shared_with_police = _shared_by_justice(work)
    assert Consent.objects.count() == planned_consents + len(work.referrals) + shared_with_police
    # ... and the foreign partner NGO in Poland of the perpetrators demo (no users, no cases).
    assert Agency.objects.count() == len(AGENCIES) + 1
    assert Agency.objects.get(name=PARTNER_NGO).country == "PL"
    for spec in AGENCIES:
        agency = Agency.objects.get(name=spec.name)
        assert (agency.kind, agency.oblast) == (spec.kind, spec.oblast)
        planned = sum(r.agency == spec.key for _p, r in registrations)
        if spec.key == "border":
            planned += found
        assert Case.objects.filter(owner_agency=agency).count() == planned

    for role in code_list(ROLE).values:
        membership = Membership.objects.select_related("user").filter(role=role).first()
        assert membership is not None, role
        assert membership.user.check_password(DEMO_PASSWORD)
    assert User.objects.count() == sum(len(spec.users) for spec in AGENCIES)

    # One person, two agencies, two spellings: each agency holds its own registration.
    person = next(
        p
        for p in plan
        if len(p.registrations) > 1
        and p.registrations[1].variant == "other_form"
        and p.first.agency != p.registrations[1].agency
    )
    for reg in person.registrations:
        cases = Case.objects.filter(
            owner_agency__name=AGENCY_BY_KEY[reg.agency].name, identified_on=reg.identified_on
        ).select_related("person")
        written = {
            (i.first_name, i.middle_name, i.family_name, i.birth_date.isoformat())
            for i in (open_identity(c.person) for c in cases)
        }
        assert (reg.first_name, reg.middle_name, reg.family_name, reg.birth) in written
    first, second = person.registrations[:2]
    assert (first.first_name, first.middle_name) != (second.first_name, second.middle_name)

    _assert_work_in_progress(work)

    counts = (Case.objects.count(), User.objects.count(), AuditEvent.objects.count())
    assert load_demo(messages.append) is False
    assert (Case.objects.count(), User.objects.count(), AuditEvent.objects.count()) == counts


def _action_kinds(username: str) -> Counter[str]:
    """What the user's "action needed" page lists, by kind (as the page merges it)."""
    actor = actor_for(User.objects.get(username=username))
    items = referral_timeline.action_items(actor, policy.visible_referrals(actor))
    cases = policy.visible_cases(actor)
    if policy.can(actor, roles.SCREENING_RECORD):
        items += screening_timeline.action_items(actor, cases)
    items += status_gate.action_items(actor)
    return Counter(item.kind for item in items)


def _assert_work_in_progress(work: WorkflowPlan) -> None:
    hromada, nss, oda = (
        Agency.objects.get(name=AGENCY_BY_KEY[key].name) for key in ("hromada", "nss", "oda")
    )
    # The directory of providers: a shelter with free beds, NGOs, the centre, IOM.
    assert ServiceProvider.objects.count() == len(work.providers) == 5
    shelter = ServiceProvider.objects.get(agency__name=AGENCY_BY_KEY["shelter"].name)
    assert shelter.beds_total is not None
    assert 0 < (shelter.beds_free or 0) < shelter.beds_total
    assert AuditEvent.objects.filter(action="provider.added").count() == 5

    # Referrals: to the hromada for the status application, pending, accepted and one declined.
    # ...and the shares the forwards open for the National Social Service's deciders: one per
    # file that reached it, active only while the file is there.
    decider_shares = Referral.objects.filter(
        to_agency=nss, purpose="StatusApplication", override_reason__startswith="Cabinet"
    )
    reached = StatusApplication.objects.exclude(national_agency=None)
    assert decider_shares.count() == reached.count() > 0
    assert (
        decider_shares.filter(state="active").count() == reached.filter(state="at_national").count()
    )
    assert Referral.objects.count() == (
        len(work.referrals) + _shared_by_justice(work) + decider_shares.count()
    )
    to_hromada = Referral.objects.filter(to_agency=hromada, purpose="StatusApplication")
    assert to_hromada.filter(state="pending").count() == 4
    assert to_hromada.filter(state="active").count() == len(STORIES) + len(PAST_STORIES)
    assert to_hromada.filter(state="declined").count() == 1
    assert Referral.objects.filter(to_agency__kind="Shelter", state="pending").count() == 2

    # The status procedure: files decided in 2016 (two payments paid), and a file waiting at
    # every level in January 2017, one granted with a claimed payment.
    apps = StatusApplication.objects.all()
    assert apps.count() == len(work.status_files) == len(STORIES) - 1 + len(PAST_STORIES)
    decided_2016 = apps.filter(decided_on__year=2016)
    assert decided_2016.filter(state=wf.GRANTED).count() == 4
    assert decided_2016.filter(state=wf.REFUSED).count() == 2
    assert OneTimePayment.objects.filter(state="paid", paid_on__year=2016).count() == 2
    assert set(apps.values_list("state", flat=True)) == {
        wf.REGISTERED,
        wf.INTERVIEWED,
        wf.AT_OBLAST,
        wf.AT_NATIONAL,
        wf.RETURNED,
        wf.GRANTED,
        wf.REFUSED,
    }
    assert set(apps.values_list("receiving_agency", flat=True)) == {hromada.id}
    assert apps.filter(state=wf.AT_OBLAST, oblast_agency=oda).count() == 2
    assert apps.filter(state=wf.AT_NATIONAL, national_agency=nss).count() == 2
    granted = apps.get(state=wf.GRANTED, payment__state="claimed")
    assert granted.certificate_number
    assert granted.certificate_valid_until
    payment = OneTimePayment.objects.get(state="claimed")
    assert (payment.application_id, payment.state, payment.paid_on) == (granted.id, "claimed", None)

    # IOM's assistance in 2016: support plans and services delivered.
    assert SupportPlan.objects.filter(agency__name=AGENCY_BY_KEY["iom"].name).count() == len(
        work.assisted
    )
    delivered = ServiceDelivery.objects.filter(state="delivered", delivered_from__year=2016)
    assert delivered.count() == sum(len(a.services) for a in work.assisted)

    # Screenings: on registered cases, and two first contacts at the border without a case.
    assert Screening.objects.count() == len(work.screenings)
    at_border = Screening.objects.filter(agency__kind="StateBorderGuardService")
    assert at_border.filter(case__isnull=True).count() == 2
    assert {s.outcome for s in Screening.objects.all()} == {"presumed_victim", "incomplete"}

    # Every reference user with case work finds something on "action needed".
    hromada_work = _action_kinds("hromada.caseworker")
    assert hromada_work["referral.answer"] == 4
    assert hromada_work["status.interview_due"] == 2
    assert hromada_work["status.forward_due"] == 2
    assert hromada_work["status.returned"] == 1
    assert hromada_work["payment.unpaid"] == 1
    assert _action_kinds("oda.official") == {"status.forward_due": 2}
    # (The certificates granted in 2016-2017 are long past their validity by the real today.)
    assert _action_kinds("nss.decision_maker")["status.decision_due"] == 2
    assert _action_kinds("shelter.caseworker") == {"referral.answer": 2}
    border = _action_kinds("border.guard")
    assert border["screening.refer"] == 1
    assert border["screening.incomplete"] == 1
    for username in (
        "iom.caseworker",
        "ngo.caseworker",
        "ngo2.caseworker",
        "police.investigator",
        "mfa.consul",
        "centre.caseworker",
    ):
        assert _action_kinds(username), username

    # Every step went through the services: audited, and the chain holds.
    sent = AuditEvent.objects.filter(action="referral.sent").count()
    assert sent == len(work.referrals) + _shared_by_justice(work)
    assert AuditEvent.objects.filter(action="status.registered").count() == apps.count()
    assert verify_chain().ok


def _shared_by_justice(work: Any) -> int:
    """Referrals the justice demo adds (NGO cases shared with the police for proceedings)."""
    planned = sum(r.purpose == "CriminalProceedings" for r in work.referrals)
    return Referral.objects.filter(purpose="CriminalProceedings").count() - planned
