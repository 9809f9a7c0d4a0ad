"""Reads over referrals: incoming and outgoing lists with their age, process measures."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from opennrm.cases.models import Consent
from opennrm.nrm.referrals.models import Referral
from opennrm.nrm.referrals.workflow import ACTIVE, PENDING

INCOMING, OUTGOING = "incoming", "outgoing"


@dataclass(frozen=True)
class ReferralFilters:
    direction: str = INCOMING
    state: str = ""


def referral_list(
    referrals: QuerySet[Referral], agency_id: uuid.UUID | None, filters: ReferralFilters
) -> QuerySet[Referral]:
    """The agency's referrals in one direction, newest first (from a gate-scoped queryset)."""
    if filters.direction == OUTGOING:
        referrals = referrals.filter(from_agency_id=agency_id)
    else:
        referrals = referrals.filter(to_agency_id=agency_id)
    if filters.state:
        referrals = referrals.filter(state=filters.state)
    return referrals.select_related("from_agency", "to_agency", "case").order_by("-sent_at")


def covered_by(consent: Consent) -> QuerySet[Referral]:
    """The pending and active referrals resting on this consent: withdrawing it ends every one
    of them (`services.withdraw_consent`); the owner is warned with this list first."""
    return (
        Referral.objects.filter(basis=consent, state__in=[PENDING, ACTIVE])
        .select_related("to_agency")
        .order_by("sent_at", "id")
    )


def age_in_days(referral: Referral, now: dt.datetime | None = None) -> int:
    """Days since the referral was sent (until it was answered, when it was)."""
    end = referral.answered_at or now or timezone.now()
    return (end - referral.sent_at).days


def waiting_for(referrals: QuerySet[Referral], agency_id: uuid.UUID | None) -> QuerySet[Referral]:
    return referrals.filter(to_agency_id=agency_id, state=PENDING).order_by("sent_at", "id")
