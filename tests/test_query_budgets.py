"""Query budgets: a list costs the same number of queries whatever the number of its rows.

For every list page of the web UI and every list of the API: make N rows, load the list once
(warm-up), count its queries, make 2N more rows and count again. The list must show N and then
3N rows and the two counts must be equal (no query per row).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from opennrm.accounts.models import User
from opennrm.accounts.services import issue_api_token
from opennrm.audit.services import record
from opennrm.cases.models import Case
from opennrm.justice import services as justice
from opennrm.justice.models import Hearing
from opennrm.linkage.models import CandidatePair, LinkageRun
from opennrm.nrm.assistance import services as assistance
from opennrm.nrm.referrals.services import refer_case
from opennrm.nrm.screening import indicators
from opennrm.nrm.screening.services import record_screening
from opennrm.nrm.status import payment_services, reflection_services
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.models import StatusApplication
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import logged_in, person_input, record_basis
from tests.nrm.test_assistance_support import add_provider, new_agency
from tests.nrm.test_status_support import PATHS, World, build_world, perform, register

N = 2
TODAY = dt.datetime(2016, 3, 21, 11, tzinfo=dt.UTC)

# The query counts measured, by list: (N rows, 3N rows). Printed with `pytest -s`.
MEASURED: dict[str, tuple[int, int]] = {}


def api(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_api_token(user=user)}"})


def count_queries(client: Client, url: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response


def assert_flat(
    name: str,
    client: Client,
    url: str,
    make: Callable[[int], None],
    shown: Callable[[Any], int],
) -> None:
    """N rows, then 3N: the list shows them all and costs the same number of queries."""
    make(N)
    client.get(url)  # warm-up: caches, session, token
    few, response = count_queries(client, url)
    assert shown(response) == N, name
    make(2 * N)
    many, response = count_queries(client, url)
    assert shown(response) == 3 * N, name
    MEASURED[name] = (few, many)
    print(f"{name}: {few} queries for {N} rows, {many} for {3 * N}")
    assert many == few, f"{name}: {few} queries for {N} rows, {many} for {3 * N}"


def results(response: Any) -> int:
    return len(response.json()["results"])


def rows(key: str = "rows") -> Callable[[Any], int]:
    return lambda response: len(response.context[key])


# --- builders --------------------------------------------------------------------------------


def case_maker(actor: Actor) -> Callable[[], Case]:
    from opennrm.cases.services import register_case
    from tests.conftest import case_input

    counter = iter(range(1000))

    def make() -> Case:
        i = next(counter)
        return register_case(
            actor=actor,
            person=person_input(first=f"Тарас{'а' * i}", birth=f"{1960 + i}"),
            case=case_input(),
        )

    return make


@pytest.fixture
def world(db: object, make_user: Callable[..., User], make_case: Callable[..., Case]) -> World:
    return build_world(make_user, make_case)


def application_on(
    world: World, case: Case, state: str, number: str, start: dt.date = dt.date(2016, 3, 15)
) -> StatusApplication:
    """An application of another case of the world, taken to `state` through the services
    (one day a step from `start`)."""
    other = dataclasses.replace(world, case=case)
    app = register(other, journal_number=number, on=start)
    start = app.applied_on
    for index, action in enumerate(PATHS[state], start=1):
        app = perform(other, app, action, start + dt.timedelta(days=index))
    return app


def granted_with_payments(world: World) -> Callable[[int], None]:
    """Applications granted and paid-for claims, each on its own case of the hromada."""
    new_case = case_maker(world.actor(world.official))
    made = iter(range(1000))

    def make(count: int) -> None:
        for _ in range(count):
            i = next(made)
            start = dt.date(2016, 3, 15) + dt.timedelta(days=i)  # one certificate number a day
            app = application_on(world, new_case(), wf.GRANTED, f"{i}/2016", start)
            payment_services.claim_payment(
                actor=world.actor(world.official),
                application=app,
                claimed_on=dt.date(2016, 4, 1),
                category="AbleBodied",
            )

    return make


def registered(world: World) -> Callable[[int], None]:
    new_case = case_maker(world.actor(world.official))
    made = iter(range(1000))

    def make(count: int) -> None:
        for _ in range(count):
            application_on(world, new_case(), wf.REGISTERED, f"R{next(made)}/2016")

    return make


# --- cases -----------------------------------------------------------------------------------


def test_web_case_list(caseworker: User, actor_a: Actor) -> None:
    new_case = case_maker(actor_a)
    assert_flat(
        "web /cases/",
        logged_in(caseworker),
        "/cases/",
        lambda n: [new_case() for _ in range(n)] and None,
        rows(),
    )


def test_api_case_list(caseworker: User, actor_a: Actor) -> None:
    new_case = case_maker(actor_a)
    assert_flat(
        "api /cases/",
        api(caseworker),
        "/api/v1/cases/",
        lambda n: [new_case() for _ in range(n)] and None,
        results,
    )


# --- referrals -------------------------------------------------------------------------------


def referrals_to(
    sender: Actor, recipient: Agency, categories: tuple[str, ...] = ("Identity", "CaseFacts")
) -> Callable[[int], None]:
    new_case = case_maker(sender)

    def make(count: int) -> None:
        for _ in range(count):
            case = new_case()
            record_basis(sender, case, "Legal", categories, recipient)
            refer_case(
                actor=sender,
                case=case,
                to_agency=recipient,
                purpose="Legal",
                data_categories=list(categories),
            )

    return make


def test_web_referral_list(caseworker: User, outsider: User, agency_a: Agency) -> None:
    assert_flat(
        "web /referrals/",
        logged_in(caseworker),
        "/referrals/",
        referrals_to(actor_for(outsider), agency_a),
        rows(),
    )


def test_api_referral_list(caseworker: User, outsider: User, agency_a: Agency) -> None:
    assert_flat(
        "api /referrals/",
        api(caseworker),
        "/api/v1/referrals/",
        referrals_to(actor_for(outsider), agency_a),
        results,
    )


# --- screenings ------------------------------------------------------------------------------


def screenings(actor: Actor) -> Callable[[int], None]:
    new_case = case_maker(actor)

    def make(count: int) -> None:
        for i in range(count):
            # Half attached to a case, half with only a subject's name.
            record_screening(
                actor=actor,
                list_key="adult_labour",
                answers={"al.dr.wages": indicators.PRESENT},
                subject="Тарас" if i % 2 else "",
                case=new_case() if i % 2 == 0 else None,
            )

    return make


def test_web_screening_list(caseworker: User, actor_a: Actor) -> None:
    assert_flat(
        "web /screenings/", logged_in(caseworker), "/screenings/", screenings(actor_a), rows()
    )


def test_api_screening_list(caseworker: User, actor_a: Actor) -> None:
    assert_flat(
        "api /screenings/", api(caseworker), "/api/v1/screenings/", screenings(actor_a), results
    )


# --- status procedure ------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2016, 4, 5, 11, tzinfo=dt.UTC), tick=False)
def test_api_status_applications(world: World) -> None:
    assert_flat(
        "api /status-applications/",
        api(world.official),
        "/api/v1/status-applications/",
        granted_with_payments(world),
        results,
    )


@time_machine.travel(TODAY, tick=False)
def test_web_status_register(world: World) -> None:
    """The register of deadlines: overdue steps of the hromada's files."""
    assert_flat(
        "web /status/deadlines/",
        logged_in(world.official),
        "/status/deadlines/",
        registered(world),
        rows(),
    )


