"""Synthetic Ukrainian names: the most common surnames, first names and patronymics by sex.

Each name has its Ukrainian and its Russian written form, because the same person is often
written both ways (Олександр / Александр). Surnames are weighted roughly by their frequency in
Ukraine (Мельник, Шевченко, Коваленко, Бондаренко ... first). These lists are only the head of
the long-tailed distributions in ``opennrm.demo.frequencies``, from which the demo draws its
persons (``frequencies.draw_name``); the combinations are random, so no real person is
described. Also here: the spelling variants a second agency produces (Latin transliteration,
typos, swapped name order).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from translitua import UkrainianKMU, translit


@dataclass(frozen=True)
class Surname:
    uk: str
    ru: str
    weight: int
    uk_f: str = ""  # feminine form when it differs (Іванов -> Іванова)
    ru_f: str = ""

    def form(self, *, feminine: bool, russian: bool) -> str:
        if feminine:
            return (self.ru_f or self.ru) if russian else (self.uk_f or self.uk)
        return self.ru if russian else self.uk


@dataclass(frozen=True)
class Given:
    """A first name with its Russian form and, for men's names, the patronymics it gives."""

    uk: str
    ru: str
    weight: int
    son_uk: str = ""
    daughter_uk: str = ""
    son_ru: str = ""
    daughter_ru: str = ""


def _s(uk: str, weight: int, ru: str = "", uk_f: str = "", ru_f: str = "") -> Surname:
    return Surname(uk, ru or uk, weight, uk_f, ru_f)


SURNAMES: tuple[Surname, ...] = (
    _s("Мельник", 100),
    _s("Шевченко", 98),
    _s("Коваленко", 96),
    _s("Бондаренко", 88),
    _s("Бойко", 85),
    _s("Ткаченко", 80),
    _s("Кравченко", 78),
    _s("Ковальчук", 72),
    _s("Коваль", 70),
    _s("Олійник", 68, "Олейник"),
    _s("Шевчук", 65),
    _s("Поліщук", 60, "Полищук"),
    _s("Ткачук", 58),
    _s("Савченко", 56),
    _s("Бондар", 55),
    _s("Марченко", 53),
    _s("Руденко", 52),
    _s("Мороз", 50),
    _s("Лисенко", 49, "Лысенко"),
    _s("Петренко", 48),
    _s("Клименко", 46),
    _s("Павленко", 45),
    _s("Кравчук", 44),
    _s("Кузьменко", 43),
    _s("Пономаренко", 42),
    _s("Савчук", 41),
    _s("Василенко", 40),
    _s("Левченко", 40),
    _s("Харченко", 39),
    _s("Сидоренко", 38),
    _s("Карпенко", 37),
    _s("Гаврилюк", 36),
    _s("Мельничук", 35),
    _s("Литвиненко", 35),
    _s("Мартинюк", 34),
    _s("Романенко", 33),
    _s("Костенко", 33),
    _s("Гончаренко", 32),
    _s("Юрченко", 31),
    _s("Кушнір", 30, "Кушнир"),
    _s("Іванов", 30, "Иванов", "Іванова", "Иванова"),
    _s("Литвин", 29),
    _s("Гуменюк", 28),
    _s("Головко", 28),
    _s("Захарченко", 27),
    _s("Кириленко", 27),
    _s("Приходько", 27),
    _s("Панченко", 26),
    _s("Білик", 26, "Билык"),
    _s("Лук'яненко", 25, "Лукьяненко"),
    _s("Степаненко", 25),
    _s("Мазур", 24),
    _s("Федоренко", 24),
    _s("Попов", 22, "Попов", "Попова", "Попова"),
    _s("Кузнецов", 20, "Кузнецов", "Кузнецова", "Кузнецова"),
    _s("Ковальов", 18, "Ковалев", "Ковальова", "Ковалева"),
    _s("Зінченко", 18, "Зинченко"),
    _s("Тимченко", 17),
    _s("Дмитренко", 16),
    _s("Остапенко", 15),
)


