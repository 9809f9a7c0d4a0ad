"""The assistance types: the HTCDS support-plan types (`spl_Type`) plus the national ones.

The HTCDS codes come from `core.codes.code_list("spl_Type")`; the national codes from
`data/assistance_types.csv`, each mapped to the `spl_Type` it is reported as. Each type also
names the referral purpose (`core` list `purpose`) used when referring the person to a provider.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from django.utils.functional import lazy

from opennrm.core.codes import HTCDS_SOURCE, PURPOSE, SUPPORT_TYPE, Code, CodeList, code_list

ASSISTANCE_TYPE = "assistance_type"
SHELTER = "ShelterPlacement"
OTHER_PURPOSE = "Other"

# The referral purpose that fits each type; types not named here refer for "Other".
REFERRAL_PURPOSES: dict[str, str] = {
    SHELTER: "Shelter",
    "Medical": "Medical",
    "Health": "Medical",
    "Psychological": "Psychological",
    "LegalAid": "Legal",
    "Legal": "Legal",
    "ReturnReintegration": "ReturnReintegration",
}


def _rows() -> list[dict[str, str]]:
    text = (
        resources.files("opennrm.nrm.assistance")
        .joinpath("data", "assistance_types.csv")
        .read_text(encoding="utf-8")
    )
    return list(csv.DictReader(text.splitlines()))


@cache
def assistance_types() -> CodeList:
    """Every assistance type: the HTCDS `spl_Type` codes first, then the national ones."""
    htcds = code_list(SUPPORT_TYPE)
    codes = [Code(c.code, c.label_en, c.label_uk, c.code) for c in htcds]
    sources = {f"HTCDS spl_Type ({HTCDS_SOURCE})"}
    for row in _rows():
        if row["htcds_equivalent"] not in htcds:
            raise ValueError(f"{row['code']}: {row['htcds_equivalent']} is not an spl_Type code")
        codes.append(Code(row["code"], row["label_en"], row["label_uk"], row["htcds_equivalent"]))
        sources.add(row["source"])
    if len({c.code for c in codes}) != len(codes):
        raise ValueError("an assistance type is declared twice")
    return CodeList(ASSISTANCE_TYPE, "; ".join(sorted(sources)), tuple(codes))


def htcds_type(code: str) -> str:
    """The HTCDS `spl_Type` an assistance type is reported as."""
    return assistance_types().get(code).htcds_equivalent


def referral_purpose(code: str, offered: list[str] | None = None) -> str:
    """The referral purpose (a `purpose` code) for referring someone for this type.

    Without a type, the first specific purpose among the types a provider `offered`.
    """
    candidates = [code] if code else list(offered or [])
    for candidate in candidates:
        purpose = REFERRAL_PURPOSES.get(candidate, OTHER_PURPOSE)
        if purpose != OTHER_PURPOSE and purpose in code_list(PURPOSE):
            return purpose
    return OTHER_PURPOSE


def type_label(code: str) -> str:
    """The type's label in the active language (the code itself when unknown)."""
    return assistance_types().label(code)


_lazy_label = lazy(type_label, str)


def type_choices() -> list[tuple[str, str]]:
    """Form choices, labelled in the language active when rendered."""
    return [(c.code, _lazy_label(c.code)) for c in assistance_types()]
