"""Identity-document numbers reduced to a comparable form.

Passport and certificate series are typed in Cyrillic or in Latin letters, and Cyrillic
letters that look like Latin ones (А, В, К, М, Н, С ...) get mixed into Latin series and the
reverse. ``document_key`` removes spaces, dashes and other separators, upper-cases, maps the
look-alike Cyrillic letters to Latin and transliterates any other Cyrillic letter officially
(Ф→F, Б→B), so that "ФА 123456", "fa-123456" and "FA123456" all give FA123456.
"""

from __future__ import annotations

import re
import unicodedata

from translitua import UkrainianKMU, translit

_LOOKALIKES = str.maketrans(
    {
        "А": "A",
        "В": "B",
        "Е": "E",
        "К": "K",
        "М": "M",
        "Н": "H",
        "О": "O",
        "Р": "P",
        "С": "C",
        "Т": "T",
        "Х": "X",
        "І": "I",
    }
)
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def document_key(text: str | None) -> str | None:
    """The comparable form of a document number, or None when nothing is left."""
    if not text:
        return None
    upper = unicodedata.normalize("NFKC", text).upper().translate(_LOOKALIKES)
    latin = str(translit(upper, UkrainianKMU)).upper()
    key = _NOT_ALNUM.sub("", latin)
    return key or None
