"""Synthetic people and cases for the benchmarks: invented, never taken from real records.

Names come from small lists of common Ukrainian first names and surnames with weights, plus a
long tail of invented surnames (a root and a surname suffix), so that a common surname such as
Шевченко matches about 0.2 % of the cases, as it would in the population, and not 5 %.
Every code is drawn from the project's own code lists, so the inputs pass `validate_inputs`.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from opennrm.cases.services import CaseInput, EventInput, PersonInput
from opennrm.core import codes
from opennrm.core.ages import PartialDate
from opennrm.core.codes import code_list
from opennrm.people.identity import Identity, IdentityDocument

# Common surnames with a rough share per 100 000 people (the most frequent in Ukraine).
COMMON_SURNAMES: dict[str, int] = {
    "Мельник": 240,
    "Шевченко": 230,
    "Коваленко": 200,
    "Бондаренко": 195,
    "Бойко": 190,
    "Ткаченко": 180,
    "Кравченко": 170,
    "Ковальчук": 150,
    "Коваль": 145,
    "Олійник": 140,
    "Шевчук": 135,
    "Поліщук": 130,
    "Бондар": 125,
    "Ткачук": 120,
    "Марченко": 115,
    "Лисенко": 110,
    "Руденко": 105,
    "Савченко": 100,
    "Петренко": 100,
    "Мороз": 95,
    "Клименко": 90,
    "Павленко": 90,
    "Кравчук": 85,
    "Кузьменко": 85,
    "Пономаренко": 80,
    "Савчук": 80,
    "Василенко": 75,
    "Левченко": 75,
    "Харченко": 70,
    "Карпенко": 70,
}
# Roots and suffixes of the invented tail (Гончаренко, Гончарук, Гончарський...).
ROOTS = [
    "Гончар",
    "Кушнір",
    "Рибал",
    "Пасіч",
    "Мирон",
    "Степан",
    "Гнат",
    "Остап",
    "Тарас",
    "Харитон",
    "Дорош",
    "Гордій",
    "Семен",
    "Яковл",
    "Тимош",
    "Кирил",
    "Охрім",
    "Панас",
    "Юрч",
    "Білан",
    "Чорн",
    "Сидор",
    "Гаврил",
    "Лук",
    "Максим",
    "Нестер",
    "Прокоп",
    "Федор",
    "Зінч",
    "Гуцал",
    "Лозин",
    "Вербиц",
    "Дубин",
    "Березн",
    "Явор",
    "Калин",
    "Соснов",
    "Кучер",
    "Лавр",
    "Мартин",
    "Назар",
    "Онищ",
    "Прох",
    "Тищ",
    "Фесь",
    "Хом",
    "Цибул",
    "Шаповал",
    "Ярем",
    "Бабич",
    "Вдов",
    "Голуб",
    "Довгал",
    "Жук",
    "Запоріж",
    "Іван",
    "Колесн",
    "Литвин",
    "Мац",
]
SUFFIXES = ("енко", "ук", "чук", "ишин", "ів", "ович", "ський", "як")

MALE_NAMES: dict[str, int] = {
    "Олександр": 60,
    "Сергій": 45,
    "Андрій": 45,
    "Володимир": 40,
    "Микола": 35,
    "Іван": 35,
    "Дмитро": 35,
    "Віктор": 30,
    "Юрій": 30,
    "Василь": 30,
    "Олег": 25,
    "Михайло": 25,
    "Максим": 25,
    "Петро": 20,
    "Богдан": 20,
    "Роман": 20,
    "Ігор": 20,
    "Тарас": 15,
    "Євген": 15,
    "Віталій": 15,
    "Павло": 15,
    "Артем": 15,
    "Денис": 15,
    "Ярослав": 12,
    "Анатолій": 10,
    "Степан": 8,
}
FEMALE_NAMES: dict[str, int] = {
    "Олена": 50,
    "Тетяна": 45,
    "Наталія": 45,
    "Ірина": 40,
    "Оксана": 40,
    "Світлана": 35,
    "Юлія": 35,
    "Ольга": 35,
    "Марія": 30,
    "Анна": 30,
    "Людмила": 25,
    "Катерина": 25,
    "Вікторія": 25,
    "Галина": 20,
    "Марина": 20,
    "Анастасія": 20,
    "Ганна": 15,
    "Надія": 15,
    "Валентина": 15,
    "Інна": 15,
    "Алла": 10,
    "Дарина": 10,
    "Софія": 10,
    "Христина": 10,
}
# Father's name -> (patronymic of a son, patronymic of a daughter).
PATRONYMICS: dict[str, tuple[str, str]] = {
    "Олександр": ("Олександрович", "Олександрівна"),
    "Сергій": ("Сергійович", "Сергіївна"),
    "Андрій": ("Андрійович", "Андріївна"),
    "Володимир": ("Володимирович", "Володимирівна"),
    "Микола": ("Миколайович", "Миколаївна"),
    "Іван": ("Іванович", "Іванівна"),
    "Дмитро": ("Дмитрович", "Дмитрівна"),
    "Віктор": ("Вікторович", "Вікторівна"),
    "Юрій": ("Юрійович", "Юріївна"),
    "Василь": ("Васильович", "Василівна"),
    "Михайло": ("Михайлович", "Михайлівна"),
    "Петро": ("Петрович", "Петрівна"),
    "Павло": ("Павлович", "Павлівна"),
    "Степан": ("Степанович", "Степанівна"),
}
# Russian spellings, given as another name now and then.
RUSSIAN_FORMS = {
    "Олександр": "Александр",
    "Сергій": "Сергей",
    "Андрій": "Андрей",
    "Микола": "Николай",
    "Олена": "Елена",
    "Наталія": "Наталья",
    "Тетяна": "Татьяна",
    "Ірина": "Ирина",
}
FOREIGN_COUNTRIES = {"RU": 30, "PL": 20, "DE": 10, "CZ": 8, "IL": 6, "TR": 6, "AE": 4, "IT": 4}
UA_FORMS = {
    "LabourExploitation": 60,
    "SexualExploitation": 25,
    "CriminalActivity": 4,
    "Begging": 4,
    "ArmedConflict": 3,
    "SlaveryServitude": 2,
    "ForcedMarriage": 1,
    "ForcedSurrogacy": 1,
}
INDUSTRIES = (
    "F_Construction",
    "A_AgricultureForestryAndFishing",
    "C_Manufacturing",
    "I_AccommodationAndFoodServiceActivities",
    "T_ActivitiesOfHouseholdsAsEmployers",
)
FIRST_DAY = dt.date(2014, 1, 1)
LAST_DAY = dt.date(2025, 6, 30)


class Names:
    """Weighted name pools, built once."""

    def __init__(self) -> None:
        tail = [r + s for r in ROOTS for s in SUFFIXES]
        tail = [name for name in dict.fromkeys(tail) if name not in COMMON_SURNAMES]
        # The tail shares the rest (96 %) with uneven, fixed weights.
        jitter = random.Random(7)
        tail_weights = [jitter.lognormvariate(0, 0.6) for _ in tail]
        common_total = sum(COMMON_SURNAMES.values())
        scale = (100_000 - common_total) / sum(tail_weights)
        self.surnames = [*COMMON_SURNAMES, *tail]
        self.surname_weights = [
            float(w) for w in [*COMMON_SURNAMES.values(), *(w * scale for w in tail_weights)]
        ]
        self.male = list(MALE_NAMES)
        self.male_weights = list(MALE_NAMES.values())
        self.female = list(FEMALE_NAMES)
        self.female_weights = list(FEMALE_NAMES.values())
        self.fathers = list(PATRONYMICS)
        self.father_weights = [MALE_NAMES[n] for n in self.fathers]

    def surname(self, rng: random.Random, *, female: bool) -> str:
        name = rng.choices(self.surnames, self.surname_weights)[0]
        if female and name.endswith("ський"):
            name = name[: -len("ий")] + "а"
        return name


NAMES = Names()


def _weighted(rng: random.Random, table: dict[str, int]) -> str:
    return rng.choices(list(table), list(table.values()))[0]


def _day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def synthetic_identity(rng: random.Random, *, female: bool, identified_on: dt.date) -> Identity:
    first = rng.choices(
        NAMES.female if female else NAMES.male,
        NAMES.female_weights if female else NAMES.male_weights,
    )[0]
    family = NAMES.surname(rng, female=female)
    father = rng.choices(NAMES.fathers, NAMES.father_weights)[0]
    middle = PATRONYMICS[father][1 if female else 0] if rng.random() < 0.85 else ""
    aliases = []
    if first in RUSSIAN_FORMS and rng.random() < 0.15:
        aliases.append(f"{RUSSIAN_FORMS[first]} {family}")
    age = rng.choices([rng.randint(14, 17), rng.randint(18, 35), rng.randint(36, 64)], [1, 6, 4])[0]
    born = identified_on - dt.timedelta(days=age * 365 + rng.randrange(365))
    birth = (
        PartialDate(born.year)
        if rng.random() < 0.2
        else PartialDate(born.year, born.month, born.day)
    )
    documents = []
    if rng.random() < 0.7:
        if rng.random() < 0.5:
            number = "".join(rng.choices("АВЕКМНОРСТ", k=2)) + f"{rng.randrange(10**6):06d}"
            documents.append(IdentityDocument("Passport", number, "UA"))
        else:
            documents.append(IdentityDocument("IDCard", f"{rng.randrange(10**9):09d}", "UA"))
    return Identity(
        first_name=first,
        middle_name=middle,
        family_name=family,
        aliases=aliases,
        birth_date=birth,
        documents=documents,
        rnokpp=f"{rng.randrange(10**9, 10**10)}" if rng.random() < 0.6 else "",
        phones=[f"+380{rng.randrange(10**8, 10**9)}"] if rng.random() < 0.7 else [],
    )


def synthetic_case(rng: random.Random) -> tuple[PersonInput, CaseInput]:
    """One synthetic person and case, valid for `register_case`."""
    oblasts = code_list(codes.OBLAST).values
    identified_on = _day_between(rng, FIRST_DAY, LAST_DAY)
    female = rng.random() < 0.45
    identity = synthetic_identity(rng, female=female, identified_on=identified_on)
    person = PersonInput(
        identity=identity,
        gender="Feminine" if female else "Masculine",
        citizenships=["UA"] if rng.random() < 0.95 else ["UA", "MD"],
        is_idp=rng.random() < 0.15,
        origin_oblast=rng.choice(oblasts) if rng.random() < 0.9 else "",
    )
    in_ukraine = rng.random() < 0.85
    country = codes.UKRAINE if in_ukraine else _weighted(rng, FOREIGN_COUNTRIES)
    form = _weighted(rng, UA_FORMS)
    multi: dict[str, list[str]] = {codes.UA_EXPLOITATION: [form]}
    if form == "LabourExploitation":
        multi[codes.LABOUR_INDUSTRY] = [rng.choice(INDUSTRIES)]
    multi[codes.RECRUITMENT] = [rng.choice(code_list(codes.RECRUITMENT).values)]
    status = rng.choices(["Active", "FollowUp", "Closed", "ClosedReferred"], [40, 15, 35, 10])[0]
    closed = status in codes.CLOSED_STATUSES
    where = _weighted(rng, FOREIGN_COUNTRIES) if rng.random() < 0.8 else codes.UKRAINE
    ended = identified_on - dt.timedelta(days=rng.randrange(0, 120))
    started = ended - dt.timedelta(days=rng.randrange(30, 700))
    events = [EventInput("Exploitation", where, "", started, ended)]
    if rng.random() < 0.5:
        events.append(EventInput("Recruitment", codes.UKRAINE, rng.choice(oblasts), None, None))
    case = CaseInput(
        identified_on=identified_on,
        identification_country=country,
        identification_oblast=rng.choice(oblasts) if in_ukraine else "",
        channel=rng.choice(code_list(codes.CHANNEL).values),
        trafficking_status=rng.choices(
            [
                "PossibleVictimOfTrafficking",
                "ActualVictimOfTrafficking",
                "NotAVictimOfTrafficking",
            ],
            [50, 45, 5],
        )[0],
        multi=multi,
        events=events,
        status=status,
        closure_reason=rng.choice(code_list(codes.CLOSURE_REASON).values) if closed else "",
    )
    return person, case


def htcds_record(person: PersonInput, case: CaseInput, *, owner: str = "") -> dict[str, Any]:
    """The HTCDS v2.0 record (as another system would send it) of a synthetic person and case."""
    ident = person.identity
    return {
        "prs_FirstName": ident.first_name,
        "prs_MiddleName": ident.middle_name,
        "prs_SecondName": ident.family_name,
        "prs_Birthdate": ident.birth_date.isoformat(),
        "prs_Gender": person.gender,
        "prs_Citizenship": list(person.citizenships),
        "prs_MobilePhone": ident.phones[0] if ident.phones else "",
        "x_ua_Rnokpp": ident.rnokpp,
        "x_ua_Aliases": list(ident.aliases),
        "x_ua_Documents": [d.to_json() for d in ident.documents],
        "x_ua_IsIdp": person.is_idp,
        "x_ua_OriginOblast": person.origin_oblast,
        "x_ua_IdentifiedOn": case.identified_on.isoformat(),
        "x_ua_IdentificationCountry": case.identification_country,
        "x_ua_IdentificationOblast": case.identification_oblast,
        "x_ua_IdentificationChannel": case.channel,
        "vic_TraffickingStatus": case.trafficking_status,
        "cas_Status": case.status,
        "cas_ReasonForCaseClosure": case.closure_reason,
        "cas_CaseOwner": owner,
        "x_ua_FormsOfExploitation": case.multi.get(codes.UA_EXPLOITATION, []),
        "vic_ForcedLabourIndustry": case.multi.get(codes.LABOUR_INDUSTRY, []),
        "vic_MethodOfRecruitment": case.multi.get(codes.RECRUITMENT, []),
        "hte_Events": [
            {
                "hte_Type": e.type,
                "hte_Country": e.country,
                "hte_State": e.oblast,
                "hte_Date": e.started_on.isoformat() if e.started_on else "",
                "x_EndDate": e.ended_on.isoformat() if e.ended_on else "",
            }
            for e in case.events
        ],
    }
