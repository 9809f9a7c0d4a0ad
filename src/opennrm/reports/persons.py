"""From registrations to persons: what the indicators count.

``person_facts`` turns the cases in scope into one row per person: the registrations linkage
joins (``linkage.queries.person_clusters_band``) become one person, identified when their
earliest registration was; single-valued facts (sex, age, citizenship, oblasts, agency) come
from that earliest registration, multi-valued ones (forms of exploitation, sectors, countries)
are the union over all of the person's registrations.

The same building blocks (``registrations``, ``build_persons``) make the per-person facts the
worker keeps for national statistics (``reports.facts``), so both give the same persons.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from django.db.models import Q, QuerySet

from opennrm.cases.models import Case, CaseCode, TraffickingEvent
from opennrm.core.codes import CONTROL, LABOUR_INDUSTRY, SEX_EXPLOITATION, UA_EXPLOITATION
from opennrm.linkage.config import band_thresholds
from opennrm.linkage.queries import linked_registrations, person_clusters_band


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date
    oblast: str = ""  # oblast of identification (ISO 3166-2:UA), "" for all
    agency_kind: str = ""  # identifying agency kind, "" for all

    @property
    def narrowed(self) -> bool:
        """Whether the figures are about part of the registrations (an oblast, an agency kind)."""
        return bool(self.oblast or self.agency_kind)


@dataclass
class PersonFacts:
    """One person (a cluster of registrations) in scope."""

    key: str
    first_identified: dt.date
    gender: str
    age: int | None
    age_band: str
    citizenship: str
    origin_oblast: str
    identification_oblast: str
    is_idp: bool
    agency_kind: str
    channel: str
    forms: set[str] = field(default_factory=set)
    industries: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    registrations: int = 0
    # For the CTDC export: methods of control, kinds of sexual exploitation, relationship to
    # the recruiter, the first country of exploitation, the longest exploitation in months.
    means: set[str] = field(default_factory=set)
    sex_types: set[str] = field(default_factory=set)
    relationships: set[str] = field(default_factory=set)
    first_country: str = ""
    exploitation_months: int | None = None
    case_ids: set[str] = field(default_factory=set)  # the registrations (cases) of the person


def group_of(gender: str, age: int | None) -> str:
    """women, men, girls, boys (by sex and age at first identification) or unknown."""
    if gender not in ("Feminine", "Masculine") or age is None:
        return "unknown"
    child = age < 18
    if gender == "Feminine":
        return "girls" if child else "women"
    return "boys" if child else "men"


# The facts a person has one value of, and the sets of codes, that the families count by.
SINGLE_FIELDS: Final = (
    "gender", "age", "age_band", "citizenship", "origin_oblast", "identification_oblast",
    "is_idp", "agency_kind", "channel",
)  # fmt: skip
# The sets of codes the families count by: forms of exploitation, the labour sectors of the
# persons in labour exploitation, countries of exploitation.
CODE_FIELDS: Final = ("forms", "labour_sectors", "countries")
LABOUR: Final = "LabourExploitation"


def codes_of(person: PersonFacts, name: str) -> set[str]:
    """The codes of one of the sets the families count by (``CODE_FIELDS``)."""
    if name == "labour_sectors":  # sectors count among the persons in labour exploitation
        return person.industries if LABOUR in person.forms else set()
    codes: set[str] = getattr(person, name)
    return codes


class Persons(ABC):
    """The persons first identified in the period, as the indicator families count them: a
    list in memory (``ListedPersons``: counted from the cases) or the kept facts, counted in
    the database (``reports.facts.KeptPersons``). Both give the same counts."""

    @abstractmethod
    def count(self) -> int:
        """How many persons."""

    @abstractmethod
    def registrations(self) -> int:
        """How many registrations (cases) the persons are made of."""

    @abstractmethod
    def tally(self, *names: str) -> Counter[tuple[Any, ...]]:
        """Persons by the values of single-valued facts (``SINGLE_FIELDS``), e.g. by
        ``("gender", "age")``: {("Feminine", 34): 12, ...}."""

    @abstractmethod
    def tally_codes(self, name: str) -> Counter[str]:
        """Persons by each code of the set ``name`` (``CODE_FIELDS``; a person counts once in
        each of its codes)."""

    @abstractmethod
    def taking_part(self, case_ids: QuerySet[Any]) -> int:
        """How many persons one of the cases ``case_ids`` (a query of case ids) belongs to."""

    def unchanged(self) -> bool:
        """Whether every count so far read the same persons (a list in memory always does)."""
        return True


class ListedPersons(Persons):
    """The persons as a list in memory (counted from the cases)."""

    def __init__(self, persons: list[PersonFacts]) -> None:
        self.persons = persons

    def count(self) -> int:
        return len(self.persons)

    def registrations(self) -> int:
        return sum(p.registrations for p in self.persons)

    def tally(self, *names: str) -> Counter[tuple[Any, ...]]:
        _check(names, SINGLE_FIELDS)
        return Counter(tuple(getattr(p, name) for name in names) for p in self.persons)

    def tally_codes(self, name: str) -> Counter[str]:
        _check((name,), CODE_FIELDS)
        counts: Counter[str] = Counter()
        for person in self.persons:
            counts.update(codes_of(person, name))
        return counts

    def taking_part(self, case_ids: QuerySet[Any]) -> int:
        taking_part = {str(case_id) for case_id in case_ids}
        return sum(1 for person in self.persons if person.case_ids & taking_part)


def _check(names: Iterable[str], allowed: tuple[str, ...]) -> None:
    unknown = [name for name in names if name not in allowed]
    if unknown:
        raise ValueError(f"not a fact the families count by: {unknown}")


@dataclass(frozen=True)
class Band:
    """Persons first identified in the period if linkage took more pairs as matches (the lower
    threshold: fewer persons) or fewer (the higher threshold: more persons)."""

    at_lower: int
    at_higher: int
    thresholds: tuple[float, float, float]


CASES_AT_A_TIME = 2_000  # case ids per query of their codes and exploitations
Span = tuple[dt.date | None, dt.date | None, str]  # an exploitation: from, to, country


@dataclass
class Registrations:
    """What the persons are built from: one row per case, with its codes and exploitations."""

    rows: list[Any]  # dicts of the values below
    codes: dict[object, dict[str, set[str]]]
    countries: dict[object, set[str]]
    events: dict[object, list[Span]]


def filtered(cases: QuerySet[Case], filters: Filters) -> QuerySet[Case]:
    if filters.oblast:
        cases = cases.filter(identification_oblast=filters.oblast)
    if filters.agency_kind:
        cases = cases.filter(identifying_agency__kind=filters.agency_kind)
    return cases


def registrations(cases: QuerySet[Case]) -> Registrations:
    """The rows, codes and exploitations of ``cases`` (a few queries, whatever their number)."""
    rows = list(
        cases.order_by().values(
            "id",
            "person_id",
            "identified_on",
            "identification_oblast",
            "identifying_agency__kind",
            "channel",
            "age_at_identification",
            "age_band",
            "person__gender",
            "person__citizenships",
            "person__origin_oblast",
            "person__is_idp",
            "relationship_to_recruiter",
        )
    )
    # By the cases' ids, a chunk at a time: the index on the case, never a scan of every code.
    case_ids = [row["id"] for row in rows]
    codes: dict[object, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    countries: dict[object, set[str]] = defaultdict(set)
    events: dict[object, list[Span]] = defaultdict(list)
    for start in range(0, len(case_ids), CASES_AT_A_TIME):
        chunk = case_ids[start : start + CASES_AT_A_TIME]
        for case_id, list_name, code in CaseCode.objects.filter(
            case_id__in=chunk,
            list__in=[UA_EXPLOITATION, LABOUR_INDUSTRY, CONTROL, SEX_EXPLOITATION],
        ).values_list("case_id", "list", "code"):
            codes[case_id][list_name].add(code)
        for case_id, country, started, ended in TraffickingEvent.objects.filter(
            case_id__in=chunk, type="Exploitation"
        ).values_list("case_id", "country", "started_on", "ended_on"):
            if country:
                countries[case_id].add(country)
            events[case_id].append((started, ended, country))
    return Registrations(rows, codes, countries, events)


def first_seen(found: Registrations) -> dict[str, dt.date]:
    """Each person id's earliest identification among the registrations."""
    firsts: dict[str, dt.date] = {}
    for row in found.rows:
        pid, day = str(row["person_id"]), row["identified_on"]
        firsts[pid] = min(day, firsts.get(pid, day))
    return firsts


