"""Synthetic Ukrainian registrations with ground truth, for the linkage benchmark.

Several agencies register the same persons, each in its own way:

- Ukrainian or Russian Cyrillic (Олександр / Александр, Ковальов / Ковалев, -ський / -ский);
- Latin in one of several transliteration systems (the official KMU 2010 table, the 2004-2007
  passport tables, BGN/PCGN, German, and the Russian international-passport table applied to
  the Russian form), as border guards and IOM copy names from documents;
- diminutives (Саша for Олександр), typos, given and family name swapped, a patronymic left
  out;
- dates of birth missing, year-only, day and month swapped, or one digit wrong;
- phones in local and international formats, passport numbers with look-alike letters.

Surnames follow a Zipf-like frequency over a few thousand forms (the demo's common surnames
first, then forms built from stems and suffixes); given names by the demo's weights. Every name
combination is random: no real person is described. ``generate(n, seed)`` returns the
records and, for each record id, its true person id.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import accumulate

from translitua import (
    RussianInternationalPassport,
    UkrainianBGN,
    UkrainianGerman,
    UkrainianKMU,
    UkrainianPassport2004Alt,
    translit,
)

from opennrm.demo.names import FATHERS, MEN, SURNAMES, WOMEN, typo
from opennrm.linkage.engine.equivalents import load_equivalents
from opennrm.linkage.engine.records import LinkageRecord

AGENCIES = ("police", "ngo-kyiv", "ngo-lviv", "border", "iom", "social", "shelter")

_STEMS = [
    "Бойч",
    "Гнат",
    "Грин",
    "Давид",
    "Демч",
    "Дороф",
    "Єрем",
    "Зайч",
    "Ільч",
    "Карп",
    "Кириленк",
    "Климч",
    "Кузьм",
    "Лавр",
    "Лес",
    "Луц",
    "Мак",
    "Мартин",
    "Матв",
    "Мирон",
    "Наз",
    "Нестер",
    "Олійн",
    "Опан",
    "Осип",
    "Панч",
    "Пилип",
    "Прокоп",
    "Радч",
    "Роман",
    "Рубч",
    "Сав",
    "Сем",
    "Сид",
    "Сорок",
    "Стас",
    "Степан",
    "Сух",
    "Тарас",
    "Теренть",
    "Тих",
    "Трох",
    "Устим",
    "Фед",
    "Филип",
    "Харч",
    "Хом",
    "Цимбал",
    "Чорн",
    "Шаповал",
    "Швець",
    "Шуль",
    "Юрч",
    "Ярем",
    "Ящ",
    "Бабич",
    "Біл",
    "Бор",
    "Вакул",
    "Вдов",
    "Гайд",
    "Гордій",
    "Грищ",
    "Гуц",
    "Дац",
    "Дзюб",
    "Жук",
    "Забол",
    "Запор",
    "Захар",
    "Зубр",
    "Іващ",
    "Калин",
    "Канд",
    "Кисл",
    "Колісн",
    "Корн",
    "Котл",
    "Криж",
    "Кулик",
    "Курил",
    "Лагод",
    "Лук",
    "Лящ",
    "Мазур",
    "Маковец",
    "Марущ",
    "Мех",
    "Мовч",
    "Назарч",
    "Ничип",
    "Овдій",
    "Остр",
    "Пасічн",
    "Первак",
    "Петрищ",
    "Плах",
    "Пономар",
    "Присяжн",
    "Рибал",
    "Рижк",
    "Сарапул",
    "Семенч",
    "Сірк",
    "Собол",
    "Стець",
    "Тимош",
    "Ткачук",
    "Федір",
    "Фурман",
    "Хмар",
    "Цвіт",
    "Черняв",
    "Шпак",
]
_SUFFIXES = ("енко", "ук", "юк", "ишин", "ович", "ський", "ак", "ник", "ець", "ан")
# Invented stems (onset + vowel + coda) widen the tail: Ukraine has hundreds of thousands of
# surnames and even the most common (Мельник) is borne by well under one person in a hundred.
_ONSETS = [
    "Б",
    "В",
    "Г",
    "Д",
    "Ж",
    "З",
    "К",
    "Л",
    "М",
    "Н",
    "П",
    "Р",
    "С",
    "Т",
    "Ф",
    "Х",
    "Ц",
    "Ч",
    "Ш",
    "Бр",
    "Гр",
    "Др",
    "Кр",
    "Пр",
    "Тр",
    "Ст",
    "Сл",
    "Шв",
]
_VOWELS = ["а", "о", "е", "и", "у", "і", "я", "ю"]
_CODAS = [
    "б",
    "в",
    "д",
    "ж",
    "з",
    "к",
    "л",
    "м",
    "н",
    "п",
    "р",
    "с",
    "т",
    "х",
    "ш",
    "ль",
    "рк",
    "нч",
    "рт",
    "вч",
]
_UK_TO_RU = str.maketrans({"і": "и", "ї": "и", "є": "е", "и": "ы", "'": ""})


def _russian_surname(uk: str) -> str:
    ru = uk.translate(_UK_TO_RU).replace("ы", "и")
    return ru[:-4] + "ский" if ru.endswith("ський") else ru


@dataclass(frozen=True)
class _Surname:
    uk: str
    ru: str
    uk_f: str
    ru_f: str


def _surnames() -> tuple[list[_Surname], list[float]]:
    forms: list[_Surname] = []
    seen: set[str] = set()
    for s in SURNAMES:
        forms.append(_Surname(s.uk, s.ru, s.uk_f or s.uk, s.ru_f or s.ru))
        seen.add(s.uk)
    for suffix in _SUFFIXES:
        for stem in _STEMS:
            uk = stem + suffix
            if uk in seen:
                continue
            seen.add(uk)
            ru = _russian_surname(uk)
            if suffix == "ський":
                forms.append(_Surname(uk, ru, uk[:-3] + "ька", ru[:-2] + "ая"))
            elif suffix == "ович":
                forms.append(_Surname(uk, ru, uk, ru))
            else:
                forms.append(_Surname(uk, ru, uk, ru))
    for onset in _ONSETS:
        for vowel in _VOWELS:
            for coda in _CODAS:
                for suffix in ("енко", "ук", "ишин", "ський", "ак", "ець"):
                    uk = onset + vowel + coda + suffix
                    if uk in seen:
                        continue
                    seen.add(uk)
                    ru = _russian_surname(uk)
                    if suffix == "ський":
                        forms.append(_Surname(uk, ru, uk[:-3] + "ька", ru[:-2] + "ая"))
                    else:
                        forms.append(_Surname(uk, ru, uk, ru))
    # Zipf-like: rank r has weight 1/sqrt(r); the most common form is about 0.3% of persons.
    weights = [1.0 / (rank + 1) ** 0.5 for rank in range(len(forms))]
    return forms, weights


_LATIN_UK = (UkrainianKMU, UkrainianPassport2004Alt, UkrainianBGN, UkrainianGerman)
_RUSSIAN_ONLY = str.maketrans({"ё": "е", "ы": "и", "э": "е", "ъ": ""})


@dataclass
class Person:
    person_id: str
    feminine: bool
    given: tuple[str, str]  # (uk, ru)
    middle: tuple[str, str]
    family: tuple[str, str]
    birth: tuple[int, int, int]
    citizenship: str
    phone: str
    passport: str


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.surnames, weights = _surnames()
        # Cumulative weights once: rng.choices would otherwise add them up at every draw.
        self.surname_weights = list(accumulate(weights))
        self.men_weights = list(accumulate(g.weight for g in MEN))
        self.women_weights = list(accumulate(g.weight for g in WOMEN))
        self.father_weights = list(accumulate(g.weight for g in FATHERS))
        self.diminutives: dict[str, list[str]] = {}
        for eq in load_equivalents():
            if eq.kind == "diminutive" and not eq.variant.isascii():
                self.diminutives.setdefault(eq.canonical, []).append(eq.variant)

    def person(self, number: int) -> Person:
        rng = self.rng
        feminine = rng.random() < 0.45
        pool, weights = (WOMEN, self.women_weights) if feminine else (MEN, self.men_weights)
        given = rng.choices(pool, cum_weights=weights)[0]
        father = rng.choices(FATHERS, cum_weights=self.father_weights)[0]
        surname = rng.choices(self.surnames, cum_weights=self.surname_weights)[0]
        middle = (
            (father.daughter_uk, father.daughter_ru) if feminine else (father.son_uk, father.son_ru)
        )
        family = (surname.uk_f, surname.ru_f) if feminine else (surname.uk, surname.ru)
        year = rng.randint(1955, 2009)
        phone = f"0{rng.choice('5669')}{rng.randint(0, 9)}{rng.randint(1000000, 9999999)}"
        passport = (
            f"{rng.choice('АВЕКМНОРСТ')}{rng.choice('АВЕКМНОРСТ')}{rng.randint(100000, 999999)}"
        )
        return Person(
            person_id=f"p{number}",
            feminine=feminine,
            given=(given.uk, given.ru),
            middle=middle,
            family=family,
            birth=(year, rng.randint(1, 12), rng.randint(1, 28)),
            citizenship="UKR" if rng.random() < 0.93 else rng.choice(("MDA", "UZB", "BLR")),
            phone=phone if rng.random() < 0.5 else "",
            passport=passport if rng.random() < 0.35 else "",
        )

    def register(self, person: Person, agency: str, record_id: str) -> LinkageRecord:
        rng = self.rng
        russian = rng.random() < 0.25
        form = 1 if russian else 0
        given, middle, family = person.given[form], person.middle[form], person.family[form]
        if rng.random() < 0.05 and person.given[0] in self.diminutives:
            given = rng.choice(self.diminutives[person.given[0]])
        if rng.random() < 0.3:
            given, middle, family = (self._latin(x, russian) for x in (given, middle, family))
            if rng.random() < 0.7:
                middle = ""
        elif rng.random() < 0.2:
            middle = ""
        if rng.random() < 0.08:
            given = typo(rng, given) if given else given
        if rng.random() < 0.08:
            family = typo(rng, family) if family else family
        if rng.random() < 0.04:
            given, family = family, given
        return LinkageRecord(
            record_id=record_id,
            source=agency,
            given_name=given,
            middle_name=middle,
            family_name=family,
            birth_date=self._birth(person.birth),
            sex="F" if person.feminine else "M",
            citizenship=person.citizenship if rng.random() < 0.8 else "",
            phone=self._phone(person.phone) if person.phone and rng.random() < 0.6 else "",
            document_number=person.passport if person.passport and rng.random() < 0.6 else "",
        )

    def _latin(self, text: str, russian: bool) -> str:
        if not text:
            return ""
        if russian and self.rng.random() < 0.6:
            return str(translit(text, RussianInternationalPassport))
        table = self.rng.choice(_LATIN_UK)
        return str(translit(text.translate(_RUSSIAN_ONLY), table))

    def _birth(self, birth: tuple[int, int, int]) -> str:
        year, month, day = birth
        roll = self.rng.random()
        if roll < 0.08:
            return ""
        if roll < 0.16:
            return f"{year:04d}"
        if roll < 0.19 and day <= 12 and day != month:
            month, day = day, month
        elif roll < 0.22:
            day = day % 28 + 1  # one digit wrong
        elif roll < 0.24:
            year += self.rng.choice((-1, 1))
        return f"{year:04d}-{month:02d}-{day:02d}"

    def _phone(self, phone: str) -> str:
        style = self.rng.randrange(3)
        if style == 0:
            return phone
        if style == 1:
            return "+38" + phone
        return f"({phone[:3]}) {phone[3:6]}-{phone[6:8]}-{phone[8:]}"


def generate(records: int, seed: int = 2016) -> tuple[list[LinkageRecord], dict[str, str]]:
    """About ``records`` registrations of about ``records / 1.5`` persons, with the truth."""
    gen = Generator(seed)
    out: list[LinkageRecord] = []
    truth: dict[str, str] = {}
    number = 0
    while len(out) < records:
        person = gen.person(number)
        number += 1
        times = min(1 + int(gen.rng.expovariate(1.2)), 4)
        for agency in gen.rng.sample(AGENCIES, times):
            record_id = f"r{len(out)}"
            out.append(gen.register(person, agency, record_id))
            truth[record_id] = person.person_id
            if len(out) >= records:
                break
    return out, truth
