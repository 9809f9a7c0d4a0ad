"""What a case itself contributes to its timeline: identification, registration, consent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.cases.models import Case
from opennrm.core.codes import CHANNEL, LEGAL_BASIS, code_list
from opennrm.core.entries import TimelineEntry


def _day(date: dt.date) -> dt.datetime:
    return dt.datetime.combine(date, dt.time.min, tzinfo=timezone.get_current_timezone())


def _on_day(date: dt.date, recorded: dt.datetime | None) -> dt.datetime:
    """A dated event, at the time it was recorded when recorded that day (keeps the order)."""
    if recorded is not None and timezone.localtime(recorded).date() == date:
        return recorded
    return _day(date)


def timeline_entries(case: Case) -> list[TimelineEntry]:
    entries = [
        TimelineEntry(
            at=_day(case.identified_on),
            kind="case.identified",
            label=_("Identified by %(agency)s (%(channel)s)")
            % {
                "agency": case.identifying_agency.display_name,
                "channel": code_list(CHANNEL).label(case.channel),
            },
            agency_id=case.identifying_agency_id,
        ),
        TimelineEntry(
            at=case.created_at,
            kind="case.registered",
            label=_("Registered by %(agency)s") % {"agency": case.identifying_agency.display_name},
            agency_id=case.identifying_agency_id,
            actor_id=case.registered_by_id,
        ),
    ]
    for consent in case.consents.all():
        basis = code_list(LEGAL_BASIS).label(consent.legal_basis)
        entries.append(
            TimelineEntry(
                at=_on_day(consent.given_on, consent.recorded_at),
                kind="consent.recorded",
                label=_("Legal basis recorded: %(basis)s") % {"basis": basis},
                agency_id=case.owner_agency_id,
                actor_id=consent.recorded_by_id,
            )
        )
        if consent.withdrawn_on:
            entries.append(
                TimelineEntry(
                    at=_on_day(consent.withdrawn_on, consent.withdrawn_at),
                    kind="consent.withdrawn",
                    label=_("Consent withdrawn"),
                    agency_id=case.owner_agency_id,
                    actor_id=consent.withdrawn_by_id,
                )
            )
    return entries
