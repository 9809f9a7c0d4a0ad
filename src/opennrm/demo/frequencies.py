"""Long-tailed frequencies of Ukrainian surnames and given names, for synthetic registers.

A real register is not drawn from a list of a few hundred names: most surnames in it are met
once, a few (Мельник, Шевченко, Коваленко) are borne by a fraction of a percent of the people
each. Linkage that weighs a shared name must be tried on data shaped like that.

**Source.** The names come from the dictionaries shipped by the ``names-translator`` package
(2.1.0, MIT licence, Dmitry Chaplinsky): 118,127 Ukrainian surnames (its manifest:
the 120,000 most frequent surnames of its validated source) and 11,001 given names, each with
its ranked Russian forms (Олександр → Александр, Федір → Федор, Ковальов → Ковалев). The
package ships the names without their counts, so the frequencies are modelled:

- the head is the demo's list of the most common surnames and given names of Ukraine, with
  its relative weights (``opennrm.demo.names``): Мельник is borne by 0.3% of persons, the
  sixty most common surnames by about 7%;
- the tail is every other surname of the dictionary (masculine forms; the feminine form is
  derived: -ський/-ська, -ов/-ова, -ін/-іна), in a fixed pseudo-random order, weighted by a
  Zipf-Mandelbrot law ``1 / (rank + 200) ** 0.8``: the first tail surname is as common as the
  last of the head, the last ones are met about once in 40,000 persons. Real Ukraine has far
  more surnames than 118,000, so this tail is if anything too short (more namesakes than in
  life), which errs against the linkage model;
- given names: 90% of persons bear one of the head's names (by their weights), 10% a name
  from the dictionary's tail (sex by its ending: -а/-я feminine), Zipf-weighted the same way.

**Who draws from them.** The demo draws every synthetic person from these distributions
(``draw_name``: the persons of its cases, its trainees, its suspects; the hand-written story
persons, such as the brokers of ``demo.perpetrators``, keep their names), deterministically from
its seeds; so does the linkage benchmark (``benchmarks/linkage/synthetic_ua.py``). A drawn
person bears the form of their sex: the dictionary lists most surnames in the masculine form and
some in the feminine one only, and ``person_surname`` derives the other (Кнутова -> Кнутов,
Вільчевська -> Вільчевський; Задорожний -> Задорожна). Patronymics come from a father's name
drawn from the men's distribution (``patronymics``: the head's as written by hand, any other by
the rules of each language, Трохим -> Трохимович, Трохимівна, Трофимович, Трофимовна). The
dictionaries are read once, on the first draw (about half a second).

Every combination drawn is random: no real person is described.
"""

from __future__ import annotations

import random
import re
from bisect import bisect
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from opennrm.demo.names import FATHERS, MEN, SURNAMES, WOMEN, FullName, Given, Surname

SOURCE = "names-translator 2.1.0 dictionaries (MIT licence, (c) 2018 Dmitry Chaplinsky)"
HEAD_TOP_SHARE = 0.003  # Мельник: about 0.3% of the people of Ukraine
TAIL_OFFSET = 200
TAIL_EXPONENT = 0.8
GIVEN_TAIL_SHARE = 0.10
_ORDER_SEED = 2016
_WORD = re.compile(r"[а-яіїєґ']{3,}")


def _dictionary(pool: str) -> tuple[object, list[str]]:
    from names_translator.dicts import default_dicts

    dicts = default_dicts()
    loaded = dicts._get(pool)
    if loaded is None:
        raise RuntimeError(f"names-translator: no {pool} dictionary installed")
    return dicts, sorted(set(loaded[0].keys()))


def _title(key: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in key.split("-"))


def _russian(key: str, pool: str) -> str:
    from names_translator.dicts import default_dicts

    found = default_dicts().lookup(key, pool, limit=1)
    return found[0] if found else _title(key)


_UK_FEMININE = (("ський", "ська"), ("цький", "цька"), ("зький", "зька"))
_RU_FEMININE = (("ский", "ская"), ("цкий", "цкая"), ("зкий", "зкая"))
_TAKES_A = ("ов", "ев", "єв", "ін", "ин", "їн", "ын")


def feminine(surname: str, *, russian: bool) -> str:
    """The feminine form of a masculine surname (invariant ones are returned as they are)."""
    for masculine, female in _RU_FEMININE if russian else _UK_FEMININE:
        if surname.endswith(masculine):
            return surname[: -len(masculine)] + female
    return surname + "а" if surname.endswith(_TAKES_A) else surname