@time_machine.travel(TODAY, tick=False)
def test_web_and_api_case_status_applications(world: World) -> None:
    """A case's applications: withdrawn ones and a new one; web page and API list."""
    made = iter(range(1000))

    def make(count: int) -> None:
        for _ in range(count):
            app = register(world, journal_number=f"W{next(made)}/2016")
            perform(world, app, wf.WITHDRAW, dt.date(2016, 3, 16))

    assert_flat(
        "web /cases/<id>/status-procedure/",
        logged_in(world.official),
        f"/cases/{world.case.id}/status-procedure/",
        make,
        rows("applications"),
    )
    assert_flat(
        "api /cases/<id>/status-applications/",
        api(world.official),
        f"/api/v1/cases/{world.case.id}/status-applications/",
        make,
        lambda response: len(response.json()) - 3 * N,  # the 3N made for the web page stay
    )


@time_machine.travel(TODAY, tick=False)
def test_web_and_api_reflection_periods(caseworker: User, actor_a: Actor) -> None:
    foreigner = dataclasses.replace(person_input(), citizenships=["MD"])
    from opennrm.cases.services import register_case
    from tests.conftest import case_input

    case = register_case(actor=actor_a, person=foreigner, case=case_input())

    def make(count: int) -> None:
        for _ in range(count):
            period = reflection_services.start_reflection_period(
                actor=actor_a, case=case, starts_on=dt.date(2016, 3, 1), days=30
            )
            reflection_services.end_reflection_period(
                actor=actor_a, period=period, ended_on=dt.date(2016, 3, 2), reason="LeftTheCountry"
            )

    assert_flat(
        "web /cases/<id>/status-procedure/ (periods)",
        logged_in(caseworker),
        f"/cases/{case.id}/status-procedure/",
        make,
        rows("periods"),
    )
    assert_flat(
        "api /cases/<id>/reflection-periods/",
        api(caseworker),
        f"/api/v1/cases/{case.id}/reflection-periods/",
        make,
        lambda response: len(response.json()) - 3 * N,
    )


