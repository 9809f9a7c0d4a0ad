"""Reads of capacity building over querysets the gate scoped (`access/training.py`).

People are counted once however many trainings they attended in the period (the training
register matches them, `trainees.py`); a person counts under the profession, oblast and agency
of their latest participation in the period. "Law enforcers" are the professions of the
`law_enforcer` code list (docs/training.md)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from opennrm.core.codes import LAW_ENFORCER, code_list
from opennrm.training.models import Equipment, Participation, Training


@dataclass(frozen=True)
class PersonTrained:
    trainee: str
    gender: str
    profession: str
    oblast: str
    agency_id: str  # "" when the agency is not in the system


@dataclass
class Summary:
    start: dt.date
    end: dt.date
    events: int
    participations: int
    persons: list[PersonTrained]
    law_enforcers: int
    oblasts: list[str]
    by_profession: Counter[str]
    by_sex: Counter[str]
    by_profession_oblast_sex: Counter[tuple[str, str, str]]
    tested: int  # participations with both scores
    mean_pre: float | None
    mean_post: float | None
    equipment_items: int
    equipment_value: dict[str, Decimal] = field(default_factory=dict)

    @property
    def participants(self) -> int:
        return len(self.persons)

    @property
    def mean_gain(self) -> float | None:
        if self.mean_pre is None or self.mean_post is None:
            return None
        return round(self.mean_post - self.mean_pre, 1)


def law_enforcer_professions() -> frozenset[str]:
    return frozenset(code_list(LAW_ENFORCER).values)


def held_in(trainings: QuerySet[Training], start: dt.date, end: dt.date) -> QuerySet[Training]:
    """Trainings that started in the period."""
    return trainings.filter(starts_on__range=(start, end))


def summary(
    trainings: QuerySet[Training],
    equipment: QuerySet[Equipment],
    start: dt.date,
    end: dt.date,
) -> Summary:
    held = held_in(trainings, start, end)
    rows = list(
        Participation.objects.filter(training__in=held)
        .order_by("training__starts_on", "added_at")
        .values_list(
            "trainee_id",
            "trainee__gender",
            "profession",
            "oblast",
            "agency_id",
            "pre_score",
            "post_score",
        )
    )
    latest: dict[str, PersonTrained] = {}
    for trainee, gender, profession, oblast, agency, *_scores in rows:
        latest[str(trainee)] = PersonTrained(
            str(trainee), gender, profession, oblast, str(agency or "")
        )
    persons = sorted(latest.values(), key=lambda p: p.trainee)
    enforcing = law_enforcer_professions()
    tested = [(pre, post) for *_rest, pre, post in rows if pre is not None and post is not None]
    given = list(
        equipment.filter(given_on__range=(start, end)).values_list("quantity", "value", "currency")
    )
    value: dict[str, Decimal] = {}
    for _quantity, amount, currency in given:
        value[currency] = value.get(currency, Decimal(0)) + amount
    return Summary(
        start=start,
        end=end,
        events=held.count(),
        participations=len(rows),
        persons=persons,
        law_enforcers=sum(1 for p in persons if p.profession in enforcing),
        oblasts=sorted({p.oblast for p in persons}),
        by_profession=Counter(p.profession for p in persons),
        by_sex=Counter(p.gender for p in persons),
        by_profession_oblast_sex=Counter((p.profession, p.oblast, p.gender) for p in persons),
        tested=len(tested),
        mean_pre=round(sum(p for p, _ in tested) / len(tested), 1) if tested else None,
        mean_post=round(sum(q for _, q in tested) / len(tested), 1) if tested else None,
        equipment_items=sum(q for q, _v, _c in given),
        equipment_value=value,
    )


@dataclass(frozen=True)
class Scope:
    """The trainings and the equipment a reader's figures count (the gate decides:
    `access/training.py`)."""

    trainings: QuerySet[Training]
    equipment: QuerySet[Equipment]

    def of(self, *, project_code: str = "", funder: str = "") -> Scope:
        """Only one project's or one funder's trainings and equipment."""
        trainings, equipment = self.trainings, self.equipment
        if project_code:
            trainings = trainings.filter(project_code=project_code)
            equipment = equipment.filter(project_code=project_code)
        if funder:
            trainings = trainings.filter(funder=funder)
            equipment = equipment.filter(funder=funder)
        return Scope(trainings, equipment)


def empty_scope() -> Scope:
    return Scope(Training.objects.none(), Equipment.objects.none())


def projects_and_funders(scope: Scope) -> tuple[list[str], list[str]]:
    """The project codes and funders of the trainings and equipment in scope (for filters)."""
    projects = set(scope.trainings.values_list("project_code", flat=True)) | set(
        scope.equipment.values_list("project_code", flat=True)
    )
    funders = set(scope.trainings.values_list("funder", flat=True)) | set(
        scope.equipment.values_list("funder", flat=True)
    )
    return sorted(p for p in projects if p), sorted(f for f in funders if f)
