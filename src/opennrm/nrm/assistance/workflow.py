"""A service's process as data: planned, then delivered or cancelled.

Recording the delivery again (for example the end of a shelter stay) keeps it delivered.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from opennrm.core.workflow import Transition, Workflow

PLANNED, DELIVERED, CANCELLED = "planned", "delivered", "cancelled"
DELIVER, CANCEL = "deliver", "cancel"
MANAGE = "assistance.manage"

STATE_LABELS = {
    PLANNED: _("planned"),
    DELIVERED: _("delivered"),
    CANCELLED: _("cancelled"),
}

SERVICE = Workflow(
    name="service",
    states=(PLANNED, DELIVERED, CANCELLED),
    initial=PLANNED,
    final=frozenset({CANCELLED}),
    transitions=(
        Transition(
            DELIVER, frozenset({PLANNED, DELIVERED}), DELIVERED, MANAGE, _("Record the delivery")
        ),
        Transition(CANCEL, frozenset({PLANNED}), CANCELLED, MANAGE, _("Cancel the service")),
    ),
)
