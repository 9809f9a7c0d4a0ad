"""Per-person facts kept for national statistics, so that a first visit to the dashboard does not
count a million registrations again.

``refresh`` (run by the worker every ``OPENNRM_STATS_FACTS_SECONDS``, ``reports/tasks.py``)
keeps one row per person (``PersonFact``: the registrations linkage joins at the match
threshold, with what the indicators count), the persons at the band's lower and higher
thresholds (``PersonFactBand``) and which kept person each registered person belongs to
(``PersonFactMember``). It builds them with the same code as the count from the cases
(``reports.persons``), so both give the same persons.

What changed is read from the audit trail: the writes to what the persons are made of are
audited with the case or person they name (``PERSON_ACTIONS``: a registration, a change of a
case and its person, an erasure; ``PAIR_ACTIONS``: a pair decided, merged, unmerged), so the
events after the facts' cursor name the persons to build again, with every person linkage joins
to them now or joined before. A finished linkage run or new band thresholds build everything
again, and so does the first refresh of each day (``OPENNRM_STATS_FACTS_FULL_HOURS``), which
mends whatever a missed event left. Other writes (referrals, services, notes, status steps)
leave the facts current.

``persons_to_count`` (the indicators) and ``persons_in_period`` (the CTDC extract, one row per
person) answer from the kept facts only when they are current (no change after the cursor) and
the figures are national over every registration (no oblast or agency-kind filter); otherwise
they count from the cases, as before. A figure is never older than the data. From the kept
facts the families count in the database (``KeptPersons``: a ``GROUP BY`` per table over
``PersonFact`` and ``PersonFactCode``, the codes of each person's sets), without reading the
persons.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.core.bulk import insert_rows
from opennrm.linkage import queries
from opennrm.linkage.config import band_thresholds, corroboration_threshold
from opennrm.linkage.engine.clusters import MATCH_SUPPORT, OUTRIGHT
from opennrm.linkage.models import CandidatePair
from opennrm.linkage.queries import counted_as_one, linked_registrations, person_clusters_band
from opennrm.reports.models import (
    FactsState,
    PersonFact,
    PersonFactBand,
    PersonFactCode,
    PersonFactMember,
)
from opennrm.reports.persons import (
    CODE_FIELDS,
    SINGLE_FIELDS,
    Band,
    Filters,
    ListedPersons,
    PersonFacts,
    Persons,
    build_persons,
    cluster_firsts,
    codes_of,
    first_seen,
    in_period,
    person_facts,
    registrations,
)

# The audit actions of the writes to what ``reports.persons`` reads, with the case or person
# they name: a registration (case, person, codes, exploitations), its changes
# (``cases.services.update_case``: the case, its person, codes and exploitations), an erasure.
# Other writes to cases (referrals, services, notes, status steps) change nothing the facts
# hold and leave them current. A new service that writes what ``reports.persons`` reads is
# audited with one of these (or is added here); the day's full build mends a missed one.
PERSON_ACTIONS: Final = ("case.registered", "case.changed", "person.erased")
# Audit actions after which everything is built again (every pair may have changed).
FULL_ACTIONS: Final = ("linkage.run_finished",)
# Audit actions on a candidate pair (object id): its two persons are built again.
PAIR_ACTIONS: Final = ("linkage.decided", "linkage.merged", "linkage.unmerged")
# Beyond this many changed persons, building everything is quicker than building each.
MOST_CHANGED: Final = 5_000
# Persons built at a time (their cases, codes and exploitations in memory together).
CHUNK: Final = 5_000
# The columns of a kept person: the fields of ``PersonFacts``, in their order (``read`` builds
# the persons from them by position; tests/reports/test_facts.py checks the order).
FACT_FIELDS: Final = (
    "key", "first_identified", "gender", "age", "age_band", "citizenship", "origin_oblast",
    "identification_oblast", "is_idp", "agency_kind", "channel", "forms", "industries",
    "countries", "registrations", "means", "sex_types", "relationships", "first_country",
    "exploitation_months", "case_ids",
)  # fmt: skip
# The sets among them (kept as text).
SET_FIELDS: Final = (
    "forms", "industries", "countries", "means", "sex_types", "relationships", "case_ids",
)  # fmt: skip
SEPARATOR: Final = "|"  # between the codes of a set (codes never hold it)
LOWER, HIGHER = PersonFactBand.Threshold.LOWER, PersonFactBand.Threshold.HIGHER


@dataclass(frozen=True)
class Refreshed:
    mode: str  # "full", "changes" or "none"
    persons: int  # persons (re)built
    events: int  # audit events read
    seconds: float

    def __str__(self) -> str:
        return (
            f"{self.mode}: {self.persons} persons from {self.events} events in {self.seconds:.1f} s"
        )


def _text(values: set[str]) -> str:
    return SEPARATOR.join(sorted(values))


def _changes() -> Q:
    return Q(action__in=PERSON_ACTIONS + FULL_ACTIONS + PAIR_ACTIONS)


def _thresholds() -> list[float]:
    """The thresholds the kept persons depend on: the band's, the corroboration threshold, the
    support a match needs across groups and the threshold from which it needs none (facts kept
    before these were counted, with four values, are built again)."""
    values = (*band_thresholds(), corroboration_threshold(), MATCH_SUPPORT, OUTRIGHT)
    return [float(t) for t in values]


# The layout of the kept facts: raised whenever what a build writes changes (a table, a list
# of codes), so that facts built before (or by a worker still running older code after an
# upgrade, which leaves `FactsState.format` as it was) are built again before they are read.
FORMAT: Final = 1


def current() -> FactsState | None:
    """The facts' state when they answer for the data as it is now, else None."""
    state = FactsState.objects.filter(id=1, built=True, format=FORMAT).first()
    if state is None or state.thresholds != _thresholds():
        return None
    if AuditEvent.objects.filter(seq__gt=state.seq).filter(_changes()).exists():
        return None
    return state


