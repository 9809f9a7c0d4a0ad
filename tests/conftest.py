"""Personas and factories: two agencies, every role, an outsider; cases made by the services."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client

from opennrm.accounts.models import User
from opennrm.cases.models import Case, Consent
from opennrm.cases.services import (
    CaseInput,
    EventInput,
    PersonInput,
    record_consent,
    register_case,
)
from opennrm.core.ages import PartialDate
from opennrm.people.identity import Identity
from opennrm.tenancy import rls
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency, Membership
from tests import mfa

PASSWORD = "a-long-test-password-42"

# A force-logged-in test client counts as verified by its user's second factor (tests only:
# see tests/mfa.py; the real login steps are tested in tests/test_mfa.py).
mfa.install()


# --- PostgreSQL: the suite runs as the application role, row-level security on --------------


def _grant_application_role(role: str) -> None:
    """As the owner (the superuser of the test run): the role exists (NOLOGIN, NOSUPERUSER,
    NOBYPASSRLS; created if missing, idempotent, also when two workers race) and may use every
    table and sequence of the test database, owning none. TRUNCATE for the transactional tests'
    flush, sequences' UPDATE for their resets."""
    assert re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role), role
    for alias in connections:
        conn = connections[alias]
        if conn.vendor != "postgresql":
            continue
        with conn.cursor() as cursor:
            cursor.execute(
                "DO $$ BEGIN"
                f" CREATE ROLE {role} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;"
                " EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
            )
            cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
            assert cursor.fetchone() == (False, False), f"{role} must be NOSUPERUSER NOBYPASSRLS"
            cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
            cursor.execute(
                "GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES"
                f" ON ALL TABLES IN SCHEMA public TO {role}"
            )
            cursor.execute(
                f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}"
            )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """After the owner migrated the test database: every connection switches to the
    application role (tenancy.rls.use_app_role, as OPENNRM_DB_APP_ROLE does in production);
    back to the owner before the test database is dropped."""
    role = str(settings.OPENNRM_TEST_DB_APP_ROLE)
    if connection.vendor != "postgresql" or not role:
        yield
        return
    with django_db_blocker.unblock():
        _grant_application_role(role)
        rls.use_app_role(role)
    yield
    rls.use_app_role("")
    with django_db_blocker.unblock():
        for alias in connections:
            conn = connections[alias]
            if conn.vendor == "postgresql" and conn.connection is not None:
                with contextlib.suppress(Exception):
                    conn.connection.execute("RESET ROLE")


@pytest.fixture(autouse=True)
def _row_level_security_back_to_default() -> Iterator[None]:
    """A test that set a scope leaves none behind: back to the process's default."""
    yield
    rls.clear()


@contextlib.contextmanager
def as_database_owner() -> Iterator[None]:
    """For the few tests that play someone with the database (dropping triggers, editing the
    audit trail): the owner's rights for the block, then the application role again."""
    role = rls.app_role()
    if connection.vendor != "postgresql" or not role:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'SET ROLE "{role}"')


@pytest.fixture
def agency_a(db: Any) -> Agency:
    return Agency.objects.create(name="NGO Nadiia (synthetic)", kind="NGO", oblast="UA-63")


@pytest.fixture
def agency_b(db: Any) -> Agency:
    return Agency.objects.create(
        name="Police unit Kharkiv (synthetic)", kind="NationalPolice", oblast="UA-63"
    )


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    def make(username: str, agency: Agency | None, *roles: str) -> User:
        user = User.objects.create_user(username=username, password=PASSWORD)
        for role in roles:
            Membership.objects.create(user=user, agency=agency, role=role)
        return user

    return make


@pytest.fixture
def caseworker(make_user: Callable[..., User], agency_a: Agency) -> User:
    return make_user("olena.caseworker", agency_a, "caseworker")


@pytest.fixture
def supervisor(make_user: Callable[..., User], agency_a: Agency) -> User:
    return make_user("iryna.supervisor", agency_a, "supervisor")


@pytest.fixture
def outsider(make_user: Callable[..., User], agency_b: Agency) -> User:
    return make_user("petro.investigator", agency_b, "investigator")


@pytest.fixture
def sysadmin(make_user: Callable[..., User], agency_b: Agency) -> User:
    return make_user("admin.sys", agency_b, "sysadmin")


@pytest.fixture
def actor_a(caseworker: User) -> Actor:
    return actor_for(caseworker)


def person_input(
    first: str = "Олександр",
    family: str = "Шевченко",
    birth: str = "1987",
    gender: str = "Masculine",
    **identity: Any,
) -> PersonInput:
    return PersonInput(
        identity=Identity(
            first_name=first, family_name=family, birth_date=PartialDate.parse(birth), **identity
        ),
        gender=gender,
        citizenships=["UA"],
    )


def case_input(**overrides: Any) -> CaseInput:
    values: dict[str, Any] = {
        "identified_on": dt.date(2016, 3, 14),
        "identification_country": "UA",
        "identification_oblast": "UA-63",
        "channel": "NGOOutreach",
        "multi": {
            "ua_exploitation": ["LabourExploitation"],
            "vic_ForcedLabourIndustry": ["F_Construction"],
            "vic_MethodOfRecruitment": ["ThroughAnOnlineAdvertisement"],
        },
        "events": [EventInput("Exploitation", "RU", "", dt.date(2015, 5, 1), dt.date(2016, 2, 1))],
    }
    values.update(overrides)
    return CaseInput(**values)


@pytest.fixture
def make_case() -> Callable[..., Case]:
    def make(actor: Actor, person: PersonInput | None = None, **case: Any) -> Case:
        return register_case(actor=actor, person=person or person_input(), case=case_input(**case))

    return make


@pytest.fixture
def shevchenko_case(make_case: Callable[..., Case], actor_a: Actor) -> Case:
    return make_case(actor_a)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def record_basis(
    actor: Actor,
    case: Case,
    purpose: str = "Legal",
    categories: tuple[str, ...] = ("Identity",),
    recipient: Agency | None = None,
) -> Consent:
    """The person's consent covering a purpose and data categories (any recipient by default)."""
    return record_consent(
        actor=actor,
        case=case,
        legal_basis="Consent",
        purposes=[purpose],
        data_categories=list(categories),
        recipient=recipient,
        given_on=dt.date(2016, 3, 15),
    )
