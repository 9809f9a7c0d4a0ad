"""Who trafficked and where people were found, in the demo, as the seed tells it: "IDPs are
targeted by unscrupulous intermediaries who offer brokerage services for emigration and
receiving refugee status abroad. 19 cases of trafficking or attempted trafficking of IDPs have
been recorded by IOM in 2015-16, some of them involving several victims."

- IOM's caseworker records one incident per IDP person of the plan (19, in 2015-16), five of
  them with two or three persons involved (the others were not registered), IDPs' region of
  origin: the occupied territory or the contact line.
- The police record six brokers offering emigration or refugee-status services to IDPs (phone
  numbers, an e-mail, a social-media handle); the Kharkiv prosecutor's office later records a
  seventh whose phone is the first broker's, linked to the story proceeding: the alert fires for
  the police investigator, who recorded the first.
- The Sumy border detachment stops departures at Sumy and Kharkiv crossing points in 2015-16 and
  holds two border checks with a group identification in October-November 2016 (six and five
  persons: minimal cases to complete later, outside the January-September figures).
- Mutual legal assistance: four outgoing requests, to Russia and Poland, two answered.
- A foreign partner NGO in Poland (an agency with country PL).

Everything goes through the services, so the audit trail is real. The loader calls this after
the record-linkage run (the border checks' persons wait for the next run, like any new
registration). Names and numbers are
synthetic (phone numbers in the +380 67 555 range).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from opennrm.accounts.models import User
from opennrm.borders import services as borders
from opennrm.cases.models import Case
from opennrm.demo.plan import PlannedPerson, PlannedRegistration
from opennrm.justice import perpetrator_services as perps
from opennrm.justice.models import Proceeding
from opennrm.justice.perpetrator_vault import PerpetratorIdentity
from opennrm.justice.perpetrators import Alert
from opennrm.tenancy.actor import actor_for
from opennrm.tenancy.models import Agency
from opennrm.tenancy.services import add_agency

SEED = 2015_19
START, END = dt.date(2015, 1, 1), dt.date(2016, 12, 31)
PARTNER_NGO = "Partner NGO against trafficking, Warsaw (synthetic)"
SHARED_PHONE = "+380675550119"
# Incidents (by their order in time) that involved more than the person registered.
SEVERAL = {2: 3, 5: 2, 8: 2, 12: 3, 16: 2}
BROKERS: tuple[tuple[str, str, str, tuple[str, ...], tuple[tuple[str, str], ...]], ...] = (
    # family name, first name, sex, modus operandi, identifiers
    (
        "Лисенко",
        "Арсен",
        "Masculine",
        ("EmigrationBrokerage", "FakeJobOffer"),
        (("phone", SHARED_PHONE), ("social", "@work_abroad_fast")),
    ),
    (
        "Дорош",
        "Інна",
        "Feminine",
        ("RefugeeStatusBrokerage",),
        (("phone", "+380675550120"), ("email", "status.help@example.org")),
    ),
    ("Панченко", "Віталій", "Masculine", ("EmigrationBrokerage",), (("phone", "+380675550121"),)),
    (
        "Гаврилюк",
        "Тарас",
        "Masculine",
        ("RefugeeStatusBrokerage", "FakeJobOffer"),
        (("phone", "+380675550122"), ("company", "ТОВ «Євро Віза Сервіс»")),
    ),
    (
        "Мельничук",
        "Оксана",
        "Feminine",
        ("EmigrationBrokerage", "MarriageOffer"),
        (("phone", "+380675550123"),),
    ),
    (
        "",
        "",
        "Masculine",
        ("RefugeeStatusBrokerage",),
        (("phone", "+380675550124"), ("vehicle", "AX 1234 BC")),
    ),
)
CHECKS: tuple[tuple[str, dt.date, tuple[tuple[str, str, int, str], ...]], ...] = (
    (
        "UA-59-Bachivsk",
        dt.date(2016, 10, 12),
        (
            ("Коваль Ірина", "Feminine", 24, "uk"),
            ("Коваль Марія", "Feminine", 19, "uk"),
            ("Бондар Петро", "Masculine", 31, "uk"),
            ("(жінка в червоному пальті)", "Feminine", 35, "ru"),
            ("Ткачук Олег", "Masculine", 28, "uk"),
            ("Руденко Світлана", "Feminine", 22, "uk"),
        ),
    ),
    (
        "UA-63-Hoptivka",
        dt.date(2016, 11, 8),
        (
            ("Савчук Андрій", "Masculine", 41, "uk"),
            ("Савчук Лідія", "Feminine", 39, "uk"),
            ("Мороз Денис", "Masculine", 17, "uk"),
            ("(чоловік у зеленій куртці)", "Masculine", 45, "ru"),
            ("Поліщук Алла", "Feminine", 26, "uk"),
        ),
    ),
)
STOP_POINTS = ("UA-59-Bachivsk", "UA-59-Yunakivka", "UA-63-Hoptivka", "UA-63-KharkivAirport")


@dataclass(frozen=True)
class PerpetratorsSummary:
    incidents: int
    idp_incidents: int
    persons_in_incidents: int
    brokers: int
    alerts: int
    operations: int
    persons_found: int
    stops: int
    persons_stopped: int
    mla_requests: int


def _person(text: str, sex: str, age: int, language: str) -> borders.MinimalPerson:
    if text.startswith("("):
        return borders.MinimalPerson(
            description=text.strip("()"), sex=sex, age=age, citizenship="UA", language=language
        )
    return borders.MinimalPerson(name=text, sex=sex, age=age, citizenship="UA", language=language)


def idp_cases(
    rows: Sequence[tuple[PlannedPerson, PlannedRegistration]], cases: Sequence[Case]
) -> list[tuple[PlannedPerson, Case]]:
    """IOM's registration of each IDP person of the plan, in the order of identification."""
    return [
        (person, case)
        for (person, reg), case in zip(rows, cases, strict=True)
        if person.is_idp and reg is person.first and reg.agency == "iom"
    ]


