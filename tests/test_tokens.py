"""API tokens: expiry, refusal (revoked, expired, disabled, no agency, locked out), listing and
revoking by the owner and by their agency's admin (API and web), the audit of both."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from opennrm.accounts.models import ApiToken, User
from opennrm.accounts.services import issue_api_token, token_digest
from opennrm.audit.models import AuditEvent
from opennrm.tenancy.models import Agency, Membership
from tests.conftest import PASSWORD, logged_in


def bearer(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def stored(token: str) -> ApiToken:
    return ApiToken.objects.get(digest=token_digest(token))


def refusals(api_token: ApiToken) -> list[Any]:
    return list(
        AuditEvent.objects.filter(action="token.refused", object_id=api_token.id).values_list(
            "detail", flat=True
        )
    )


@pytest.fixture
def agency_admin(make_user: Callable[..., User], agency_a: Agency) -> User:
    return make_user("oksana.admin", agency_a, "agency_admin")


def test_a_token_expires_after_the_configured_days(caseworker: User) -> None:
    before = timezone.now()
    token = issue_api_token(user=caseworker)
    api_token = stored(token)
    assert before + dt.timedelta(days=90) <= api_token.expires_at
    assert api_token.expires_at <= timezone.now() + dt.timedelta(days=90)
    with override_settings(OPENNRM_API_TOKEN_DAYS=7):
        short = stored(issue_api_token(user=caseworker))
    assert short.expires_at - short.created_at == pytest.approx(
        dt.timedelta(days=7), abs=dt.timedelta(seconds=5)
    )
    assert AuditEvent.objects.filter(
        action="api_token.issued", object_id=short.id
    ).get().detail == {"days": 7}


def test_a_working_token_records_its_use(caseworker: User) -> None:
    token = issue_api_token(user=caseworker)
    assert stored(token).last_used_at is None
    assert bearer(token).get("/api/v1/cases/").status_code == 200
    assert stored(token).last_used_at is not None


def refuse(token: str) -> None:
    response = bearer(token).get("/api/v1/cases/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_an_expired_token_is_refused_and_audited(caseworker: User) -> None:
    token = issue_api_token(user=caseworker)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    refuse(token)
    api_token = stored(token)
    assert api_token.last_used_at is None
    assert refusals(api_token) == [{"reason": "expired"}]


def test_a_revoked_token_is_refused(caseworker: User) -> None:
    token = issue_api_token(user=caseworker)
    ApiToken.objects.update(revoked_at=timezone.now())
    refuse(token)
    assert refusals(stored(token)) == [{"reason": "revoked"}]


def test_a_disabled_users_token_is_refused(caseworker: User) -> None:
    token = issue_api_token(user=caseworker)
    User.objects.filter(pk=caseworker.pk).update(is_active=False)
    refuse(token)
    assert refusals(stored(token)) == [{"reason": "inactive"}]


def test_a_token_without_an_active_membership_is_refused(caseworker: User) -> None:
    token = issue_api_token(user=caseworker)
    Membership.objects.filter(user=caseworker).update(is_active=False)
    refuse(token)
    assert refusals(stored(token)) == [{"reason": "no_agency"}]


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_locked_out_users_token_is_refused(caseworker: User) -> None:
    token = issue_api_token(user=caseworker)
    assert bearer(token).get("/api/v1/cases/").status_code == 200
    for _ in range(3):
        Client().post("/accounts/login/", {"username": caseworker.username, "password": "wrong"})
    refuse(token)
    assert refusals(stored(token)) == [{"reason": "locked_out"}]
    # The right password does not unlock it either (axes answers before the backend).
    locked = Client().post(
        "/accounts/login/", {"username": caseworker.username, "password": PASSWORD}
    )
    assert locked.status_code == 429


def test_an_unknown_token_is_refused_without_audit(caseworker: User) -> None:
    refuse("onrm_unknown")
    assert not AuditEvent.objects.filter(action="token.refused").exists()


FIELDS = {
    "id",
    "user_id",
    "username",
    "state",
    "created_at",
    "expires_at",
    "last_used_at",
    "revoked_at",
}


def test_the_owner_lists_only_their_tokens_and_never_a_secret(
    caseworker: User, supervisor: User
) -> None:
    token = issue_api_token(user=caseworker)
    issue_api_token(user=supervisor)
    response = bearer(token).get("/api/v1/tokens/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [str(stored(token).id)]
    assert set(rows[0]) == FIELDS
    assert rows[0]["state"] == "active"
    assert token not in response.content.decode()
    assert stored(token).digest not in response.content.decode()


def test_an_agency_admin_lists_their_agencys_tokens_only(
    agency_admin: User, caseworker: User, outsider: User
) -> None:
    mine = stored(issue_api_token(user=caseworker))
    stored(issue_api_token(user=outsider))
    rows = logged_in(agency_admin).get("/api/v1/tokens/").json()["results"]
    assert [row["id"] for row in rows] == [str(mine.id)]
    assert rows[0]["username"] == caseworker.username


def test_the_owner_revokes_their_token_for_good(caseworker: User) -> None:
    token = issue_api_token(user=caseworker)
    other = issue_api_token(user=caseworker)
    api_token = stored(token)
    response = bearer(other).delete(f"/api/v1/tokens/{api_token.id}/")
    assert response.status_code == 204
    assert stored(token).revoked_at is not None
    refuse(token)
    event = AuditEvent.objects.get(action="token.revoked", object_id=api_token.id)
    assert event.actor_id == caseworker.id
    assert event.detail == {"owner": str(caseworker.id)}
    # Again: nothing changes, nothing more is recorded.
    assert bearer(other).delete(f"/api/v1/tokens/{api_token.id}/").status_code == 204
    assert AuditEvent.objects.filter(action="token.revoked").count() == 1
    listed = bearer(other).get("/api/v1/tokens/").json()["results"]
    assert {row["id"]: row["state"] for row in listed}[str(api_token.id)] == "revoked"


def test_another_user_cannot_revoke_a_token(
    caseworker: User, supervisor: User, outsider: User, agency_admin: User
) -> None:
    api_token = stored(issue_api_token(user=caseworker))
    for user in (supervisor, outsider):
        response = logged_in(user).delete(f"/api/v1/tokens/{api_token.id}/")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert stored_id(api_token).revoked_at is None


def stored_id(api_token: ApiToken) -> ApiToken:
    return ApiToken.objects.get(pk=api_token.pk)


def test_an_agency_admin_revokes_their_agencys_tokens_not_others(
    agency_admin: User, caseworker: User, outsider: User
) -> None:
    ours = stored(issue_api_token(user=caseworker))
    theirs = stored(issue_api_token(user=outsider))
    client = logged_in(agency_admin)
    assert client.delete(f"/api/v1/tokens/{theirs.id}/").status_code == 404
    assert client.get(f"/api/v1/tokens/{theirs.id}/").status_code == 404
    assert client.get(f"/api/v1/tokens/{ours.id}/").json()["state"] == "active"
    assert stored_id(theirs).revoked_at is None
    assert client.delete(f"/api/v1/tokens/{ours.id}/").status_code == 204
    assert stored_id(ours).revoked_at is not None
    event = AuditEvent.objects.get(action="token.revoked", object_id=ours.id)
    assert (event.actor_id, event.agency_id) == (
        agency_admin.id,
        caseworker.memberships.get().agency_id,
    )


def test_a_sysadmin_is_not_an_agency_admin_for_tokens(
    make_user: Callable[..., User], agency_a: Agency, caseworker: User
) -> None:
    sysadmin = make_user("admin.sys.a", agency_a, "sysadmin")
    api_token = stored(issue_api_token(user=caseworker))
    assert logged_in(sysadmin).get("/api/v1/tokens/").json()["results"] == []
    assert logged_in(sysadmin).delete(f"/api/v1/tokens/{api_token.id}/").status_code == 404


def test_token_endpoints_need_authentication_and_a_uuid(caseworker: User) -> None:
    assert Client().get("/api/v1/tokens/").status_code == 401
    response = logged_in(caseworker).delete("/api/v1/tokens/not-a-uuid/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_openapi_schema_documents_the_token_endpoints(caseworker: User) -> None:
    schema = logged_in(caseworker).get("/api/v1/schema/?format=json").json()
    assert "get" in schema["paths"]["/api/v1/tokens/"]
    revoke = schema["paths"]["/api/v1/tokens/{token_id}/"]["delete"]
    assert set(revoke["responses"]) >= {"204", "404"}


def test_web_page_lists_own_tokens_and_revokes_after_confirming(
    caseworker: User, supervisor: User
) -> None:
    token = issue_api_token(user=caseworker)
    api_token = stored(token)
    ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
    others = stored(issue_api_token(user=supervisor))
    client = logged_in(caseworker)
    page = client.get("/accounts/tokens/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"/accounts/tokens/{api_token.id}/revoke/" in html
    assert f"/accounts/tokens/{others.id}/revoke/" not in html
    assert timezone.localtime(api_token.expires_at).strftime("%d.%m.%Y %H:%M") in html
    assert token not in html
    assert api_token.digest not in html
    confirm = client.get(f"/accounts/tokens/{api_token.id}/revoke/")
    assert confirm.status_code == 200
    assert stored_id(api_token).revoked_at is None
    done = client.post(f"/accounts/tokens/{api_token.id}/revoke/")
    assert done.status_code == 302
    assert done["Location"] == "/accounts/tokens/"
    assert stored_id(api_token).revoked_at is not None
    assert client.post(f"/accounts/tokens/{others.id}/revoke/").status_code == 404
    assert stored_id(others).revoked_at is None
