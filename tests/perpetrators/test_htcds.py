"""HTCDS `per_` (issue 14, point 8): the perpetrators a victim named go in and out with the case,
only for law enforcement and prosecution; an NGO's export never carries them, an NGO's import
keeps nothing of them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.htcds_files import HtcdsFileError, import_file
from opennrm.cases.models import Case
from opennrm.justice.perpetrator_services import (
    IdentifierInput,
    PerpetratorInput,
    record_perpetrator,
)
from opennrm.justice.perpetrator_vault import PerpetratorIdentity, digest, open_identity
from opennrm.justice.perpetrators import Alert, Identifier, Perpetrator
from opennrm.tenancy.actor import actor_for
from tests.test_api import api, post_json
from tests.test_htcds_records import standard_only

NAME = "Гарбузенко"
PHONE = "067 555 12 34"  # +380675551234
E164 = "+380675551234"


def per(**overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "prs_FirstName": "Тарас",
        "prs_SecondName": NAME,
        "prs_Birthdate": "1979",
        "prs_Gender": "Masculine",
        "prs_Citizenship": ["UA"],
        "per_RoleInProcess": ["Recruiter Or Intermediary", "Kidnapper"],
        "per_RoleDetails": "free text the importer does not keep",
        "prs_MobilePhone": PHONE,
        "prs_Email": "Broker@Example.org",
        "x_ua_Identifiers": [{"kind": "social", "value": "https://t.me/Garbuz_Work"}],
        "x_ua_Aliases": ["Гарбуз"],
        "x_ua_ModusOperandi": ["FakeJobOffer"],
        "x_ua_OrganisedGroup": True,
        "vic_RelationshipToTrafficker": "Acquainted",
    }
    item.update(overrides)
    return item


def test_round_trip_of_a_record_with_per_fields(
    justice_users: dict[str, User], other_investigator: User
) -> None:
    investigator = justice_users["investigator"]
    client = api(investigator)
    response = post_json(
        client, "/api/v1/htcds/", [standard_only(per_Perpetrators=[per()]), standard_only()]
    )
    assert response.status_code == 201, response.json()
    answer = response.json()["records"]
    assert answer[0]["not_kept"] == ["per_Perpetrators[0].per_RoleDetails"]
    case = Case.objects.get(id=answer[0]["x_ua_CaseId"])
    perpetrator = Perpetrator.objects.get(cases=case)
    assert perpetrator.agency == actor_for(investigator).agency
    assert NAME.encode() not in bytes(perpetrator.identity_enc)
    identity = open_identity(perpetrator)
    assert (identity.family_name, identity.first_name, identity.birth_date) == (
        NAME,
        "Тарас",
        "1979",
    )
    assert identity.aliases == ["Гарбуз"]
    assert perpetrator.roles == ["Kidnapper", "Recruiter"]
    assert (perpetrator.citizenship, perpetrator.gender) == ("UA", "Masculine")
    assert perpetrator.organised_group is True
    assert perpetrator.relation_to_victim == "Acquainted"
    kinds = {i.kind: i.digest for i in Identifier.objects.filter(perpetrator=perpetrator)}
    assert kinds == {
        "phone": digest("phone", E164),
        "email": digest("email", "broker@example.org"),
        "social": digest("social", "garbuz_work"),
    }
    assert AuditEvent.objects.filter(action="perpetrator.recorded", object_id=perpetrator.id)
    # The second record had no per_ and imported all the same.
    assert not Perpetrator.objects.filter(cases__id=answer[1]["x_ua_CaseId"]).exists()

    exported = client.get("/api/v1/htcds/").json()
    (record,) = [r for r in exported if r["x_ua_CaseId"] == str(case.id)]
    (item,) = record["per_Perpetrators"]
    assert item["prs_SecondName"] == NAME
    assert item["prs_MobilePhone"] == E164
    assert item["prs_Email"] == "broker@example.org"
    assert item["x_ua_Identifiers"] == [{"kind": "social", "value": "garbuz_work"}]
    assert item["per_RoleInProcess"] == ["Kidnapper", "RecruiterOrIntermediary"]
    assert item["x_ua_Roles"] == ["Kidnapper", "Recruiter"]
    (plain,) = [r for r in exported if r["x_ua_CaseId"] == answer[1]["x_ua_CaseId"]]
    assert plain["per_Perpetrators"] == []

    # The exported record imports again, in another unit: a new record, and the first unit's
    # investigator is alerted to the identifiers already known.
    record.pop("cas_CaseOwner")  # a user of the first unit
    again = post_json(api(other_investigator), "/api/v1/htcds/", [record])
    assert again.status_code == 201, again.json()
    new_case = Case.objects.get(id=again.json()["records"][0]["x_ua_CaseId"])
    copy = Perpetrator.objects.get(cases=new_case)
    assert copy.id != perpetrator.id
    assert copy.roles == perpetrator.roles
    assert open_identity(copy) == identity
    alerts = Alert.objects.filter(recipient=investigator, new__perpetrator=copy)
    assert sorted(a.kind for a in alerts) == ["email", "phone", "social"]


def test_an_ngo_export_has_no_per_values_and_its_import_keeps_none(
    caseworker: User,
    shevchenko_case: Case,
    justice_users: dict[str, User],
) -> None:
    # The police recorded a perpetrator the NGO's client named.
    record_perpetrator(
        actor=actor_for(justice_users["investigator"]),
        data=PerpetratorInput(
            identity=PerpetratorIdentity(family_name=NAME),
            roles=["Broker"],
            identifiers=[IdentifierInput("phone", PHONE)],
        ),
        cases=[shevchenko_case],
    )
    client = api(caseworker)
    body = client.get("/api/v1/htcds/").content
    assert str(shevchenko_case.id).encode() in body
    web = Client()
    web.force_login(caseworker)
    workbook = web.get("/exchange/htcds/export.xlsx")
    assert workbook.status_code == 200
    for output in (body, workbook.content):
        assert b"per_Perpetrators" not in output
        for value in (NAME, E164, "675551234"):
            assert value.encode() not in output
            assert value.encode("unicode_escape") not in output

    response = post_json(client, "/api/v1/htcds/", [standard_only(per_Perpetrators=[per()])])
    assert response.status_code == 201, response.json()
    (answer,) = response.json()["records"]
    assert answer["not_kept"] == ["per_Perpetrators"]
    assert not Perpetrator.objects.filter(cases__id=answer["x_ua_CaseId"]).exists()


def test_bad_per_values_are_named_and_nothing_is_imported(
    justice_users: dict[str, User],
) -> None:
    before = (Case.objects.count(), Perpetrator.objects.count())
    bad = per(
        per_RoleInProcess=["Boss"],
        prs_MobilePhone="12",
        prs_Citizenship=["UA", "PL"],
        x_ua_Identifiers=[{"kind": "fax", "value": "x"}],
        prs_Nickname="?",
    )
    nameless = per(prs_FirstName="", prs_SecondName="", x_ua_Aliases=[], per_RoleInProcess=[])
    response = post_json(
        api(justice_users["investigator"]),
        "/api/v1/htcds/",
        [standard_only(), standard_only(per_Perpetrators=[per(), bad, nameless])],
    )
    assert response.status_code == 400
    (problem,) = response.json()["error"]["records"]
    assert problem["index"] == 1
    fields = problem["fields"]
    assert fields["per_Perpetrators[1].per_RoleInProcess"] == [
        "'Boss' is not a value of per_RoleInProcess."
    ]
    assert fields["per_Perpetrators[1].prs_MobilePhone"] == [
        "Phone number: This phone number does not exist in its country's numbering plan."
    ]
    assert fields["per_Perpetrators[1].prs_Citizenship"] == ["One citizenship per perpetrator."]
    assert fields["per_Perpetrators[1].x_ua_Identifiers[0]"] == ["Unknown kind of identifier."]
    assert fields["per_Perpetrators[1].prs_Nickname"] == ["Unknown field."]
    assert fields["per_Perpetrators[2].prs_SecondName"] == [
        "Give a name, an alias or a description."
    ]
    assert fields["per_Perpetrators[2].per_RoleInProcess"] == ["This field is required."]
    assert not any(k.startswith("per_Perpetrators[0]") for k in fields)
    assert "12" not in str(fields["per_Perpetrators[1].prs_MobilePhone"])
    assert (Case.objects.count(), Perpetrator.objects.count()) == before


def test_a_bad_per_value_in_a_file_is_named_by_its_cell(
    justice_users: dict[str, User],
) -> None:
    csv = (
        "prs_SecondName,prs_Gender,vic_TypeOfExploitation,per_Perpetrators\n"
        'Marchuk,Feminine,ForcedLabour,"[{""prs_SecondName"": ""X"", '
        '""per_RoleInProcess"": ""Boss""}]"\n'
    )
    with pytest.raises(HtcdsFileError) as raised:
        import_file(
            actor=actor_for(justice_users["investigator"]),
            data=csv.encode(),
            writable={"per_Perpetrators"},
        )
    assert raised.value.messages == [
        "D2 (per_Perpetrators[0].per_RoleInProcess): 'Boss' is not a value of per_RoleInProcess."
    ]
