"""HTCDS files as partners keep them (issue 9, points 15-16): the official Excel toolkit filled
with synthetic rows, CSV, JSON, KoboToolbox/ODK exports of the standard's XLSForm, the
`import-htcds` command; all or nothing, each bad cell named."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from opennrm.accounts.models import User
from opennrm.cases.htcds_files import HtcdsFileError, export_workbook, import_file
from opennrm.cases.models import Case
from opennrm.tenancy.actor import actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import logged_in

DATA = Path(__file__).parent / "data" / "htcds"
TEMPLATE = DATA / "HTCDS Excel Spreadsheet v2.0.xlsx"

# Synthetic rows as an NGO types them in the toolkit: labels or value names, `;` lists, dates
# as date cells, the template's own spelling of the decision-making organisation.
ROWS = [
    {
        "cas_CaseOwner": "",
        "prs_FirstName": "Oksana",
        "prs_SecondName": "Levchenko",
        "con_Consent": "TRUE",
        "prs_Birthdate": dt.datetime(1994, 3, 8),
        "prs_Gender": "Feminine",
        "prs_Citizenship": "Ukraine",
        "prs_MobilePhone": "+380671234001",
        "prs_MailingCity": "Vinnytsia",
        "prs_MailingCountry": "UA",
        "vic_TraffickingStatus": "Possible victim of trafficking",
        "vic_TraffickinStatusDecisionMakingOrg": "NGO",
        "vic_MethodOfRecruitment": (
            "Through an online advertisement; Through friends or social events"
        ),
        "vic_LocationOfRecruitment": "UA",
        "vic_MethodsOfControl": "Withholds documents;Debt bondage",
        "vic_TypeOfExploitation": "Forced labour",
        "vic_ForcedLabourIndustry": "Agriculture, forestry and fishing",
        "vic_LocationOfExploitation": "Poland",
        "cas_Status": "Active",
        "cas_ReferringOrganisation": "Hotline 527",
        "cas_IncomingReferralDate": dt.datetime(2016, 6, 14),
        "cas_ReasonForIncomingReferral": "Additional Services Required",
    },
    {
        "prs_FirstName": "Andrii",
        "prs_SecondName": "Bondar",
        "prs_Gender": "Masculine",
        "prs_Citizenship": "UA",
        "vic_TypeOfExploitation": "ForcedLabour",
        "vic_ForcedLabourIndustry": "F_Construction",
        "vic_LocationOfExploitation": "RU",
        "cas_Status": "Follow Up",
    },
    {
        "prs_FirstName": "Iryna",
        "prs_SecondName": "Moroz",
        "prs_Gender": "Feminine",
        "prs_Citizenship": "UA; MD",
        "vic_TypeOfExploitation": "Sexual exploitation",
        "vic_TypeOfSexExploitation": "Prostitution",
        "vic_LocationOfExploitation": "TR",
        "cas_Status": "Closed",
        "cas_ReasonForCaseClosure": "ClientRefusedAssistance",
    },
]


def filled_template(rows: list[dict[str, object]]) -> bytes:
    book = load_workbook(TEMPLATE)
    sheet = book.active
    assert sheet is not None
    columns = {cell.value: cell.column for cell in sheet[1] if cell.value}
    for offset, row in enumerate(rows):
        for name, value in row.items():
            sheet.cell(row=3 + offset, column=columns[name], value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages in English here (the pages below are in Ukrainian, the default)."""
    with translation.override("en"):
        yield


@pytest.fixture
def closure_reason() -> str:
    from opennrm.core.codes import code_list

    return code_list("closure_reason").values[0]


def test_the_official_template_filled_with_synthetic_rows_imports(
    caseworker: User, closure_reason: str
) -> None:
    rows = [dict(r) for r in ROWS]
    rows[2]["cas_ReasonForCaseClosure"] = closure_reason
    result = import_file(actor=actor_for(caseworker), data=filled_template(rows))
    assert result.format == "xlsx"
    assert [r.where for r in result.rows] == ["row 3", "row 4", "row 5"]
    assert [i.identified_from for i in result.imported] == [
        "cas_IncomingReferralDate",
        "import_date",
        "import_date",
    ]
    first = result.imported[0].case
    assert first.identified_on == dt.date(2016, 6, 14)
    assert first.status_decision_org == "NGO"
    assert first.codes_of("vic_MethodsOfControl") == ["DebtBondage", "WithholdsDocuments"]
    assert first.codes_of("vic_ForcedLabourIndustry") == ["A_AgricultureForestryAndFishing"]
    assert sorted(e.country for e in first.events.all()) == ["PL", "UA"]
    assert first.consents.get().legal_basis == "Consent"
    assert result.imported[1].case.status == "FollowUp"
    assert result.imported[2].case.person.citizenships == ["MD", "UA"]


