"""The register of status applications of one level (receiving office, oblast, national):
filters and sorting over a queryset the gate scoped (`access.lists.register_applications`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, QuerySet

from opennrm.nrm.status import queries
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.models import StatusApplication

OVERDUE, UPCOMING = "overdue", "upcoming"
REGISTER_SORTS: dict[str, str] = {
    "journal": "journal_number",
    "applied": "applied_on",
    "due": "due_on",
    "stage": "state",
    "agency": "receiving_agency__name",
}
DEFAULT_REGISTER_SORT = "-applied"


@dataclass(frozen=True)
class RegisterFilters:
    stage: str = ""
    deadline: str = ""  # OVERDUE, UPCOMING or ""
    oblast: str = ""  # the oblast of the receiving office


def register_sort(value: str) -> str:
    return (
        value
        if value.lstrip("-") in REGISTER_SORTS and value.count("-") <= 1
        else DEFAULT_REGISTER_SORT
    )


def filter_register(
    applications: QuerySet[StatusApplication], filters: RegisterFilters, today: dt.date
) -> QuerySet[StatusApplication]:
    if filters.stage in wf.STATES:
        applications = applications.filter(state=filters.stage)
    if filters.deadline == OVERDUE:
        applications = queries.overdue(applications, today)
    elif filters.deadline == UPCOMING:
        applications = queries.nearing(applications, today)
    if filters.oblast:
        applications = applications.filter(receiving_agency__oblast=filters.oblast)
    return applications


def order_register(
    applications: QuerySet[StatusApplication], sort: str
) -> QuerySet[StatusApplication]:
    sort = register_sort(sort)
    field = F(REGISTER_SORTS[sort.lstrip("-")])
    order = field.desc(nulls_last=True) if sort.startswith("-") else field.asc(nulls_last=True)
    return applications.select_related(
        "case", "receiving_agency", "oblast_agency", "national_agency"
    ).order_by(order, "-created_at", "id")
