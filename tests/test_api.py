"""The REST API: token auth, scoped lists and details, HTCDS v2.0 import and export."""

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
from opennrm.people.models import Person
from opennrm.tenancy.models import Agency


def api(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_api_token(user=user)}"})


def htcds_record(**overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "prs_FirstName": "Наталія",
        "prs_MiddleName": "Іванівна",
        "prs_SecondName": "Коваленко",
        "prs_Birthdate": "1990-04-12",
        "prs_Gender": "Feminine",
        "prs_Citizenship": ["UA"],
        "prs_MobilePhone": "+380501234567",
        "prs_Email": "n.k@example.org",
        "prs_MailingCity": "Харків",
        "prs_MailingCountry": "UA",
        "x_ua_Aliases": ["Наталья Коваленко"],
        "x_ua_Documents": [{"type": "TravelPassport", "number": "FA123456", "country": "UA"}],
        "x_ua_Rnokpp": "1234567890",
        "x_ua_IsIdp": True,
        "x_ua_OriginOblast": "UA-14",
        "x_ua_OriginTerritory": "Бахмутська громада",
        "x_ua_IdentifiedOn": "2016-05-20",
        "x_ua_IdentificationCountry": "UA",
        "x_ua_IdentificationOblast": "UA-63",
        "x_ua_IdentificationChannel": "Hotline",
        "vic_TraffickingStatus": "PossibleVictimOfTrafficking",
        "vic_TraffickingStatusDecisionMakingOrg": "NGO",
        "vic_RelationshipToTrafficker": "Acquainted",
        "vic_TypeOfExploitation": ["ForcedLabour"],
        "x_ua_FormsOfExploitation": ["LabourExploitation"],
        "vic_ForcedLabourIndustry": ["A_AgricultureForestryAndFishing"],
        "vic_TypeOfSexExploitation": [],
        "vic_MethodsOfControl": ["DebtBondage", "WithholdsDocuments"],
        "vic_MethodOfRecruitment": ["ThroughFriendsOrSocialEvents"],
        "vic_Vulnerabilities": ["Migration", "Poverty"],
        "vic_DetailsOfVulnerabilities": "Displaced from Donetsk oblast in 2014.",
        "cas_Status": "Active",
        "cas_ReasonForCaseClosure": "",
        "hte_Events": [
            {
                "hte_Type": "Recruitment",
                "hte_Country": "UA",
                "hte_State": "UA-63",
                "hte_Date": "2015-09-01",
                "x_EndDate": "",
            },
            {
                "hte_Type": "Exploitation",
                "hte_Country": "PL",
                "hte_State": "",
                "hte_Date": "2015-10-01",
                "x_EndDate": "2016-04-30",
            },
        ],
    }
    record.update(overrides)
    return record


def post_json(client: Client, url: str, data: Any) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def test_token_authenticates_and_a_bad_token_does_not(caseworker: User) -> None:
    assert api(caseworker).get("/api/v1/cases/").status_code == 200
    bad = Client(headers={"Authorization": "Bearer onrm_nope"}).get("/api/v1/cases/")
    assert bad.status_code == 401
    assert bad.json()["error"]["code"] == "authentication_failed"


def test_case_list_is_scoped_and_searchable(
    shevchenko_case: Case, caseworker: User, outsider: User
) -> None:
    mine = api(caseworker).get("/api/v1/cases/", {"q": "Oleksandr Shevchenko"}).json()
    assert [row["id"] for row in mine["results"]] == [str(shevchenko_case.id)]
    assert mine["results"][0]["full_name"] == "Шевченко Олександр"
    theirs = api(outsider).get("/api/v1/cases/", {"q": "Shevchenko"}).json()
    assert theirs["count"] == 0
    assert AuditEvent.objects.filter(action="case.searched").count() == 2


def test_case_detail_for_the_owner_and_404_for_others(
    shevchenko_case: Case, caseworker: User, outsider: User
) -> None:
    detail = api(caseworker).get(f"/api/v1/cases/{shevchenko_case.id}/").json()
    assert detail["person"]["family_name"] == "Шевченко"
    assert detail["codes"]["vic_TypeOfExploitation"] == ["ForcedLabour"]
    assert api(outsider).get(f"/api/v1/cases/{shevchenko_case.id}/").status_code == 404


