"""Every code list in one place, each with its source, labelled in Ukrainian and English.

HTCDS picklists are read from the standard's own field list (`data/htcds_field_standards_2.0.csv`,
CC BY 4.0, IOM); their Ukrainian labels from `data/htcds_labels_uk.csv`. Lists HTCDS does not
define are in `data/national_code_lists.csv` with a source per row. Countries and oblasts come
from pycountry. Nothing here is typed twice.
"""

from __future__ import annotations

import csv
import gettext
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any

import pycountry
from django.utils.functional import lazy
from django.utils.translation import get_language

from opennrm.core.collation import sorted_by

HTCDS_SOURCE = (
    "Human Trafficking Case Data Standard v2.0, IOM (UNMigration/HTCDS, commit 3c2f653), CC BY 4.0"
)
UKRAINE = "UA"


@dataclass(frozen=True)
class Code:
    code: str
    label_en: str
    label_uk: str
    htcds_equivalent: str = ""

    @property
    def label(self) -> str:
        """The label in the active language (Ukrainian by default)."""
        return self.label_en if (get_language() or "uk").startswith("en") else self.label_uk


@dataclass(frozen=True, eq=False)
class CodeList:
    name: str
    source: str
    codes: tuple[Code, ...]
    # Offered in the order of the labels in the interface's language (countries), not as listed.
    by_label: bool = False

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __contains__(self, code: object) -> bool:
        return code in self._index

    @cached_property
    def _index(self) -> dict[str, Code]:
        return {c.code: c for c in self.codes}

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.codes)

    def get(self, code: str) -> Code:
        try:
            return self._index[code]
        except KeyError:
            raise KeyError(f"{code!r} is not in the code list {self.name}") from None

    def label(self, code: str) -> str:
        try:
            return self.get(code).label
        except KeyError:
            return code

    def choices(self) -> list[tuple[str, str]]:
        """Django form choices, labelled in the language active when rendered (and, for a list
        ordered by label, sorted in that language's alphabet order)."""
        codes = sorted_by(self.codes, lambda c: c.label) if self.by_label else self.codes
        return [(c.code, _lazy_label(self.name, c.code)) for c in codes]


def _label_now(list_name: str, code: str) -> str:
    return code_list(list_name).label(code)


_lazy_label = lazy(_label_now, str)


def _data_text(name: str) -> str:
    return resources.files("opennrm.core").joinpath("data", name).read_text(encoding="utf-8")


@cache
def _all_lists() -> dict[str, CodeList]:
    uk_labels: dict[tuple[str, str], tuple[str, str]] = {}
    for row in csv.DictReader(_data_text("htcds_labels_uk.csv").splitlines()):
        uk_labels[(row["list"], row["code"])] = (row["label_uk"], row["label_en_override"])

    lists: dict[str, CodeList] = {}
    for row in csv.DictReader(_data_text("htcds_field_standards_2.0.csv").splitlines()):
        field = row["field"]
        values = [v.strip() for v in row["values"].split(";") if v.strip()]
        if not values or not any((field, v) in uk_labels for v in values):
            continue
        labels_en = [v.strip() for v in row["value_labels"].split(";")]
        codes = []
        for index, value in enumerate(values):
            label_uk, override = uk_labels[(field, value)]
            # The standard's CSV joins labels with ";" although some labels contain ";":
            # where the counts differ the label comes from our override column.
            label_en = override or (labels_en[index] if len(labels_en) == len(values) else value)
            codes.append(Code(value, label_en, label_uk))
        lists[field] = CodeList(field, HTCDS_SOURCE, tuple(codes))

    national: dict[str, list[Code]] = {}
    sources: dict[str, str] = {}
    for name in (
        "national_code_lists.csv",
        "justice_code_lists.csv",
        "training_code_lists.csv",
        "perpetrators_code_lists.csv",
        "borders_code_lists.csv",
        "retention_code_lists.csv",
    ):
        for row in csv.DictReader(_data_text(name).splitlines()):
            national.setdefault(row["list"], []).append(
                Code(row["code"], row["label_en"], row["label_uk"], row["htcds_equivalent"])
            )
            sources.setdefault(row["list"], row["source"])
    for name, codes_ in national.items():
        lists[name] = CodeList(name, sources[name], tuple(codes_))

    lists["agency_kind"] = CodeList(
        "agency_kind",
        f"HTCDS org_Type ({HTCDS_SOURCE}) and Cabinet Resolution No. 783 of 22 Aug 2012",
        tuple(Code(c.code, c.label_en, c.label_uk, c.code) for c in lists["org_Type"].codes)
        + lists["agency_kind"].codes,
    )
    lists["country"] = _countries()
    lists["oblast"] = _oblasts()
    return lists


def _countries() -> CodeList:
    uk = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["uk"])
    codes = [
        Code(c.alpha_2, getattr(c, "common_name", c.name), uk.gettext(c.name))
        for c in pycountry.countries
    ]
    codes.sort(key=lambda c: c.label_en)
    return CodeList("country", "ISO 3166-1 alpha-2 (pycountry)", tuple(codes), by_label=True)


