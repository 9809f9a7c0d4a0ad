"""Deadlines with frozen time: due dates per step, nearing and overdue lists, settings
overrides with their sources, process measures, and what waits for whom."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from opennrm.access.status import action_items
from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.nrm.status import deadlines, queries, services
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.checks import check_status_settings
from opennrm.nrm.status.models import StatusApplication, StatusStep
from opennrm.nrm.status.timeline import timeline_entries
from tests.nrm.test_status_support import (
    World,
    application_in,
    build_world,
    perform,
    register,
)


@pytest.fixture
def world(db: object, make_user: Callable[..., User], make_case: Callable[..., Case]) -> World:
    return build_world(make_user, make_case)


KYIV = zoneinfo.ZoneInfo("Europe/Kyiv")


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=KYIV)


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


def test_every_default_rule_names_its_source_and_the_unconfirmed_ones_say_verify() -> None:
    rules = deadlines.rules()
    assert set(rules) == {
        "interview",
        "forward_local",
        "forward_oblast",
        "decision",
        "overall",
        "payment",
        "reflection",
    }
    for rule in rules.values():
        assert rule.source, rule.step
        assert rule.unit in deadlines.UNITS
    # domain.md §5.8 marks the day counts [verify]; §5.9 and CETS 197 art. 13 do not.
    assert {s for s, r in rules.items() if r.verify} == {
        "interview",
        "forward_local",
        "forward_oblast",
        "decision",
        "overall",
    }
    assert rules["decision"].days == 10
    assert "10 days" in rules["decision"].source
    assert rules["overall"].days is None  # off until a deployment confirms it
    assert (rules["payment"].days, rules["payment"].unit) == (1, "months")
    assert rules["reflection"].days == 30


def test_calendar_arithmetic() -> None:
    assert deadlines.add_months(d("2016-01-31"), 1) == d("2016-02-29")
    assert deadlines.add_months(d("2015-01-31"), 1) == d("2015-02-28")
    assert deadlines.add_months(d("2016-12-15"), 1) == d("2017-01-15")
    assert deadlines.add_working_days(d("2016-03-18"), 1) == d("2016-03-21")  # Fri -> Mon
    assert deadlines.add_working_days(d("2016-03-14"), 5) == d("2016-03-21")
    assert deadlines.certificate_limit(d("2016-02-29")) == d("2018-02-28")
    assert deadlines.certificate_limit(d("2016-03-25")) == d("2018-03-25")


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2016-03-15", "on_track"),
        ("2016-03-16", "nearing"),
        ("2016-03-18", "nearing"),
        ("2016-03-19", "overdue"),
    ],
)
def test_standing_of_an_open_step(today: str, expected: str) -> None:
    assert deadlines.standing(d("2016-03-18"), d(today)) == expected


def test_standing_of_a_done_step() -> None:
    assert deadlines.standing(d("2016-03-18"), d("2016-04-01"), done_on=d("2016-03-18")) == "met"
    assert deadlines.standing(d("2016-03-18"), d("2016-04-01"), done_on=d("2016-03-19")) == "missed"
    assert deadlines.standing(None, d("2016-04-01")) is None


def test_each_state_runs_its_clock_and_each_step_records_whether_it_was_on_time(
    world: World,
) -> None:
    with time_machine.travel(at("2016-03-15"), tick=False):
        app = register(world, on=d("2016-03-15"))
        assert (app.due_step, app.due_on) == ("interview", d("2016-03-18"))
    with time_machine.travel(at("2016-03-20"), tick=False):  # two days late
        app = perform(world, app, wf.RECORD_INTERVIEW, d("2016-03-20"))
        assert (app.due_step, app.due_on) == ("forward_local", d("2016-03-23"))
        app = perform(world, app, wf.FORWARD_TO_OBLAST, d("2016-03-20"))
        assert (app.due_step, app.due_on) == ("forward_oblast", d("2016-03-23"))
    with time_machine.travel(at("2016-03-22"), tick=False):
        app = perform(world, app, wf.FORWARD_TO_NATIONAL, d("2016-03-22"))
        assert (app.due_step, app.due_on) == ("decision", d("2016-04-01"))
    with time_machine.travel(at("2016-04-01", 17), tick=False):
        app = perform(world, app, wf.GRANT, d("2016-04-01"))
        assert (app.due_step, app.due_on) == ("", None)
    steps = list(StatusStep.objects.filter(application=app).order_by("number"))
    assert [(s.action, s.due_step, s.met_deadline) for s in steps] == [
        ("register", "", None),
        ("record_interview", "interview", False),
        ("forward_to_oblast", "forward_local", True),
        ("forward_to_national", "forward_oblast", True),
        ("grant", "decision", True),
    ]


def test_nearing_and_overdue_lists_move_with_time(world: World) -> None:
    with time_machine.travel(at("2016-03-15"), tick=False):
        app = register(world, on=d("2016-03-15"))
    everything = StatusApplication.objects.all()
    for today, nearing, overdue in [
        ("2016-03-15", [], []),
        ("2016-03-16", [app.id], []),
        ("2016-03-18", [app.id], []),
        ("2016-03-19", [], [app.id]),
    ]:
        with time_machine.travel(at(today), tick=False):
            day = d(today)
            assert [a.id for a in queries.nearing(everything, day)] == nearing, today
            assert [a.id for a in queries.overdue(everything, day)] == overdue, today
            listed = [a.id for a in queries.due_soon_or_overdue(everything, day)]
            assert listed == nearing + overdue


@override_settings(
    OPENNRM_STATUS_DEADLINES={
        "interview": {"days": 5, "unit": "working_days"},
        "decision": {"days": 7, "source": "Resolution No. 417 (checked, synthetic test)"},
        "overall": {"days": 20},
        "nearing_days": 1,
    }
)
def test_a_deployment_overrides_rules_and_a_change_without_source_keeps_verify(
    world: World,
) -> None:
    rules = deadlines.rules()
    assert (rules["interview"].days, rules["interview"].unit, rules["interview"].verify) == (
        5,
        "working_days",
        True,
    )
    assert (rules["decision"].days, rules["decision"].verify) == (7, False)
    assert rules["decision"].source == "Resolution No. 417 (checked, synthetic test)"
    assert deadlines.window("nearing_days") == 1
    with time_machine.travel(at("2016-03-18"), tick=False):  # a Friday
        app = register(world, on=d("2016-03-18"))
    assert app.due_on == d("2016-03-25")  # five working days
    assert app.overall_due_on == d("2016-04-07")
    with time_machine.travel(at("2016-04-08"), tick=False):
        assert list(queries.overdue(StatusApplication.objects.all(), d("2016-04-08"))) == [app]


@pytest.mark.parametrize(
    "value",
    [
        {"decision": {"days": -1}},
        {"decision": {"unit": "weeks"}},
        {"decision": 10},
        {"reflection": {"days": 20}},
        {"nonsense": {"days": 1}},
        "10 days",
    ],
)
def test_bad_deadline_settings_fail_loudly(value: object) -> None:
    with override_settings(OPENNRM_STATUS_DEADLINES=value), pytest.raises(ImproperlyConfigured):
        deadlines.rules()


def test_process_measures_give_time_from_identification_to_decision(world: World) -> None:
    app = application_in(world, wf.GRANTED)  # identified 2016-03-14, applied 03-15, granted 03-19
    refused_world_app = app
    [measure] = queries.process_measures(StatusApplication.objects.filter(pk=refused_world_app.pk))
    assert measure.outcome == "granted"
    assert measure.days_identification_to_decision == 5
    assert measure.days_application_to_decision == 4
    assert measure.steps_on_time == 4
    assert measure.steps_late == 0
    summary = queries.process_summary(StatusApplication.objects.all())
    assert summary.by_outcome == {"granted": 1}
    assert summary.median_days_identification_to_decision == 5


def test_action_needed_shows_what_waits_for_each_agency(world: World) -> None:
    with time_machine.travel(at("2016-03-15"), tick=False):
        app = register(world, on=d("2016-03-15"))
    official, decider = world.actor(world.official), world.actor(world.decider)
    with time_machine.travel(at("2016-03-20"), tick=False):
        [item] = action_items(official)
        assert (item.kind, item.due, item.overdue) == (
            "status.interview_due",
            d("2016-03-18"),
            True,
        )
        assert item.url == f"/status-applications/{app.id}/"
        assert action_items(decider) == []
        app = perform(world, app, wf.RECORD_INTERVIEW, d("2016-03-20"))
        app = perform(world, app, wf.FORWARD_TO_OBLAST, d("2016-03-20"))
        app = perform(world, app, wf.FORWARD_TO_NATIONAL, d("2016-03-20"))
        assert action_items(official) == []
        [item] = action_items(decider)
        assert (item.kind, item.due, item.overdue) == (
            "status.decision_due",
            d("2016-03-30"),
            False,
        )
    with time_machine.travel(at("2018-02-20"), tick=False):
        app = perform(world, app, wf.GRANT, d("2016-03-21"))
        kinds = [i.kind for i in action_items(official)]
        assert kinds == ["status.certificate_expiring"]  # valid until 2018-03-20


def test_timeline_lists_the_steps_with_the_certificate(world: World) -> None:
    app = application_in(world, wf.GRANTED)
    entries = timeline_entries(world.case)
    kinds = [e.kind for e in entries]
    assert kinds == [
        "status.registered",
        "status.interview_recorded",
        "status.forwarded_to_oblast",
        "status.forwarded_to_national",
        "status.granted",
    ]
    assert app.certificate_number in entries[-1].detail
    assert entries[-1].agency_id == world.nss.id


def test_a_waiver_counts_as_the_interview_step(world: World) -> None:
    app = register(world)
    app = services.waive_interview(
        actor=world.actor(world.official),
        application=app,
        waived_on=app.applied_on,
        reason="InterviewImpossible",
    )
    assert (app.state, app.interview_mode, app.waiver_reason) == (
        wf.INTERVIEWED,
        "waived",
        "InterviewImpossible",
    )


def test_a_system_check_reports_bad_settings() -> None:
    assert check_status_settings() == []
    with override_settings(
        OPENNRM_STATUS_DEADLINES={"nearing_days": -1},
        OPENNRM_PAYMENT_MULTIPLIERS=[{"valid_from": "2022-01-01", "multiplier": 0}],
    ):
        assert [e.id for e in check_status_settings()] == ["opennrm.status.E001"] * 2


def test_action_needed_hides_held_files_from_users_without_a_status_role(
    world: World, make_user: Callable[..., User]
) -> None:
    application_in(world, wf.AT_NATIONAL)
    admin = world.actor(make_user("nss.admin", world.nss, "agency_admin"))
    assert action_items(admin) == []
    assert action_items(world.actor(world.decider))[0].kind == "status.decision_due"
