"""The decider's share: opened when the status file reaches the deciding agency, ended when
it leaves (a decision, a return as incomplete, a withdrawal).

A share (an active `Referral`) with purpose `StatusApplication` to the deciding agency, with
exactly the categories a decision needs: who the person is (Identity), their documents
(Documents) and the facts of the case (CaseFacts). Never Contact, Health, Psychosocial or
Justice. Its legal basis is the procedure itself (Cabinet Resolution No. 417, recorded as the
override reason); it is audited when opened and when ended. When the owner agency had already
shared the case with the deciders for this purpose, that share stays as it is and no second
one is made; only the share made here is ended here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone

from opennrm.cases.models import Case
from opennrm.nrm import shares
from opennrm.nrm.referrals.models import Referral
from opennrm.nrm.referrals.services import _audit, _end
from opennrm.nrm.referrals.workflow import ACTIVE, PENDING
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency

PURPOSE = "StatusApplication"
CATEGORIES = ["Identity", "Documents", "CaseFacts"]
BASIS = "Cabinet Resolution No. 417: the personal file at the deciding agency"
END_REASON = "status_file_left"


def _moment(on: dt.date | None) -> dt.datetime:
    """When the share opened: now, or on the step's date when it was recorded later (a file
    forwarded last week and entered today; the demo's 2016)."""
    now = timezone.now()
    if on is None or on >= timezone.localdate(now):
        return now
    return timezone.make_aware(dt.datetime.combine(on, dt.time(12)))


def open_share(
    *,
    actor: Actor,
    case: Case,
    agency: Agency,
    application_id: uuid.UUID,
    on: dt.date | None = None,
    **_: Any,
) -> Referral | None:
    if case.owner_agency_id == agency.id:
        return None  # the deciders own the case: they see it all already
    if Referral.objects.filter(
        case=case, to_agency=agency, purpose=PURPOSE, state__in=[PENDING, ACTIVE]
    ).exists():
        return None
    now = _moment(on)
    referral = Referral.objects.create(
        case=case,
        from_agency_id=case.owner_agency_id,
        to_agency=agency,
        kind=Referral.SHARE,
        purpose=PURPOSE,
        data_categories=list(CATEGORIES),
        override_reason=BASIS,
        state=ACTIVE,
        sent_at=now,
        sent_by=actor.user,
        answered_at=now,
    )
    _audit(
        actor,
        "referral.status_share_opened",
        referral,
        application=str(application_id),
        to_agency=str(agency.id),
        categories=list(CATEGORIES),
    )
    return referral


def end_share(
    *, actor: Actor, case: Case, agency: Agency, on: dt.date | None = None, **_: Any
) -> None:
    for referral in Referral.objects.filter(
        case=case, to_agency=agency, purpose=PURPOSE, state=ACTIVE, override_reason=BASIS
    ):
        ended = _end(actor, referral, "revoke", END_REASON)
        moment = _moment(on)
        if ended.ended_at != moment:  # recorded later than it happened: dated on the step's day
            Referral.objects.filter(pk=ended.pk).update(ended_at=moment)


def connect() -> None:
    shares.file_reached_decider.connect(open_share, dispatch_uid="status_share_open")
    shares.file_left_decider.connect(end_share, dispatch_uid="status_share_end")
