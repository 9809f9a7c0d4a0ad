"""The status procedure through the API: explicit action endpoints, 409 for an illegal
transition, 400 with fields for bad input, 403 for non-deciders, 404 for other agencies."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client

from opennrm.accounts.models import User
from opennrm.accounts.services import issue_api_token
from opennrm.cases.models import Case
from opennrm.cases.services import PersonInput
from opennrm.core.ages import PartialDate
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.models import StatusApplication
from opennrm.people.identity import Identity
from tests.nrm.test_status_support import (
    World,
    application_in,
    build_world,
    register,
)


@pytest.fixture
def world(db: object, make_user: Callable[..., User], make_case: Callable[..., Case]) -> World:
    return build_world(make_user, make_case)


TODAY = dt.datetime(2016, 3, 21, 11, tzinfo=dt.UTC)


class Api:
    def __init__(self, user: User) -> None:
        self.client = Client(headers={"Authorization": f"Bearer {issue_api_token(user=user)}"})

    def get(self, path: str) -> Any:
        return self.client.get("/api/v1" + path)

    def post(self, path: str, body: object = None) -> Any:
        return self.client.post(
            "/api/v1" + path, json.dumps(body or {}), content_type="application/json"
        )


@time_machine.travel(TODAY, tick=False)
def test_register_act_and_decide_through_the_api(world: World) -> None:
    hromada = Api(world.official)
    created = hromada.post(
        f"/cases/{world.case.id}/status-applications/",
        {"journal_number": "7/2016", "applied_on": "2016-03-18", "documents": ["Application"]},
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["state"], body["missing_documents"]) == ("registered", ["IdentityDocumentCopy"])
    assert body["allowed_actions"] == ["record_interview", "waive_interview", "withdraw"]
    [deadline] = body["deadlines"]
    assert (deadline["step"], deadline["due_on"], deadline["verify"]) == (
        "interview",
        "2016-03-21",
        True,
    )
    assert deadline["standing"] == "nearing"
    app_url = f"/status-applications/{body['id']}"

    no_consent = hromada.post(
        f"{app_url}/record-interview/",
        {"interviewed_on": "2016-03-20", "consent_recorded": False, "nondisclosure_signed": True},
    )
    assert no_consent.status_code == 400
    assert no_consent.json()["error"]["code"] == "invalid"
    assert set(no_consent.json()["error"]["fields"]) == {"consent_recorded"}
    missing = hromada.post(f"{app_url}/record-interview/", {"consent_recorded": True})
    assert missing.status_code == 400
    assert "interviewed_on" in missing.json()["error"]["fields"]

    done = hromada.post(
        f"{app_url}/record-interview/",
        {"interviewed_on": "2016-03-20", "consent_recorded": True, "nondisclosure_signed": True},
    )
    assert done.status_code == 200
    assert done.json()["state"] == "interviewed"
    illegal = hromada.post(
        f"{app_url}/waive-interview/", {"waived_on": "2016-03-20", "reason": "IdentifiedByCourt"}
    )
    assert illegal.status_code == 409
    assert illegal.json()["error"]["code"] == "illegal_transition"
    assert (illegal.json()["error"]["state"], illegal.json()["error"]["action"]) == (
        "interviewed",
        "waive_interview",
    )

    assert (
        hromada.post(
            f"{app_url}/forward-to-oblast/", {"to_agency": str(world.oblast.id)}
        ).status_code
        == 200
    )
    assert (
        Api(world.oblast_official)
        .post(f"{app_url}/forward-to-national/", {"to_agency": str(world.nss.id)})
        .status_code
        == 200
    )
    grant = {
        "decided_on": "2016-03-21",
        "certificate_number": "A-1",
        "certificate_issued_on": "2016-03-21",
        "certificate_valid_until": "2018-03-21",
    }
    forbidden = Api(world.nss_clerk).post(f"{app_url}/grant/", grant)
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["code"] == "permission_denied"
    decider = Api(world.decider)
    too_long = decider.post(f"{app_url}/grant/", {**grant, "certificate_valid_until": "2018-03-22"})
    assert too_long.status_code == 400
    assert "certificate_valid_until" in too_long.json()["error"]["fields"]
    granted = decider.post(f"{app_url}/grant/", grant)
    assert granted.status_code == 200
    assert (granted.json()["state"], granted.json()["certificate_valid_until"]) == (
        "granted",
        "2018-03-21",
    )
    assert [s["action"] for s in granted.json()["steps"]] == [
        "register",
        "record_interview",
        "forward_to_oblast",
        "forward_to_national",
        "grant",
    ]

    claimed = hromada.post(
        f"{app_url}/payment/", {"claimed_on": "2016-03-21", "category": "ChildUnder6"}
    )
    assert claimed.status_code == 201
    assert (claimed.json()["amount"], claimed.json()["due_on"]) == ("1167.00", "2016-04-21")
    paid = hromada.post(f"/payments/{claimed.json()['id']}/pay/", {"paid_on": "2016-03-21"})
    assert (paid.status_code, paid.json()["state"], paid.json()["met_deadline"]) == (
        200,
        "paid",
        True,
    )
    assert (
        hromada.post(f"/payments/{claimed.json()['id']}/pay/", {"paid_on": "2016-03-21"}).json()[
            "error"
        ]["code"]
        == "illegal_transition"
    )


def test_another_agency_gets_404_like_a_missing_application(world: World, outsider: User) -> None:
    app = application_in(world, wf.GRANTED)
    api = Api(outsider)
    hidden = api.get(f"/status-applications/{app.id}/")
    missing = api.get("/status-applications/00000000-0000-4000-8000-000000000000/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert api.post(f"/status-applications/{app.id}/revoke/", {}).status_code == 404
    assert api.get(f"/cases/{world.case.id}/status-applications/").status_code == 404


def test_a_decider_of_another_agency_cannot_decide_a_file_it_does_not_hold(
    world: World, make_user: Callable[..., User]
) -> None:
    app = application_in(world, wf.AT_NATIONAL)
    local_decider = make_user("local.decider", world.hromada, "decision_maker")
    response = Api(local_decider).post(
        f"/status-applications/{app.id}/refuse/", {"decided_on": "2016-03-20", "reason": "Other"}
    )
    assert response.status_code == 403  # sees the case, but the file is at the national level
    assert StatusApplication.objects.get(pk=app.pk).state == wf.AT_NATIONAL


@time_machine.travel(dt.datetime(2016, 3, 25, 11, tzinfo=dt.UTC), tick=False)
def test_overdue_list_for_the_callers_agency(world: World) -> None:
    app = register(world, on=dt.date(2016, 3, 15))
    overdue = Api(world.official).get("/status-applications/?due=overdue")
    assert overdue.status_code == 200
    assert [r["id"] for r in overdue.json()["results"]] == [str(app.id)]
    assert Api(world.official).get("/status-applications/?due=nearing").json()["results"] == []
    assert Api(world.decider).get("/status-applications/?due=overdue").json()["results"] == []
    assert Api(world.official).get("/status-applications/?due=soon").status_code == 400


@time_machine.travel(TODAY, tick=False)
def test_reflection_periods_through_the_api(world: World, make_case: Callable[..., Case]) -> None:
    person = PersonInput(
        identity=Identity(
            first_name="Ion", family_name="Testescu", birth_date=PartialDate.parse("1991")
        ),
        gender="Masculine",
        citizenships=["MD"],
    )
    case = make_case(world.actor(world.official), person=person)
    api = Api(world.official)
    short = api.post(
        f"/cases/{case.id}/reflection-periods/", {"starts_on": "2016-03-20", "days": 29}
    )
    assert short.status_code == 400
    assert "days" in short.json()["error"]["fields"]
    created = api.post(
        f"/cases/{case.id}/reflection-periods/", {"starts_on": "2016-03-20", "days": 30}
    )
    assert created.status_code == 201
    assert (created.json()["ends_on"], created.json()["days_left"]) == ("2016-04-18", 29)
    ended = api.post(
        f"/reflection-periods/{created.json()['id']}/end/",
        {"ended_on": "2016-03-21", "reason": "ResidencePermitGranted"},
    )
    assert ended.status_code == 200
    assert api.get(f"/cases/{case.id}/reflection-periods/").json()[0]["ended_early_reason"] == (
        "ResidencePermitGranted"
    )


def test_the_schema_documents_one_endpoint_per_transition(world: World) -> None:
    schema = Api(world.official).client.get(
        "/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert schema.status_code == 200
    text = schema.content.decode()
    for t in wf.user_transitions(wf.WORKFLOW):
        assert (
            f"/api/v1/status-applications/{{application_id}}/{t.action.replace('_', '-')}/" in text
        )
    assert "illegal_transition" in text