def _zipf(count: int, total: float) -> list[float]:
    raw = [1.0 / (rank + TAIL_OFFSET) ** TAIL_EXPONENT for rank in range(1, count + 1)]
    scale = total / sum(raw)
    return [w * scale for w in raw]


def _tail_order(keys: list[str]) -> list[str]:
    shuffled = list(keys)
    random.Random(_ORDER_SEED).shuffle(shuffled)
    return shuffled


@dataclass(frozen=True)
class Distribution:
    """Items with cumulative weights, drawn with one call of ``rng.random()``."""

    items: tuple[str, ...]
    cumulative: tuple[float, ...]

    def draw(self, rng: random.Random) -> str:
        return self.items[bisect(self.cumulative, rng.random() * self.cumulative[-1])]

    def share(self, item: str) -> float:
        index = self.items.index(item)
        low = self.cumulative[index - 1] if index else 0.0
        return (self.cumulative[index] - low) / self.cumulative[-1]


@lru_cache(maxsize=1)
def surnames() -> Distribution:
    """Masculine Ukrainian surnames: the demo's head, then the dictionary's tail."""
    head_total = sum(s.weight for s in SURNAMES)
    top = max(s.weight for s in SURNAMES)
    head_share = HEAD_TOP_SHARE * head_total / top
    _dicts, keys = _dictionary("last")
    known = set(keys)
    head = {s.uk.lower() for s in SURNAMES}
    tail = [
        k
        for k in keys
        if _WORD.fullmatch(k)
        and k not in head
        # feminine forms of a listed masculine one (Абакумова beside Абакумов)
        and not (k.endswith("а") and (k[:-1] in known or k[:-1] + "ий" in known))
    ]
    tail = _tail_order(tail)
    weights = [head_share * s.weight / head_total for s in SURNAMES]
    weights += _zipf(len(tail), 1.0 - head_share)
    items = tuple(s.uk for s in SURNAMES) + tuple(_title(k) for k in tail)
    return Distribution(items, tuple(accumulate(weights)))


@lru_cache(maxsize=2)
def given_names(*, feminine_names: bool) -> Distribution:
    """Given names of one sex: the demo's head (90%), the dictionary's tail (10%)."""
    pool: tuple[Given, ...] = WOMEN if feminine_names else MEN
    _dicts, keys = _dictionary("first")
    head = {g.uk.lower() for g in (*MEN, *WOMEN)}
    tail = [
        k
        for k in keys
        if _WORD.fullmatch(k) and k not in head and k.endswith(("а", "я")) == feminine_names
    ]
    tail = _tail_order(tail)
    total = sum(g.weight for g in pool)
    weights = [(1.0 - GIVEN_TAIL_SHARE) * g.weight / total for g in pool]
    weights += _zipf(len(tail), GIVEN_TAIL_SHARE)
    items = tuple(g.uk for g in pool) + tuple(_title(k) for k in tail)
    return Distribution(items, tuple(accumulate(weights)))


@lru_cache(maxsize=200_000)
def surname_forms(uk: str) -> Surname:
    """A surname with its Russian form and feminine forms (the head's as listed)."""
    for listed in SURNAMES:
        if listed.uk == uk:
            return listed
    ru = _russian(uk, "last")
    return Surname(uk, ru, 1, feminine(uk, russian=False), feminine(ru, russian=True))


@lru_cache(maxsize=50_000)
def given_forms(uk: str) -> Given:
    """A given name with its Russian form (the head's as listed)."""
    for listed in (*MEN, *WOMEN):
        if listed.uk == uk:
            return listed
    return Given(uk, _russian(uk, "first"), 1)


