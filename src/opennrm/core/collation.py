"""Sorting text the way the interface's language does: Ukrainian alphabet order for Ukrainian
(Python's default puts "Є", "І", "Ї", "Ґ" after "Я"), case-insensitive order for English."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.utils.translation import get_language

T = TypeVar("T")

UKRAINIAN_ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
_RANK = {letter: index for index, letter in enumerate(UKRAINIAN_ALPHABET)}
_IGNORED = "'’ʼ`-‐ .,()«»\""


def ukrainian_key(text: str) -> tuple[tuple[int, int], ...]:
    """A sort key in Ukrainian alphabet order; apostrophes, hyphens, spaces and punctuation
    do not count (as in dictionaries); letters of other scripts come after Cyrillic."""
    key = []
    for char in unicodedata.normalize("NFC", text.casefold()):
        if char in _IGNORED:
            continue
        rank = _RANK.get(char)
        key.append((0, rank) if rank is not None else (1, ord(char)))
    return tuple(key)


def english_key(text: str) -> str:
    """Case and accents do not count ("Åland" sorts with "Aland")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def sorted_by(items: Iterable[T], label: Callable[[T], str]) -> list[T]:
    """The items in the order of their labels in the active language."""
    if (get_language() or "uk").startswith("en"):
        return sorted(items, key=lambda item: english_key(label(item)))
    return sorted(items, key=lambda item: ukrainian_key(label(item)))
