"""The status application's table: every legal transition works, every illegal one is refused.

Both lists are generated from the table (`workflow.WORKFLOW`), so a new state or action is
tested without writing a test for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from opennrm.access.roles import ALL_PERMISSIONS, ROLE_PERMISSIONS
from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.core.workflow import IllegalTransition
from opennrm.nrm.status import services
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.models import StatusApplication, StatusStep
from tests.nrm.test_status_support import (
    APPLIED,
    PATHS,
    World,
    application_in,
    build_world,
    perform,
    register,
)


@pytest.fixture
def world(db: object, make_user: Callable[..., User], make_case: Callable[..., Case]) -> World:
    return build_world(make_user, make_case)


TABLE = wf.WORKFLOW
USER = wf.user_transitions(TABLE)  # the system's expiry has its own tests (test_status_expiry)
LEGAL = sorted((state, t.action) for t in USER for state in t.source)
ILLEGAL = sorted((state, t.action) for state in TABLE.states for t in USER if state not in t.source)


def test_every_state_is_reachable_and_labelled() -> None:
    assert set(PATHS) == set(TABLE.states)
    assert set(wf.STATE_LABELS) == set(TABLE.states) == set(wf.STATE_LEVEL) == set(wf.OUTCOME)
    assert {t.action for t in TABLE.transitions} == set(wf.AUDIT_ACTION) - {wf.REGISTER}


def test_permissions_in_the_table_are_known_and_only_deciders_decide() -> None:
    assert {t.permission for t in USER} <= ALL_PERMISSIONS
    assert [t.action for t in TABLE.transitions if t not in USER] == [wf.EXPIRE]
    assert wf.SYSTEM not in ALL_PERMISSIONS  # no role takes the system's transition
    assert {wf.STATUS_REGISTER, wf.STATUS_PROCESS, wf.STATUS_DECIDE, wf.PAYMENT_MANAGE} <= (
        ALL_PERMISSIONS
    )
    deciders = {role for role, perms in ROLE_PERMISSIONS.items() if wf.STATUS_DECIDE in perms}
    assert deciders == {"decision_maker"}
    for t in USER:
        assert (t.permission == wf.STATUS_DECIDE) == (t.action in wf.DECISIONS), t.action


def test_final_states_have_no_way_out() -> None:
    for state in wf.FINAL:
        assert TABLE.available(state) == []


@pytest.mark.parametrize(("state", "action"), LEGAL, ids=[f"{s}-{a}" for s, a in LEGAL])
def test_legal_transition_moves_records_the_step_and_audits(
    state: str, action: str, world: World
) -> None:
    app = application_in(world, state)
    on = APPLIED + dt.timedelta(days=len(PATHS[state]) + 1)
    events = AuditEvent.objects.count()
    done = perform(world, app, action, on)
    assert done.state == TABLE.transition(action).target
    step = StatusStep.objects.filter(application=app).order_by("number").last()
    assert step is not None
    assert (step.action, step.from_state, step.to_state, step.on) == (
        action,
        state,
        done.state,
        on,
    )
    # One event for the step, one more when the case's trafficking status follows a decision,
    # one more when the file reaches or leaves the deciders (their share opens or ends).
    share = (state == wf.AT_NATIONAL) != (done.state == wf.AT_NATIONAL)
    assert AuditEvent.objects.count() == events + 1 + (action in services.CASE_OUTCOME) + share
    event = AuditEvent.objects.order_by("seq").last()
    assert event is not None
    assert event.action == wf.AUDIT_ACTION[action]
    assert event.object_id == str(world.case.id)
    assert event.detail["application"] == str(app.id)
    assert (event.detail["from"], event.detail["to"]) == (state, done.state)


@pytest.mark.parametrize(("state", "action"), ILLEGAL, ids=[f"{s}-{a}" for s, a in ILLEGAL])
def test_illegal_transition_is_refused_and_changes_nothing(
    state: str, action: str, world: World
) -> None:
    app = application_in(world, state)
    before = StatusApplication.objects.values().get(pk=app.pk)
    steps, events = StatusStep.objects.count(), AuditEvent.objects.count()
    on = APPLIED + dt.timedelta(days=len(PATHS[state]) + 1)
    with pytest.raises(IllegalTransition) as raised:
        perform(world, app, action, on)
    assert (raised.value.state, raised.value.action) == (state, action)
    assert state in str(raised.value)
    assert StatusApplication.objects.values().get(pk=app.pk) == before
    assert (StatusStep.objects.count(), AuditEvent.objects.count()) == (steps, events)


def test_illegal_transition_wins_over_bad_input(world: World) -> None:
    app = register(world)
    with pytest.raises(IllegalTransition):
        services.grant_status(
            actor=world.actor(world.decider),
            application=app,
            decided_on=APPLIED,
            certificate_number="",
            certificate_issued_on=APPLIED,
            certificate_valid_until=APPLIED,
        )


def test_returned_file_can_be_completed_and_forwarded_again(world: World) -> None:
    app = application_in(world, wf.RETURNED)
    app = perform(world, app, wf.FORWARD_TO_OBLAST, APPLIED + dt.timedelta(days=6))
    app = perform(world, app, wf.FORWARD_TO_NATIONAL, APPLIED + dt.timedelta(days=7))
    app = perform(world, app, wf.GRANT, APPLIED + dt.timedelta(days=8))
    assert app.state == wf.GRANTED
    actions = list(app.steps.order_by("number").values_list("action", flat=True))
    assert actions.count(wf.FORWARD_TO_NATIONAL) == 2


def test_court_annulment_sends_the_file_back_for_a_new_decision(world: World) -> None:
    app = application_in(world, wf.APPEALED)
    app = perform(world, app, wf.COURT_ANNULS_REFUSAL, APPLIED + dt.timedelta(days=7))
    assert (app.state, app.court_outcome, app.due_step) == (
        wf.AT_NATIONAL,
        "RefusalAnnulled",
        "decision",
    )
    assert perform(world, app, wf.GRANT, APPLIED + dt.timedelta(days=8)).state == wf.GRANTED


def test_a_date_before_the_previous_step_is_refused_on_its_field(world: World) -> None:
    app = register(world)
    with pytest.raises(ValidationError) as raised:
        services.record_interview(
            actor=world.actor(world.official),
            application=app,
            interviewed_on=APPLIED - dt.timedelta(days=1),
            consent_recorded=True,
            nondisclosure_signed=True,
        )
    assert "interviewed_on" in raised.value.message_dict


def test_interview_needs_consent_first_and_the_undertaking(world: World) -> None:
    app = register(world)
    with pytest.raises(ValidationError) as raised:
        services.record_interview(
            actor=world.actor(world.official),
            application=app,
            interviewed_on=APPLIED,
            consent_recorded=False,
            nondisclosure_signed=False,
        )
    assert set(raised.value.message_dict) == {"consent_recorded", "nondisclosure_signed"}
    assert StatusApplication.objects.get(pk=app.pk).state == wf.REGISTERED


def test_waiver_needs_a_reason_from_the_list(world: World) -> None:
    app = register(world)
    with pytest.raises(ValidationError) as raised:
        services.waive_interview(
            actor=world.actor(world.official), application=app, waived_on=APPLIED, reason="Busy"
        )
    assert "reason" in raised.value.message_dict


def test_forwarding_needs_an_agency_of_the_next_level(world: World) -> None:
    app = application_in(world, wf.INTERVIEWED)
    with pytest.raises(ValidationError) as raised:
        services.forward_to_oblast(
            actor=world.actor(world.official), application=app, to_agency=world.nss
        )
    assert "to_agency" in raised.value.message_dict


def test_journal_number_is_unique_per_receiving_agency(world: World) -> None:
    register(world, journal_number="1/2016")
    perform(world, StatusApplication.objects.get(), wf.WITHDRAW, APPLIED)
    with pytest.raises(ValidationError) as raised:
        register(world, journal_number="1/2016")
    assert "journal_number" in raised.value.message_dict
    assert register(world, journal_number="2/2016").journal_number == "2/2016"


def test_one_open_application_per_case(world: World) -> None:
    register(world, journal_number="1/2016")
    with pytest.raises(ValidationError) as raised:
        register(world, journal_number="2/2016")
    assert "__all__" in raised.value.message_dict


def test_only_receiving_offices_register(world: World) -> None:
    with pytest.raises(ValidationError) as raised:
        services.register_application(
            actor=world.actor(world.decider),
            case=world.case,
            journal_number="9",
            applied_on=APPLIED,
        )
    assert "__all__" in raised.value.message_dict


@override_settings(OPENNRM_STATUS_INTERMEDIATE_LEVEL=False)
def test_without_an_oblast_level_the_local_office_forwards_to_the_deciders(world: World) -> None:
    table = wf.application_workflow()
    assert wf.AT_OBLAST not in table.states
    app = application_in(world, wf.INTERVIEWED)
    with pytest.raises(IllegalTransition):
        perform(world, app, wf.FORWARD_TO_OBLAST, APPLIED + dt.timedelta(days=2))
    app = perform(world, app, wf.FORWARD_TO_NATIONAL, APPLIED + dt.timedelta(days=2))
    assert app.state == wf.AT_NATIONAL
    assert app.oblast_agency_id is None