@time_machine.travel(TODAY, tick=False)
def test_web_action_needed(world: World) -> None:
    assert_flat(
        "web /action-needed/",
        logged_in(world.official),
        "/action-needed/",
        registered(world),
        lambda response: len(
            [i for i in response.context["items"] if i.kind.startswith("status.")]
        ),
    )


# --- assistance ------------------------------------------------------------------------------


def providers(actor: Actor) -> Callable[[int], None]:
    made = iter(range(1000))

    def make(count: int) -> None:
        for _ in range(count):
            add_provider(actor, new_agency(f"Shelter {next(made)}", "Shelter"), ["Psychological"])

    return make


def test_web_provider_list(caseworker: User, actor_a: Actor) -> None:
    assert_flat(
        "web /assistance/providers/",
        logged_in(caseworker),
        "/assistance/providers/",
        providers(actor_a),
        rows(),
    )


def test_api_provider_list(caseworker: User, actor_a: Actor) -> None:
    assert_flat(
        "api /providers/", api(caseworker), "/api/v1/providers/", providers(actor_a), results
    )


def case_services(actor: Actor, case: Case) -> Callable[[int], None]:
    made = iter(range(1000))

    def make(count: int) -> None:
        for _ in range(count):
            provider = add_provider(
                actor, new_agency(f"Centre {next(made)}", "Shelter"), ["Psychological"]
            )
            service = assistance.plan_service(
                actor=actor,
                case=case,
                type="Psychological",
                planned_on=dt.date(2016, 3, 20),
                provider=provider,
            )
            assistance.record_delivery(
                actor=actor, service=service, delivered_from=dt.date(2016, 3, 21)
            )

    return make


def test_web_case_assistance(caseworker: User, actor_a: Actor, shevchenko_case: Case) -> None:
    assert_flat(
        "web /cases/<id>/assistance/",
        logged_in(caseworker),
        f"/cases/{shevchenko_case.id}/assistance/",
        case_services(actor_a, shevchenko_case),
        rows("services"),
    )


def test_api_case_services(caseworker: User, actor_a: Actor, shevchenko_case: Case) -> None:
    assert_flat(
        "api /cases/<id>/services/",
        api(caseworker),
        f"/api/v1/cases/{shevchenko_case.id}/services/",
        case_services(actor_a, shevchenko_case),
        lambda response: len(response.json()["services"]),
    )


# --- linkage and audit -----------------------------------------------------------------------


def test_web_linkage_queue(make_user: Callable[..., User], actor_a: Actor) -> None:
    msp = Agency.objects.create(name="Ministry (synthetic)", kind="MinistryOfSocialPolicy")
    coordinator = make_user("msp.coordinator", msp, "coordinator")
    run = LinkageRun.objects.create(kind=LinkageRun.Kind.FULL)
    new_case = case_maker(actor_a)

    def make(count: int) -> None:
        for _ in range(count):
            left, right = sorted([new_case().person_id, new_case().person_id], key=str)
            CandidatePair.objects.create(
                run=run,
                left_id=left,
                right_id=right,
                probability=0.5,
                weight=0.0,
                explanation=[{"field": "name", "level": "similar", "weight": 3.0}],
            )

    assert_flat("web /linkage/queue/", logged_in(coordinator), "/linkage/queue/", make, rows())


