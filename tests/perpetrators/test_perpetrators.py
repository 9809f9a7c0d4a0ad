"""The perpetrators register: encryption, blind-index search, the gate (law enforcement and
prosecution only), the API, and alerts on shared identifiers."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.justice.models import Proceeding
from opennrm.justice.perpetrator_services import (
    IdentifierInput,
    PerpetratorInput,
    add_identifiers,
    record_perpetrator,
)
from opennrm.justice.perpetrator_vault import PerpetratorIdentity
from opennrm.justice.perpetrators import Alert, Identifier, Perpetrator
from opennrm.tenancy.actor import actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import logged_in

NAME = "Гнатюк"
PHONE = "+380 67 555 12 34"


def broker(**overrides: Any) -> PerpetratorInput:
    values: dict[str, Any] = {
        "identity": PerpetratorIdentity(first_name="Віктор", family_name=NAME, aliases=["Vik"]),
        "gender": "Masculine",
        "citizenship": "UA",
        "roles": ["Broker"],
        "modus_operandi": ["RefugeeStatusBrokerage", "TargetsIdps"],
        "identifiers": [IdentifierInput("phone", PHONE)],
    }
    values.update(overrides)
    return PerpetratorInput(**values)


def test_identity_and_identifiers_are_encrypted_and_audited_without_values(
    justice_users: dict[str, User],
) -> None:
    actor = actor_for(justice_users["investigator"])
    perpetrator = record_perpetrator(actor=actor, data=broker())
    row = Perpetrator.objects.get(pk=perpetrator.pk)
    assert NAME.encode() not in bytes(row.identity_enc)
    identifier = Identifier.objects.get(perpetrator=perpetrator)
    # The whole value, in its typed and normal forms (a few digits alone occur by chance).
    for value in (PHONE, "+380675551234", "380675551234", "0675551234", "675551234"):
        assert value.encode() not in bytes(identifier.value_enc), value
        assert value not in identifier.digest, value
    assert len(identifier.digest) == 64
    events = AuditEvent.objects.filter(action="perpetrator.recorded")
    text = json.dumps([e.detail for e in events], ensure_ascii=False)
    assert NAME not in text
    assert "555" not in text
    assert events.get().detail["identifier_kinds"] == ["phone"]


def test_bad_values_are_refused_with_their_position_and_kind(
    justice_users: dict[str, User],
) -> None:
    actor = actor_for(justice_users["investigator"])
    data = broker(
        identifiers=[
            IdentifierInput("phone", PHONE),
            IdentifierInput("edrpou", "00032128"),
            IdentifierInput("bank_card", "4111111111111112"),
        ],
        roles=["Pirate"],
    )
    with pytest.raises(ValidationError) as exc:
        record_perpetrator(actor=actor, data=data)
    messages = exc.value.message_dict
    assert any("Identifier 2" in m and "EDRPOU" in m for m in messages["identifiers"])
    assert any("Identifier 3" in m and "card" in m for m in messages["identifiers"])
    assert "00032128" not in json.dumps(messages)
    assert "roles" in messages
    assert not Perpetrator.objects.exists()


def test_caseworkers_never_see_perpetrators(
    justice_users: dict[str, User], caseworker: User, supervisor: User
) -> None:
    perpetrator = record_perpetrator(actor=actor_for(justice_users["investigator"]), data=broker())
    for user in (caseworker, supervisor):
        client = logged_in(user)
        assert client.get("/api/v1/perpetrators/").status_code == 403
        assert client.get(f"/api/v1/perpetrators/{perpetrator.id}/").status_code == 404
        assert client.get("/api/v1/alerts/").status_code == 403


def test_who_sees_a_perpetrator(
    justice_users: dict[str, User], other_investigator: User, proceeding: Proceeding
) -> None:
    investigator = justice_users["investigator"]
    perpetrator = record_perpetrator(
        actor=actor_for(investigator), data=broker(), proceedings=[proceeding]
    )
    url = f"/api/v1/perpetrators/{perpetrator.id}/"
    body = logged_in(investigator).get(url).json()
    assert body["identity"]["family_name"] == NAME
    assert body["identifiers"][0]["value"] == "+380675551234"
    assert body["proceeding_ids"] == [str(proceeding.id)]
    # The prosecutor's office of the proceeding sees it; the court only once the indictment
    # reaches it; another police unit never.
    assert logged_in(justice_users["prosecutor"]).get(url).status_code == 200
    assert logged_in(justice_users["judge"]).get(url).status_code == 404
    assert logged_in(other_investigator).get(url).status_code == 404
    assert logged_in(other_investigator).get("/api/v1/perpetrators/").json()["results"] == []


def test_api_post_and_list(justice_users: dict[str, User], proceeding: Proceeding) -> None:
    client = logged_in(justice_users["investigator"])
    payload = {
        "identity": {"family_name": NAME, "first_name": "Віктор"},
        "gender": "Masculine",
        "citizenship": "UA",
        "roles": ["Broker", "Recruiter"],
        "modus_operandi": ["EmigrationBrokerage"],
        "identifiers": [
            {"kind": "phone", "value": PHONE},
            {"kind": "social", "value": "https://t.me/Broker_UA"},
        ],
        "proceeding_ids": [str(proceeding.id)],
    }
    created = client.post("/api/v1/perpetrators/", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    assert {i["kind"] for i in created.json()["identifiers"]} == {"phone", "social"}
    listed = client.get("/api/v1/perpetrators/").json()["results"]
    assert [p["id"] for p in listed] == [created.json()["id"]]
    bad = client.post(
        "/api/v1/perpetrators/",
        {**payload, "identifiers": [{"kind": "vehicle", "value": "AB"}]},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "Identifier 1" in bad.json()["error"]["fields"]["identifiers"][0]
    # A prosecutor records too; a judge may not.
    judge = logged_in(justice_users["judge"])
    assert (
        judge.post("/api/v1/perpetrators/", payload, content_type="application/json").status_code
        == 403
    )


def test_search_by_identifier_written_another_way(justice_users: dict[str, User]) -> None:
    client = logged_in(justice_users["investigator"])
    record_perpetrator(actor=actor_for(justice_users["investigator"]), data=broker())
    found = client.post(
        "/api/v1/perpetrators/search/",
        {"kind": "phone", "value": "067-555-12-34"},
        content_type="application/json",
    )
    assert found.status_code == 200
    assert [p["identity"]["family_name"] for p in found.json()] == [NAME]
    none = client.post(
        "/api/v1/perpetrators/search/",
        {"kind": "phone", "value": "067-555-12-35"},
        content_type="application/json",
    )
    assert none.json() == []
    bad = client.post(
        "/api/v1/perpetrators/search/",
        {"kind": "edrpou", "value": "1234"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    event = AuditEvent.objects.filter(action="identifier.searched").last()
    assert event is not None
    assert "555" not in json.dumps(event.detail)


def test_alert_goes_to_the_older_records_investigator_and_names_only_what_they_see(
    justice_users: dict[str, User],
    other_investigator: User,
    make_case: Callable[..., Case],
    police: Agency,
) -> None:
    older = record_perpetrator(actor=actor_for(other_investigator), data=broker())
    newer = record_perpetrator(
        actor=actor_for(justice_users["investigator"]),
        data=broker(identifiers=[IdentifierInput("phone", "0675551234")]),
    )
    alert = Alert.objects.get()
    assert alert.recipient == other_investigator
    assert AuditEvent.objects.filter(action="alert.raised", object_id=alert.id).exists()
    # The older record's investigator does not see the other unit's record: not named.
    body = logged_in(other_investigator).get("/api/v1/alerts/").json()["results"]
    assert body[0]["known"] == {"type": "perpetrator", "id": str(older.id)}
    assert body[0]["new"] is None
    assert "another unit" in body[0]["message"]
    assert str(newer.id) not in json.dumps(body)
    assert AuditEvent.objects.filter(action="alert.listed").exists()
    # The newer record's investigator got no alert (they were not responsible for the older).
    assert logged_in(justice_users["investigator"]).get("/api/v1/alerts/").json()["results"] == []
    # GET only reads; marking seen is an audited POST, of the caller's own alerts only.
    client = logged_in(other_investigator)
    assert client.get("/api/v1/alerts/").json()["results"][0]["seen_at"] is None
    assert client.get("/api/v1/alerts/seen/").status_code == 405
    others = logged_in(justice_users["investigator"])
    mark = {"ids": [str(alert.id)]}
    assert others.post("/api/v1/alerts/seen/", mark, "application/json").json() == {"marked": 0}
    answer = client.post("/api/v1/alerts/seen/", mark, content_type="application/json")
    assert answer.json() == {"marked": 1}
    assert client.get("/api/v1/alerts/").json()["results"][0]["seen_at"] is not None
    event = AuditEvent.objects.get(action="alert.seen")
    assert event.detail["alert_ids"] == [str(alert.id)]
    assert client.post("/api/v1/alerts/seen/", {}, "application/json").json() == {"marked": 0}


def test_alert_names_a_record_the_recipient_sees(
    justice_users: dict[str, User], make_user: Callable[..., User], police: Agency
) -> None:
    colleague = make_user("c.investigator", police, "investigator")
    record_perpetrator(actor=actor_for(justice_users["investigator"]), data=broker())
    newer = record_perpetrator(actor=actor_for(colleague), data=broker())
    body = logged_in(justice_users["investigator"]).get("/api/v1/alerts/").json()["results"]
    assert body[0]["new"] == {"type": "perpetrator", "id": str(newer.id)}
    assert body[0]["message"] == ""


def test_a_case_identifier_alerts_the_perpetrators_investigator(
    justice_users: dict[str, User],
    make_user: Callable[..., User],
    make_case: Callable[..., Case],
    police: Agency,
) -> None:
    investigator = justice_users["investigator"]
    record_perpetrator(actor=actor_for(investigator), data=broker())
    colleague = make_user("c.investigator", police, "investigator")
    case = make_case(actor_for(colleague))
    add_identifiers(
        actor=actor_for(colleague), case=case, items=[IdentifierInput("phone", "+380675551234")]
    )
    assert Alert.objects.get().recipient == investigator
