"""The demo's agencies and logins: one agency of every Ukrainian NRM actor kind, synthetic names.

Usernames are `<agency>.<role>`; every login uses the demo password. Agencies that register
cases name the login that does it (a caseworker, an investigator or a border guard).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AgencySpec:
    key: str
    name: str
    kind: str  # core.codes list "agency_kind"
    oblast: str  # ISO 3166-2:UA, "" for a national body
    users: tuple[tuple[str, str], ...]  # (username, role)
    registrar: str = ""  # the username that registers this agency's cases
    name_uk: str = ""  # the name in Ukrainian (`name` is the English one)

    @property
    def registers_cases(self) -> bool:
        return bool(self.registrar)


AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec(
        "msp",
        "Ministry of Social Policy of Ukraine (national coordinator)",
        "MinistryOfSocialPolicy",
        "UA-30",
        (
            ("msp.coordinator", "coordinator"),
            ("msp.statistician", "statistician"),
            ("msp.sysadmin", "sysadmin"),
        ),
        name_uk="Міністерство соціальної політики України (національний координатор)",
    ),
    AgencySpec(
        "nss",
        "National Social Service of Ukraine",
        "NationalSocialService",
        "UA-30",
        (("nss.decision_maker", "decision_maker"),),
        name_uk="Національна соціальна сервісна служба України",
    ),
    AgencySpec(
        "iom",
        "IOM Ukraine",
        "InternationalOrganisation",
        "UA-30",
        (
            ("iom.caseworker", "caseworker"),
            ("iom.supervisor", "supervisor"),
            ("iom.trainer", "trainer"),
            ("iom.programme_officer", "programme_officer"),
            ("iom.admin", "agency_admin"),
        ),
        registrar="iom.caseworker",
        name_uk="МОМ в Україні",
    ),
    AgencySpec(
        "ngo",
        "NGO Zoriana Stezhka (Kharkiv)",
        "NGO",
        "UA-63",
        (("ngo.caseworker", "caseworker"), ("ngo.supervisor", "supervisor")),
        registrar="ngo.caseworker",
        name_uk="ГО «Зоряна стежка» (Харків)",
    ),
    AgencySpec(
        "ngo2",
        "NGO Bereh Nadii (Zaporizhzhia)",
        "NGO",
        "UA-23",
        (("ngo2.caseworker", "caseworker"), ("ngo2.admin", "agency_admin")),
        registrar="ngo2.caseworker",
        name_uk="ГО «Берег надії» (Запоріжжя)",
    ),
    AgencySpec(
        "police",
        "National Police, Kharkiv counter-trafficking unit",
        "NationalPolice",
        "UA-63",
        (("police.investigator", "investigator"),),
        registrar="police.investigator",
        name_uk="Національна поліція, Харківський підрозділ протидії торгівлі людьми",
    ),
    AgencySpec(
        "border",
        "State Border Guard Service, Sumy border detachment",
        "StateBorderGuardService",
        "UA-59",
        (("border.guard", "border_guard"),),
        registrar="border.guard",
        name_uk="Державна прикордонна служба, Сумський прикордонний загін",
    ),
    AgencySpec(
        "mfa",
        "Ministry of Foreign Affairs, consular service",
        "ConsularOffice",
        "UA-30",
        (("mfa.consul", "caseworker"),),
        registrar="mfa.consul",
        name_uk="Міністерство закордонних справ, консульська служба",
    ),
    AgencySpec(
        "hromada",
        "Kramatorsk hromada, social protection office",
        "HromadaExecutiveBody",
        "UA-14",
        (("hromada.caseworker", "caseworker"),),
        registrar="hromada.caseworker",
        name_uk="Краматорська громада, управління соціального захисту",
    ),
    AgencySpec(
        "centre",
        "Dnipro city centre of social services",
        "SocialServicesCentre",
        "UA-12",
        (("centre.caseworker", "caseworker"),),
        registrar="centre.caseworker",
        name_uk="Дніпровський міський центр соціальних служб",
    ),
    AgencySpec(
        "oda",
        # The Kramatorsk hromada (Donetsk oblast) forwards to its own oblast's administration,
        # which has sat in Kramatorsk since 2014 (Resolution No. 417: local -> own oblast).
        "Donetsk oblast state administration, social protection department",
        "OblastStateAdministration",
        "UA-14",
        (("oda.official", "oblast_official"),),
        name_uk="Донецька обласна державна адміністрація, департамент соціального захисту",
    ),
    AgencySpec(
        "prosecutor",
        "Kharkiv oblast prosecutor's office",
        "ProsecutorsOffice",
        "UA-63",
        (("prosecutor.kharkiv", "prosecutor"),),
        name_uk="Харківська обласна прокуратура",
    ),
    AgencySpec(
        "court",
        "Kharkiv district court",
        "Court",
        "UA-63",
        (("court.judge", "judge"),),
        name_uk="Харківський районний суд",
    ),
    AgencySpec(
        "migration",
        "State Migration Service, Kharkiv oblast directorate",
        "StateMigrationService",
        "UA-63",
        (),
        name_uk="Державна міграційна служба, управління в Харківській області",
    ),
    AgencySpec(
        "health",
        "Ministry of Health of Ukraine",
        "MinistryOfHealth",
        "UA-30",
        (),
        name_uk="Міністерство охорони здоров’я України",
    ),
    AgencySpec(
        "shelter",
        "Mykolaiv rehabilitation centre for victims of trafficking",
        "Shelter",
        "UA-48",
        (("shelter.caseworker", "caseworker"),),
        name_uk="Миколаївський реабілітаційний центр для осіб, які постраждали від торгівлі людьми",
    ),
)

AGENCY_BY_KEY: dict[str, AgencySpec] = {a.key: a for a in AGENCIES}
