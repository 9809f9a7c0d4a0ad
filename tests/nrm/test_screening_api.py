"""Screening API: the same services and gate, the project's error envelope."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.test import Client

from opennrm.accounts.models import User
from opennrm.accounts.services import issue_api_token
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.nrm.screening.models import Screening
from opennrm.tenancy.models import Agency
from tests.nrm.test_screening_rules import CONSTRUCTION_SITE

URL = "/api/v1/screenings/"


def api(user: User) -> Client:
    return Client(
        headers={
            "Authorization": f"Bearer {issue_api_token(user=user)}",
            "Accept-Language": "en",
        }
    )


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_record_list_read_change_and_attach(caseworker: User, shevchenko_case: Case) -> None:
    client = api(caseworker)
    created = post(
        client,
        URL,
        {"list": "adult_labour", "answers": CONSTRUCTION_SITE, "subject": "Тарас"},
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["outcome"] == "presumed_victim"
    assert body["positive_dimensions"] == [1, 4, 5]
    assert body["data_version"] == "2009-09.2"
    assert body["subject"] == "Тарас"
    assert body["case"] is None
    assert body["result"]["requirements"]["means_at_destination"] is True
    assert "not a legal finding" in body["recommendation"]

    listed = client.get(URL, {"outcome": "presumed_victim"})
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()["results"]] == [body["id"]]
    assert client.get(URL, {"attached": "attached"}).json()["count"] == 0

    detail = client.get(f"{URL}{body['id']}/")
    assert detail.status_code == 200
    assert detail.json()["answers"]["al.cd.documents"] == "present"
    assert AuditEvent.objects.filter(action="screening.viewed", detail__via="api").count() == 1

    changed = client.patch(
        f"{URL}{body['id']}/",
        json.dumps({"answers": {"al.cd.documents": "unknown", "al.cd.debt_bondage": "unknown"}}),
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["outcome"] == "incomplete"
    assert "al.cd.documents" in changed.json()["result"]["missing"]

    attached = post(client, f"{URL}{body['id']}/attach/", {"case": str(shevchenko_case.id)})
    assert attached.status_code == 200, attached.json()
    assert attached.json()["case"] == str(shevchenko_case.id)
    twice = post(client, f"{URL}{body['id']}/attach/", {"case": str(shevchenko_case.id)})
    assert twice.status_code == 200


def test_record_for_a_case_in_one_request(caseworker: User, shevchenko_case: Case) -> None:
    created = post(api(caseworker), URL, {"list": "child_labour", "case": str(shevchenko_case.id)})
    assert created.status_code == 201
    assert created.json()["case"] == str(shevchenko_case.id)
    assert created.json()["outcome"] == "incomplete"


def test_errors_use_the_envelope(caseworker: User, make_case: Callable[..., Case]) -> None:
    client = api(caseworker)
    bad_list = post(client, URL, {"list": "adults"})
    assert bad_list.status_code == 400
    assert bad_list.json()["error"]["code"] == "invalid"
    assert "list" in bad_list.json()["error"]["fields"]
    bad_answer = post(client, URL, {"list": "adult_labour", "answers": {"cl.dr.wages": "present"}})
    assert bad_answer.status_code == 400
    assert "answers" in bad_answer.json()["error"]["fields"]
    bad_value = post(client, URL, {"list": "adult_labour", "answers": {"al.dr.wages": "yes"}})
    assert bad_value.status_code == 400
    missing_case = post(
        client, URL, {"list": "adult_labour", "case": "00000000-0000-4000-8000-000000000000"}
    )
    assert missing_case.status_code == 400
    assert "case" in missing_case.json()["error"]["fields"]
    assert Screening.objects.count() == 0


def test_another_agency_gets_404_like_a_missing_screening(
    caseworker: User, outsider: User, shevchenko_case: Case
) -> None:
    body = post(api(caseworker), URL, {"list": "adult_labour"}).json()
    client = api(outsider)
    hidden = client.get(f"{URL}{body['id']}/")
    missing = client.get(f"{URL}00000000-0000-4000-8000-000000000000/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert post(client, f"{URL}{body['id']}/attach/", {"case": "x"}).status_code == 404
    assert client.get(URL).json()["count"] == 0
    # A hidden case in a request body answers like a missing one.
    foreign = post(client, URL, {"list": "adult_labour", "case": str(shevchenko_case.id)})
    assert foreign.status_code == 400
    assert "case" in foreign.json()["error"]["fields"]


def test_roles_and_anonymous(
    caseworker: User, agency_a: Agency, make_user: Callable[..., User]
) -> None:
    body = post(api(caseworker), URL, {"list": "adult_labour"}).json()
    prosecutor = api(make_user("pros", agency_a, "prosecutor"))
    assert post(prosecutor, URL, {"list": "adult_labour"}).status_code == 403
    assert prosecutor.get(f"{URL}{body['id']}/").status_code == 200
    assert post(prosecutor, f"{URL}{body['id']}/attach/", {"case": "x"}).status_code == 403
    assert Client().get(URL).status_code == 401
    assert Client().post(URL).status_code == 401


def test_the_schema_documents_the_screening_endpoints(caseworker: User) -> None:
    schema = api(caseworker).get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/screenings/"])
    assert {"get", "patch"} <= set(paths["/api/v1/screenings/{screening_id}/"])
    assert "post" in paths["/api/v1/screenings/{screening_id}/attach/"]
