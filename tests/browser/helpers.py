"""What the browser tests share beside fixtures: logging in and out, screenshots, axe-core."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import CDPSession, Page, expect
from playwright.sync_api import Error as PlaywrightError

from opennrm.accounts.models import User
from tests.conftest import PASSWORD
from tests.mfa import totp_code

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
CYRILLIC = re.compile(r"[А-Яа-яІіЇїЄєҐґ]")

# open_page(locale="uk-UA", viewport=DESKTOP): a page in a new browser context.
OpenPage = Callable[..., Page]


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Log in through the real form (going to it unless the page already shows it), then the
    second factor as the person does it: set up the app at the first login (the code computed
    from the secret the page shows), the app's code later (computed from the user's device),
    a passkey for the roles that need one (Chromium's virtual authenticator)."""
    if "/accounts/login/" not in page.url:
        page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    finish_login(page, username)


# Passkeys made in a browser context (with their private keys, as Chromium's virtual
# authenticator exports them), by user id: a later context of the same user gets them back.
_PASSKEYS: dict[str, list[dict[str, Any]]] = {}
_STEP = re.compile(r"/accounts/(totp/setup|verify|passkey/setup)/")


def virtual_authenticator(page: Page) -> tuple[CDPSession, str]:
    """A platform authenticator (user verified, always present) for this page."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, str(added["authenticatorId"])


def finish_login(page: Page, username: str) -> None:
    user = User.objects.get(username=username)
    for _ in range(4):
        match = _STEP.search(page.url)
        if match is None:
            return
        step, before = match.group(1), page.url
        if step == "totp/setup":
            secret = page.locator("#totp-secret").inner_text().replace(" ", "")
            device = TOTPDevice(key=base64.b32decode(secret).hex())
            page.locator("#id_code").fill(totp_code(device))
            page.locator("main form button.primary").click()
            expect(page.locator("#backup-codes")).to_be_visible()
            page.locator("main a.button.primary").click()
        elif step == "passkey/setup":
            cdp, authenticator = virtual_authenticator(page)
            page.locator("#passkey-register-button").click()
            status = page.locator("#passkey-register-status-message")
            expect(status).to_contain_text(re.compile("successful|failed|error", re.IGNORECASE))
            assert "successful" in status.inner_text(), status.inner_text()
            _PASSKEYS[str(user.pk)] = cdp.send(
                "WebAuthn.getCredentials", {"authenticatorId": authenticator}
            )["credentials"]
            assert _PASSKEYS[str(user.pk)], "the passkey was not registered"
            page.locator("#passkey-continue").click()
        elif page.locator("#passkey-verification-button").count():
            cdp, authenticator = virtual_authenticator(page)
            for credential in _PASSKEYS.get(str(user.pk), []):
                cdp.send(
                    "WebAuthn.addCredential",
                    {"authenticatorId": authenticator, "credential": credential},
                )
            page.locator("#passkey-verification-button").click()
        else:
            device = TOTPDevice.objects.get(user=user, confirmed=True)
            # A code works once per 30 s: a second login of the same user within them (another
            # browser context) would wait; the test forgets the last use instead.
            TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
            page.locator("#id_code").fill(totp_code(device))
            page.locator("main form button.primary").click()
        expect(page).not_to_have_url(re.compile(re.escape(before) + "$"))
    raise AssertionError(f"logging in did not finish: {page.url}")


def log_out(page: Page) -> None:
    page.locator("header form[action$='/accounts/logout/'] button").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def shot(page: Page, name: str) -> None:
    """A full-page screenshot, to look at: test-artifacts/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.wait_for_load_state()
    try:
        page.screenshot(path=path, full_page=True)
    except PlaywrightError as exc:
        # Chromium refuses a capture while it is still painting a page it just loaded (seen
        # once in CI on a loaded machine); the screenshot is for people to look at, so it is
        # taken again once the page has settled rather than failing the test.
        if "Unable to capture screenshot" not in str(exc):
            raise
        page.wait_for_load_state("networkidle")
        page.screenshot(path=path, full_page=True)


def axe_violations(page: Page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """Run axe-core (shipped in the axe-playwright-python wheel) on the page as it is."""
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(
            f"    {', '.join(map(str, n['target']))}: {n['html'][:160]}" for n in v["nodes"]
        )
        for v in results.response["violations"]
        if v["impact"] in impacts
    ]