def test_htcds_round_trip_keeps_every_field(caseworker: User, supervisor: User) -> None:
    client = api(caseworker)
    created = post_json(client, "/api/v1/htcds/", [htcds_record()])
    assert created.status_code == 201, created.json()
    exported = client.get("/api/v1/htcds/").json()
    assert len(exported) == 1
    first = exported[0]
    expected = htcds_record()
    for key, value in expected.items():
        assert first[key] == value, key
    # Importing the export again (as another user of the agency) gives the same record.
    again = post_json(api(supervisor), "/api/v1/htcds/", [first])
    assert again.status_code == 201, again.json()
    assert again.json()["records"][0]["identified_from"] == "x_ua_IdentifiedOn"
    others = client.get("/api/v1/htcds/").json()
    second = [r for r in others if r["x_ua_CaseId"] != first["x_ua_CaseId"]]
    assert {k: v for k, v in second[0].items() if k != "x_ua_CaseId"} == {
        k: v for k, v in first.items() if k != "x_ua_CaseId"
    }


def test_one_bad_record_stores_nothing_and_names_record_and_field(caseworker: User) -> None:
    records = [
        htcds_record(),
        htcds_record(prs_Gender="Male", prs_Birthdate="12/04/1990"),
        htcds_record(vic_TypeOfExploitation=["Slavery"], x_ua_IdentifiedOn="2016-02-30"),
    ]
    response = post_json(api(caseworker), "/api/v1/htcds/", records)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_records"
    by_index = {r["index"]: r["fields"] for r in error["records"]}
    assert set(by_index) == {1, 2}
    assert set(by_index[1]) == {"prs_Gender", "prs_Birthdate"}
    assert "vic_TypeOfExploitation" in by_index[2]
    assert "x_ua_IdentifiedOn" in by_index[2]
    assert Case.objects.count() == 0
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"prs_Citizenship": ["XX"]}, "prs_Citizenship"),
        ({"prs_MaritalStatus": "Complicated"}, "prs_MaritalStatus"),
        ({"prs_Vaccinations": "none"}, "prs_Vaccinations"),
        ({"x_ua_Rnokpp": "12345"}, "x_ua_Rnokpp"),
        (
            {"hte_Events": [{"hte_Type": "Exploitation", "hte_Country": "ZZ"}]},
            "hte_Events[0].country",
        ),
        ({"cas_Status": "Closed"}, "cas_ReasonForCaseClosure"),
        ({"cas_CaseOwner": "someone.elsewhere"}, "cas_CaseOwner"),
        ({"x_ua_IdentifiedOn": "2999-01-01"}, "x_ua_IdentifiedOn"),
    ],
)
def test_import_error_names_the_field(
    override: dict[str, Any], field: str, caseworker: User
) -> None:
    response = post_json(api(caseworker), "/api/v1/htcds/", [htcds_record(**override)])
    assert response.status_code == 400
    assert field in response.json()["error"]["records"][0]["fields"]


def test_excel_template_conventions_are_accepted(caseworker: User) -> None:
    record = htcds_record(
        vic_MethodsOfControl="WithholdsDocuments;DebtBondage",
        prs_Citizenship="UA",
        vic_TraffickinStatusDecisionMakingOrg="Police",
    )
    del record["vic_TraffickingStatusDecisionMakingOrg"]
    response = post_json(api(caseworker), "/api/v1/htcds/", [record])
    assert response.status_code == 201, response.json()
    case = Case.objects.get()
    assert case.status_decision_org == "Police"
    assert case.codes_of("vic_MethodsOfControl") == ["DebtBondage", "WithholdsDocuments"]


def test_lone_surrogate_in_json_answers_400_and_stores_nothing(caseworker: User) -> None:
    body = json.dumps([htcds_record()], ensure_ascii=False).replace("Наталія", "\\ud800")
    response = api(caseworker).post("/api/v1/htcds/", body, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "parse_error"
    assert error["message"].startswith("[0].prs_FirstName")
    assert Case.objects.count() == 0


def test_import_requires_the_import_permission(
    make_user: Callable[..., User], agency_a: Agency
) -> None:
    prosecutor = make_user("pros", agency_a, "prosecutor")
    response = post_json(api(prosecutor), "/api/v1/htcds/", [htcds_record()])
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_export_is_scoped_to_the_callers_agency(
    shevchenko_case: Case,
    caseworker: User,
    outsider: User,
    make_user: Callable[..., User],
    agency_b: Agency,
) -> None:
    assert len(api(caseworker).get("/api/v1/htcds/").json()) == 1
    other_caseworker = make_user("b.cw", agency_b, "caseworker")
    assert api(other_caseworker).get("/api/v1/htcds/").json() == []


def test_openapi_schema_documents_the_endpoints(caseworker: User) -> None:
    response = api(caseworker).get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    for path in ("/api/v1/cases/", "/api/v1/cases/{case_id}/", "/api/v1/htcds/"):
        assert path in text
    assert "bearerAuth" in text