def cluster_firsts(mapping: dict[str, str], firsts: dict[str, dt.date]) -> dict[str, dt.date]:
    """Each cluster's first identification (the earliest of its persons')."""
    days: dict[str, dt.date] = {}
    for pid, cluster in mapping.items():
        if pid in firsts:
            day = firsts[pid]
            days[cluster] = min(day, days.get(cluster, day))
    return days


def build_persons(found: Registrations, clusters: dict[str, str]) -> list[PersonFacts]:
    """One ``PersonFacts`` per cluster of the registrations' persons (``clusters``: person id to
    its cluster's name)."""
    by_cluster: dict[str, list[Any]] = defaultdict(list)
    for row in found.rows:
        by_cluster[clusters[str(row["person_id"])]].append(row)
    persons = []
    for key, rows in by_cluster.items():
        rows.sort(key=lambda r: (r["identified_on"], str(r["id"])))
        first = rows[0]
        citizenships = first["person__citizenships"] or []
        facts = PersonFacts(
            key=key,
            first_identified=first["identified_on"],
            gender=str(first["person__gender"]),
            age=first["age_at_identification"],
            age_band=str(first["age_band"] or ""),
            citizenship=str(citizenships[0]) if citizenships else "",
            origin_oblast=str(first["person__origin_oblast"] or ""),
            identification_oblast=str(first["identification_oblast"] or ""),
            is_idp=any(bool(r["person__is_idp"]) for r in rows),
            agency_kind=str(first["identifying_agency__kind"] or ""),
            channel=str(first["channel"] or ""),
            registrations=len(rows),
        )
        spans: list[Span] = []
        for registration in rows:
            facts.case_ids.add(str(registration["id"]))
            case_codes = found.codes.get(registration["id"], {})
            facts.forms |= case_codes.get(UA_EXPLOITATION, set())
            facts.industries |= case_codes.get(LABOUR_INDUSTRY, set())
            facts.means |= case_codes.get(CONTROL, set())
            facts.sex_types |= case_codes.get(SEX_EXPLOITATION, set())
            facts.countries |= found.countries.get(registration["id"], set())
            if registration["relationship_to_recruiter"]:
                facts.relationships.add(str(registration["relationship_to_recruiter"]))
            spans.extend(found.events.get(registration["id"], []))
        dated = sorted((s for s in spans if s[2]), key=lambda s: (s[0] or dt.date.max, s[2]))
        facts.first_country = dated[0][2] if dated else ""
        months = [
            (end.year - start.year) * 12 + end.month - start.month
            for start, end, _country in spans
            if start and end
        ]
        facts.exploitation_months = max(months) if months else None
        persons.append(facts)
    return persons


