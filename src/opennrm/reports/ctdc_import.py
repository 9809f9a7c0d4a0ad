"""Reading a CTDC global dataset (CSV) into the analysis area, for context.

Two formats, told apart by their columns:

- the k-anonymised global dataset of 2017-2020: countries in ISO 3166 **alpha-2**, where
  ``NA`` is Namibia (not "not available"), missing values written ``-99``, gender ``Female`` /
  ``Male``, age bins such as ``9--17``;
- the 2024 synthetic dataset: ISO **alpha-3**, missing values empty, gender ``Woman`` / ``Man``
  / ``Trans/Transgender/NonConforming``, age bins such as ``09--17``, flags ``1`` or empty.

Every row is checked; the validation report names each bad row by line and field. An import
is all or nothing: with any bad row nothing is stored (the report says why).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TextIO

import pycountry
from django.db import transaction

from opennrm.reports.models import ContextDataset, ContextRecord

MISSING = {"", "-99", "-99.0"}
GENDERS = {
    "Female": "Woman",
    "Male": "Man",
    "Transgender/NonConforming": "Trans/Transgender/NonConforming",
    "Woman": "Woman",
    "Man": "Man",
    "Trans/Transgender/NonConforming": "Trans/Transgender/NonConforming",
}
AGES = {"0--8", "09--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+"}
REQUIRED = ("yearOfRegistration", "gender", "ageBroad", "citizenship", "CountryOfExploitation")
FLAGS = ("isForcedLabour", "isSexualExploit", "isOtherExploit")


class ImportRefused(Exception):
    def __init__(self, report: dict[str, object]) -> None:
        super().__init__("the CTDC file has errors; nothing was imported")
        self.report = report


@dataclass
class Checked:
    format: str
    records: list[ContextRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    read: int = 0
    namibia: int = 0


def _country(value: str, alpha2: bool) -> str | None:
    """ISO alpha-3 of a country code; "" when missing; None when not a country."""
    value = value.strip()
    if value in MISSING:
        return ""
    if alpha2:
        # In the 2017-2020 file "NA" is Namibia: missing is -99, never NA.
        country = pycountry.countries.get(alpha_2=value.upper())
    else:
        country = pycountry.countries.get(alpha_3=value.upper())
    return country.alpha_3 if country else None


def _flag(value: str) -> bool | None:
    value = value.strip()
    if value in MISSING or value in ("0", "0.0"):
        return False
    if value in ("1", "1.0"):
        return True
    return None


def detect(header: Iterable[str]) -> str:
    columns = set(header)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ImportRefused({"errors": [f"line 1: missing column(s): {', '.join(missing)}"]})
    if "sectorOfLabourAgriculture" in columns or "meansDebtBondageEarnings" in columns:
        return ContextDataset.Format.SYNTHETIC_2024
    return ContextDataset.Format.KANON_2017


def check(stream: TextIO) -> Checked:
    reader = csv.DictReader(stream)
    kind = detect(reader.fieldnames or [])
    alpha2 = kind == ContextDataset.Format.KANON_2017
    checked = Checked(kind)
    for row in reader:
        checked.read += 1
        line = reader.line_num
        problems = []
        year_text = (row.get("yearOfRegistration") or "").strip()
        year: int | None = None
        if year_text not in MISSING:
            try:
                year = int(float(year_text))
            except ValueError:
                problems.append(f"yearOfRegistration: {year_text!r} is not a year")
            else:
                if not 1990 <= year <= 2100:
                    problems.append(f"yearOfRegistration: {year} is out of range")
        gender_text = (row.get("gender") or "").strip()
        gender = "" if gender_text in MISSING else GENDERS.get(gender_text)
        if gender is None:
            problems.append(f"gender: {gender_text!r} is not a CTDC gender")
        age = (row.get("ageBroad") or "").strip()
        age = "" if age in MISSING else ("0" + age if age == "9--17" else age)
        if age and age not in AGES:
            problems.append(f"ageBroad: {age!r} is not a CTDC age bin")
        countries = {}
        for column in ("citizenship", "CountryOfExploitation"):
            value = row.get(column) or ""
            code = _country(value, alpha2)
            if code is None:
                problems.append(f"{column}: {value!r} is not an ISO 3166 country code")
            countries[column] = code or ""
            if alpha2 and value.strip() == "NA":
                checked.namibia += 1
        flags = {}
        for column in FLAGS:
            value = _flag(row.get(column) or "")
            if value is None:
                problems.append(f"{column}: {row.get(column)!r} is not 1, 0 or empty")
            flags[column] = bool(value)
        if problems:
            checked.errors.extend(f"line {line}: {p}" for p in problems)
            continue
        checked.records.append(
            ContextRecord(
                year=year,
                gender=gender or "",
                age_broad=age,
                citizenship=countries["citizenship"],
                country_of_exploitation=countries["CountryOfExploitation"],
                is_forced_labour=flags["isForcedLabour"],
                is_sexual_exploit=flags["isSexualExploit"],
                is_other_exploit=flags["isOtherExploit"],
            )
        )
    return checked


def import_ctdc(stream: TextIO, *, name: str) -> ContextDataset:
    """Check every row, then store them all in one transaction, or nothing."""
    checked = check(stream)
    report: dict[str, object] = {
        "format": checked.format,
        "rows_read": checked.read,
        "rows_valid": len(checked.records),
        "errors": checked.errors[:200],
        "error_count": len(checked.errors),
        "namibia_na": checked.namibia,
    }
    if checked.errors or not checked.records:
        if not checked.records and not checked.errors:
            report["errors"] = ["the file has no rows"]
        raise ImportRefused(report)
    with transaction.atomic():
        dataset = ContextDataset.objects.create(
            name=name, format=checked.format, rows=len(checked.records), report=report
        )
        for record in checked.records:
            record.dataset = dataset
        ContextRecord.objects.bulk_create(checked.records, batch_size=2000)
    return dataset
