"""Writes of the one-time financial assistance (Resolution No. 660): claimed, then paid.

The amount is computed from the dated table in `payments` and stored with the rows used.
Callers fetch through `opennrm.access.status` (permission `payment.manage`, the receiving office).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.core.workflow import IllegalTransition
from opennrm.nrm.status import codes, deadlines
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.models import OneTimePayment, StatusApplication
from opennrm.nrm.status.payments import NoRateKnown, payment_amount
from opennrm.nrm.status.validation import Errors, add, audit, code, date_checks, raise_errors
from opennrm.tenancy.actor import Actor


def claim_payment(
    *, actor: Actor, application: StatusApplication, claimed_on: dt.date, category: str
) -> OneTimePayment:
    """Record a claim; the amount is computed from the dated table and stored with its rows."""
    errors: Errors = {}
    code(errors, "category", codes.PAYMENT_CATEGORY, category)
    date_checks(errors, "claimed_on", claimed_on)
    with transaction.atomic():
        app = StatusApplication.objects.select_for_update().get(pk=application.pk)
        if app.state != wf.GRANTED:
            raise IllegalTransition(wf.PAYMENT_WORKFLOW.name, app.state, wf.CLAIM)
        existing = OneTimePayment.objects.filter(application=app).first()
        if existing is not None:
            raise IllegalTransition(wf.PAYMENT_WORKFLOW.name, existing.state, wf.CLAIM)
        if claimed_on and not errors and not app.certificate_valid_on(claimed_on):
            add(errors, "claimed_on", _("The certificate is not valid on this date."))
        amount = None
        if not errors:
            try:
                amount = payment_amount(category, claimed_on)
            except NoRateKnown:
                add(
                    errors,
                    "claimed_on",
                    _("No subsistence minimum is known for this date: the table needs a row."),
                )
        raise_errors(errors)
        assert amount is not None
        due_on = deadlines.due_date(deadlines.PAYMENT, claimed_on)
        assert due_on is not None
        payment = OneTimePayment.objects.create(
            application=app,
            claimed_on=claimed_on,
            category=category,
            amount=amount.amount,
            minimum_amount=amount.minimum,
            multiplier=amount.multiplier,
            minimum_from=amount.minimum_from,
            multiplier_from=amount.multiplier_from,
            table_source=amount.source[:400],
            table_verify=amount.verify,
            due_on=due_on,
            claimed_by=actor.user,
        )
        audit(
            actor,
            "payment.claimed",
            app.case_id,
            application=str(app.id),
            payment=str(payment.id),
            category=category,
            amount=str(amount.amount),
            multiplier=amount.multiplier,
        )
    return payment


def pay(*, actor: Actor, payment: OneTimePayment, paid_on: dt.date) -> OneTimePayment:
    with transaction.atomic():
        locked = (
            OneTimePayment.objects.select_for_update()
            .select_related("application")
            .get(pk=payment.pk)
        )
        transition = wf.PAYMENT_WORKFLOW.check(locked.state, wf.PAY)
        errors: Errors = {}
        date_checks(errors, "paid_on", paid_on, after=locked.claimed_on)
        raise_errors(errors)
        locked.state = transition.target
        locked.paid_on = paid_on
        locked.paid_by = actor.user
        locked.paid_at = timezone.now()
        locked.met_deadline = paid_on <= locked.due_on
        locked.save()
        audit(
            actor,
            "payment.paid",
            locked.application.case_id,
            application=str(locked.application_id),
            payment=str(locked.id),
            on_time=locked.met_deadline,
        )
    return locked
