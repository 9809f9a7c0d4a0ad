"""The stages of a criminal proceeding as one table (Criminal Procedure Code of Ukraine).

registered (ERDR, art. 214) -> pre-trial investigation -> notice of suspicion (art. 276-278)
-> indictment sent to court (art. 291) -> trial -> verdict (art. 373) -> appeal (art. 393) ->
cassation (art. 424) -> in force; or closed without indictment on a ground of art. 284.
"""

from __future__ import annotations

from typing import Final

from django.utils.translation import gettext_lazy as _

from opennrm.core.workflow import Transition, Workflow

# Permissions (dotted strings, checked against access/roles.py by a test).
RECORD: Final = "proceeding.record"  # investigator: register, investigate, notify, close
PROSECUTE: Final = "proceeding.prosecute"  # prosecutor: indictment, appeals
ADJUDICATE: Final = "proceeding.adjudicate"  # judge: trial, verdict, appeal decisions

REGISTERED: Final = "registered"
INVESTIGATION: Final = "investigation"
SUSPICION: Final = "suspicion"
INDICTMENT: Final = "indictment"
TRIAL: Final = "trial"
VERDICT: Final = "verdict"
APPEAL: Final = "appeal"
CASSATION: Final = "cassation"
IN_FORCE: Final = "in_force"
CLOSED: Final = "closed"

STATES: Final = (
    REGISTERED,
    INVESTIGATION,
    SUSPICION,
    INDICTMENT,
    TRIAL,
    VERDICT,
    APPEAL,
    CASSATION,
    IN_FORCE,
    CLOSED,
)
STATE_LABELS: Final = {
    REGISTERED: _("registered in the ERDR"),
    INVESTIGATION: _("pre-trial investigation"),
    SUSPICION: _("notice of suspicion served"),
    INDICTMENT: _("indictment sent to court"),
    TRIAL: _("trial"),
    VERDICT: _("verdict (first instance)"),
    APPEAL: _("appeal"),
    CASSATION: _("cassation"),
    IN_FORCE: _("judgment in force"),
    CLOSED: _("closed without indictment"),
}
PRE_TRIAL: Final = frozenset({REGISTERED, INVESTIGATION, SUSPICION})
IN_COURT: Final = frozenset({INDICTMENT, TRIAL, VERDICT, APPEAL, CASSATION})

START_INVESTIGATION: Final = "start_investigation"
NOTIFY_SUSPICION: Final = "notify_suspicion"
CLOSE: Final = "close"
SEND_INDICTMENT: Final = "send_indictment"
OPEN_TRIAL: Final = "open_trial"
DELIVER_VERDICT: Final = "deliver_verdict"
LODGE_APPEAL: Final = "lodge_appeal"
DECIDE_APPEAL: Final = "decide_appeal"
LODGE_CASSATION: Final = "lodge_cassation"
DECIDE_CASSATION: Final = "decide_cassation"
ENTER_INTO_FORCE: Final = "enter_into_force"

WORKFLOW: Final = Workflow(
    name="criminal proceeding",
    states=STATES,
    initial=REGISTERED,
    transitions=(
        Transition(
            START_INVESTIGATION,
            frozenset({REGISTERED}),
            INVESTIGATION,
            RECORD,
            _("Start the pre-trial investigation"),
        ),
        Transition(
            NOTIFY_SUSPICION,
            frozenset({REGISTERED, INVESTIGATION}),
            SUSPICION,
            RECORD,
            _("Record the notice of suspicion"),
        ),
        Transition(
            CLOSE,
            PRE_TRIAL,
            CLOSED,
            RECORD,
            _("Close the proceeding (Criminal Procedure Code art. 284)"),
        ),
        Transition(
            SEND_INDICTMENT,
            frozenset({SUSPICION}),
            INDICTMENT,
            PROSECUTE,
            _("Send the indictment to court"),
        ),
        Transition(OPEN_TRIAL, frozenset({INDICTMENT}), TRIAL, ADJUDICATE, _("Open the trial")),
        Transition(
            DELIVER_VERDICT, frozenset({TRIAL}), VERDICT, ADJUDICATE, _("Record the verdict")
        ),
        Transition(LODGE_APPEAL, frozenset({VERDICT}), APPEAL, PROSECUTE, _("Record an appeal")),
        Transition(
            DECIDE_APPEAL, frozenset({APPEAL}), IN_FORCE, ADJUDICATE, _("Record the appeal ruling")
        ),
        Transition(
            LODGE_CASSATION,
            frozenset({IN_FORCE}),
            CASSATION,
            PROSECUTE,
            _("Record a cassation appeal"),
        ),
        Transition(
            DECIDE_CASSATION,
            frozenset({CASSATION}),
            IN_FORCE,
            ADJUDICATE,
            _("Record the cassation ruling"),
        ),
        Transition(
            ENTER_INTO_FORCE,
            frozenset({VERDICT}),
            IN_FORCE,
            ADJUDICATE,
            _("The verdict entered into force (no appeal)"),
        ),
    ),
    final=frozenset({CLOSED}),
)
