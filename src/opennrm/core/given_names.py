"""Ukrainian given names with their Russian forms, diminutives and Latin equivalents.

Used to compare given names that differ by language or familiarity rather than by spelling:
Олександр/Александр/Саша, Наталія/Наталья/Наташа, Сергій/Сергійко. The table is
``data/given_name_equivalents.csv`` (canonical Ukrainian form, variant, kind, source); kinds are
``ru_form`` (the Russian form of the same name), ``diminutive`` and ``latin`` (a foreign Latin
equivalent such as Alexander). Look-ups go through ``skeleton_key``, so any Cyrillic or Latin
spelling of a listed form (Sasha, Sergei, Natasha) resolves too. A diminutive shared by a male
and a female name (Саша, Женя, Валя) resolves to both.

Beyond the hand table, the given-name dictionary of the ``names-translator`` package (2.1.0,
MIT licence, Dmitry Chaplinsky: 11,001 Ukrainian given names with their ranked Russian forms)
joins each Ukrainian name to its Russian forms: Федір/Федор/Фёдор/Fyodor/Fedir,
Євген/Евгений/Yevhen/Evgeny, Ілля/Илья and thousands more. Names joined by a Ukrainian-Russian
pair (in either source, never through a diminutive) form one class, named by the hand table's
canonical form when the class has one, else by its smallest Cyrillic member.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from opennrm.core.name_skeleton import skeleton_key

DATA_FILE = Path(__file__).parent / "data" / "given_name_equivalents.csv"
KINDS = frozenset({"ru_form", "diminutive", "latin"})


class Equivalent(NamedTuple):
    """One row of the equivalents table."""

    canonical: str
    variant: str
    kind: str
    source: str


def load_equivalents(path: Path = DATA_FILE) -> list[Equivalent]:
    """The rows of the equivalents table; an unknown kind is an error."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [Equivalent(**row) for row in csv.DictReader(handle)]
    for row in rows:
        if row.kind not in KINDS:
            raise ValueError(f"unknown kind {row.kind!r} for {row.variant!r}")
    return rows


_CYRILLIC_NAME = re.compile(r"[а-яёіїєґ']{2,}")


def dictionary_pairs() -> list[tuple[str, str]]:
    """(Ukrainian, Russian) given-name pairs of names-translator's dictionary, every ranked
    Russian form of each single-word name (hyphenated double names are left out)."""
    try:
        from names_translator.dicts import default_dicts
    except ImportError:  # the hand table alone
        return []
    pairs: list[tuple[str, str]] = []
    for uk, forms in default_dicts().as_dict("first").items():
        if not _CYRILLIC_NAME.fullmatch(uk):
            continue
        pairs.extend((uk, ru) for ru in forms if _CYRILLIC_NAME.fullmatch(ru.lower()))
    return pairs


class _Classes:
    """Union-find over skeleton keys."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        root = self.parent.setdefault(key, key)
        while root != self.parent[root]:
            root = self.parent[root]
        while key != root:
            key, self.parent[key] = self.parent[key], root
        return root

    def union(self, one: str, two: str) -> None:
        a, b = self.find(one), self.find(two)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


@lru_cache(maxsize=1)
def _index() -> dict[str, frozenset[str]]:
    rows = load_equivalents()
    classes = _Classes()
    named: dict[str, str] = {}  # skeleton of a hand-table canonical -> the canonical
    for row in rows:
        named[skeleton_key(row.canonical)] = row.canonical
        if row.kind != "diminutive":
            classes.union(skeleton_key(row.canonical), skeleton_key(row.variant))
    members: dict[str, str] = {}  # skeleton -> a Cyrillic spelling, for class names
    for uk, ru in dictionary_pairs():
        one, two = skeleton_key(uk), skeleton_key(ru)
        if one and two:
            classes.union(one, two)
            members.setdefault(one, uk.capitalize())
            members.setdefault(two, ru.capitalize())
    by_root: dict[str, set[str]] = {}
    for key in list(classes.parent):
        by_root.setdefault(classes.find(key), set()).add(key)
    class_names: dict[str, frozenset[str]] = {}
    for root, keys in by_root.items():
        canonicals = {named[key] for key in keys if key in named}
        if not canonicals:
            canonicals = {min(members.get(key, key) for key in keys)}
        class_names[root] = frozenset(canonicals)
    index: dict[str, set[str]] = {}
    for key in classes.parent:
        index.setdefault(key, set()).update(class_names[classes.find(key)])
    # A diminutive of the hand table (Саша, Льоша) stands for its full names only, even where
    # the dictionary lists it as a name of its own.
    diminutives: dict[str, set[str]] = {}
    for row in rows:
        if row.kind == "diminutive":
            own = class_names[classes.find(skeleton_key(row.canonical))]
            diminutives.setdefault(skeleton_key(row.variant), set()).update(own)
    index.update(diminutives)
    return {key: frozenset(values) for key, values in index.items()}


# Russian ё written after a consonant: "yo"/"io" in Latin (Fyodor, Semyon, Alyona), "ьо" in
# Ukrainian spelling (Фьодор, Альона); folded to е when the name is not found as written.
_LATIN_YO = re.compile(r"(?<=[bcdfghklmnprstvz])(?:yo|io)")
_CYRILLIC_YO = re.compile(r"(?<=[бвгґджзклмнпрстфхцчшщ])ьо")


def _yo_folded(name: str) -> str:
    lower = name.lower()
    return _CYRILLIC_YO.sub("е", _LATIN_YO.sub("e", lower))


def canonical_given_names(name: str) -> frozenset[str]:
    """The canonical Ukrainian names a given name may stand for; empty if it is not listed."""
    index = _index()
    found = index.get(skeleton_key(name))
    if found is None:
        folded = _yo_folded(name)
        found = index.get(skeleton_key(folded), frozenset()) if folded != name.lower() else None
    return found or frozenset()


def given_names_equivalent(first: str, second: str) -> bool:
    """Whether two given names are the same name: equal skeletons or a shared canonical form."""
    if skeleton_key(first) == skeleton_key(second):
        return True
    return bool(canonical_given_names(first) & canonical_given_names(second))