def _m(uk: str, ru: str, weight: int, patronymics: str = "") -> Given:
    """A man's name; `patronymics` is "son_uk daughter_uk son_ru daughter_ru"."""
    son_uk, daughter_uk, son_ru, daughter_ru = [*patronymics.split(), "", "", "", ""][:4]
    return Given(uk, ru, weight, son_uk, daughter_uk, son_ru, daughter_ru)


MEN: tuple[Given, ...] = (
    _m("Олександр", "Александр", 100, "Олександрович Олександрівна Александрович Александровна"),
    _m("Сергій", "Сергей", 90, "Сергійович Сергіївна Сергеевич Сергеевна"),
    _m("Андрій", "Андрей", 80, "Андрійович Андріївна Андреевич Андреевна"),
    _m("Володимир", "Владимир", 75, "Володимирович Володимирівна Владимирович Владимировна"),
    _m("Віктор", "Виктор", 60, "Вікторович Вікторівна Викторович Викторовна"),
    _m("Юрій", "Юрий", 60, "Юрійович Юріївна Юрьевич Юрьевна"),
    _m("Олег", "Олег", 55, "Олегович Олегівна Олегович Олеговна"),
    _m("Дмитро", "Дмитрий", 55, "Дмитрович Дмитрівна Дмитриевич Дмитриевна"),
    _m("Микола", "Николай", 55, "Миколайович Миколаївна Николаевич Николаевна"),
    _m("Іван", "Иван", 50, "Іванович Іванівна Иванович Ивановна"),
    _m("Василь", "Василий", 45, "Васильович Василівна Васильевич Васильевна"),
    _m("Михайло", "Михаил", 45, "Михайлович Михайлівна Михайлович Михайловна"),
    _m("Віталій", "Виталий", 40, "Віталійович Віталіївна Витальевич Витальевна"),
    _m("Ігор", "Игорь", 40, "Ігорович Ігорівна Игоревич Игоревна"),
    _m("Олексій", "Алексей", 38, "Олексійович Олексіївна Алексеевич Алексеевна"),
    _m("Анатолій", "Анатолий", 30, "Анатолійович Анатоліївна Анатольевич Анатольевна"),
    _m("Петро", "Петр", 30, "Петрович Петрівна Петрович Петровна"),
    _m("Павло", "Павел", 28, "Павлович Павлівна Павлович Павловна"),
    _m("Євген", "Евгений", 30, "Євгенович Євгенівна Евгеньевич Евгеньевна"),
    _m("Роман", "Роман", 28, "Романович Романівна Романович Романовна"),
    _m("Максим", "Максим", 25),
    _m("Денис", "Денис", 22),
    _m("Руслан", "Руслан", 20),
    _m("Вадим", "Вадим", 18),
    _m("Богдан", "Богдан", 15),
    _m("Артем", "Артем", 15),
    _m("Ярослав", "Ярослав", 10),
    _m("Владислав", "Владислав", 10),
)

# Fathers' names of the parents' generation, which give the patronymics.
FATHERS: tuple[Given, ...] = (
    *(g for g in MEN if g.son_uk),
    _m("Григорій", "Григорий", 30, "Григорович Григорівна Григорьевич Григорьевна"),
    _m("Леонід", "Леонид", 25, "Леонідович Леонідівна Леонидович Леонидовна"),
    _m("Валерій", "Валерий", 25, "Валерійович Валеріївна Валерьевич Валерьевна"),
    _m("Степан", "Степан", 20, "Степанович Степанівна Степанович Степановна"),
    _m("Борис", "Борис", 15, "Борисович Борисівна Борисович Борисовна"),
    _m("Федір", "Федор", 15, "Федорович Федорівна Федорович Федоровна"),
)

