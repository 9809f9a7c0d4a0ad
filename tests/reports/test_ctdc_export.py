"""The CTDC 2024 open-data extract: the 27 columns and their encodings, k-anonymity over every
row, and the export's report of generalised and suppressed rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections import Counter
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.reports import ctdc
from opennrm.reports.indicators import PersonFacts
from opennrm.tenancy.actor import Actor
from tests.conftest import logged_in, person_input

# The 2024 release's column list, as published (CTDC global synthetic dataset, 2024).
CTDC_2024 = [
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
    "traffickMonths",
    "meansDebtBondageEarnings",
    "meansThreats",
    "meansAbusePsyPhySex",
    "meansFalsePromises",
    "meansDrugsAlcohol",
    "meansDenyBasicNeeds",
    "meansExcessiveWorkHours",
    "meansWithholdDocs",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "sectorOfLabourAgriculture",
    "sectorOfLabourConstruction",
    "sectorOfLabourDomesticWork",
    "sectorOfLabourHospitality",
    "sectorOfSexProstitution",
    "sectorOfSexPornography",
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
]
GENDERS = {"", "Man", "Woman", "Trans/Transgender/NonConforming"}
AGES = {"", "0--8", "09--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+"}
MONTHS = {"", "0--12 (0-1 yr)", "13--24 (1-2 yrs)", "25+ (2+ yrs)"}


def _validate(rows: list[dict[str, str]]) -> None:
    for row in rows:
        assert list(row) == CTDC_2024
        assert row["gender"] in GENDERS
        assert row["ageBroad"] in AGES
        assert row["traffickMonths"] in MONTHS
        assert len(row["yearOfRegistration"]) == 4
        for column in ("citizenship", "CountryOfExploitation"):
            assert row[column] == "" or (len(row[column]) == 3 and row[column].isupper())
        for column in CTDC_2024[6:]:
            assert row[column] in ("1", "")


def _person(number: int, **facts: object) -> PersonFacts:
    values: dict[str, object] = {
        "key": str(number),
        "first_identified": dt.date(2016, 3, 1),
        "gender": "Masculine",
        "age": 35,
        "age_band": "30--38",
        "citizenship": "UA",
        "origin_oblast": "UA-63",
        "identification_oblast": "UA-63",
        "is_idp": False,
        "agency_kind": "NGO",
        "channel": "NGOOutreach",
        "forms": {"LabourExploitation"},
        "industries": {"F_Construction"},
        "countries": {"RU"},
        "first_country": "RU",
        "exploitation_months": 9,
        "means": {"WithholdsDocuments"},
        "relationships": {"Acquainted"},
    }
    values.update(facts)
    return PersonFacts(**values)  # type: ignore[arg-type]


def test_a_row_is_written_in_ctdc_encodings() -> None:
    row = ctdc.ctdc_row(_person(1, sex_types={"Prostitution"}, exploitation_months=30))
    assert list(row) == CTDC_2024
    assert row["gender"] == "Man"
    assert row["ageBroad"] == "30--38"
    assert row["citizenship"] == "UKR"
    assert row["CountryOfExploitation"] == "RUS"
    assert row["traffickMonths"] == "25+ (2+ yrs)"
    assert row["meansWithholdDocs"] == "1"
    assert row["meansThreats"] == ""
    assert row["isForcedLabour"] == "1"
    assert row["sectorOfLabourConstruction"] == "1"
    assert row["sectorOfSexProstitution"] == "1"
    assert row["recruiterRelationFriend"] == "1"
    assert row["recruiterRelationIntimatePartner"] == ""


def test_rare_rows_are_generalised_or_suppressed_and_counted() -> None:
    alike = [_person(n) for n in range(12)]
    rare_means = [_person(100 + n, means={"DebtBondage"}) for n in range(11)]
    unique = [_person(200, gender="Feminine", age_band="18--20", first_country="PL")]
    extract = ctdc.k_anonymise(alike + rare_means + unique, k=11)
    assert extract.generalised[0] == 23  # the 12 alike and the 11 with debt bondage
    assert extract.suppressed == 1  # a young woman in Poland: no 10 others like her
    assert len(extract.rows) == 23
    assert "rows suppressed (still fewer than k alike): 1" in extract.report()
    _validate(extract.rows)


persons_strategy = st.lists(
    st.builds(
        lambda n, g, a, c, m, f: _person(
            n, gender=g, age_band=a, first_country=c, means=m, forms=f
        ),
        st.integers(0, 10_000),
        st.sampled_from(["Masculine", "Feminine", "NonSpecifiedUnknown"]),
        st.sampled_from(["18--20", "30--38", "48+", ""]),
        st.sampled_from(["RU", "PL", "UA", "CZ"]),
        st.sets(st.sampled_from(["DebtBondage", "PhysicalThreats", "WithholdsDocuments"])),
        st.sets(st.sampled_from(["LabourExploitation", "SexualExploitation", "Begging"])),
    ),
    max_size=150,
)


@settings(max_examples=60, deadline=None)
@given(persons=persons_strategy, k=st.integers(2, 15))
def test_every_released_row_has_at_least_k_alike(persons: list[PersonFacts], k: int) -> None:
    extract = ctdc.k_anonymise(persons, k=k)
    counts = Counter(tuple(row.values()) for row in extract.rows)
    assert all(n >= k for n in counts.values())
    assert len(extract.rows) + extract.suppressed == len(persons)
    _validate(extract.rows)


def test_export_download_for_national_roles_only_and_audited(
    make_case: Callable[..., Case], actor_a: Actor, statistician: User, caseworker: User
) -> None:
    for number in range(12):
        make_case(actor_a, person_input("Петро", f"Бондар{number:02d}енко", "1980-02-11"))
    make_case(actor_a, person_input("Олена", "Мельник", "1999-02-11", "Feminine"))
    url = "/statistics/ctdc.zip?start=2016-01-01&end=2016-12-31"
    assert logged_in(caseworker).get(url).status_code == 404
    response = logged_in(statistician).get(url)
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    rows = list(csv.DictReader(io.StringIO(archive.read("ctdc_2024.csv").decode())))
    assert len(rows) == 12  # the twelve men alike; the one woman suppressed
    _validate(rows)
    assert rows[0]["CountryOfExploitation"] == "RUS"
    report = archive.read("report.txt").decode()
    assert "persons in the period: 13" in report
    assert "rows suppressed (still fewer than k alike): 1" in report
    event = AuditEvent.objects.get(action="stats.ctdc_exported")
    assert event.detail["rows"] == 12