# Sex agreement. The dictionary lists a surname in one form: mostly the masculine one, for some
# only the feminine one (Вільчевська, Кнутова, Порожня). A person bears the form of their sex;
# the rules below derive the other form (longest ending first), and a surname none matches is
# the same for both sexes (Шевчук, Бондар, Цюра, Гордій).
_CONSONANTS = "бвгґджзйклмнпрстфхцчшщ"
_UK_MASCULINE = (
    ("ська", "ський"),
    ("цька", "цький"),
    ("зька", "зький"),
    ("ская", "ский"),
    ("цкая", "цкий"),
    ("зкая", "зкий"),
    ("ная", "ний"),
    *((c + "ня", c + "ній") for c in "джйшх"),  # Порожня, Середня, Крайня, Горішня, Верхня
)
_UK_MASCULINE_LONG = (("ова", "ов"), ("ева", "ев"), ("єва", "єв"), ("іна", "ін"), ("їна", "їн"))
_RU_MASCULINE = (
    ("ская", "ский"),
    ("цкая", "цкий"),
    ("зкая", "зкий"),
    ("няя", "ний"),
    ("ная", "ный"),
    ("ова", "ов"),
    ("ева", "ев"),
    ("ёва", "ёв"),
    ("ина", "ин"),
    ("ына", "ын"),
)
_UK_FEMININE_ALL = (
    ("ський", "ська"),
    ("цький", "цька"),
    ("зький", "зька"),
    ("ськой", "ська"),
    ("цькой", "цька"),
    ("скій", "ская"),  # the dictionary's Russian spellings in Ukrainian letters (Качінскій)
    ("цкій", "цкая"),
    ("зкій", "зкая"),
    ("ской", "ская"),
    ("цкой", "цкая"),
    ("овой", "овая"),
    ("евой", "евая"),
    ("ной", "ная"),
    *((c + "ній", c + "ня") for c in "джйшх"),
    *((c + "ий", c + "а") for c in _CONSONANTS),  # Задорожний -> Задорожна, Білий -> Біла
    *((e, e + "а") for e in _TAKES_A),
)
_RU_FEMININE_ALL = (
    ("ский", "ская"),
    ("цкий", "цкая"),
    ("зкий", "зкая"),
    ("ской", "ская"),
    ("цкой", "цкая"),
    ("ной", "ная"),
    ("вой", "вая"),
    ("ний", "няя"),
    ("ый", "ая"),
    ("ий", "ая"),
    ("ов", "ова"),
    ("ев", "ева"),
    ("ёв", "ёва"),
    ("ин", "ина"),
    ("ын", "ына"),
)

_RU_FEMININE_ALWAYS = (
    ("ский", "ская"),
    ("цкий", "цкая"),
    ("зкий", "зкая"),
    ("ый", "ая"),
    ("ов", "ова"),
    ("ев", "ева"),
    ("ёв", "ёва"),
)


def _swap(word: str, rules: tuple[tuple[str, str], ...]) -> str:
    for ending, replacement in rules:
        if word.endswith(ending):
            return word[: -len(ending)] + replacement
    return word


def _masculine_uk(surname: str) -> str:
    """The masculine form of a surname the dictionary lists as feminine only, else itself."""
    swapped = _swap(surname, _UK_MASCULINE)
    if swapped == surname and len(surname) >= 6:  # not Гіна, Дзіна (Кнутова, Мілешкіна)
        swapped = _swap(surname, _UK_MASCULINE_LONG)
    return swapped


_HEAD_SURNAMES = {s.uk: s for s in SURNAMES}


@lru_cache(maxsize=200_000)
def person_surname(uk: str) -> Surname:
    """A drawn surname with the forms a man and a woman bear, Ukrainian and Russian.

    ``uk`` is as ``surnames()`` draws it; the head's forms are as listed. Unlike
    ``surname_forms`` (the linkage benchmark's), a man never bears a feminine-only form
    (Кнутова -> Кнутов) and a woman bears the feminine form of an adjectival surname
    (Задорожний -> Задорожна).
    """
    listed = _HEAD_SURNAMES.get(uk)
    if listed is not None:
        return listed
    ru = _russian(uk.lower(), "last")
    masculine_uk = _masculine_uk(uk)
    if masculine_uk != uk:
        masculine_ru = _swap(ru, _RU_MASCULINE)
        if masculine_ru == ru:
            masculine_ru = _russian(masculine_uk.lower(), "last")
        return Surname(masculine_uk, masculine_ru, 1, uk, ru)
    feminine_uk = _swap(uk, _UK_FEMININE_ALL)
    # The Russian form of an invariant Ukrainian one may still change (Андрійків, Андрейкова).
    feminine_ru = _swap(ru, _RU_FEMININE_ALL if feminine_uk != uk else _RU_FEMININE_ALWAYS)
    return Surname(uk, ru, 1, feminine_uk, feminine_ru)