def test_a_bad_cell_refuses_the_whole_file_and_is_named_by_its_cell(caseworker: User) -> None:
    rows = [dict(r) for r in ROWS[:2]] + [
        {**ROWS[1], "vic_TypeOfExploitation": "Forced labor", "prs_Gender": "Male"}
    ]
    with pytest.raises(HtcdsFileError) as caught:
        import_file(actor=actor_for(caseworker), data=filled_template(rows))
    assert caught.value.messages == [
        "H5: 'Male' is not a value of prs_Gender.",
        "X5: 'Forced labor' is not a value of vic_TypeOfExploitation.",
    ]
    assert Case.objects.count() == 0


def test_csv_with_the_label_row_and_semicolons_imports(caseworker: User) -> None:
    text = (
        "prs_FirstName;prs_SecondName;vic_TypeOfExploitation;x_ua_IdentifiedOn\n"
        "First Name;Second Name;Type of Exploitation;\n"
        "Maryna;Tkachuk;Forced labour, Forced begging;2016-09-01\n"
    )
    result = import_file(actor=actor_for(caseworker), data=text.encode())
    case = result.imported[0].case
    assert result.format == "csv"
    assert case.codes_of("vic_TypeOfExploitation") == ["ForcedBegging", "ForcedLabour"]
    assert result.imported[0].identified_from == "x_ua_IdentifiedOn"


def kobo_submission(**overrides: object) -> dict[str, object]:
    submission: dict[str, object] = {
        "_id": 301,
        "_uuid": "5d7c1f0e-1111-4c2a-9c1e-000000000301",
        "formhub/uuid": "a1b2",
        "start": "2016-10-03T10:15:00.000+03:00",
        "end": "2016-10-03T10:40:00.000+03:00",
        "__version__": "vSmt4GQA3C9uBMLPEVfgND",
        "meta/instanceID": "uuid:5d7c1f0e",
        "_submission_time": "2016-10-03T07:41:00",
        "con_Consent": "TRUE",
        "group_person/prs_First_Name": "Taras",
        "group_person/prs_Second_Name": "Hnatiuk",
        "group_person/prs_Gender": "Masculine",
        "group_person/prs_Citizenship": "UA",
        "group_victim/vic_Methods_of_Control": "DebtBondage WithholdsDocuments",
        "group_victim/vic_TypeOfExploitation": "ForcedLabour",
        "group_victim/vic_TraffickingStatusDecisionMakingOrg": "Police",
        "cas_IncomingReferralDate": "2016-10-02",
    }
    submission.update(overrides)
    return submission


def test_a_kobo_json_export_of_the_xlsform_imports(caseworker: User) -> None:
    data = json.dumps({"count": 1, "results": [kobo_submission()]}).encode()
    result = import_file(actor=actor_for(caseworker), data=data)
    case = result.imported[0].case
    assert result.format == "json"
    assert case.codes_of("vic_MethodsOfControl") == ["DebtBondage", "WithholdsDocuments"]
    assert case.status_decision_org == "Police"
    assert case.identified_on == dt.date(2016, 10, 2)


def test_an_odk_csv_export_with_choice_columns_imports(caseworker: User) -> None:
    text = (
        "SubmissionDate,g/prs_First_Name,g/prs_Second_Name,g/vic_TypeOfExploitation/ForcedLabour,"
        "g/vic_TypeOfExploitation/ForcedBegging,meta-instanceID,KEY\n"
        "2016-11-01T09:00:00.000Z,Petro,Savchuk,1,0,uuid:1,uuid:1\n"
    )
    result = import_file(actor=actor_for(caseworker), data=text.encode())
    assert result.imported[0].case.codes_of("vic_TypeOfExploitation") == ["ForcedLabour"]


def test_a_bad_kobo_value_is_named_by_record_and_field(caseworker: User) -> None:
    data = json.dumps([kobo_submission(**{"group_person/prs_Gender": "M"})]).encode()
    with pytest.raises(HtcdsFileError) as caught:
        import_file(actor=actor_for(caseworker), data=data)
    assert caught.value.messages == ["record 1, prs_Gender: 'M' is not a value of prs_Gender."]


def test_the_command_imports_a_file_for_an_agency(
    caseworker: User, agency_a: Agency, tmp_path: Path
) -> None:
    path = tmp_path / "cases.xlsx"
    path.write_bytes(filled_template([ROWS[1]]))
    out = io.StringIO()
    call_command(
        "import_htcds", str(path), agency=agency_a.name, user=caseworker.username, stdout=out
    )
    assert "row 3: case" in out.getvalue()
    assert "(import_date)" in out.getvalue()
    assert Case.objects.get().owner_agency == agency_a
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"prs_FirstName": "X", "vic_TypeOfExploitation": "Nope"}]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_htcds", str(bad), agency=agency_a.name, user=caseworker.username, stderr=err
        )
    assert "record 1, vic_TypeOfExploitation: 'Nope' is not a value" in err.getvalue()
    assert Case.objects.count() == 1


