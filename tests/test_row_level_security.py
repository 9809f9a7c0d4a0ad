"""Row-level security on PostgreSQL, the backstop behind the gate (issue 13, item 5).

The suite itself connects as the test database's owner (`postgres`, a superuser): row-level
security does not apply to it, so these tests switch to a role that owns nothing and has no
BYPASSRLS (as the application role in production, docs/operations.md) inside the test's
transaction (`SET LOCAL ROLE`; the role is created in the same transaction and rolled back).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from opennrm.access.rls import row_level_security, scope_of, set_for_user
from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.nrm.referrals.models import Referral
from opennrm.nrm.referrals.workflow import ACTIVE
from opennrm.tenancy import rls
from opennrm.tenancy.actor import actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import person_input, record_basis

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


def _become_application_role() -> None:
    """A role like the application's in production: owns nothing, NOBYPASSRLS, only grants;
    created in the test's transaction (rolled back with it), named after the test database."""
    name = f"{connection.settings_dict['NAME']}_rls_app"[:60]
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{name}" NOLOGIN NOSUPERUSER NOBYPASSRLS')
        for table in (*TABLES, "referrals_referral"):
            cursor.execute(f'GRANT SELECT ON {table} TO "{name}"')
        cursor.execute(f'SET LOCAL ROLE "{name}"')


@pytest.fixture
def app_role() -> Iterator[None]:
    _become_application_role()
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


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
    try:
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
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


@postgresql_only
@pytest.mark.django_db
def test_the_table_owner_is_not_affected(two_agencies_cases: dict[str, Case]) -> None:
    """Migrations and the test suite run as the owner: no setting needed."""
    assert _count("cases_case") == 3


def test_scope_of_an_actor(
    make_user: Callable[..., User], agency_a: Agency, caseworker: User
) -> None:
    assert scope_of(actor_for(caseworker)) == (str(agency_a.id), rls.AGENCY)
    statistician = make_user("stat.national", agency_a, "statistician")
    assert scope_of(actor_for(statistician)) == (str(agency_a.id), rls.NATIONAL)
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
    row_level_security(view)(request)
    assert seen == [(str(agency_a.id), "agency")]
    assert _setting() == ("", "")  # cleared when the request ended
    set_for_user(None)
    assert _setting() == ("", "")
    with rls.system_scope():
        assert _setting() == ("", "national")
    assert _setting() == ("", "")