def held_apart(pairs: QuerySet[CandidatePair]) -> QuerySet[CandidatePair] | None:
    """Those of ``pairs`` whose two registrations the count at the match threshold takes as two
    persons, read from the kept facts (the kept person of each registration, in the database);
    None when the facts are not current. The review queue lists with it the matches that the
    pairs across did not bear out (``engine.clusters.corroborated``)."""
    if current() is None:
        return None

    def kept(end: str) -> Subquery:
        return Subquery(
            PersonFactMember.objects.filter(person_id=OuterRef(end)).values("match")[:1]
        )

    return (
        pairs.annotate(left_kept=kept("left_id"), right_kept=kept("right_id"))
        .filter(left_kept__isnull=False, right_kept__isnull=False)
        .exclude(left_kept=F("right_kept"))
    )


# Above this many undecided matches the held-apart ones are read from the kept facts only (the
# worker keeps them current within minutes): counting them on demand clusters their groups.
HELD_APART_ON_DEMAND: Final = 5_000


def review_queue(
    *, show: str = "", min_probability: float | None = None, max_probability: float | None = None
) -> QuerySet[CandidatePair] | None:
    """``linkage.queries.review_queue``, with "held_apart" narrowed to the matches the count
    takes as two persons: from the kept facts (``held_apart``), or counted on demand
    (``counted_as_one``) when they are not current and the undecided matches are at most
    ``HELD_APART_ON_DEMAND``; None when neither (the count is being brought up to date)."""
    pairs = queries.review_queue(
        show=show, min_probability=min_probability, max_probability=max_probability
    )
    if show != "held_apart":
        return pairs
    held = held_apart(pairs)
    if held is not None:
        return held
    if pairs.count() <= HELD_APART_ON_DEMAND:
        return pairs.exclude(id__in=counted_as_one(pairs))
    return None


def read(filters: Filters) -> tuple[list[PersonFacts], Band] | None:
    """The persons first identified in the period, from the kept facts (None when they are
    not current)."""
    if current() is None:
        return None
    period = (filters.start, filters.end)
    sets = [FACT_FIELDS.index(name) for name in SET_FIELDS]
    persons = []
    # Tuples, the sets split inline: 43,000 persons a national year at a million cases.
    for values in (
        PersonFact.objects.filter(first_identified__range=period)
        .order_by("key")
        .values_list(*FACT_FIELDS)
    ):
        row = list(values)
        for index in sets:
            text = row[index]
            row[index] = set(text.split(SEPARATOR)) if text else set()
        persons.append(PersonFacts(*row))
    return persons, _band(filters)


def _band(filters: Filters) -> Band:
    bands = PersonFactBand.objects.filter(first_identified__range=(filters.start, filters.end))
    return Band(
        bands.filter(threshold=LOWER).count(),
        bands.filter(threshold=HIGHER).count(),
        band_thresholds(),
    )


