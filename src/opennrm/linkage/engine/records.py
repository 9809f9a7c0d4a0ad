"""From a registration to the comparison keys the linkage model reads.

``features`` turns one ``LinkageRecord`` (the identity fields of one registration, in whatever
script and convention the agency wrote them) into a flat row of keys: the Splink model compares
keys only, so the same row works on DuckDB and on Spark, and nothing in it needs the original
spelling. Token-level work is cached: a million records share a few thousand distinct names.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from opennrm.core.given_names import canonical_given_names
from opennrm.core.name_skeleton import skeleton_key
from opennrm.core.names import name_tokens
from opennrm.linkage.engine.daitch_mokotoff import phonetic_codes
from opennrm.linkage.engine.dates import PartialDate, parse_date
from opennrm.linkage.engine.documents import document_key
from opennrm.linkage.engine.name_parts import (
    father_canonicals,
    looks_like_patronymic,
    patronymic_key,
)
from opennrm.linkage.engine.phones import to_e164

# The columns of a feature row, in order (the Splink input table).
FEATURE_COLUMNS = (
    "record_id",
    "source",
    "given_skel",
    "given_canon",
    "given_dm",
    "given_initial",
    "family_skel",
    "family_dm",
    "name_pair",
    "patronymic",
    "dob",
    "dob_swapped",
    "dob_year",
    "sex",
    "citizenship",
    "phone",
    "document",
    "address",
)

FeatureRow = dict[str, str | int | None]


@dataclass(frozen=True, slots=True)
class LinkageRecord:
    """The identity fields of one registration (HTCDS names in comments)."""

    record_id: str
    source: str = ""
    given_name: str = ""  # prs_FirstName
    middle_name: str = ""  # prs_MiddleName (a patronymic in Ukraine)
    family_name: str = ""  # prs_SecondName
    birth_date: str | datetime.date | PartialDate | None = None  # prs_Birthdate
    sex: str = ""  # prs_Gender
    citizenship: str = ""  # prs_Citizenship
    phone: str = ""
    document_number: str = ""
    address: str = ""  # place of residence as written (street, settlement, postcode)


@lru_cache(maxsize=200_000)
def _skeleton(text: str) -> str | None:
    keys = [skeleton_key(token) for token in name_tokens(text)]
    joined = " ".join(key for key in keys if key)
    return joined or None


@lru_cache(maxsize=100_000)
def _given_canon(text: str) -> str | None:
    """The skeleton of the canonical form of a given name's first token.

    Олександр, Александр, Oleksandr, Sasha and Саша all give ``aleksandr``; a name outside the
    equivalents table keeps its own skeleton.
    """
    tokens = name_tokens(text)
    if not tokens:
        return None
    canonicals = canonical_given_names(tokens[0])
    source = min(canonicals) if canonicals else tokens[0]
    return skeleton_key(source) or None


@lru_cache(maxsize=200_000)
def _phonetic(text: str) -> str | None:
    tokens = name_tokens(text)
    if not tokens:
        return None
    codes = phonetic_codes(tokens[0])
    return min(codes) if codes else None


@lru_cache(maxsize=50_000)
def _patronymic(text: str) -> str | None:
    """The father's canonical name and the bearer's sex: Миколайович and Николаевич give the
    same key, and so do Анатолійович and Анатольевич (the Russian form drops the й)."""
    key = patronymic_key(text) if text.strip() else None
    if key is None:
        return None
    canonicals = father_canonicals(key.father)
    father = skeleton_key(min(canonicals)) if canonicals else key.father
    return f"{father.removesuffix('i')}|{key.sex}"


@lru_cache(maxsize=50_000)
def _is_given_name(text: str) -> bool:
    tokens = name_tokens(text)
    return bool(tokens) and bool(canonical_given_names(tokens[0]))


def _names_in_order(record: LinkageRecord) -> tuple[str, str, str]:
    """Given, family and patronymic, putting back a swapped given and family name.

    Registers copy "Shevchenko Oleksandr" from a document into the given-name field; when the
    family field holds a known given name and the given field does not, the two are swapped.
    A patronymic typed in the family field moves to the middle when the middle is empty.
    """
    given, middle, family = record.given_name, record.middle_name, record.family_name
    if family and not _is_given_name(given) and _is_given_name(family):
        given, family = family, given
    if not middle and family and looks_like_patronymic(family.split()[-1]):
        tokens = family.split()
        if len(tokens) > 1:
            middle, family = tokens[-1], " ".join(tokens[:-1])
    return given, family, middle


def _date_keys(
    value: str | datetime.date | PartialDate | None,
) -> tuple[str | None, str | None, int | None]:
    date = parse_date(value)
    if date.year is None:
        return None, None, None
    if date.month is None or date.day is None:
        return None, None, date.year
    full = f"{date.year:04d}-{date.month:02d}-{date.day:02d}"
    swapped = None
    if date.day != date.month and date.day <= 12:
        swapped = f"{date.year:04d}-{date.day:02d}-{date.month:02d}"
    return full, swapped, date.year


def _code(value: str) -> str | None:
    text = value.strip().upper()
    return text or None


@lru_cache(maxsize=1000)
def _country(value: str) -> str | None:
    """ISO 3166 alpha-3 for alpha-2 or alpha-3 input (UA and UKR agree); other text as is."""
    text = value.strip().upper()
    if len(text) == 2:
        country = pycountry.countries.get(alpha_2=text)
        return country.alpha_3 if country else text
    return text or None


@lru_cache(maxsize=200_000)
def _address(text: str) -> str | None:
    tokens = name_tokens(text) + [part for part in text.split() if part.isdigit()]
    return " ".join(tokens) or None


def features(record: LinkageRecord) -> FeatureRow:
    """The comparison keys of one record (see ``FEATURE_COLUMNS``)."""
    given, family, middle = _names_in_order(record)
    given_canon = _given_canon(given)
    family_skel = _skeleton(family)
    pair = sorted(key for key in (given_canon, family_skel) if key)
    dob, dob_swapped, dob_year = _date_keys(record.birth_date)
    return {
        "record_id": record.record_id,
        "source": record.source or None,
        "given_skel": _skeleton(given),
        "given_canon": given_canon,
        "given_dm": _phonetic(given),
        "given_initial": given_canon[:1] if given_canon else None,
        "family_skel": family_skel,
        "family_dm": _phonetic(family),
        "name_pair": "|".join(pair) if len(pair) == 2 else None,
        "patronymic": _patronymic(middle),
        "dob": dob,
        "dob_swapped": dob_swapped,
        "dob_year": dob_year,
        "sex": _code(record.sex),
        "citizenship": _country(record.citizenship),
        "phone": to_e164(record.phone) if record.phone else None,
        "document": document_key(record.document_number) if record.document_number else None,
        "address": _address(record.address) if record.address else None,
    }
