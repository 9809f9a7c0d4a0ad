"""The whole login as a person does it: password, then the second factor (TOTP, backup codes,
passkeys for the national roles), the forced password change, enrolment at the first login;
recovery by the agency admin; the demo's shortcut; the finishing touches of the headers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from io import StringIO

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from opennrm.access import second_factor as gate
from opennrm.accounts.models import User
from opennrm.accounts.otp_secrets import code_digest
from opennrm.accounts.services import create_user
from opennrm.audit.models import AuditEvent
from opennrm.tenancy.models import Agency, Membership
from opennrm.web.checks import production_safety
from tests.conftest import PASSWORD, logged_in
from tests.mfa import stand_in_passkey, totp_code, totp_device

NEW_PASSWORD = "my-own-new-passphrase-2016"


def password_login(client: Client, username: str, password: str = PASSWORD) -> str:
    """The password step; returns where it sends the browser next."""
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content[:400]
    return str(response["Location"])


def actions(user: User) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=user.id)
        .order_by("seq")
        .values_list("action", flat=True)
    )


@pytest.fixture
def agency_admin(make_user: Callable[..., User], agency_a: Agency) -> User:
    return make_user("anna.admin", agency_a, "agency_admin")


@pytest.fixture
def enrolled(caseworker: User) -> User:
    """A caseworker who set up TOTP and backup codes at an earlier login."""
    totp_device(caseworker)
    device = StaticDevice.objects.create(user=caseworker, name="backup")
    for code in ("aaaa2222", "bbbb3333"):
        StaticToken.objects.create(device=device, token=code)
    return caseworker


# A password alone opens nothing.


def test_a_password_alone_opens_no_page_and_no_api(caseworker: User) -> None:
    client = Client()
    assert password_login(client, caseworker.username) == "/"  # the start page
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/totp/setup/?next=%2Fcases%2F"
    api = client.get("/api/v1/cases/")
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "second_factor_required"
    # Nor a page of another step (the password change needs no change here).
    assert client.get("/accounts/security/").status_code == 302


def test_every_login_asks_for_the_code_and_audits_it(enrolled: User) -> None:
    client = Client()
    password_login(client, enrolled.username)
    response = client.get("/cases/")
    assert response["Location"] == "/accounts/verify/?next=%2Fcases%2F"
    page = client.get("/accounts/verify/?next=/cases/")
    assert page.status_code == 200
    assert b'autocomplete="one-time-code"' in page.content
    done = client.post(
        "/accounts/verify/", {"code": totp_code(totp_device(enrolled)), "next": "/cases/"}
    )
    assert done.status_code == 302
    assert done["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200
    assert actions(enrolled)[-2:] == ["user.logged_in", "user.second_factor_verified"]
    event = AuditEvent.objects.get(action="user.second_factor_verified")
    assert event.detail == {"device": "totp"}


def test_a_code_is_not_accepted_twice(enrolled: User) -> None:
    code = totp_code(totp_device(enrolled))
    first = Client()
    password_login(first, enrolled.username)
    assert first.post("/accounts/verify/", {"code": code}).status_code == 302
    second = Client()
    password_login(second, enrolled.username)
    assert second.post("/accounts/verify/", {"code": code}).status_code == 422


def test_a_wrong_code_is_refused_audited_and_counted_by_the_lockout(enrolled: User) -> None:
    client = Client()
    # One wrong password, then the right one: the count is not reset by the password alone.
    client.post("/accounts/login/", {"username": enrolled.username, "password": "wrong"})
    password_login(client, enrolled.username)
    for _ in range(3):
        wrong = client.post("/accounts/verify/", {"code": "000000"})
        assert wrong.status_code == 422
        assert "_auth_user_id" in client.session
    assert actions(enrolled).count("user.second_factor_failed") == 3
    # The fifth failure locks the account and ends the half-open session.
    locked = client.post("/accounts/verify/", {"code": "000000"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    again = Client().post("/accounts/login/", {"username": enrolled.username, "password": PASSWORD})
    assert again.status_code == 429


def test_a_successful_login_forgets_earlier_failures(enrolled: User) -> None:
    client = Client()
    for _ in range(4):
        client.post("/accounts/login/", {"username": enrolled.username, "password": "wrong"})
    password_login(client, enrolled.username)
    assert (
        client.post("/accounts/verify/", {"code": totp_code(totp_device(enrolled))}).status_code
        == 302
    )
    other = Client()
    other.post("/accounts/login/", {"username": enrolled.username, "password": "wrong"})
    # Four failures were forgotten: one more does not lock.
    assert password_login(other, enrolled.username) == "/"


def test_a_backup_code_works_once(enrolled: User) -> None:
    client = Client()
    password_login(client, enrolled.username)
    response = client.post("/accounts/verify/", {"code": "AAAA-2222"})
    assert response.status_code == 302
    assert client.get("/cases/").status_code == 200
    assert AuditEvent.objects.filter(
        action="user.second_factor_verified", detail__device="backup"
    ).exists()
    again = Client()
    password_login(again, enrolled.username)
    assert again.post("/accounts/verify/", {"code": "aaaa2222"}).status_code == 422
    # Stored as digests (accounts/otp_secrets.py), never the code itself.
    assert list(StaticToken.objects.values_list("token", flat=True)) == [code_digest("bbbb3333")]


# The first login: the initial password is changed, then TOTP is set up.


def test_first_login_changes_the_initial_password_then_enrols_totp(
    agency_a: Agency,
) -> None:
    user = create_user(username="new.caseworker", password=PASSWORD, initial=True)
    Membership.objects.create(user=user, agency=agency_a, role="caseworker")
    client = Client()
    password_login(client, user.username)
    assert client.get("/cases/")["Location"] == "/accounts/password/?next=%2Fcases%2F"
    same = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert same.status_code == 422
    changed = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "next": "/cases/",
        },
    )
    assert changed.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.initial_password_expires_at is None
    # Still logged in (the session survives the change); next: the second factor.
    setup = client.get("/cases/")
    assert setup["Location"] == "/accounts/totp/setup/?next=%2Fcases%2F"
    page = client.get("/accounts/totp/setup/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html  # the QR code, drawn on the server
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', html)
    assert secret is not None
    pending = TOTPDevice.objects.get(user=user, confirmed=False)
    assert secret.group(1).replace(" ", "") in pending.config_url
    assert client.post("/accounts/totp/setup/", {"code": "123456"}).status_code == 422
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5)):
        done = client.post("/accounts/totp/setup/", {"code": totp_code(pending), "next": "/cases/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    stored = sorted(StaticToken.objects.values_list("token", flat=True))
    assert sorted(code_digest(code) for code in codes) == stored  # digests only
    assert client.get("/cases/").status_code == 200
    assert actions(user)[-4:] == [
        "user.logged_in",
        "user.password_changed",
        "user.second_factor_enrolled",
        "user.second_factor_verified",
    ]


def test_the_enrolment_page_is_not_open_to_a_user_who_has_a_second_factor(
    enrolled: User,
) -> None:
    client = Client()
    password_login(client, enrolled.username)
    # Not verified yet: no new secret can be set up in place of the old one.
    response = client.get("/accounts/totp/setup/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/verify/")
    assert not TOTPDevice.objects.filter(user=enrolled, confirmed=False).exists()


def test_an_expired_initial_password_opens_nothing(agency_a: Agency) -> None:
    user = create_user(username="late.caseworker", password=PASSWORD, initial=True)
    Membership.objects.create(user=user, agency=agency_a, role="caseworker")
    with time_machine.travel(timezone.now() + dt.timedelta(days=4)):
        response = Client().post(
            "/accounts/login/", {"username": user.username, "password": PASSWORD}
        )
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["__all__"]] == [
        "initial_password_expired"
    ]


def test_add_user_makes_an_initial_password(
    agency_a: Agency, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENNRM_PASSWORD", PASSWORD)
    call_command(
        "add_user",
        "--username",
        "cli.user",
        "--agency",
        agency_a.name,
        "--role",
        "caseworker",
        stdout=StringIO(),
    )
    user = User.objects.get(username="cli.user")
    assert user.must_change_password
    assert user.initial_password_expires_at is not None
    assert user.initial_password_expires_at > timezone.now() + dt.timedelta(days=2)


def test_the_password_change_page_for_a_logged_in_user(caseworker: User) -> None:
    client = logged_in(caseworker)
    assert client.get("/accounts/password/").status_code == 200
    wrong = client.post(
        "/accounts/password/",
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 422
    ok = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert ok.status_code == 302
    caseworker.refresh_from_db()
    assert caseworker.check_password(NEW_PASSWORD)
    assert client.get("/cases/").status_code == 200


# Passkeys: required for sysadmin, coordinator, statistician.


@pytest.mark.parametrize(
    ("role", "needs"),
    [
        ("sysadmin", True),
        ("coordinator", True),
        ("statistician", True),
        ("caseworker", False),
        ("agency_admin", False),
        ("investigator", False),
    ],
)
def test_which_roles_need_a_passkey(role: str, needs: bool) -> None:
    assert gate.needs_passkey(frozenset({role})) is needs


def test_a_national_role_is_sent_to_register_a_passkey(
    make_user: Callable[..., User], agency_b: Agency
) -> None:
    coordinator = make_user("nss.coordinator", agency_b, "coordinator")
    device = totp_device(coordinator)
    client = Client()
    password_login(client, coordinator.username)
    assert client.post("/accounts/verify/", {"code": totp_code(device)}).status_code == 302
    # TOTP is not enough for this role: a passkey is required before any page opens.
    response = client.get("/cases/")
    assert response["Location"] == "/accounts/passkey/setup/?next=%2Fcases%2F"
    page = client.get("/accounts/passkey/setup/")
    assert page.status_code == 200
    assert "passkey-register-button" in page.content.decode()
    assert page.context["required"] is True
    # The registration ceremony may start (the session is verified by TOTP).
    begin = client.post("/accounts/passkeys/registration/begin/")
    assert begin.status_code == 200
    assert begin.json()["rp"]["id"] == "testserver"


def test_a_national_role_with_a_passkey_must_use_it(
    make_user: Callable[..., User], agency_b: Agency
) -> None:
    statistician = make_user("msp.statistician", agency_b, "statistician")
    device = totp_device(statistician)
    stand_in_passkey(statistician)
    client = Client()
    password_login(client, statistician.username)
    page = client.get("/accounts/verify/")
    assert page.context["passkey_only"] is True
    assert "passkey-verification-button" in page.content.decode()
    # A code does not log this role in.
    refused = client.post("/accounts/verify/", {"code": totp_code(device)})
    assert refused.status_code == 200
    assert client.get("/statistics/").status_code == 302
    begin = client.post("/accounts/passkeys/authentication/begin/")
    assert begin.status_code == 200
    assert len(begin.json()["allowCredentials"]) == 1


def test_passkey_ceremonies_refuse_anonymous_and_unverified_users(enrolled: User) -> None:
    for ceremony in ("authentication", "registration"):
        anonymous = Client().post(f"/accounts/passkeys/{ceremony}/begin/")
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith("/accounts/login/")
    client = Client()
    password_login(client, enrolled.username)
    # A password alone may not add a passkey in place of the second factor.
    assert client.post("/accounts/passkeys/registration/begin/").status_code == 403


def test_every_user_is_offered_a_passkey(caseworker: User) -> None:
    client = logged_in(caseworker)
    page = client.get("/accounts/passkey/setup/")
    assert page.status_code == 200
    assert page.context["required"] is False
    assert client.get("/accounts/security/").status_code == 200


# Recovery by the agency admin, audited.


def test_the_agency_admin_lists_the_agencys_users(
    agency_admin: User, enrolled: User, outsider: User
) -> None:
    page = logged_in(agency_admin).get("/accounts/users/")
    assert page.status_code == 200
    html = page.content.decode()
    assert enrolled.username in html
    assert outsider.username not in html
    assert logged_in(enrolled).get("/accounts/users/").status_code == 403


def test_the_agency_admin_resets_a_second_factor(agency_admin: User, enrolled: User) -> None:
    lost = logged_in(enrolled)
    admin = logged_in(agency_admin)
    assert admin.get(f"/accounts/users/{enrolled.id}/").status_code == 200
    response = admin.post(f"/accounts/users/{enrolled.id}/reset-second-factor/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=enrolled).exists()
    assert not StaticDevice.objects.filter(user=enrolled).exists()
    # The user's sessions ended; at the next login they set up a new second factor.
    assert lost.get("/cases/")["Location"].startswith("/accounts/login/")
    client = Client()
    password_login(client, enrolled.username)
    assert client.get("/cases/")["Location"].startswith("/accounts/totp/setup/")
    event = AuditEvent.objects.get(action="user.second_factor_reset")
    assert (str(event.actor_id), str(event.object_id)) == (str(agency_admin.id), str(enrolled.id))
    assert event.detail["devices_removed"] == 2


def test_the_agency_admin_resets_a_password(agency_admin: User, enrolled: User) -> None:
    response = logged_in(agency_admin).post(f"/accounts/users/{enrolled.id}/reset-password/")
    assert response.status_code == 200
    password = re.search(r'id="initial-password"[^>]*>([a-z0-9-]+)<', response.content.decode())
    assert password is not None
    one_time = password.group(1)
    enrolled.refresh_from_db()
    assert enrolled.must_change_password
    assert not enrolled.check_password(PASSWORD)
    # The one-time password, the second factor, then the forced change.
    client = Client()
    password_login(client, enrolled.username, one_time)
    assert (
        client.post("/accounts/verify/", {"code": totp_code(totp_device(enrolled))}).status_code
        == 302
    )
    assert client.get("/cases/")["Location"].startswith("/accounts/password/")
    assert AuditEvent.objects.filter(
        action="user.password_reset", actor_id=str(agency_admin.id), object_id=str(enrolled.id)
    ).exists()
    assert one_time not in str(list(AuditEvent.objects.values_list("detail", flat=True)))


def test_the_initial_password_expires(agency_admin: User, enrolled: User) -> None:
    response = logged_in(agency_admin).post(f"/accounts/users/{enrolled.id}/reset-password/")
    one_time = re.search(r'id="initial-password"[^>]*>([a-z0-9-]+)<', response.content.decode())
    assert one_time is not None
    with time_machine.travel(timezone.now() + dt.timedelta(days=3, minutes=1)):
        late = Client().post(
            "/accounts/login/", {"username": enrolled.username, "password": one_time.group(1)}
        )
    assert late.status_code == 200
    assert "_auth_user_id" not in late.client.session


def test_the_agency_admin_logs_a_user_out_everywhere(agency_admin: User, enrolled: User) -> None:
    phone, laptop = logged_in(enrolled), logged_in(enrolled)
    admin = logged_in(agency_admin)
    response = admin.post(f"/accounts/users/{enrolled.id}/end-sessions/")
    assert response.status_code == 302
    for client in (phone, laptop):
        assert client.get("/cases/")["Location"].startswith("/accounts/login/")
    assert admin.get("/accounts/users/").status_code == 200
    event = AuditEvent.objects.get(action="user.sessions_ended")
    assert event.detail == {"sessions_ended": 2}
    assert str(event.actor_id) == str(agency_admin.id)
    enrolled.refresh_from_db()
    assert enrolled.is_active


def test_the_agency_admin_cannot_reset_peers_national_roles_or_other_agencies(
    make_user: Callable[..., User],
    agency_a: Agency,
    agency_admin: User,
    outsider: User,
) -> None:
    coordinator = make_user("a.coordinator", agency_a, "coordinator")
    other_admin = make_user("b.admin", agency_a, "agency_admin")
    admin = logged_in(agency_admin)
    for protected in (coordinator, other_admin, agency_admin):
        for action in ("reset-second-factor", "reset-password"):
            assert admin.post(f"/accounts/users/{protected.id}/{action}/").status_code == 403
    # Another agency's user is not there at all.
    assert admin.get(f"/accounts/users/{outsider.id}/").status_code == 404
    assert admin.post(f"/accounts/users/{outsider.id}/end-sessions/").status_code == 404
    assert not AuditEvent.objects.filter(
        action__in=["user.second_factor_reset", "user.password_reset"]
    ).exists()


def test_the_operator_commands_reset_any_account(sysadmin: User) -> None:
    totp_device(sysadmin)
    out = StringIO()
    call_command("reset_second_factor", "--username", sysadmin.username, stdout=out)
    assert not TOTPDevice.objects.filter(user=sysadmin).exists()
    out = StringIO()
    call_command("reset_password", "--username", sysadmin.username, stdout=out)
    sysadmin.refresh_from_db()
    assert sysadmin.check_password(out.getvalue().strip())
    assert sysadmin.must_change_password


# The demo's shortcut, refused in production.


@override_settings(OPENNRM_DEMO=True, OPENNRM_DEMO_SKIP_SECOND_FACTOR=True)
def test_the_demo_may_skip_the_second_factor_and_the_password_change(agency_a: Agency) -> None:
    user = create_user(username="demo.caseworker", password=PASSWORD, initial=True)
    Membership.objects.create(user=user, agency=agency_a, role="caseworker")
    client = Client()
    password_login(client, user.username)
    assert client.get("/cases/").status_code == 200


@override_settings(OPENNRM_DEMO=False, OPENNRM_DEMO_SKIP_SECOND_FACTOR=True)
def test_the_skip_setting_means_nothing_outside_the_demo(caseworker: User) -> None:
    client = Client()
    password_login(client, caseworker.username)
    assert client.get("/cases/").status_code == 302
    assert [e.id for e in production_safety(None)] == ["opennrm.E005"]


# Item 7: headers and cookies.


def test_every_answer_carries_a_permissions_policy(caseworker: User) -> None:
    for response in (Client().get("/accounts/login/"), logged_in(caseworker).get("/cases/")):
        policy = response["Permissions-Policy"]
        assert "camera=()" in policy
        assert "geolocation=()" in policy
        assert "microphone=()" in policy
        assert "publickey-credentials-get=(self)" in policy


@pytest.mark.django_db
def test_the_csrf_token_is_bound_to_the_session() -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/accounts/login/")
    assert not any("csrf" in name for name in page.cookies)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    # The token works in its own session only.
    stranger = Client(enforce_csrf_checks=True)
    refused = stranger.post(
        "/accounts/login/",
        {"username": "x", "password": "y" * 12, "csrfmiddlewaretoken": token.group(1)},
    )
    assert refused.status_code == 403
    ok = client.post(
        "/accounts/login/",
        {"username": "x", "password": "y" * 12, "csrfmiddlewaretoken": token.group(1)},
    )
    assert ok.status_code == 200


def test_logging_in_keeps_no_old_session(enrolled: User) -> None:
    client = Client()
    client.get("/accounts/login/")
    before = client.session.session_key
    password_login(client, enrolled.username)
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_stand_in_passkeys_exist_only_where_tests_make_them(caseworker: User) -> None:
    logged_in(caseworker)
    assert not WebAuthnCredential.objects.exists()


def test_a_session_ends_after_its_absolute_lifetime_however_active(caseworker: User) -> None:
    client = logged_in(caseworker)
    assert client.get("/cases/").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(hours=12, minutes=1)):
        # Active all along (the idle timeout is not what ends it here).
        session = client.session
        session.set_expiry(3600)
        session.save()
        response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
