"""From a registration to the comparison keys the linkage model reads.

``feature_columns`` turns the registrations of a run (``LinkageRecord``: the identity fields
of each, in whatever script and convention the agency wrote them) into columns of flat keys,
each key computed once per distinct value (a million registrations hold some 400,000 distinct
names); ``features`` gives one record's row. The Splink model compares keys only, so the same
rows work on DuckDB and on Spark, and nothing in them needs the original spelling.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

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
    # Last, so that the content order of the rows (and with it the seeded training sample)
    # is what it was before these keys were added.
    "given_coarse",
    "family_coarse",
    "coarse_pair",
    # A registration's second phone, document and citizenship (a person's new phone beside the
    # old one, a foreign passport beside the internal one, a dual citizen's other country): an
    # agreement is either value agreeing with either of the other registration's.
    "phone2",
    "document2",
    "citizenship2",
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
    # A second value of the field, when the registration holds one: another phone, another
    # identity document's number, the other citizenship of a dual citizen.
    other_phone: str = ""
    other_document: str = ""
    other_citizenship: str = ""


def _skeleton(text: str) -> str | None:
    keys = [skeleton_key(token) for token in name_tokens(text)]
    joined = " ".join(key for key in keys if key)
    return joined or None


def _feminine(sex: str) -> bool | None:
    """True for a woman, False for a man, None when the sex is not known (F, Feminine, Female;
    M, Masculine, Male)."""
    code = sex.strip().upper()[:1]
    return True if code == "F" else False if code == "M" else None


def _given_canon(text: str, feminine: bool | None = None) -> str | None:
    """The skeleton of the canonical form of a given name's first token.

    Олександр, Александр, Oleksandr, Sasha and Саша all give ``aleksandr``; a name outside the
    equivalents table keeps its own skeleton. A diminutive shared by a man's and a woman's
    name (Валя, Саша, Женя) is read by the bearer's sex: Валя of a woman is Валентина, not
    Валентин (the smaller name, which every Валя was given before, so that a woman's Валя and
    her Валентина were "different" given names).
    """
    tokens = name_tokens(text)
    if not tokens:
        return None
    canonicals = canonical_given_names(tokens[0])
    if len(canonicals) > 1 and feminine is not None:
        # Ukrainian women's names end in -а or -я (Валентина, Олександра, Євгенія).
        by_sex = {name for name in canonicals if name.endswith(("а", "я")) == feminine}
        canonicals = frozenset(by_sex) or canonicals
    source = min(canonicals) if canonicals else tokens[0]
    return skeleton_key(source) or None


def _phonetic(text: str) -> str | None:
    tokens = name_tokens(text)
    if not tokens:
        return None
    codes = phonetic_codes(tokens[0])
    return min(codes) if codes else None


def _patronymic(text: str) -> str | None:
    """The father's canonical name and the bearer's sex: Миколайович and Николаевич give the
    same key, and so do Анатолійович and Анатольевич (the Russian form drops the й)."""
    key = patronymic_key(text) if text.strip() else None
    if key is None:
        return None
    canonicals = father_canonicals(key.father)
    father = skeleton_key(min(canonicals)) if canonicals else key.father
    return f"{father.removesuffix('i')}|{key.sex}"


# Letters that the transliteration tables in use write for different Cyrillic letters, or for
# one letter in different ways: the 2004-2007 passport table writes к as c ("Cireieva" for
# Кіреєва, which the skeleton reads as ц) and ж as j (read as й); the German table writes х as
# ch (read as ч), з as s and ж as sh. The coarse key merges each such class and keeps only the
# consonants, so a vowel slip or a doubled letter does not change it either. Ж is dropped
# rather than merged with ш, which would lose ш from every name; the German sh for ж is left
# apart.
_COARSE = (("shch", "S"), ("zh", ""), ("sh", "S"), ("ch", "H"), ("h", "H"), ("ts", "K"))
_COARSE_LETTERS = str.maketrans(
    {"k": "K", "z": "s", "a": None, "e": None, "i": None, "o": None, "u": None, " ": None}
)
_REPEATS = re.compile(r"(.)\1+")


def _coarse(skeleton: str | None) -> str | None:
    """The consonants of a skeleton key with the letters that transliteration tables confuse
    merged (к and ц, ч and х, з and с; ж dropped): "Chartschenko" (German) and Харченко,
    "Juravchac" (the 2004 passport table) and Журавчак agree, where their skeletons and their
    Daitch-Mokotoff codes differ. A level of its own, below the same skeleton and the same
    sound, weighed by training like the others."""
    if not skeleton:
        return None
    text = skeleton
    for pattern, symbol in _COARSE:
        text = text.replace(pattern, symbol)
    return _REPEATS.sub(r"\1", text.translate(_COARSE_LETTERS)) or None


def _is_given_name(text: str) -> bool:
    tokens = name_tokens(text)
    return bool(tokens) and bool(canonical_given_names(tokens[0]))


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


def _country(value: str) -> str | None:
    """ISO 3166 alpha-3 for alpha-2 or alpha-3 input (UA and UKR agree); other text as is."""
    text = value.strip().upper()
    if len(text) == 2:
        country = pycountry.countries.get(alpha_2=text)
        return country.alpha_3 if country else text
    return text or None


def _address(text: str) -> str | None:
    tokens = name_tokens(text) + [part for part in text.split() if part.isdigit()]
    return " ".join(tokens) or None


def features(record: LinkageRecord) -> FeatureRow:
    """The comparison keys of one record (see ``FEATURE_COLUMNS``): its row of
    ``feature_columns``, the one definition of the keys."""
    columns = feature_columns([record])
    return {name: columns[name][0] for name in FEATURE_COLUMNS}


_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")


class _Memo(dict[_K, _V], Generic[_K, _V]):
    """A value computed once per distinct key (a dict lookup when known, no eviction): the
    caches of one run, dropped with it."""

    def __init__(self, compute: Callable[[_K], _V]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, key: _K) -> _V:
        value = self[key] = self._compute(key)
        return value


_GivenKeys = tuple[str | None, str | None, str | None]  # skeleton, Daitch-Mokotoff, coarse
_CanonKeys = tuple[str | None, str | None, str | None]  # canonical skeleton, initial, coarse


def _given_keys(given: str) -> _GivenKeys:
    skeleton = _skeleton(given)
    return skeleton, _phonetic(given), _coarse(skeleton)


def _canon_keys(given_and_sex: tuple[str, bool | None]) -> _CanonKeys:
    canon = _given_canon(*given_and_sex)
    return canon, canon[:1] if canon else None, _coarse(canon)


def _family_split(family: str) -> tuple[str, str] | None:
    """A patronymic typed at the end of the family field: (patronymic, family) or None."""
    if not looks_like_patronymic(family.split()[-1]):
        return None
    tokens = family.split()
    return (tokens[-1], " ".join(tokens[:-1])) if len(tokens) > 1 else None


def _sex_keys(sex: str) -> tuple[str | None, bool | None]:
    return _code(sex), _feminine(sex)


def _pair(first: str | None, second: str | None) -> str | None:
    """``"|".join(sorted(...))`` of two keys when both are given, else None."""
    if not first or not second:
        return None
    return f"{first}|{second}" if first <= second else f"{second}|{first}"


def _two(keys: Mapping[str, str | None], first: str, second: str) -> tuple[str | None, str | None]:
    """The keys of a field's two values, the first one filled first and a second equal to it
    left out (so a registration with one value has it first, as the comparisons expect)."""
    one = keys[first] if first else None
    two = keys[second] if second else None
    if one is None:
        return two, None
    return one, None if two == one else two


def feature_columns(records: Iterable[LinkageRecord]) -> dict[str, list[str | int | None]]:
    """The feature rows of ``records`` as columns (``FEATURE_COLUMNS``, in the records' order).

    Each key is computed once per distinct value in the records (a dict per run, no eviction:
    a million registrations hold some 400,000 distinct given and family names, more than any
    bounded cache kept, and the same name was computed again and again)."""
    is_given = _Memo(_is_given_name)
    family_split = _Memo(_family_split)
    given_keys = _Memo(_given_keys)
    canon_keys = _Memo(_canon_keys)
    family_keys = _Memo(_given_keys)  # skeleton, sound and consonants, as for a given name
    patronymic = _Memo(_patronymic)
    sexes = _Memo(_sex_keys)
    countries = _Memo(_country)
    phones: _Memo[str, str | None] = _Memo(to_e164)
    documents: _Memo[str, str | None] = _Memo(document_key)
    addresses = _Memo(_address)
    dates = _Memo(_date_keys)
    rows: list[tuple[str | int | None, ...]] = []
    add = rows.append
    for record in records:
        # Registers copy "Shevchenko Oleksandr" from a document into the given-name field: when
        # the family field holds a known given name and the given field does not, the two are
        # swapped. A patronymic typed in the family field moves to the middle when that is empty.
        given, middle, family = record.given_name, record.middle_name, record.family_name
        if family and not is_given[given] and is_given[family]:
            given, family = family, given
        if not middle and family:
            split = family_split[family]
            if split is not None:
                middle, family = split
        sex, feminine = sexes[record.sex]
        given_skel, given_dm, given_coarse = given_keys[given]
        given_canon, initial, canon_coarse = canon_keys[given, feminine]
        family_skel, family_dm, family_coarse = family_keys[family]
        phone, phone2 = _two(phones, record.phone, record.other_phone)
        document, document2 = _two(documents, record.document_number, record.other_document)
        country, country2 = _two(countries, record.citizenship, record.other_citizenship)
        birth = record.birth_date
        # Text and dates are keys of their own; anything else (a PartialDate) parsed as it is.
        known = birth is None or type(birth) is str or type(birth) is datetime.date
        dob = dates[birth] if known else _date_keys(birth)
        add(
            (
                record.record_id,
                record.source or None,
                given_skel,
                given_canon,
                given_dm,
                initial,
                family_skel,
                family_dm,
                _pair(given_canon, family_skel),
                patronymic[middle],
                *dob,
                sex,
                country,
                phone,
                document,
                addresses[record.address] if record.address else None,
                given_coarse,
                family_coarse,
                _pair(canon_coarse, family_coarse),
                phone2,
                document2,
                country2,
            )
        )
    if not rows:
        return {name: [] for name in FEATURE_COLUMNS}
    columns = zip(FEATURE_COLUMNS, zip(*rows, strict=True), strict=True)
    return {name: list(values) for name, values in columns}
