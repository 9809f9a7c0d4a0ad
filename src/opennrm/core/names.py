"""Name normalisation for exact search: tokens in Cyrillic and in the official transliteration.

The Latin form uses the Ukrainian national transliteration (Cabinet Resolution No. 55 of
27 January 2010, `translitua.UkrainianKMU`). Russian-only letters are first mapped to their
nearest Ukrainian letters so that mixed input transliterates fully. These are the "as written"
keys of the case search; the other kinds (skeleton, equivalents, beginnings) are in
`core.name_keys`.
"""

from __future__ import annotations

import re
import unicodedata

from translitua import UkrainianKMU, translit

_APOSTROPHES = "'’ʼ`´ʹ′"
_RUSSIAN_ONLY = str.maketrans({"ё": "е", "ы": "и", "э": "е", "ъ": ""})
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SPLIT = re.compile(r"[^\w]+", re.UNICODE)


def name_tokens(text: str) -> list[str]:
    """Lower-case word tokens of a name, without apostrophes, in the order written."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    for mark in _APOSTROPHES:
        folded = folded.replace(mark, "")
    return [token for token in _SPLIT.split(folded) if token and not token.isdigit()]


def latin_form(token: str) -> str:
    """The official Ukrainian transliteration of a Cyrillic token; Latin tokens unchanged."""
    if not _CYRILLIC.search(token):
        return token
    mapped = token.translate(_RUSSIAN_ONLY)
    return str(translit(mapped, UkrainianKMU)).casefold()


def token_forms(token: str) -> set[str]:
    """Every form under which a token is indexed: itself and its Latin transliteration."""
    return {token, latin_form(token)}
