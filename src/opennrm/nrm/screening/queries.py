"""Reads over screenings. Every function takes a queryset the access gate has already scoped."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from opennrm.cases.models import Case
from opennrm.nrm.screening.indicators import INCOMPLETE, PRESUMED_VICTIM
from opennrm.nrm.screening.models import Screening

ATTACHED = "attached"
UNATTACHED = "unattached"

_REFERENCE = re.compile(r"^[0-9a-f]{8}$")


@dataclass(frozen=True)
class ScreeningFilters:
    list_key: str = ""
    outcome: str = ""
    attached: str = ""  # "", ATTACHED or UNATTACHED

    @property
    def is_empty(self) -> bool:
        return not (self.list_key or self.outcome or self.attached)


def filter_screenings(
    screenings: QuerySet[Screening], filters: ScreeningFilters
) -> QuerySet[Screening]:
    if filters.list_key:
        screenings = screenings.filter(
            Q(list_key=filters.list_key) | Q(second_list_key=filters.list_key)
        )
    if filters.outcome:
        screenings = screenings.filter(outcome=filters.outcome)
    if filters.attached == ATTACHED:
        screenings = screenings.filter(case__isnull=False)
    elif filters.attached == UNATTACHED:
        screenings = screenings.filter(case__isnull=True)
    return screenings


def with_list_data(screenings: QuerySet[Screening]) -> QuerySet[Screening]:
    """What a screening list renders, in a fixed number of queries."""
    return screenings.select_related("agency", "screened_by", "case").order_by("-screened_at", "id")


def with_detail_data(screenings: QuerySet[Screening]) -> QuerySet[Screening]:
    return screenings.select_related("agency", "screened_by", "case")


def screenings_of_case(screenings: QuerySet[Screening], case: Case) -> QuerySet[Screening]:
    return with_list_data(screenings.filter(case=case))


def incomplete_screenings(screenings: QuerySet[Screening]) -> QuerySet[Screening]:
    return screenings.filter(outcome=INCOMPLETE)


def presumed_victims_without_case(screenings: QuerySet[Screening]) -> QuerySet[Screening]:
    """Screenings that recommend a referral but are not attached to any case yet."""
    return screenings.filter(outcome=PRESUMED_VICTIM, case__isnull=True)


def case_by_reference(cases: QuerySet[Case], text: str) -> Case | None:
    """A case by its full id or its 8-character reference; None when none or several match."""
    text = text.strip().lower().replace("-", "")
    if len(text) == 32:
        try:
            return cases.filter(id=uuid.UUID(text)).first()
        except ValueError:
            return None
    if not _REFERENCE.match(text):
        return None
    # The reference is the first 8 hex digits: a range of ids (ordered the same way on SQLite,
    # which stores UUIDs as hex text, and on PostgreSQL, which compares them bytewise).
    low, high = uuid.UUID(text + "0" * 24), uuid.UUID(text + "f" * 24)
    found = list(cases.filter(id__gte=low, id__lte=high)[:2])
    return found[0] if len(found) == 1 else None
