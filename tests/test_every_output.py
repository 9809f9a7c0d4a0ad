"""Every output obeys the share: values planted in each data category never reach an agency
whose share lacks that category, in any web page or API response (HTML, JSON, files alike).

The world: an NGO owns a case whose person carries a unique value in every category; a hromada's
executive body receives it through two accepted referrals (status application and medical help) that
share every category but one. The recipient, holding the caseworker, supervisor and
decision-maker roles, then opens every GET URL of the site with the case's objects filled in,
searches by name (web and API), filters by the facts, and exports HTCDS. No response body may
hold a value of the missing category. A control run with every category shared finds each
planted value somewhere, so the search for them can fail.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.test import Client

from opennrm.access.fields import (
    CASE_FACTS,
    CONTACT,
    DOCUMENTS,
    HEALTH,
    IDENTITY,
    JUSTICE,
    OWNER_ONLY,
    PSYCHOSOCIAL,
    SHARE_CATEGORIES,
)
from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.cases.services import EventInput, PersonInput, register_case
from opennrm.core.ages import PartialDate
from opennrm.justice import services as justice_services
from opennrm.justice.suspects import SuspectIdentity
from opennrm.linkage.models import CandidatePair, LinkageRun
from opennrm.notices.models import Notification
from opennrm.notices.producer import produce as produce_notices
from opennrm.nrm.assistance.services import (
    ProviderInput,
    add_provider,
    plan_service,
    record_plan,
)
from opennrm.nrm.referrals.services import accept_referral, refer_case
from opennrm.nrm.screening.services import record_screening
from opennrm.nrm.status import services as status_services
from opennrm.people.identity import Identity, IdentityDocument
from opennrm.reports.models import ReportJob
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import case_input, logged_in, record_basis
from tests.perpetrators.objects import PLANTED_NAME, PLANTED_PHONE, perpetrator_objects
from tests.test_access import ALL_URLS, PUBLIC
from tests.training.objects import training_objects

SUSPECTS = "Suspects"
PERPETRATORS = "Perpetrators"
# One unique value (or several spellings of it) per data category.
PLANTED: dict[str, tuple[str, ...]] = {
    # Dates in ISO (files, the API, English pages) and as Ukrainian pages show them.
    IDENTITY: ("Квітконоженко", "Ярославна", "1971-11-23", "23.11.1971"),
    DOCUMENTS: ("KX4477120", "2718281828"),
    CONTACT: ("+380671112299", "planted.contact@example.org", "Контактна Тестова 77"),
    CASE_FACTS: ("2013-07-19", "2014-02-27", "19.07.2013", "27.02.2014"),  # the event's dates
    HEALTH: ("HIV-planted-note", "MentalHealth"),
    PSYCHOSOCIAL: ("psychosocial-objective-zeta",),
    OWNER_ONLY: ("owner.plantedworker",),
    JUSTICE: ("12016220000000777",),  # the ERDR number of the proceeding she takes part in
    SUSPECTS: ("Ловчинський",),  # a suspect's name: law enforcement and courts only
    # A perpetrator the victim named, with a phone: law enforcement and prosecution only.
    PERPETRATORS: (PLANTED_NAME, PLANTED_PHONE, PLANTED_PHONE.removeprefix("+380")),
}
# Never shown to the recipient, whatever the share.
NEVER = (OWNER_ONLY, SUSPECTS, PERPETRATORS)
# Categories a share may lack (each one is a column of the matrix); OwnerOnly never shows.
MISSING = [IDENTITY, DOCUMENTS, CONTACT, CASE_FACTS, HEALTH, PSYCHOSOCIAL, JUSTICE]
PURPOSES = ("StatusApplication", "Medical")


def planted_person() -> PersonInput:
    return PersonInput(
        identity=Identity(
            first_name="Ярославна",
            family_name="Квітконоженко",
            birth_date=PartialDate.parse("1971-11-23"),
            documents=[IdentityDocument("Passport", "KX4477120")],
            rnokpp="2718281828",
            phones=["+380671112299"],
            email="planted.contact@example.org",
            place_of_stay="Контактна Тестова 77",
            vulnerability_details="HIV-planted-note",
        ),
        gender="Feminine",
        citizenships=["UA"],
    )


@dataclass
class World:
    case: Case
    recipient: User
    objects: dict[str, str]


def planted_casework(owner: Actor, case: Case) -> dict[str, str]:
    """Notes and attachments carrying the planted values of their categories (case work)."""
    from opennrm.casework import services as casework_services

    notes = {
        CASE_FACTS: PLANTED[CASE_FACTS][0],
        HEALTH: PLANTED[HEALTH][0],
        PSYCHOSOCIAL: PLANTED[PSYCHOSOCIAL][0],
        JUSTICE: PLANTED[JUSTICE][0],
    }
    note_ids = [
        casework_services.write_note(
            actor=owner, case=case, about="Case", category=category, text=f"note {text}"
        ).id
        for category, text in notes.items()
    ]
    pdf = b"%PDF-1.4\n1 0 obj << >> endobj\n(" + PLANTED[DOCUMENTS][0].encode() + b")\n%%EOF\n"
    documents = casework_services.add_attachment(
        actor=owner, case=case, category=DOCUMENTS, title=PLANTED[DOCUMENTS][1], content=pdf
    )
    casework_services.add_attachment(
        actor=owner,
        case=case,
        category=HEALTH,
        title=f"file {PLANTED[HEALTH][0]}",
        content=b"%PDF-1.4\n%%EOF\n",
    )
    return {"note_id": str(note_ids[0]), "attachment_id": str(documents.id)}


def build_world(
    make_user: Callable[..., User], shared: frozenset[str], agency_a: Agency, agency_b: Agency
) -> World:
    owner_user = make_user("owner.plantedworker", agency_a, "supervisor")
    owner = actor_for(owner_user)
    case = register_case(
        actor=owner,
        person=planted_person(),
        case=case_input(
            caseworker=owner_user,
            multi={
                "ua_exploitation": ["LabourExploitation"],
                "vic_Vulnerabilities": ["MentalHealth"],
            },
            events=[
                EventInput("Exploitation", "TV", "", dt.date(2013, 7, 19), dt.date(2014, 2, 27))
            ],
        ),
    )
    recipient = make_user("police.recipient", agency_b, "supervisor", "decision_maker")
    referrals = []
    for purpose in PURPOSES:
        record_basis(owner, case, purpose, tuple(sorted(shared)), recipient=agency_b)
        referral = refer_case(
            actor=owner,
            case=case,
            to_agency=agency_b,
            purpose=purpose,
            data_categories=sorted(shared),
        )
        referrals.append(accept_referral(actor=actor_for(recipient), referral=referral))
    # The police link her to a proceeding, through a share for criminal proceedings.
    police = Agency.objects.create(name="Police unit (synthetic)", kind="NationalPolice")
    investigator = actor_for(make_user("police.investigator", police, "investigator"))
    record_basis(owner, case, "CriminalProceedings", ("Identity", "Justice"), recipient=police)
    to_police = refer_case(
        actor=owner,
        case=case,
        to_agency=police,
        purpose="CriminalProceedings",
        data_categories=["Identity", "Justice"],
    )
    accept_referral(actor=investigator, referral=to_police)
    proceeding = justice_services.register_proceeding(
        actor=investigator,
        erdr_number="12016220000000777",
        registered_on=dt.date(2016, 3, 20),
        article="149.2",
    )
    justice_services.add_participant(
        actor=investigator, proceeding=proceeding, case=case, role="InjuredParty"
    )
    justice_services.add_suspect(
        actor=investigator,
        proceeding=proceeding,
        identity=SuspectIdentity(family_name="Ловчинський"),
        role="Recruiter",
    )
    screening = record_screening(actor=owner, list_key="adult_labour", case=case)
    plan = record_plan(actor=owner, case=case, objectives="psychosocial-objective-zeta")
    service = plan_service(actor=owner, case=case, type="Medical", planned_on=dt.date(2016, 3, 15))
    provider = add_provider(
        actor=owner, data=ProviderInput(agency=agency_a, services=["Medical"], oblast="UA-63")
    )
    application = status_services.register_application(
        actor=actor_for(recipient),
        case=case,
        journal_number="5/2016",
        applied_on=dt.date(2016, 3, 20),
        documents=["Application"],
    )
    casework = planted_casework(owner, case)
    run = LinkageRun.objects.create(status=LinkageRun.Status.DONE)
    other = register_case(actor=owner, person=planted_person(), case=case_input())
    left, right = sorted([case.person_id, other.person_id], key=str)
    pair = CandidatePair.objects.create(
        run=run, left_id=left, right_id=right, probability=0.97, weight=9.0
    )
    job = ReportJob.objects.create(
        requested_by=recipient,
        agency=agency_b,
        start=dt.date(2016, 1, 1),
        end=dt.date(2016, 12, 31),
        format="pdf",
    )
    produce_notices()  # the recipient's notifications (referrals received) on its pages
    notice = Notification.objects.filter(user=recipient).first()
    objects = {
        "notification_id": str(notice.id) if notice else "00000000-0000-4000-8000-000000000009",
        "case_id": str(case.id),
        "referral_id": str(referrals[0].id),
        "consent_id": str(case.consents.first().id),  # type: ignore[union-attr]
        "screening_id": str(screening.id),
        "plan_id": str(plan.id),
        "service_id": str(service.id),
        "provider_id": str(provider.id),
        "application_id": str(application.id),
        "form": "certificate",
        "payment_id": "00000000-0000-4000-8000-000000000001",
        "reflection_id": "00000000-0000-4000-8000-000000000002",
        "run_id": str(run.id),
        "pair_id": str(pair.id),
        "job_id": str(job.id),
        "token_id": "00000000-0000-4000-8000-000000000003",
        "user_id": "00000000-0000-4000-8000-000000000007",
        "saved_search_id": "00000000-0000-4000-8000-000000000008",
        "key": "sex_age",
        "area": "cases",
        **casework,
        **training_objects(make_user, agency_a),
        **perpetrator_objects(make_user, case, tag="world"),
        # The recipient holds no justice role: the proceeding's pages answer 404 (lists 403).
        "proceeding_id": str(proceeding.id),
        "hearing_id": "00000000-0000-4000-8000-000000000004",
        "protection_id": "00000000-0000-4000-8000-000000000005",
        "non_punishment_id": "00000000-0000-4000-8000-000000000006",
    }
    return World(case, recipient, objects)


def _url(route: str, objects: dict[str, str]) -> str:
    path = "/" + route
    for key, value in objects.items():
        path = path.replace(f"<uuid:{key}>", value).replace(f"<slug:{key}>", value)
    assert "<" not in path, f"no test object for {route}"
    return path


def outputs(client: Client, world: World) -> Iterator[tuple[str, bytes]]:
    """(what, raw body) of every output the recipient can ask for."""
    for name, route, _params in ALL_URLS:
        if name in PUBLIC - {"web:public_statistics"}:
            continue
        url = _url(route, world.objects)
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        yield f"GET {url} ({name}, {response.status_code})", body
    # The name is searched in Latin: the form shows the query back, the Cyrillic must not come.
    search = {"q": "Kvitkonozhenko Yaroslavna"}
    searched = client.post("/cases/", search, follow=True)
    yield "POST /cases/ (name search)", searched.content
    if searched.redirect_chain:  # the same search, exported (the address names only its id)
        export = searched.redirect_chain[-1][0].replace("/cases/?", "/cases/export.csv?")
        yield f"GET {export}", client.get(export).content
    facts = {"oblast": "UA-63", "identified_from": "2016-01-01"}
    yield "POST /cases/ (facts filter)", client.post("/cases/", facts, follow=True).content
    for sort in ("identified", "-identified", "reference", "agency", "status"):
        yield f"GET /cases/?sort={sort}", client.get(f"/cases/?sort={sort}").content
    # The exports of a filtered and sorted list, and the status register's orders and filters.
    for fmt in ("csv", "xlsx"):
        export = f"/cases/export.{fmt}?oblast=UA-63&identified_from=2016-01-01&sort=identified"
        yield f"GET {export}", client.get(export).content
        export = f"/status/register.{fmt}?stage=registered&sort=journal"
        yield f"GET {export}", client.get(export).content
    for sort in ("journal", "-applied", "due", "stage", "agency"):
        register = f"/status/register/?sort={sort}&deadline=upcoming"
        yield f"GET {register}", client.get(register).content
    yield "GET /api/v1/cases/?q=", client.get("/api/v1/cases/", search).content
    yield "GET /api/v1/htcds/", client.get("/api/v1/htcds/").content


def _text(body: bytes) -> str:
    """The text of a body; a ZIP (an XLSX download, the CTDC extract) is read member by member,
    so a value inside a spreadsheet counts like one in a page."""
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist()
            )
    return body.decode("utf-8", errors="replace")


def found(body: bytes, category: str) -> list[str]:
    """The planted values of `category` in a body (any case; a \\uXXXX escape counts too)."""
    text = _text(body).lower()
    return [
        v
        for v in PLANTED[category]
        if v.lower() in text or v.encode("unicode_escape").decode().lower() in text
    ]


@pytest.fixture
def make_world(
    make_user: Callable[..., User], agency_a: Agency
) -> Callable[[frozenset[str]], World]:
    hromada = Agency.objects.create(
        name="Hromada executive body Zolochiv (synthetic)", kind="HromadaExecutiveBody"
    )
    return lambda shared: build_world(make_user, shared, agency_a, hromada)


@pytest.mark.parametrize("missing", MISSING)
def test_a_share_without_a_category_shows_none_of_its_values_anywhere(
    missing: str, make_world: Callable[[frozenset[str]], World]
) -> None:
    world = make_world(SHARE_CATEGORIES - {missing})
    client = logged_in(world.recipient)
    leaks = [
        (what, category, found(body, category))
        for what, body in outputs(client, world)
        for category in (missing, *NEVER)
        if found(body, category)
    ]
    assert leaks == []


def test_control_every_planted_value_shows_somewhere_when_everything_is_shared(
    make_world: Callable[[frozenset[str]], World],
) -> None:
    world = make_world(SHARE_CATEGORIES)
    client = logged_in(world.recipient)
    seen: dict[str, set[str]] = {category: set() for category in PLANTED}
    for _what, body in outputs(client, world):
        for category in PLANTED:
            seen[category].update(found(body, category))
    # Every shared category is seen, each value at least once; the owner's staff never.
    for category in MISSING:
        assert seen[category] == set(PLANTED[category]), category
    assert seen[OWNER_ONLY] == seen[SUSPECTS] == seen[PERPETRATORS] == set()


@pytest.mark.parametrize(
    ("missing", "url"),
    [
        (IDENTITY, "/api/v1/cases/"),
        (IDENTITY, "/api/v1/htcds/"),
        (CONTACT, "/api/v1/htcds/"),
        (DOCUMENTS, "/api/v1/htcds/"),
        (HEALTH, "/api/v1/htcds/"),
        (CASE_FACTS, "/api/v1/cases/{case_id}/"),
    ],
)
def test_regression_the_api_leaks_of_issue_15_are_closed(
    missing: str, url: str, make_world: Callable[[frozenset[str]], World]
) -> None:
    world = make_world(SHARE_CATEGORIES - {missing})
    body = logged_in(world.recipient).get(url.format(case_id=world.case.id)).content
    assert found(body, missing) == []
    assert found(body, OWNER_ONLY) == found(body, SUSPECTS) == []


def test_regression_api_name_search_does_not_find_a_case_without_identity(
    make_world: Callable[[frozenset[str]], World],
) -> None:
    world = make_world(SHARE_CATEGORIES - {IDENTITY})
    client = logged_in(world.recipient)
    listed = client.get("/api/v1/cases/").json()
    assert [row["id"] for row in listed["results"]] == [str(world.case.id)]
    assert listed["results"][0]["full_name"] is None
    assert client.get("/api/v1/cases/", {"q": "Квітконоженко"}).json()["results"] == []
    owner = logged_in(User.objects.get(username="owner.plantedworker"))
    found_by_owner = owner.get("/api/v1/cases/", {"q": "Квітконоженко"}).json()["results"]
    assert str(world.case.id) in [row["id"] for row in found_by_owner]


def test_the_api_detail_of_an_identity_only_share_hides_the_facts(
    make_world: Callable[[frozenset[str]], World],
) -> None:
    world = make_world(frozenset({IDENTITY}))
    detail = logged_in(world.recipient).get(f"/api/v1/cases/{world.case.id}/").json()
    assert detail["person"]["family_name"] == "Квітконоженко"
    assert detail["person"]["phones"] is None
    assert detail["person"]["documents"] is None
    assert detail["events"] is None
    assert detail["trafficking_status"] is None
    assert detail["codes"] == {}
    assert detail["shown_categories"] == [IDENTITY]


def test_owner_sees_every_category_in_the_api_and_the_export(
    make_world: Callable[[frozenset[str]], World], agency_a: Agency
) -> None:
    world = make_world(frozenset({IDENTITY}))
    owner = User.objects.get(username="owner.plantedworker")
    client = logged_in(owner)
    detail = client.get(f"/api/v1/cases/{world.case.id}/").json()
    assert detail["person"]["phones"] == ["+380671112299"]
    assert detail["person"]["vulnerability_details"] == "HIV-planted-note"
    assert detail["codes"]["vic_Vulnerabilities"] == ["MentalHealth"]
    exported = {r["x_ua_CaseId"]: r for r in client.get("/api/v1/htcds/").json()}
    record = exported[str(world.case.id)]
    assert record["prs_IdentityNumber"] == "KX4477120"
    assert record["cas_CaseOwner"] == "owner.plantedworker"