def persons_in_period(
    cases: QuerySet[Case], filters: Filters, *, national: bool = False
) -> tuple[list[PersonFacts], Band]:
    """The persons first identified in the period (by key) and the count's band: from the kept
    facts when ``cases`` is every case (``national``), no filter narrows them and the facts are
    current; else counted from ``cases``. Each person in memory: for the CTDC extract (one
    row per person); the indicators count with ``persons_to_count``."""
    if national and not filters.narrowed:
        kept = read(filters)
        if kept is not None:
            return kept
    everyone, band = person_facts(cases, filters)
    return in_period(everyone, filters), band


def persons_to_count(
    cases: QuerySet[Case], filters: Filters, *, national: bool = False
) -> tuple[Persons, Band]:
    """The persons first identified in the period and the count's band, as the indicator
    families count them: the kept facts counted in the database (``KeptPersons``) when
    ``cases`` is every case (``national``), no filter narrows them and the facts are current;
    else the persons counted from ``cases``, in memory."""
    if national and not filters.narrowed and (state := current()) is not None:
        return KeptPersons(filters, cases, state), _band(filters)
    everyone, band = person_facts(cases, filters)
    return ListedPersons(in_period(everyone, filters)), band


# The single-valued facts counted together: one scan of the period's rows per group, whose
# combinations are few (a few thousand at most: sex, age, citizenship; the two oblasts; the
# agency kind and channel); each table is summed from them.
TOGETHER: Final = (
    ("gender", "age", "age_band", "citizenship", "is_idp"),
    ("origin_oblast", "identification_oblast"),
    ("agency_kind", "channel"),
)


class KeptPersons(Persons):
    """The kept persons first identified in the period, counted in the database: a
    ``GROUP BY`` over the period's rows of ``PersonFact`` (single-valued facts, a group of them
    at a time, ``TOGETHER``) or ``PersonFactCode`` (a set's codes); no person is read into
    memory. Each count is asked once. Only while the facts are current; the counts are
    separate statements, so ``unchanged`` says afterwards whether a refresh came between them."""

    def __init__(self, filters: Filters, cases: QuerySet[Case], state: FactsState) -> None:
        self.period = (filters.start, filters.end)
        self.built = (state.seq, state.refreshed_at)  # the facts counted
        self.cases = cases  # every case (national scope): the cases of ``taking_part``
        # A group of facts: persons by their values; and the registrations of them all.
        self._together: dict[tuple[str, ...], Counter[tuple[Any, ...]]] = {}
        self._registrations = 0
        self._codes_counted: dict[str, Counter[str]] = {}

    def _persons(self) -> QuerySet[PersonFact]:
        return PersonFact.objects.filter(first_identified__range=self.period).order_by()

    def _codes(self, name: str) -> QuerySet[PersonFactCode]:
        if name not in CODE_FIELDS:
            raise ValueError(f"not a set the families count by: {name}")
        return PersonFactCode.objects.filter(
            list=name, first_identified__range=self.period
        ).order_by()

    def _counted_together(self, group: tuple[str, ...]) -> Counter[tuple[Any, ...]]:
        """Persons by the values of the group's facts."""
        if group not in self._together:
            rows = list(
                self._persons()
                .values_list(*group)
                .annotate(n=Count("*"), registrations=Sum("registrations"))
            )
            self._together[group] = Counter({tuple(row[:-2]): row[-2] for row in rows})
            self._registrations = sum(row[-1] for row in rows)
        return self._together[group]

    def count(self) -> int:
        return sum(self._counted_together(TOGETHER[0]).values())

    def registrations(self) -> int:
        self._counted_together(TOGETHER[0])
        return self._registrations

    def unchanged(self) -> bool:
        """Whether the facts are still those counted (a refresh is one transaction that moves
        the state: unchanged now, every count read the same facts)."""
        state = FactsState.objects.filter(id=1).values_list("seq", "refreshed_at").first()
        return state == self.built

    def tally(self, *names: str) -> Counter[tuple[Any, ...]]:
        unknown = [name for name in names if name not in SINGLE_FIELDS]
        if unknown:
            raise ValueError(f"not a fact the families count by: {unknown}")
        group = next((g for g in TOGETHER if set(names) <= set(g)), None)
        if group is None:  # a family counting facts of two groups together: add a group
            raise ValueError(f"no group of kept facts holds {list(names)} together")
        where = [group.index(name) for name in names]
        counts: Counter[tuple[Any, ...]] = Counter()
        for values, n in self._counted_together(group).items():
            counts[tuple(values[i] for i in where)] += n
        return counts

    def tally_codes(self, name: str) -> Counter[str]:
        if name not in self._codes_counted:
            codes = self._codes(name).values_list("code").annotate(n=Count("*"))
            self._codes_counted[name] = Counter(dict(codes))
        return self._codes_counted[name]

    def taking_part(self, case_ids: QuerySet[Any]) -> int:
        # A kept person's cases are those of its registered persons (PersonFactMember.match).
        # The kept persons of those cases first, then those of the period among them: no join
        # whose plan hangs on the facts' planner statistics (stale right after a full build).
        persons = self.cases.filter(id__in=case_ids).values("person_id")
        keys = sorted(
            set(
                PersonFactMember.objects.filter(person_id__in=persons).values_list(
                    "match", flat=True
                )
            )
        )
        return sum(self._persons().filter(key__in=chunk).count() for chunk in _chunks(keys, 500))


