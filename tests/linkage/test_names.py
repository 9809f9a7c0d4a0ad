"""Name keys: transliteration, skeleton, Daitch-Mokotoff, equivalents, patronymics, order."""

from __future__ import annotations

import pytest

from opennrm.core.given_names import (
    canonical_given_names,
    given_names_equivalent,
    load_equivalents,
)
from opennrm.core.name_skeleton import official_latin, skeleton_key
from opennrm.linkage.engine.daitch_mokotoff import daitch_mokotoff, phonetic_codes, phonetic_match
from opennrm.linkage.engine.name_parts import (
    NameReading,
    name_orderings,
    name_orders_agree,
    patronymic_key,
    patronymics_agree,
)

SAME_NAME = [
    ("Сергій", "Сергей", "Serhii", "Sergey", "Sergiy", "Serhiy", "Sergei"),
    ("Олександр", "Александр", "Oleksandr", "Aleksandr", "Olexandr"),
    ("Наталія", "Наталья", "Nataliia", "Natalia", "Natalya", "Natal'ia"),
    ("Ковальов", "Ковалев", "Ковалёв", "Kovalov", "Kovalev", "Kovaliov"),
    ("Шевченко", "Shevchenko", "Schewtschenko", "Szewczenko", "Ševčenko"),
    ("Олексій", "Алексей", "Oleksii", "Aleksei", "Alexey"),
    ("Юрій", "Юрий", "Yurii", "Iurii", "Jurij", "Yury"),
    ("Ковальська", "Ковальская", "Kovalska", "Kovalskaya"),
]
DIFFERENT_NAMES = [
    ("Петро", "Павло"),
    ("Шевченко", "Шевчук"),
    ("Марія", "Мирослава"),
    ("Іван", "Ігор"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Шевченко Олександр Сергійович", "shevchenko oleksandr serhiiovych"),
        ("Наталья", "natalia"),
        ("Ковалёв", "kovalev"),
        ("Shevchenko", "shevchenko"),
    ],
)
def test_official_latin(text: str, expected: str) -> None:
    assert official_latin(text) == expected


@pytest.mark.parametrize("spellings", SAME_NAME)
def test_skeleton_agrees_across_spellings(spellings: tuple[str, ...]) -> None:
    assert len({skeleton_key(spelling) for spelling in spellings}) == 1


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("Сергей", "serhi"),
        ("Olexandr", "aleksandr"),
        ("Natalya", "natalia"),
        ("Ковалёв", "kovalov"),
    ],
)
def test_skeleton_values(spelling: str, key: str) -> None:
    assert skeleton_key(spelling) == key


@pytest.mark.parametrize(("first", "second"), DIFFERENT_NAMES)
def test_skeleton_separates_different_names(first: str, second: str) -> None:
    assert skeleton_key(first) != skeleton_key(second)


@pytest.mark.parametrize(
    "spellings",
    [group for group in SAME_NAME if "Ковальська" not in group],
)
def test_daitch_mokotoff_agrees_across_spellings(spellings: tuple[str, ...]) -> None:
    for spelling in spellings[1:]:
        assert phonetic_match(spellings[0], spelling), spelling


@pytest.mark.parametrize(("first", "second"), DIFFERENT_NAMES)
def test_daitch_mokotoff_separates_different_names(first: str, second: str) -> None:
    assert not phonetic_match(first, second)


@pytest.mark.parametrize(
    ("word", "codes"),
    [
        # Published examples (Morse; Apache Commons Codec tests).
        ("Auerbach", {"097500", "097400"}),
        ("Peters", {"739400", "734000"}),
        ("Moskowitz", {"645740"}),
        ("Jackson", {"154600", "454600", "145460", "445460"}),
        ("Kleinman", {"586660"}),
        ("", set()),
    ],
)
def test_daitch_mokotoff_reference_codes(word: str, codes: set[str]) -> None:
    assert daitch_mokotoff(word) == codes


def test_phonetic_codes_of_cyrillic() -> None:
    assert phonetic_codes("Сергій") == phonetic_codes("Сергей") == {"495000"}


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Саша", "Олександр"),
        ("Sasha", "Олександр"),
        ("Александр", "Олександр"),
        ("Наталка", "Наталія"),
        ("Наташа", "Наталія"),
        ("Наталья", "Наталія"),
        ("Сергійко", "Сергій"),
        ("Sergei", "Сергій"),
        ("Ковальов", None),
    ],
)
def test_canonical_given_names(name: str, canonical: str | None) -> None:
    names = canonical_given_names(name)
    assert (canonical in names) if canonical else not names


def test_shared_diminutive_resolves_to_both_sexes() -> None:
    assert canonical_given_names("Женя") == {"Євген", "Євгенія"}


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Саша", "Oleksandr", True),
        ("Natasha", "Наталія", True),
        ("Петро", "Павло", False),
        ("Марія", "Мирослава", False),
    ],
)
def test_given_names_equivalent(first: str, second: str, same: bool) -> None:
    assert given_names_equivalent(first, second) is same


def test_equivalents_file_is_well_formed() -> None:
    rows = load_equivalents()
    assert rows
    assert {row.source for row in rows} == {"OpenNRM compilation"}
    assert all(row.canonical != row.variant for row in rows)


@pytest.mark.parametrize(
    ("text", "father", "sex"),
    [
        ("Сергійович", "serhi", "m"),
        ("Сергеевич", "serhi", "m"),
        ("Serhiiovych", "serhi", "m"),
        ("Sergeyevich", "serhi", "m"),
        ("Сергіївна", "serhi", "f"),
        ("Сергеевна", "serhi", "f"),
        ("Іванівна", "ivan", "f"),
        ("Ивановна", "ivan", "f"),
        ("Олександрович", "aleksandr", "m"),
        ("Aleksandrovich", "aleksandr", "m"),
    ],
)
def test_patronymic_key(text: str, father: str, sex: str) -> None:
    assert patronymic_key(text) == (father, sex)


@pytest.mark.parametrize("text", ["Шевченко", "Ковальова", "Наталія"])
def test_not_a_patronymic(text: str) -> None:
    assert patronymic_key(text) is None


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Миколайович", "Николаевич", True),
        ("Андріївна", "Андреевна", True),
        ("Іванович", "Іванівна", False),
        ("Петрович", "Павлович", False),
    ],
)
def test_patronymics_agree(first: str, second: str, same: bool) -> None:
    assert patronymics_agree(first, second) is same


def test_two_token_name_yields_both_orders() -> None:
    assert list(name_orderings("Shevchenko Oleksandr")) == [
        NameReading("shevchenko", "oleksandr"),
        NameReading("oleksandr", "shevchenko"),
    ]


@pytest.mark.parametrize(
    "text",
    ["Шевченко Олександр Сергійович", "Олександр Сергійович Шевченко"],
)
def test_patronymic_fixes_the_order(text: str) -> None:
    assert list(name_orderings(text)) == [NameReading("олександр", "шевченко", "сергійович")]


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Shevchenko Oleksandr", "Oleksandr Shevchenko", True),
        ("Шевченко Олександр Сергійович", "Aleksandr Sergeevich Shevchenko", True),
        ("Шевченко Саша", "Oleksandr Shevchenko", True),
        ("Шевченко Петро", "Pavlo Shevchenko", False),
        ("Шевченко Олександр Петрович", "Oleksandr Pavlovych Shevchenko", False),
        ("Шевченко", "Shevchenko", False),
    ],
)
def test_name_orders_agree(first: str, second: str, same: bool) -> None:
    assert (name_orders_agree(first, second) is not None) is same
