"""The case's own process as data: HTCDS case statuses and the moves between them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from opennrm.core.workflow import Transition, Workflow

ACTIVE, FOLLOW_UP, CLOSED, CLOSED_REFERRED = "Active", "FollowUp", "Closed", "ClosedReferred"
OPEN = frozenset({ACTIVE, FOLLOW_UP})
SHUT = frozenset({CLOSED, CLOSED_REFERRED})

CASE = Workflow(
    name="case",
    states=(ACTIVE, FOLLOW_UP, CLOSED, CLOSED_REFERRED),
    initial=ACTIVE,
    transitions=(
        Transition(
            "follow_up", frozenset({ACTIVE}), FOLLOW_UP, "case.change", _("Move to follow-up")
        ),
        Transition("resume", frozenset({FOLLOW_UP}), ACTIVE, "case.change", _("Make active again")),
        Transition("close", OPEN, CLOSED, "case.change", _("Close the case")),
        Transition(
            "close_referred", OPEN, CLOSED_REFERRED, "case.change", _("Close as referred elsewhere")
        ),
        Transition("reopen", SHUT, ACTIVE, "case.change", _("Reopen the case")),
    ),
)