# --- Refresh (the worker) ---------------------------------------------------------------------


def refresh(*, full: bool = False) -> Refreshed:
    """Bring the kept facts up to the audit trail's head: build again the persons changed
    since the cursor, or everything (``full``, first build, new thresholds, a finished linkage
    run, a changed agency, the day's first refresh, or very many changes). All or nothing."""
    started = time.perf_counter()
    with transaction.atomic():
        state, _created = FactsState.objects.select_for_update().get_or_create(id=1)
        # The head is read before the data: a change audited after it is built next time.
        head = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        hours = float(settings.OPENNRM_STATS_FACTS_FULL_HOURS)
        due = state.full_at is None or timezone.now() - state.full_at >= dt.timedelta(hours=hours)
        full = (
            full
            or due
            or not state.built
            or state.format != FORMAT
            or state.thresholds != _thresholds()
        )
        events = (
            []
            if full
            else list(
                AuditEvent.objects.filter(seq__gt=state.seq, seq__lte=head)
                .filter(_changes())
                .values_list("action", "object_type", "object_id")
            )
        )
        touched = None if full else _touched(events)
        if touched is None:
            persons = _build_everything()
            state.full_at = timezone.now()
            mode = "full"
        else:
            persons = _build_again(touched) if touched else 0
            mode = "changes" if touched else "none"
        if touched is None:
            state.format = FORMAT
        state.built, state.seq, state.thresholds = True, head, _thresholds()
        state.refreshed_at = timezone.now()
        state.persons = PersonFact.objects.count()
        seconds = time.perf_counter() - started
        if mode == "full":
            state.last_full_seconds = seconds
        state.save()
    return Refreshed(mode, persons, len(events), seconds)


def _touched(events: Iterable[tuple[str, str, str]]) -> set[str] | None:
    """The person ids the events changed; None when everything must be built again."""
    persons: set[str] = set()
    case_ids: set[str] = set()
    pair_ids: set[str] = set()
    for action, object_type, object_id in events:
        if action in FULL_ACTIONS:
            return None
        if action in PAIR_ACTIONS:
            pair_ids.add(object_id)
        elif object_type == "person" and object_id:
            persons.add(object_id)
        elif object_type == "case" and object_id:
            case_ids.add(object_id)
        if len(persons) + len(case_ids) + 2 * len(pair_ids) > MOST_CHANGED:
            return None
    found = 0
    for chunk in _chunks(sorted(case_ids), 500):
        rows = list(Case.objects.filter(id__in=chunk).values_list("person_id", flat=True))
        found += len(rows)
        persons |= {str(pid) for pid in rows}
    if found < len(case_ids):
        return None  # a case is gone (erased): its person is not known any more
    for chunk in _chunks(sorted(pair_ids), 500):
        for left, right in CandidatePair.objects.filter(id__in=chunk).values_list(
            "left_id", "right_id"
        ):
            persons |= {str(left), str(right)}
    return persons


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


KEPT: Final = (PersonFact, PersonFactCode, PersonFactBand, PersonFactMember)


