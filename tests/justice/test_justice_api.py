"""The justice API: the story through the endpoints, 400 with fields for a bad ERDR number,
409 for a step the stage table forbids, 403 for the wrong side, 404 for other units, suspects'
identities only to those who see suspects, and every endpoint in the OpenAPI schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from opennrm.access import roles
from opennrm.accounts.models import User
from opennrm.accounts.services import issue_api_token
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.justice import workflow as wf
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency
from tests.justice.test_justice_pages import ERDR, share_for_proceedings

API = "/api/v1/proceedings/"


def api(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_api_token(user=user)}"})


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def register(client: Client, prosecutors: Agency, number: str = ERDR) -> Any:
    return post(
        client,
        API,
        {
            "erdr_number": number,
            "registered_on": "2016-03-02",
            "article": "149.2",
            "prosecution_agency": str(prosecutors.id),
        },
    )


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("", "This field may not be blank"),
        ("120162200000001234", "17 digits; this one has 18"),
        ("１2016220000000123", "digits only"),
        ("12011220000000123", "before the register opened"),
        ("12015220000000123", "encodes the year 2015"),
    ],
)
def test_a_bad_erdr_number_is_400_with_its_reason(
    number: str, reason: str, people: dict[str, Actor], prosecutors: Agency
) -> None:
    justice_users = {name: actor.user for name, actor in people.items()}
    client = api(justice_users["investigator"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = register(client, prosecutors, number)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert reason in error["fields"]["erdr_number"][0]


def test_the_story_through_the_api(
    people: dict[str, Actor],
    police: Agency,
    prosecutors: Agency,
    court: Agency,
    actor_a: Actor,
    make_case: Callable[..., Case],
) -> None:
    justice_users = {name: actor.user for name, actor in people.items()}
    investigator = api(justice_users["investigator"])
    prosecutor = api(justice_users["prosecutor"])
    judge = api(justice_users["judge"])
    victims = [make_case(actor_a), make_case(actor_a)]
    for case in victims:
        share_for_proceedings(
            actor_a, case, police, justice_users["investigator"], ("Identity", "Justice")
        )
    created = register(investigator, prosecutors)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["stage"] == wf.REGISTERED
    assert body["investigation_deadline"]["due_on"] == "2017-09-02"
    assert "art. 219" in body["investigation_deadline"]["legal_source"]
    assert set(body["allowed_actions"]) == {wf.START_INVESTIGATION, wf.NOTIFY_SUSPICION, wf.CLOSE}
    base = f"{API}{body['id']}/"

    for case in victims:
        added = post(
            investigator,
            base + "participants/",
            {"case_id": str(case.id), "role": "InjuredParty", "willing_to_testify": True},
        )
        assert added.status_code == 201, added.json()
        assert "full_name" not in added.json()
    twice = post(
        investigator, base + "participants/", {"case_id": str(victims[0].id), "role": "Witness"}
    )
    assert twice.status_code == 400
    assert "case_id" in twice.json()["error"]["fields"]
    suspect = post(
        investigator,
        base + "suspects/",
        {
            "family_name": "Вербовський",
            "first_name": "Гнат",
            "role": "Recruiter",
            "gender": "Masculine",
        },
    )
    assert suspect.status_code == 201
    assert suspect.json()["identity"]["family_name"] == "Вербовський"
    suspicion = post(investigator, base + "notify-suspicion/", {"on": "2016-04-01"})
    assert suspicion.status_code == 200
    assert suspicion.json()["investigation_deadline"]["due_on"] == "2017-04-01"
    assert (
        post(
            investigator, base + "requalify/", {"article": "149.3", "since": "2016-05-01"}
        ).status_code
        == 200
    )

    # A step the stage table does not allow now: 409; another side's step: 403.
    illegal = post(investigator, base + "start-investigation/", {"on": "2016-05-02"})
    assert illegal.status_code == 409
    assert illegal.json()["error"]["code"] == "illegal_transition"
    assert (
        post(
            investigator, base + "send-indictment/", {"on": "2016-09-01", "court": str(court.id)}
        ).status_code
        == 403
    )

    participant_id = next(
        p["id"]
        for p in investigator.get(base).json()["participants"]
        if p["case_id"] == str(victims[0].id)
    )
    protection = post(
        investigator,
        base + "protection/",
        {
            "participant_id": participant_id,
            "measure": "PersonalProtection",
            "requested_on": "2016-04-02",
        },
    )
    assert protection.status_code == 201
    granted = post(
        investigator,
        f"{base}protection/{protection.json()['id']}/decision/",
        {
            "decision": "Granted",
            "decided_on": "2016-04-05",
            "valid_from": "2016-04-05",
            "valid_until": "2017-04-05",
        },
    )
    assert granted.status_code == 200
    assert granted.json()["decision"] == "Granted"

    sent = post(prosecutor, base + "send-indictment/", {"on": "2016-09-01", "court": str(court.id)})
    assert sent.status_code == 200, sent.json()
    assert sent.json()["court"]["id"] == str(court.id)

    assert post(judge, base + "open-trial/", {"on": "2016-10-03"}).status_code == 200
    hearing = post(judge, base + "hearings/", {"on": "2016-11-14"})
    assert hearing.status_code == 201
    held = post(judge, f"{base}hearings/{hearing.json()['id']}/outcome/", {"outcome": "Held"})
    assert held.status_code == 200
    accused = judge.get(base).json()["suspects"][0]
    assert accused["status"] == "Accused"
    judgment = post(
        judge,
        base + "judgments/",
        {
            "suspect_id": accused["id"],
            "decided_on": "2017-02-20",
            "verdict": "Conviction",
            "sentence_type": "Imprisonment",
            "sentence_months": 96,
            "confiscation": True,
        },
    )
    assert judgment.status_code == 201, judgment.json()
    compensation = post(
        judge,
        base + "compensation/",
        {
            "participant_id": participant_id,
            "route": "CivilClaimInProceeding",
            "claimed_uah": "50000",
            "awarded_uah": "20000",
        },
    )
    assert compensation.status_code == 201, compensation.json()
    verdict = post(judge, base + "deliver-verdict/", {"on": "2017-02-20"})
    assert verdict.status_code == 200
    detail = verdict.json()
    assert detail["stage"] == wf.VERDICT
    assert detail["investigation_deadline"] is None
    assert [q["article"] for q in detail["qualifications"]] == ["149.2", "149.3"]
    assert [s["to_stage"] for s in detail["steps"]] == [
        wf.SUSPICION,
        wf.INDICTMENT,
        wf.TRIAL,
        wf.VERDICT,
    ]
    assert detail["suspects"][0]["status"] == "Convicted"
    assert detail["judgments"][0]["sentence_months"] == 96

    listed = judge.get(API, {"stage": wf.VERDICT}).json()
    assert [r["id"] for r in listed["results"]] == [body["id"]]
    assert judge.get(API, {"stage": "nonsense"}).status_code == 400
    assert AuditEvent.objects.filter(action="proceeding.listed").exists()
    assert AuditEvent.objects.filter(action="proceeding.viewed", object_id=body["id"]).exists()


def test_other_units_and_roles_get_404_or_403(
    people: dict[str, Actor],
    prosecutors: Agency,
    make_user: Callable[..., User],
    caseworker: User,
    actor_a: Actor,
    make_case: Callable[..., Case],
) -> None:
    justice_users = {name: actor.user for name, actor in people.items()}
    created = register(api(justice_users["investigator"]), prosecutors).json()
    base = f"{API}{created['id']}/"
    other_unit = Agency.objects.create(name="Police, Lviv (synthetic)", kind="NationalPolice")
    stranger = api(make_user("s.investigator", other_unit, "investigator"))
    assert stranger.get(base).status_code == 404
    assert post(stranger, base + "start-investigation/", {"on": "2016-03-02"}).status_code == 404
    assert stranger.get(API).json()["results"] == []
    assert api(justice_users["judge"]).get(base).status_code == 404
    assert api(caseworker).get(API).status_code == 403
    assert api(caseworker).get(base).status_code == 404
    assert post(api(caseworker), API, {"erdr_number": ERDR}).status_code == 403
    # A case the police cannot see is not linked; nor one not shared for proceedings.
    hidden = make_case(actor_a)
    response = post(
        api(justice_users["investigator"]),
        base + "participants/",
        {"case_id": str(hidden.id), "role": "Witness"},
    )
    assert response.status_code == 400
    assert "case_id" in response.json()["error"]["fields"]
    # The prosecutor may not start the investigation.
    assert (
        post(
            api(justice_users["prosecutor"]), base + "start-investigation/", {"on": "2016-03-02"}
        ).status_code
        == 403
    )


def test_suspects_identities_only_with_suspect_view(
    people: dict[str, Actor],
    prosecutors: Agency,
    make_user: Callable[..., User],
    police: Agency,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    justice_users = {name: actor.user for name, actor in people.items()}
    investigator = api(justice_users["investigator"])
    created = register(investigator, prosecutors).json()
    base = f"{API}{created['id']}/"
    post(investigator, base + "suspects/", {"family_name": "Ловчий", "role": "Broker"})
    assert investigator.get(base).json()["suspects"][0]["identity"]["family_name"] == "Ловчий"
    # A role that reads proceedings without suspect.view (none has it today): identity null.
    monkeypatch.setitem(roles.ROLE_PERMISSIONS, "trainer", frozenset({roles.PROCEEDING_VIEW}))
    reader = api(make_user("t.reader", police, "trainer"))
    response = reader.get(base)
    assert response.json()["suspects"][0]["identity"] is None
    assert "Ловчий" not in response.content.decode()
    assert "Ловчий" not in api(make_user("t.reader2", police, "trainer")).get(API).content.decode()


def test_the_schema_documents_every_justice_endpoint(people: dict[str, Actor]) -> None:
    justice_users = {name: actor.user for name, actor in people.items()}
    schema = api(justice_users["investigator"]).get(
        "/api/v1/schema/", HTTP_ACCEPT="application/json"
    )
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/proceedings/" in paths
    assert set(paths["/api/v1/proceedings/"]) >= {"get", "post"}
    for action in (t.action for t in wf.WORKFLOW.transitions):
        assert f"/api/v1/proceedings/{{proceeding_id}}/{action.replace('_', '-')}/" in paths
    for tail in ("participants/", "suspects/", "hearings/", "judgments/", "requalify/"):
        assert f"/api/v1/proceedings/{{proceeding_id}}/{tail}" in paths
