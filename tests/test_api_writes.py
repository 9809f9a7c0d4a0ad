"""The API does what the pages do: consent, the agency directory, case create and update,
support plans, the linkage review queue and decisions, and the current user. Each through the
same gate and services as the web pages: success, 400 naming fields, 403 and 404."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from opennrm.accounts.models import User
from opennrm.accounts.services import issue_api_token
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case, Consent
from opennrm.linkage import services as linkage_services
from opennrm.linkage.models import CandidatePair, LinkageRun
from opennrm.nrm.assistance.models import SupportPlan
from opennrm.nrm.assistance.objectives import open_objectives
from opennrm.nrm.assistance.services import record_plan
from opennrm.nrm.referrals.models import Referral
from opennrm.nrm.referrals.services import accept_referral, refer_case
from opennrm.people.identity import open_identity
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import logged_in, record_basis


def api(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_api_token(user=user)}"})


def send(client: Client, method: str, url: str, data: Any = None) -> Any:
    body = json.dumps(data) if data is not None else ""
    return getattr(client, method)(url, body, content_type="application/json")


def fields(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 400, response.content
    body = response.json()["error"]
    assert body["code"] == "invalid"
    return dict(body["fields"])


def shared_with(case: Case, owner: Actor, recipient: User, purpose: str = "Medical") -> Referral:
    """Share a case with the recipient's agency (an accepted referral)."""
    to_agency = actor_for(recipient).agency
    assert to_agency is not None
    record_basis(owner, case, purpose, ("Identity", "CaseFacts"), recipient=to_agency)
    referral = refer_case(
        actor=owner,
        case=case,
        to_agency=to_agency,
        purpose=purpose,
        data_categories=["CaseFacts", "Identity"],
    )
    return accept_referral(actor=actor_for(recipient), referral=referral)


# --- the current user and the agency directory ------------------------------------------------


def test_me_names_the_agency_roles_and_permissions(caseworker: User, agency_a: Agency) -> None:
    me = api(caseworker).get("/api/v1/me/").json()
    assert me["username"] == caseworker.username
    assert me["agency"]["id"] == str(agency_a.id)
    assert me["agency"]["country"] == "UA"
    assert me["roles"] == ["caseworker"]
    assert {"case.create", "consent.manage", "referral.create"} <= set(me["permissions"])
    assert "linkage.review" not in me["permissions"]
    assert Client().get("/api/v1/me/").status_code == 401


def test_me_without_an_agency_has_no_rights(make_user: Callable[..., User]) -> None:
    loner = make_user("no.agency", None)  # no token for such a user: a session
    assert api(loner).get("/api/v1/me/").status_code == 401
    me = logged_in(loner).get("/api/v1/me/").json()
    assert (me["agency"], me["roles"], me["permissions"]) == (None, [], [])


def test_agency_directory_lists_active_agencies_with_their_ids(
    caseworker: User, agency_a: Agency, agency_b: Agency, make_user: Callable[..., User]
) -> None:
    closed = Agency.objects.create(name="Closed office (synthetic)", kind="NGO", is_active=False)
    abroad = Agency.objects.create(
        name="Consulate (synthetic)", kind="ConsularOffice", country="PL"
    )
    body = api(caseworker).get("/api/v1/agencies/").json()
    rows = {row["id"]: row for row in body["results"]}
    assert set(rows) == {str(agency_a.id), str(agency_b.id), str(abroad.id)}
    assert str(closed.id) not in rows
    assert rows[str(agency_b.id)] == {
        "id": str(agency_b.id),
        "name": agency_b.name,
        "kind": "NationalPolice",
        "oblast": "UA-63",
        "country": "UA",
    }
    assert rows[str(abroad.id)]["country"] == "PL"
    police = api(caseworker).get("/api/v1/agencies/", {"kind": "NationalPolice"}).json()
    assert [r["id"] for r in police["results"]] == [str(agency_b.id)]
    loner = make_user("no.agency", None)
    assert logged_in(loner).get("/api/v1/agencies/").status_code == 404


# --- consent -------------------------------------------------------------------------------------


CONSENT = {
    "legal_basis": "Consent",
    "purposes": ["Medical"],
    "data_categories": ["Identity", "Health"],
    "given_on": "2016-03-15",
}