def _build_everything() -> int:
    for model in KEPT:
        model.objects.all().delete()
    firsts = {
        str(pid): day
        for pid, day in Case.objects.values_list("person_id")
        .annotate(first=Min("identified_on"))
        .order_by()
    }
    return _write(sorted(firsts), firsts)


def _build_again(touched: set[str]) -> int:
    """Build again the persons of ``touched`` with every person linkage joins to them now, or
    joined to them when they were last built (a link may have gone)."""
    component = set(touched)
    while True:
        before = _members_with_old_keys(component)
        grown = component | before | linked_registrations(sorted(component))
        if grown == component:
            break
        if len(grown) > 2 * MOST_CHANGED:
            return _build_everything()
        component = grown
    ids = sorted(component)
    old = list(
        PersonFactMember.objects.filter(person_id__in=ids).values_list("lower", "match", "higher")
    )
    PersonFact.objects.filter(key__in={m for _l, m, _h in old}).delete()
    PersonFactCode.objects.filter(key__in={m for _l, m, _h in old}).delete()
    PersonFactBand.objects.filter(threshold=LOWER, key__in={lo for lo, _m, _h in old}).delete()
    PersonFactBand.objects.filter(threshold=HIGHER, key__in={h for _l, _m, h in old}).delete()
    PersonFactMember.objects.filter(person_id__in=ids).delete()
    return _write(ids)


def _members_with_old_keys(persons: set[str]) -> set[str]:
    """The persons kept in the same person (at the lower threshold) as any of ``persons``."""
    ids = sorted(persons)
    keys = set()
    for chunk in _chunks(ids, 500):
        keys |= set(
            PersonFactMember.objects.filter(person_id__in=chunk).values_list("lower", flat=True)
        )
    members: set[str] = set()
    for chunk in _chunks(sorted(keys), 500):
        members |= {
            str(pid)
            for pid in PersonFactMember.objects.filter(lower__in=chunk).values_list(
                "person_id", flat=True
            )
        }
    return members


def _write(ids: list[str], firsts: dict[str, dt.date] | None = None) -> int:
    """Build the persons of ``ids`` (closed under linkage) in chunks of whole persons; the
    number of persons written. ``firsts`` (each person's first identification): the persons
    are written in the order of their first identification, so that a period's rows lie
    together in the tables (a period is read in a few pages, not a few of every page)."""
    lower, match, higher = person_clusters_band(ids)
    groups: dict[str, list[str]] = defaultdict(list)
    for pid in ids:
        groups[lower[pid]].append(pid)
    ordered = list(groups.values())
    if firsts is not None:
        ordered.sort(key=lambda members: min(firsts[pid] for pid in members))
    written = 0
    chunk: list[str] = []
    for members in ordered:
        chunk.extend(members)
        if len(chunk) >= CHUNK:
            written += _write_chunk(chunk, lower, match, higher)
            chunk = []
    if chunk:
        written += _write_chunk(chunk, lower, match, higher)
    return written


def _write_chunk(
    ids: list[str], lower: dict[str, str], match: dict[str, str], higher: dict[str, str]
) -> int:
    found = registrations(Case.objects.filter(person_id__in=[uuid.UUID(pid) for pid in ids]))
    firsts = first_seen(found)
    persons = build_persons(found, {pid: match[pid] for pid in firsts})
    persons.sort(key=lambda p: (p.first_identified, p.key))
    insert_rows(
        PersonFact,
        FACT_FIELDS,
        (
            tuple(
                _text(getattr(p, name)) if name in SET_FIELDS else getattr(p, name)
                for name in FACT_FIELDS
            )
            for p in persons
        ),
        copy=True,
    )
    insert_rows(
        PersonFactCode,
        ("key", "list", "code", "first_identified"),
        (
            (p.key, name, code, p.first_identified)
            for p in persons
            for name in CODE_FIELDS
            for code in sorted(codes_of(p, name))
        ),
        copy=True,
    )
    insert_rows(
        PersonFactBand,
        ("threshold", "key", "first_identified"),
        (
            (threshold, key, day)
            for threshold, mapping in ((LOWER, lower), (HIGHER, higher))
            for key, day in cluster_firsts({p: mapping[p] for p in firsts}, firsts).items()
        ),
        copy=True,
    )
    insert_rows(
        PersonFactMember,
        ("person", "lower", "match", "higher"),
        ((uuid.UUID(pid), lower[pid], match[pid], higher[pid]) for pid in firsts),
        copy=True,
    )
    return len(persons)
