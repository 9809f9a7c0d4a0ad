"""What the demo's persons are made of: exact counts by period and weights for everything else.

`PERIODS` are IOM Ukraine's own figures (IOM Ukraine, 22 Nov 2016; US TIP reports): the persons
IOM identified and assisted. January-September 2016, 777 persons, 60% men, forced labour 93%,
exploited mainly in Russia, then Poland, then inside Ukraine; 1,151 persons from 21 countries in
the whole of 2016; 19 IDPs in 2015-16. Each of these persons has an IOM registration dated in its
period, so IOM's own statistics (its agency's scope) give these figures. The 2015 counts (640
persons, more sexual exploitation) are invented but plausible. `PARTNER_PERIODS` are the persons
the other partners (NGOs, police, border guards, consuls, hromadas) identify without IOM ever
registering them: invented, with more sexual exploitation and more exploitation inside Ukraine,
so the national count is larger than IOM's. Codes are those of `opennrm.core.codes`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# The demo's "today": every date in the demo is on or before it.
DEMO_TODAY = dt.date(2016, 12, 31)
SEED = 20161122  # the day IOM Ukraine published the January-September 2016 figures

MAN, WOMAN, GIRL, BOY = "man", "woman", "girl", "boy"
GROUPS = (MAN, WOMAN, GIRL, BOY)
LABOUR = "LabourExploitation"
SEXUAL = "SexualExploitation"


@dataclass(frozen=True)
class PeriodSpec:
    """Persons first identified in [start, end], by group and Ukrainian form of exploitation."""

    start: dt.date
    end: dt.date
    persons: dict[tuple[str, str], int]
    idp: int
    foreign: tuple[tuple[str, int], ...]  # (citizenship, persons): adult men, exploited in Ukraine

    @property
    def total(self) -> int:
        return sum(self.persons.values())


PERIODS: tuple[PeriodSpec, ...] = (
    PeriodSpec(
        dt.date(2015, 1, 1),
        dt.date(2015, 12, 31),
        {
            (MAN, LABOUR): 341,
            (MAN, "Begging"): 4,
            (MAN, "CriminalActivity"): 3,
            (MAN, "SlaveryServitude"): 2,
            (WOMAN, LABOUR): 212,
            (WOMAN, SEXUAL): 48,
            (WOMAN, "Begging"): 5,
            (WOMAN, "SlaveryServitude"): 2,
            (WOMAN, "ForcedMarriage"): 1,
            (WOMAN, "ForcedSurrogacy"): 2,
            (GIRL, LABOUR): 3,
            (GIRL, SEXUAL): 7,
            (GIRL, "Begging"): 3,
            (GIRL, "ForcedMarriage"): 1,
            (BOY, LABOUR): 3,
            (BOY, "Begging"): 2,
            (BOY, "CriminalActivity"): 1,
        },
        idp=8,
        foreign=(("UZ", 2), ("MD", 1)),
    ),
    # The published period. All 466 males are adults, so "men" is 466 whether counted by sex
    # alone or by sex and age (boys appear in 2015 and in the last quarter of 2016).
    PeriodSpec(
        dt.date(2016, 1, 1),
        dt.date(2016, 9, 30),
        {
            (MAN, LABOUR): 458,
            (MAN, "Begging"): 4,
            (MAN, "CriminalActivity"): 3,
            (MAN, "SlaveryServitude"): 1,
            (WOMAN, LABOUR): 262,
            (WOMAN, SEXUAL): 30,
            (WOMAN, "Begging"): 3,
            (WOMAN, "SlaveryServitude"): 1,
            (WOMAN, "ForcedSurrogacy"): 1,
            (GIRL, LABOUR): 3,
            (GIRL, SEXUAL): 8,
            (GIRL, "Begging"): 3,
        },
        idp=8,
        foreign=(("UZ", 2), ("BY", 1), ("MD", 1)),
    ),
    PeriodSpec(
        dt.date(2016, 10, 1),
        dt.date(2016, 12, 31),
        {
            (MAN, LABOUR): 218,
            (MAN, "Begging"): 2,
            (MAN, "CriminalActivity"): 2,
            (WOMAN, LABOUR): 124,
            (WOMAN, SEXUAL): 15,
            (WOMAN, "Begging"): 2,
            (WOMAN, "SlaveryServitude"): 1,
            (GIRL, LABOUR): 2,
            (GIRL, SEXUAL): 3,
            (GIRL, "Begging"): 1,
            (BOY, LABOUR): 2,
            (BOY, "Begging"): 2,
        },
        idp=3,
        foreign=(("UZ", 1),),
    ),
)

# Persons identified by the other partners only (never registered by IOM): invented figures.
PARTNER_PERIODS: tuple[PeriodSpec, ...] = (
    PeriodSpec(
        dt.date(2015, 1, 1),
        dt.date(2015, 12, 31),
        {
            (MAN, LABOUR): 62,
            (MAN, "Begging"): 2,
            (MAN, "CriminalActivity"): 2,
            (WOMAN, LABOUR): 35,
            (WOMAN, SEXUAL): 38,
            (WOMAN, "Begging"): 2,
            (GIRL, SEXUAL): 5,
            (GIRL, LABOUR): 1,
            (BOY, LABOUR): 1,
            (BOY, "Begging"): 1,
        },
        idp=0,
        foreign=(("MD", 1),),
    ),
    PeriodSpec(
        dt.date(2016, 1, 1),
        dt.date(2016, 9, 30),
        {
            (MAN, LABOUR): 78,
            (MAN, "Begging"): 2,
            (MAN, "CriminalActivity"): 3,
            (WOMAN, LABOUR): 40,
            (WOMAN, SEXUAL): 44,
            (WOMAN, "Begging"): 2,
            (WOMAN, "ForcedSurrogacy"): 1,
            (GIRL, SEXUAL): 6,
            (GIRL, LABOUR): 2,
            (BOY, "Begging"): 2,
        },
        idp=0,
        foreign=(("MD", 1),),
    ),
    PeriodSpec(
        dt.date(2016, 10, 1),
        dt.date(2016, 12, 31),
        {
            (MAN, LABOUR): 30,
            (MAN, "Begging"): 1,
            (WOMAN, LABOUR): 15,
            (WOMAN, SEXUAL): 16,
            (GIRL, SEXUAL): 2,
            (BOY, LABOUR): 1,
        },
        idp=0,
        foreign=(),
    ),
)

# Country of exploitation by form, as weights; each period's count of a form is split by the
# largest-remainder method, so the totals are exact. Russia about 68%, Poland about 13%, Ukraine
# (internal) about 7% (H1 2016: Russia 68%, EU 17% of which 80% Poland, internal 7%).
COUNTRIES: dict[str, tuple[tuple[str, float], ...]] = {
    LABOUR: (
        ("RU", 71.5),
        ("PL", 13.5),
        ("UA", 5.5),
        ("CZ", 2.5),
        ("BY", 1.2),
        ("KZ", 1.0),
        ("DE", 0.8),
        ("LT", 0.7),
        ("TR", 0.5),
        ("IT", 0.5),
        ("PT", 0.4),
        ("IL", 0.4),
        ("SK", 0.4),
        ("HU", 0.3),
        ("AE", 0.3),
        ("FI", 0.2),
        ("MD", 0.2),
        ("AT", 0.2),
    ),
    SEXUAL: (
        ("UA", 24),
        ("RU", 16),
        ("TR", 16),
        ("PL", 10),
        ("AE", 8),
        ("IL", 7),
        ("DE", 6),
        ("IT", 4),
        ("ES", 3),
        ("CY", 3),
        ("GR", 3),
    ),
    "Begging": (("RU", 50), ("UA", 30), ("PL", 20)),
    "CriminalActivity": (("RU", 60), ("UA", 40)),
    "SlaveryServitude": (("RU", 70), ("UA", 30)),
    "ForcedSurrogacy": (("UA", 100),),
    "ForcedMarriage": (("TR", 50), ("UA", 50)),
}

# Transit countries on the usual overland routes.
TRANSIT: dict[str, str] = {"DE": "PL", "IT": "PL", "PT": "PL", "ES": "PL", "FI": "PL", "CZ": "PL"}

# Oblast of origin: (code, weight, administrative centre). The nine oblasts near the Donbas
# conflict (Donetsk, Luhansk, Kharkiv, Sumy, Kherson, Zaporizhzhia, Chernihiv, Dnipropetrovsk,
# Mykolaiv) come first and carry about 62% of the weight.
NINE_OBLASTS = ("UA-14", "UA-09", "UA-63", "UA-59", "UA-65", "UA-23", "UA-74", "UA-12", "UA-48")
OBLASTS: tuple[tuple[str, float, str], ...] = (
    ("UA-14", 9, "Краматорськ"),
    ("UA-09", 6, "Сєвєродонецьк"),
    ("UA-63", 10, "Харків"),
    ("UA-59", 5, "Суми"),
    ("UA-65", 6, "Херсон"),
    ("UA-23", 7, "Запоріжжя"),
    ("UA-74", 5, "Чернігів"),
    ("UA-12", 9, "Дніпро"),
    ("UA-48", 5, "Миколаїв"),
    ("UA-30", 4, "Київ"),
    ("UA-32", 3, "Біла Церква"),
    ("UA-51", 4, "Одеса"),
    ("UA-05", 3, "Вінниця"),
    ("UA-18", 2.5, "Житомир"),
    ("UA-68", 3, "Хмельницький"),
    ("UA-71", 2.5, "Черкаси"),
    ("UA-53", 3, "Полтава"),
    ("UA-35", 3, "Кропивницький"),
    ("UA-46", 2, "Львів"),
    ("UA-21", 2, "Ужгород"),
    ("UA-26", 1, "Івано-Франківськ"),
    ("UA-61", 1, "Тернопіль"),
    ("UA-77", 1, "Чернівці"),
    ("UA-56", 1, "Рівне"),
    ("UA-07", 1, "Луцьк"),
)
CITY: dict[str, str] = {code: city for code, _weight, city in OBLASTS}
# Where persons are exploited inside Ukraine, besides their own oblast.
INTERNAL_HUBS = ("UA-30", "UA-32", "UA-51", "UA-12", "UA-63", "UA-46")
# Where IDPs from Donetsk and Luhansk oblasts live now.
IDP_CITIES = ("Краматорськ", "Харків", "Запоріжжя", "Дніпро", "Київ", "Слов'янськ")

Weights = tuple[tuple[str, float], ...]

INDUSTRY: dict[str, Weights] = {
    MAN: (
        ("F_Construction", 55),
        ("A_AgricultureForestryAndFishing", 15),
        ("C_Manufacturing", 10),
        ("B_MiningAndQuarrying", 4),
        ("H_TransportationAndStorage", 4),
        ("G_WholesaleAndRetailTradeRepairOfMotorVehicles", 4),
        ("I_AccommodationAndFoodServiceActivities", 3),
        ("S_OtherServiceActivities", 3),
        ("T_ActivitiesOfHouseholdsAsEmployers", 2),
    ),
    WOMAN: (
        ("A_AgricultureForestryAndFishing", 25),
        ("C_Manufacturing", 20),
        ("I_AccommodationAndFoodServiceActivities", 15),
        ("T_ActivitiesOfHouseholdsAsEmployers", 15),
        ("G_WholesaleAndRetailTradeRepairOfMotorVehicles", 12),
        ("S_OtherServiceActivities", 8),
        ("F_Construction", 5),
    ),
    GIRL: (
        ("A_AgricultureForestryAndFishing", 40),
        ("G_WholesaleAndRetailTradeRepairOfMotorVehicles", 20),
        ("S_OtherServiceActivities", 20),
        ("C_Manufacturing", 20),
    ),
}
INDUSTRY[BOY] = INDUSTRY[GIRL]

SEX_EXPLOITATION: Weights = (
    ("Prostitution", 80),
    ("PrivateSexualServices", 10),
    ("Pornography", 6),
    ("RemoteInteractiveServices", 4),
)

RECRUITMENT: Weights = (
    ("ThroughFriendsOrSocialEvents", 35),
    ("ThroughAnOnlineAdvertisement", 22),
    ("ThroughANewspaperAdvert", 10),
    ("ThroughOnlineSocialNetworks", 10),
    ("ThroughFamilyOrFamilyEvents", 8),
    ("AtWork", 5),
    ("AtAPlaceOfBusiness", 5),
    ("ThroughATelevisionAdvert", 1),
    ("AtAnEducationalInstitution", 1),
    ("Other", 3),
)
# Intermediaries offering IDPs emigration or refugee-status brokerage.
RECRUITMENT_IDP: Weights = (
    ("AtAPlaceOfBusiness", 50),
    ("ThroughAnOnlineAdvertisement", 30),
    ("Other", 20),
)
RELATIONSHIP_BY_RECRUITMENT: dict[str, str] = {
    "ThroughFriendsOrSocialEvents": "Acquainted",
    "ThroughFamilyOrFamilyEvents": "Familial",
    "AtWork": "Acquainted",
    "AtAnEducationalInstitution": "Acquainted",
}

CONTROL: Weights = (
    ("TakesEarnings", 45),
    ("WithholdsDocuments", 40),
    ("FalsePromises", 40),
    ("ExcessiveWorkingHours", 35),
    ("PhysicalThreats", 20),
    ("WithholdsNecessities", 15),
    ("DebtBondage", 15),
    ("PsychologicalAbuse", 15),
    ("PhysicalAbuse", 10),
    ("ThreatsLawEnforcement", 10),
    ("RestrictsFinancialAccess", 5),
    ("RestrictsMedicalCare", 3),
)
CONTROL_SEXUAL: Weights = (
    ("PsychologicalAbuse", 35),
    ("WithholdsDocuments", 30),
    ("DebtBondage", 30),
    ("SexualAbuse", 25),
    ("PhysicalThreats", 25),
    ("TakesEarnings", 25),
    ("ThreatensChildrenFamily", 15),
    ("PsychoactiveSubstance", 10),
    ("FalsePromises", 20),
)

VULNERABILITIES: Weights = (
    ("Poverty", 50),
    ("WorkEnvironment", 10),
    ("Education", 8),
    ("Addiction", 6),
    ("Homelessness", 5),
    ("AbusePhysical", 4),
    ("DisabilityAndPhysicalHealth", 4),
    ("MentalHealth", 3),
    ("SocialGroup", 3),
    ("AbuseSocialMedia", 2),
)

CHANNELS: dict[str, Weights] = {
    "iom": (("Hotline", 35), ("SelfReferral", 30), ("NGOOutreach", 25), ("Other", 10)),
    "ngo": (("NGOOutreach", 50), ("Hotline", 25), ("SelfReferral", 25)),
    "ngo2": (("NGOOutreach", 50), ("Hotline", 25), ("SelfReferral", 25)),
    "police": (("PoliceOperation", 85), ("LabourInspection", 5), ("Other", 10)),
    "border": (("BorderCheck", 100),),
    "mfa": (("Consulate", 100),),
    "hromada": (("SelfReferral", 70), ("Other", 30)),
    "centre": (("SelfReferral", 50), ("NGOOutreach", 20), ("Other", 30)),
}

# Which agencies a person's first registration goes to: weights by oblast of origin.
HOME_OBLASTS: dict[str, frozenset[str]] = {
    "ngo": frozenset({"UA-63", "UA-59", "UA-53", "UA-09", "UA-14"}),
    "ngo2": frozenset({"UA-23", "UA-65", "UA-48", "UA-12"}),
    "police": frozenset({"UA-63", "UA-59"}),
    "hromada": frozenset({"UA-14", "UA-09"}),
    "centre": frozenset({"UA-12"}),
}
AGENCY_WEIGHT_HOME: dict[str, float] = {
    "iom": 45,
    "ngo": 40,
    "ngo2": 40,
    "police": 15,
    "hromada": 30,
    "centre": 25,
}
AGENCY_WEIGHT_AWAY: dict[str, float] = {
    "iom": 45,
    "ngo": 4,
    "ngo2": 3,
    "police": 3,
    "hromada": 0,
    "centre": 0,
}
# Who registers the same person again: a referral for assistance, for criminal proceedings or
# for a status application. The consular service and the border guards only ever come first.
SECOND_AGENCY: dict[str, Weights] = {
    "mfa": (("iom", 85), ("ngo", 10), ("ngo2", 5)),
    "border": (("iom", 50), ("ngo", 40), ("police", 10)),
    "police": (("iom", 45), ("ngo", 45), ("ngo2", 10)),
    "iom": (("police", 35), ("ngo", 20), ("ngo2", 20), ("hromada", 15), ("centre", 10)),
    "ngo": (("iom", 55), ("police", 35), ("hromada", 10)),
    "ngo2": (("iom", 60), ("police", 25), ("centre", 15)),
    "hromada": (("iom", 60), ("ngo", 30), ("police", 10)),
    "centre": (("iom", 60), ("ngo2", 30), ("police", 10)),
}

# The share of persons registered more than once, and three times.
DUPLICATED_SHARE = 0.19
TRIPLICATED_SHARE = 0.035
# How a later registration writes the same person.
VARIANTS: Weights = (
    ("other_form", 30),  # Ukrainian written in Russian, or the reverse
    ("typo", 25),
    ("no_birth_date", 20),
    ("latin", 15),
    ("swapped", 10),
)

CLOSURE: Weights = (
    ("GoalsAchieved", 55),
    ("ReferredElsewhere", 15),
    ("LostContact", 12),
    ("PersonDeclined", 10),
    ("Relocated", 6),
    ("Other", 2),
)
STATUS_DECISION_ORG: Weights = (
    ("NonPoliceGovernmentalOrganization", 75),
    ("CourtOrProsecution", 15),
    ("Police", 10),
)
CONSENT_PURPOSES: Weights = (
    ("Psychological", 25),
    ("ReturnReintegration", 25),
    ("StatusApplication", 30),
    ("Legal", 20),
    ("Shelter", 15),
    ("Medical", 15),
    ("CriminalProceedings", 15),
)
