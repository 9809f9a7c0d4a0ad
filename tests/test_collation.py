"""Countries are offered in the alphabet order of the interface's language."""

from __future__ import annotations

from django.utils import translation

from opennrm.core.codes import code_list
from opennrm.core.collation import UKRAINIAN_ALPHABET, ukrainian_key


def test_ukrainian_letters_sort_in_alphabet_order() -> None:
    words = ["Япония", "Їжак", "Ґанок", "Єгипет", "Індія", "Гана", "Ерітрея", "Ірак", "Ямайка"]
    assert sorted(words, key=ukrainian_key) == [
        "Гана",
        "Ґанок",
        "Ерітрея",
        "Єгипет",
        "Індія",
        "Ірак",
        "Їжак",
        "Ямайка",
        "Япония",
    ]
    assert UKRAINIAN_ALPHABET.index("ґ") == UKRAINIAN_ALPHABET.index("г") + 1
    # Apostrophes and spaces do not count.
    assert sorted(["Мʼянма", "Мавританія"], key=ukrainian_key) == ["Мавританія", "Мʼянма"]


def test_country_choices_follow_the_interface_language() -> None:
    with translation.override("uk"):
        labels = [str(label) for _code, label in code_list("country").choices()]
        assert labels[0] == "Австралія"
        assert labels.index("Єгипет") < labels.index("Ємен") < labels.index("Ізраїль")
        assert labels.index("Гватемала") < labels.index("Ґренландія") < labels.index("Данія")
        assert labels.index("Україна") < labels.index("Фінляндія")
        assert labels == sorted(labels, key=ukrainian_key)
    with translation.override("en"):
        labels = [str(label) for _code, label in code_list("country").choices()]
        assert labels[:3] == ["Afghanistan", "Åland Islands", "Albania"]
        assert labels.index("Poland") < labels.index("Russian Federation") < labels.index("Ukraine")