def person_facts(cases: QuerySet[Case], filters: Filters) -> tuple[list[PersonFacts], Band]:
    """Persons of the cases in scope (after the oblast and agency-kind filters), and how many
    of them fall in the period at the band's thresholds."""
    cases = filtered(cases, filters)
    # Only the persons first identified in the period can count: the registrations of the
    # period, and those linkage may join to them (earlier ones decide the first
    # identification, later ones add to what is known of the person).
    period_cases = cases.filter(identified_on__range=(filters.start, filters.end))
    linked = sorted(linked_registrations(period_cases.values_list("person_id", flat=True)))
    scope = Q(person_id__in=period_cases.values("person_id"))
    for start in range(0, len(linked), 500):
        scope |= Q(person_id__in=linked[start : start + 500])
    found = registrations(cases.filter(scope))
    firsts = first_seen(found)
    lower, clusters, higher = person_clusters_band(sorted(firsts))

    def in_period(mapping: dict[str, str]) -> int:
        days = cluster_firsts(mapping, firsts).values()
        return sum(1 for day in days if filters.start <= day <= filters.end)

    band = Band(in_period(lower), in_period(higher), band_thresholds())
    return build_persons(found, clusters), band


def in_period(persons: Iterable[PersonFacts], filters: Filters) -> list[PersonFacts]:
    """The persons first identified in the period, in the order of their keys."""
    chosen = [p for p in persons if filters.start <= p.first_identified <= filters.end]
    chosen.sort(key=lambda p: p.key)
    return chosen