def _oblasts() -> CodeList:
    uk = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["uk"])
    registry: Any = pycountry.subdivisions
    subdivisions = sorted(registry.get(country_code=UKRAINE), key=lambda s: s.code)
    codes = [Code(s.code, s.name, uk.gettext(s.name)) for s in subdivisions]
    return CodeList("oblast", "ISO 3166-2:UA (pycountry)", tuple(codes))


def code_list(name: str) -> CodeList:
    """A code list by name: an HTCDS field name (`vic_TypeOfExploitation`) or a national list."""
    try:
        return _all_lists()[name]
    except KeyError:
        raise KeyError(f"no code list named {name!r}") from None


def language_code(value: str) -> str:
    """The ISO 639-2 (three-letter) code of a language given by its ISO 639 code (two or three
    letters, bibliographic or terminological) or English name; "" when there is none."""
    value = value.strip()
    if not value:
        return ""
    registry: Any = pycountry.languages
    try:
        language = registry.lookup(value)
    except LookupError:
        return ""
    code = getattr(language, "bibliographic", None) or language.alpha_3
    return str(code)


def all_code_lists() -> dict[str, CodeList]:
    return dict(_all_lists())


# Names used across the code, so a typo fails at import rather than at run time.
AGENCY_KIND = "agency_kind"
GENDER = "prs_Gender"
TRAFFICKING_STATUS = "vic_TraffickingStatus"
STATUS_DECISION_ORG = "vic_TraffickingStatusDecisionMakingOrg"
RELATIONSHIP = "vic_RelationshipToTrafficker"
RECRUITMENT = "vic_MethodOfRecruitment"
CONTROL = "vic_MethodsOfControl"
EXPLOITATION = "vic_TypeOfExploitation"
LABOUR_INDUSTRY = "vic_ForcedLabourIndustry"
SEX_EXPLOITATION = "vic_TypeOfSexExploitation"
VULNERABILITIES = "vic_Vulnerabilities"
RECRUITMENT_WEBSITES = "vic_RecruitmentWebsitesAndApps"
EXPLOITATION_WEBSITES = "vic_ExploitationWebsitesAndApps"
MARITAL_STATUS = "prs_MaritalStatus"
EDUCATION = "prs_HighestLevelOfEducation"
INCOMING_REFERRAL_REASON = "cas_ReasonForIncomingReferral"
OUTGOING_REFERRAL_REASON = "cas_ReasonForOutgoingReferral"
CASE_STATUS = "cas_Status"
EVENT_TYPE = "hte_Type"
SUPPORT_TYPE = "spl_Type"
UA_EXPLOITATION = "ua_exploitation"
CHANNEL = "channel"
CLOSURE_REASON = "closure_reason"
LEGAL_BASIS = "legal_basis"
CONSENT_GIVER = "consent_giver"
REPRESENTATIVE_ROLE = "representative_role"
# The criminal-justice chain (data/justice_code_lists.csv).
CC_ARTICLE = "cc_article"
CLOSURE_GROUND = "closure_ground"
PROCEDURAL_ROLE = "procedural_role"
QUESTIONING_MODE = "questioning_mode"
CRIME_ROLE = "crime_role"
SUSPECT_STATUS = "suspect_status"
HEARING_OUTCOME = "hearing_outcome"
VERDICT = "verdict"
SENTENCE_TYPE = "sentence_type"
PROTECTION_MEASURE = "protection_measure"
PROTECTION_DECISION = "protection_decision"
COMPENSATION_ROUTE = "compensation_route"
LIABILITY_KIND = "liability_kind"
NON_PUNISHMENT_OUTCOME = "non_punishment_outcome"
# Capacity building (data/training_code_lists.csv).
TRAINING_TOPIC = "training_topic"
TRAINING_FORMAT = "training_format"
PROFESSION = "profession"
LAW_ENFORCER = "law_enforcer"  # the professions counted as law enforcers (docs/training.md)
CURRENCY = "currency"
CERTIFICATE_REVOCATION = "certificate_revocation"
TRAINING_FILE_KIND = "training_file_kind"
# Perpetrators, identifiers, mutual legal assistance (data/perpetrators_code_lists.csv).
MODUS_OPERANDI = "modus_operandi"
IDENTIFIER_KIND = "identifier_kind"
MLA_DIRECTION = "mla_direction"
MLA_TYPE = "mla_type"
CENTRAL_AUTHORITY = "central_authority"
# Borders, operations, incidents (data/borders_code_lists.csv).
CROSSING_POINT = "crossing_point"
OPERATION_KIND = "operation_kind"
STOP_KIND = "stop_kind"
INCIDENT_KIND = "incident_kind"
IDP_ORIGIN = "idp_origin"
PURPOSE = "purpose"
# Retention and erasure (docs/retention.md).
RETENTION_CATEGORY = "retention_category"
LEGAL_HOLD_REASON = "legal_hold_reason"
LEGAL_HOLD_LIFT_REASON = "legal_hold_lift_reason"
ERASURE_REASON = "erasure_reason"
DATA_CATEGORY = "data_category"
DOCUMENT_TYPE = "document_type"
ROLE = "role"
COUNTRY = "country"
OBLAST = "oblast"

CLOSED_STATUSES = frozenset({"Closed", "ClosedReferred"})
