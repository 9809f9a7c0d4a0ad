"""Indicators that count persons, not registrations.

``compute`` takes the persons first identified in the period (``reports.persons``: the
registrations linkage joins are one person; for national figures over every registration, the
per-person facts the worker keeps, ``reports.facts``) and runs every registered indicator
family over them.

An indicator family is a function from persons to tables; new families (justice, trainings)
register with ``@family`` and plug in without touching the others. Category lists come from
the code lists, never from the data: a category nobody falls into is a zero, not missing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise

from opennrm.cases.models import Case
from opennrm.core.ages import CTDC_AGE_BANDS
from opennrm.core.codes import (
    AGENCY_KIND,
    CHANNEL,
    COUNTRY,
    LABOUR_INDUSTRY,
    UA_EXPLOITATION,
    UKRAINE,
    code_list,
)
from opennrm.nrm.assistance.models import ServiceDelivery
from opennrm.nrm.assistance.types import assistance_types
from opennrm.nrm.assistance.workflow import DELIVERED
from opennrm.nrm.referrals import workflow as ref_wf
from opennrm.nrm.referrals.models import Referral
from opennrm.nrm.status import workflow as status_wf
from opennrm.nrm.status.models import StatusApplication
from opennrm.reports.facts import persons_to_count
from opennrm.reports.persons import (
    LABOUR,
    Band,
    Filters,
    PersonFacts,
    Persons,
    filtered,
    group_of,
    person_facts,
)
from opennrm.training.queries import Scope as TrainingScope

__all__ = ["Band", "Filters", "PersonFacts", "Persons", "compute", "family", "person_facts"]

Label = str | StrPromise


@dataclass(frozen=True)
class Row:
    code: str
    label: Label
    count: int


@dataclass(frozen=True)
class Table:
    """One breakdown of persons. ``total`` is the persons it is about (categories may overlap:
    a person exploited in two forms counts in both)."""

    key: str
    title: Label
    rows: tuple[Row, ...]
    total: int
    overlapping: bool = False
    map: bool = False  # oblasts: shown as a tile map too
    unit: str = "persons"  # or "applications", "referrals", "services" (process measures)
    note: Label = ""


@dataclass(frozen=True)
class Indicators:
    filters: Filters
    persons: int
    registrations: int
    count: Band
    tables: tuple[Table, ...]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


@dataclass(frozen=True)
class Context:
    """What a family computes from: the persons first identified in the period (counted in
    memory, or in the database from the kept facts), the cases in scope (after the filters)
    and the filters."""

    persons: Persons
    cases: QuerySet[Case]
    filters: Filters
    # The criminal proceedings in scope (from the gate); None: those the cases take part in.
    proceedings: QuerySet[Any] | None = None
    # The trainings and equipment in scope (from the gate); None: none.
    training: TrainingScope | None = None


Family = Callable[[Context], Iterable[Table]]
FAMILIES: list[Family] = []


def family(function: Family) -> Family:
    """Register an indicator family (in order of appearance on the dashboard)."""
    FAMILIES.append(function)
    return function


# --- From persons to tables -------------------------------------------------------------------


def compute(
    cases: QuerySet[Case],
    filters: Filters,
    proceedings: QuerySet[Any] | None = None,
    training: TrainingScope | None = None,
    *,
    national: bool = False,
) -> Indicators:
    """Every indicator family over the persons first identified in the period (and, for the
    justice family, the criminal proceedings in scope; for the training family, the trainings
    and equipment in scope). ``national``: ``cases`` is every case (the gate's national scope),
    so the kept per-person facts may answer."""
    # The kept facts are counted in several statements: if the worker refreshed them in
    # between (`unchanged`), count again, and from the cases if that happens twice.
    for kept in (national, national, False):
        persons, band = persons_to_count(cases, filters, national=kept)
        context = Context(persons, filtered(cases, filters), filters, proceedings, training)
        tables = tuple(table for compute_family in FAMILIES for table in compute_family(context))
        indicators = Indicators(
            filters=filters,
            persons=persons.count(),
            registrations=persons.registrations(),
            count=band,
            tables=tables,
        )
        if persons.unchanged():
            break
    return indicators


# --- Families ---------------------------------------------------------------------------------


def _table(
    key: str,
    title: Label,
    categories: Iterable[tuple[str, Label]],
    counts: Mapping[str, int],
    total: int,
    *,
    overlapping: bool = False,
    keep_zero: bool = True,
    map: bool = False,
) -> Table:
    """The rows of the categories, in their order, from the persons counted in each
    (``counts``: a category nobody falls in is a zero, or left out when not ``keep_zero``)."""
    rows = []
    for code, label in categories:
        count = counts.get(code, 0)
        if count or keep_zero:
            rows.append(Row(code, label, count))
    return Table(key, title, tuple(rows), total, overlapping, map)


def _by(persons: Persons, name: str, category: Callable[[Any], str] = str) -> Counter[str]:
    """Persons by the category (``category``) of a single-valued fact."""
    counts: Counter[str] = Counter()
    for (value,), count in persons.tally(name).items():
        counts[category(value)] += count
    return counts


GROUPS = (
    ("women", _("women")),
    ("men", _("men")),
    ("girls", _("girls")),
    ("boys", _("boys")),
    ("unknown", _("sex or age unknown")),
)


@family
def sex_and_age(context: Context) -> Iterable[Table]:
    persons = context.persons
    total = persons.count()
    groups: Counter[str] = Counter()
    for (gender, age), count in persons.tally("gender", "age").items():
        groups[group_of(gender, age)] += count
    yield _table("sex_age", _("Women, men, girls and boys"), GROUPS, groups, total)
    # CTDC writes its bands "0--8" (a TeX dash); people read "0–8".
    bands = [
        (label, f"{low}–{high}" if high is not None else f"{low}+")
        for low, high, label in CTDC_AGE_BANDS
    ] + [("", _("unknown"))]
    yield _table(
        "age_band",
        _("Age at identification (CTDC bands)"),
        bands,
        _by(persons, "age_band"),
        total,
    )


@family
def citizenship(context: Context) -> Iterable[Table]:
    persons = context.persons
    categories = [("UA", _("Ukrainian citizens")), ("foreign", _("foreign citizens"))]
    yield _table(
        "citizenship",
        _("Citizenship"),
        categories,
        _by(persons, "citizenship", lambda c: "UA" if c == UKRAINE else "foreign"),
        persons.count(),
    )


@family
def exploitation(context: Context) -> Iterable[Table]:
    persons = context.persons
    forms = code_list(UA_EXPLOITATION)
    by_form = persons.tally_codes("forms")
    yield _table(
        "exploitation",
        _("Form of exploitation"),
        [(c.code, c.label) for c in forms.codes],
        by_form,
        persons.count(),
        overlapping=True,
    )
    sectors = code_list(LABOUR_INDUSTRY)
    yield _table(
        "labour_sector",
        _("Labour exploitation: sector"),
        [(c.code, c.label) for c in sectors.codes],
        persons.tally_codes("labour_sectors"),
        by_form.get(LABOUR, 0),  # the persons in labour exploitation
        overlapping=True,
        keep_zero=False,
    )


@family
def country_of_exploitation(context: Context) -> Iterable[Table]:
    persons = context.persons
    countries = code_list(COUNTRY)
    counts = persons.tally_codes("countries")
    seen = sorted(counts, key=lambda c: (c != UKRAINE, c))
    categories = [
        (c, _("inside Ukraine (internal trafficking)") if c == UKRAINE else countries.label(c))
        for c in seen
        if c in countries
    ]
    table = _table(
        "country",
        _("Country of exploitation"),
        categories,
        counts,
        persons.count(),
        overlapping=True,
    )
    rows = tuple(sorted(table.rows, key=lambda r: -r.count))
    yield Table(table.key, table.title, rows, table.total, True)


@family
def oblasts(context: Context) -> Iterable[Table]:
    persons = context.persons
    oblast_list = code_list("oblast")
    categories = [(c.code, c.label) for c in oblast_list.codes]
    yield _table(
        "origin_oblast",
        _("Oblast of origin"),
        categories,
        _by(persons, "origin_oblast"),
        persons.count(),
        map=True,
    )
    yield _table(
        "identification_oblast",
        _("Oblast of identification"),
        categories,
        _by(persons, "identification_oblast"),
        persons.count(),
        map=True,
    )


@family
def displacement(context: Context) -> Iterable[Table]:
    persons = context.persons
    categories = [("idp", _("internally displaced")), ("not_idp", _("not displaced"))]
    yield _table(
        "idp",
        _("Internally displaced persons"),
        categories,
        _by(persons, "is_idp", lambda idp: "idp" if idp else "not_idp"),
        persons.count(),
    )


@family
def identification(context: Context) -> Iterable[Table]:
    persons = context.persons
    kinds = code_list(AGENCY_KIND)
    by_kind = _by(persons, "agency_kind")
    yield _table(
        "agency_kind",
        _("Identifying agency"),
        [(c.code, c.label) for c in kinds.codes if c.code in by_kind],
        by_kind,
        persons.count(),
    )
    channels = code_list(CHANNEL)
    yield _table(
        "channel",
        _("Channel of identification"),
        [(c.code, c.label) for c in channels.codes],
        _by(persons, "channel"),
        persons.count(),
    )


# --- Process measures of the NRM workflow (counted per application, referral or service) ------


@family
def status_decisions(context: Context) -> Iterable[Table]:
    """Status applications decided in the period: outcome, time to decision, deadline met."""
    start, end = context.filters.start, context.filters.end
    decided = list(
        StatusApplication.objects.filter(
            case__in=context.cases.values("id"), decided_on__range=(start, end)
        ).values_list("decision", "applied_on", "decided_on", "overall_due_on")
    )
    outcomes = [(status_wf.GRANTED, _("status granted")), (status_wf.REFUSED, _("status refused"))]
    rows = tuple(
        Row(code, label, sum(1 for d in decided if d[0] == code)) for code, label in outcomes
    )
    yield Table(
        "status_decisions", _("Victim-status decisions"), rows, len(decided), unit="applications"
    )
    within = sum(
        1 for _d, _applied, on, due in decided if on is not None and due is not None and on <= due
    )
    days = sorted((d[2] - d[1]).days for d in decided if d[1] and d[2])
    median = days[len(days) // 2] if days else 0
    yield Table(
        "status_deadline",
        _("Decisions within the procedure's deadline"),
        (
            Row("within", _("within the deadline"), within),
            Row("late", _("after the deadline"), len(decided) - within),
        ),
        len(decided),
        unit="applications",
        note=_("median days from application to decision: %(days)s") % {"days": median},
    )


@family
def referrals(context: Context) -> Iterable[Table]:
    """Referrals sent in the period, by how they stand."""
    start, end = context.filters.start, context.filters.end
    states = list(
        Referral.objects.filter(
            case__in=context.cases.values("id"), sent_at__date__range=(start, end)
        ).values_list("state", flat=True)
    )
    categories = [
        ("accepted", _("accepted"), {ref_wf.ACTIVE, ref_wf.ENDED, ref_wf.TRANSFERRED}),
        ("declined", _("declined"), {ref_wf.DECLINED}),
        ("pending", _("not answered yet"), {ref_wf.PENDING}),
        ("cancelled", _("cancelled"), {ref_wf.CANCELLED}),
    ]
    rows = tuple(
        Row(code, label, sum(1 for state in states if state in members))
        for code, label, members in categories
    )
    yield Table("referrals", _("Referrals sent"), rows, len(states), unit="referrals")


@family
def assistance(context: Context) -> Iterable[Table]:
    """Services delivered (started) in the period, by type of assistance."""
    start, end = context.filters.start, context.filters.end
    delivered = list(
        ServiceDelivery.objects.filter(
            case__in=context.cases.values("id"),
            state=DELIVERED,
            delivered_from__range=(start, end),
        ).values_list("type", flat=True)
    )
    types = assistance_types()
    rows = tuple(
        Row(c.code, c.label, delivered.count(c.code)) for c in types.codes if c.code in delivered
    )
    yield Table("assistance", _("Assistance delivered"), rows, len(delivered), unit="services")


# The justice family registers itself after the NRM families (it imports this module's names).
# The borders family (incidents, stops at the border) registers itself after them too.
from opennrm.reports import (  # noqa: E402, F401
    borders_family,
    justice_family,
    training_family,
)
