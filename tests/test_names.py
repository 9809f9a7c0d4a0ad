"""Name tokens for exact search: Cyrillic and the official Ukrainian transliteration."""

from __future__ import annotations

import pytest

from opennrm.core.name_keys import EXACT, text_index_keys
from opennrm.core.names import latin_form, name_tokens


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Олександр Шевченко", ["олександр", "шевченко"]),
        ("  SHEVCHENKO,oleksandr ", ["shevchenko", "oleksandr"]),
        ("Дар'я Ковальчук-Бондар", ["даря", "ковальчук", "бондар"]),
        ("O’Neil 42", ["oneil"]),
        ("", []),
    ],
)
def test_name_tokens(text: str, tokens: list[str]) -> None:
    assert name_tokens(text) == tokens


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("олександр", "oleksandr"),
        ("шевченко", "shevchenko"),
        ("сергій", "serhii"),
        ("наталія", "nataliia"),
        ("згурський", "zghurskyi"),
        ("ёлкин", "elkyn"),  # Russian-only letters mapped before transliteration
        ("shevchenko", "shevchenko"),
    ],
)
def test_latin_form_is_the_official_transliteration(cyrillic: str, latin: str) -> None:
    assert latin_form(cyrillic) == latin


def _exact(text: str) -> set[str]:
    return text_index_keys(text)[EXACT]


def test_cyrillic_and_latin_spellings_share_a_key() -> None:
    assert _exact("Oleksandr Shevchenko") <= _exact("Олександр Шевченко")
    assert _exact("шевченко") & _exact("SHEVCHENKO")
