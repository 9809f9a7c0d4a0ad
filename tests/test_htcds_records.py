"""HTCDS records as partners send them (issue 9, points 13-14): the standard alone imports,
extensions stay under `x_`, every section the system holds goes in and out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case, Consent
from opennrm.nrm.assistance.models import SupportPlan
from tests.test_api import api, htcds_record, post_json


def standard_only(**overrides: Any) -> dict[str, Any]:
    """A record in HTCDS v2.0 fields only: no extension at all."""
    record: dict[str, Any] = {
        "prs_FirstName": "Olena",
        "prs_SecondName": "Marchuk",
        "prs_Gender": "Feminine",
        "prs_Citizenship": ["UA"],
        "vic_TypeOfExploitation": ["ForcedLabour"],
        "cas_Status": "Active",
    }
    record.update(overrides)
    return record


def test_a_standard_record_without_extensions_imports_with_the_date_it_used(
    caseworker: User,
) -> None:
    records = [
        standard_only(),
        standard_only(
            cas_IncomingReferralDate="2017-03-02",
            hte_Events=[{"hte_Type": "Recruitment", "hte_Country": "UA", "hte_Date": "2016-11-20"}],
        ),
        standard_only(cas_IncomingReferralDate="2017-03-02"),
    ]
    response = post_json(api(caseworker), "/api/v1/htcds/", records)
    assert response.status_code == 201, response.json()
    answer = response.json()["records"]
    assert [r["identified_from"] for r in answer] == [
        "import_date",
        "hte_Date",
        "cas_IncomingReferralDate",
    ]
    assert [r["x_ua_IdentifiedOn"] for r in answer] == [
        timezone.localdate().isoformat(),
        "2016-11-20",
        "2017-03-02",
    ]
    assert Case.objects.get(id=answer[1]["x_ua_CaseId"]).identified_on == dt.date(2016, 11, 20)


def test_export_names_the_case_x_ua_case_id_and_import_accepts_cas_id(caseworker: User) -> None:
    client = api(caseworker)
    created = post_json(client, "/api/v1/htcds/", [{**standard_only(), "cas_Id": "LEGACY-17"}])
    assert created.status_code == 201, created.json()
    exported = client.get("/api/v1/htcds/").json()[0]
    assert "cas_Id" not in exported
    assert exported["x_ua_CaseId"] == created.json()["case_ids"][0]
    extensions = {k for k in exported if k.split("_", 1)[0] not in {"prs", "vic", "cas", "con"}}
    assert all(k.startswith("x_") or k in {"hte_Events", "spl_SupportPlans"} for k in extensions)


def test_every_held_section_goes_in_and_comes_out(caseworker: User) -> None:
    record = htcds_record(
        prs_MaritalStatus="Divorced",
        prs_PrimaryLanguage="ukr",
        prs_SecondaryLanguage="Russian",
        prs_HighestLevelOfEducation="Upper Secondary Education",
        vic_AgeWhenTrafficked=24,
        vic_RecruitmentWebsitesAndApps=["Telegram", "Viber"],
        vic_ExploitationWebsitesAndApps="Telegram",
        cas_ReferringOrganisation="Lviv oblast police",
        cas_IncomingReferralDate="2016-05-21",
        cas_ReasonForIncomingReferral="Additional Services Required",
        cas_ReferredOrganisation="Shelter 'Nadiia'",
        cas_OutgoingReferralDate="2016-06-01",
        cas_ReasonForOutgoingReferral="Other",
        cas_IncomingReferralDetails="Met at the bus station, afraid of the employer.",
        cco_CaseComment="Called her sister.",
        con_Consent=True,
        spl_SupportPlans=[
            {
                "spl_Objectives": "Safe housing and medical check.",
                "spl_PlannedEndDate": "2016-09-01",
                "spl_ActualEndDate": "2016-08-15",
                "spl_Type": "Health",
            }
        ],
    )
    client = api(caseworker)
    response = post_json(client, "/api/v1/htcds/", [record])
    assert response.status_code == 201, response.json()
    assert response.json()["records"][0]["not_kept"] == [
        "cas_IncomingReferralDetails",
        "cco_CaseComment",
        "spl_SupportPlans[0].spl_Type",
    ]
    case = Case.objects.get()
    consent = Consent.objects.get(case=case)
    assert (consent.legal_basis, consent.purposes, consent.data_categories) == ("Consent", [], [])
    assert SupportPlan.objects.get(case=case).actual_end_date == dt.date(2016, 8, 15)
    out = client.get("/api/v1/htcds/").json()[0]
    assert out["prs_MaritalStatus"] == "Divorced"
    assert (out["prs_PrimaryLanguage"], out["prs_SecondaryLanguage"]) == ("ukr", "rus")
    assert out["prs_HighestLevelOfEducation"] == "UpperSecondaryEducation"
    assert out["vic_AgeWhenTrafficked"] == 24
    assert out["vic_RecruitmentWebsitesAndApps"] == ["Telegram", "Viber"]
    assert out["vic_ExploitationWebsitesAndApps"] == ["Telegram"]
    assert out["cas_ReferringOrganisation"] == "Lviv oblast police"
    assert out["cas_IncomingReferralDate"] == "2016-05-21"
    assert out["cas_ReasonForIncomingReferral"] == "AdditionalServicesRequired"
    assert out["cas_ReferredOrganisation"] == "Shelter 'Nadiia'"
    assert out["cas_ReasonForOutgoingReferral"] == "Other"
    assert out["con_Consent"] is True
    assert out["spl_SupportPlans"] == [
        {
            "spl_Objectives": "Safe housing and medical check.",
            "spl_PlannedEndDate": "2016-09-01",
            "spl_ActualEndDate": "2016-08-15",
            "spl_Type": [],
        }
    ]
    assert "cco_CaseComment" not in out
    details = [e.detail for e in AuditEvent.objects.filter(action="htcds.imported")]
    assert details == [{"records": 1, "identified_from": ["x_ua_IdentifiedOn"]}]


def test_a_bad_support_plan_or_value_is_named_and_nothing_is_kept(caseworker: User) -> None:
    records = [
        htcds_record(),
        htcds_record(
            spl_SupportPlans=[{"spl_Objectives": ""}],
            prs_MaritalStatus="Complicated",
            vic_TypeOfExploitation="Forced labor",
        ),
    ]
    response = post_json(api(caseworker), "/api/v1/htcds/", records)
    assert response.status_code == 400
    fields = response.json()["error"]["records"][0]["fields"]
    assert set(fields) == {
        "spl_SupportPlans[0].spl_Objectives",
        "prs_MaritalStatus",
        "vic_TypeOfExploitation",
    }
    assert fields["vic_TypeOfExploitation"] == [
        "«Forced labor» не є значенням поля vic_TypeOfExploitation."
    ]
    assert Case.objects.count() == 0
