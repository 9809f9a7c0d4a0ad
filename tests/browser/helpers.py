"""What the browser tests share beside fixtures: logging in and out, screenshots, axe-core."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
CYRILLIC = re.compile(r"[А-Яа-яІіЇїЄєҐґ]")

# open_page(locale="uk-UA", viewport=DESKTOP): a page in a new browser context.
OpenPage = Callable[..., Page]


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Log in through the real form (going to it unless the page already shows it)."""
    if "/accounts/login/" not in page.url:
        page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def log_out(page: Page) -> None:
    page.locator("header form[action$='/accounts/logout/'] button").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def shot(page: Page, name: str) -> None:
    """A full-page screenshot, to look at: test-artifacts/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


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
