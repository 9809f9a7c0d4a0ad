"""Make notifications from what happened: new audit events since a cursor (referrals sent and
answered, status files returned), new perpetrator alerts, and deadlines (status applications
near or past their deadline, MLA requests past theirs). Idempotent: each event notifies each
user once (`Notification.key`), so a run may repeat safely. Run by the worker (tasks.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Final

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from opennrm.access import notices as gate
from opennrm.audit.models import AuditEvent
from opennrm.justice.perpetrators import Alert, MlaRequest
from opennrm.notices import kinds
from opennrm.notices.models import NoticeCursor
from opennrm.notices.services import notify
from opennrm.nrm.referrals.models import Referral
from opennrm.nrm.referrals.workflow import PENDING
from opennrm.nrm.status import deadlines
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.models import StatusApplication
from opennrm.tenancy.models import Agency

AUDIT_ACTIONS: Final = (
    "referral.sent",
    "referral.accepted",
    "referral.declined",
    wf.AUDIT_ACTION[wf.RETURN_INCOMPLETE],
)
BATCH: Final = 500
# Deadlines missed longer ago than this are not announced any more (action needed keeps them).
MISSED_WITHIN_DAYS: Final = 7
# Events older than this are not announced (when the worker was stopped long, or a history
# was loaded): what still waits shows on "action needed".
NEWS_WITHIN_DAYS: Final = 7
# Alerts raised longer ago than this are not announced any more (the alert list keeps them).
ALERTS_WITHIN_DAYS: Final = 7


@dataclass
class Run:
    events: int = 0
    made: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, count: int) -> None:
        if count:
            self.made[kind] = self.made.get(kind, 0) + count


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def from_audit(run: Run) -> None:
    """The audit events after the cursor, in order; the cursor moves past each batch."""
    with transaction.atomic():
        cursor, _created = NoticeCursor.objects.select_for_update().get_or_create(name="audit")
        events = list(
            AuditEvent.objects.filter(seq__gt=cursor.seq, action__in=AUDIT_ACTIONS).order_by("seq")[
                :BATCH
            ]
        )
        for event in events:
            _event(event, run)
        if events:
            cursor.seq = events[-1].seq
            cursor.save(update_fields=["seq"])
        run.events += len(events)


def _event(event: AuditEvent, run: Run) -> None:
    if event.at < timezone.now() - dt.timedelta(days=NEWS_WITHIN_DAYS):
        return  # old news (a restored backup, a loaded history): action needed keeps what waits
    key = f"audit:{event.seq}"
    detail = event.detail or {}
    if event.action.startswith("referral."):
        referral_id = _uuid(detail.get("referral"))
        referral = (
            Referral.objects.filter(id=referral_id)
            .select_related("case", "from_agency", "to_agency")
            .first()
            if referral_id
            else None
        )
        if referral is None:
            return
        if event.action == "referral.sent":
            if referral.state != PENDING:
                return  # already answered (or cancelled): nothing waits any more
            kind = kinds.REFERRAL_RECEIVED
            users = gate.referral_recipients(referral.to_agency_id)
            agency = referral.from_agency
        else:
            kind = kinds.REFERRAL_ANSWERED
            users = gate.referral_answer_recipients(referral.from_agency_id)
            agency = referral.to_agency
        made = notify(
            users=users,
            kind=kind,
            agency=agency,
            object_type="referral",
            object_id=referral.id,
            key=key,
            reference=referral.case.reference,
            purpose=referral.purpose,
        )
        run.add(kind, len(made))
        return
    application_id = _uuid(detail.get("application"))
    app = StatusApplication.objects.filter(id=application_id).first() if application_id else None
    if app is None or app.state != wf.RETURNED:
        return  # gone, or already completed and forwarded again: nothing to tell
    made = notify(
        users=gate.status_file_recipients(app),
        kind=kinds.STATUS_FILE_RETURNED,
        agency=Agency.objects.filter(id=event.agency_id).first() if event.agency_id else None,
        object_type="application",
        object_id=app.id,
        key=key,
        reference=app.journal_number,
    )
    run.add(kinds.STATUS_FILE_RETURNED, len(made))


def from_alerts(run: Run, now: dt.datetime | None = None) -> None:
    since = (now or timezone.now()) - dt.timedelta(days=ALERTS_WITHIN_DAYS)
    for alert in Alert.objects.filter(raised_at__gte=since, seen_at=None).select_related(
        "recipient"
    ):
        made = notify(
            users=gate.alert_recipients(alert.recipient),
            kind=kinds.PERPETRATOR_ALERT,
            agency=None,
            object_type="alert",
            object_id=alert.id,
        )
        run.add(kinds.PERPETRATOR_ALERT, len(made))


def from_deadlines(run: Run, today: dt.date | None = None) -> None:
    """Status files due within the nearing window or missed lately, and MLA requests past
    their deadline: the agency holding the file (the unit that sent the request) is told once
    per deadline."""
    today = today or timezone.localdate()
    near_until = today + dt.timedelta(days=deadlines.window("nearing_days"))
    missed_since = today - dt.timedelta(days=MISSED_WITHIN_DAYS)
    in_window = Q(due_on__gte=missed_since, due_on__lte=near_until) | Q(
        overall_due_on__gte=missed_since, overall_due_on__lte=near_until
    )
    waiting = StatusApplication.objects.filter(in_window, state__in=list(wf.WAITING))
    for app in waiting:
        due = app.next_due_on
        if due is None or due < missed_since or due > near_until:
            continue
        kind = kinds.STATUS_DEADLINE_MISSED if due < today else kinds.STATUS_DEADLINE_NEAR
        made = notify(
            users=gate.status_file_recipients(app),
            kind=kind,
            agency=None,
            object_type="application",
            object_id=app.id,
            key=f"{app.state}:{due.isoformat()}",
            reference=app.journal_number,
        )
        run.add(kind, len(made))
    late = MlaRequest.objects.filter(answered_on=None, due_on__lt=today, due_on__gte=missed_since)
    for request in late:
        assert request.due_on is not None
        made = notify(
            users=gate.mla_recipients(request.agency_id),
            kind=kinds.MLA_DEADLINE_MISSED,
            agency=None,
            object_type="mla",
            object_id=request.id,
            key=request.due_on.isoformat(),
        )
        run.add(kinds.MLA_DEADLINE_MISSED, len(made))


def produce(now: dt.datetime | None = None) -> Run:
    """One run of everything (what the worker does every few minutes)."""
    run = Run()
    from_audit(run)
    from_alerts(run, now)
    from_deadlines(run, timezone.localdate(now) if now else None)
    return run