def test_web_audit_log(sysadmin: User, caseworker: User, actor_a: Actor) -> None:
    def make(count: int) -> None:
        for _ in range(count):
            record(
                action="case.viewed",
                actor_id=caseworker.id,
                agency_id=actor_a.agency_id,
                object_type="case",
                object_id=None,
            )

    def shown(response: Any) -> int:
        # Each visit of the log adds its own "audit.viewed" event: count the others.
        return len([e for e in response.context["page"].object_list if e.action == "case.viewed"])

    assert_flat("web /audit/", logged_in(sysadmin), "/audit/", make, shown)


# --- the API that does what the pages do (issue 9, point 17) -------------------------------


def test_api_agency_directory(caseworker: User) -> None:
    made = iter(range(1000))

    def make(count: int) -> None:
        for _ in range(count):
            new_agency(f"Partner {next(made)}", "NGO")

    before = Agency.objects.count()

    def shown(response: Any) -> int:
        return len(response.json()["results"]) - before

    assert_flat("api /agencies/", api(caseworker), "/api/v1/agencies/", make, shown)


def test_api_case_consents(caseworker: User, actor_a: Actor, shevchenko_case: Case) -> None:
    def make(count: int) -> None:
        for _ in range(count):
            record_basis(actor_a, shevchenko_case)

    assert_flat(
        "api /cases/<id>/consents/",
        api(caseworker),
        f"/api/v1/cases/{shevchenko_case.id}/consents/",
        make,
        results,
    )


def test_api_case_plans(caseworker: User, actor_a: Actor, shevchenko_case: Case) -> None:
    def make(count: int) -> None:
        for _ in range(count):
            assistance.record_plan(actor=actor_a, case=shevchenko_case, objectives="Synthetic")

    assert_flat(
        "api /cases/<id>/plans/",
        api(caseworker),
        f"/api/v1/cases/{shevchenko_case.id}/plans/",
        make,
        results,
    )


def test_api_linkage_queue(make_user: Callable[..., User], actor_a: Actor) -> None:
    msp = Agency.objects.create(name="Ministry (synthetic)", kind="MinistryOfSocialPolicy")
    coordinator = make_user("msp.coordinator", msp, "coordinator")
    run = LinkageRun.objects.create(kind=LinkageRun.Kind.FULL)
    new_case = case_maker(actor_a)

    def make(count: int) -> None:
        for _ in range(count):
            left, right = sorted([new_case().person_id, new_case().person_id], key=str)
            CandidatePair.objects.create(
                run=run,
                left_id=left,
                right_id=right,
                probability=0.5,
                weight=0.0,
                explanation=[{"field": "name", "level": "similar", "weight": 3.0}],
            )

    assert_flat("api /linkage/queue/", api(coordinator), "/api/v1/linkage/queue/", make, results)


# --- proceedings -----------------------------------------------------------------------------


def proceedings_of(
    make_user: Callable[..., User], actor_a: Actor
) -> tuple[User, Callable[[int], None]]:
    """An investigator, and a maker of proceedings of their unit (a victim and a hearing each)."""
    police = Agency.objects.create(name="Police unit (synthetic)", kind="NationalPolice")
    user = make_user("budget.investigator", police, "investigator")
    investigator = actor_for(user)
    new_case = case_maker(actor_a)
    made = iter(range(1000))

    def make(count: int) -> None:
        for _ in range(count):
            i = next(made)
            proceeding = justice.register_proceeding(
                actor=investigator,
                erdr_number=f"12016220000{i:06d}",
                registered_on=dt.date(2016, 3, 2),
                article="149.2" if i % 2 else "149.1",
            )
            justice.add_participant(
                actor=investigator, proceeding=proceeding, case=new_case(), role="InjuredParty"
            )
            Hearing.objects.create(proceeding=proceeding, on=dt.date(2030, 1, 1), recorded_by=user)

    return user, make


def test_web_proceeding_list(make_user: Callable[..., User], actor_a: Actor) -> None:
    user, make = proceedings_of(make_user, actor_a)
    assert_flat("web /proceedings/", logged_in(user), "/proceedings/", make, rows())


def test_api_proceeding_list(make_user: Callable[..., User], actor_a: Actor) -> None:
    user, make = proceedings_of(make_user, actor_a)
    assert_flat("api /proceedings/", api(user), "/api/v1/proceedings/", make, results)
