"""Shared input checks and the audit call of the status services (codes only in audit)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.audit.services import record
from opennrm.nrm.status import codes
from opennrm.tenancy.actor import Actor

PURPOSE = "StatusApplication"
Errors = dict[str, list[str]]


def add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def raise_errors(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def date_checks(
    errors: Errors, field: str, day: dt.date | None, *, after: dt.date | None = None
) -> None:
    if day is None:
        add(errors, field, _("This field is required."))
        return
    if day > timezone.localdate():
        add(errors, field, _("The date cannot be in the future."))
    if after is not None and day < after:
        add(
            errors,
            field,
            _("The date cannot be before the previous step (%(date)s).")
            % {"date": after.isoformat()},
        )


def code(errors: Errors, field: str, values: codes.StatusCodes, value: str) -> None:
    if not value:
        add(errors, field, _("This field is required."))
    elif value not in values:
        add(errors, field, _("%(value)s is not a valid choice.") % {"value": value})


def audit(actor: Actor, action: str, case_id: Any, **detail: Any) -> None:
    record(
        action=action,
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type="case",
        object_id=case_id,
        purpose=PURPOSE,
        detail=detail,
    )
