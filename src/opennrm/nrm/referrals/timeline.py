"""What referrals add to a case timeline and to the "action needed" page."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opennrm.cases.models import Case
from opennrm.core.codes import PURPOSE, code_list
from opennrm.nrm.entries import ActionItem, TimelineEntry
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
        purpose = code_list(PURPOSE).label(r.purpose)
        entries.append(
            TimelineEntry(
                at=r.sent_at,
                kind="referral.sent",
                label=_("Referred to %(agency)s: %(purpose)s")
                % {"agency": r.to_agency.name, "purpose": purpose},
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
                    % {"agency": r.to_agency.name},
                    agency_id=r.to_agency_id,
                    actor_id=r.answered_by_id,
                )
            )
        if r.ended_at:
            entries.append(
                TimelineEntry(
                    at=r.ended_at,
                    kind=f"referral.{r.end_reason}",
                    label=_("Sharing with %(agency)s ended") % {"agency": r.to_agency.name},
                    agency_id=r.from_agency_id,
                    actor_id=r.ended_by_id,
                )
            )
    return entries


def action_items(actor: Actor, referrals: QuerySet[Referral]) -> list[ActionItem]:
    """Referrals waiting for an answer from the actor's agency (oldest first)."""
    if actor.agency is None:
        return []
    return [
        ActionItem(
            kind="referral.answer",
            label=ngettext(
                "Answer the referral from %(agency)s (%(days)d day old)",
                "Answer the referral from %(agency)s (%(days)d days old)",
                age_in_days(r),
            )
            % {"agency": r.from_agency.name, "days": age_in_days(r)},
            case_id=r.case_id,
            url=reverse("web:referral_detail", kwargs={"referral_id": r.id}),
            overdue=age_in_days(r) > settings.OPENNRM_REFERRAL_ANSWER_DAYS,
        )
        for r in waiting_for(referrals, actor.agency.id).select_related("from_agency")
    ]
