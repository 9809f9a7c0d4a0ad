"""Row-level security on PostgreSQL, the backstop behind the gate (issue 13, item 5).

The whole suite runs as the application role on PostgreSQL (tests/conftest.py: the owner
migrates the test database, then every connection does `SET ROLE opennrm_app`, a role that owns
nothing and has no BYPASSRLS, as OPENNRM_DB_APP_ROLE does in production). Test bodies run in
the system scope (`OPENNRM_SYSTEM_SCOPE`, as `opennrm` commands); requests in their actor's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from opennrm.access.rls import row_level_security, scope_of, set_for_user
from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.nrm.referrals.models import Referral
from opennrm.nrm.referrals.workflow import ACTIVE
from opennrm.nrm.status.models import StatusApplication
from opennrm.ops.rls_coverage import COVERED, NOT_COVERED
from opennrm.tenancy import rls
from opennrm.tenancy.actor import actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import as_database_owner, person_input, record_basis

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row-level security is a PostgreSQL feature (SQLite has none; a no-op there)",
)
TABLES = (
    "cases_case",
    "people_person",
    "people_personsearchkey",
    "cases_casecode",
    "cases_consent",
    "cases_traffickingevent",
    "justice_participant",
)


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def _case_ids() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id::text FROM cases_case")
        return {row[0] for row in cursor.fetchall()}


def _session(agency: Agency | None, scope: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('opennrm.agency', %s, true), set_config('opennrm.scope', %s, true)",
            [str(agency.id) if agency else "", scope],
        )


def _role() -> tuple[str, bool, bool]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        row = cursor.fetchone()
    assert row is not None
    return str(row[0]), bool(row[1]), bool(row[2])


def _become_application_role() -> None:
    """The suite's connections already are the application role: check it, do not assume it."""
    name, superuser, bypass = _role()
    assert rls.app_role()
    assert name == rls.app_role()
    assert (superuser, bypass) == (False, False)


@pytest.fixture
def app_role() -> None:
    _become_application_role()
    rls.set_scope(None, rls.NONE)  # nothing set: what a request without an actor has


@pytest.fixture
def two_agencies_cases(
    make_case: Callable[..., Case],
    actor_a: Any,
    outsider: User,
    agency_a: Agency,
    agency_b: Agency,
) -> dict[str, Case]:
    actor_b = actor_for(outsider)
    return {
        "a1": make_case(actor_a),
        "a2": make_case(actor_a, person_input(first="Ірина", family="Коваль")),
        "b1": make_case(actor_b, person_input(first="Марія", family="Бондар")),
    }


@postgresql_only
@pytest.mark.django_db
def test_without_the_setting_the_tables_read_empty_for_the_application_role(
    two_agencies_cases: dict[str, Case], app_role: None
) -> None:
    for table in ("cases_case", "people_person", "people_personsearchkey", "cases_consent"):
        assert _count(table) == 0, table
    _session(None, "agency")  # a scope without an agency sees nothing either
    assert _count("cases_case") == 0


@postgresql_only
@pytest.mark.django_db
def test_with_an_agency_only_its_rows_and_what_is_shared_with_it(
    two_agencies_cases: dict[str, Case],
    agency_a: Agency,
    agency_b: Agency,
    actor_a: Any,
    caseworker: User,
) -> None:
    cases = two_agencies_cases
    a_ids = {str(cases["a1"].id), str(cases["a2"].id)}
    b_ids = {str(cases["b1"].id)}
    searchkeys_total = _count("people_personsearchkey")
    # Agency A shares a1 with agency B (an accepted referral under the person's consent).
    Referral.objects.create(
        case=cases["a1"],
        from_agency=agency_a,
        to_agency=agency_b,
        purpose="Legal",
        data_categories=["Identity"],
        basis=record_basis(actor_a, cases["a1"]),
        state=ACTIVE,
        sent_at=timezone.now(),
        sent_by=caseworker,
    )
    _become_application_role()
    _session(agency_a, "agency")
    assert _case_ids() == a_ids
    assert _count("people_person") == 2
    assert 0 < _count("people_personsearchkey") < searchkeys_total

    _session(agency_b, "agency")
    assert _case_ids() == b_ids | {str(cases["a1"].id)}  # its own, and the shared one
    assert _count("people_person") == 2  # its person, and the shared case's person

    _session(None, "national")
    assert _case_ids() == a_ids | b_ids
    assert _count("people_personsearchkey") == searchkeys_total


@postgresql_only
@pytest.mark.django_db
def test_the_table_owner_is_not_affected(two_agencies_cases: dict[str, Case]) -> None:
    """Migrations run as the owner: no setting needed (no FORCE ROW LEVEL SECURITY)."""
    rls.set_scope(None, rls.NONE)
    assert _count("cases_case") == 0  # the application role, nothing set
    with as_database_owner():
        assert _count("cases_case") == 3


@postgresql_only
@pytest.mark.django_db
def test_the_suite_runs_as_a_role_that_owns_nothing_and_bypasses_nothing() -> None:
    """The promise "the whole suite runs on PostgreSQL with row-level security on"."""
    _become_application_role()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE tableowner = current_user")
        assert cursor.fetchone() == (0,)
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND NOT rowsecurity"
            " AND tablename = ANY(%s)",
            [sorted(COVERED)],
        )
        assert cursor.fetchone() == (0,)


def _case_or_person_tables() -> dict[str, set[str]]:
    """Every table with a foreign key to a case, a person or a covered table (many-to-many
    link tables included), with the tables it points to."""
    targets = {"cases_case", "people_person", *COVERED}
    found: dict[str, set[str]] = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if not field.concrete or not (field.many_to_one or field.one_to_one):
                continue
            assert field.related_model is not None
            target = field.related_model._meta.db_table
            if target in targets and target != model._meta.db_table:
                found.setdefault(model._meta.db_table, set()).add(target)
    return found