WOMEN: tuple[Given, ...] = (
    Given("Олена", "Елена", 90),
    Given("Наталія", "Наталья", 85),
    Given("Тетяна", "Татьяна", 80),
    Given("Ірина", "Ирина", 70),
    Given("Світлана", "Светлана", 60),
    Given("Оксана", "Оксана", 60),
    Given("Юлія", "Юлия", 55),
    Given("Людмила", "Людмила", 50),
    Given("Ольга", "Ольга", 50),
    Given("Марія", "Мария", 45),
    Given("Галина", "Галина", 40),
    Given("Анна", "Анна", 40),
    Given("Валентина", "Валентина", 30),
    Given("Катерина", "Екатерина", 35),
    Given("Вікторія", "Виктория", 35),
    Given("Інна", "Инна", 25),
    Given("Лариса", "Лариса", 22),
    Given("Надія", "Надежда", 22),
    Given("Любов", "Любовь", 18),
    Given("Анастасія", "Анастасия", 30),
    Given("Аліна", "Алина", 25),
    Given("Дарина", "Дарья", 18),
    Given("Яна", "Яна", 15),
    Given("Христина", "Кристина", 15),
    Given("Софія", "София", 10),
)

# Usual short forms, recorded as aliases ("known as Саша").
SHORT_FORMS: dict[str, str] = {
    "Олександр": "Саша",
    "Дмитро": "Діма",
    "Володимир": "Вова",
    "Микола": "Коля",
    "Михайло": "Миша",
    "Олексій": "Льоша",
    "Євген": "Женя",
    "Наталія": "Наташа",
    "Тетяна": "Таня",
    "Олена": "Лена",
    "Ірина": "Іра",
    "Катерина": "Катя",
    "Анастасія": "Настя",
    "Юлія": "Юля",
    "Світлана": "Світла",
}

# Citizens of neighbouring countries exploited in Ukraine: names in the Russian form.
UZBEK_MEN = ("Рустам", "Шерзод", "Бахтиёр", "Дилшод", "Фаррух", "Жасур", "Улугбек")
UZBEK_SURNAMES = ("Каримов", "Юсупов", "Рахимов", "Султанов", "Назаров", "Турсунов")


@dataclass(frozen=True)
class FullName:
    """One person's name in both written forms."""

    first_uk: str
    first_ru: str
    middle_uk: str
    middle_ru: str
    family_uk: str
    family_ru: str

    def written(self, *, russian: bool) -> tuple[str, str, str]:
        """(first, middle, family) in one form."""
        if russian:
            return self.first_ru, self.middle_ru, self.family_ru
        return self.first_uk, self.middle_uk, self.family_uk


def draw_uzbek_name(rng: random.Random) -> FullName:
    """A man's name as written in Uzbek passports' Russian form (no patronymic)."""
    first = rng.choice(UZBEK_MEN)
    family = rng.choice(UZBEK_SURNAMES)
    return FullName(first, first, "", "", family, family)


_RUSSIAN_ONLY = str.maketrans({"ё": "е", "ы": "и", "э": "е", "ъ": "", "Э": "Е"})


def latin(text: str) -> str:
    """The official Ukrainian transliteration (Cabinet Resolution No. 55 of 2010).

    Russian-only letters are first read as their nearest Ukrainian letters.
    """
    return str(translit(text.translate(_RUSSIAN_ONLY), UkrainianKMU))


_VOWEL_SLIPS = {"е": "и", "и": "е", "о": "а", "а": "о", "і": "и", "ю": "у"}


def typo(rng: random.Random, word: str) -> str:
    """The word with one slip of the pen: a letter dropped, doubled, swapped or misheard."""
    if len(word) < 4:
        return word + word[-1]
    for _attempt in range(10):
        pos = rng.randrange(1, len(word) - 1)
        kind = rng.choice(("drop", "double", "swap", "vowel"))
        if kind == "drop":
            result = word[:pos] + word[pos + 1 :]
        elif kind == "double":
            result = word[:pos] + word[pos] + word[pos:]
        elif kind == "swap":
            result = word[:pos] + word[pos + 1] + word[pos] + word[pos + 2 :]
        else:
            slip = _VOWEL_SLIPS.get(word[pos])
            result = word[:pos] + slip + word[pos + 1 :] if slip else word
        if result != word:
            return result
    return word[:-1]
