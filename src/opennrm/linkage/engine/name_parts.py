"""Patronymics and name order: comparing full names written in different conventions.

``patronymic_key`` reduces a patronymic to the skeleton key of the father's given name and the
bearer's sex, so that Сергійович, Сергеевич, Serhiiovych and Sergeyevich agree (``serhi``, m)
and so do Іванівна, Ивановна and Ivanivna (``ivan``, f).

``name_orderings`` yields the readings of a full name to compare against another, since East
Slavic records write both "Family Given Patronymic" and "Given Patronymic Family", and foreign
documents "Given Family": "Shevchenko Oleksandr" and "Oleksandr Shevchenko" share a reading.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from opennrm.core.given_names import canonical_given_names, given_names_equivalent
from opennrm.core.name_skeleton import latin_letters, skeleton_key
from opennrm.core.names import name_tokens

# Suffixes on the Latin letters of a patronymic, longest first. Russian forms after a vowel
# (Серге-евич, Никола-евич) lost the й of the father's name; it is put back.
_MALE = re.compile(r"(?:[iy]?[oe]v[iy]ch|[iy]?[oe]vitch|[iy]?[oe]witsch)$")
_FEMALE = re.compile(r"(?:[iy]?[oe]vna|[iy]?ivna|yivna|iyivna|[oe]wna)$")
_VOWEL_END = re.compile(r"[aeiou]$")


class Patronymic(NamedTuple):
    """A patronymic reduced to the father's-name key and the bearer's sex ("m", "f" or "")."""

    father: str
    sex: str


class NameReading(NamedTuple):
    """One reading of a full name: given name, family name and patronymic (may be empty)."""

    given: str
    family: str
    patronymic: str = ""


def _father_stem(latin: str, suffix: re.Pattern[str]) -> str | None:
    match = suffix.search(latin)
    if match is None or match.start() < 2:
        return None
    ending = match.group()
    stem = latin[: match.start()]
    # A leading i/y not followed by v belongs to the father's name (Serhii-ovych, Serhi-ivna),
    # while in -ivna the i is the suffix's own (Ivan-ivna).
    if ending[0] in "iy" and ending[1] != "v":
        stem += "i"
    if _VOWEL_END.search(stem):
        stem += "i"
    return stem


def patronymic_key(text: str) -> Patronymic | None:
    """The father's-name skeleton and sex of a patronymic; None if it does not look like one."""
    latin = latin_letters(text)
    for suffix, sex in ((_MALE, "m"), (_FEMALE, "f")):
        stem = _father_stem(latin, suffix)
        if stem is not None:
            return Patronymic(skeleton_key(stem), sex)
    return None


def father_canonicals(key: str) -> frozenset[str]:
    names = canonical_given_names(key)
    if key.endswith("i"):
        # Миколай-ович, Никола-евич: the father is Микола / Николай.
        names |= canonical_given_names(key[:-1])
    return names


def patronymics_agree(first: str, second: str) -> bool:
    """Whether two patronymics name the same father (and the same sex of the bearer).

    Equal keys agree; so do Ukrainian and Russian forms of one listed name (Миколайович and
    Николаевич). Text that is not recognisably a patronymic is compared by skeleton.
    """
    one, two = patronymic_key(first), patronymic_key(second)
    if one is None or two is None:
        return skeleton_key(first) == skeleton_key(second)
    if one.sex != two.sex:
        return False
    return one.father == two.father or bool(
        father_canonicals(one.father) & father_canonicals(two.father)
    )


def looks_like_patronymic(token: str) -> bool:
    """Whether a token ends like an East Slavic patronymic."""
    return patronymic_key(token) is not None


def name_orderings(text: str) -> Iterator[NameReading]:
    """The (given, family[, patronymic]) readings of a full name worth comparing.

    One token: it may be either part. Two tokens: both orders. Three or more: a token that looks
    like a patronymic fixes the order (second → "Given Patronymic Family", last → "Family Given
    Patronymic"); otherwise first and last are tried both ways with the middle as patronymic.
    """
    tokens = name_tokens(text)
    if not tokens:
        return
    if len(tokens) == 1:
        yield NameReading(tokens[0], "")
        yield NameReading("", tokens[0])
        return
    if len(tokens) == 2:
        yield NameReading(tokens[0], tokens[1])
        yield NameReading(tokens[1], tokens[0])
        return
    first, middle, last = tokens[0], " ".join(tokens[1:-1]), tokens[-1]
    if looks_like_patronymic(last):
        yield NameReading(" ".join(tokens[1:-1]), first, last)
    elif looks_like_patronymic(tokens[1]):
        yield NameReading(first, " ".join(tokens[2:]), tokens[1])
    else:
        yield NameReading(first, last, middle)
        yield NameReading(last, first, middle)


def _family_key(family: str) -> list[str]:
    return [skeleton_key(token) for token in name_tokens(family)]


def readings_agree(first: NameReading, second: NameReading) -> bool:
    """Whether two readings name the same person: equivalent given, same family skeleton,
    and patronymics that agree when both are present."""
    if not (first.family and second.family and first.given and second.given):
        return False
    if _family_key(first.family) != _family_key(second.family):
        return False
    if not given_names_equivalent(first.given, second.given):
        return False
    return not (
        first.patronymic
        and second.patronymic
        and not patronymics_agree(first.patronymic, second.patronymic)
    )


def name_orders_agree(first: str, second: str) -> NameReading | None:
    """The reading of ``first`` that agrees with some reading of ``second``, or None."""
    others = list(name_orderings(second))
    for reading in name_orderings(first):
        if any(readings_agree(reading, other) for other in others):
            return reading
    return None
