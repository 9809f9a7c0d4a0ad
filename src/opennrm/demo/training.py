"""Capacity building in the demo, as the seed tells it: "In November in Odesa, IOM conducted three
trainings for police officers, investigators, prosecutors, judges and border guards as well as
representatives of NGOs and social services from nine oblasts (Donetsk, Luhansk, Kharkiv, Sumy,
Kherson, Zaporizhzhia, Chernihiv, Dnipropetrovsk, Mykolayiv). Also, the representatives of
Civil-Military Cooperation of the Armed Forces of Ukraine participated... In total 68 law
enforcers were trained by IOM this month", funded by the US State Department's J/TIP office.

The three Odesa events hold 68 law enforcers (six of them attend two events: one person, two
participations), NGO and social-services staff and CIMIC officers, all from the nine oblasts;
four other trainings run through 2016 (Kyiv, Kharkiv, online, Dnipro, none in November).
Certificates go to those who attended every day; IOM hands equipment to the Kharkiv
counter-trafficking unit. Everything is written through the training services as IOM's trainer.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from opennrm.accounts.models import User
from opennrm.demo.frequencies import draw_name
from opennrm.tenancy.actor import actor_for
from opennrm.tenancy.models import Agency
from opennrm.training import services
from opennrm.training.models import Training
from opennrm.training.services import EquipmentInput, ParticipantInput, TrainingInput

SEED = 2016_11
FUNDER = "US Department of State, Office to Monitor and Combat Trafficking in Persons (J/TIP)"
PROJECT = "JTIP-UA-2016 (synthetic)"
NINE_OBLASTS = ("UA-14", "UA-09", "UA-63", "UA-59", "UA-65", "UA-23", "UA-74", "UA-12", "UA-48")
OBLAST_NAMES = {
    "UA-14": "Donetsk",
    "UA-09": "Luhansk",
    "UA-63": "Kharkiv",
    "UA-59": "Sumy",
    "UA-65": "Kherson",
    "UA-23": "Zaporizhzhia",
    "UA-74": "Chernihiv",
    "UA-12": "Dnipropetrovsk",
    "UA-48": "Mykolaiv",
}
# The 68 law enforcers of November by profession, and who sat beside them.
LAW_ENFORCERS = (
    ("PoliceOfficer", 24),
    ("Investigator", 16),
    ("Prosecutor", 12),
    ("Judge", 8),
    ("BorderGuard", 8),
)
OTHERS = (("Ngo", 9), ("SocialServices", 9), ("CimicOfficer", 4))
REPEATERS = 6  # law enforcers who attend two of the three events
AGENCY_OF = {
    "PoliceOfficer": "National Police, {oblast} oblast",
    "Investigator": "National Police, investigations, {oblast} oblast",
    "Prosecutor": "{oblast} oblast prosecutor's office",
    "Judge": "{oblast} district court",
    "BorderGuard": "State Border Guard Service, {oblast} detachment",
    "Ngo": "NGO, {oblast}",
    "SocialServices": "Centre of social services, {oblast} oblast",
    "CimicOfficer": "Armed Forces of Ukraine, CIMIC",
    "MigrationOfficer": "State Migration Service, {oblast} oblast",
    "LabourInspector": "State Labour Service, {oblast} oblast",
}
# The demo agencies (demo/cast.py) whose staff are trained, by (profession, oblast).
IN_THE_SYSTEM = {
    ("PoliceOfficer", "UA-63"): "police",
    ("Investigator", "UA-63"): "police",
    ("BorderGuard", "UA-59"): "border",
    ("Prosecutor", "UA-63"): "prosecutor",
    ("Judge", "UA-63"): "court",
    ("Ngo", "UA-63"): "ngo",
    ("Ngo", "UA-23"): "ngo2",
    ("SocialServices", "UA-12"): "centre",
}
NOVEMBER = (
    (
        "Detection and documentation of trafficking-related crimes",
        ("ModernSlaveryTrends", "DetectionDocumentation", "PoliceProsecutionCooperation"),
        dt.date(2016, 11, 8),
    ),
    (
        "Victim assistance and the National Referral Mechanism",
        ("VictimAssistanceNrm", "ModernSlaveryTrends", "IdpConflictRisks"),
        dt.date(2016, 11, 15),
    ),
    (
        "Pre-court and court investigation of trafficking cases",
        ("PretrialAndCourt", "PoliceProsecutionCooperation", "DetectionDocumentation"),
        dt.date(2016, 11, 22),
    ),
)
# Other trainings of 2016: (title, format, topics, first day, days, city, oblast, professions).
OTHER_TRAININGS = (
    (
        "Identification of victims at the border",
        "Workshop",
        ("BorderIdentification", "OnlineRecruitment"),
        dt.date(2016, 3, 15),
        2,
        "Kyiv",
        "UA-30",
        (("BorderGuard", 14), ("MigrationOfficer", 6)),
    ),
    (
        "Training of trainers: counter-trafficking for the police",
        "TrainingOfTrainers",
        ("DetectionDocumentation", "VictimWitnessProtection", "ChildVictims"),
        dt.date(2016, 6, 7),
        3,
        "Kharkiv",
        "UA-63",
        (("PoliceOfficer", 8), ("Investigator", 4)),
    ),
    (
        "Online recruitment and financial investigation",
        "Online",
        ("OnlineRecruitment", "FinancialInvestigation"),
        dt.date(2016, 9, 20),
        1,
        "Kyiv",
        "UA-30",
        (("Investigator", 10), ("Prosecutor", 5), ("LabourInspector", 5)),
    ),
    (
        "Child victims and mutual legal assistance",
        "Workshop",
        ("ChildVictims", "MutualLegalAssistance"),
        dt.date(2016, 12, 6),
        2,
        "Dnipro",
        "UA-12",
        (("Prosecutor", 6), ("Judge", 6), ("SocialServices", 6)),
    ),
)


@dataclass(frozen=True)
class TrainingSummary:
    trainings: int
    participations: int
    certificates: int
    equipment: int


def _person(
    rng: random.Random,
    profession: str,
    oblast: str,
    agencies: Mapping[str, Agency],
    used: set[tuple[str, str]],
) -> ParticipantInput:
    """A new person: a name no other demo trainee has (homonyms would be matched as one)."""
    feminine = rng.random() < (0.7 if profession in ("Ngo", "SocialServices") else 0.3)
    name = draw_name(rng, feminine=feminine)
    while (name.family_uk, name.first_uk) in used:
        name = draw_name(rng, feminine=feminine)
    used.add((name.family_uk, name.first_uk))
    key = IN_THE_SYSTEM.get((profession, oblast))
    agency = agencies.get(key) if key else None
    pre = rng.randint(30, 65)
    return ParticipantInput(
        family_name=name.family_uk,
        first_name=name.first_uk,
        middle_name=name.middle_uk,
        gender="Feminine" if feminine else "Masculine",
        profession=profession,
        agency=agency,
        agency_name=""
        if agency
        else AGENCY_OF[profession].format(oblast=OBLAST_NAMES.get(oblast, "Kyiv")),
        oblast=oblast,
        pre_score=pre,
        feedback_rating=rng.choice((4, 5, 5)),
    )


def _with_results(
    rng: random.Random, person: ParticipantInput, training: Training, *, partial: bool
) -> ParticipantInput:
    days = services.training_days(training)
    pre = person.pre_score if person.pre_score is not None else rng.randint(30, 65)
    return ParticipantInput(
        **{
            **person.__dict__,
            "pre_score": pre,
            "post_score": min(100, pre + rng.randint(12, 35)),
            "days_attended": days[:1] if partial and len(days) > 1 else None,
            "feedback_rating": rng.choice((4, 5, 5)),
        }
    )


def load_training(agencies: Mapping[str, Agency]) -> TrainingSummary:
    rng = random.Random(SEED)
    trainer = actor_for(User.objects.get(username="iom.trainer"))
    trainings: list[Training] = []
    participations = 0
    # November in Odesa: three events, the 68 law enforcers and the others spread over them.
    people: list[ParticipantInput] = []
    used: set[tuple[str, str]] = set()
    index = 0
    for profession, count in LAW_ENFORCERS + OTHERS:
        for _ in range(count):
            oblast = (
                ("UA-14", "UA-09")[index % 2]
                if profession == "CimicOfficer"
                else (NINE_OBLASTS[index % len(NINE_OBLASTS)])
            )
            people.append(_person(rng, profession, oblast, agencies, used))
            index += 1
    rng.shuffle(people)
    november: list[Training] = []
    for title, topics, first_day in NOVEMBER:
        november.append(
            services.create_training(
                actor=trainer,
                data=TrainingInput(
                    title=title,
                    format="Workshop",
                    topics=list(topics),
                    starts_on=first_day,
                    ends_on=first_day + dt.timedelta(days=1),
                    venue_city="Odesa",
                    venue_oblast="UA-51",
                    trainers="IOM Ukraine counter-trafficking programme",
                    funder=FUNDER,
                    project_code=PROJECT,
                    target_groups=[p for p, _n in LAW_ENFORCERS + OTHERS],
                    planned_participants=30,
                ),
            )
        )
    placed: list[tuple[ParticipantInput, int]] = []
    for number, person in enumerate(people):
        training = november[number % 3]
        services.add_participant(
            actor=trainer,
            training=training,
            data=_with_results(rng, person, training, partial=number % 17 == 5),
        )
        placed.append((person, number % 3))
        participations += 1
    repeaters = [(p, i) for p, i in placed if p.profession in dict(LAW_ENFORCERS)][:REPEATERS]
    for number, (person, first) in enumerate(repeaters):
        training = november[(first + 1) % 3]
        services.add_participant(
            actor=trainer,
            training=training,
            data=_with_results(rng, person, training, partial=number == 0),
        )
        participations += 1
    trainings += november
    # The other trainings of 2016, with people of their own.
    for title, format_, subjects, first_day, days, city, oblast, groups in OTHER_TRAININGS:
        training = services.create_training(
            actor=trainer,
            data=TrainingInput(
                title=title,
                format=format_,
                topics=list(subjects),
                starts_on=first_day,
                ends_on=first_day + dt.timedelta(days=days - 1),
                venue_city=city,
                venue_oblast=oblast,
                trainers="IOM Ukraine counter-trafficking programme",
                funder=FUNDER if first_day.month >= 6 else "IOM Ukraine (synthetic core funds)",
                project_code=PROJECT,
                target_groups=[p for p, _n in groups],
                planned_participants=sum(n for _p, n in groups),
            ),
        )
        trainings.append(training)
        for profession, count in groups:
            for n in range(count):
                person = _person(rng, profession, NINE_OBLASTS[(n * 4 + 1) % 9], agencies, used)
                services.add_participant(
                    actor=trainer,
                    training=training,
                    data=_with_results(rng, person, training, partial=n == 3),
                )
                participations += 1
    certificates = 0
    for training in trainings:
        issued_on = training.ends_on + dt.timedelta(days=1)
        certificates += len(
            services.issue_certificates(actor=trainer, training=training, issued_on=issued_on)
        )
    equipment = [
        services.record_equipment(
            actor=trainer,
            data=EquipmentInput(
                item="Laptop computers for the counter-trafficking unit",
                recipient=agencies["police"],
                quantity=6,
                value=Decimal("138000.00"),
                currency="UAH",
                given_on=dt.date(2016, 12, 5),
                funder=FUNDER,
                project_code=PROJECT,
            ),
        ),
        services.record_equipment(
            actor=trainer,
            data=EquipmentInput(
                item="Mobile-phone forensic kit",
                recipient=agencies["police"],
                quantity=1,
                value=Decimal("4500.00"),
                currency="USD",
                given_on=dt.date(2016, 12, 5),
                funder=FUNDER,
                project_code=PROJECT,
            ),
        ),
    ]
    return TrainingSummary(len(trainings), participations, certificates, len(equipment))
