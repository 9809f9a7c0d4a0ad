"""Reads over cases. Every function takes a queryset the access gate has already scoped."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as Conditional
from django.db.models import DateField, F, Prefetch, Q, QuerySet, Value, When

from opennrm.cases.models import Case, CaseCode
from opennrm.core import codes, name_keys
from opennrm.people.identity import NAME_FIELDS, SEARCH_KEY_FIELDS, name_digests, name_query
from opennrm.people.models import PersonSearchKey


@dataclass(frozen=True)
class CaseFilters:
    q: str = ""
    status: str = ""  # a case status, or OPEN (any status but the closed ones)
    exploitation: str = ""
    oblast: str = ""
    identified_from: dt.date | None = None
    identified_to: dt.date | None = None
    caseworker_id: Any = None  # only the cases of this caseworker ("my cases")

    @property
    def filters_facts(self) -> bool:
        """Whether a filter reads the facts of the case (a data category of its own)."""
        return bool(self.exploitation or self.oblast or self.identified_from or self.identified_to)

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.q,
                self.status,
                self.exploitation,
                self.oblast,
                self.identified_from,
                self.identified_to,
                self.caseworker_id,
            )
        )


# The status filter's value for every case still open (active or in follow-up).
OPEN = "open"

# Above this many matching persons the ids stay in a subquery (SQLite's parameter limit).
MAX_PERSON_IDS = 10_000


def search_by_name(cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """Cases whose person has every token of `text` (Cyrillic or Latin, any order) in a name.

    A token matches as written, in any transliteration, as an equivalent given name or as the
    beginning of a name (`core.name_keys`); `name_matches` says how, for the rows shown.

    The matching persons are looked up first, one query per token, and intersected: the
    planner then starts from a short list of persons instead of walking the agency's cases
    (benchmarks/README.md). A very common token keeps the subquery form.
    """
    digest_sets = name_digests(text)
    if not digest_sets:
        return cases.none()
    person_ids: set[uuid.UUID] | None = None
    for digests in digest_sets:
        keys = PersonSearchKey.objects.filter(
            field__in=SEARCH_KEY_FIELDS, digest__in=sorted(digests)
        )
        # Persons, not rows: a token matches several of a person's rows (its kinds of key).
        found = set(keys.values_list("person_id", flat=True).distinct()[: MAX_PERSON_IDS + 1])
        if len(found) > MAX_PERSON_IDS:
            cases = cases.filter(person_id__in=keys.values("person_id"))
            continue
        person_ids = found if person_ids is None else person_ids & found
        if not person_ids:
            return cases.none()
    if person_ids is not None:
        cases = cases.filter(person_id__in=sorted(person_ids))
    return cases


@dataclass(frozen=True)
class NameMatch:
    """How one token of a name search matched a person: the name field and the kind of key."""

    field: str
    kind: str


def name_matches(text: str, person_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[NameMatch]]:
    """For each person found by `search_by_name(text)`, how each token matched (the best kind,
    then the first field), without repeats. One query, over the persons of the page shown."""
    tokens = name_query(text)
    every = {digest: match for digests in tokens for digest, match in digests.items()}
    if not person_ids or not every:
        return {}
    rows = PersonSearchKey.objects.filter(
        person_id__in=sorted(set(person_ids)), digest__in=sorted(every)
    ).values_list("person_id", "digest")
    held: dict[uuid.UUID, set[int]] = {}
    for person_id, digest in rows:
        held.setdefault(person_id, set()).add(digest)
    rank = {kind: i for i, kind in enumerate(name_keys.KINDS)}
    order = {name: i for i, name in enumerate(NAME_FIELDS)}
    found: dict[uuid.UUID, list[NameMatch]] = {}
    for person_id, digests in held.items():
        matches: list[NameMatch] = []
        for token in tokens:
            hits = [token[d] for d in digests if d in token]
            if not hits:
                continue
            name, kind = min(hits, key=lambda hit: (rank[hit[1]], order[hit[0]]))
            if (match := NameMatch(name, kind)) not in matches:
                matches.append(match)
        found[person_id] = matches
    return found


def filter_cases(cases: QuerySet[Case], filters: CaseFilters) -> QuerySet[Case]:
    if filters.q.strip():
        cases = search_by_name(cases, filters.q)
    if filters.status == OPEN:
        cases = cases.exclude(status__in=codes.CLOSED_STATUSES)
    elif filters.status:
        cases = cases.filter(status=filters.status)
    if filters.caseworker_id is not None:
        cases = cases.filter(caseworker_id=filters.caseworker_id)
    if filters.exploitation:
        cases = cases.filter(
            id__in=CaseCode.objects.filter(
                list=codes.EXPLOITATION, code=filters.exploitation
            ).values("case_id")
        )
    if filters.oblast:
        cases = cases.filter(identification_oblast=filters.oblast)
    if filters.identified_from:
        cases = cases.filter(identified_on__gte=filters.identified_from)
    if filters.identified_to:
        cases = cases.filter(identified_on__lte=filters.identified_to)
    return cases


# The sortable columns of the case list: key -> the field ordered by. Names are encrypted
# (each row under its own key), so the list cannot sort by name without decrypting every
# match; it sorts by the reference, the date of identification, the status and the agency.
CASE_SORTS: dict[str, str] = {
    "reference": "id",  # the reference is the start of the id
    "identified": "sort_identified",
    "status": "status",
    "agency": "owner_agency__name",
}
DEFAULT_CASE_SORT = "-identified"


def case_sort(value: str) -> str:
    """A sort key from the whitelist (`key` or `-key`), else the default."""
    return value if value.lstrip("-") in CASE_SORTS and value.count("-") <= 1 else DEFAULT_CASE_SORT


def order_cases(cases: QuerySet[Case], sort: str, *, facts_shown: Q) -> QuerySet[Case]:
    """`cases` in the order of `sort` (see `case_sort`). A date of identification sorts only
    where `facts_shown` (the gate's condition on the case facts) holds; elsewhere it counts as
    unknown and sorts last, so the order tells nothing of a date the actor may not see."""
    sort = case_sort(sort)
    field = CASE_SORTS[sort.lstrip("-")]
    if field == "sort_identified":
        cases = cases.annotate(
            sort_identified=Conditional(
                When(facts_shown, then=F("identified_on")),
                default=Value(None),
                output_field=DateField(),
            )
        )
    order = (
        F(field).desc(nulls_last=True) if sort.startswith("-") else F(field).asc(nulls_last=True)
    )
    return cases.order_by(order, "-created_at", "id")


def with_list_data(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What a case list renders, in a fixed number of queries."""
    # Only what the list shows: joining more tables makes SQLite sort every row (benchmarks).
    return cases.select_related("person", "owner_agency").prefetch_related(
        Prefetch("codes", queryset=CaseCode.objects.order_by("list", "code"))
    )


def with_detail_data(cases: QuerySet[Case]) -> QuerySet[Case]:
    return (
        with_list_data(cases)
        .select_related("caseworker", "identifying_agency")
        .prefetch_related("events", "consents__recipient")
    )
