"""Which steps of a case's timeline and which "action needed" items an actor sees.

The timeline follows the pages behind it: the status procedure to those who take part in it,
assistance to those who provide it, screenings with the case facts, referrals the actor's agency
made or received; and within a part, each entry by the data category it tells of (the
identification by `CaseFacts`, the legal basis to the owner only). An action item appears only
where the page it links to lets the actor act.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from opennrm.access import perpetrators as perpetrator_gate
from opennrm.access import policy
from opennrm.access import status as status_gate
from opennrm.access.fields import CASE, CASE_FACTS, OWNER_ONLY
from opennrm.access.roles import ASSISTANCE_MANAGE, REFERRAL_RESPOND, SCREENING_RECORD
from opennrm.access.scope import field_scope
from opennrm.cases import timeline as case_part
from opennrm.cases.models import Case
from opennrm.core.entries import ActionItem, TimelineEntry
from opennrm.nrm.assistance import timeline as assistance_part
from opennrm.nrm.referrals import timeline as referral_part
from opennrm.nrm.screening import timeline as screening_part
from opennrm.nrm.status import timeline as status_part
from opennrm.tenancy.actor import Actor

# The data category each kind of entry tells of (every other kind: what every share shows).
ENTRY_CATEGORY: Final = {
    "case.identified": CASE_FACTS,
    "consent.recorded": OWNER_ONLY,
    "consent.withdrawn": OWNER_ONLY,
}


def case_timeline(actor: Actor, case: Case) -> list[TimelineEntry]:
    """The entries of a case the actor may see (the case itself fetched through the gate)."""
    access = policy.case_access(actor, case)
    scope = field_scope(actor, [case.id])
    referrals = policy.visible_referrals(actor).filter(case=case)
    entries = case_part.timeline_entries(case) + referral_part.timeline_entries(case, referrals)
    if ASSISTANCE_MANAGE in access.permissions:  # health and psycho-social help
        entries += assistance_part.timeline_entries(case)
    if scope.shows(case, CASE_FACTS):
        entries += screening_part.timeline_entries(case)
    if status_gate.takes_part(actor, case):
        entries += status_part.timeline_entries(case)
    shown = [e for e in entries if scope.shows(case, ENTRY_CATEGORY.get(e.kind, CASE))]
    return sorted(shown, key=lambda e: e.at)


def _sort_key(item: ActionItem) -> tuple[int, dt.date, str, str, str]:
    # Overdue first, then by deadline; rows due the same day in a fixed order (case, kind,
    # page) so the list does not reshuffle between two visits.
    return (
        0 if item.overdue else 1,
        item.due or dt.date.max,
        item.case_reference,
        item.kind,
        item.url,
    )


def may_have_action_items(actor: Actor) -> bool:
    """Whether any part of "action needed" can ever hold an item for the actor's roles (the
    navigation offers the page only then)."""
    return (
        any(policy.can(actor, p) for p in (REFERRAL_RESPOND, SCREENING_RECORD, ASSISTANCE_MANAGE))
        or status_gate.has_status_role(actor)
        or perpetrator_gate.can_manage_mla(actor)
    )


def action_needed(actor: Actor) -> list[ActionItem]:
    """What waits for the actor, overdue first: only items whose page lets them act."""
    cases = policy.visible_cases(actor)
    items: list[ActionItem] = []
    if policy.can(actor, REFERRAL_RESPOND):
        items += referral_part.action_items(actor, policy.visible_referrals(actor))
    if policy.can(actor, SCREENING_RECORD):
        items += screening_part.action_items(actor, cases)
    if policy.can(actor, ASSISTANCE_MANAGE):
        items += assistance_part.action_items(actor, cases)
    # Status files follow the agency that holds them, not only visible cases.
    items += status_gate.action_items(actor)
    # Mutual legal assistance requests past their deadline, for the unit that sent them.
    items += perpetrator_gate.action_items(actor)
    return sorted(items, key=_sort_key)
