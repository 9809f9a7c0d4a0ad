"""The register of status applications per level and the filtered audit log (docs/lists.md)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.audit.services import record
from opennrm.cases.models import Case
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.models import StatusApplication
from opennrm.tenancy.models import Agency
from tests.conftest import logged_in, person_input
from tests.nrm.test_status_support import World, application_in, build_world


@pytest.fixture
def world(db: Any, make_user: Callable[..., User], make_case: Callable[..., Case]) -> World:
    return build_world(make_user, make_case)


def _journal_numbers(body: str, apps: list[StatusApplication]) -> list[str]:
    found = [
        (body.index(f">{a.journal_number}<"), a.journal_number)
        for a in apps
        if f">{a.journal_number}<" in body
    ]
    return [n for _, n in sorted(found)]


@pytest.fixture
def three_files(world: World, make_case: Callable[..., Case]) -> list[StatusApplication]:
    """Three files of three cases: one at each level."""
    registered = application_in(world, wf.REGISTERED, journal_number="1/2016")
    world.case = make_case(world.actor(world.official), person_input(first="Іван"))
    at_oblast = application_in(
        world, wf.AT_OBLAST, journal_number="2/2016", start=dt.date(2016, 4, 1)
    )
    world.case = make_case(world.actor(world.official), person_input(first="Петро"))
    at_national = application_in(
        world, wf.AT_NATIONAL, journal_number="3/2016", start=dt.date(2016, 5, 1)
    )
    return [registered, at_oblast, at_national]


def test_each_level_sees_its_own_register(
    world: World, three_files: list[StatusApplication], make_user: Callable[..., User]
) -> None:
    hromada = logged_in(world.official).get("/status/register/")
    oblast = logged_in(world.oblast_official).get("/status/register/")
    national = logged_in(world.decider).get("/status/register/")
    assert _journal_numbers(hromada.content.decode(), three_files) == ["3/2016", "2/2016", "1/2016"]
    # The oblast and national levels see the files they hold now (the status gate: a file
    # forwarded on leaves the oblast's view).
    assert _journal_numbers(oblast.content.decode(), three_files) == ["2/2016"]
    assert _journal_numbers(national.content.decode(), three_files) == ["3/2016"]
    assert "Шевченко" not in hromada.content.decode()  # files and deadlines, never a name
    # An NGO caseworker has no level: 403.
    ngo = Agency.objects.create(name="NGO (synthetic)", kind="NGO")
    assert (
        logged_in(make_user("ngo.cw", ngo, "caseworker")).get("/status/register/").status_code
        == 403
    )


def test_register_filters_and_sorting_by_get(
    world: World, three_files: list[StatusApplication]
) -> None:
    client = logged_in(world.official)
    stage = client.get(f"/status/register/?stage={wf.AT_OBLAST}").content.decode()
    assert _journal_numbers(stage, three_files) == ["2/2016"]
    # Every file of 2016 is long overdue today; none is merely upcoming.
    overdue = client.get("/status/register/?deadline=overdue").content.decode()
    assert _journal_numbers(overdue, three_files) == ["3/2016", "2/2016", "1/2016"]
    upcoming = client.get("/status/register/?deadline=upcoming").content.decode()
    assert _journal_numbers(upcoming, three_files) == []
    by_journal = client.get("/status/register/?sort=journal").content.decode()
    assert _journal_numbers(by_journal, three_files) == ["1/2016", "2/2016", "3/2016"]
    page = client.get("/status/register/?sort=-journal")
    assert _journal_numbers(page.content.decode(), three_files) == ["3/2016", "2/2016", "1/2016"]
    assert page.context["headers"]["journal"].aria_sort == "descending"
    national = logged_in(world.decider)
    assert "3/2016" in national.get("/status/register/?oblast=UA-63").content.decode()
    assert "3/2016" not in national.get("/status/register/?oblast=UA-46").content.decode()


def test_register_export_equals_the_filtered_list(
    world: World, three_files: list[StatusApplication]
) -> None:
    response = logged_in(world.official).get("/status/register.csv?sort=journal&stage=at_oblast")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["2/2016"]
    assert rows[1][1] == three_files[1].case.reference
    assert rows[1][2] == "2016-04-01"
    event = AuditEvent.objects.get(action="status.register_exported")
    assert event.detail == {"format": "csv", "count": 1}


# --- the audit log ---------------------------------------------------------------------------


def test_the_audit_log_filters_by_get(
    sysadmin: User, caseworker: User, shevchenko_case: Case
) -> None:
    client = logged_in(sysadmin)
    record(
        action="case.viewed",
        actor_id=caseworker.id,
        agency_id=None,
        object_type="case",
        object_id=shevchenko_case.id,
    )
    every = client.get("/audit/").context["page"].paginator.count
    by_user = client.get(f"/audit/?user={caseworker.pk}").context["rows"]
    assert by_user
    assert {r.event.actor_id for r in by_user} == {caseworker.id}
    by_action = client.get("/audit/?action=case.viewed").context["rows"]
    assert [r.event.action for r in by_action] == ["case.viewed"]
    prefix = client.get("/audit/?action=case.").context["rows"]
    actions = {r.event.action for r in prefix}
    assert "case.viewed" in actions
    assert all(a.startswith("case.") for a in actions)
    by_object = client.get(f"/audit/?object_type=case&object_id={shevchenko_case.id}").context[
        "rows"
    ]
    assert by_object
    assert {r.event.object_id for r in by_object} == {str(shevchenko_case.id)}
    today = dt.date.today()
    future = client.get(f"/audit/?since={today + dt.timedelta(days=2)}").context["rows"]
    assert future == []
    assert (
        client.get(f"/audit/?since={today - dt.timedelta(days=1)}").context["page"].paginator.count
        >= every
    )
    bad = client.get("/audit/?since=2016-02-02&until=2016-01-01")
    assert bad.status_code == 422
    assert bad.context["rows"] == []  # an unreadable filter lists nothing, not every event
    assert client.get("/audit/?action=BAD VALUE").context["rows"] == []


def test_the_audit_log_shows_local_time_with_its_zone(sysadmin: User) -> None:
    body = logged_in(sysadmin).get("/audit/").content.decode()
    assert "Europe/Kyiv" in body
    assert " EET<" in body or " EEST<" in body


def test_the_audit_filter_is_audited_without_its_values(sysadmin: User, caseworker: User) -> None:
    logged_in(sysadmin).get(f"/audit/?user={caseworker.pk}&action=case.viewed")
    event = AuditEvent.objects.filter(action="audit.viewed").latest("seq")
    assert event.detail == {"filters": ["action", "user"]}
