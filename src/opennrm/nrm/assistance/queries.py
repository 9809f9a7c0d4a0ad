"""Reads over assistance: the provider search, a case's services, process measures, what is late.

Each takes a queryset the gate scoped (`access.assistance`), never the model's manager.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import DateField, Min, Q, QuerySet
from django.db.models.functions import Coalesce

from opennrm.cases.models import Case
from opennrm.core.codes import UKRAINE
from opennrm.nrm.assistance.models import (
    ANY_CITIZENSHIP,
    FOREIGN_ONLY,
    UKRAINIAN_ONLY,
    ServiceDelivery,
    ServiceProvider,
    SupportPlan,
)
from opennrm.nrm.assistance.types import htcds_type
from opennrm.nrm.assistance.workflow import DELIVERED, PLANNED

UNKNOWN_GENDER = "NonSpecifiedUnknown"


@dataclass(frozen=True)
class Eligibility:
    """What a provider's eligibility rules are checked against: coarse, plaintext facts.

    Unknown facts (gender not specified, age or citizenship unknown) exclude nobody: the
    search proposes, the caseworker decides with the provider.
    """

    gender: str = UNKNOWN_GENDER
    age: int | None = None
    citizenships: tuple[str, ...] = ()


def eligibility_of(case: Case) -> Eligibility:
    """The facts of a case's person that eligibility is checked against (no identity)."""
    person = case.person
    return Eligibility(
        gender=person.gender or UNKNOWN_GENDER,
        age=case.age_at_identification,
        citizenships=tuple(person.citizenships or ()),
    )


@dataclass(frozen=True)
class ProviderFilters:
    type: str = ""
    oblast: str = ""
    free_beds: bool = False
    eligible_for: Eligibility | None = None
    include_inactive: bool = False


def takes(
    who: Eligibility,
    *,
    sexes: list[str],
    min_age: int | None,
    max_age: int | None,
    citizenship: str,
) -> bool:
    """Whether a provider's rules take this person (unknown facts exclude nobody)."""
    if sexes and who.gender != UNKNOWN_GENDER and who.gender not in sexes:
        return False
    if who.age is not None and min_age is not None and who.age < min_age:
        return False
    if who.age is not None and max_age is not None and who.age > max_age:
        return False
    if who.citizenships and citizenship != ANY_CITIZENSHIP:
        ukrainian = UKRAINE in who.citizenships
        return citizenship == (UKRAINIAN_ONLY if ukrainian else FOREIGN_ONLY)
    return True


def is_eligible(provider: ServiceProvider, who: Eligibility) -> bool:
    return takes(
        who,
        sexes=provider.sexes,
        min_age=provider.min_age,
        max_age=provider.max_age,
        citizenship=provider.citizenship,
    )


def provider_directory(
    providers: QuerySet[ServiceProvider], filters: ProviderFilters
) -> QuerySet[ServiceProvider]:
    """The providers matching the filters, by oblast and name.

    Oblast, activity and free beds are SQL; the service type (membership in a JSON list, which
    SQLite cannot look up) and eligibility are checked in Python over the narrowed rows, with
    the one rule `takes`. A directory holds hundreds of entries, not millions.
    """
    rows = providers
    if not filters.include_inactive:
        rows = rows.filter(is_active=True)
    if filters.oblast:
        rows = rows.filter(oblast=filters.oblast)
    if filters.free_beds:
        rows = rows.filter(beds_free__gt=0)
    who = filters.eligible_for
    if filters.type or who is not None:
        fields = ("id", "services", "sexes", "min_age", "max_age", "citizenship")
        ids: list[uuid.UUID] = [
            pk
            for pk, services, sexes, min_age, max_age, citizenship in rows.values_list(*fields)
            if (not filters.type or filters.type in services)
            and (
                who is None
                or takes(
                    who,
                    sexes=sexes,
                    min_age=min_age,
                    max_age=max_age,
                    citizenship=citizenship,
                )
            )
        ]
        rows = providers.filter(id__in=ids)
    return rows.select_related("agency").order_by("oblast", "agency__name", "name")


# --- a case's assistance ---------------------------------------------------------------------


def services_of(services: QuerySet[ServiceDelivery], case: Case) -> QuerySet[ServiceDelivery]:
    return (
        services.filter(case=case)
        .select_related("provider__agency", "provider_agency", "plan")
        .order_by("planned_on", "recorded_at")
    )


def plans_of(plans: QuerySet[SupportPlan], case: Case) -> QuerySet[SupportPlan]:
    return plans.filter(case=case).order_by("-created_at")


def plan_htcds_types(plan: SupportPlan) -> list[str]:
    """The HTCDS `spl_Type` codes of a plan: those of its services not cancelled."""
    types = plan.services.exclude(state="cancelled").values_list("type", flat=True)
    return sorted({htcds_type(t) for t in types})


# --- process measures ------------------------------------------------------------------------


def first_assistance_on(case: Case) -> dt.date | None:
    """The day the first service was delivered to the person of this case (None: not yet)."""
    first = ServiceDelivery.objects.filter(case=case, state=DELIVERED).aggregate(
        first=Min("delivered_from")
    )["first"]
    return first if isinstance(first, dt.date) else None


def with_first_assistance(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The cases annotated with `first_assistance_on` (for statistics over many cases)."""
    return cases.annotate(
        first_assistance_on=Min(
            "assistance_services__delivered_from",
            filter=Q(assistance_services__state=DELIVERED),
        )
    )


def days_to_first_assistance(case: Case) -> int | None:
    """Days from identification to the first service delivered (None: not yet)."""
    first = first_assistance_on(case)
    return None if first is None else (first - case.identified_on).days


# --- what is late ----------------------------------------------------------------------------


def overdue_services(
    services: QuerySet[ServiceDelivery], today: dt.date
) -> QuerySet[ServiceDelivery]:
    """Planned services not delivered by their planned end (or start, without an end)."""
    return (
        services.filter(state=PLANNED)
        .annotate(due=Coalesce("planned_end_on", "planned_on", output_field=DateField()))
        .filter(due__lt=today)
        .order_by("due")
    )


def overdue_plans(plans: QuerySet[SupportPlan], today: dt.date) -> QuerySet[SupportPlan]:
    """Plans still open after their planned end date."""
    return plans.filter(actual_end_date__isnull=True, planned_end_date__lt=today).order_by(
        "planned_end_date"
    )
