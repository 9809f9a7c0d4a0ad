"""Configuration: typed environment readers fail loudly; production defaults are the safe ones."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.checks import run_checks
from django.db import connection
from django.test import override_settings

import opennrm.settings as production
from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.core.env import ConfigurationError, env_bool, env_int, env_str
from opennrm.tenancy.actor import Actor
from tests.conftest import logged_in


def test_production_hashes_passwords_with_argon2() -> None:
    assert production.PASSWORD_HASHERS == ["django.contrib.auth.hashers.Argon2PasswordHasher"]


def test_production_cookies_and_headers_are_strict_by_default() -> None:
    assert production.SESSION_COOKIE_HTTPONLY
    assert production.SESSION_COOKIE_SAMESITE == "Strict"
    assert production.CONTENT_SECURITY_POLICY["DIRECTIVES"]["default-src"] == ["'none'"]
    assert production.X_FRAME_OPTIONS == "DENY"


def test_bad_boolean_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENNRM_DEBUG", "maybe")
    with pytest.raises(ConfigurationError, match="OPENNRM_DEBUG: expected true or false"):
        env_bool("OPENNRM_DEBUG", default=False)


def test_bad_number_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENNRM_WORKERS", "three")
    with pytest.raises(ConfigurationError, match="OPENNRM_WORKERS: expected a whole number"):
        env_int("OPENNRM_WORKERS", default=3)
    monkeypatch.setenv("OPENNRM_WORKERS", "0")
    with pytest.raises(ConfigurationError, match="must be at least 1"):
        env_int("OPENNRM_WORKERS", default=3, minimum=1)


def test_secret_can_come_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.delenv("OPENNRM_X", raising=False)
    monkeypatch.setenv("OPENNRM_X_FILE", str(secret))
    assert env_str("OPENNRM_X") == "from-a-file"
    monkeypatch.setenv("OPENNRM_X_FILE", str(tmp_path / "missing"))
    with pytest.raises(ConfigurationError, match="OPENNRM_X_FILE: cannot read"):
        env_str("OPENNRM_X")


def test_malformed_key_ring_fails_the_system_check() -> None:
    with override_settings(OPENNRM_KEYRING_TEXT='{"version": 1}'):
        errors = [m.id for m in run_checks()]
    assert "opennrm.E002" in errors


@pytest.mark.parametrize("cases", [1, 12])
def test_case_list_query_count_does_not_grow_with_rows(
    cases: int,
    make_case: Callable[..., Case],
    actor_a: Actor,
    caseworker: User,
    django_assert_max_num_queries: Callable[[int], object],
) -> None:
    for _ in range(cases):
        make_case(actor_a)
    client = logged_in(caseworker)
    # session, user, second factor (3), memberships (2), shares, matching persons, count,
    # "case.searched" audit (5), page, codes, "case.listed" audit (5), session save (3): a fixed
    # number whatever the rows; on PostgreSQL one more: the memberships again for the request's
    # row-level security scope (access/rls.py)
    budget = 25 + (connection.vendor == "postgresql")
    client.get("/")  # the navigation's counts, kept in the session for a minute (test_home)
    # The name goes by POST, sealed in the session under a search id; the list is a GET.
    posted = client.post("/cases/", {"q": "Shevchenko"})
    assert posted.status_code == 303
    with django_assert_max_num_queries(budget):  # type: ignore[attr-defined]
        response = client.get(posted["Location"])
    assert response.context["page"].paginator.count == cases
