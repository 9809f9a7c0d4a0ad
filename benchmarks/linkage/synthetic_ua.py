"""Synthetic Ukrainian registrations with ground truth, for the linkage benchmark.

Several agencies register the same persons, each in its own way:

- Ukrainian or Russian Cyrillic (Олександр / Александр, Ковальов / Ковалев, -ський / -ский);
- Latin in one of several transliteration systems (the official KMU 2010 table, the 2004-2007
  passport tables, BGN/PCGN, German, and the Russian international-passport table applied to
  the Russian form), as border guards and IOM copy names from documents;
- diminutives (Саша for Олександр), typos, given and family name swapped, a patronymic left
  out;
- dates of birth missing, year-only, day and month swapped, or one digit wrong;
- phones in local and international formats, passport numbers with look-alike letters;
- what changes between registrations of one person or is written wrongly: a new phone number
  (victims of trafficking often lose theirs, or have it taken), a second document (an internal
  and a foreign passport), the other citizenship of a dual citizen, a sex mistyped now and
  then, the same agency registering a person twice; and a registration that writes down both
  phones, both documents (3 in 10 of those that hold one of two) or both citizenships (half),
  drawn with a random source of its own so that the rest of a register is unchanged by it.
  A model trained on registers without such differences learns that a different phone or sex
  never happens to one person.

Surnames and given names are drawn from long-tailed frequency distributions over the 118,127
surnames and 11,001 given names of the names-translator package's dictionaries (MIT licence;
``opennrm.demo.frequencies`` says how the frequencies are modelled), with their Russian forms
from the same dictionaries: most surnames are met once in a register, a few are borne by a
fraction of a percent of the people. Every name combination is random: no real person is
described. ``generate(n, seed)`` returns the records and, for each record id, its true person
id; ``python -m benchmarks.linkage.synthetic_ua --records 20000 --out register.csv --truth
truth.csv`` writes a register in the columns of ``opennrm dedupe`` and its ground truth.
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

from opennrm.core.given_names import load_equivalents
from opennrm.demo.frequencies import given_forms, given_names, surname_forms, surnames
from opennrm.demo.names import FATHERS, typo
from opennrm.linkage.engine.records import LinkageRecord

AGENCIES = ("police", "ngo-kyiv", "ngo-lviv", "border", "iom", "social", "shelter")

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
    # What a later registration may show instead: a new number, another document, the other
    # citizenship of a dual citizen ("" when the person has none).
    new_phone: str = ""
    second_document: str = ""
    second_citizenship: str = ""


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        # Whether a registration writes down both of a person's phones, documents or
        # citizenships: drawn apart, so that the rest of a register is what it was without.
        self.both = random.Random(seed * 1_000_003 + 1)
        self.surnames = surnames()
        self.men = given_names(feminine_names=False)
        self.women = given_names(feminine_names=True)
        # Cumulative weights once: rng.choices would otherwise add them up at every draw.
        self.father_weights = list(accumulate(g.weight for g in FATHERS))
        self.diminutives: dict[str, list[str]] = {}
        for eq in load_equivalents():
            if eq.kind == "diminutive" and not eq.variant.isascii():
                self.diminutives.setdefault(eq.canonical, []).append(eq.variant)

    def person(self, number: int) -> Person:
        rng = self.rng
        feminine = rng.random() < 0.45
        given = given_forms((self.women if feminine else self.men).draw(rng))
        father = rng.choices(FATHERS, cum_weights=self.father_weights)[0]
        surname = surname_forms(self.surnames.draw(rng))
        middle = (
            (father.daughter_uk, father.daughter_ru) if feminine else (father.son_uk, father.son_ru)
        )
        family = (
            (surname.uk_f or surname.uk, surname.ru_f or surname.ru)
            if feminine
            else (surname.uk, surname.ru)
        )
        year = rng.randint(1955, 2009)
        phone = f"0{rng.choice('5669')}{rng.randint(0, 9)}{rng.randint(1000000, 9999999)}"
        passport = (
            f"{rng.choice('АВЕКМНОРСТ')}{rng.choice('АВЕКМНОРСТ')}{rng.randint(100000, 999999)}"
        )
        person = Person(
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
        if person.phone and rng.random() < 0.3:
            person.new_phone = (
                f"0{rng.choice('5679')}{rng.randint(0, 9)}{rng.randint(1000000, 9999999)}"
            )
        if person.passport and rng.random() < 0.25:  # a foreign passport beside the internal one
            person.second_document = (
                f"{rng.choice(('FA', 'FB', 'FE', 'FF'))}{rng.randint(100000, 999999)}"
            )
        if rng.random() < 0.02:
            person.second_citizenship = rng.choice(("MDA", "ROU", "HUN", "RUS", "POL"))
        return person

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
        birth = self._birth(person.birth)
        # One registration in 500 has the sex mistyped.
        sex = "F" if person.feminine != (rng.random() < 0.002) else "M"
        citizenship = (
            self._either(person.citizenship, person.second_citizenship)
            if rng.random() < 0.8
            else ""
        )
        phone = (
            self._either(person.phone, person.new_phone)
            if person.phone and rng.random() < 0.6
            else ""
        )
        written_phone = self._phone(phone, rng) if phone else ""  # in the order drawn before
        document = (
            self._either(person.passport, person.second_document)
            if person.passport and rng.random() < 0.6
            else ""
        )
        other_phone = self._other(phone, (person.phone, person.new_phone), 0.3)
        return LinkageRecord(
            record_id=record_id,
            source=agency,
            given_name=given,
            middle_name=middle,
            family_name=family,
            birth_date=birth,
            sex=sex,
            citizenship=citizenship,
            other_citizenship=self._other(
                citizenship, (person.citizenship, person.second_citizenship), 0.5
            ),
            phone=written_phone,
            other_phone=self._phone(other_phone, self.both) if other_phone else "",
            document_number=document,
            other_document=self._other(document, (person.passport, person.second_document), 0.3),
        )

    def _other(self, written: str, values: tuple[str, str], share: float) -> str:
        """The person's other value, written beside ``written`` in a ``share`` of the
        registrations that hold one of two ("" otherwise)."""
        if not written or not all(values) or self.both.random() >= share:
            return ""
        return values[1] if written == values[0] else values[0]

    def _either(self, first: str, second: str) -> str:
        """The first value, or as often the second when the person has one."""
        return second if second and self.rng.random() < 0.5 else first

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

    @staticmethod
    def _phone(phone: str, rng: random.Random) -> str:
        style = rng.randrange(3)
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
        times = min(1 + int(gen.rng.expovariate(0.8)), 5)
        agencies = gen.rng.sample(AGENCIES, times)
        if times > 1 and gen.rng.random() < 0.1:  # an agency that registers the person again
            agencies[-1] = gen.rng.choice(agencies[:-1])
        for agency in agencies:
            record_id = f"r{len(out)}"
            out.append(gen.register(person, agency, record_id))
            truth[record_id] = person.person_id
            if len(out) >= records:
                break
    return out, truth


COLUMNS = (
    "record_id",
    "source",
    "prs_FirstName",
    "prs_MiddleName",
    "prs_SecondName",
    "prs_Birthdate",
    "prs_Gender",
    "prs_Citizenship",
    "phone",
    "document_number",
)
_GENDER = {"F": "Feminine", "M": "Masculine"}


def write_register(
    records: list[LinkageRecord], truth: dict[str, str], out: str, truth_out: str
) -> None:
    """The register in the columns of ``opennrm dedupe`` and its ground truth
    (``record_id,person_id``)."""
    import csv

    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for r in records:
            writer.writerow(
                (
                    r.record_id,
                    r.source,
                    r.given_name,
                    r.middle_name,
                    r.family_name,
                    r.birth_date or "",
                    _GENDER.get(str(r.sex), ""),
                    r.citizenship,
                    r.phone,
                    r.document_number,
                )
            )
    with open(truth_out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("record_id", "person_id"))
        writer.writerows(sorted(truth.items(), key=lambda item: int(item[0][1:])))


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Write a synthetic register and its truth.")
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default="register.csv")
    parser.add_argument("--truth", default="truth.csv")
    args = parser.parse_args()
    records, truth = generate(args.records, args.seed)
    write_register(records, truth, args.out, args.truth)
    print(f"{len(records)} registrations of {len(set(truth.values()))} persons: {args.out}")


if __name__ == "__main__":
    main()