def test_consent_is_recorded_and_lets_the_client_refer(
    shevchenko_case: Case, caseworker: User, agency_b: Agency
) -> None:
    client = api(caseworker)
    url = f"/api/v1/cases/{shevchenko_case.id}/consents/"
    response = send(client, "post", url, {**CONSENT, "recipient": str(agency_b.id)})
    assert response.status_code == 201, response.content
    consent = Consent.objects.get(id=response.json()["id"])
    assert (consent.recipient_id, consent.purposes) == (agency_b.id, ["Medical"])
    assert AuditEvent.objects.filter(action="consent.recorded").count() == 1
    assert [r["id"] for r in client.get(url).json()["results"]] == [str(consent.id)]
    referral = send(
        client,
        "post",
        f"/api/v1/cases/{shevchenko_case.id}/referrals/",
        {"to_agency": str(agency_b.id), "purpose": "Medical", "data_categories": ["Identity"]},
    )
    assert referral.status_code == 201, referral.content


def test_consent_errors_name_the_fields(shevchenko_case: Case, caseworker: User) -> None:
    url = f"/api/v1/cases/{shevchenko_case.id}/consents/"
    client = api(caseworker)
    bad = {**CONSENT, "legal_basis": "Whim", "purposes": [], "given_on": "2999-01-01"}
    assert set(fields(send(client, "post", url, bad))) == {"legal_basis", "purposes", "given_on"}
    unknown = {**CONSENT, "recipient": "00000000-0000-4000-8000-000000000009"}
    assert set(fields(send(client, "post", url, unknown))) == {"recipient"}
    assert set(fields(send(client, "post", url, {}))) >= {"legal_basis", "given_on"}
    assert Consent.objects.count() == 0


def test_a_childs_consent_is_given_by_the_legal_representative(
    caseworker: User, actor_a: Actor, make_case: Callable[..., Case]
) -> None:
    from tests.conftest import person_input

    child = make_case(actor_a, person_input(birth="2002-05-01"))
    url = f"/api/v1/cases/{child.id}/consents/"
    client = api(caseworker)
    assert set(fields(send(client, "post", url, CONSENT))) == {"given_by"}
    by_parent = {**CONSENT, "given_by": "LegalRepresentative", "representative_role": "Parent"}
    response = send(client, "post", url, by_parent)
    assert response.status_code == 201, response.content
    assert (response.json()["given_by"], response.json()["representative_role"]) == (
        "LegalRepresentative",
        "Parent",
    )
    no_role = {**CONSENT, "given_by": "LegalRepresentative"}
    assert set(fields(send(client, "post", url, no_role))) == {"representative_role"}


def test_consent_is_the_owners_only(
    shevchenko_case: Case, actor_a: Actor, outsider: User, make_user: Callable[..., User]
) -> None:
    url = f"/api/v1/cases/{shevchenko_case.id}/consents/"
    consent = record_basis(actor_a, shevchenko_case)
    withdraw = f"/api/v1/consents/{consent.id}/withdraw/"
    assert send(api(outsider), "post", url, CONSENT).status_code == 404
    assert send(api(outsider), "post", withdraw).status_code == 404
    recipient = make_user("b.caseworker", actor_for(outsider).agency, "caseworker")
    shared_with(shevchenko_case, actor_a, recipient)
    assert send(api(recipient), "post", url, CONSENT).status_code == 403
    assert api(recipient).get(url).status_code == 403
    assert send(api(recipient), "post", withdraw).status_code == 403
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_withdrawing_consent_ends_the_referrals_it_covered(
    shevchenko_case: Case,
    actor_a: Actor,
    caseworker: User,
    make_user: Callable[..., User],
    agency_b: Agency,
) -> None:
    recipient = make_user("b.caseworker", agency_b, "caseworker")
    referral = shared_with(shevchenko_case, actor_a, recipient)
    consent = shevchenko_case.consents.get()
    url = f"/api/v1/consents/{consent.id}/withdraw/"
    response = send(api(caseworker), "post", url)
    assert response.status_code == 200, response.content
    assert response.json()["ended_referrals"] == [str(referral.id)]
    assert response.json()["consent"]["withdrawn_on"] is not None
    assert api(recipient).get(f"/api/v1/cases/{shevchenko_case.id}/").status_code == 404
    assert set(fields(send(api(caseworker), "post", url))) == {"withdrawn_on"}


