"""Name keys for record linkage and the case search: official transliteration and a
transliteration-blind skeleton.

``official_latin`` gives the Ukrainian national transliteration (Cabinet Resolution No. 55 of
27 January 2010, ``translitua.UkrainianKMU``) of a name; it is what appears in Ukrainian passports
and is the key for exact comparison of Latin and Cyrillic spellings.

``skeleton_key`` is a coarser key for fuzzy comparison and blocking. It makes the common
spellings of one name agree whether they came from Ukrainian, Russian, English, German, Polish
or Czech conventions: Serhii, Sergey, Sergiy, Serhiy, Сергій and Сергей all give ``serhi``;
Oleksandr, Aleksandr, Olexandr and Александр give ``aleksandr``; Nataliia, Natalia, Natalya,
Наталія and Наталья give ``natalia``; Kovalov, Kovalev, Kovaliov, Ковальов and Ковалев give
``kovalov``; Shevchenko, Schewtschenko, Szewczenko and Ševčenko give ``shevchenko``.

The folds, in the order applied to each token:

1. Cyrillic is put into the official transliteration; Russian-only letters are mapped first
   (ы→и, э→е, ё→е, ъ dropped); the soft sign and apostrophes disappear.
2. Latin input: š→sh, č→ch, ž→zh, ß→ss, ł→l; other diacritics dropped (ü→u, é→e); lower case;
   anything but a-z removed.
3. Endings: final e + i/y/j (Sergey, Andrei, Aleksei: Russian -ей) becomes i, like Ukrainian
   -ій; final a + i/y/j + a (Russian feminine -ая, -aya) becomes a (Ukrainian -а); the surname
   endings -ov, -ev, -iov, -yov, -iev, -yev (and feminine + a) become -ov (Ковальов/Ковалев/
   Ковалёв), when at least three letters precede them.
4. Consonant classes, longest match first: shch, schtsch, shtsch, szcz → shch (щ);
   sh, sch, sz → sh (ш); ch, tsch, tch, cz → ch (ч); zh → zh (ж); ts, tz, and c before e, i, y →
   ts (ц); other c, ck, q → k; kh, gh, h, g → h (Ukrainian г, Russian г, х); x → ks;
   w → v; ph → f.
5. y and j → i (Ukrainian и and й, Russian и/ы, English y, German j).
6. Doubled letters collapse (ii → i, nn → n), so -ii, -iy, -yi, -y all end in i, and
   Nataliia/Natalia agree.
7. ie → e (Ukrainian є written ye/ie: Yevhen/Evgen).
8. A name-initial o becomes a (Oleksandr/Aleksandr, Oleksii/Aleksei, Olena/Alena).
9. Doubled letters collapse again.

Not folded, by design: vowels other than the above (Petro and Pavlo must differ), io/yo to o
(Fyodor/Fedir differ; the equivalents table covers such pairs), Ukrainian і for Russian е/о
(Федір/Фёдор), and the Latin "-sky" against Ukrainian "-skyi" which already agree (both -ski).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from opennrm.core.names import latin_form, name_tokens

_LATIN_EXPAND = str.maketrans({"š": "sh", "č": "ch", "ž": "zh", "ß": "ss", "ł": "l", "ø": "o"})
_NOT_LETTER = re.compile(r"[^a-z]")
_ENDINGS = (
    (re.compile(r"(?<=..)e[iyj]+$"), "i"),
    (re.compile(r"(?<=..)a[iyj]a$"), "a"),
    (re.compile(r"^(.{3,}?)[iyj]?[eo]v(a?)$"), r"\1ov\2"),
)
# Internal one-character symbols for consonant digraphs, so that the h fold cannot split them.
_SYMBOLS = {"Q": "shch", "W": "sh", "C": "ch", "Z": "zh", "T": "ts"}
_CONSONANTS = sorted(
    {
        "schtsch": "Q",
        "shtsch": "Q",
        "shch": "Q",
        "szcz": "Q",
        "tsch": "C",
        "sch": "W",
        "tch": "C",
        "sh": "W",
        "sz": "W",
        "ch": "C",
        "cz": "C",
        "zh": "Z",
        "ts": "T",
        "tz": "T",
        "ce": "Te",
        "ci": "Ti",
        "cy": "Ti",
        "ck": "k",
        "kh": "h",
        "gh": "h",
        "ph": "f",
        "c": "k",
        "q": "k",
        "g": "h",
        "x": "ks",
        "w": "v",
        "y": "i",
        "j": "i",
    }.items(),
    key=lambda item: -len(item[0]),
)
_CONSONANT_PATTERN = re.compile("|".join(re.escape(pattern) for pattern, _ in _CONSONANTS))
_CONSONANT_SYMBOLS = dict(_CONSONANTS)
_SYMBOL_LETTERS = str.maketrans(_SYMBOLS)
_DOUBLES = re.compile(r"(.)\1+")


def official_latin(text: str) -> str:
    """A name in the official Ukrainian transliteration, lower case, tokens joined by spaces."""
    return " ".join(latin_form(token) for token in name_tokens(text))


def latin_letters(token: str) -> str:
    """A token as plain lower-case a-z: Cyrillic transliterated, diacritics expanded or dropped."""
    latin = latin_form(unicodedata.normalize("NFKC", token).casefold()).translate(_LATIN_EXPAND)
    if latin.isascii():  # nothing to decompose (the usual case once Cyrillic is transliterated)
        return _NOT_LETTER.sub("", latin)
    stripped = "".join(
        char for char in unicodedata.normalize("NFKD", latin) if not unicodedata.combining(char)
    )
    return _NOT_LETTER.sub("", stripped)


def _consonant_classes(text: str) -> str:
    """Each consonant pattern replaced by its symbol, scanning left to right and trying the
    longest patterns first (a regular expression tries its alternatives in the order given,
    so the first of ``_CONSONANTS`` that matches at a position wins, as a loop over them)."""
    return _CONSONANT_PATTERN.sub(_consonant_symbol, text)


def _consonant_symbol(match: re.Match[str]) -> str:
    return _CONSONANT_SYMBOLS[match.group()]


@lru_cache(maxsize=8192)
def skeleton_key(token: str, *, endings: bool = True) -> str:
    """The transliteration-insensitive key of one name token (see the module docstring).

    `endings=False` leaves the word endings unfolded (step 3): the key of a typed beginning of
    a name ("Ковалев" of "Ковалевський"), compared with the beginnings of indexed keys.
    """
    text = latin_letters(token)
    if endings:
        for pattern, replacement in _ENDINGS:
            text = pattern.sub(replacement, text)
    text = _DOUBLES.sub(r"\1", _consonant_classes(text))
    text = text.replace("ie", "e")
    if text.startswith("o"):
        text = "a" + text[1:]
    text = _DOUBLES.sub(r"\1", text)
    return text.translate(_SYMBOL_LETTERS)


def skeleton_keys(text: str) -> list[str]:
    """The skeleton key of every token of a name, in the order written."""
    return [key for key in (skeleton_key(token) for token in name_tokens(text)) if key]


def skeletons_agree(first: str, second: str) -> bool:
    """Whether two names have the same skeleton keys token by token."""
    return skeleton_keys(first) == skeleton_keys(second)
