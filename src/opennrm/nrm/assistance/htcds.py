"""The HTCDS support plan section (`spl_`), registered with the HTCDS exchange of `cases`.

A case's plans are the JSON list `spl_SupportPlans`, each item in the standard's names:
`spl_Objectives` (required; encrypted like every plan's objectives), `spl_PlannedEndDate`,
`spl_ActualEndDate`. On export `spl_Type` lists the HTCDS types of the plan's services (a plan's
types are those of its services here); on import `spl_Type` and `spl_ActionPlan` are accepted
and not kept (the services of a plan are recorded in OpenNRM). Field names from the Human
Trafficking Case Data Standard v2.0 (IOM, CC BY 4.0).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from opennrm.cases.htcds import Section, register_section
from opennrm.cases.models import Case
from opennrm.nrm.assistance.models import SupportPlan
from opennrm.nrm.assistance.objectives import MAX_OBJECTIVES, open_objectives
from opennrm.nrm.assistance.services import record_plan, update_plan
from opennrm.nrm.assistance.types import htcds_type
from opennrm.tenancy.actor import Actor

NAME = "spl_SupportPlans"
FIELDS = {"spl_Objectives", "spl_PlannedEndDate", "spl_ActualEndDate"}
NOT_KEPT = frozenset({"spl_Type", "spl_ActionPlan"})


@dataclass(frozen=True)
class PlanInput:
    objectives: str
    planned_end_date: dt.date | None
    actual_end_date: dt.date | None


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value.strip()[:10])
    raise ValueError(value)


def parse(items: Any) -> tuple[list[PlanInput], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        return [], {"": [_("Expected a list of support plans.")]}
    plans: list[PlanInput] = []
    for index, item in enumerate(items):
        where = f"[{index}]."
        for key in sorted(set(item) - FIELDS - NOT_KEPT):
            errors.setdefault(where + key, []).append(_("Unknown field."))
        objectives = item.get("spl_Objectives")
        if not isinstance(objectives, str) or not objectives.strip():
            errors.setdefault(where + "spl_Objectives", []).append(
                _("Describe the objectives of the plan.")
            )
            objectives = ""
        elif len(objectives) > MAX_OBJECTIVES:
            errors.setdefault(where + "spl_Objectives", []).append(
                _("At most %(max)d characters.") % {"max": MAX_OBJECTIVES}
            )
        dates: dict[str, dt.date | None] = {}
        for key in ("spl_PlannedEndDate", "spl_ActualEndDate"):
            try:
                dates[key] = _date(item.get(key))
            except ValueError:
                errors.setdefault(where + key, []).append(_("Expected a date as YYYY-MM-DD."))
                dates[key] = None
        plans.append(PlanInput(objectives, dates["spl_PlannedEndDate"], dates["spl_ActualEndDate"]))
    return plans, errors


def write(actor: Actor, case: Case, plans: list[PlanInput]) -> None:
    """Record the plans through the assistance services (each audited); a date the services
    refuse (before the identification, in the future) fails the whole import."""
    for item in plans:
        try:
            plan = record_plan(
                actor=actor,
                case=case,
                objectives=item.objectives,
                planned_end_date=item.planned_end_date,
            )
            if item.actual_end_date is not None:
                update_plan(
                    actor=actor,
                    plan=plan,
                    objectives=item.objectives,
                    planned_end_date=item.planned_end_date,
                    actual_end_date=item.actual_end_date,
                )
        except ValidationError as exc:
            raise ValidationError({NAME: exc.messages}) from exc


def export(case: Case) -> list[dict[str, Any]]:
    plans = (
        SupportPlan.objects.filter(case=case).prefetch_related("services").order_by("created_at")
    )
    return [
        {
            "spl_Objectives": open_objectives(plan),
            "spl_PlannedEndDate": plan.planned_end_date.isoformat()
            if plan.planned_end_date
            else "",
            "spl_ActualEndDate": plan.actual_end_date.isoformat() if plan.actual_end_date else "",
            "spl_Type": sorted({htcds_type(s.type) for s in plan.services.all()}),
        }
        for plan in plans
    ]


def register() -> None:
    register_section(Section(name=NAME, parse=parse, write=write, export=export, not_kept=NOT_KEPT))
