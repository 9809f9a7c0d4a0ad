"""Assistance API: the directory with filters, a case's services, deliver and cancel, the gate."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from opennrm.accounts.models import User
from opennrm.accounts.services import issue_api_token
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.nrm.assistance.models import ServiceProvider
from opennrm.tenancy.actor import Actor
from tests.nrm.test_assistance_support import add_provider, new_agency, share_case

SHELTER = "ShelterPlacement"


def api(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_api_token(user=user)}"})


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def shelter(actor_a: Actor) -> ServiceProvider:
    return add_provider(
        actor_a,
        new_agency("Shelter Kharkiv", "Shelter"),
        [SHELTER, "Psychological"],
        beds_total=6,
        beds_free=2,
    )


def test_directory_filters_by_type_eligibility_and_free_beds(
    shevchenko_case: Case, caseworker: User, actor_a: Actor, shelter: ServiceProvider
) -> None:
    women = add_provider(
        actor_a, new_agency("Women only", "Shelter"), [SHELTER], sexes=["Feminine"]
    )
    full = add_provider(actor_a, new_agency("Full"), [SHELTER], beds_total=3, beds_free=0)
    client = api(caseworker)
    everyone = client.get(f"/api/v1/providers/?type={SHELTER}").json()
    assert {p["id"] for p in everyone["results"]} == {str(shelter.id), str(women.id), str(full.id)}
    eligible = client.get(
        f"/api/v1/providers/?type={SHELTER}&case={shevchenko_case.id}&eligible=true"
    ).json()
    assert {p["id"] for p in eligible["results"]} == {str(shelter.id), str(full.id)}
    free = client.get("/api/v1/providers/?free_beds=true").json()
    assert [p["id"] for p in free["results"]] == [str(shelter.id)]
    assert free["results"][0]["beds_free"] == 2


def test_plan_deliver_and_cancel_through_the_api(
    shevchenko_case: Case, caseworker: User, shelter: ServiceProvider
) -> None:
    client = api(caseworker)
    url = f"/api/v1/cases/{shevchenko_case.id}/services/"
    invalid = post(client, url, {"type": "Housing", "planned_on": "2016-03-15"})
    assert invalid.status_code == 400
    assert invalid.json()["error"]["code"] == "invalid"
    assert "type" in invalid.json()["error"]["fields"]
    unknown = post(
        client,
        url,
        {"type": SHELTER, "planned_on": "2016-03-15", "provider": str(shevchenko_case.id)},
    )
    assert unknown.status_code == 400
    assert "provider" in unknown.json()["error"]["fields"]

    planned = post(
        client, url, {"type": SHELTER, "planned_on": "2016-03-15", "provider": str(shelter.id)}
    )
    assert planned.status_code == 201, planned.json()
    service = planned.json()
    assert (service["state"], service["provider_agency_id"]) == ("planned", str(shelter.agency_id))

    late = post(
        client, f"/api/v1/services/{service['id']}/deliver/", {"delivered_from": "2016-03-01"}
    )
    assert late.status_code == 400
    assert "delivered_from" in late.json()["error"]["fields"]
    delivered = post(
        client, f"/api/v1/services/{service['id']}/deliver/", {"delivered_from": "2016-03-18"}
    )
    assert delivered.status_code == 200
    assert delivered.json()["state"] == "delivered"

    cancel = post(client, f"/api/v1/services/{service['id']}/cancel/")
    assert cancel.status_code == 409
    assert cancel.json()["error"]["code"] == "illegal_transition"

    listed = client.get(url).json()
    assert listed["first_assistance_on"] == "2016-03-18"
    assert listed["days_to_first_assistance"] == 4
    assert [s["id"] for s in listed["services"]] == [service["id"]]

    other = post(client, url, {"type": "Medical", "planned_on": "2016-04-01"}).json()
    assert post(client, f"/api/v1/services/{other['id']}/cancel/").json()["state"] == "cancelled"
    actions = AuditEvent.objects.filter(action__startswith="assistance.").values_list(
        "action", flat=True
    )
    assert list(actions) == [
        "assistance.service_planned",
        "assistance.service_delivered",
        "assistance.service_planned",
        "assistance.service_cancelled",
    ]


def test_the_api_gate_answers_404_hidden_and_403_by_share_purpose(
    shevchenko_case: Case,
    caseworker: User,
    actor_a: Actor,
    outsider: User,
    make_user: Callable[..., User],
) -> None:
    url = f"/api/v1/cases/{shevchenko_case.id}/services/"
    service = post(api(caseworker), url, {"type": "Medical", "planned_on": "2016-03-15"}).json()
    deliver = f"/api/v1/services/{service['id']}/deliver/"
    body = {"delivered_from": "2016-03-20", "provider_agency": None}

    hidden = api(outsider)
    assert hidden.get(url).status_code == 404
    assert post(hidden, deliver, body).json()["error"]["code"] == "not_found"

    police = make_user("police.api", new_agency("Police", "NationalPolice"), "investigator")
    share_case(actor_a, shevchenko_case, police, "CriminalProceedings")
    refused = post(api(police), deliver, body)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"

    clinic = make_user(
        "clinic.api", new_agency("Clinic", "HealthServiceOrganisation"), "caseworker"
    )
    share_case(actor_a, shevchenko_case, clinic, "Medical")
    body["provider_agency"] = str(new_agency("Hospital").id)
    assert post(api(clinic), deliver, body).status_code == 200


def test_the_schema_documents_the_assistance_endpoints(caseworker: User) -> None:
    schema = api(caseworker).get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    assert {
        "/api/v1/providers/",
        "/api/v1/cases/{case_id}/services/",
        "/api/v1/services/{service_id}/deliver/",
        "/api/v1/services/{service_id}/cancel/",
    } <= set(paths)
