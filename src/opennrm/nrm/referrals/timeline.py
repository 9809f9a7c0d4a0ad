"""What referrals add to a case timeline and to the "action needed" page."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from opennrm.cases.models import Case
from opennrm.core.codes import PURPOSE, code_list
from opennrm.nrm.entries import ActionItem, TimelineEntry
from opennrm.nrm.referrals import status_shares
from opennrm.nrm.referrals.models import Referral
from opennrm.nrm.referrals.queries import age_in_days, waiting_for
from opennrm.tenancy.actor import Actor


def timeline_entries(
    case: Case, referrals: QuerySet[Referral] | None = None
) -> list[TimelineEntry]:
    """The case's referrals among `referrals` (those the access gate lets the actor see)."""
    entries: list[TimelineEntry] = []
    base = Referral.objects.all() if referrals is None else referrals
    for r in base.filter(case=case).select_related("from_agency", "to_agency"):
        if r.override_reason == status_shares.BASIS:
            entries.extend(_decider_share_entries(r))
            continue
        purpose = code_list(PURPOSE).label(r.purpose)
        entries.append(
            TimelineEntry(
                at=r.sent_at,
                kind="referral.sent",
                label=_("Referred to %(agency)s: %(purpose)s")
                % {"agency": r.to_agency.display_name, "purpose": purpose},
                agency_id=r.from_agency_id,
                actor_id=r.sent_by_id,
            )
        )
        if r.answered_at:
            accepted = r.state != "declined"
            entries.append(
                TimelineEntry(
                    at=r.answered_at,
                    kind="referral.accepted" if accepted else "referral.declined",
                    label=(
                        _("%(agency)s accepted the referral")
                        if accepted
                        else _("%(agency)s declined the referral")
                    )
                    % {"agency": r.to_agency.display_name},
                    agency_id=r.to_agency_id,
                    actor_id=r.answered_by_id,
                )
            )
        if r.ended_at:
            entries.append(
                TimelineEntry(
                    at=r.ended_at,
                    kind=f"referral.{r.end_reason}",
                    label=_("Sharing with %(agency)s ended") % {"agency": r.to_agency.display_name},
                    agency_id=r.from_agency_id,
                    actor_id=r.ended_by_id,
                )
            )
    return entries


def _decider_share_entries(r: Referral) -> list[TimelineEntry]:
    """The deciders' share opens with the forward and ends with the decision: said as such, at
    the deciding agency (the forward and the decision are the status procedure's own steps)."""
    entries = [
        TimelineEntry(
            at=r.sent_at,
            kind="referral.sent",
            label=_("The personal file is open to %(agency)s for the status decision")
            % {"agency": r.to_agency.display_name},
            agency_id=r.to_agency_id,
        )
    ]
    if r.ended_at:
        entries.append(
            TimelineEntry(
                at=r.ended_at,
                kind=f"referral.{r.end_reason}",
                label=_("The personal file is no longer open to %(agency)s")
                % {"agency": r.to_agency.display_name},
                agency_id=r.to_agency_id,
                actor_id=r.ended_by_id,
            )
        )
    return entries


def action_items(actor: Actor, referrals: QuerySet[Referral]) -> list[ActionItem]:
    """Referrals waiting for an answer from the actor's agency (oldest first).

    Each names the case by its reference (never the person), the purpose and the day it was
    sent; the answer is due `OPENNRM_REFERRAL_ANSWER_DAYS` after it was sent.
    """
    if actor.agency is None:
        return []
    answer_days = settings.OPENNRM_REFERRAL_ANSWER_DAYS
    items = []
    for r in waiting_for(referrals, actor.agency.id).select_related("from_agency"):
        sent_on = timezone.localdate(r.sent_at)
        items.append(
            ActionItem(
                kind="referral.answer",
                label=_(
                    "Answer the referral of case %(case)s from %(agency)s: %(purpose)s "
                    "(sent on %(date)s)"
                )
                % {
                    "case": r.case_id.hex[:8].upper(),  # Case.reference, without a query
                    "agency": r.from_agency.display_name,
                    "purpose": code_list(PURPOSE).label(r.purpose),
                    "date": date_format(sent_on, "SHORT_DATE_FORMAT"),
                },
                case_id=r.case_id,
                url=reverse("web:referral_detail", kwargs={"referral_id": r.id}),
                due=sent_on + dt.timedelta(days=answer_days),
                overdue=age_in_days(r) > answer_days,
            )
        )
    return items
