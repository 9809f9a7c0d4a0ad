"""Issue 9, points 1 and 2: the case follows the status decision (HTCDS trafficking status and
its deciding organisation), the timeline shows it; certificates expire by a daily job and show
on "action needed" ahead of time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from opennrm.access import status as gate
from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.nrm.status import services, tasks
from opennrm.nrm.status import timeline as status_timeline
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.models import StatusApplication, StatusStep
from opennrm.tenancy.actor import actor_for
from tests.nrm.test_status_support import APPLIED, World, application_in, build_world, perform


@pytest.fixture
def world(db: object, make_user: Callable[..., User], make_case: Callable[..., Case]) -> World:
    return build_world(make_user, make_case)


def _case(world: World) -> Case:
    return Case.objects.get(pk=world.case.pk)


# --- point 1: the case follows the decision ----------------------------------------------------


def test_a_grant_makes_the_case_an_actual_victim_decided_by_the_government(world: World) -> None:
    assert _case(world).trafficking_status == "PossibleVictimOfTrafficking"
    app = application_in(world, wf.GRANTED)
    case = _case(world)
    assert (case.trafficking_status, case.status_decision_org) == (
        "ActualVictimOfTrafficking",
        "NonPoliceGovernmentalOrganization",
    )
    step = StatusStep.objects.get(application=app, action=wf.GRANT)
    assert (step.case_outcome, step.trafficking_status, step.status_decision_org) == (
        "Granted",
        "ActualVictimOfTrafficking",
        "NonPoliceGovernmentalOrganization",
    )
    event = AuditEvent.objects.get(action="case.trafficking_status_decided")
    assert event.object_id == str(world.case.id)
    assert event.detail == {
        "outcome": "Granted",
        "on": app.decided_on.isoformat() if app.decided_on else None,
        "application": str(app.id),
        "trafficking_status": "ActualVictimOfTrafficking",
        "decision_org": "NonPoliceGovernmentalOrganization",
        "changed": True,
    }
    assert app.decided_on == APPLIED + dt.timedelta(days=4)


def test_a_refusal_records_not_a_victim_and_an_annulment_undoes_it(world: World) -> None:
    app = application_in(world, wf.REFUSED)
    case = _case(world)
    assert (case.trafficking_status, case.status_decision_org) == (
        "NotAVictimOfTrafficking",
        "NonPoliceGovernmentalOrganization",
    )
    app = perform(world, app, wf.LODGE_APPEAL, APPLIED + dt.timedelta(days=6))
    app = perform(world, app, wf.COURT_ANNULS_REFUSAL, APPLIED + dt.timedelta(days=7))
    case = _case(world)
    assert (case.trafficking_status, case.status_decision_org) == (
        "PossibleVictimOfTrafficking",
        "",
    )


def test_a_refusal_does_not_undo_another_organisations_finding(world: World) -> None:
    Case.objects.filter(pk=world.case.pk).update(
        trafficking_status="ActualVictimOfTrafficking", status_decision_org="Police"
    )
    app = application_in(world, wf.REFUSED)
    case = _case(world)
    assert (case.trafficking_status, case.status_decision_org) == (
        "ActualVictimOfTrafficking",
        "Police",
    )
    step = StatusStep.objects.get(application=app, action=wf.REFUSE)
    assert (step.case_outcome, step.trafficking_status) == ("Refused", "ActualVictimOfTrafficking")


def test_a_revocation_on_a_court_finding_names_the_court(world: World) -> None:
    app = application_in(world, wf.GRANTED)
    services.revoke_status(
        actor=actor_for(world.decider),
        application=app,
        revoked_on=APPLIED + dt.timedelta(days=9),
        reason="CourtFoundNoTrafficking",
    )
    case = _case(world)
    assert (case.trafficking_status, case.status_decision_org) == (
        "NotAVictimOfTrafficking",
        "CourtOrProsecution",
    )


def test_the_timeline_shows_what_the_decision_made_the_case_say(world: World) -> None:
    application_in(world, wf.GRANTED)
    with translation.override("en"):
        entries = status_timeline.timeline_entries(world.case)
    granted = next(e for e in entries if e.kind == "status.granted")
    assert "trafficking status on the case: Actual victim of trafficking" in granted.detail
    assert "decided by: Non-police governmental organization" in granted.detail


# --- point 2: expiry ---------------------------------------------------------------------------


def test_the_command_expires_past_certificates_once_and_the_case_keeps_its_finding(
    world: World,
) -> None:
    app = application_in(world, wf.GRANTED)
    assert app.certificate_valid_until is not None
    assert app.certificate_valid_until < timezone.localdate()  # granted in 2016 for two years
    assert app.state_label == str(wf.STATE_LABELS[wf.EXPIRED])  # shown before the job runs
    out = StringIO()
    call_command("expire_certificates", stdout=out)
    assert out.getvalue().strip() == "1 certificate(s) marked expired"
    app.refresh_from_db()
    assert (app.state, app.state_since) == (
        wf.EXPIRED,
        app.certificate_valid_until + dt.timedelta(days=1),
    )
    step = StatusStep.objects.filter(application=app).order_by("number").last()
    assert step is not None
    assert (step.action, step.actor_id, step.agency_id) == (wf.EXPIRE, None, None)
    event = AuditEvent.objects.filter(action="status.certificate_expired").get()
    assert (event.actor_id, event.detail["to"]) == (None, wf.EXPIRED)
    assert _case(world).trafficking_status == "ActualVictimOfTrafficking"
    # Idempotent: a second run the same day changes nothing.
    out = StringIO()
    call_command("expire_certificates", stdout=out)
    assert out.getvalue().strip() == "0 certificate(s) marked expired"
    assert AuditEvent.objects.filter(action="status.certificate_expired").count() == 1
    # An expired status lets the person apply anew.
    assert not StatusApplication.objects.filter(case=world.case, state__in=wf.OPEN).exists()


def test_a_valid_certificate_is_left_alone(world: World) -> None:
    app = application_in(world, wf.GRANTED)
    assert app.certificate_valid_until is not None
    assert services.expire_certificates(app.certificate_valid_until) == []
    assert services.expire_certificates(app.certificate_valid_until + dt.timedelta(days=1)) == [app]


def test_the_daily_task_runs_the_command_and_queues_tomorrow(world: World) -> None:
    app = application_in(world, wf.GRANTED)
    DBTaskResult.objects.all().delete()
    tasks.expire_certificates_daily.call()
    app.refresh_from_db()
    assert app.state == wf.EXPIRED
    waiting = DBTaskResult.objects.filter(
        task_path=tasks.expire_certificates_daily.module_path, status=TaskResultStatus.READY
    )
    assert waiting.count() == 1
    run_after = timezone.localtime(waiting.get().run_after)
    assert (run_after.hour, run_after.minute) == (0, 15)
    assert run_after > timezone.now()
    assert not tasks.schedule_daily()  # one waiting run is enough
    assert waiting.count() == 1


def test_next_run_is_the_coming_quarter_past_midnight() -> None:
    tz = timezone.get_current_timezone()
    evening = dt.datetime(2017, 5, 3, 22, 0, tzinfo=tz)
    assert timezone.localtime(tasks.next_run(evening)) == dt.datetime(2017, 5, 4, 0, 15, tzinfo=tz)
    early = dt.datetime(2017, 5, 3, 0, 5, tzinfo=tz)
    assert timezone.localtime(tasks.next_run(early)) == dt.datetime(2017, 5, 3, 0, 15, tzinfo=tz)


def test_action_needed_warns_the_deciders_and_the_office_ahead_of_expiry(
    world: World, make_user: Callable[..., User]
) -> None:
    app = application_in(world, wf.GRANTED)
    today = timezone.localdate()
    StatusApplication.objects.filter(pk=app.pk).update(
        certificate_valid_until=today + dt.timedelta(days=20)
    )
    with translation.override("en"):
        decider = [
            i
            for i in gate.action_items(actor_for(world.decider))
            if i.kind == "status.certificate_expiring"
        ]
        office = [
            i
            for i in gate.action_items(actor_for(world.official))
            if i.kind == "status.certificate_expiring"
        ]
    assert len(decider) == len(office) == 1
    expires = (today + dt.timedelta(days=20)).isoformat()
    assert (
        decider[0].label
        == f"Certificate No. {app.certificate_number} expires on {expires}: extend it if asked"
    )
    assert "the person may apply for an extension" in office[0].label
    assert (decider[0].due, decider[0].overdue) == (today + dt.timedelta(days=20), False)
    # Past the date: nothing left to extend (the daily job marks it expired).
    StatusApplication.objects.filter(pk=app.pk).update(
        certificate_valid_until=today - dt.timedelta(days=1)
    )
    services.expire_certificates(today)
    assert StatusApplication.objects.get(pk=app.pk).state == wf.EXPIRED
    assert not [
        i
        for i in gate.action_items(actor_for(world.decider))
        if i.kind == "status.certificate_expiring"
    ]
    # The oblast level has nothing to do with a certificate.
    assert not [
        i
        for i in gate.action_items(actor_for(world.oblast_official))
        if i.kind == "status.certificate_expiring"
    ]


def test_the_pages_and_the_api_show_the_expiry_and_the_decision(world: World) -> None:
    from tests.conftest import logged_in

    app = application_in(world, wf.GRANTED)
    services.expire_certificates()
    client = logged_in(world.official)
    page = client.get(f"/status-applications/{app.id}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Status granted, certificate expired" in text
    assert "the system (daily job)" in text

    from rest_framework.test import APIClient

    from opennrm.accounts.services import issue_api_token

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user=world.official)}")
    body = api.get(f"/api/v1/status-applications/{app.id}/").json()
    assert body["state"] == wf.EXPIRED
    grant = next(s for s in body["steps"] if s["action"] == wf.GRANT)
    assert (grant["case_outcome"], grant["trafficking_status"]) == (
        "Granted",
        "ActualVictimOfTrafficking",
    )
