"""The referral process as data: states, transitions and the permission each needs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from opennrm.core.workflow import Transition, Workflow

PENDING, ACTIVE, DECLINED, CANCELLED, ENDED, TRANSFERRED = (
    "pending",
    "active",
    "declined",
    "cancelled",
    "ended",
    "transferred",
)
STATE_LABELS = {
    PENDING: _("waiting for an answer"),
    ACTIVE: _("accepted: shared"),
    DECLINED: _("declined"),
    CANCELLED: _("cancelled by the referring agency"),
    ENDED: _("sharing ended"),
    TRANSFERRED: _("accepted: case transferred"),
}

REFERRAL = Workflow(
    name="referral",
    states=(PENDING, ACTIVE, DECLINED, CANCELLED, ENDED, TRANSFERRED),
    initial=PENDING,
    final=frozenset({DECLINED, CANCELLED, ENDED, TRANSFERRED}),
    transitions=(
        Transition("accept", frozenset({PENDING}), ACTIVE, "referral.respond", _("Accept")),
        Transition(
            "accept_transfer",
            frozenset({PENDING}),
            TRANSFERRED,
            "referral.respond",
            _("Accept the transfer"),
        ),
        Transition("decline", frozenset({PENDING}), DECLINED, "referral.respond", _("Decline")),
        Transition("cancel", frozenset({PENDING}), CANCELLED, "referral.create", _("Cancel")),
        Transition("revoke", frozenset({ACTIVE}), ENDED, "referral.create", _("End sharing")),
        Transition(
            "consent_withdrawn",
            frozenset({PENDING, ACTIVE}),
            ENDED,
            "consent.manage",
            _("Consent withdrawn"),
        ),
    ),
)