# --- case create and update ----------------------------------------------------------------------


def new_case(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "person": {
            "first_name": "Марія",
            "family_name": "Бондаренко",
            "birth_date": "1991-06-02",
            "gender": "Feminine",
            "citizenships": ["UA"],
            "documents": [{"type": "Passport", "number": "ME123456"}],
            "phones": ["+380501112233"],
        },
        "identified_on": "2016-04-02",
        "identification_oblast": "UA-63",
        "channel": "Hotline",
        "codes": {"ua_exploitation": ["LabourExploitation"], "vic_Vulnerabilities": ["Poverty"]},
        "events": [
            {
                "type": "Exploitation",
                "country": "PL",
                "started_on": "2015-09-01",
                "ended_on": "2016-03-01",
            },
        ],
    }
    body.update(overrides)
    return body


def test_case_is_registered_with_the_web_forms_rules(caseworker: User, agency_a: Agency) -> None:
    response = send(api(caseworker), "post", "/api/v1/cases/", new_case())
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(id=body["id"])
    assert case.owner_agency_id == agency_a.id
    assert body["person"]["family_name"] == "Бондаренко"
    assert body["codes"]["vic_TypeOfExploitation"] == ["ForcedLabour"]  # derived, as on the web
    assert [e["country"] for e in body["events"]] == ["PL"]
    assert open_identity(case.person).documents[0].number == "ME123456"
    assert AuditEvent.objects.filter(action="case.registered").count() == 1


def test_case_create_errors_name_the_fields(caseworker: User) -> None:
    client = api(caseworker)
    nameless = new_case(person={"gender": "Feminine"}, codes={})
    assert set(fields(send(client, "post", "/api/v1/cases/", nameless))) == {
        "person.family_name",
        "codes.ua_exploitation",
    }
    # Checked by the service against the code lists, named by path.
    bad_codes = new_case(
        channel="Pigeon",
        events=[{"type": "Exploitation", "country": "XX"}],
        person={"family_name": "Бондаренко", "gender": "Unknown", "rnokpp": "123"},
    )
    assert set(fields(send(client, "post", "/api/v1/cases/", bad_codes))) == {
        "channel",
        "events[0].country",
        "person.gender",
        "person.rnokpp",
    }
    missing = fields(send(client, "post", "/api/v1/cases/", {"person": {}}))
    assert {"identified_on", "channel"} <= set(missing)
    doc = new_case(person={"family_name": "Б", "documents": [{"type": "Passport"}]})
    assert set(fields(send(client, "post", "/api/v1/cases/", doc))) == {
        "person.documents[0].number"
    }
    assert Case.objects.count() == 0


def test_case_create_needs_the_permission(make_user: Callable[..., User], agency_b: Agency) -> None:
    prosecutor = make_user("b.prosecutor", agency_b, "prosecutor")
    assert send(api(prosecutor), "post", "/api/v1/cases/", new_case()).status_code == 403


def test_case_update_changes_what_is_sent_and_keeps_the_rest(
    shevchenko_case: Case, caseworker: User
) -> None:
    url = f"/api/v1/cases/{shevchenko_case.id}/"
    change = {
        "person": {"family_name": "Шевчук"},
        "codes": {"vic_MethodsOfControl": ["DebtBondage"]},
        "channel": "Hotline",
    }
    response = send(api(caseworker), "patch", url, change)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["person"]["family_name"] == "Шевчук"
    assert body["person"]["first_name"] == "Олександр"  # kept
    assert body["channel"] == "Hotline"
    assert body["codes"]["vic_MethodsOfControl"] == ["DebtBondage"]
    assert body["codes"]["ua_exploitation"] == ["LabourExploitation"]  # kept
    assert [e["country"] for e in body["events"]] == ["RU"]  # kept
    event = AuditEvent.objects.get(action="case.changed")
    assert "person.family_name" in event.detail["fields"]


