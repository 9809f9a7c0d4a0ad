"""The login steps in a real browser: the first login (set up the app, backup codes), the
second login (the app's code), the passkey roles (register, then confirm with the passkey),
the agency admin's Users page; screenshots of each page, axe-core on each."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from opennrm.accounts.models import User
from opennrm.tenancy.models import Agency
from tests.browser.helpers import (
    OpenPage,
    axe_violations,
    finish_login,
    log_in,
    log_out,
    shot,
)
from tests.conftest import PASSWORD
from tests.mfa import totp_code

pytestmark = pytest.mark.browser


def test_first_and_second_login_with_the_app(open_page: OpenPage, caseworker: User) -> None:
    page = open_page(locale="en-US")
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(caseworker.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/totp/setup/"))
    expect(page.locator("figure.qr svg")).to_be_visible()
    assert not axe_violations(page)
    shot(page, "login-totp-setup")
    # The helper finishes what a person does: the code from the secret, the backup codes.
    finish_login(page, caseworker.username)
    page.goto("/accounts/security/")
    assert not axe_violations(page)
    shot(page, "security")
    log_out(page)
    page.locator("#id_username").fill(caseworker.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/verify/"))
    expect(page.locator("header nav")).to_have_count(0)
    assert not axe_violations(page)
    shot(page, "login-verify")
    page.locator("#id_code").fill("000000")
    page.locator("main form button.primary").click()
    expect(page.locator(".errors")).to_be_visible()
    # django-otp holds back the next try for a second after a wrong code.
    page.wait_for_timeout(1500)
    finish_login(page, caseworker.username)
    # Every login lands on the start page.
    expect(page).to_have_url(re.compile(r"://[^/]+/$"))
    expect(page.locator("main h1")).to_have_text("Your working day")


def test_a_passkey_role_registers_then_confirms_with_its_passkey(
    open_page: OpenPage, make_user: Callable[..., User], agency_b: Agency
) -> None:
    coordinator = make_user("nss.coordinator", agency_b, "coordinator")
    first = open_page(locale="en-US")
    log_in(first, coordinator.username)
    expect(first).to_have_url(re.compile(r"://[^/]+/$"))
    expect(first.locator("main h1")).to_have_text("Your working day")
    log_out(first)
    # Another browser context (the passkey travels with the person, as on a security key).
    second = open_page(locale="en-US")
    second.goto("/accounts/login/")
    second.locator("#id_username").fill(coordinator.username)
    second.locator("#id_password").fill(PASSWORD)
    second.locator("main form button[type=submit]").click()
    expect(second.locator("#passkey-verification-button")).to_be_visible()
    expect(second.locator("#id_code")).to_have_count(0)
    shot(second, "login-passkey-verify")
    finish_login(second, coordinator.username)
    expect(second).to_have_url(re.compile(r"://[^/]+/$"))
    expect(second.locator("main h1")).to_have_text("Your working day")


def test_the_passkey_required_page(
    open_page: OpenPage, make_user: Callable[..., User], agency_b: Agency
) -> None:
    admin = make_user("sys.admin", agency_b, "sysadmin")
    page = open_page()
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(admin.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    # Set up the app as a person does (the code from the secret shown), stop at the passkey.
    page.wait_for_url(re.compile(r"/accounts/totp/setup/"))
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.locator("#id_code").fill(totp_code(TOTPDevice(key=base64.b32decode(secret).hex())))
    page.locator("main form button.primary").click()
    expect(page.locator("#backup-codes")).to_be_visible()
    shot(page, "login-backup-codes")
    page.locator("main a.button.primary").click()
    expect(page).to_have_url(re.compile(r"/accounts/passkey/setup/"))
    assert not axe_violations(page)
    shot(page, "login-passkey-required")


def test_the_agency_admins_users_page(
    open_page: OpenPage, make_user: Callable[..., User], agency_a: Agency, caseworker: User
) -> None:
    admin = make_user("anna.admin", agency_a, "agency_admin")
    page = open_page()
    log_in(page, admin.username)
    page.goto("/accounts/users/")
    expect(page.get_by_role("link", name=caseworker.username)).to_be_visible()
    assert not axe_violations(page)
    shot(page, "users")
    page.get_by_role("link", name=caseworker.username).click()
    assert not axe_violations(page)
    shot(page, "user-detail")
    page.locator("form[action$='/reset-password/'] button").click()
    expect(page.locator("#initial-password")).to_be_visible()
    shot(page, "user-password-reset")