def load_perpetrators(
    rows: Sequence[tuple[PlannedPerson, PlannedRegistration]],
    cases: Sequence[Case],
    agencies: Mapping[str, Agency],
) -> PerpetratorsSummary:
    rng = random.Random(SEED)
    iom = actor_for(User.objects.get(username="iom.caseworker"))
    police = actor_for(User.objects.get(username="police.investigator"))
    prosecutor = actor_for(User.objects.get(username="prosecutor.kharkiv"))
    guard = actor_for(User.objects.get(username="border.guard"))

    add_agency(name=PARTNER_NGO, kind="NGO", country="PL")

    # The brokers, recorded by the police.
    brokers = []
    for family, first, sex, modus, identifiers in BROKERS:
        identity = PerpetratorIdentity(
            family_name=family,
            first_name=first,
            description="" if family else "чоловік років 40, представлявся «Едік»",
            aliases=[] if family else ["Едік"],
        )
        brokers.append(
            perps.record_perpetrator(
                actor=police,
                data=perps.PerpetratorInput(
                    identity=identity,
                    gender=sex,
                    citizenship="UA",
                    roles=["Broker", "Recruiter"],
                    modus_operandi=[*modus, "TargetsIdps"],
                    identifiers=[perps.IdentifierInput(k, v) for k, v in identifiers],
                ),
            )
        )

    # The 19 IDP incidents recorded by IOM, with the brokers behind some of them.
    incidents = []
    for index, (person, case) in enumerate(idp_cases(rows, cases)):
        occurred = max(START, person.first_identified_on - dt.timedelta(days=rng.randint(7, 45)))
        origin = "ContactLine" if index % 4 == 3 else "OccupiedTerritory"
        incident = borders.record_incident(
            actor=iom,
            data=borders.IncidentInput(
                kind="AttemptedTrafficking" if index % 3 == 1 else "Trafficking",
                occurred_on=min(occurred, END),
                oblast=person.origin_oblast,
                victims=SEVERAL.get(index, 1),
                involves_idp=True,
                idp_origin=origin,
                cases=[case],
                perpetrators=[brokers[index % len(brokers)]],
            ),
        )
        incidents.append(incident)

    # A seventh broker, recorded by the prosecutor's office on the story proceeding, uses the
    # first broker's phone: the alert goes to the police investigator who recorded the first.
    story = Proceeding.objects.filter(prosecution_agency=agencies["prosecutor"]).order_by(
        "registered_on", "erdr_number"
    )
    linked = [p for p in story if p.erdr_number == "12016220000000123"] or list(story[:1])
    before = Alert.objects.count()
    perps.record_perpetrator(
        actor=prosecutor,
        data=perps.PerpetratorInput(
            identity=PerpetratorIdentity(family_name="Лисенко", first_name="Роман"),
            gender="Masculine",
            citizenship="UA",
            roles=["Broker"],
            modus_operandi=["RefugeeStatusBrokerage", "TargetsIdps"],
            identifiers=[perps.IdentifierInput("phone", "067 555 01 19")],
        ),
        proceedings=linked,
    )
    alerts = Alert.objects.count() - before

    # Departures stopped at the border in 2015-16 (counted apart from victims).
    stops = []
    for month in range(0, 24, 2):
        on = dt.date(2015 + month // 12, month % 12 + 1, rng.randint(3, 27))
        persons = rng.choice((1, 1, 2, 3, 4))
        stops.append(
            borders.record_stop(
                actor=guard,
                data=borders.StopInput(
                    kind="AttemptedTrafficking" if month % 6 == 4 else "PreventedDeparture",
                    crossing_point=rng.choice(STOP_POINTS),
                    stopped_on=on,
                    persons=persons,
                    children=1 if persons > 2 else 0,
                    destination=rng.choice(("RU", "RU", "PL", "CZ")),
                ),
            )
        )

    # Two border checks with a group identification (minimal cases to complete later).
    operations = []
    for point, on, people in CHECKS:
        operations.append(
            borders.record_operation(
                actor=guard,
                data=borders.OperationInput(
                    kind="BorderCheck",
                    held_on=on,
                    crossing_point=point,
                    persons=[_person(*p) for p in people],
                ),
            )
        )

    # Mutual legal assistance: to Russia and Poland, answered and not.
    requests = (
        ("WitnessQuestioning", "RU", dt.date(2016, 3, 14), None),
        ("Documents", "RU", dt.date(2016, 5, 20), None),
        ("Documents", "PL", dt.date(2016, 4, 6), dt.date(2016, 6, 21)),
        ("WitnessQuestioning", "PL", dt.date(2016, 8, 2), dt.date(2016, 10, 11)),
    )
    proceeding = linked[0] if linked else None
    for request_type, country, sent, answered in requests:
        perps.record_mla_request(
            actor=police,
            data=perps.MlaInput(
                direction="Outgoing",
                request_type=request_type,
                country=country,
                central_authority="ProsecutorGeneral",
                proceeding=proceeding,
                sent_on=sent,
                answered_on=answered,
            ),
        )
    return PerpetratorsSummary(
        incidents=len(incidents),
        idp_incidents=sum(i.involves_idp for i in incidents),
        persons_in_incidents=sum(i.victims for i in incidents),
        brokers=len(brokers) + 1,
        alerts=alerts,
        operations=len(operations),
        persons_found=sum(o.cases.count() for o in operations),
        stops=len(stops),
        persons_stopped=sum(s.persons for s in stops),
        mla_requests=len(requests),
    )