def test_case_update_errors_and_refusals(
    shevchenko_case: Case,
    actor_a: Actor,
    caseworker: User,
    outsider: User,
    make_user: Callable[..., User],
    agency_b: Agency,
) -> None:
    url = f"/api/v1/cases/{shevchenko_case.id}/"
    client = api(caseworker)
    none = {"ua_exploitation": [], "vic_TypeOfExploitation": [], "nonsense": ["x"]}
    bad = {"identified_on": "2999-01-01", "codes": none}
    assert set(fields(send(client, "patch", url, bad))) == {
        "codes.ua_exploitation",
        "codes.nonsense",
    }
    future = fields(send(client, "patch", url, {"identified_on": "2999-01-01"}))
    assert set(future) == {"identified_on"}
    assert set(fields(send(client, "patch", url, ["not", "an", "object"]))) == {"non_field"}
    assert send(api(outsider), "patch", url, {"channel": "Hotline"}).status_code == 404
    recipient = make_user("b.caseworker", agency_b, "caseworker")
    shared_with(shevchenko_case, actor_a, recipient)
    assert send(api(recipient), "patch", url, {"channel": "Hotline"}).status_code == 403
    shevchenko_case.refresh_from_db()
    assert shevchenko_case.channel == "NGOOutreach"


# --- support plans ---------------------------------------------------------------------------


def test_support_plans_are_listed_recorded_and_changed(
    shevchenko_case: Case, caseworker: User, agency_a: Agency
) -> None:
    client = api(caseworker)
    url = f"/api/v1/cases/{shevchenko_case.id}/plans/"
    created = send(client, "post", url, {"objectives": "Return home, medical check"})
    assert created.status_code == 201, created.content
    plan_id = created.json()["id"]
    assert created.json()["objectives"] == "Return home, medical check"
    listed = client.get(url).json()
    assert [p["id"] for p in listed["results"]] == [plan_id]
    assert listed["results"][0]["agency_id"] == str(agency_a.id)
    changed = send(client, "patch", f"/api/v1/plans/{plan_id}/", {"actual_end_date": "2016-05-01"})
    assert changed.status_code == 200, changed.content
    plan = SupportPlan.objects.get(id=plan_id)
    assert str(plan.actual_end_date) == "2016-05-01"
    assert open_objectives(plan) == "Return home, medical check"  # kept


def test_support_plan_errors_and_refusals(
    shevchenko_case: Case,
    actor_a: Actor,
    caseworker: User,
    outsider: User,
    make_user: Callable[..., User],
    agency_b: Agency,
) -> None:
    client = api(caseworker)
    url = f"/api/v1/cases/{shevchenko_case.id}/plans/"
    assert set(fields(send(client, "post", url, {"objectives": " "}))) == {"objectives"}
    plan = record_plan(actor=actor_a, case=shevchenko_case, objectives="Synthetic objectives")
    early = fields(
        send(client, "patch", f"/api/v1/plans/{plan.id}/", {"planned_end_date": "2000-01-01"})
    )
    assert set(early) == {"planned_end_date"}
    assert api(outsider).get(url).status_code == 404
    assert send(api(outsider), "patch", f"/api/v1/plans/{plan.id}/", {}).status_code == 404
    assert api(outsider).get(f"/api/v1/plans/{plan.id}/").status_code == 404
    # A share for medical help manages assistance but does not show psycho-social notes.
    recipient = make_user("b.caseworker", agency_b, "caseworker")
    shared_with(shevchenko_case, actor_a, recipient)
    rows = api(recipient).get(url).json()["results"]
    assert [(r["id"], r["objectives"]) for r in rows] == [(str(plan.id), None)]
    assert api(recipient).get(f"/api/v1/plans/{plan.id}/").json()["objectives"] is None
    assert api(caseworker).get(f"/api/v1/plans/{plan.id}/").json()["objectives"] == (
        "Synthetic objectives"
    )
    assert send(api(recipient), "post", url, {"objectives": "x"}).status_code == 403
    patch = send(api(recipient), "patch", f"/api/v1/plans/{plan.id}/", {"objectives": "x"})
    assert patch.status_code == 403
    prosecutor = make_user("a.prosecutor", actor_a.agency, "prosecutor")
    assert api(prosecutor).get(url).status_code == 403


# --- linkage ---------------------------------------------------------------------------------


@pytest.fixture
def pair(shevchenko_case: Case, make_case: Callable[..., Case], actor_a: Actor) -> CandidatePair:
    other = make_case(actor_a)
    run = LinkageRun.objects.create(status=LinkageRun.Status.DONE)
    left, right = sorted([shevchenko_case.person_id, other.person_id], key=str)
    explanation = [
        {"field": "name", "level": "same given and family name", "weight": 6.1},
        {"field": "phone", "level": "different", "weight": -2.5},
    ]
    return CandidatePair.objects.create(
        run=run, left_id=left, right_id=right, probability=0.6, weight=1.2, explanation=explanation
    )


