"""The demo plan: persons with their ground truth and the registrations agencies made of them.

Pure Python, no database: the same seed gives the same plan on every run. A person's first
registration defines the person's period (date of first identification) and carries the
person's own spelling and full birth date; later registrations by other agencies write the same
person differently (Russian or Ukrainian form, Latin letters, a typo, swapped names, no birth
date), as happens when agencies do not share a register. Figures are counted over persons.

IOM's persons (`facts.PERIODS`, `PlannedPerson.by_iom`) are first identified by IOM, so IOM's
own statistics reproduce the published figures; the partners' persons (`facts.PARTNER_PERIODS`)
are identified and registered again only by the other agencies, never by IOM.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from opennrm.core import codes
from opennrm.core.ages import PartialDate, age_on
from opennrm.demo import facts as f
from opennrm.demo import frequencies, names
from opennrm.demo.cast import AGENCY_BY_KEY

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class PlannedEvent:
    type: str
    country: str
    oblast: str
    started_on: dt.date | None
    ended_on: dt.date | None


@dataclass(frozen=True)
class PlannedConsent:
    legal_basis: str
    purposes: tuple[str, ...]
    data_categories: tuple[str, ...]
    recipient: str  # agency key, "" for none
    given_on: dt.date
    given_by: str = "Person"  # for a child: a legal representative (cases.services)
    representative_role: str = ""


@dataclass
class PlannedRegistration:
    """One agency's registration of the person: what `register_case` receives."""

    agency: str  # key in cast.AGENCIES
    username: str  # who registers it
    variant: str  # "original" or one of facts.VARIANTS
    first_name: str
    middle_name: str
    family_name: str
    birth: str  # ISO 8601, possibly partial or empty
    identified_on: dt.date
    identification_country: str
    identification_oblast: str
    channel: str
    multi: dict[str, tuple[str, ...]]
    events: tuple[PlannedEvent, ...]
    relationship_to_recruiter: str
    status: str
    closure_reason: str = ""
    trafficking_status: str = "PossibleVictimOfTrafficking"
    status_decision_org: str = ""
    aliases: tuple[str, ...] = ()
    place_of_stay: str = ""
    consent: PlannedConsent | None = None


@dataclass
class PlannedPerson:
    """A person and the truth about them; `registrations[0]` is the first identification."""

    number: int
    group: str  # facts.MAN, WOMAN, GIRL or BOY
    birth_date: dt.date
    name: names.FullName
    russian_form: bool  # the first registration writes the name in its Russian form
    citizenship: str
    origin_oblast: str  # "" for a foreign citizen
    is_idp: bool
    form: str  # Ukrainian form of exploitation (code list ua_exploitation)
    country: str  # country of exploitation; UA is internal trafficking
    exploitation_oblast: str  # for exploitation inside Ukraine
    by_iom: bool = True  # one of IOM's persons (facts.PERIODS), else only the partners know them
    registrations: list[PlannedRegistration] = field(default_factory=list)

    @property
    def gender(self) -> str:
        return "Masculine" if self.group in (f.MAN, f.BOY) else "Feminine"

    @property
    def is_child(self) -> bool:
        return self.group in (f.GIRL, f.BOY)

    @property
    def first(self) -> PlannedRegistration:
        return self.registrations[0]

    @property
    def first_identified_on(self) -> dt.date:
        return self.registrations[0].identified_on

    @property
    def age(self) -> int:
        """Whole years at the first identification."""
        birth = PartialDate(self.birth_date.year, self.birth_date.month, self.birth_date.day)
        age = age_on(birth, self.first_identified_on)
        assert age is not None
        return age


