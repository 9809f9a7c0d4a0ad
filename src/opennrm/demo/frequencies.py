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

Every combination drawn is random: no real person is described.
"""

from __future__ import annotations

import random
import re
from bisect import bisect
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from opennrm.demo.names import MEN, SURNAMES, WOMEN, Given, Surname

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