# Patronymics. The head's fathers' names carry theirs as written by hand (names.FATHERS); any
# other man's name gives them by the rules of each language: Афанасій -> Афанасійович,
# Афанасіївна, Афанасьевич, Афанасьевна; Трохим -> Трохимович, Трохимівна, Трофимович,
# Трофимовна; Федір -> Федорович (the і of the closed syllable is о again). A name the rules do
# not cover (ending in a vowel other than -о: Пері, Медіне) gives none, and the father's name is
# drawn again.
_FATHERS_BY_NAME = {g.uk: g for g in FATHERS}
_IRREGULAR_FATHERS = {
    "Яків": ("Якович", "Яківна", "Яковлевич", "Яковлевна"),
    "Лев": ("Львович", "Львівна", "Львович", "Львовна"),
    "Антін": ("Антонович", "Антонівна", "Антонович", "Антоновна"),
}
_UK_VOWELS = "аеєиіїоуюя"
_RU_VOWELS = "аеёиоуыэюяіїє"


def _uk_patronymics(uk: str, ru: str) -> tuple[str, str] | None:
    last = uk[-1]
    if last == "й" and len(uk) > 2 and uk[-2] in _UK_VOWELS:
        return uk + "ович", uk[:-1] + "ївна"  # Афанасійович, Афанасіївна
    if last == "ь":
        return uk + "ович", uk[:-1] + "івна"  # Васильович, Василівна
    if last == "о" and len(uk) > 2 and uk[-2] not in _UK_VOWELS:
        return uk[:-1] + "ович", uk[:-1] + "івна"  # Петрович, Петрівна
    if last in _UK_VOWELS or not last.isalpha():
        return None
    stem = uk
    if len(uk) >= 4 and uk[-2] == "і" and ru[-2:] == "о" + last:
        stem = uk[:-2] + "о" + last  # Федір / Федор -> Федорович, Федорівна
    return stem + "ович", stem + "івна"


def _ru_patronymics(ru: str) -> tuple[str, str] | None:
    last = ru[-1]
    if ru.endswith("ий") and len(ru) > 3:
        stem = ru[:-2]
        if stem[-2] not in _RU_VOWELS:  # Дмитрий -> Дмитриевич
            return stem + "иевич", stem + "иевна"
        return stem + "ьевич", stem + "ьевна"  # Афанасий -> Афанасьевич
    if last in "йь":
        return ru[:-1] + "евич", ru[:-1] + "евна"  # Сергеевич, Игоревич
    if last in "жшчщц":
        return ru + "евич", ru + "евна"
    if last == "о" and len(ru) > 2 and ru[-2] not in _RU_VOWELS:
        return ru[:-1] + "ович", ru[:-1] + "овна"
    if last in _RU_VOWELS or not last.isalpha():
        return None
    return ru + "ович", ru + "овна"


@lru_cache(maxsize=50_000)
def patronymics(father: str) -> tuple[str, str, str, str] | None:
    """(son's, daughter's) patronymic in Ukrainian, then in Russian, from a father's name."""
    listed = _FATHERS_BY_NAME.get(father)
    if listed is not None:
        return listed.son_uk, listed.daughter_uk, listed.son_ru, listed.daughter_ru
    if father in _IRREGULAR_FATHERS:
        return _IRREGULAR_FATHERS[father]
    ru = given_forms(father).ru
    uk_forms = _uk_patronymics(father, ru)
    ru_forms = _ru_patronymics(ru)
    if uk_forms is None or ru_forms is None:
        return None
    return (*uk_forms, *ru_forms)


def draw_name(rng: random.Random, *, feminine: bool) -> FullName:
    """A synthetic person's name: given name of their sex, a father's patronymic, a surname.

    All three come from the long-tailed distributions above (the same the linkage benchmark
    draws from), in the form of the person's sex; the demo draws its persons with this.
    """
    given = given_forms(given_names(feminine_names=feminine).draw(rng))
    fathers = given_names(feminine_names=False)
    forms = patronymics(fathers.draw(rng))
    while forms is None:
        forms = patronymics(fathers.draw(rng))
    son_uk, daughter_uk, son_ru, daughter_ru = forms
    surname = person_surname(surnames().draw(rng))
    return FullName(
        first_uk=given.uk,
        first_ru=given.ru,
        middle_uk=daughter_uk if feminine else son_uk,
        middle_ru=daughter_ru if feminine else son_ru,
        family_uk=surname.form(feminine=feminine, russian=False),
        family_ru=surname.form(feminine=feminine, russian=True),
    )
