"""Disabling an account ends all of its sessions for good; a re-enabled user logs in anew."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client

from opennrm.accounts.models import User
from opennrm.accounts.services import disable_user, enable_user, issue_api_token
from opennrm.audit.models import AuditEvent
from tests.conftest import PASSWORD, logged_in
from tests.mfa import totp_code, totp_device


def session_users() -> list[str]:
    return [str(s.get_decoded().get("_auth_user_id")) for s in Session.objects.all()]


def test_disabling_ends_every_session_of_that_user_only(caseworker: User, supervisor: User) -> None:
    browsers = [logged_in(caseworker), logged_in(caseworker)]
    colleague = logged_in(supervisor)
    assert session_users().count(str(caseworker.id)) == 2
    assert disable_user(user=caseworker, actor=supervisor) == 2
    assert str(caseworker.id) not in session_users()
    assert str(supervisor.id) in session_users()
    caseworker.refresh_from_db()
    assert caseworker.is_active is False
    for browser in browsers:
        response = browser.get("/cases/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert colleague.get("/cases/").status_code == 200
    event = AuditEvent.objects.get(action="user.disabled", object_id=caseworker.id)
    assert (event.actor_id, event.detail) == (supervisor.id, {"sessions_ended": 2})


def test_a_surviving_session_of_a_disabled_user_is_refused(caseworker: User) -> None:
    browser = logged_in(caseworker)
    assert browser.get("/cases/").status_code == 200
    # The row survives (disabled behind the service's back): the next request is still refused.
    User.objects.filter(pk=caseworker.pk).update(is_active=False)
    assert Session.objects.count() == 1
    page = browser.get("/cases/")
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/")
    assert browser.get("/api/v1/cases/").status_code == 401


def test_a_re_enabled_user_logs_in_anew(caseworker: User) -> None:
    browser = logged_in(caseworker)
    token = issue_api_token(user=caseworker)
    disable_user(user=caseworker)
    api = Client(headers={"Authorization": f"Bearer {token}"})
    assert api.get("/api/v1/cases/").status_code == 401
    enable_user(user=caseworker)
    # The old session is gone for good; the token was not revoked and works again.
    response = browser.get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert api.get("/api/v1/cases/").status_code == 200
    assert (
        browser.post(
            "/accounts/login/", {"username": caseworker.username, "password": PASSWORD}
        ).status_code
        == 302
    )
    # Then the second factor (the app's code), as at every login.
    code = totp_code(totp_device(caseworker))
    assert browser.post("/accounts/verify/", {"code": code}).status_code == 302
    assert browser.get("/cases/").status_code == 200
    assert AuditEvent.objects.filter(action="user.enabled", object_id=caseworker.id).count() == 1


def test_disable_and_enable_commands(caseworker: User) -> None:
    logged_in(caseworker)
    out = StringIO()
    call_command("disable_user", username=caseworker.username, stdout=out)
    assert out.getvalue().strip() == f"Disabled {caseworker.username}; sessions ended: 1."
    caseworker.refresh_from_db()
    assert not caseworker.is_active
    assert Session.objects.count() == 0
    call_command("enable_user", username=caseworker.username, stdout=StringIO())
    caseworker.refresh_from_db()
    assert caseworker.is_active
    with pytest.raises(CommandError, match="--username: no user 'ghost'"):
        call_command("disable_user", username="ghost")
