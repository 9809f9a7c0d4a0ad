"""Ukrainian given names with their Russian forms, diminutives and Latin equivalents.

Used to compare given names that differ by language or familiarity rather than by spelling:
Олександр/Александр/Саша, Наталія/Наталья/Наташа, Сергій/Сергійко. The table is
``data/given_name_equivalents.csv`` (canonical Ukrainian form, variant, kind, source); kinds are
``ru_form`` (the Russian form of the same name), ``diminutive`` and ``latin`` (a foreign Latin
equivalent such as Alexander). Look-ups go through ``skeleton_key``, so any Cyrillic or Latin
spelling of a listed form (Sasha, Sergei, Natasha) resolves too. A diminutive shared by a male
and a female name (Саша, Женя, Валя) resolves to both.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from opennrm.linkage.engine.skeleton import skeleton_key

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


@lru_cache(maxsize=1)
def _index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for row in load_equivalents():
        for name in (row.canonical, row.variant):
            index.setdefault(skeleton_key(name), set()).add(row.canonical)
    return {key: frozenset(values) for key, values in index.items()}


def canonical_given_names(name: str) -> frozenset[str]:
    """The canonical Ukrainian names a given name may stand for; empty if it is not listed."""
    return _index().get(skeleton_key(name), frozenset())


def given_names_equivalent(first: str, second: str) -> bool:
    """Whether two given names are the same name: equal skeletons or a shared canonical form."""
    if skeleton_key(first) == skeleton_key(second):
        return True
    return bool(canonical_given_names(first) & canonical_given_names(second))