def test_the_upload_page_imports_and_lists_each_record_with_its_date(caseworker: User) -> None:
    client = logged_in(caseworker)
    assert client.get("/exchange/htcds/import/").status_code == 200
    upload = SimpleUploadedFile("cases.xlsx", filled_template([ROWS[0], ROWS[1]]))
    page = client.post("/exchange/htcds/import/", {"file": upload})
    assert page.status_code == 200
    text = page.content.decode()
    assert "рядок 3" in text
    assert "рядок 4" in text
    assert "дата вхідного перенаправлення" in text
    assert Case.objects.count() == 2
    bad = SimpleUploadedFile("bad.xlsx", filled_template([{**ROWS[1], "prs_Gender": "Male"}]))
    refused = client.post("/exchange/htcds/import/", {"file": bad})
    assert refused.status_code == 422
    assert "H3: «Male» не є значенням поля prs_Gender." in refused.content.decode()
    assert Case.objects.count() == 2


def test_the_pages_are_gated_by_the_htcds_permissions(
    make_user: Callable[..., User], agency_a: Agency
) -> None:
    statistician = make_user("stat.htcds", agency_a, "statistician")
    client = logged_in(statistician)
    assert client.get("/exchange/htcds/import/").status_code == 403
    assert client.get("/exchange/htcds/export.xlsx").status_code == 403


def test_the_excel_export_has_the_toolkit_layout_and_imports_again(
    caseworker: User, make_user: Callable[..., User], agency_b: Agency
) -> None:
    outsider = make_user("other.caseworker", agency_b, "caseworker")
    import_file(actor=actor_for(caseworker), data=filled_template([ROWS[0]]))
    response = logged_in(caseworker).get("/exchange/htcds/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    names = [c.value for c in sheet[1]]
    assert names[1:4] == ["cas_CaseOwner", "prs_Salutation", "prs_FirstName"]
    assert "vic_TraffickinStatusDecisionMakingOrg" in names
    assert "x_ua_CaseId" in names
    assert sheet.row_dimensions[1].hidden
    row = {name: cell.value for name, cell in zip(names, sheet[3], strict=True) if name}
    assert row["prs_FirstName"] == "Oksana"
    assert row["vic_MethodsOfControl"] == "DebtBondage; WithholdsDocuments"
    assert row["vic_LocationOfExploitation"] == "PL"
    again = import_file(actor=actor_for(caseworker), data=response.content)
    assert again.imported[0].identified_from == "x_ua_IdentifiedOn"
    assert again.imported[0].case.codes_of("vic_MethodsOfControl") == [
        "DebtBondage",
        "WithholdsDocuments",
    ]
    other = load_workbook(
        io.BytesIO(logged_in(outsider).get("/exchange/htcds/export.xlsx").content)
    )
    assert other.active is not None
    assert other.active.max_row == 2


def test_text_starting_with_equals_is_exported_as_text_never_as_a_formula() -> None:
    sheet = load_workbook(
        io.BytesIO(export_workbook([{"prs_FirstName": '=HYPERLINK("http://x","y")'}]))
    ).active
    assert sheet is not None
    names = [c.value for c in sheet[1]]
    cell = sheet[3][names.index("prs_FirstName")]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://x","y")'


def test_the_case_list_links_the_htcds_export_for_those_who_may_download_it(
    caseworker: User, make_user: Callable[..., User], agency_a: Agency
) -> None:
    # A coordinator may download the export but not import, so the import page (which also
    # links the export) is closed to them: the case list carries the link.
    import_file(actor=actor_for(caseworker), data=filled_template([ROWS[0]]))
    coordinator = logged_in(make_user("coord.htcds", agency_a, "coordinator"))
    page = coordinator.get("/cases/").content.decode()
    assert 'href="/exchange/htcds/export.xlsx"' in page
    assert coordinator.get("/exchange/htcds/import/").status_code == 403
    download = coordinator.get("/exchange/htcds/export.xlsx")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="htcds-')
    guard = logged_in(make_user("guard.htcds", agency_a, "border_guard"))
    listing = guard.get("/cases/")
    assert listing.status_code == 200
    assert 'class="count"' in listing.content.decode()  # the list with its head, one case
    assert "/exchange/htcds/export.xlsx" not in listing.content.decode()
