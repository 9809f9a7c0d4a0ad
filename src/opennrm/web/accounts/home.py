"""What the start page shows, labelled (the decisions are the gate's: access/home.py)."""

from __future__ import annotations

from typing import Any, Final

from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from opennrm.access import home as home_gate
from opennrm.core.codes import CASE_STATUS, code_list
from opennrm.tenancy.actor import Actor
from opennrm.web.context import action_items_of, action_rows, audit

# How many waiting items the start page lists before "see all".
WAITING_SHOWN: Final = 8
# The items the start page lists in a section of their own ("to decide"), not under "what
# waits" too.
DECISION: Final = "status.decision_due"

FIGURE_LABELS: Final[dict[str, str | Promise]] = {
    "my_open_cases": _("My open cases"),
    "open_cases": _("Open cases you may see"),
    "status_files": _("Status applications your agency holds"),
    "proceedings": _("Criminal proceedings"),
    "alerts": _("New perpetrator alerts"),
    "mla": _("Mutual legal assistance requests"),
    "linkage_queue": _("Pairs of registrations to review"),
    "linkage": _("One count of persons: linkage runs"),
    "national_cases": _("Cases in the country"),
    "national_open_cases": _("Open cases in the country"),
    "statistics": _("Statistics"),
    "trainings": _("Trainings of your agency"),
    "training_report": _("Training report"),
    "users": _("Users of your agency"),
    "audit": _("Audit trail"),
}


def start_page(request: HttpRequest, actor: Actor) -> dict[str, Any]:
    items = action_items_of(request)
    to_decide = [i for i in items if i.kind == DECISION]
    waiting = [i for i in items if i.kind != DECISION][:WAITING_SHOWN]
    recent = list(home_gate.recent_cases(actor))
    if recent:
        # Which cases the start page listed (ids only), like every list of cases.
        audit(actor, "home.listed", "home", None, case_ids=sorted(str(c.id) for c in recent))
    statuses = code_list(CASE_STATUS)
    return {
        "actor": actor,
        # Each item once: the decisions in their section, the rest under "what waits"; the
        # count is of everything waiting (the "action needed" page lists it all).
        "waiting": action_rows(actor, waiting),
        "waiting_total": len(items),
        "waiting_shown": len(waiting) + len(to_decide),
        "waiting_overdue": sum(1 for i in items if i.overdue),
        "to_decide": action_rows(actor, to_decide),
        "recent": [{"case": c, "status": statuses.label(c.status)} for c in recent],
        "figures": [
            {
                "key": f.key,
                "label": FIGURE_LABELS[f.key],
                "url_name": f.url_name,
                "count": f.count,
                "query": f.query,
            }
            for f in home_gate.figures(actor)
        ],
    }
