"""Open data in the CTDC 2024 format, only through a privacy mechanism: a k-anonymised extract.

One row per person (linkage clusters, first identified in the period) in the 27 columns of the
CTDC 2024 global synthetic dataset: categories written as CTDC writes them (``Man``, ``Woman``,
``Trans/Transgender/NonConforming``; age and duration bins with "--"; ISO 3166 alpha-3
countries), flags ``1`` or empty. HTCDS and national codes map onto CTDC's coarser categories
(tables below). Before anything is written, every row's combination of values must be shared
by at least ``k`` rows of the extract (default 11, CTDC's k): rows that are not are generalised
step by step (the flags of means, sectors and recruiter; then age and duration; then the
countries), and what is still unique is suppressed. The export's report counts both.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import pycountry
from defusedcsv import csv

from opennrm.reports.indicators import PersonFacts

COLUMNS: tuple[str, ...] = (
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
)
GENDERS = {
    "Masculine": "Man",
    "Feminine": "Woman",
    "TransgenderFeminine": "Trans/Transgender/NonConforming",
    "TransgenderMasculine": "Trans/Transgender/NonConforming",
    "NonConforming": "Trans/Transgender/NonConforming",
}
AGE_BANDS = ("0--8", "09--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+")
MONTHS = ("0--12 (0-1 yr)", "13--24 (1-2 yrs)", "25+ (2+ yrs)")
# HTCDS vic_MethodsOfControl -> CTDC means flags.
MEANS = {
    "meansDebtBondageEarnings": {"DebtBondage", "TakesEarnings", "RestrictsFinancialAccess"},
    "meansThreats": {"PhysicalThreats", "ThreatsLawEnforcement", "ThreatensChildrenFamily"},
    "meansAbusePsyPhySex": {"PhysicalAbuse", "SexualAbuse", "PsychologicalAbuse"},
    "meansFalsePromises": {"FalsePromises"},
    "meansDrugsAlcohol": {"PsychoactiveSubstance"},
    "meansDenyBasicNeeds": {"WithholdsNecessities", "RestrictsMedicalCare"},
    "meansExcessiveWorkHours": {"ExcessiveWorkingHours"},
    "meansWithholdDocs": {"WithholdsDocuments"},
}
# HTCDS vic_ForcedLabourIndustry (ISIC sections) -> CTDC labour sectors.
SECTORS = {
    "sectorOfLabourAgriculture": {"A_AgricultureForestryAndFishing"},
    "sectorOfLabourConstruction": {"F_Construction"},
    "sectorOfLabourDomesticWork": {"T_ActivitiesOfHouseholdsAsEmployers"},
    "sectorOfLabourHospitality": {"I_AccommodationAndFoodServiceActivities"},
}
SEX = {"sectorOfSexProstitution": "Prostitution", "sectorOfSexPornography": "Pornography"}
# HTCDS vic_RelationshipToTrafficker -> CTDC recruiter relation (HTCDS has no intimate
# partner: that flag stays empty).
RELATIONS = {
    "recruiterRelationFamily": "Familial",
    "recruiterRelationFriend": "Acquainted",
    "recruiterRelationOther": "Unaquainted",
}
# Generalisation, step by step: which columns each step empties.
STEPS: tuple[tuple[str, ...], ...] = (
    (),
    tuple(c for c in COLUMNS if c.startswith(("means", "sectorOf", "recruiter"))),
    ("ageBroad", "traffickMonths"),
    ("citizenship", "CountryOfExploitation"),
)

STEP_NAMES = (
    "unchanged",
    "means, sector and recruiter flags emptied",
    "also age and duration emptied",
    "also citizenship and country of exploitation emptied",
)


def _alpha3(code: str) -> str:
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code.upper())
    return country.alpha_3 if country else ""


def _months(months: int | None) -> str:
    if months is None:
        return ""
    if months <= 12:
        return MONTHS[0]
    return MONTHS[1] if months <= 24 else MONTHS[2]


def _flag(value: bool) -> str:
    return "1" if value else ""


def ctdc_row(person: PersonFacts) -> dict[str, str]:
    row = {
        "yearOfRegistration": str(person.first_identified.year),
        "gender": GENDERS.get(person.gender, ""),
        "ageBroad": person.age_band if person.age_band in AGE_BANDS else "",
        "citizenship": _alpha3(person.citizenship),
        "CountryOfExploitation": _alpha3(person.first_country),
        "traffickMonths": _months(person.exploitation_months),
        "isForcedLabour": _flag("LabourExploitation" in person.forms),
        "isSexualExploit": _flag("SexualExploitation" in person.forms),
        "isOtherExploit": _flag(bool(person.forms - {"LabourExploitation", "SexualExploitation"})),
    }
    for column, codes in MEANS.items():
        row[column] = _flag(bool(person.means & codes))
    for column, codes in SECTORS.items():
        row[column] = _flag(bool(person.industries & codes))
    for column, code in SEX.items():
        row[column] = _flag(code in person.sex_types)
    row["recruiterRelationIntimatePartner"] = ""
    for column, code in RELATIONS.items():
        row[column] = _flag(code in person.relationships)
    return {column: row[column] for column in COLUMNS}


@dataclass
class Extract:
    rows: list[dict[str, str]]
    k: int
    persons: int
    generalised: Counter[int] = field(default_factory=Counter)  # step -> rows
    suppressed: int = 0

    def report(self) -> str:
        lines = [
            f"CTDC 2024 format, k-anonymised with k = {self.k}",
            f"persons in the period: {self.persons}",
            f"rows released: {len(self.rows)}",
            f"  unchanged: {self.generalised[0]}",
        ]
        for step in range(1, len(STEPS)):
            lines.append(f"  generalised ({STEP_NAMES[step]}): {self.generalised[step]}")
        lines.append(f"rows suppressed (still fewer than k alike): {self.suppressed}")
        return "\n".join(lines) + "\n"


def _generalise(row: dict[str, str], step: int) -> dict[str, str]:
    emptied = {c for s in STEPS[: step + 1] for c in s}
    return {c: ("" if c in emptied else v) for c, v in row.items()}


def k_anonymise(persons: Iterable[PersonFacts], k: int = 11) -> Extract:
    """Rows shared by at least ``k`` rows of the release; the others generalised or suppressed.

    Released rows only ever gain company (a row released at one step keeps its ``k``), so the
    whole release is k-anonymous over all 27 columns.
    """
    pending = [ctdc_row(person) for person in persons]
    extract = Extract(rows=[], k=k, persons=len(pending))
    released: Counter[tuple[str, ...]] = Counter()
    for step in range(len(STEPS)):
        candidates = [_generalise(row, step) for row in pending]
        keys = [tuple(row[c] for c in COLUMNS) for row in candidates]
        together = Counter(keys) + released
        still_pending = []
        for original, row, key in zip(pending, candidates, keys, strict=True):
            if together[key] >= k:
                extract.rows.append(row)
                released[key] += 1
                extract.generalised[step] += 1
            else:
                still_pending.append(original)
        pending = still_pending
    extract.suppressed = len(pending)
    extract.rows.sort(key=lambda row: tuple(row[c] for c in COLUMNS))
    return extract


def to_csv(extract: Extract) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(extract.rows)
    return out.getvalue()