def test_linkage_queue_pair_and_decision(
    pair: CandidatePair, make_user: Callable[..., User], agency_b: Agency
) -> None:
    coordinator = make_user("b.coordinator", agency_b, "coordinator")
    client = api(coordinator)
    queue = client.get("/api/v1/linkage/queue/").json()
    assert [(r["id"], r["agreeing"], r["against"]) for r in queue["results"]] == [
        (str(pair.id), ["name"], ["phone"])
    ]
    assert queue["results"][0]["counted_as_one"] is False  # 0.6, nothing else joins them
    shown = client.get(f"/api/v1/linkage/pairs/{pair.id}/").json()
    assert shown["left"]["family_name"] == "Шевченко"
    assert shown["counted_as_one"] is False
    assert set(shown["left"]) == {
        "agency",
        "registered",
        "first_name",
        "middle_name",
        "family_name",
        "birth_date",
        "gender",
        "citizenships",
    }
    assert AuditEvent.objects.filter(action="linkage.pair_viewed", object_id=pair.id).exists()
    decided = send(
        client, "post", f"/api/v1/linkage/pairs/{pair.id}/decision/", {"decision": "same"}
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["decision"] == "same"
    assert decided.json()["counted_as_one"] is True
    assert linkage_services.national_id(pair.left_id) == linkage_services.national_id(pair.right_id)
    assert client.get("/api/v1/linkage/queue/").json()["count"] == 0
    assert client.get("/api/v1/linkage/queue/", {"show": "same"}).json()["count"] == 1


def test_linkage_errors_and_refusals(
    pair: CandidatePair, caseworker: User, make_user: Callable[..., User], agency_b: Agency
) -> None:
    statistician = make_user("b.statistician", agency_b, "statistician")
    client = api(statistician)
    url = f"/api/v1/linkage/pairs/{pair.id}/decision/"
    assert set(fields(send(client, "post", url, {"decision": "maybe"}))) == {"decision"}
    bad = client.get("/api/v1/linkage/queue/", {"show": "x", "min_probability": "2"})
    assert set(fields(bad)) == {"show", "min_probability"}
    # Pairs are national: a role without linkage.review finds nothing there.
    for path in ("/api/v1/linkage/queue/", f"/api/v1/linkage/pairs/{pair.id}/"):
        assert api(caseworker).get(path).status_code == 404
    assert send(api(caseworker), "post", url, {"decision": "same"}).status_code == 404
    pair.refresh_from_db()
    assert pair.decision == CandidatePair.Decision.PENDING


def test_linkage_decision_needs_merge(
    pair: CandidatePair,
    make_user: Callable[..., User],
    agency_b: Agency,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from opennrm.access import roles

    reviewer = make_user("b.reviewer", agency_b, "statistician")
    real = roles.permissions_of
    monkeypatch.setattr(
        "opennrm.access.policy.permissions_of",
        lambda r: real(r) - {roles.LINKAGE_MERGE},
    )
    client = api(reviewer)
    assert client.get(f"/api/v1/linkage/pairs/{pair.id}/").status_code == 200
    url = f"/api/v1/linkage/pairs/{pair.id}/decision/"
    assert send(client, "post", url, {"decision": "same"}).status_code == 403


def test_the_schema_documents_every_new_endpoint(caseworker: User) -> None:
    text = api(caseworker).get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in (
        "/api/v1/me/",
        "/api/v1/agencies/",
        "/api/v1/cases/{case_id}/consents/",
        "/api/v1/consents/{consent_id}/withdraw/",
        "/api/v1/cases/{case_id}/plans/",
        "/api/v1/plans/{plan_id}/",
        "/api/v1/linkage/queue/",
        "/api/v1/linkage/pairs/{pair_id}/",
        "/api/v1/linkage/pairs/{pair_id}/decision/",
    ):
        assert path in text, path
    schema = json.loads(text)
    assert "post" in schema["paths"]["/api/v1/cases/"]
    assert "patch" in schema["paths"]["/api/v1/cases/{case_id}/"]
