"""Reads over cases. Every function takes a queryset the access gate has already scoped."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from opennrm.cases.models import Case, CaseCode
from opennrm.core import codes
from opennrm.people.identity import NAME_FIELDS, name_digests
from opennrm.people.models import PersonSearchKey


@dataclass(frozen=True)
class CaseFilters:
    q: str = ""
    status: str = ""
    exploitation: str = ""
    oblast: str = ""
    identified_from: dt.date | None = None
    identified_to: dt.date | None = None

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
            )
        )


# Above this many matching persons the ids stay in a subquery (SQLite's parameter limit).
MAX_PERSON_IDS = 10_000


def search_by_name(cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """Cases whose person has every token of `text` (Cyrillic or Latin, any order) in a name.

    The matching persons are looked up first, one query per token, and intersected: the
    planner then starts from a short list of persons instead of walking the agency's cases
    (benchmarks/README.md). A very common token keeps the subquery form.
    """
    digest_sets = name_digests(text)
    if not digest_sets:
        return cases.none()
    person_ids: set[uuid.UUID] | None = None
    for digests in digest_sets:
        keys = PersonSearchKey.objects.filter(field__in=NAME_FIELDS, digest__in=sorted(digests))
        found = set(keys.values_list("person_id", flat=True)[: MAX_PERSON_IDS + 1])
        if len(found) > MAX_PERSON_IDS:
            cases = cases.filter(person_id__in=keys.values("person_id"))
            continue
        person_ids = found if person_ids is None else person_ids & found
        if not person_ids:
            return cases.none()
    if person_ids is not None:
        cases = cases.filter(person_id__in=sorted(person_ids))
    return cases


def filter_cases(cases: QuerySet[Case], filters: CaseFilters) -> QuerySet[Case]:
    if filters.q.strip():
        cases = search_by_name(cases, filters.q)
    if filters.status:
        cases = cases.filter(status=filters.status)
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