def allocate(total: int, weights: Sequence[tuple[str, float]]) -> list[tuple[str, int]]:
    """Split `total` by weights with the largest-remainder method: exact and deterministic."""
    whole = sum(w for _k, w in weights)
    quotas = [total * w / whole for _k, w in weights]
    counts = [int(q) for q in quotas]
    order = sorted(range(len(quotas)), key=lambda i: (counts[i] - quotas[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return [(key, counts[i]) for i, (key, _w) in enumerate(weights)]


def _pick(rng: random.Random, weights: Sequence[tuple[str, float]]) -> str:
    return rng.choices([k for k, _w in weights], weights=[w for _k, w in weights])[0]


def _pick_some(rng: random.Random, weights: Sequence[tuple[str, float]], k: int) -> tuple[str, ...]:
    """Up to k distinct values, drawn by weight without replacement."""
    left = list(weights)
    chosen: list[str] = []
    while left and len(chosen) < k:
        value = _pick(rng, left)
        chosen.append(value)
        left = [(key, w) for key, w in left if key != value]
    return tuple(chosen)


def _days(rng: random.Random, low: int, high: int) -> dt.timedelta:
    return DAY * rng.randint(low, high)


def _capped(day: dt.date) -> dt.date:
    return min(day, f.DEMO_TODAY)


@dataclass
class _Draft:
    group: str
    form: str
    identified_on: dt.date
    country: str = ""
    citizenship: str = codes.UKRAINE
    is_idp: bool = False
    by_iom: bool = True


def _drafts(rng: random.Random, period: f.PeriodSpec, *, by_iom: bool = True) -> list[_Draft]:
    """The period's persons with their exact group, form, country, citizenship and IDP status."""
    span = (period.end - period.start).days
    drafts = [
        _Draft(group, form, period.start + _days(rng, 0, span), by_iom=by_iom)
        for (group, form), count in period.persons.items()
        for _ in range(count)
    ]
    for form in dict.fromkeys(d.form for d in drafts):
        of_form = [d for d in drafts if d.form == form]
        rng.shuffle(of_form)
        countries = [c for c, n in allocate(len(of_form), f.COUNTRIES[form]) for _ in range(n)]
        for draft, country in zip(of_form, countries, strict=True):
            draft.country = country
    labour_here = [
        d for d in drafts if (d.group, d.form, d.country) == (f.MAN, f.LABOUR, codes.UKRAINE)
    ]
    foreign = [c for c, n in period.foreign for _ in range(n)]
    for draft, citizenship in zip(rng.sample(labour_here, len(foreign)), foreign, strict=True):
        draft.citizenship = citizenship
    adults = [d for d in drafts if d.group in (f.MAN, f.WOMAN) and d.citizenship == codes.UKRAINE]
    for draft in rng.sample(adults, period.idp):
        draft.is_idp = True
    return drafts


def _birth_date(rng: random.Random, draft: _Draft) -> dt.date:
    """A birth date giving an age at identification that fits the person's group."""
    if draft.group == f.MAN:
        age = round(rng.triangular(18, 62, 31))
    elif draft.group == f.WOMAN:
        age = round(rng.triangular(18, 58, 28))
    elif draft.group == f.GIRL and draft.form == f.SEXUAL:
        age = rng.randint(14, 17)
    else:
        age = rng.randint(11, 17)
    on = draft.identified_on
    birthday = dt.date(2001, 1, 1) + _days(rng, 0, 364)  # a year without 29 February
    before_birthday = (birthday.month, birthday.day) > (on.month, on.day)
    return dt.date(on.year - age - before_birthday, birthday.month, birthday.day)


def _new_person(rng: random.Random, draft: _Draft) -> PlannedPerson:
    feminine = draft.group in (f.WOMAN, f.GIRL)
    foreign = draft.citizenship != codes.UKRAINE
    birth = _birth_date(rng, draft)
    if draft.citizenship == "UZ":
        name = names.draw_uzbek_name(rng)
    else:
        name = frequencies.draw_name(rng, feminine=feminine)
    if draft.is_idp:
        origin = "UA-14" if rng.random() < 0.65 else "UA-09"
    elif foreign:
        origin = ""
    else:
        origin = _pick(rng, [(code, w) for code, w, _city in f.OBLASTS])
    eastern = origin in ("UA-14", "UA-09", "UA-63")
    russian = foreign or rng.random() < (0.3 if eastern else 0.04)
    here = ""
    if draft.country == codes.UKRAINE:
        here = origin if origin and rng.random() < 0.4 else rng.choice(f.INTERNAL_HUBS)
    return PlannedPerson(
        number=0,
        group=draft.group,
        birth_date=birth,
        name=name,
        russian_form=russian,
        citizenship=draft.citizenship,
        origin_oblast=origin,
        is_idp=draft.is_idp,
        form=draft.form,
        country=draft.country,
        exploitation_oblast=here,
        by_iom=draft.by_iom,
    )


def _multi(rng: random.Random, person: PlannedPerson) -> dict[str, tuple[str, ...]]:
    """The person's multi-valued facts (forms, industries, recruitment, control...)."""
    multi: dict[str, tuple[str, ...]] = {codes.UA_EXPLOITATION: (person.form,)}
    if person.form == f.LABOUR:
        count = 2 if rng.random() < 0.1 else 1
        multi[codes.LABOUR_INDUSTRY] = _pick_some(rng, f.INDUSTRY[person.group], count)
    if person.form == f.SEXUAL:
        multi[codes.SEX_EXPLOITATION] = (_pick(rng, f.SEX_EXPLOITATION),)
    recruitment = f.RECRUITMENT_IDP if person.is_idp else f.RECRUITMENT
    multi[codes.RECRUITMENT] = _pick_some(rng, recruitment, 2 if rng.random() < 0.15 else 1)
    control = f.CONTROL_SEXUAL if person.form == f.SEXUAL else f.CONTROL
    multi[codes.CONTROL] = _pick_some(rng, control, rng.choice((1, 1, 2, 2, 3)))
    vulnerabilities = _pick_some(rng, f.VULNERABILITIES, rng.choice((0, 0, 1, 1, 2)))
    if person.is_idp:
        vulnerabilities = ("Migration", *vulnerabilities)
    if vulnerabilities:
        multi[codes.VULNERABILITIES] = vulnerabilities
    return multi


def _events(
    rng: random.Random, person: PlannedPerson, agency: str, on: dt.date
) -> tuple[PlannedEvent, ...]:
    """Recruitment at home, perhaps transit, then exploitation ending before identification."""
    if agency == "mfa":
        end = on - _days(rng, 0, 10)
    elif agency == "border":
        end = on - _days(rng, 1, 4)
    else:
        end = on - _days(rng, 5, 90)
    draw = rng.random()
    if draw < 0.7:
        start = end - _days(rng, 30, 180)
    elif draw < 0.9:
        start = end - _days(rng, 181, 365)
    else:
        start = end - _days(rng, 366, 900)
    recruited = start - _days(rng, 2, 45)
    home_oblast = person.origin_oblast if person.citizenship == codes.UKRAINE else ""
    events = [PlannedEvent("Recruitment", person.citizenship, home_oblast, recruited, recruited)]
    transit = f.TRANSIT.get(person.country)
    if transit:
        events.append(PlannedEvent("Transit", transit, "", start - DAY, start - DAY))
    events.append(
        PlannedEvent("Exploitation", person.country, person.exploitation_oblast, start, end)
    )
    return tuple(events)


def _first_agency(rng: random.Random, person: PlannedPerson) -> str:
    """Who identifies the person first: IOM for its own persons; for the partners' persons, by
    where they come from and were exploited."""
    if person.by_iom:
        return "iom"
    if person.citizenship != codes.UKRAINE:
        return "police"
    if person.country != codes.UKRAINE and rng.random() < 0.09:
        return "mfa"
    if person.country in ("RU", "BY") and rng.random() < 0.2:
        return "border"
    weights: list[tuple[str, float]] = []
    for key, home_weight in f.AGENCY_WEIGHT_HOME.items():
        if key == "iom":
            continue
        at_home = key == "iom" or person.origin_oblast in f.HOME_OBLASTS[key]
        weight = home_weight if at_home else f.AGENCY_WEIGHT_AWAY[key]
        if key == "police" and person.country == codes.UKRAINE:
            weight *= 3
        if key == "hromada" and person.is_idp:
            weight = 60
        if weight:
            weights.append((key, weight))
    return _pick(rng, weights)


def _identification(rng: random.Random, person: PlannedPerson, agency: str) -> tuple[str, str]:
    """(country, oblast) of identification."""
    if agency == "mfa":
        return person.country, ""
    if agency == "border":
        return codes.UKRAINE, AGENCY_BY_KEY["border"].oblast
    where = person.origin_oblast or person.exploitation_oblast
    if agency == "iom":
        return codes.UKRAINE, where if rng.random() < 0.75 else "UA-30"
    at_home = where in f.HOME_OBLASTS[agency]
    return codes.UKRAINE, where if at_home else AGENCY_BY_KEY[agency].oblast


def _case_status(rng: random.Random, on: dt.date) -> tuple[str, str]:
    """(status, closure reason): older cases are mostly closed, recent ones open."""
    age = (f.DEMO_TODAY - on).days
    closed, follow_up = (0.80, 0.15) if age > 180 else (0.20, 0.35) if age > 60 else (0.0, 0.10)
    draw = rng.random()
    if draw < closed:
        reason = _pick(rng, f.CLOSURE)
        return ("ClosedReferred" if reason == "ReferredElsewhere" else "Closed"), reason
    return ("FollowUp" if draw < closed + follow_up else "Active"), ""


def _consent(
    rng: random.Random, agency: str, on: dt.date, *, child: bool = False
) -> PlannedConsent:
    purposes = set(_pick_some(rng, f.CONSENT_PURPOSES, rng.choice((1, 2, 2, 3))))
    legal_basis = "VitalInterest" if rng.random() < 0.05 else "Consent"
    if agency == "police":
        purposes.add("CriminalProceedings")
        legal_basis = "LegalObligation" if rng.random() < 0.6 else "Consent"
    categories = {"Identity", "CaseFacts"}
    if rng.random() < 0.5:
        categories.add("Contact")
    for purpose, category in (
        ("Medical", "Health"),
        ("Psychological", "Psychosocial"),
        ("CriminalProceedings", "Justice"),
        ("StatusApplication", "Documents"),
    ):
        if purpose in purposes:
            categories.add(category)
    recipient = ""
    if "CriminalProceedings" in purposes:
        recipient = "police"
    elif "StatusApplication" in purposes:
        recipient = "oda"
    return PlannedConsent(
        legal_basis=legal_basis,
        purposes=tuple(sorted(purposes)),
        data_categories=tuple(sorted(categories)),
        recipient="" if recipient == agency else recipient,
        given_on=_capped(on + _days(rng, 0, 10)),
        # A child's consent is given by a parent (Civil Code art. 242).
        given_by="LegalRepresentative" if child else "Person",
        representative_role="Parent" if child else "",
    )


def _place_of_stay(rng: random.Random, person: PlannedPerson) -> str:
    if person.is_idp:
        return "м. " + rng.choice(f.IDP_CITIES)
    oblast = person.origin_oblast or person.exploitation_oblast
    return "м. " + f.CITY[oblast] if oblast in f.CITY else ""


def _written(rng: random.Random, person: PlannedPerson, variant: str) -> tuple[str, str, str, str]:
    """(variant, first, middle, family) as one registration writes the name.

    A name with no distinct Russian form gets a typo instead, and the variant says so.
    """
    first, middle, family = person.name.written(russian=person.russian_form)
    if variant == "other_form":
        other = person.name.written(russian=not person.russian_form)
        if other != (first, middle, family):
            return (variant, *other)
        variant = "typo"
    if variant == "latin":
        return variant, names.latin(first), "", names.latin(family)
    if variant == "swapped":
        return variant, family, middle, first
    if variant == "typo":
        if rng.random() < 0.7:
            family = names.typo(rng, family)
        else:
            first = names.typo(rng, first)
    return variant, first, middle, family


def _aliases(rng: random.Random, person: PlannedPerson, chance: float) -> tuple[str, ...]:
    short = names.SHORT_FORMS.get(person.name.first_uk)
    return (short,) if short and rng.random() < chance else ()


def _first_registration(rng: random.Random, person: PlannedPerson, on: dt.date) -> None:
    agency = _first_agency(rng, person)
    country, oblast = _identification(rng, person, agency)
    multi = _multi(rng, person)
    recruitment = multi[codes.RECRUITMENT][0]
    status, reason = _case_status(rng, on)
    trafficking_status, decided_by = "PossibleVictimOfTrafficking", ""
    if (f.DEMO_TODAY - on).days >= 90 and rng.random() < 0.13:
        trafficking_status = "ActualVictimOfTrafficking"
        decided_by = _pick(rng, f.STATUS_DECISION_ORG)
    _original, first, middle, family = _written(rng, person, "original")
    person.registrations.append(
        PlannedRegistration(
            agency=agency,
            username=AGENCY_BY_KEY[agency].registrar,
            variant="original",
            first_name=first,
            middle_name=middle,
            family_name=family,
            birth=person.birth_date.isoformat(),
            identified_on=on,
            identification_country=country,
            identification_oblast=oblast,
            channel=_pick(rng, f.CHANNELS[agency]),
            multi=multi,
            events=_events(rng, person, agency, on),
            relationship_to_recruiter=f.RELATIONSHIP_BY_RECRUITMENT.get(recruitment, "Unaquainted"),
            status=status,
            closure_reason=reason,
            trafficking_status=trafficking_status,
            status_decision_org=decided_by,
            aliases=_aliases(rng, person, 0.05),
            place_of_stay=_place_of_stay(rng, person) if rng.random() < 0.35 else "",
            consent=_consent(rng, agency, on, child=person.is_child)
            if rng.random() < 0.3
            else None,
        )
    )


def _later_agency(rng: random.Random, person: PlannedPerson) -> str:
    used = [r.agency for r in person.registrations]
    where = person.origin_oblast or person.exploitation_oblast
    options: list[tuple[str, float]] = []
    for key, weight in f.SECOND_AGENCY[used[-1]]:
        if key in used or (key == "iom" and not person.by_iom):
            continue
        local = f.HOME_OBLASTS.get(key)
        if local is not None and where not in local and not person.is_idp:
            if key in ("hromada", "centre"):
                continue
            weight *= 0.15
        options.append((key, weight))
    if not options:
        options = [
            (k, 1.0)
            for k in ("iom", "ngo", "ngo2", "police")
            if k not in used and (k != "iom" or person.by_iom)
        ]
    return _pick(rng, options)


def _later_registration(rng: random.Random, person: PlannedPerson) -> None:
    """Another agency registers the person again, writing them its own way."""
    previous = person.registrations[-1]
    agency = _later_agency(rng, person)
    delay = _days(rng, 5, 45) if previous.agency == "mfa" else _days(rng, 2, 120)
    on = _capped(previous.identified_on + delay)
    variant, first, middle, family = _written(rng, person, _pick(rng, f.VARIANTS))
    draw = rng.random()
    if variant == "no_birth_date" or draw >= 0.85:
        birth = ""
    elif draw < 0.6:
        birth = person.birth_date.isoformat()
    else:
        birth = str(person.birth_date.year)
    original = person.first
    multi = dict(original.multi)
    if rng.random() < 0.5:  # a shorter record: no methods of control, no vulnerabilities
        multi.pop(codes.CONTROL, None)
        multi.pop(codes.VULNERABILITIES, None)
    events = original.events
    if rng.random() < 0.5:
        events = tuple(e for e in events if e.type == "Exploitation")
    country, oblast = _identification(rng, person, agency)
    status, reason = _case_status(rng, on)
    person.registrations.append(
        PlannedRegistration(
            agency=agency,
            username=AGENCY_BY_KEY[agency].registrar,
            variant=variant,
            first_name=first,
            middle_name=middle,
            family_name=family,
            birth=birth,
            identified_on=on,
            identification_country=country,
            identification_oblast=oblast,
            channel=_pick(rng, f.CHANNELS[agency]),
            multi=multi,
            events=events,
            relationship_to_recruiter=(
                original.relationship_to_recruiter if rng.random() < 0.7 else ""
            ),
            status=status,
            closure_reason=reason,
            aliases=_aliases(rng, person, 0.1),
            place_of_stay=_place_of_stay(rng, person) if rng.random() < 0.2 else "",
            consent=_consent(rng, agency, on, child=person.is_child)
            if rng.random() < 0.15
            else None,
        )
    )


def build_plan(seed: int = f.SEED) -> list[PlannedPerson]:
    """Every demo person, numbered in order of first identification, with registrations."""
    rng = random.Random(seed)
    persons: list[PlannedPerson] = []
    periods = [(p, True) for p in f.PERIODS] + [(p, False) for p in f.PARTNER_PERIODS]
    for period, by_iom in periods:
        for draft in _drafts(rng, period, by_iom=by_iom):
            person = _new_person(rng, draft)
            _first_registration(rng, person, draft.identified_on)
            persons.append(person)
    persons.sort(key=lambda p: p.first_identified_on)  # stable: ties keep their drawn order
    for number, person in enumerate(persons, start=1):
        person.number = number
    forced = [p for p in persons if p.first.agency == "mfa"]  # back home, registered again
    others = [p for p in persons if p.first.agency != "mfa"]
    twice = forced + rng.sample(others, round(f.DUPLICATED_SHARE * len(persons)) - len(forced))
    thrice = set(rng.sample(range(len(twice)), round(f.TRIPLICATED_SHARE * len(persons))))
    for index, person in enumerate(twice):
        for _ in range(2 if index in thrice else 1):
            _later_registration(rng, person)
    return persons


def all_registrations(
    persons: Iterable[PlannedPerson],
) -> list[tuple[PlannedPerson, PlannedRegistration]]:
    """Every registration with its person, in the order they happened."""
    rows = [(p, r) for p in persons for r in p.registrations]
    rows.sort(key=lambda row: (row[1].identified_on, row[0].number))
    return rows