def test_every_table_of_case_or_person_data_is_covered_or_explained() -> None:
    """A new table holding case or person rows (a foreign key to a case, a person or a covered
    table) needs a policy (a migration in ops/, listed in ops/rls_coverage.COVERED) or a reason
    in ops/rls_coverage.NOT_COVERED. Runs on SQLite too: the list is code."""
    tables = _case_or_person_tables()
    assert {"cases_casecode", "assistance_supportplan", "referrals_referral"} <= set(tables)
    unexplained = sorted(set(tables) - COVERED - set(NOT_COVERED))
    assert unexplained == [], (
        f"tables with case or person rows and no row-level security: {unexplained}; add a"
        " policy (ops/migrations, ops/rls_coverage.COVERED) or the reason (NOT_COVERED)"
    )
    assert not COVERED & set(NOT_COVERED)
    assert set(NOT_COVERED) <= set(tables), "a reason for a table that needs none"


@postgresql_only
@pytest.mark.django_db
def test_the_covered_tables_carry_the_policy_and_the_others_none() -> None:
    """Row-level security on, and the policy on, exactly the covered tables (a policy on a
    table without row-level security, or row-level security without the policy, fails)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_policy p ON p.polrelid = c.oid"
            " WHERE p.polname = 'opennrm_agency_scope'"
        )
        with_policy = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relrowsecurity"
        )
        with_row_level_security = {row[0] for row in cursor.fetchall()}
    assert with_policy == set(COVERED)
    assert with_row_level_security == set(COVERED)


@postgresql_only
@pytest.mark.django_db
def test_status_scope_sees_the_cases_of_the_files_its_agency_holds(
    two_agencies_cases: dict[str, Case],
    make_user: Callable[..., User],
    agency_a: Agency,
    caseworker: User,
) -> None:
    """The oblast official and the decision maker: their agency's rows, shares, and the cases
    whose status file it holds or held; never the rest (no longer national scope)."""
    oblast = Agency.objects.create(
        name="Oblast administration (synthetic)", kind="OblastAdministration", oblast="UA-63"
    )
    official = make_user("oblast.official", oblast, "oblast_official")
    decider = make_user("decision.maker", oblast, "decision_maker")
    assert scope_of(actor_for(official)) == (str(oblast.id), rls.STATUS)
    assert scope_of(actor_for(decider)) == (str(oblast.id), rls.STATUS)
    cases = two_agencies_cases
    StatusApplication.objects.create(
        case=cases["a2"],
        state_since=dt.date(2016, 4, 1),
        receiving_agency=agency_a,
        oblast_agency=oblast,
        journal_number="1/2016",
        applied_on=dt.date(2016, 4, 1),
        registered_by=caseworker,
    )
    _become_application_role()
    rls.set_scope(oblast.id, rls.STATUS)
    assert _case_ids() == {str(cases["a2"].id)}
    assert _count("people_person") == 1  # the person of that case only
    rls.set_scope(oblast.id, rls.AGENCY)  # the same agency in agency scope: nothing of it
    assert _case_ids() == set()
    rls.set_scope(agency_a.id, rls.STATUS)  # the receiving office: its own anyway
    assert _case_ids() == {str(cases["a1"].id), str(cases["a2"].id)}


def test_scope_of_an_actor(
    make_user: Callable[..., User], agency_a: Agency, caseworker: User
) -> None:
    # A caseworker processes status files (a hromada's, an oblast's): the status scope.
    assert scope_of(actor_for(caseworker)) == (str(agency_a.id), rls.STATUS)
    supervisor = make_user("supervisor.status", agency_a, "supervisor")
    assert scope_of(actor_for(supervisor)) == (str(agency_a.id), rls.STATUS)
    guard = make_user("guard.agency", agency_a, "border_guard")
    assert scope_of(actor_for(guard)) == (str(agency_a.id), rls.AGENCY)
    statistician = make_user("stat.national", agency_a, "statistician")
    assert scope_of(actor_for(statistician)) == (str(agency_a.id), rls.NATIONAL)
    official = make_user("oblast.level", agency_a, "oblast_official")
    assert scope_of(actor_for(official)) == (str(agency_a.id), rls.STATUS)
    both = make_user("oblast.and.stats", agency_a, "oblast_official", "statistician")
    assert scope_of(actor_for(both)) == (str(agency_a.id), rls.NATIONAL)  # the widest
    nowhere = make_user("no.agency", None)
    assert scope_of(actor_for(nowhere)) == (None, rls.NONE)


def _setting() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(current_setting('opennrm.agency', true), ''),"
            " coalesce(current_setting('opennrm.scope', true), '')"
        )
        row = cursor.fetchone()
    assert row is not None
    return str(row[0]), str(row[1])


@postgresql_only
@pytest.mark.django_db
def test_a_request_runs_in_its_actors_scope_and_clears_it(
    caseworker: User, agency_a: Agency, rf: Any
) -> None:
    seen: list[tuple[str, str]] = []

    def view(request: Any) -> Any:
        seen.append(_setting())
        from django.http import HttpResponse

        return HttpResponse("ok")

    request = rf.get("/cases/")
    request.user = caseworker
    rls.set_scope(None, rls.NONE)
    row_level_security(view)(request)
    assert seen == [(str(agency_a.id), "status")]  # a caseworker: see test_scope_of_an_actor
    # Cleared when the request ended: back to the process's default (the suite's test bodies
    # are system work like an `opennrm` command: national; a server's default is nothing).
    assert _setting() == ("", "national")
    set_for_user(None)
    assert _setting() == ("", "")
    with rls.system_scope():
        assert _setting() == ("", "national")
    assert _setting() == ("", "")
