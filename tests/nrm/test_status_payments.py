"""The one-time financial assistance by date and category, the certificate's validity, and the
recovery and reflection period for foreign presumed victims."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import override_settings

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.cases.services import PersonInput
from opennrm.core.ages import PartialDate
from opennrm.core.workflow import IllegalTransition
from opennrm.nrm.status import payment_services, payments, reflection_services, services
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.models import CertificateExtension, StatusApplication
from opennrm.people.identity import Identity
from tests.nrm.test_status_support import (
    APPLIED,
    World,
    application_in,
    build_world,
    perform,
)


@pytest.fixture
def world(db: object, make_user: Callable[..., User], make_case: Callable[..., Case]) -> World:
    return build_world(make_user, make_case)


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


@pytest.mark.parametrize(
    ("on", "category", "minimum", "multiplier", "amount"),
    [
        ("2013-01-01", "General", "1108", 1, "1108.00"),
        ("2013-11-30", "ChildUnder6", "972", 1, "972.00"),
        ("2014-06-01", "AbleBodied", "1218", 1, "1218.00"),  # frozen 2014 to Aug 2015
        ("2016-06-15", "AbleBodied", "1450", 1, "1450.00"),
        ("2016-12-01", "Child6To18", "1689", 1, "1689.00"),
        ("2019-01-01", "ChildUnder6", "1626", 1, "1626.00"),
        ("2019-07-01", "ChildUnder6", "1699", 1, "1699.00"),
        ("2019-12-01", "ChildUnder6", "1779", 1, "1779.00"),
        ("2020-01-15", "ChildUnder6", "1779", 1, "1779.00"),  # unchanged by the Law for 2020
        ("2020-07-01", "ChildUnder6", "1859", 1, "1859.00"),
        ("2020-12-01", "ChildUnder6", "1921", 1, "1921.00"),
        ("2021-07-01", "ChildUnder6", "2013", 1, "2013.00"),
        ("2021-12-31", "LostAbilityToWork", "1934", 1, "1934.00"),
        ("2022-01-01", "LostAbilityToWork", "1934", 3, "5802.00"),  # three minimums from 2022
        ("2022-07-01", "AbleBodied", "2600", 3, "7800.00"),
        ("2023-05-05", "AbleBodied", "2684", 3, "8052.00"),
        ("2024-03-01", "General", "2920", 3, "8760.00"),
        ("2025-06-30", "Child6To18", "3196", 3, "9588.00"),
    ],
)
def test_payment_amount_by_date_and_category(
    on: str, category: str, minimum: str, multiplier: int, amount: str
) -> None:
    result = payments.payment_amount(category, d(on))
    assert (result.minimum, result.multiplier, result.amount) == (
        Decimal(minimum),
        multiplier,
        Decimal(amount),
    )
    assert result.verify is True  # the multiplier (Resolution No. 660) is still to verify
    assert "State Budget" in result.source
    assert "Resolution No. 660" in result.source


def test_every_row_names_its_law_and_date_and_covers_every_category() -> None:
    rows = payments.minimums()
    assert [r.valid_from for r in rows] == sorted(r.valid_from for r in rows)
    assert len({r.valid_from for r in rows}) == len(rows)
    for row in rows:
        assert set(row.amounts) == set(payments.CATEGORIES)
        assert "State Budget of Ukraine for" in row.source
        assert f"for {row.valid_from.year}”" in row.source  # the law of the row's own year
        assert row.law_date is not None
        # Adopted before the year it budgets (the Law for 2014 late, on 16 Jan 2014).
        assert row.law_date.year in (row.valid_from.year - 1, row.valid_from.year)
        assert row.law_date.isoformat() in row.source
        assert row.unconfirmed <= set(payments.CATEGORIES)
        # Every row says how it was checked; an unconfirmed amount says "verify".
        assert row.note
        assert ("verify" in row.note) == bool(row.unconfirmed), row.valid_from
    assert [(m.multiplier, m.verify) for m in payments.multipliers()] == [(1, True), (3, True)]


def test_every_year_from_2013_has_a_row_from_the_first_of_january() -> None:
    starts = {r.valid_from for r in payments.minimums()}
    assert {dt.date(y, 1, 1) for y in range(2013, 2026)} <= starts


def test_the_amounts_never_fall() -> None:
    """The budget laws of 2013-2025 only raised or kept the minimums (the under-6 amount falling
    from 1,889 to 1,779 on 2020-01-01 was an error of the earlier table)."""
    rows = payments.minimums()
    for category in payments.CATEGORIES:
        amounts = [r.amounts[category] for r in rows]
        assert amounts == sorted(amounts), category
    # Children's amounts stay below the general one, as in every law of the period.
    for row in rows:
        assert row.amounts["ChildUnder6"] < row.amounts["General"] < row.amounts["Child6To18"]


def test_the_checked_rows_are_not_marked_verify() -> None:
    checked = {r.valid_from: r for r in payments.minimums() if not r.unconfirmed}
    assert dt.date(2019, 12, 1) in checked
    assert dt.date(2017, 1, 1) in checked
    assert payments.payment_amount("ChildUnder6", d("2019-12-15")).minimum == Decimal("1779")
    unconfirmed = {r.valid_from for r in payments.minimums() if r.unconfirmed}
    assert {dt.date(2013, 1, 1), dt.date(2016, 12, 1), dt.date(2025, 1, 1)} <= unconfirmed


def test_no_amount_before_the_table_starts() -> None:
    with pytest.raises(payments.NoRateKnown):
        payments.payment_amount("General", d("2012-12-31"))


@override_settings(
    OPENNRM_SUBSISTENCE_MINIMUMS=[
        {
            "valid_from": "2026-01-01",
            "amounts": dict.fromkeys(payments.CATEGORIES, "3000"),
            "source": "Law on the State Budget for 2026 (synthetic test)",
        }
    ],
    OPENNRM_PAYMENT_MULTIPLIERS=[{"valid_from": "2026-01-01", "multiplier": 2}],
)
def test_a_deployment_replaces_the_tables() -> None:
    result = payments.payment_amount("AbleBodied", d("2026-02-01"))
    assert (result.amount, result.multiplier) == (Decimal("6000.00"), 2)
    assert result.verify is True  # the multiplier row gave no source


@pytest.mark.parametrize(
    "rows",
    [[{"valid_from": "2026-01-01", "amounts": {"General": "1"}}], [{"amounts": {}}], ["x"]],
)
def test_a_bad_table_fails_loudly(rows: object) -> None:
    with override_settings(OPENNRM_SUBSISTENCE_MINIMUMS=rows), pytest.raises(ImproperlyConfigured):
        payments.minimums()


def test_claimed_then_paid_within_a_month(world: World) -> None:
    app = application_in(world, wf.GRANTED)  # granted 2016-03-19
    hromada = world.actor(world.official)
    with time_machine.travel(dt.datetime(2016, 3, 31, 12, tzinfo=dt.UTC), tick=False):
        payment = payment_services.claim_payment(
            actor=hromada, application=app, claimed_on=d("2016-03-31"), category="AbleBodied"
        )
    assert (payment.state, payment.amount, payment.minimum_from) == (
        wf.CLAIMED,
        Decimal("1378.00"),  # the Law for 2016: 1378 from 1 Jan to 30 Apr 2016
        d("2016-01-01"),
    )
    assert payment.due_on == d("2016-04-30")
    assert payment.table_verify is True
    with pytest.raises(IllegalTransition):
        payment_services.claim_payment(
            actor=hromada, application=app, claimed_on=d("2016-03-31"), category="AbleBodied"
        )
    with time_machine.travel(dt.datetime(2016, 5, 2, 12, tzinfo=dt.UTC), tick=False):
        paid = payment_services.pay(actor=hromada, payment=payment, paid_on=d("2016-05-02"))
    assert (paid.state, paid.met_deadline) == (wf.PAID, False)
    with pytest.raises(IllegalTransition):
        payment_services.pay(actor=hromada, payment=paid, paid_on=d("2016-05-02"))
    claimed = AuditEvent.objects.get(action="payment.claimed")
    assert claimed.detail["amount"] == "1378.00"
    assert AuditEvent.objects.get(action="payment.paid").detail["on_time"] is False


def test_no_claim_without_a_granted_status(world: World) -> None:
    app = application_in(world, wf.AT_NATIONAL)
    with pytest.raises(IllegalTransition):
        payment_services.claim_payment(
            actor=world.actor(world.official),
            application=app,
            claimed_on=APPLIED,
            category="General",
        )


def test_no_claim_outside_the_certificates_validity(world: World) -> None:
    app = application_in(world, wf.GRANTED)
    with pytest.raises(ValidationError) as raised:
        payment_services.claim_payment(
            actor=world.actor(world.official),
            application=app,
            claimed_on=d("2016-03-01"),
            category="General",
        )
    assert "claimed_on" in raised.value.message_dict


# --- the certificate -------------------------------------------------------------------------


def _grant(world: World, app: StatusApplication, issued: str, until: str) -> StatusApplication:
    return services.grant_status(
        actor=world.actor(world.decider),
        application=app,
        decided_on=d(issued),
        certificate_number="C-1",
        certificate_issued_on=d(issued),
        certificate_valid_until=d(until),
    )


@pytest.mark.parametrize(
    ("issued", "until", "ok"),
    [
        ("2016-03-25", "2018-03-25", True),  # exactly two years
        ("2016-03-25", "2018-03-26", False),
        ("2016-03-25", "2016-03-25", False),
        ("2016-02-29", "2018-02-28", True),
        ("2016-02-29", "2018-03-01", False),
    ],
)
def test_a_certificate_is_valid_for_at_most_two_years(
    world: World, issued: str, until: str, ok: bool
) -> None:
    app = application_in(world, wf.AT_NATIONAL, start=d("2016-02-20"))
    if ok:
        assert _grant(world, app, issued, until).certificate_valid_until == d(until)
    else:
        with pytest.raises(ValidationError) as raised:
            _grant(world, app, issued, until)
        assert "certificate_valid_until" in raised.value.message_dict
        assert StatusApplication.objects.get(pk=app.pk).state == wf.AT_NATIONAL


def test_certificate_numbers_are_unique_at_the_deciding_agency(
    world: World, make_case: Callable[..., Case]
) -> None:
    first = application_in(world, wf.AT_NATIONAL)
    _grant(world, first, "2016-03-25", "2017-03-25")
    world.case = make_case(world.actor(world.official))
    second = application_in(world, wf.AT_NATIONAL, journal_number="18/2016")
    with pytest.raises(ValidationError) as raised:
        _grant(world, second, "2016-03-25", "2017-03-25")
    assert "certificate_number" in raised.value.message_dict


def test_extension_keeps_the_history_and_the_two_year_limit(world: World) -> None:
    app = application_in(world, wf.GRANTED)  # valid until 2018-03-18
    decider = world.actor(world.decider)
    with pytest.raises(ValidationError) as raised:
        services.extend_certificate(
            actor=decider, application=app, extended_on=d("2018-03-01"), valid_until=d("2020-03-02")
        )
    assert "valid_until" in raised.value.message_dict
    with pytest.raises(ValidationError):
        services.extend_certificate(
            actor=decider, application=app, extended_on=d("2018-03-01"), valid_until=d("2018-03-10")
        )
    app = services.extend_certificate(
        actor=decider, application=app, extended_on=d("2018-03-01"), valid_until=d("2020-03-01")
    )
    assert app.certificate_valid_until == d("2020-03-01")
    ext = CertificateExtension.objects.get()
    assert (ext.previous_valid_until, ext.valid_until) == (d("2018-03-18"), d("2020-03-01"))


def test_revocation_needs_a_ground(world: World) -> None:
    app = application_in(world, wf.GRANTED)
    with pytest.raises(ValidationError) as raised:
        services.revoke_status(
            actor=world.actor(world.decider), application=app, revoked_on=APPLIED, reason=""
        )
    assert "reason" in raised.value.message_dict
    app = perform(world, app, wf.REVOKE, d("2016-04-01"))
    assert (app.state, app.revocation_reason) == (wf.REVOKED, "FalseInformation")


# --- the recovery and reflection period ------------------------------------------------------


def _foreign_case(world: World, make_case: Callable[..., Case]) -> Case:
    person = PersonInput(
        identity=Identity(
            first_name="Ion", family_name="Testescu", birth_date=PartialDate.parse("1991")
        ),
        gender="Masculine",
        citizenships=["MD"],
    )
    return make_case(world.actor(world.official), person=person)


def test_a_reflection_period_is_for_foreigners_and_at_least_30_days(
    world: World, make_case: Callable[..., Case]
) -> None:
    actor = world.actor(world.official)
    with pytest.raises(ValidationError) as raised:
        reflection_services.start_reflection_period(
            actor=actor, case=world.case, starts_on=APPLIED, days=30
        )
    assert "__all__" in raised.value.message_dict  # a citizen of Ukraine
    case = _foreign_case(world, make_case)
    with pytest.raises(ValidationError) as raised:
        reflection_services.start_reflection_period(
            actor=actor, case=case, starts_on=APPLIED, days=29
        )
    assert "days" in raised.value.message_dict
    period = reflection_services.start_reflection_period(
        actor=actor, case=case, starts_on=d("2016-04-01"), days=30
    )
    assert period.ends_on == d("2016-04-30")
    assert period.is_active_on(d("2016-04-30"))
    assert not period.is_active_on(d("2016-05-01"))
    with pytest.raises(ValidationError):
        reflection_services.start_reflection_period(
            actor=actor, case=case, starts_on=d("2016-04-15"), days=30
        )


def test_a_reflection_period_ends_early_once_with_a_reason(
    world: World, make_case: Callable[..., Case]
) -> None:
    actor = world.actor(world.official)
    period = reflection_services.start_reflection_period(
        actor=actor, case=_foreign_case(world, make_case), starts_on=d("2016-04-01"), days=45
    )
    ended = reflection_services.end_reflection_period(
        actor=actor, period=period, ended_on=d("2016-04-10"), reason="ResidencePermitGranted"
    )
    assert not ended.is_active_on(d("2016-04-11"))
    with pytest.raises(IllegalTransition):
        reflection_services.end_reflection_period(
            actor=actor, period=ended, ended_on=d("2016-04-11"), reason="Other"
        )
    event = AuditEvent.objects.get(action="reflection.ended_early")
    assert event.detail["days_used"] == 10
