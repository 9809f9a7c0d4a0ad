"""Writes of the recovery and reflection period for foreign presumed victims (CETS 197 art. 13).

A policy setting of the deployment, not Ukrainian law (`OPENNRM_REFLECTION_PERIOD_ENABLED`, on by
default): switched off, no new period can be recorded; recorded ones keep their history.

At least 30 days (configurable upwards), with its clock; it may end early with a reason.
Callers fetch the case through the access gate (`case.change`).
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from opennrm.cases.models import Case
from opennrm.core.workflow import IllegalTransition
from opennrm.nrm.status import codes, deadlines
from opennrm.nrm.status.models import ReflectionPeriod
from opennrm.nrm.status.validation import Errors, add, audit, code, date_checks, raise_errors
from opennrm.tenancy.actor import Actor

# Ukrainian law has no reflection period: OpenNRM offers it as a policy of the deployment,
# following the Council of Europe Convention (ratified by Ukraine), on by default.
POLICY_SOURCE: Final = (
    codes.CETS197 + " on Action against Trafficking in Human Beings (2005), art. 13"
)
POLICY_NOTE: Final = _lazy(
    "A policy setting, not Ukrainian law: no Ukrainian act provides a reflection period; it "
    "follows the Council of Europe Convention on Action against Trafficking in Human Beings "
    "(CETS 197), art. 13."
)


def enabled() -> bool:
    """Whether the deployment offers the reflection period (OPENNRM_REFLECTION_PERIOD_ENABLED)."""
    return bool(getattr(settings, "OPENNRM_REFLECTION_PERIOD_ENABLED", True))


def start_reflection_period(
    *, actor: Actor, case: Case, starts_on: dt.date, days: int
) -> ReflectionPeriod:
    """A reflection period for a foreign (or stateless) presumed victim: at least 30 days."""
    if actor.agency is None:
        raise ValueError("an actor without an agency cannot record reflection periods")
    errors: Errors = {}
    if not enabled():
        add(
            errors,
            NON_FIELD_ERRORS,
            _(
                "This deployment does not offer a reflection period (a policy setting, "
                "OPENNRM_REFLECTION_PERIOD_ENABLED)."
            ),
        )
    date_checks(errors, "starts_on", starts_on)
    minimum = deadlines.reflection_min_days()
    if days is None or days < minimum:
        add(errors, "days", _("At least %(n)d days.") % {"n": minimum})
    elif days > 365:
        add(errors, "days", _("At most 365 days; record a residence permit instead."))
    if "UA" in (case.person.citizenships or []):
        add(
            errors,
            NON_FIELD_ERRORS,
            _("A reflection period is for foreign or stateless presumed victims."),
        )
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).first()
        if starts_on and days and not errors:
            ends_on = starts_on + dt.timedelta(days=days - 1)
            overlapping = ReflectionPeriod.objects.filter(
                case=case,
                ended_early_on__isnull=True,
                starts_on__lte=ends_on,
                ends_on__gte=starts_on,
            )
            if overlapping.exists():
                add(errors, "starts_on", _("Another reflection period covers these dates."))
        raise_errors(errors)
        period = ReflectionPeriod.objects.create(
            case=case,
            agency=actor.agency,
            starts_on=starts_on,
            days=days,
            ends_on=starts_on + dt.timedelta(days=days - 1),
            recorded_by=actor.user,
        )
        audit(actor, "reflection.started", case.id, period=str(period.id), days=days)
    return period


def end_reflection_period(
    *, actor: Actor, period: ReflectionPeriod, ended_on: dt.date, reason: str
) -> ReflectionPeriod:
    errors: Errors = {}
    code(errors, "reason", codes.REFLECTION_END_REASON, reason)
    with transaction.atomic():
        locked = ReflectionPeriod.objects.select_for_update().get(pk=period.pk)
        if locked.ended_early_on is not None:
            raise IllegalTransition("reflection period", "ended", "end_early")
        date_checks(errors, "ended_on", ended_on, after=locked.starts_on)
        if ended_on and ended_on > locked.ends_on:
            add(errors, "ended_on", _("The period had already ended on that date."))
        raise_errors(errors)
        locked.ended_early_on = ended_on
        locked.ended_early_reason = reason
        locked.save(update_fields=["ended_early_on", "ended_early_reason"])
        audit(
            actor,
            "reflection.ended_early",
            locked.case_id,
            period=str(locked.id),
            reason=reason,
            days_used=(ended_on - locked.starts_on).days + 1,
        )
    return locked
